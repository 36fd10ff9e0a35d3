//! The mTLS management endpoints (`docs/kyma-tokenrequest-spec.md` §4.4): renewal, revocation,
//! expired certificates, and the test controls for them (validity, revocation list, renewal faults,
//! request log).

use std::time::Duration;

use base64::Engine as _;
use http::{Method, StatusCode};
use rcgen::{DnType, KeyPair};
use tokenrequest_sandbox::connector::{
    self, CertificateValidity, ConnectorConfig, ConnectorHandle, RenewalFault, RevocationChecks,
};
use tokio_rustls::rustls::pki_types::CertificateDer;
use tokio_rustls::rustls::pki_types::pem::PemObject as _;
use x509_parser::prelude::{FromDer as _, X509Certificate};

use crate::client::{
    APP, Answer, Certified, MANAGEMENT_INFO, RENEWALS, REVOCATIONS, SUBJECT, certified, certify,
    csr, decode, error_body, full_subject, management_info, mtls, renew, revoke, start, try_call,
};

/// What the tests look at in an issued certificate.
struct Issued {
    serial: Vec<u8>,
    lifetime_seconds: i64,
    /// Unix seconds.
    not_after: i64,
    public_key: Vec<u8>,
    signed_by_the_ca: bool,
}

fn inspect(connector: &ConnectorHandle, pem: &str) -> Issued {
    let der = CertificateDer::from_pem_slice(pem.as_bytes()).unwrap();
    let ca_der = CertificateDer::from_pem_slice(connector.ca_pem().as_bytes()).unwrap();
    let (_, certificate) = X509Certificate::from_der(&der).unwrap();
    let (_, ca) = X509Certificate::from_der(&ca_der).unwrap();
    let validity = certificate.validity();
    let extended = certificate.extended_key_usage().unwrap().unwrap().value;
    assert!(extended.client_auth && !extended.server_auth);
    assert_eq!(connector::client_subject(&der).as_deref(), Some(SUBJECT));
    Issued {
        serial: certificate.raw_serial().to_vec(),
        lifetime_seconds: validity.not_after.timestamp() - validity.not_before.timestamp(),
        not_after: validity.not_after.timestamp(),
        public_key: certificate.public_key().subject_public_key.data.to_vec(),
        signed_by_the_ca: certificate.verify_signature(Some(ca.public_key())).is_ok(),
    }
}

/// The raw public key of `key`, as a certificate carries it.
fn raw_public_key(key: &KeyPair) -> Vec<u8> {
    key.public_key_raw().to_vec()
}

