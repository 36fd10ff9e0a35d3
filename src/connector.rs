//! The Connector Service's external API, as a client (`/work/shared/spec/kyma-tokenrequest.md`
//! §4.2–4.4): the info endpoint behind `status.url`, the certificate endpoint, and management
//! info over mTLS; plus the RSA-2048 key and the CSR it signs.
//!
//! HTTP runs over rustls with ring, like kube's client, through hyper-util and hyper-rustls
//! (already in the tree through kube). URLs carry tokens, so errors name only the host.
//!
//! ## Why `rsa`, given RUSTSEC-2023-0071
//!
//! The service asks for `rsa2048`. ring, the crypto provider everywhere else in this tree, can
//! sign with RSA keys but cannot generate them, so the key comes from the `rsa` crate, the
//! pure-Rust RSA implementation of RustCrypto. Its advisory (the Marvin attack) is a timing side
//! channel in its *private-key operations* (decryption and signing), exploitable by an attacker
//! who can measure many such operations, e.g. against a long-running server. Here `rsa` only
//! generates the key, once, on the user's machine; the one signature (the CSR's) is made by ring
//! from the PKCS#8 key, and TLS client authentication later uses ring through rustls too. No
//! `rsa` private-key operation ever runs, let alone one an attacker can time. aws-lc-rs could
//! generate the key as well but would add a C toolchain build for a single call.

use std::error::Error as StdError;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use http::{Method, Request, StatusCode, Uri};
use http_body_util::{BodyExt as _, Full, Limited};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use rcgen::{CertificateParams, DistinguishedName, DnType, DnValue, KeyPair, PKCS_RSA_SHA256};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use serde::{Deserialize, Serialize};

use crate::tokenrequest::quote_for_message;

/// Bits of the key the service asks for with `key-algorithm: rsa2048`.
const RSA_BITS: usize = 2048;
/// Answers larger than this are not the Connector Service's.
const ANSWER_LIMIT: usize = 1 << 20;
/// Default bound of one call when `--request-timeout` does not set one.
pub const DEFAULT_CALL_TIMEOUT: Duration = Duration::from_secs(30);

/// How to trust the Connector Service's server certificate.
#[derive(Debug, Clone, Default)]
pub struct TlsOptions {
    /// A PEM file of CA certificates to trust besides the system's.
    pub certificate_authority: Option<PathBuf>,
    /// Accept any server certificate (insecure).
    pub insecure_skip_verify: bool,
}

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

/// A fresh private key and a CSR for it. The key is a secret: not `Debug`.
pub struct KeyAndCsr {
    /// PKCS#8 DER.
    key_der: Vec<u8>,
    /// PKCS#8 PEM (`PRIVATE KEY`), what openssl writes.
    pub key_pem: String,
    pub csr_pem: String,
    /// The subject the CSR carries, in the service's notation.
    pub subject: String,
}

impl KeyAndCsr {
    pub fn private_key(&self) -> PrivateKeyDer<'static> {
        PrivatePkcs8KeyDer::from(self.key_der.clone()).into()
    }
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
}

/// An HTTPS client for the Connector Service, with or without a client certificate.
pub struct ConnectorClient {
    http: Client<HttpsConnector<HttpConnector>, Full<Bytes>>,
    call_timeout: Duration,
}

impl ConnectorClient {
    /// A client that trusts the system's CAs and `--certificate-authority`.
    pub fn new(tls: &TlsOptions, call_timeout: Duration) -> Result<Self, ConnectorError> {
        Self::build(tls, None, call_timeout)
    }

    /// The same, presenting a client certificate chain and its key (mTLS).
    pub fn with_identity(
        tls: &TlsOptions,
        chain_pem: &str,
        key: PrivateKeyDer<'static>,
        call_timeout: Duration,
    ) -> Result<Self, ConnectorError> {
        let chain = CertificateDer::pem_slice_iter(chain_pem.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| ConnectorError::Crypto(format!("reading the issued certificates: {e}")))?;
        Self::build(tls, Some((chain, key)), call_timeout)
    }

