//! A small http/https client for the Connector Service tests, and the calls the tests share:
//! tokens from the internal API, the info and certificate calls, CSRs, mTLS requests.

use std::sync::Arc;

use base64::Engine as _;
use bytes::Bytes;
use http::{Method, StatusCode};
use http_body_util::{BodyExt as _, Full};
use hyper_util::rt::TokioIo;
use rcgen::{CertificateParams, DistinguishedName, DnType, KeyPair};
use serde_json::{Value, json};
use tokenrequest_sandbox::connector::{self, ConnectorConfig, ConnectorHandle};
use tokio_rustls::rustls::pki_types::pem::PemObject as _;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use tokio_rustls::rustls::{self, ClientConfig, RootCertStore};

pub const APP: &str = "test-app";
/// The spec's default subject for `APP`, in upstream's order.
pub const SUBJECT: &str = "O=Organization,OU=OrgUnit,L=Waldorf,ST=Waldorf,C=DE,CN=test-app";

pub struct Answer {
    pub status: StatusCode,
    pub content_type: String,
    pub text: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("{e}: {}", self.text))
    }
}

/// A client certificate chain and key to present.
pub struct Identity {
    pub chain: Vec<CertificateDer<'static>>,
    pub key: PrivateKeyDer<'static>,
}

/// One request over http or https (trusting only `ca_pem`), optionally presenting `identity`.
pub async fn call(
    ca_pem: &str,
    identity: Option<&Identity>,
    method: Method,
    url: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Answer {
    try_call(ca_pem, identity, method, url, headers, body)
        .await
        .unwrap_or_else(|error| panic!("{url}: {error}"))
}

/// [`call`], with a failed handshake or connection as `Err` (the TLS alert's name in it).
pub async fn try_call(
    ca_pem: &str,
    identity: Option<&Identity>,
    method: Method,
    url: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<Answer, String> {
    let uri: http::Uri = url.parse().unwrap();
    let authority = uri.authority().unwrap().clone();
    let tcp = tokio::net::TcpStream::connect(authority.as_str())
        .await
        .unwrap();
    let mut request = http::Request::builder()
        .method(method)
        .uri(uri.path_and_query().unwrap().as_str())
        .header(http::header::HOST, authority.as_str());
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request
        .body(Full::new(Bytes::from(body.to_owned())))
        .unwrap();
    let response = if uri.scheme_str() == Some("https") {
        let tls = tokio_rustls::TlsConnector::from(Arc::new(client_config(ca_pem, identity)));
        let server_name = ServerName::try_from(authority.host().to_owned()).unwrap();
        let stream = tls
            .connect(server_name, tcp)
            .await
            .map_err(|error| format!("TLS handshake: {error}"))?;
        send(TokioIo::new(stream), request).await?
    } else {
        send(TokioIo::new(tcp), request).await?
    };
    let status = response.status();
    let content_type = response
        .headers()
        .get(http::header::CONTENT_TYPE)
        .map(|value| value.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let bytes = response
        .into_body()
        .collect()
        .await
        .map_err(|error| format!("reading the body: {error:?}"))?
        .to_bytes();
    Ok(Answer {
        status,
        content_type,
        text: String::from_utf8(bytes.to_vec()).unwrap(),
    })
}

async fn send<I>(
    io: I,
    request: http::Request<Full<Bytes>>,
) -> Result<http::Response<hyper::body::Incoming>, String>
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(|error| format!("http handshake: {error:?}"))?;
    tokio::spawn(connection);
    // Debug: hyper's Display leaves out the cause, which names the TLS alert.
    sender
        .send_request(request)
        .await
        .map_err(|error| format!("request: {error:?}"))
}

fn client_config(ca_pem: &str, identity: Option<&Identity>) -> ClientConfig {
    let mut roots = RootCertStore::empty();
    for certificate in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
        roots.add(certificate.unwrap()).unwrap();
    }
    let builder =
        ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots);
    match identity {
        Some(identity) => builder
            .with_client_auth_cert(identity.chain.clone(), identity.key.clone_key())
            .unwrap(),
        None => builder.with_no_client_auth(),
    }
}

pub async fn start(config: ConnectorConfig) -> ConnectorHandle {
    connector::start(config)
        .await
        .expect("the connector starts")
}

/// A token for `APP` from the internal API, as the controller gets it: `(token, url)`.
pub async fn internal_token(connector: &ConnectorHandle) -> (String, String) {
    internal_token_for(connector, APP).await
}

