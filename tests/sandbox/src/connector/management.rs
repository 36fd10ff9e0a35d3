//! The mTLS endpoints (the compatibility spec §4.4), authenticated by the client certificate
//! the TLS handshake verified against the CA.

use http::StatusCode;
use serde::Serialize;
use tokio_rustls::rustls::pki_types::CertificateDer;

use super::State;
use super::api::{Answer, ApiError, json};
use super::authority::{client_application, client_subject};
use super::external::{ApplicationUrls, CertificateInfo};

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
    let certificate = certificate.ok_or_else(|| {
        ApiError::forbidden("No client certificate provided; this endpoint needs mTLS.")
    })?;
    let application = client_application(certificate)
        .ok_or_else(|| ApiError::forbidden("No valid subject found"))?;
    let base = &state.base_url;
    Ok(json(
        StatusCode::OK,
        &ManagementInfo {
            urls: ManagementUrls {
                application: state.application_urls(&application),
                renew_cert_url: format!("{base}/v1/applications/certificates/renewals"),
                revoke_cert_url: format!("{base}/v1/applications/certificates/revocations"),
            },
            certificate: CertificateInfo {
                subject: client_subject(certificate).unwrap_or_default(),
                ..state.certificate_info(&application)
            },
            client_identity: ClientIdentity { application },
        },
    ))
}
