//! The mTLS endpoints (`docs/kyma-tokenrequest-spec.md` §4.4): management info, renewal and
//! revocation, authenticated by the client certificate that the TLS handshake verified against the
//! CA (an expired one fails the handshake, as at upstream's gateway).
//!
//! Upstream's code checks the revocation list on renewal only; with
//! [`RevocationChecks::Everywhere`] (the default) management info and revocation refuse a
//! revoked certificate too.

use http::StatusCode;
use hyper::body::Incoming;
use serde::Serialize;
use tokio_rustls::rustls::pki_types::CertificateDer;

use super::api::{self, Answer, ApiError, json};
use super::authority::{SignedKey, check_csr, client_application, client_subject};
use super::external::{ApplicationUrls, CertificateInfo};
use super::faults::RenewalFault;
use super::revocations::der_hash;
use super::{RevocationChecks, State};

pub(super) const MANAGEMENT_INFO: &str = "/v1/applications/management/info";
pub(super) const RENEWALS: &str = "/v1/applications/certificates/renewals";
pub(super) const REVOCATIONS: &str = "/v1/applications/certificates/revocations";

/// The application a verified client certificate speaks for, and the certificate's hash.
struct Client {
    application: String,
    hash: String,
}

/// Who presents `certificate`; 403 without one, and for a revoked one if `refuse_revoked`.
fn authenticate(
    state: &State,
    certificate: Option<&CertificateDer<'static>>,
    refuse_revoked: bool,
) -> Result<Client, ApiError> {
    let certificate = certificate.ok_or_else(|| {
        ApiError::forbidden("No client certificate provided; this endpoint needs mTLS.")
    })?;
    let application = client_application(certificate)
        .ok_or_else(|| ApiError::forbidden("No valid subject found"))?;
    let hash = der_hash(certificate);
    if refuse_revoked && state.revocations.contains(&hash) {
        // Upstream's revocation-check middleware.
        return Err(ApiError::forbidden("Certificate has been revoked."));
    }
    Ok(Client { application, hash })
}

#[derive(Serialize)]
struct ClientIdentity {
    application: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ManagementUrls {
    #[serde(flatten)]
    application: ApplicationUrls,
    renew_cert_url: String,
    revoke_cert_url: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ManagementInfo {
    client_identity: ClientIdentity,
    urls: ManagementUrls,
    certificate: CertificateInfo,
}

/// §4.4: who the client certificate speaks for.
pub(super) fn management_info(
    state: &State,
    certificate: Option<&CertificateDer<'static>>,
) -> Answer {
    let everywhere = state.config.revocation_checks == RevocationChecks::Everywhere;
    let Client { application, .. } = authenticate(state, certificate, everywhere)?;
    let base = &state.base_url;
    Ok(json(
        StatusCode::OK,
        &ManagementInfo {
            urls: ManagementUrls {
                application: state.application_urls(&application),
                renew_cert_url: format!("{base}{RENEWALS}"),
                revoke_cert_url: format!("{base}{REVOCATIONS}"),
            },
            certificate: CertificateInfo {
                subject: certificate.and_then(client_subject).unwrap_or_default(),
                ..state.certificate_info(&application)
            },
            client_identity: ClientIdentity { application },
        },
    ))
}

/// `POST renewCertUrl`: the certificate call's body and answer, authenticated by the current
/// certificate instead of a token. The CSR's CN must be the presenting certificate's CN and its
/// other fields the configured ones (which the presenting certificate carries, since the CA
/// signed it), with the certificate call's messages.
pub(super) async fn renew(
    state: &State,
    certificate: Option<&CertificateDer<'static>>,
    body: Incoming,
) -> Answer {
    let fault = state.renewal_faults.take();
    if let Some(RenewalFault::Status(code)) = fault {
        let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        return Err(ApiError::new(
            status,
            format!("Renewal refused with {code} by the sandbox's fault injection."),
        ));
    }
    let client = authenticate(state, certificate, true)?;
    let csr = api::read_csr(body).await?;
    let csr = check_csr(&csr, &client.application, &state.config.subject)
        .map_err(|refused| ApiError::bad_request(refused.0))?;
    let key = match fault {
        Some(RenewalFault::MismatchedCertificate) => SignedKey::Unrelated,
        _ => SignedKey::FromCsr,
    };
    let client_pem = state
        .authority
        .sign(csr, state.certificate_validity(), state.next_serial(), key)
        .map_err(|refused| ApiError::internal(refused.0))?;
    if fault == Some(RenewalFault::RevokedCertificate) {
        let hash = super::revocations::certificate_hash(&client_pem)
            .map_err(|_| ApiError::internal("Failed to calculate certificate hash."))?;
        state.revocations.insert(hash);
    }
    tracing::info!(
        application = client.application,
        "connector: renewed a client certificate"
    );
    Ok(api::issued(state, &client_pem))
}

/// `POST revokeCertUrl`: no body; the presenting certificate's hash goes on the revocation
/// list and the answer is 201 without a body, as upstream's.
pub(super) fn revoke(state: &State, certificate: Option<&CertificateDer<'static>>) -> Answer {
    let everywhere = state.config.revocation_checks == RevocationChecks::Everywhere;
    let client = authenticate(state, certificate, everywhere)?;
    state.revocations.insert(client.hash);
    tracing::info!(
        application = client.application,
        "connector: revoked a client certificate"
    );
    Ok(api::empty(StatusCode::CREATED))
}