    fn build(
        tls: &TlsOptions,
        identity: Option<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)>,
        call_timeout: Duration,
    ) -> Result<Self, ConnectorError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| ConnectorError::Crypto(format!("setting up TLS: {e}")))?;
        let builder = if tls.insecure_skip_verify {
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AcceptAnyServer(provider)))
        } else {
            builder.with_root_certificates(root_store(tls.certificate_authority.as_deref())?)
        };
        let config = match identity {
            Some((chain, key)) => builder.with_client_auth_cert(chain, key).map_err(|e| {
                ConnectorError::Crypto(format!("using the client certificate: {e}"))
            })?,
            None => builder.with_no_client_auth(),
        };
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(config)
            .https_or_http()
            .enable_http1()
            .build();
        Ok(ConnectorClient {
            http: Client::builder(TokioExecutor::new()).build(connector),
            call_timeout,
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
        let base64 = base64::engine::general_purpose::STANDARD;
        let body = serde_json::json!({ "csr": base64.encode(&request.csr_pem) }).to_string();
        let (host, status, answer) = self.call(Method::POST, csr_url, Some(body)).await?;
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
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Answer {
            crt: String,
            client_crt: String,
            ca_crt: String,
        }
        let answer: Answer = decode(&host, &answer)?;
        let pem = |field: &str, value: &str| {
            base64
                .decode(value.trim())
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .ok_or_else(|| ConnectorError::InvalidAnswer {
                    host: host.clone(),
                    detail: format!("{field} is not base64-encoded PEM"),
                })
        };
        Ok(IssuedCertificates {
            chain_pem: pem("crt", &answer.crt)?,
            client_pem: pem("clientCrt", &answer.client_crt)?,
            ca_pem: pem("caCrt", &answer.ca_crt)?,
        })
    }

    /// `GET infoUrl` over mTLS: whom the service takes the client certificate for.
    pub async fn management_info(&self, info_url: &str) -> Result<ManagementInfo, ConnectorError> {
        let (host, status, body) = self.call(Method::GET, info_url, None).await?;
        match status {
            StatusCode::OK => decode(&host, &body),
            other => Err(status_error(host, other, &body)),
        }
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
        let exchange = async {
            let response = self
                .http
                .request(request)
                .await
                .map_err(|error| transport_error(&host, &error))?;
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
        let (status, body) = tokio::time::timeout(self.call_timeout, exchange)
            .await
            .map_err(|_| ConnectorError::TimedOut {
                host: host.clone(),
                waited: self.call_timeout,
            })??;
        Ok((host, status, body))
    }
}

/// The system's CAs plus those in `extra` (a PEM file).
fn root_store(extra: Option<&Path>) -> Result<RootCertStore, ConnectorError> {
    let mut roots = RootCertStore::empty();
    // Unreadable system certificates are no reason to fail: the user may bring their own.
    let native = rustls_native_certs::load_native_certs();
    roots.add_parsable_certificates(native.certs);
    if let Some(path) = extra {
        let ca_error = |detail: String| ConnectorError::CaFile {
            path: path.to_path_buf(),
            detail,
        };
        let text = std::fs::read(path).map_err(|e| ca_error(format!("cannot read it: {e}")))?;
        let certificates = CertificateDer::pem_slice_iter(&text)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| ca_error(format!("not PEM certificates: {e}")))?;
        if certificates.is_empty() {
            return Err(ca_error(
                "holds no PEM certificate (-----BEGIN CERTIFICATE-----)".to_string(),
            ));
        }
        for certificate in certificates {
            roots
                .add(certificate)
                .map_err(|e| ca_error(format!("not a usable CA certificate: {e}")))?;
        }
    }
    Ok(roots)
}

