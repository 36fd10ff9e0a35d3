//! After `connect`: `inspect`, `renew` and `revoke` against the sandbox's Connector Service, in
//! both of its revocation modes (refused everywhere, and upstream's renewal-only check), with
//! short certificate lifetimes for `--before`, `--min-validity` and expiry, and a failure at
//! each renewal step leaving the files as they were.

mod faults;
mod validity;

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use kubectl_tokenrequest::connector::{
    CallLimits, ConnectorClient, ConnectorError, ManagementInfo, TlsOptions,
};
use rustls::pki_types::PrivateKeyDer;
use rustls::pki_types::pem::PemObject as _;
use serde_json::Value;
use tokenrequest_sandbox::ConnectorConfig;
use tokenrequest_sandbox::connector::{RevocationChecks, certificate_hash};

use crate::connect::{APP, FILES, connect, connector, entries, no_leak, with_connector};
use crate::harness::{Run, TestCluster, finish};

/// A sandbox with a Connector Service and DIR connected by `connect`.
async fn connected(config: ConnectorConfig) -> (TestCluster, PathBuf, PathBuf) {
    let (cluster, ca) = with_connector(config).await;
    let dir = cluster.dir.path().join("conn");
    connect(&cluster, &ca, &dir, &[]).await.success();
    (cluster, ca, dir)
}

