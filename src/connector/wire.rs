//! What the Connector Service sends and answers (the compatibility spec §4.2–4.4), and what
//! can go wrong talking to it.

use std::path::PathBuf;
use std::time::Duration;

use http::StatusCode;
use serde::{Deserialize, Serialize};

use crate::text::quote_for_message;

/// What the info endpoint answers (§4.2). `csr_url` holds a fresh token: not `Debug`.
#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionInfo {
    pub csr_url: String,
    pub api: ApiUrls,
    pub certificate: CertificateInfo,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ApiUrls {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events_info_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata_url: Option<String>,
    pub info_url: String,
    pub certificates_url: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct CertificateInfo {
    pub subject: String,
    #[serde(default)]
    pub extensions: String,
    #[serde(rename = "key-algorithm")]
    pub key_algorithm: String,
}

/// What management info answers over mTLS (§4.4).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ManagementInfo {
    pub client_identity: ClientIdentity,
    #[serde(default)]
    pub urls: ManagementUrls,
    /// The subject a renewal's CSR must carry.
    #[serde(default)]
    pub certificate: Option<CertificateInfo>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct ClientIdentity {
    #[serde(default)]
    pub application: Option<String>,
    #[serde(default)]
    pub tenant: Option<String>,
    #[serde(default)]
    pub group: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ManagementUrls {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events_info_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renew_cert_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoke_cert_url: Option<String>,
}

/// The certificates the certificate endpoint issued (§4.3), decoded to PEM.
#[derive(Debug, Clone)]
pub struct IssuedCertificates {
    /// Client certificate, then the CA (and root, if any).
    pub chain_pem: String,
    pub client_pem: String,
    pub ca_pem: String,
}
/// What went wrong talking to the Connector Service. Never holds a token.
#[derive(Debug, thiserror::Error)]
pub enum ConnectorError {
    #[error("the Connector Service at {host} answered 403 {message}")]
    TokenRejected { host: String, message: String },
    #[error(
        "the Connector Service at {host} refused the certificate signing request with 400 \
         {message}; the subject sent was {subject}"
    )]
    CsrRefused {
        host: String,
        message: String,
        subject: String,
    },
    #[error("TLS with {host} failed: {detail}")]
    Tls { host: String, detail: String },
    #[error("the Connector Service at {host} answered HTTP {status} {message}")]
    Status {
        host: String,
        status: u16,
        message: String,
    },
    #[error("cannot reach {host}: {detail}")]
    Unreachable { host: String, detail: String },
    #[error("no answer from {host} within {}s", waited.as_secs_f64())]
    TimedOut { host: String, waited: Duration },
    #[error("the answer from {host} is not the Connector Service's: {detail}")]
    InvalidAnswer { host: String, detail: String },
    #[error("invalid URL from the Connector Service: {0}")]
    InvalidUrl(String),
    #[error("the CA file {}: {detail}", path.display())]
    CaFile { path: PathBuf, detail: String },
    #[error("{0}")]
    Crypto(String),
    /// The proxy the environment names cannot be used (never with its credentials).
    #[error("the proxy for the Connector Service: {0}")]
    Proxy(String),
    /// Management info took a new certificate for another application than it was issued for.
    #[error(
        "the Connector Service at {host} took the certificate for application {}, not {}",
        quote_for_message(.seen),
        quote_for_message(.expected)
    )]
    OtherApplication {
        host: String,
        seen: String,
        expected: String,
    },
    /// 403 `Certificate has been revoked.` from an mTLS endpoint.
    #[error("the Connector Service at {host} answered 403 {message}: the certificate is revoked")]
    Revoked { host: String, message: String },
    /// The TLS handshake ended with an alert about the client certificate (expired, unknown
    /// CA, revoked): the gateway would not take it.
    #[error("{host} refused the client certificate in the TLS handshake (alert {alert})")]
    CertificateRefused { host: String, alert: String },
}
pub(super) fn decode<T: serde::de::DeserializeOwned>(
    host: &str,
    body: &[u8],
) -> Result<T, ConnectorError> {
    serde_json::from_slice(body).map_err(|error| ConnectorError::InvalidAnswer {
        host: host.to_string(),
        detail: error.to_string(),
    })
}

/// Whether an error body says the presented certificate is revoked (upstream:
/// `Certificate has been revoked.`).
pub(super) fn says_revoked(body: &[u8]) -> bool {
    error_message(body).to_ascii_lowercase().contains("revoked")
}

pub(super) fn status_error(host: String, status: StatusCode, body: &[u8]) -> ConnectorError {
    ConnectorError::Status {
        host,
        status: status.as_u16(),
        message: error_message(body),
    }
}

/// The `error` of the service's `{"code", "error"}` body, else the start of the body, escaped.
pub(super) fn error_message(body: &[u8]) -> String {
    #[derive(Deserialize)]
    struct ErrorBody {
        error: String,
    }
    let text = match serde_json::from_slice::<ErrorBody>(body) {
        Ok(parsed) => parsed.error,
        Err(_) => String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned(),
    };
    let text = text.trim();
    if text.is_empty() {
        "no message".to_string()
    } else {
        quote_for_message(text).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_message_reads_the_service_body() {
        assert_eq!(
            error_message(br#"{"code":403,"error":"Invalid token."}"#),
            "\"Invalid token.\""
        );
        assert_eq!(error_message(b"plain\x1b text"), "\"plain\\u{1b} text\"");
        assert_eq!(error_message(b""), "no message");
    }
}
