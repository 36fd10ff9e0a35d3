//! The Connector Service's external API, as a client (the compatibility spec §4.2–4.4): the
//! info endpoint behind `status.url` and the certificate endpoint here; management info,
//! renewal and revocation over mTLS in `management`. The wire types are in `wire`, TLS in
//! `tls`, the key and CSR in `csr`, proxies in `transport`.
//!
//! HTTP runs through hyper-util and hyper-rustls (already in the tree through kube). URLs carry
//! tokens, so errors name only the host.

mod csr;
mod management;
mod tls;
mod transport;
mod wire;

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use http::{Method, Request, StatusCode, Uri};
use http_body_util::{BodyExt as _, Full, Limited};
use rustls::pki_types::PrivateKeyDer;
use serde::Deserialize;
use tokio::time::Instant;

pub use csr::{
    KeyAndCsr, csr_for_existing_key, generate_key_and_csr, generate_key_pem, parse_subject,
};
pub use management::{Revocation, Standing};
pub use tls::TlsOptions;
pub use wire::{
    ApiUrls, CertificateInfo, ClientIdentity, ConnectionInfo, ConnectorError, IssuedCertificates,
    ManagementInfo, ManagementUrls,
};
use wire::{decode, error_message, status_error};

/// Answers larger than this are not the Connector Service's.
const ANSWER_LIMIT: usize = 1 << 20;
/// Default bound of one call when `--request-timeout` does not set one.
pub const DEFAULT_CALL_TIMEOUT: Duration = Duration::from_secs(30);

/// How long Connector Service calls may take: each at most `--request-timeout` (else
/// [`DEFAULT_CALL_TIMEOUT`]), and none past the command's deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallLimits {
    per_call: Duration,
    until: Option<Instant>,
}

impl CallLimits {
    /// `request_timeout` zero: [`DEFAULT_CALL_TIMEOUT`] a call; `until`: the command's deadline.
    pub fn new(request_timeout: Duration, until: Option<Instant>) -> Self {
        let per_call = if request_timeout.is_zero() {
            DEFAULT_CALL_TIMEOUT
        } else {
            request_timeout
        };
        CallLimits { per_call, until }
    }

    /// `--request-timeout` unset, no deadline: [`DEFAULT_CALL_TIMEOUT`] a call.
    pub fn per_call_default() -> Self {
        Self::new(Duration::ZERO, None)
    }

    /// When a call starting now must end.
    fn end(&self) -> Instant {
        let end = Instant::now() + self.per_call;
        self.until.map_or(end, |until| until.min(end))
    }
}

/// An HTTPS client for the Connector Service, with or without a client certificate. Each
/// call goes directly or through the proxy the environment names for its URL.
pub struct ConnectorClient {
    tls: Arc<rustls::ClientConfig>,
    limits: CallLimits,
}

impl ConnectorClient {
    /// A client that trusts the system's CAs and `--certificate-authority`.
    pub fn new(tls: &TlsOptions, limits: CallLimits) -> Result<Self, ConnectorError> {
        Self::build(tls::client_config(tls, None)?, limits)
    }

    /// The same, presenting a client certificate chain and its key (mTLS).
    pub fn with_identity(
        tls: &TlsOptions,
        chain_pem: &str,
        key: PrivateKeyDer<'static>,
        limits: CallLimits,
    ) -> Result<Self, ConnectorError> {
        Self::build(tls::client_config(tls, Some((chain_pem, key)))?, limits)
    }

    fn build(config: rustls::ClientConfig, limits: CallLimits) -> Result<Self, ConnectorError> {
        Ok(ConnectorClient {
            tls: Arc::new(config),
            limits,
        })
    }

    /// `GET status.url`: uses the token up and returns the configuration with a new token in
    /// `csrUrl`.
    pub async fn info(&self, info_url: &str) -> Result<ConnectionInfo, ConnectorError> {
        let (host, status, body) = self.call(Method::GET, info_url, None).await?;
        match status {
            StatusCode::OK => decode(&host, &body),
            StatusCode::FORBIDDEN => Err(ConnectorError::TokenRejected {
                host,
                message: error_message(&body),
            }),
            other => Err(status_error(host, other, &body)),
        }
    }