/// `--insecure-skip-tls-verify-connector`: any server certificate is accepted, but handshake
/// signatures are still checked (rustls has no ready-made verifier for this).
#[derive(Debug)]
struct AcceptAnyServer(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAnyServer {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            certificate,
            signature,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            certificate,
            signature,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// A failed exchange: TLS (found anywhere in the error's sources) or the network.
fn transport_error(host: &str, error: &(dyn StdError + 'static)) -> ConnectorError {
    match find_tls_error(error) {
        Some(tls) => ConnectorError::Tls {
            host: host.to_string(),
            detail: tls.to_string(),
        },
        None => ConnectorError::Unreachable {
            host: host.to_string(),
            detail: crate::error::error_chain(error),
        },
    }
}

/// The rustls error behind `error`. hyper-rustls wraps tokio-rustls' `io::Error` in another
/// `io::Error`, and `io::Error::source` skips the error it wraps, so wrapped errors are looked
/// into as well as sources.
fn find_tls_error<'a>(error: &'a (dyn StdError + 'static)) -> Option<&'a rustls::Error> {
    if let Some(tls) = error.downcast_ref::<rustls::Error>() {
        return Some(tls);
    }
    let wrapped = error
        .downcast_ref::<std::io::Error>()
        .and_then(|io| io.get_ref())
        .and_then(|inner| find_tls_error(inner));
    wrapped.or_else(|| error.source().and_then(find_tls_error))
}

fn decode<T: serde::de::DeserializeOwned>(host: &str, body: &[u8]) -> Result<T, ConnectorError> {
    serde_json::from_slice(body).map_err(|error| ConnectorError::InvalidAnswer {
        host: host.to_string(),
        detail: error.to_string(),
    })
}

fn status_error(host: String, status: StatusCode, body: &[u8]) -> ConnectorError {
    ConnectorError::Status {
        host,
        status: status.as_u16(),
        message: error_message(body),
    }
}

/// The `error` of the service's `{"code", "error"}` body, else the start of the body, escaped.
fn error_message(body: &[u8]) -> String {
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

/// A fresh RSA-2048 key and a CSR for `subject` (the service's `O=…,OU=…,…,CN=…`), signed
/// with SHA-256 by ring. CPU-bound for a moment: call it from a blocking task.
pub fn generate_key_and_csr(subject: &str) -> Result<KeyAndCsr, ConnectorError> {
    use rsa::pkcs8::EncodePrivateKey as _;
    let distinguished_name = parse_subject(subject)?;
    let crypto = |what: &str, error: &dyn std::fmt::Display| {
        ConnectorError::Crypto(format!("{what}: {error}"))
    };
    let private_key = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, RSA_BITS)
        .map_err(|e| crypto("generating the RSA-2048 key", &e))?;
    let pkcs8 = private_key
        .to_pkcs8_der()
        .map_err(|e| crypto("encoding the key as PKCS#8", &e))?;
    drop(private_key);
    let key_der = pkcs8.as_bytes().to_vec();
    let key_pair = KeyPair::from_pkcs8_der_and_sign_algo(
        &PrivatePkcs8KeyDer::from(key_der.as_slice()),
        &PKCS_RSA_SHA256,
    )
    .map_err(|e| crypto("loading the key into ring", &e))?;
    let mut params = CertificateParams::default();
    params.distinguished_name = distinguished_name;
    let csr = params
        .serialize_request(&key_pair)
        .and_then(|request| request.pem())
        .map_err(|e| crypto("making the certificate signing request", &e))?;
    Ok(KeyAndCsr {
        key_pem: key_pair.serialize_pem(),
        key_der,
        csr_pem: csr,
        subject: subject.to_string(),
    })
}

/// `O=Organization,OU=OrgUnit,L=Waldorf,ST=Waldorf,C=DE,CN=app` (Go's `pkix.Name` notation,
/// `\,` escapes a comma) into a distinguished name in the same order.
pub fn parse_subject(subject: &str) -> Result<DistinguishedName, ConnectorError> {
    let invalid = |reason: String| {
        ConnectorError::Crypto(format!(
            "the certificate subject {} the Connector Service asked for {reason}",
            quote_for_message(subject)
        ))
    };
    let mut name = DistinguishedName::new();
    for part in split_unescaped(subject) {
        let (key, value) = part
            .split_once('=')
            .ok_or_else(|| invalid(format!("has a part without '=': {part}")))?;
        let kind = match key.trim() {
            "CN" => DnType::CommonName,
            "C" => DnType::CountryName,
            "O" => DnType::OrganizationName,
            "OU" => DnType::OrganizationalUnitName,
            "L" => DnType::LocalityName,
            "ST" => DnType::StateOrProvinceName,
            other => {
                return Err(invalid(format!(
                    "has an attribute this tool does not know: {other}"
                )));
            }
        };
        let value = value.to_string();
        // X.520 wants countries as PrintableString; the rest may be UTF-8.
        let value = match kind {
            DnType::CountryName => rcgen::string::PrintableString::try_from(value.clone())
                .map(DnValue::PrintableString)
                .unwrap_or(DnValue::Utf8String(value)),
            _ => DnValue::Utf8String(value),
        };
        name.push(kind, value);
    }
    if name.get(&DnType::CommonName).is_none() {
        return Err(invalid("has no CN".to_string()));
    }
    Ok(name)
}

/// Splits at commas not preceded by a backslash and drops the escapes.
fn split_unescaped(text: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    parts.last_mut().expect("never empty").push(next);
                }
            }
            ',' => parts.push(String::new()),
            c => parts.last_mut().expect("never empty").push(c),
        }
    }
    parts
        .into_iter()
        .filter(|part| !part.trim().is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_keeps_order_and_escapes() {
        let name =
            parse_subject(r"O=Org\, Inc.,OU=OrgUnit,L=Waldorf,ST=Waldorf,C=DE,CN=my-app").unwrap();
        let kinds: Vec<DnType> = name.iter().map(|(kind, _)| kind.clone()).collect();
        assert_eq!(
            kinds,
            [
                DnType::OrganizationName,
                DnType::OrganizationalUnitName,
                DnType::LocalityName,
                DnType::StateOrProvinceName,
                DnType::CountryName,
                DnType::CommonName
            ]
        );
        assert_eq!(
            name.get(&DnType::OrganizationName),
            Some(&DnValue::Utf8String("Org, Inc.".to_string()))
        );
        assert!(
            parse_subject("O=x")
                .unwrap_err()
                .to_string()
                .contains("no CN")
        );
        assert!(
            parse_subject("X=1,CN=a")
                .unwrap_err()
                .to_string()
                .contains("X")
        );
    }

    #[test]
    fn redact_drops_the_token() {
        assert_eq!(
            redact("https://h:1/v1/applications/signingRequests/info?token=secret=="),
            "https://h:1/v1/applications/signingRequests/info"
        );
    }

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
