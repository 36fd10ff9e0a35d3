//! `tokenrequest-sandbox serve --connector-cert-validity` and `exec --connector-cert-validity`
//! (and `--connector-cert-not-before`), run as a user runs them: the binary's Connector Service
//! signs certificates that live that long, from when they are told to start.

use std::path::Path;
use std::time::Duration;

use base64::Engine as _;
use http::{Method, StatusCode};
use kube::api::{Api, DynamicObject, PostParams};
use serde_json::json;
use tokenrequest_sandbox::controller::token_request_resource;
use tokenrequest_sandbox::exec;
use tokio_rustls::rustls::pki_types::CertificateDer;
use tokio_rustls::rustls::pki_types::pem::PemObject as _;
use x509_parser::prelude::{FromDer as _, X509Certificate};

use crate::client::{APP, call, csr, decode, full_subject};
use crate::support::{self, DUMP_AND_WAIT, PATIENCE, Scratch, ready_field};

#[tokio::test]
async fn serve_connector_cert_validity_sets_the_lifetime_of_signed_certificates() {
    let directory = tempfile::tempdir().unwrap();
    let kubeconfig_path = directory.path().join("kubeconfig");
    let (mut serve, ready) = support::serve(
        &["serve", "--connector-cert-validity", "7"],
        &kubeconfig_path,
    )
    .await;
    let ca_pem = std::fs::read_to_string(ready_field(&ready, "connector-ca")).unwrap();
    assert_signed_certificates_live(&kubeconfig_path, &ca_pem, 7).await;
    serve.terminate().await;
}

#[tokio::test]
async fn serve_connector_cert_not_before_in_the_past_issues_expired_certificates() {
    let directory = tempfile::tempdir().unwrap();
    let kubeconfig_path = directory.path().join("kubeconfig");
    let (mut serve, ready) = support::serve(
        &[
            "serve",
            "--connector-cert-validity",
            "3600",
            "--connector-cert-not-before",
            "-7200",
        ],
        &kubeconfig_path,
    )
    .await;
    let ca_pem = std::fs::read_to_string(ready_field(&ready, "connector-ca")).unwrap();
    let (_, not_after) = assert_signed_certificates_live(&kubeconfig_path, &ca_pem, 3600).await;
    let an_hour_ago = jiff::Timestamp::now().as_second() - 3600;
    assert!(
        (an_hour_ago - 60..=an_hour_ago + 1).contains(&not_after),
        "notAfter {not_after} is an hour ago ({an_hour_ago})"
    );
    serve.terminate().await;
}

#[tokio::test]
async fn exec_connector_cert_validity_sets_the_lifetime_of_signed_certificates() {
    let scratch = Scratch::new();
    let binary = Path::new(env!("CARGO_BIN_EXE_tokenrequest-sandbox"));
    let flags = ["--connector-cert-validity", "7"];
    let mut exec = scratch.spawn(binary, &flags, DUMP_AND_WAIT);
    let environment = scratch.environment().await;
    let ca_pem = std::fs::read_to_string(&environment[exec::CONNECTOR_CA]).unwrap();
    let kubeconfig_path = Path::new(&environment[exec::KUBECONFIG]);
    assert_signed_certificates_live(kubeconfig_path, &ca_pem, 7).await;
    std::fs::write(scratch.stop(), "").unwrap();
    assert!(exec.exit().await.success());
}

#[tokio::test]
async fn exec_connector_cert_not_before_moves_the_validity() {
    let scratch = Scratch::new();
    let binary = Path::new(env!("CARGO_BIN_EXE_tokenrequest-sandbox"));
    let flags = ["--connector-cert-not-before=86400"];
    let mut exec = scratch.spawn(binary, &flags, DUMP_AND_WAIT);
    let environment = scratch.environment().await;
    let ca_pem = std::fs::read_to_string(&environment[exec::CONNECTOR_CA]).unwrap();
    let kubeconfig_path = Path::new(&environment[exec::KUBECONFIG]);
    let (not_before, _) =
        assert_signed_certificates_live(kubeconfig_path, &ca_pem, 92 * 86_400).await;
    let tomorrow = jiff::Timestamp::now().as_second() + 86_400;
    assert!(
        (tomorrow - 60..=tomorrow + 1).contains(&not_before),
        "notBefore {not_before} is a day from now ({tomorrow})"
    );
    std::fs::write(scratch.stop(), "").unwrap();
    assert!(exec.exit().await.success());
}

/// Gets a token as a user does (a TokenRequest the controller fills, through the kubeconfig),
/// has a CSR signed, and checks the certificate lives `seconds`: its `(notBefore, notAfter)`
/// in Unix seconds.
async fn assert_signed_certificates_live(
    kubeconfig_path: &Path,
    ca_pem: &str,
    seconds: i64,
) -> (i64, i64) {
    // The token comes as a user gets it: a TokenRequest the controller fills.
    let kubeconfig = kube::config::Kubeconfig::read_from(kubeconfig_path).unwrap();
    let config = kube::Config::from_custom_kubeconfig(kubeconfig, &Default::default())
        .await
        .unwrap();
    let api: Api<DynamicObject> = Api::default_namespaced_with(
        kube::Client::try_from(config).unwrap(),
        &token_request_resource(),
    );
    let object = DynamicObject::new(APP, &token_request_resource());
    api.create(&PostParams::default(), &object).await.unwrap();
    let info_url = tokio::time::timeout(PATIENCE, async {
        loop {
            let object = api.get(APP).await.unwrap();
            match object
                .data
                .pointer("/status/url")
                .and_then(|url| url.as_str())
            {
                Some(url) if !url.is_empty() => return url.to_owned(),
                _ => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    })
    .await
    .expect("a status.url within the timeout");

    let info = call(ca_pem, None, Method::GET, &info_url, &[], "").await;
    assert_eq!(info.status, StatusCode::OK, "{}", info.text);
    let csr_url = info.json()["csrUrl"].as_str().unwrap().to_owned();
    let (csr_pem, _key) = csr(&full_subject(APP));
    let body = json!({ "csr": base64::engine::general_purpose::STANDARD.encode(&csr_pem) });
    let headers = [("Content-Type", "application/json")];
    let answer = call(
        ca_pem,
        None,
        Method::POST,
        &csr_url,
        &headers,
        &body.to_string(),
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    let client_pem = decode(&answer.json()["clientCrt"]);
    let der = CertificateDer::from_pem_slice(client_pem.as_bytes()).unwrap();
    let (_, certificate) = X509Certificate::from_der(&der).unwrap();
    let validity = certificate.validity();
    assert_eq!(
        validity.not_after.timestamp() - validity.not_before.timestamp(),
        seconds
    );
    (
        validity.not_before.timestamp(),
        validity.not_after.timestamp(),
    )
}
