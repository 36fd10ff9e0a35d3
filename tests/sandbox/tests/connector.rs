//! The sandbox Connector Service against the spec (§4.1–4.4 of kyma-tokenrequest.md): the
//! internal token API, single-use tokens with a TTL, the certificate endpoint's subject checks
//! and error bodies, the issued certificate, management info over mTLS, and the controller
//! using it.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use http::{Method, StatusCode};
use http_body_util::{BodyExt as _, Full};
use hyper_util::rt::TokioIo;
use kube::api::{Api, DynamicObject, PostParams};
use rcgen::{CertificateParams, DistinguishedName, DnType, KeyPair};
use serde_json::{Value, json};
use tokenrequest_sandbox::connector::{self, ConnectorConfig, ConnectorHandle};
use tokenrequest_sandbox::controller::token_request_resource;
use tokenrequest_sandbox::{Sandbox, SandboxConfig};
use tokio_rustls::rustls::pki_types::pem::PemObject as _;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use tokio_rustls::rustls::{self, ClientConfig, RootCertStore};
use x509_parser::prelude::{FromDer as _, X509Certificate};

const APP: &str = "test-app";
/// The spec's default subject for `APP`, in upstream's order.
const SUBJECT: &str = "O=Organization,OU=OrgUnit,L=Waldorf,ST=Waldorf,C=DE,CN=test-app";

struct Answer {
    status: StatusCode,
    content_type: String,
    text: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("{e}: {}", self.text))
    }
}

/// A client certificate chain and key to present.
struct Identity {
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
}