/// SHA-256 of the DER certificate in lowercase hex, computed here independently of the sandbox.
fn sha256_hex(pem: &str) -> String {
    let der = CertificateDer::from_pem_slice(pem.as_bytes()).unwrap();
    let digest = ring::digest::digest(&ring::digest::SHA256, &der);
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// Renews `current` with a fresh key and the right subject; asserts the 201.
async fn renewed(connector: &ConnectorHandle, current: &Certified) -> Certified {
    let (csr_pem, key) = csr(&full_subject(APP));
    let answer = renew(connector, Some(&current.identity), &csr_pem).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    certified(&answer, &key)
}

fn assert_refused(answer: &Answer, code: u16, message: &str) {
    assert_eq!(answer.status.as_u16(), code, "{}", answer.text);
    assert_eq!(answer.content_type, "application/json;charset=UTF-8");
    assert_eq!(answer.json(), error_body(code, message));
}

fn assert_revoked(answer: &Answer) {
    assert_refused(answer, 403, "Certificate has been revoked.");
}

#[tokio::test]
async fn renewal_signs_a_fresh_certificate_and_the_old_one_keeps_working() {
    let connector = start(ConnectorConfig::default()).await;
    let old = certify(&connector, APP).await;
    let info = management_info(&connector, Some(&old.identity))
        .await
        .json();
    let renew_url = info["urls"]["renewCertUrl"].as_str().unwrap();
    assert_eq!(renew_url, format!("{}{RENEWALS}", connector.url()));

    let (csr_pem, key) = csr(&full_subject(APP));
    let answer = renew(&connector, Some(&old.identity), &csr_pem).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    assert_eq!(answer.content_type, "application/json;charset=UTF-8");
    let body = answer.json();
    let client_pem = decode(&body["clientCrt"]);
    assert_eq!(decode(&body["caCrt"]), connector.ca_pem());
    assert_eq!(
        decode(&body["crt"]),
        format!("{client_pem}{}", connector.ca_pem())
    );
    let new = inspect(&connector, &client_pem);
    assert!(new.signed_by_the_ca);
    assert_eq!(new.lifetime_seconds, 92 * 24 * 3600);
    assert_eq!(new.public_key, raw_public_key(&key));
    // The certificate call gives upstream's serial 2, each renewal a new one.
    assert_eq!(inspect(&connector, &old.client_pem).serial, [2]);
    assert_eq!(new.serial, [3]);
    let new = certified(&answer, &key);

    // Both certificates work: renewal does not revoke the old one.
    for identity in [&new.identity, &old.identity] {
        let answer = management_info(&connector, Some(identity)).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
        assert_eq!(answer.json()["clientIdentity"]["application"], APP);
        assert_eq!(answer.json()["certificate"]["subject"], SUBJECT);
    }
    let newer = renewed(&connector, &new).await;
    assert_eq!(inspect(&connector, &newer.client_pem).serial, [4]);
    assert!(connector.revoked().is_empty());

    // The request log names the certificate each call presented, and never a token.
    let requests = connector.requests();
    let renewals: Vec<_> = requests.iter().filter(|r| r.path == RENEWALS).collect();
    assert_eq!(renewals.len(), 2);
    assert_eq!(renewals[0].method, "POST");
    assert_eq!(renewals[0].status, 201);
    assert_eq!(
        renewals[0].client_certificate.as_deref(),
        Some(sha256_hex(&old.client_pem).as_str())
    );
    assert_eq!(
        renewals[1].client_certificate.as_deref(),
        Some(sha256_hex(&new.client_pem).as_str())
    );
    assert!(requests.iter().all(|r| !r.path.contains("token=")));
    assert!(requests.iter().any(|r| r.path == MANAGEMENT_INFO));
    connector.shutdown().await;
}

#[tokio::test]
async fn renewal_checks_the_csr_subject_against_the_presenting_certificate() {
    let connector = start(ConnectorConfig::default()).await;
    let current = certify(&connector, APP).await;
    let other_app = certify(&connector, "other-app").await;
    let replaced = |kind: DnType| {
        full_subject(APP)
            .into_iter()
            .map(|(k, v)| if k == kind { (k, "Other") } else { (k, v) })
            .collect::<Vec<_>>()
    };
    let without = |kind: DnType| {
        full_subject(APP)
            .into_iter()
            .filter(|(k, _)| *k != kind)
            .collect::<Vec<_>>()
    };
    let cases = [
        (
            &current,
            full_subject("other-app"),
            "CSR: Invalid common name provided.",
        ),
        // Another application's certificate cannot renew into this one.
        (
            &other_app,
            full_subject(APP),
            "CSR: Invalid common name provided.",
        ),
        (
            &current,
            without(DnType::CountryName),
            "CSR: No country provided.",
        ),
        (
            &current,
            replaced(DnType::OrganizationName),
            "CSR: Invalid organization provided.",
        ),
        (
            &current,
            replaced(DnType::StateOrProvinceName),
            "CSR: Invalid province provided.",
        ),
    ];
    for (presenting, subject, message) in cases {
        let (csr_pem, _) = csr(&subject);
        let answer = renew(&connector, Some(&presenting.identity), &csr_pem).await;
        assert_refused(&answer, 400, message);
    }
    let bad_base64 = mtls(
        &connector,
        Some(&current.identity),
        Method::POST,
        RENEWALS,
        r#"{"csr":"not base64!"}"#,
    )
    .await;
    assert_refused(
        &bad_base64,
        400,
        "There was an error while parsing the base64 content. An incorrect value was provided.",
    );
    // The other application renews into itself.
    let (csr_pem, _) = csr(&full_subject("other-app"));
    let answer = renew(&connector, Some(&other_app.identity), &csr_pem).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    connector.shutdown().await;
}

#[tokio::test]
async fn renewal_and_revocation_need_a_client_certificate() {
    let connector = start(ConnectorConfig::default()).await;
    let (csr_pem, _) = csr(&full_subject(APP));
    let message = "No client certificate provided; this endpoint needs mTLS.";
    assert_refused(&renew(&connector, None, &csr_pem).await, 403, message);
    assert_refused(&revoke(&connector, None).await, 403, message);
    assert_refused(&management_info(&connector, None).await, 403, message);
    assert!(connector.revoked().is_empty());
    // Only POST is served there.
    let current = certify(&connector, APP).await;
    for path in [RENEWALS, REVOCATIONS] {
        let answer = mtls(&connector, Some(&current.identity), Method::GET, path, "").await;
        assert_refused(&answer, 405, "Method not allowed.");
    }
    connector.shutdown().await;
}

#[tokio::test]
async fn a_revoked_certificate_is_refused_everywhere_while_others_keep_working() {
    let connector = start(ConnectorConfig::default()).await;
    let old = certify(&connector, APP).await;
    let new = renewed(&connector, &old).await;
    let unrelated = certify(&connector, APP).await;

    let answer = revoke(&connector, Some(&old.identity)).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    assert_eq!(answer.content_type, "application/json;charset=UTF-8");
    assert_eq!(answer.text, "");
    let hash = sha256_hex(&old.client_pem);
    assert_eq!(connector.revoked(), std::slice::from_ref(&hash));
    assert_eq!(connector::certificate_hash(&old.client_pem).unwrap(), hash);

    assert_revoked(&management_info(&connector, Some(&old.identity)).await);
    let (csr_pem, _) = csr(&full_subject(APP));
    assert_revoked(&renew(&connector, Some(&old.identity), &csr_pem).await);
    assert_revoked(&revoke(&connector, Some(&old.identity)).await);
    assert_eq!(connector.revoked(), std::slice::from_ref(&hash));
    // The revocation check comes before the body: an empty CSR probes without signing.
    let probe = |identity| {
        mtls(
            &connector,
            identity,
            Method::POST,
            RENEWALS,
            r#"{"csr":""}"#,
        )
    };
    assert_revoked(&probe(Some(&old.identity)).await);
    assert_refused(
        &probe(Some(&new.identity)).await,
        400,
        "Error while decoding pem block.",
    );

    // The renewed certificate and an unrelated one are not affected.
    for certified in [&new, &unrelated] {
        let answer = management_info(&connector, Some(&certified.identity)).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    }
    renewed(&connector, &new).await;

    // An operator's revocation (the hash put into the ConfigMap) applies at once.
    let operator_hash = connector.revoke(&unrelated.client_pem).unwrap();
    assert_eq!(operator_hash, sha256_hex(&unrelated.client_pem));
    assert_revoked(&management_info(&connector, Some(&unrelated.identity)).await);
    assert_eq!(connector.revoked(), [hash, operator_hash]);
    connector.shutdown().await;
}

#[tokio::test]
async fn upstream_revocation_checks_refuse_only_renewal() {
    let connector = start(ConnectorConfig {
        revocation_checks: RevocationChecks::RenewalOnly,
        ..ConnectorConfig::default()
    })
    .await;
    let current = certify(&connector, APP).await;
    assert_eq!(
        revoke(&connector, Some(&current.identity)).await.status,
        StatusCode::CREATED
    );
    let info = management_info(&connector, Some(&current.identity)).await;
    assert_eq!(info.status, StatusCode::OK, "{}", info.text);
    assert_eq!(
        revoke(&connector, Some(&current.identity)).await.status,
        StatusCode::CREATED
    );
    let (csr_pem, _) = csr(&full_subject(APP));
    assert_revoked(&renew(&connector, Some(&current.identity), &csr_pem).await);
    let probe = r#"{"csr":""}"#;
    let answer = mtls(
        &connector,
        Some(&current.identity),
        Method::POST,
        RENEWALS,
        probe,
    );
    assert_revoked(&answer.await);
    assert_eq!(connector.revoked(), [sha256_hex(&current.client_pem)]);
    connector.shutdown().await;
}

#[tokio::test]
async fn short_validity_and_an_expired_certificate_fails_the_handshake() {
    let connector = start(ConnectorConfig {
        certificate_validity: Duration::from_secs(2).into(),
        ..ConnectorConfig::default()
    })
    .await;
    let short = certify(&connector, APP).await;
    assert_eq!(inspect(&connector, &short.client_pem).lifetime_seconds, 2);
    let info = management_info(&connector, Some(&short.identity)).await;
    assert_eq!(info.status, StatusCode::OK, "{}", info.text);
    // The test control changes the validity of what is signed from now on.
    connector.set_certificate_validity(Duration::from_secs(3600));
    let long = renewed(&connector, &short).await;
    assert_eq!(inspect(&connector, &long.client_pem).lifetime_seconds, 3600);

    // Signed already expired: valid for 2 seconds that ended a minute ago.
    connector.set_certificate_validity(CertificateValidity::expired(
        Duration::from_secs(60),
        Duration::from_secs(2),
    ));
    let expired = renewed(&connector, &long).await;
    let issued = inspect(&connector, &expired.client_pem);
    assert_eq!(issued.lifetime_seconds, 2);
    assert!(
        issued.not_after < jiff::Timestamp::now().as_second() - 50,
        "notAfter a minute ago"
    );
    let (csr_pem, _) = csr(&full_subject(APP));
    let csr_base64 = base64::engine::general_purpose::STANDARD.encode(&csr_pem);
    let body = serde_json::json!({ "csr": csr_base64 }).to_string();
    for (method, path, body) in [
        (Method::GET, MANAGEMENT_INFO, ""),
        (Method::POST, RENEWALS, body.as_str()),
        (Method::POST, REVOCATIONS, ""),
    ] {
        let url = format!("{}{path}", connector.url());
        let ca_pem = connector.ca_pem();
        let refused = try_call(&ca_pem, Some(&expired.identity), method, &url, &[], body).await;
        let error = match refused {
            Ok(answer) => panic!("{path}: an expired certificate got {}", answer.status),
            Err(error) => error,
        };
        assert!(error.contains("CertificateExpired"), "{path}: {error}");
    }
    assert!(connector.revoked().is_empty());
    let info = management_info(&connector, Some(&long.identity)).await;
    assert_eq!(info.status, StatusCode::OK, "{}", info.text);
    connector.shutdown().await;
}

#[tokio::test]
async fn renewal_faults_fail_the_next_renewals() {
    let connector = start(ConnectorConfig::default()).await;
    let current = certify(&connector, APP).await;
    let (csr_pem, key) = csr(&full_subject(APP));

    connector.fail_next_renewals(2, RenewalFault::Status(500));
    assert_eq!(connector.pending_renewal_faults(), 2);
    for left in [1, 0] {
        let answer = renew(&connector, Some(&current.identity), &csr_pem).await;
        assert_eq!(answer.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(answer.json()["code"], 500);
        assert!(answer.json()["error"].is_string());
        assert_eq!(connector.pending_renewal_faults(), left);
    }
    connector.fail_next_renewals(1, RenewalFault::Status(403));
    let answer = renew(&connector, Some(&current.identity), &csr_pem).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(answer.json()["code"], 403);
    // Faults used up: the next renewal is ordinary, with the first renewal serial.
    let answer = renew(&connector, Some(&current.identity), &csr_pem).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    assert_eq!(
        inspect(&connector, &decode(&answer.json()["clientCrt"])).serial,
        [3]
    );

    // A certificate that does not match the CSR's key.
    connector.fail_next_renewals(1, RenewalFault::MismatchedCertificate);
    let answer = renew(&connector, Some(&current.identity), &csr_pem).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    let mismatched = inspect(&connector, &decode(&answer.json()["clientCrt"]));
    assert!(mismatched.signed_by_the_ca);
    assert_ne!(mismatched.public_key, raw_public_key(&key));

    // A certificate for the right key that the service then refuses.
    connector.fail_next_renewals(1, RenewalFault::RevokedCertificate);
    let answer = renew(&connector, Some(&current.identity), &csr_pem).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    let revoked_pem = decode(&answer.json()["clientCrt"]);
    assert_eq!(
        inspect(&connector, &revoked_pem).public_key,
        raw_public_key(&key)
    );
    assert_eq!(connector.revoked(), [sha256_hex(&revoked_pem)]);
    let refused = certified(&answer, &key);
    assert_revoked(&management_info(&connector, Some(&refused.identity)).await);

    // Clearing: nothing queued, and the presenting certificate still renews.
    connector.fail_next_renewals(3, RenewalFault::Status(503));
    connector.fail_next_renewals(0, RenewalFault::Status(503));
    assert_eq!(connector.pending_renewal_faults(), 0);
    renewed(&connector, &current).await;
    let statuses: Vec<u16> = connector
        .requests()
        .iter()
        .filter(|r| r.path == RENEWALS)
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [500, 500, 403, 201, 201, 201, 201]);
    connector.shutdown().await;
}
