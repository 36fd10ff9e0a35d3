//! The mTLS endpoints (the compatibility spec §4.4), called with a client certificate:
//! management info, renewal and revocation, and what the service thinks of a certificate.
//!
//! Upstream checks the revocation list only on renewal: management info keeps answering for a
//! revoked certificate ("a revoked certificate continues to be valid until it expires", Kyma's
//! docs). Its revocation check runs before the renewal's body is read, so posting an empty CSR
//! to `renewCertUrl` tells a revoked certificate (403 `Certificate has been revoked.`) from one
//! that is not (an error about the CSR: 400, or 500 upstream) without anything being signed.

use http::{Method, StatusCode};

use rustls::pki_types::PrivateKeyDer;

use super::wire::{decode, error_message, says_revoked, status_error};
use super::{
    CallLimits, ConnectorClient, ConnectorError, IssuedCertificates, KeyAndCsr, ManagementInfo,
    TlsOptions,
};
use super::{csr_body, issued_certificates};

/// What the service makes of the client certificate.
#[derive(Debug)]
pub enum Standing {
    /// Management info answered; `revocation` says what the renewal probe found.
    Accepted {
        info: Box<ManagementInfo>,
        revocation: Revocation,
    },
    /// The service said the certificate is revoked, in management info or to the probe.
    Revoked { message: String },
}

/// The renewal probe's finding for a certificate management info accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revocation {
    /// The probe got past the revocation check (a CSR error came back).
    NotRevoked,
    /// The probe could not tell (no `renewCertUrl`, an unexpected answer, a failed call).
    Unknown(String),
}

/// The probe's body: a CSR nobody could sign.
const EMPTY_CSR: &str = r#"{"csr":""}"#;

impl ConnectorClient {
    /// The proof of a certificate just issued (`connect`, `renew`): presenting `chain_pem`
    /// and `key`, management info at `info_url` answers, and the service takes the
    /// certificate for `app`.
    pub async fn prove(
        tls: &TlsOptions,
        chain_pem: &str,
        key: PrivateKeyDer<'static>,
        limits: CallLimits,
        info_url: &str,
        app: &str,
    ) -> Result<(), ConnectorError> {
        let client = Self::with_identity(tls, chain_pem, key, limits)?;
        let info = client.management_info(info_url).await?;
        let seen = info.client_identity.application.unwrap_or_default();
        if seen == app {
            return Ok(());
        }
        Err(ConnectorError::OtherApplication {
            host: super::redact(info_url),
            seen,
            expected: app.to_string(),
        })
    }

    /// `GET infoUrl` over mTLS: whom the service takes the client certificate for.
    pub async fn management_info(&self, info_url: &str) -> Result<ManagementInfo, ConnectorError> {
        let (host, status, body) = self.call(Method::GET, info_url, None).await?;
        match status {
            StatusCode::OK => decode(&host, &body),
            other => Err(refusal(host, other, &body)),
        }
    }

    /// `POST renewCertUrl` with a CSR, authenticated by the current client certificate; the
    /// answer is the certificate call's.
    pub async fn renew(
        &self,
        renew_url: &str,
        request: &KeyAndCsr,
    ) -> Result<IssuedCertificates, ConnectorError> {
        let (host, status, answer) = self
            .call(Method::POST, renew_url, Some(csr_body(request)))
            .await?;
        match status {
            StatusCode::CREATED | StatusCode::OK => issued_certificates(&host, &answer),
            StatusCode::BAD_REQUEST => Err(ConnectorError::CsrRefused {
                host,
                message: error_message(&answer),
                subject: request.subject.clone(),
            }),
            other => Err(refusal(host, other, &answer)),
        }
    }

    /// `POST revokeCertUrl` (no body, 201): the service refuses the presenting certificate from
    /// then on.
    pub async fn revoke(&self, revoke_url: &str) -> Result<(), ConnectorError> {
        let (host, status, answer) = self.call(Method::POST, revoke_url, None).await?;
        match status {
            StatusCode::CREATED | StatusCode::OK | StatusCode::NO_CONTENT => Ok(()),
            other => Err(refusal(host, other, &answer)),
        }
    }

    /// Management info, and for a certificate it accepts, the empty-CSR renewal probe that
    /// tells revoked from valid where management info does not (upstream). Signs nothing.
    /// `Err` when management info fails for another reason than revocation.
    pub async fn standing(&self, info_url: &str) -> Result<Standing, ConnectorError> {
        let info = match self.management_info(info_url).await {
            Ok(info) => info,
            Err(ConnectorError::Revoked { message, .. }) => {
                return Ok(Standing::Revoked { message });
            }
            Err(other) => return Err(other),
        };
        let Some(renew_url) = info.urls.renew_cert_url.clone() else {
            return Ok(Standing::Accepted {
                info: Box::new(info),
                revocation: Revocation::Unknown(
                    "management info names no renewCertUrl to ask".to_string(),
                ),
            });
        };
        let revocation = match self.probe_revocation(&renew_url).await {
            Ok(None) => Revocation::NotRevoked,
            Ok(Some(message)) => return Ok(Standing::Revoked { message }),
            Err(error) => Revocation::Unknown(error.to_string()),
        };
        Ok(Standing::Accepted {
            info: Box::new(info),
            revocation,
        })
    }

    /// Posts an empty CSR to `renewCertUrl`: `Some(message)` if the service says the
    /// certificate is revoked, `None` if it complained about the CSR instead.
    async fn probe_revocation(&self, renew_url: &str) -> Result<Option<String>, ConnectorError> {
        let (host, status, answer) = self
            .call(Method::POST, renew_url, Some(EMPTY_CSR.to_string()))
            .await?;
        match status {
            // Past the revocation check, refused for the CSR.
            StatusCode::BAD_REQUEST | StatusCode::INTERNAL_SERVER_ERROR => Ok(None),
            StatusCode::FORBIDDEN if says_revoked(&answer) => Ok(Some(error_message(&answer))),
            status if status.is_success() => Err(ConnectorError::InvalidAnswer {
                host,
                detail: format!("it answered {status} to a renewal with an empty CSR"),
            }),
            other => Err(status_error(host, other, &answer)),
        }
    }
}

/// A refused mTLS call: revoked, or another status.
fn refusal(host: String, status: StatusCode, body: &[u8]) -> ConnectorError {
    if status == StatusCode::FORBIDDEN && says_revoked(body) {
        ConnectorError::Revoked {
            host,
            message: error_message(body),
        }
    } else {
        status_error(host, status, body)
    }
}