fn text(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Every file in `dir`, by name, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    entries(dir)
        .into_iter()
        .map(|name| {
            let bytes = std::fs::read(dir.join(&name)).unwrap();
            (name, bytes)
        })
        .collect()
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {run:#?}"))
}

/// Management info over mTLS with a key and chain (PEM), as the external system would call it.
async fn management_info_with(
    cluster: &TestCluster,
    ca: &Path,
    key_pem: &str,
    chain_pem: &str,
) -> Result<ManagementInfo, ConnectorError> {
    let tls = TlsOptions {
        certificate_authority: Some(ca.to_path_buf()),
        insecure_skip_verify: false,
    };
    let key = PrivateKeyDer::from_pem_slice(key_pem.as_bytes()).unwrap();
    let client =
        ConnectorClient::with_identity(&tls, chain_pem, key, CallLimits::per_call_default())?;
    let url = format!(
        "{}/v1/applications/management/info",
        connector(cluster).url()
    );
    client.management_info(&url).await
}

/// The base64 lines of a PEM private key: none may ever be printed.
fn key_lines(key_pem: &str) -> Vec<String> {
    key_pem
        .lines()
        .filter(|line| !line.starts_with("-----") && line.len() > 20)
        .map(str::to_string)
        .collect()
}

#[track_caller]
fn assert_no_key(runs: &[&Run], key_pem: &str) {
    let lines = key_lines(key_pem);
    assert!(lines.len() > 10, "an RSA-2048 key has about 25 lines");
    for run in runs {
        for line in &lines {
            assert!(
                !run.stderr.contains(line.as_str()) && !run.stdout.contains(line.as_str()),
                "key material printed: {run:#?}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn connect_inspect_renew_revoke() {
    let (cluster, ca, dir) = connected(ConnectorConfig::default()).await;
    let dir_arg = text(&dir);

    let inspect = cluster.run(&["inspect", dir_arg]).await;
    inspect.success();
    for shown in [
        "Connection my-app (namespace default)",
        "serial              02",
        "(92 days left)",
        "private key         matches the certificate",
        "accepts it as application \"my-app\", not revoked",
        "status              ok",
    ] {
        assert!(inspect.stdout.contains(shown), "{shown:?}: {inspect:#?}");
    }
    let report = json(
        cluster
            .run(&["inspect", dir_arg, "-o", "json"])
            .await
            .success(),
    );
    assert_eq!(report["usable"], true, "{report}");
    assert_eq!(report["service"]["status"], "accepted");
    assert_eq!(
        report["certificate"]["daysLeft"], 92,
        "the days the text says: rounded to the nearest"
    );

    // renew: a new key and certificate; the old certificate keeps working until it expires.
    let old = snapshot(&dir);
    let renew = cluster.run(&["renew", dir_arg]).await;
    renew.success();
    assert!(
        renew.stdout.contains("serial              03 (was 02)"),
        "{renew:#?}"
    );
    assert_eq!(
        entries(&dir),
        FILES,
        "no *.previous and no temp file is left"
    );
    let renewed = snapshot(&dir);
    for name in ["client.key", "client.crt", "chain.crt"] {
        assert_ne!(old[name], renewed[name], "{name} is replaced");
    }
    // connection.yaml records the new certificate's notAfter (to the second, so within the
    // same second as connect its bytes may not change).
    let recorded = json(
        cluster
            .run(&["inspect", dir_arg, "-o", "json", "--offline"])
            .await
            .success(),
    );
    let yaml = String::from_utf8(renewed["connection.yaml"].clone()).unwrap();
    let not_after = recorded["certificate"]["notAfter"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        yaml.contains(&format!("notAfter: \"{not_after}\"")),
        "{not_after}: {yaml}"
    );
    assert!(
        renewed.values().all(|bytes| *bytes != old["client.key"]),
        "the old key is gone"
    );
    assert_eq!(mode(&dir.join("client.key")), 0o600);
    assert_eq!(mode(&dir.join("client.crt")), 0o644);
    assert_eq!(mode(&dir), 0o700);
    let new_info = management_info_with(
        &cluster,
        &ca,
        &read(&dir, "client.key"),
        &read(&dir, "chain.crt"),
    )
    .await
    .expect("the new certificate works");
    assert_eq!(new_info.client_identity.application.as_deref(), Some(APP));
    let text_of = |bytes: &Vec<u8>| String::from_utf8(bytes.clone()).unwrap();
    let old_info = management_info_with(
        &cluster,
        &ca,
        &text_of(&old["client.key"]),
        &text_of(&old["chain.crt"]),
    )
    .await
    .expect("the old certificate works until it expires");
    assert_eq!(old_info.client_identity.application.as_deref(), Some(APP));
    let report = json(
        cluster
            .run(&["inspect", dir_arg, "-o", "json"])
            .await
            .success(),
    );
    assert_eq!(report["certificate"]["serial"], "03");
    let config: Value = serde_saphyr::from_str(&read(&dir, "connection.yaml")).unwrap();
    assert_eq!(
        config["certificate"]["notAfter"],
        report["certificate"]["notAfter"]
    );

    // --reuse-key: only the certificate changes.
    let reuse = cluster.run(&["renew", dir_arg, "--reuse-key"]).await;
    reuse.success();
    assert!(reuse.stdout.contains("kept (--reuse-key)"), "{reuse:#?}");
    assert_eq!(
        std::fs::read(dir.join("client.key")).unwrap(),
        renewed["client.key"]
    );
    assert_ne!(
        std::fs::read(dir.join("client.crt")).unwrap(),
        renewed["client.crt"]
    );
    no_leak(&cluster, &[&inspect, &renew, &reuse]).await;

    // revoke: refused without --yes off a terminal, then revoked, checked and marked.
    let before = snapshot(&dir);
    cluster
        .run(&["revoke", dir_arg])
        .await
        .failure(2, "stdin is not a terminal: pass --yes");
    assert_eq!(snapshot(&dir), before, "nothing changed");
    let revoked_pem = read(&dir, "client.crt");
    let revoke = cluster.run(&["revoke", dir_arg, "--yes"]).await;
    revoke.success();
    assert!(revoke.stdout.contains("now refuses it"), "{revoke:#?}");
    assert_eq!(
        connector(&cluster).revoked(),
        [certificate_hash(&revoked_pem).unwrap()]
    );
    let marked: Vec<String> = FILES.iter().map(|f| format!("{f}.revoked")).collect();
    assert_eq!(entries(&dir), marked);
    let refused = management_info_with(
        &cluster,
        &ca,
        &read(&dir, "client.key.revoked"),
        &read(&dir, "chain.crt.revoked"),
    )
    .await;
    assert!(
        matches!(refused, Err(ConnectorError::Revoked { .. })),
        "{refused:?}"
    );
    let inspect = cluster.run(&["inspect", dir_arg]).await;
    inspect.failure(1, "is not usable");
    assert!(
        inspect.stdout.contains("says it is revoked"),
        "{inspect:#?}"
    );
    assert!(
        inspect.stdout.contains("by `kubectl tokenrequest revoke`"),
        "{inspect:#?}"
    );
    let advice = format!("connect my-app -n default --out-dir {dir_arg} --refresh --force");
    cluster
        .run(&["renew", dir_arg])
        .await
        .failure(1, "renewal is no longer possible")
        .failure(1, &advice);

    // The advice works, and the *.revoked files do not stand in its way.
    connect(&cluster, &ca, &dir, &["--refresh"]).await.success();
    cluster.run(&["inspect", dir_arg]).await.success();
}

#[tokio::test(flavor = "multi_thread")]
async fn upstream_answers_management_info_for_a_revoked_certificate_so_the_probe_tells() {
    let (cluster, ca, dir) = connected(ConnectorConfig {
        revocation_checks: RevocationChecks::RenewalOnly,
        ..ConnectorConfig::default()
    })
    .await;
    let dir_arg = text(&dir);
    let inspect = cluster.run(&["inspect", dir_arg]).await;
    inspect.success();
    assert!(inspect.stdout.contains("not revoked"), "{inspect:#?}");
    // The probe is an empty CSR the service refuses: nothing was signed by it.
    let requests = connector(&cluster).requests();
    let probe = requests.last().unwrap();
    assert_eq!(
        (probe.path.as_str(), probe.status),
        ("/v1/applications/certificates/renewals", 400),
        "{requests:?}"
    );
    assert!(
        !requests
            .iter()
            .any(|r| r.path.ends_with("/renewals") && r.status == 201)
    );

    let key = read(&dir, "client.key");
    let chain = read(&dir, "chain.crt");
    cluster.run(&["revoke", dir_arg, "--yes"]).await.success();
    let still = management_info_with(&cluster, &ca, &key, &chain).await;
    assert!(
        still.is_ok(),
        "upstream keeps answering management info: {still:?}"
    );
    let inspect = cluster.run(&["inspect", dir_arg, "-o", "json"]).await;
    inspect.failure(1, "the Connector Service says the certificate is revoked");
    assert_eq!(json(&inspect)["service"]["status"], "revoked");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_certificate_revoked_elsewhere_is_seen_and_cannot_be_renewed_in_both_modes() {
    for checks in [RevocationChecks::Everywhere, RevocationChecks::RenewalOnly] {
        let (cluster, _ca, dir) = connected(ConnectorConfig {
            revocation_checks: checks,
            ..ConnectorConfig::default()
        })
        .await;
        let dir_arg = text(&dir);
        // An operator revokes it (upstream: the revocations ConfigMap); DIR knows nothing.
        connector(&cluster)
            .revoke(&read(&dir, "client.crt"))
            .unwrap();
        let files = snapshot(&dir);
        let inspect = cluster.run(&["inspect", dir_arg, "-o", "json"]).await;
        inspect.failure(1, "says the certificate is revoked");
        assert_eq!(json(&inspect)["service"]["status"], "revoked", "{checks:?}");
        cluster
            .run(&["renew", dir_arg])
            .await
            .failure(1, "renewal is no longer possible")
            .failure(1, "--refresh");
        assert_eq!(snapshot(&dir), files, "{checks:?}: renew changed nothing");
        // revoke still retires the files.
        cluster.run(&["revoke", dir_arg, "--yes"]).await.success();
        assert!(
            entries(&dir).iter().all(|f| f.ends_with(".revoked")),
            "{checks:?}"
        );
    }
}

/// `revoke DIR` on a terminal (a pty from util-linux's `script`), answering `answer`.
async fn revoke_on_a_terminal(cluster: &TestCluster, dir: &Path, answer: &str) -> Run {
    let line = format!(
        "'{}' revoke '{}'",
        env!("CARGO_BIN_EXE_kubectl-tokenrequest"),
        text(dir)
    );
    let mut child = tokio::process::Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", cluster.dir.path())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("util-linux `script` runs the plugin on a terminal; install it (bsdutils)");
    let mut stdin = child.stdin.take().unwrap();
    tokio::io::AsyncWriteExt::write_all(&mut stdin, answer.as_bytes())
        .await
        .unwrap();
    // Open until the plugin is done: an early end of input could end `script` first.
    let run = finish(child).await;
    drop(stdin);
    run
}

#[tokio::test(flavor = "multi_thread")]
async fn revoke_asks_on_a_terminal_and_only_yes_revokes() {
    let (cluster, _ca, dir) = connected(ConnectorConfig::default()).await;
    let files = snapshot(&dir);
    let declined = revoke_on_a_terminal(&cluster, &dir, "n\n").await;
    assert_eq!(declined.code, 1, "{declined:#?}");
    // On a pty the prompt and the error come out of `script`'s stdout.
    assert!(
        declined
            .stdout
            .contains("Revoke the certificate of my-app (serial 02"),
        "{declined:#?}"
    );
    assert!(
        declined
            .stdout
            .contains("not revoked: the answer was not yes"),
        "{declined:#?}"
    );
    assert_eq!(snapshot(&dir), files);
    assert!(connector(&cluster).revoked().is_empty());

    let confirmed = revoke_on_a_terminal(&cluster, &dir, "y\n").await;
    assert_eq!(confirmed.code, 0, "{confirmed:#?}");
    assert!(
        confirmed.stdout.contains("now refuses it"),
        "{confirmed:#?}"
    );
    assert_eq!(connector(&cluster).revoked().len(), 1);
    assert!(entries(&dir).iter().all(|name| name.ends_with(".revoked")));
}