    /// `POST csrUrl` with the CSR; returns the issued certificates.
    pub async fn request_certificate(
        &self,
        csr_url: &str,
        request: &KeyAndCsr,
    ) -> Result<IssuedCertificates, ConnectorError> {
        let (host, status, answer) = self
            .call(Method::POST, csr_url, Some(csr_body(request)))
            .await?;
        match status {
            StatusCode::CREATED | StatusCode::OK => {}
            StatusCode::FORBIDDEN => {
                return Err(ConnectorError::TokenRejected {
                    host,
                    message: error_message(&answer),
                });
            }
            StatusCode::BAD_REQUEST => {
                return Err(ConnectorError::CsrRefused {
                    host,
                    message: error_message(&answer),
                    subject: request.subject.clone(),
                });
            }
            other => return Err(status_error(host, other, &answer)),
        }
        issued_certificates(&host, &answer)
    }

    /// One call; returns the host (for messages), the status and the body.
    async fn call(
        &self,
        method: Method,
        url: &str,
        body: Option<String>,
    ) -> Result<(String, StatusCode, Bytes), ConnectorError> {
        let uri: Uri = url
            .parse()
            .map_err(|_| ConnectorError::InvalidUrl(redact(url)))?;
        let host = uri
            .authority()
            .map(|authority| authority.to_string())
            .ok_or_else(|| ConnectorError::InvalidUrl(redact(url)))?;
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header(http::header::ACCEPT, "application/json");
        if body.is_some() {
            request = request.header(http::header::CONTENT_TYPE, "application/json");
        }
        let request = request
            .body(Full::new(Bytes::from(body.unwrap_or_default())))
            .map_err(|_| ConnectorError::InvalidUrl(redact(url)))?;
        let proxy = transport::proxy_for(request.uri()).map_err(ConnectorError::Proxy)?;
        let exchange = async {
            let response = transport::send(&self.tls, proxy.as_ref(), request)
                .await
                .map_err(|error| tls::transport_error(&host, &error))?;
            let status = response.status();
            let body = Limited::new(response.into_body(), ANSWER_LIMIT)
                .collect()
                .await
                .map_err(|error| ConnectorError::InvalidAnswer {
                    host: host.clone(),
                    detail: format!("reading the answer: {error}"),
                })?
                .to_bytes();
            Ok((status, body))
        };
        let started = Instant::now();
        let (status, body) = tokio::time::timeout_at(self.limits.end(), exchange)
            .await
            .map_err(|_| ConnectorError::TimedOut {
                host: host.clone(),
                waited: started.elapsed(),
            })??;
        Ok((host, status, body))
    }
}

/// `{"csr": base64(PEM)}`, the body of the certificate and renewal calls.
fn csr_body(request: &KeyAndCsr) -> String {
    let base64 = base64::engine::general_purpose::STANDARD;
    serde_json::json!({ "csr": base64.encode(&request.csr_pem) }).to_string()
}

/// The certificate and renewal calls' answer `{crt, clientCrt, caCrt}`, decoded to PEM.
fn issued_certificates(host: &str, answer: &[u8]) -> Result<IssuedCertificates, ConnectorError> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Answer {
        crt: String,
        client_crt: String,
        ca_crt: String,
    }
    let answer: Answer = decode(host, answer)?;
    let base64 = base64::engine::general_purpose::STANDARD;
    let pem = |field: &str, value: &str| {
        base64
            .decode(value.trim())
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .ok_or_else(|| ConnectorError::InvalidAnswer {
                host: host.to_string(),
                detail: format!("{field} is not base64-encoded PEM"),
            })
    };
    Ok(IssuedCertificates {
        chain_pem: pem("crt", &answer.crt)?,
        client_pem: pem("clientCrt", &answer.client_crt)?,
        ca_pem: pem("caCrt", &answer.ca_crt)?,
    })
}

/// `-o config`: the configuration behind a ready request's info URL. Uses the token up.
pub async fn fetch_configuration(
    info_url: &str,
    tls: &TlsOptions,
    limits: CallLimits,
) -> Result<ConnectionInfo, ConnectorError> {
    ConnectorClient::new(tls, limits)?.info(info_url).await
}

/// `scheme://host/path` of a URL, without the query that carries the token.
pub fn redact(url: &str) -> String {
    match url.parse::<Uri>() {
        Ok(uri) => format!(
            "{}://{}{}",
            uri.scheme_str().unwrap_or("https"),
            uri.authority().map(|a| a.as_str()).unwrap_or(""),
            uri.path()
        ),
        Err(_) => "<invalid URL>".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_drops_the_token() {
        assert_eq!(
            redact("https://h:1/v1/applications/signingRequests/info?token=secret=="),
            "https://h:1/v1/applications/signingRequests/info"
        );
    }
}
