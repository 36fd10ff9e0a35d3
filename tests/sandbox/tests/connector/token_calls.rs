//! The sandbox Connector Service's token-guarded calls against `docs/kyma-tokenrequest-spec.md`
//! §4.1–4.4: the internal token API, single-use tokens with a TTL, the certificate endpoint's
//! subject checks and error bodies, the issued certificate, management info over mTLS, and the
//! controller using it.

use std::time::Duration;

use http::{Method, StatusCode};
use kube::api::{Api, DynamicObject, PostParams};
use rcgen::{CertificateParams, DistinguishedName, DnType, KeyPair};
use serde_json::json;
use tokenrequest_sandbox::connector::{self, ConnectorConfig};
use tokenrequest_sandbox::controller::token_request_resource;
use tokenrequest_sandbox::{Sandbox, SandboxConfig};
use tokio_rustls::rustls::pki_types::pem::PemObject as _;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use x509_parser::prelude::{FromDer as _, X509Certificate};

use crate::client::{
    APP, Identity, SUBJECT, call, csr, csr_url, decode, error_body, full_subject, get,
    internal_token, post_csr, post_csr_field, start,
};

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
    // A lifetime of zero: the token is past it as soon as it is issued, with no wait.
    let connector = start(ConnectorConfig {
        token_ttl: Duration::ZERO,
        ..ConnectorConfig::default()
    })
    .await;
    let (_, url) = internal_token(&connector).await;
    let answer = get(&connector, &url).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(answer.json(), error_body(403, "Invalid token."));

    // Within its lifetime it works.
    connector.set_token_ttl(Duration::from_secs(300));
    let (_, url) = internal_token(&connector).await;
    let answer = get(&connector, &url).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);

    // The test control lets the tokens issued so far expire.
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