/// A token for `application` from the internal API: `(token, url)`.
pub async fn internal_token_for(
    connector: &ConnectorHandle,
    application: &str,
) -> (String, String) {
    let answer = call(
        "",
        None,
        Method::POST,
        &format!("{}/v1/applications/tokens", connector.internal_url()),
        &[
            ("Application", application),
            ("Content-Type", "application/json"),
        ],
        "",
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    let body = answer.json();
    (
        body["token"].as_str().unwrap().to_owned(),
        body["url"].as_str().unwrap().to_owned(),
    )
}

pub async fn get(connector: &ConnectorHandle, url: &str) -> Answer {
    call(&connector.ca_pem(), None, Method::GET, url, &[], "").await
}

/// The info call for a fresh token: its `csrUrl`.
pub async fn csr_url(connector: &ConnectorHandle) -> String {
    csr_url_for(connector, APP).await
}

/// The info call for a fresh token for `application`: its `csrUrl`.
pub async fn csr_url_for(connector: &ConnectorHandle, application: &str) -> String {
    let (_, url) = internal_token_for(connector, application).await;
    let info = get(connector, &url).await;
    assert_eq!(info.status, StatusCode::OK, "{}", info.text);
    info.json()["csrUrl"].as_str().unwrap().to_owned()
}

/// A CSR PEM with the given subject entries, in order, and its key.
pub fn csr(entries: &[(DnType, &str)]) -> (String, KeyPair) {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::default();
    params.distinguished_name = DistinguishedName::new();
    for (kind, value) in entries {
        params.distinguished_name.push(kind.clone(), *value);
    }
    let request = params.serialize_request(&key).unwrap();
    (request.pem().unwrap(), key)
}

pub fn full_subject(application: &str) -> Vec<(DnType, &str)> {
    vec![
        (DnType::OrganizationName, "Organization"),
        (DnType::OrganizationalUnitName, "OrgUnit"),
        (DnType::LocalityName, "Waldorf"),
        (DnType::StateOrProvinceName, "Waldorf"),
        (DnType::CountryName, "DE"),
        (DnType::CommonName, application),
    ]
}

pub async fn post_csr(connector: &ConnectorHandle, csr_url: &str, csr_pem: &str) -> Answer {
    post_csr_field(
        connector,
        csr_url,
        &base64::engine::general_purpose::STANDARD.encode(csr_pem),
    )
    .await
}

pub async fn post_csr_field(connector: &ConnectorHandle, csr_url: &str, field: &str) -> Answer {
    call(
        &connector.ca_pem(),
        None,
        Method::POST,
        csr_url,
        &[("Content-Type", "application/json")],
        &json!({ "csr": field }).to_string(),
    )
    .await
}

pub fn decode(value: &Value) -> String {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(value.as_str().unwrap())
        .unwrap();
    String::from_utf8(bytes).unwrap()
}

pub fn error_body(code: u16, message: &str) -> Value {
    json!({ "code": code, "error": message })
}

/// A client certificate as `connect` gets one, and what a client keeps of it.
pub struct Certified {
    pub identity: Identity,
    /// The client certificate alone (`clientCrt`), PEM.
    pub client_pem: String,
}

/// The whole token flow for `application`: internal token, info, certificate call.
pub async fn certify(connector: &ConnectorHandle, application: &str) -> Certified {
    let csr_url = csr_url_for(connector, application).await;
    let (csr_pem, key) = csr(&full_subject(application));
    let answer = post_csr(connector, &csr_url, &csr_pem).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    certified(&answer, &key)
}

/// What a 201 from the certificate or renewal call gives a client holding `key`.
pub fn certified(answer: &Answer, key: &KeyPair) -> Certified {
    let issued = answer.json();
    Certified {
        identity: Identity {
            chain: CertificateDer::pem_slice_iter(decode(&issued["crt"]).as_bytes())
                .collect::<Result<_, _>>()
                .unwrap(),
            key: PrivateKeyDer::try_from(key.serialize_der()).unwrap(),
        },
        client_pem: decode(&issued["clientCrt"]),
    }
}

/// A request to one of the mTLS endpoints (`path` under the connector's URL).
pub async fn mtls(
    connector: &ConnectorHandle,
    identity: Option<&Identity>,
    method: Method,
    path: &str,
    body: &str,
) -> Answer {
    let url = format!("{}{path}", connector.url());
    let headers: &[(&str, &str)] = if body.is_empty() {
        &[]
    } else {
        &[("Content-Type", "application/json")]
    };
    call(&connector.ca_pem(), identity, method, &url, headers, body).await
}

pub const MANAGEMENT_INFO: &str = "/v1/applications/management/info";
pub const RENEWALS: &str = "/v1/applications/certificates/renewals";
pub const REVOCATIONS: &str = "/v1/applications/certificates/revocations";

pub async fn management_info(connector: &ConnectorHandle, identity: Option<&Identity>) -> Answer {
    mtls(connector, identity, Method::GET, MANAGEMENT_INFO, "").await
}

/// `POST renewCertUrl` with `{"csr": base64(csr_pem)}`.
pub async fn renew(
    connector: &ConnectorHandle,
    identity: Option<&Identity>,
    csr_pem: &str,
) -> Answer {
    let body = json!({ "csr": base64::engine::general_purpose::STANDARD.encode(csr_pem) });
    mtls(
        connector,
        identity,
        Method::POST,
        RENEWALS,
        &body.to_string(),
    )
    .await
}

/// `POST revokeCertUrl`, no body.
pub async fn revoke(connector: &ConnectorHandle, identity: Option<&Identity>) -> Answer {
    mtls(connector, identity, Method::POST, REVOCATIONS, "").await
}