/// One request over http or https (trusting only `ca_pem`), optionally presenting `identity`.
async fn call(
    ca_pem: &str,
    identity: Option<&Identity>,
    method: Method,
    url: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Answer {
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
        let stream = tls.connect(server_name, tcp).await.unwrap();
        send(TokioIo::new(stream), request).await
    } else {
        send(TokioIo::new(tcp), request).await
    };
    let status = response.status();
    let content_type = response
        .headers()
        .get(http::header::CONTENT_TYPE)
        .map(|value| value.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        content_type,
        text: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

async fn send<I>(
    io: I,
    request: http::Request<Full<Bytes>>,
) -> http::Response<hyper::body::Incoming>
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(io).await.unwrap();
    tokio::spawn(connection);
    sender.send_request(request).await.unwrap()
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

async fn start(config: ConnectorConfig) -> ConnectorHandle {
    connector::start(config)
        .await
        .expect("the connector starts")
}

/// A token for `APP` from the internal API, as the controller gets it: `(token, url)`.
async fn internal_token(connector: &ConnectorHandle) -> (String, String) {
    let answer = call(
        "",
        None,
        Method::POST,
        &format!("{}/v1/applications/tokens", connector.internal_url()),
        &[("Application", APP), ("Content-Type", "application/json")],
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

async fn get(connector: &ConnectorHandle, url: &str) -> Answer {
    call(&connector.ca_pem(), None, Method::GET, url, &[], "").await
}

/// The info call for a fresh token: its `csrUrl`.
async fn csr_url(connector: &ConnectorHandle) -> String {
    let (_, url) = internal_token(connector).await;
    let info = get(connector, &url).await;
    assert_eq!(info.status, StatusCode::OK, "{}", info.text);
    info.json()["csrUrl"].as_str().unwrap().to_owned()
}

/// A CSR PEM with the given subject entries, in order, and its key.
fn csr(entries: &[(DnType, &str)]) -> (String, KeyPair) {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::default();
    params.distinguished_name = DistinguishedName::new();
    for (kind, value) in entries {
        params.distinguished_name.push(kind.clone(), *value);
    }
    let request = params.serialize_request(&key).unwrap();
    (request.pem().unwrap(), key)
}

fn full_subject(application: &str) -> Vec<(DnType, &str)> {
    vec![
        (DnType::OrganizationName, "Organization"),
        (DnType::OrganizationalUnitName, "OrgUnit"),
        (DnType::LocalityName, "Waldorf"),
        (DnType::StateOrProvinceName, "Waldorf"),
        (DnType::CountryName, "DE"),
        (DnType::CommonName, application),
    ]
}

async fn post_csr(connector: &ConnectorHandle, csr_url: &str, csr_pem: &str) -> Answer {
    post_csr_field(
        connector,
        csr_url,
        &base64::engine::general_purpose::STANDARD.encode(csr_pem),
    )
    .await
}

async fn post_csr_field(connector: &ConnectorHandle, csr_url: &str, field: &str) -> Answer {
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

fn decode(value: &Value) -> String {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(value.as_str().unwrap())
        .unwrap();
    String::from_utf8(bytes).unwrap()
}

fn error_body(code: u16, message: &str) -> Value {
    json!({ "code": code, "error": message })
}

#[tokio::test]
async fn internal_api_needs_the_application_header() {
    let connector = start(ConnectorConfig::default()).await;
    let answer = call(
        "",
        None,
        Method::POST,
        &format!("{}/v1/applications/tokens", connector.internal_url()),
        &[],
        "",
    )
    .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.content_type, "application/json;charset=UTF-8");
    assert_eq!(
        answer.json(),
        error_body(
            400,
            "Required headers for ApplicationContext not specified."
        )
    );

    let (token, url) = internal_token(&connector).await;
    assert_eq!(token.len(), 88, "{token}");
    assert_eq!(
        url,
        format!(
            "{}/v1/applications/signingRequests/info?token={token}",
            connector.url()
        )
    );
    connector.shutdown().await;
}

#[tokio::test]
async fn info_answers_once_with_a_new_token_in_csr_url() {
    let connector = start(ConnectorConfig::default()).await;
    let (token, url) = internal_token(&connector).await;
    let info = get(&connector, &url).await;
    assert_eq!(info.status, StatusCode::OK, "{}", info.text);
    assert_eq!(info.content_type, "application/json;charset=UTF-8");
    let body = info.json();
    let base = connector.url();
    let csr_url = body["csrUrl"].as_str().unwrap();
    let new_token = csr_url
        .strip_prefix(&format!("{base}/v1/applications/certificates?token="))
        .unwrap_or_else(|| panic!("{csr_url}"));
    assert_eq!(new_token.len(), 88);
    assert_ne!(new_token, token);
    assert_eq!(
        body["api"],
        json!({
            "eventsInfoUrl": format!("{base}/{APP}/v1/events/subscribed"),
            "eventsUrl": format!("{base}/{APP}/v1/events"),
            "metadataUrl": format!("{base}/{APP}/v1/metadata/services"),
            "infoUrl": format!("{base}/v1/applications/management/info"),
            "certificatesUrl": format!("{base}/v1/applications/certificates"),
        })
    );
    assert_eq!(
        body["certificate"],
        json!({"subject": SUBJECT, "extensions": "", "key-algorithm": "rsa2048"})
    );
    // Key order as upstream's: runtime URLs first.
    let position = |key: &str| info.text.find(key).unwrap();
    assert!(position("\"eventsInfoUrl\"") < position("\"infoUrl\""));
    assert!(position("\"infoUrl\"") < position("\"certificatesUrl\""));

    // The token is used up.
    let again = get(&connector, &url).await;
    assert_eq!(again.status, StatusCode::FORBIDDEN);
    assert_eq!(again.json(), error_body(403, "Invalid token."));
    // No token at all.
    let without = get(
        &connector,
        &format!("{base}/v1/applications/signingRequests/info"),
    )
    .await;
    assert_eq!(without.status, StatusCode::FORBIDDEN);
    assert_eq!(without.json(), error_body(403, "Token not provided."));
    connector.shutdown().await;
}

#[tokio::test]
async fn tokens_expire_after_their_ttl() {
    let connector = start(ConnectorConfig {
        token_ttl: Duration::from_millis(300),
        ..ConnectorConfig::default()
    })
    .await;
    let (_, url) = internal_token(&connector).await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    let answer = get(&connector, &url).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(answer.json(), error_body(403, "Invalid token."));

    // The test control does the same without waiting.
    connector.set_token_ttl(Duration::from_secs(300));
    let (_, url) = internal_token(&connector).await;
    connector.expire_tokens();
    assert_eq!(get(&connector, &url).await.status, StatusCode::FORBIDDEN);
    connector.shutdown().await;
}

#[tokio::test]
async fn issues_a_92_day_client_auth_certificate_signed_by_its_ca() {
    let connector = start(ConnectorConfig::default()).await;
    let csr_url = csr_url(&connector).await;
    let (csr_pem, _key) = csr(&full_subject(APP));
    let answer = post_csr(&connector, &csr_url, &csr_pem).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    let body = answer.json();
    let client_pem = decode(&body["clientCrt"]);
    let ca_pem = decode(&body["caCrt"]);
    assert_eq!(ca_pem, connector.ca_pem());
    assert_eq!(decode(&body["crt"]), format!("{client_pem}{ca_pem}"));

    let client_der = CertificateDer::from_pem_slice(client_pem.as_bytes()).unwrap();
    let ca_der = CertificateDer::from_pem_slice(ca_pem.as_bytes()).unwrap();
    let (_, client) = X509Certificate::from_der(&client_der).unwrap();
    let (_, ca) = X509Certificate::from_der(&ca_der).unwrap();
    client
        .verify_signature(Some(ca.public_key()))
        .expect("signed by the CA");
    assert_eq!(client.issuer(), ca.subject());
    let validity = client.validity();
    assert_eq!(
        validity.not_after.timestamp() - validity.not_before.timestamp(),
        92 * 24 * 3600
    );
    assert!(validity.is_valid());
    assert_eq!(client.raw_serial(), [2]);
    let usage = client.key_usage().unwrap().unwrap().value;
    assert!(usage.digital_signature() && !usage.key_cert_sign());
    let extended = client.extended_key_usage().unwrap().unwrap().value;
    assert!(extended.client_auth && !extended.server_auth);
    assert_eq!(
        connector::client_subject(&client_der).as_deref(),
        Some(SUBJECT)
    );

    // The csrUrl token is used up by the success.
    let again = post_csr(&connector, &csr_url, &csr_pem).await;
    assert_eq!(again.status, StatusCode::FORBIDDEN);
    assert_eq!(again.json(), error_body(403, "Invalid token."));
    connector.shutdown().await;
}

#[tokio::test]
async fn checks_the_subject_field_by_field_and_keeps_the_token_on_400() {
    let connector = start(ConnectorConfig::default()).await;
    let csr_url = csr_url(&connector).await;
    let without = |kind: DnType| {
        full_subject(APP)
            .into_iter()
            .filter(|(k, _)| *k != kind)
            .collect::<Vec<_>>()
    };
    let replaced = |kind: DnType| {
        full_subject(APP)
            .into_iter()
            .map(|(k, v)| if k == kind { (k, "Other") } else { (k, v) })
            .collect::<Vec<_>>()
    };
    let cases = [
        (
            full_subject("other-app"),
            "CSR: Invalid common name provided.",
        ),
        (
            without(DnType::CommonName),
            "CSR: Invalid common name provided.",
        ),
        (without(DnType::CountryName), "CSR: No country provided."),
        (
            replaced(DnType::CountryName),
            "CSR: Invalid country provided.",
        ),
        (
            without(DnType::OrganizationName),
            "CSR: No organization provided.",
        ),
        (
            replaced(DnType::OrganizationName),
            "CSR: Invalid organization provided.",
        ),
        (
            without(DnType::OrganizationalUnitName),
            "CSR: No organizational unit provided.",
        ),
        (
            replaced(DnType::OrganizationalUnitName),
            "CSR: Invalid organizational unit provided.",
        ),
        (without(DnType::LocalityName), "CSR: No locality provided."),
        (
            replaced(DnType::LocalityName),
            "CSR: Invalid locality provided.",
        ),
        (
            without(DnType::StateOrProvinceName),
            "CSR: No province provided.",
        ),
        (
            replaced(DnType::StateOrProvinceName),
            "CSR: Invalid province provided.",
        ),
    ];
    for (subject, message) in cases {
        let (csr_pem, _) = csr(&subject);
        let answer = post_csr(&connector, &csr_url, &csr_pem).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{message}");
        assert_eq!(answer.json(), error_body(400, message));
    }
    let bad_base64 = post_csr_field(&connector, &csr_url, "not base64!").await;
    assert_eq!(
        bad_base64.json(),
        error_body(
            400,
            "There was an error while parsing the base64 content. An incorrect value was provided."
        )
    );
    let not_pem = post_csr(&connector, &csr_url, "no PEM here").await;
    assert_eq!(
        not_pem.json(),
        error_body(400, "Error while decoding pem block.")
    );

    // None of the refusals used the token up.
    let (csr_pem, _) = csr(&full_subject(APP));
    let answer = post_csr(&connector, &csr_url, &csr_pem).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    connector.shutdown().await;
}

#[tokio::test]
async fn management_info_answers_for_the_client_certificate() {
    let connector = start(ConnectorConfig::default()).await;
    let csr_url = csr_url(&connector).await;
    let (csr_pem, key) = csr(&full_subject(APP));
    let issued = post_csr(&connector, &csr_url, &csr_pem).await.json();
    let identity = Identity {
        chain: CertificateDer::pem_slice_iter(decode(&issued["crt"]).as_bytes())
            .collect::<Result<_, _>>()
            .unwrap(),
        key: PrivateKeyDer::try_from(key.serialize_der()).unwrap(),
    };
    let info_url = format!("{}/v1/applications/management/info", connector.url());
    let answer = call(
        &connector.ca_pem(),
        Some(&identity),
        Method::GET,
        &info_url,
        &[],
        "",
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    let base = connector.url();
    assert_eq!(
        answer.json(),
        json!({
            "clientIdentity": {"application": APP},
            "urls": {
                "eventsInfoUrl": format!("{base}/{APP}/v1/events/subscribed"),
                "eventsUrl": format!("{base}/{APP}/v1/events"),
                "metadataUrl": format!("{base}/{APP}/v1/metadata/services"),
                "renewCertUrl": format!("{base}/v1/applications/certificates/renewals"),
                "revokeCertUrl": format!("{base}/v1/applications/certificates/revocations"),
            },
            "certificate": {"subject": SUBJECT, "extensions": "", "key-algorithm": "rsa2048"},
        })
    );

    let without_certificate = get(&connector, &info_url).await;
    assert_eq!(without_certificate.status, StatusCode::FORBIDDEN);
    connector.shutdown().await;
}

#[tokio::test]
async fn a_certificate_from_another_ca_fails_the_handshake() {
    let connector = start(ConnectorConfig::default()).await;
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::default();
    params.distinguished_name = DistinguishedName::new();
    params.distinguished_name.push(DnType::CommonName, APP);
    let stranger = params.self_signed(&key).unwrap();
    let identity = Identity {
        chain: vec![stranger.der().clone()],
        key: PrivateKeyDer::try_from(key.serialize_der()).unwrap(),
    };
    let info_url = format!("{}/v1/applications/management/info", connector.url());
    let attempt = tokio::spawn({
        let ca_pem = connector.ca_pem();
        async move { call(&ca_pem, Some(&identity), Method::GET, &info_url, &[], "").await }
    });
    assert!(
        attempt.await.is_err(),
        "the server must refuse a client certificate it did not issue"
    );
    connector.shutdown().await;
}

#[tokio::test]
async fn the_controller_asks_the_connector_for_tokens() {
    let sandbox = Sandbox::start(SandboxConfig {
        connector: Some(ConnectorConfig::default()),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let connector = sandbox.connector().expect("a connector runs");
    let api: Api<DynamicObject> =
        Api::namespaced_with(sandbox.admin_client(), "default", &token_request_resource());
    let request = DynamicObject::new(APP, &token_request_resource()).within("default");
    api.create(&PostParams::default(), &request).await.unwrap();
    let status = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            let object = api.get(APP).await.unwrap();
            if let Some(status) = object.data.get("status").filter(|s| s["token"] != "") {
                return status.clone();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("the controller writes a status");
    let token = status["token"].as_str().unwrap();
    assert_eq!(status["state"], "OK");
    assert_eq!(
        status["url"],
        format!(
            "{}/v1/applications/signingRequests/info?token={token}",
            connector.url()
        )
    );
    let info = get(connector, status["url"].as_str().unwrap()).await;
    assert_eq!(info.status, StatusCode::OK, "{}", info.text);
    assert_eq!(info.json()["certificate"]["subject"], SUBJECT);
    sandbox.shutdown().await;
}
