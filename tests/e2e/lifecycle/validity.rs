//! Certificate lifetimes: `renew --before` not due and due, `inspect --min-validity` exit
//! codes, and an expired certificate that nothing can use any more (issued already expired by
//! the sandbox, so no test waits for a certificate to expire).

use std::path::Path;
use std::time::Duration;

use kubectl_tokenrequest::connector::{
    CallLimits, ConnectorClient, TlsOptions, csr_for_existing_key,
};
use rustls::pki_types::PrivateKeyDer;
use rustls::pki_types::pem::PemObject as _;
use tokenrequest_sandbox::ConnectorConfig;
use tokenrequest_sandbox::connector::CertificateValidity;

use super::{connected, json, management_info_with, read, snapshot, text};
use crate::connect::connector;
use crate::harness::TestCluster;

/// Puts into `dir` a certificate for the key already there that expired a minute ago, as the
/// directory looks once its certificate has run out: the service signs it (a renewal
/// authenticated by the current certificate, with a CSR for the current key, as `renew
/// --reuse-key` asks) while it issues certificates already expired, and the test writes it
/// where `renew` would (`renew` itself refuses a certificate that is not valid now).
/// connection.yaml keeps its notAfter, a note nothing reads.
async fn expire_in_place(cluster: &TestCluster, ca: &Path, dir: &Path) {
    let key_pem = read(dir, "client.key");
    let chain_pem = read(dir, "chain.crt");
    let info = management_info_with(cluster, ca, &key_pem, &chain_pem)
        .await
        .expect("management info with the current certificate");
    let subject = info.certificate.expect("the certificate's subject").subject;
    let renew_url = info.urls.renew_cert_url.expect("renewCertUrl");
    connector(cluster).set_certificate_validity(CertificateValidity::expired(
        Duration::from_secs(60),
        Duration::from_secs(3600),
    ));
    let csr = csr_for_existing_key(&key_pem, &subject).unwrap();
    let tls = TlsOptions {
        certificate_authority: Some(ca.to_path_buf()),
        insecure_skip_verify: false,
    };
    let key = PrivateKeyDer::from_pem_slice(key_pem.as_bytes()).unwrap();
    let issued =
        ConnectorClient::with_identity(&tls, &chain_pem, key, CallLimits::per_call_default())
            .unwrap()
            .renew(&renew_url, &csr)
            .await
            .expect("the service signs an expired certificate");
    std::fs::write(dir.join("client.crt"), &issued.client_pem).unwrap();
    std::fs::write(dir.join("chain.crt"), &issued.chain_pem).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn renew_before_renews_only_when_due() {
    let (cluster, _ca, dir) = connected(ConnectorConfig {
        certificate_validity: Duration::from_secs(3600).into(),
        ..ConnectorConfig::default()
    })
    .await;
    let dir_arg = text(&dir);
    let files = snapshot(&dir);
    let not_due = cluster.run(&["renew", dir_arg, "--before", "30m"]).await;
    not_due.success();
    assert!(not_due.stdout.contains("not due"), "{not_due:#?}");
    assert_eq!(snapshot(&dir), files);

    connector(&cluster).set_certificate_validity(Duration::from_secs(92 * 86_400));
    let due = cluster.run(&["renew", dir_arg, "--before", "2h"]).await;
    due.success();
    assert!(due.stdout.contains("(92 days left)"), "{due:#?}");
    let renewed = snapshot(&dir);
    assert_ne!(renewed["client.crt"], files["client.crt"]);
    let later = cluster.run(&["renew", dir_arg, "--before", "30d"]).await;
    later.success();
    assert!(later.stdout.contains("not due"), "{later:#?}");
    assert_eq!(snapshot(&dir), renewed);
    cluster
        .run(&["renew", dir_arg, "--before", "1mo"])
        .await
        .failure(2, "no fixed length");
}

#[tokio::test(flavor = "multi_thread")]
async fn min_validity_and_expiry_decide_the_exit_code() {
    let (cluster, ca, dir) = connected(ConnectorConfig {
        certificate_validity: Duration::from_secs(3600).into(),
        ..ConnectorConfig::default()
    })
    .await;
    let dir_arg = text(&dir);
    for minimum in ["30m", "59m"] {
        cluster
            .run(&["inspect", dir_arg, "--min-validity", minimum])
            .await
            .success();
    }
    for minimum in ["2h", "30d"] {
        let run = cluster
            .run(&["inspect", dir_arg, "--min-validity", minimum])
            .await;
        run.failure(1, &format!("less than --min-validity {minimum} is left"));
        assert!(
            run.stdout.contains("accepts it"),
            "the findings are printed: {run:#?}"
        );
    }
    let offline = cluster
        .run(&[
            "inspect",
            dir_arg,
            "--offline",
            "--min-validity",
            "2h",
            "-o",
            "json",
        ])
        .await;
    offline.failure(1, "less than --min-validity 2h");
    let report = json(&offline);
    assert_eq!(report["service"]["status"], "not-checked");
    assert_eq!(report["usable"], false);

    // A certificate that expired: inspect says so, renew and revoke cannot use it.
    cluster.run(&["renew", dir_arg]).await.success();
    expire_in_place(&cluster, &ca, &dir).await;
    let files = snapshot(&dir);
    let inspect = cluster.run(&["inspect", dir_arg, "-o", "json"]).await;
    inspect.failure(1, "the certificate expired at");
    assert_eq!(json(&inspect)["certificate"]["expired"], true);
    cluster
        .run(&["renew", dir_arg])
        .await
        .failure(1, "renewal is no longer possible")
        .failure(1, "connect my-app -n default");
    cluster
        .run(&["revoke", dir_arg, "--yes"])
        .await
        .failure(1, "cannot authenticate a revocation");
    assert_eq!(snapshot(&dir), files);
}
