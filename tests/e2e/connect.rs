//! `connect` and `-o config` against the sandbox's Connector Service: the files work, the key is
//! private, used and expired tokens, a refused CSR, an untrusted CA, and no half-written file
//! after a failure.

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};

use kubectl_tokenrequest::connector::{
    CallLimits, ConnectorClient, ConnectorError, TlsOptions, generate_key_and_csr,
};
use kubectl_tokenrequest::error::Error;
use rustls::pki_types::PrivateKeyDer;
use rustls::pki_types::pem::PemObject as _;
use tokenrequest_sandbox::ConnectorConfig;

use crate::harness::{Run, Setup, TestCluster, assert_no_secret, token_of};

pub(crate) const APP: &str = "my-app";
pub(crate) const FILES: [&str; 5] = [
    "ca.crt",
    "chain.crt",
    "client.crt",
    "client.key",
    "connection.yaml",
];

pub(crate) async fn with_connector(config: ConnectorConfig) -> (TestCluster, PathBuf) {
    let cluster = Setup {
        connector: Some(config),
        ..Setup::default()
    }
    .start()
    .await;
    let ca = cluster.dir.path().join("connector-ca.crt");
    connector(&cluster).write_ca(&ca).expect("write the CA");
    (cluster, ca)
}

pub(crate) fn connector(cluster: &TestCluster) -> &tokenrequest_sandbox::ConnectorHandle {
    cluster.sandbox.connector().expect("the connector runs")
}

/// `connect APP --out-dir DIR --certificate-authority CA` plus `extra`.
pub(crate) async fn connect(
    cluster: &TestCluster,
    ca: &Path,
    out_dir: &Path,
    extra: &[&str],
) -> Run {
    let mut args = vec![
        "connect",
        APP,
        "--out-dir",
        out_dir.to_str().unwrap(),
        "--certificate-authority",
        ca.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    cluster.run(&args).await
}

/// File names in `dir` (empty if it does not exist), temp files included.
pub(crate) fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|entry| entry.unwrap().file_name().into_string().unwrap())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[track_caller]
fn assert_nothing_written(dir: &Path) {
    assert_eq!(entries(dir), Vec::<String>::new(), "{}", dir.display());
}

/// The token the controller issued for APP, and a check that no run leaked it.
pub(crate) async fn no_leak(cluster: &TestCluster, runs: &[&Run]) {
    let token = token_of(cluster, "default", APP).await;
    for run in runs {
        assert_no_secret(run, &token);
        assert!(!run.stdout.contains(&token), "token on stdout: {run:#?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn connect_writes_files_that_work() {
    let (cluster, ca) = with_connector(ConnectorConfig::default()).await;
    let out = cluster.dir.path().join("out");
    let run = connect(&cluster, &ca, &out, &[]).await;
    run.success();
    assert!(
        run.stdout
            .contains("knows the new certificate as application my-app"),
        "{run:#?}"
    );
    no_leak(&cluster, &[&run]).await;
    assert_eq!(entries(&out), FILES, "exactly the five files, no temp file");

    let key_mode = std::fs::metadata(out.join("client.key"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(key_mode & 0o777, 0o600);
    let dir_mode = std::fs::metadata(&out).unwrap().permissions().mode();
    assert_eq!(dir_mode & 0o777, 0o700);

    let read = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();
    let chain = read("chain.crt");
    assert_eq!(chain, format!("{}{}", read("client.crt"), read("ca.crt")));
    assert_eq!(read("ca.crt"), connector(&cluster).ca_pem());
    let config: serde_json::Value = serde_saphyr::from_str(&read("connection.yaml")).unwrap();
    let base = connector(&cluster).url();
    assert_eq!(config["application"], APP);
    assert_eq!(
        config["api"]["infoUrl"],
        format!("{base}/v1/applications/management/info")
    );
    assert_eq!(
        config["api"]["metadataUrl"],
        format!("{base}/{APP}/v1/metadata/services")
    );
    assert_eq!(
        config["files"]["privateKey"],
        out.join("client.key").to_str().unwrap()
    );
    assert_eq!(
        config["certificate"]["subject"],
        "O=Organization,OU=OrgUnit,L=Waldorf,ST=Waldorf,C=DE,CN=my-app"
    );

    // The files on their own: mTLS with the written key and chain answers for my-app.
    let key = PrivateKeyDer::from_pem_slice(read("client.key").as_bytes()).unwrap();
    let tls = TlsOptions {
        certificate_authority: Some(ca.clone()),
        insecure_skip_verify: false,
    };
    let client =
        ConnectorClient::with_identity(&tls, &chain, key, CallLimits::per_call_default()).unwrap();
    let info = client
        .management_info(config["api"]["infoUrl"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(info.client_identity.application.as_deref(), Some(APP));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_connect_needs_refresh_and_existing_files_need_force() {
    let (cluster, ca) = with_connector(ConnectorConfig::default()).await;
    let first = cluster.dir.path().join("first");
    connect(&cluster, &ca, &first, &[]).await.success();
    let first_key = std::fs::read(first.join("client.key")).unwrap();

    // The request's token was used by the first connect.
    let second = cluster.dir.path().join("second");
    let run = connect(&cluster, &ca, &second, &[]).await;
    run.failure(1, "already used or has expired")
        .failure(1, "403 \"Invalid token.\"")
        .failure(1, "--refresh");
    no_leak(&cluster, &[&run]).await;
    assert_nothing_written(&second);

    // Existing files are refused before any token is spent.
    let run = connect(&cluster, &ca, &first, &["--refresh"]).await;
    run.failure(1, "pass --force");
    assert_eq!(std::fs::read(first.join("client.key")).unwrap(), first_key);

    let run = connect(&cluster, &ca, &first, &["--refresh", "--force"]).await;
    run.success();
    assert_ne!(std::fs::read(first.join("client.key")).unwrap(), first_key);
    assert_eq!(entries(&first), FILES);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_token_is_reported() {
    let (cluster, ca) = with_connector(ConnectorConfig::default()).await;
    cluster.run(&["create", APP, "-o", "name"]).await.success();
    // The token's lifetime runs out, without waiting for it.
    connector(&cluster).expire_tokens();
    let out = cluster.dir.path().join("out");
    let run = connect(&cluster, &ca, &out, &[]).await;
    run.failure(1, "already used or has expired")
        .failure(1, "--refresh");
    assert_nothing_written(&out);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_untrusted_ca_fails_clearly_and_certificate_authority_fixes_it() {
    let (cluster, ca) = with_connector(ConnectorConfig::default()).await;
    let out = cluster.dir.path().join("out");
    let run = cluster
        .run(&["connect", APP, "--out-dir", out.to_str().unwrap()])
        .await;
    let host = connector(&cluster).url().replace("https://", "");
    run.failure(1, &format!("TLS with {host} failed"))
        .failure(1, "--certificate-authority FILE");
    no_leak(&cluster, &[&run]).await;
    assert_nothing_written(&out);

    // The handshake failed before the token was sent, so it still works.
    connect(&cluster, &ca, &out, &[]).await.success();
    assert_eq!(entries(&out), FILES);

    let unchecked = cluster.dir.path().join("unchecked");
    cluster
        .run(&[
            "connect",
            APP,
            "--refresh",
            "--insecure-skip-tls-verify-connector",
            "--out-dir",
            unchecked.to_str().unwrap(),
        ])
        .await
        .success();
    assert_eq!(entries(&unchecked), FILES);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_csr_with_the_wrong_subject_is_refused_with_400() {
    let (cluster, ca) = with_connector(ConnectorConfig::default()).await;
    let (_, info_url) = connector(&cluster).issue_token(APP).unwrap();
    let tls = TlsOptions {
        certificate_authority: Some(ca),
        insecure_skip_verify: false,
    };
    let client = ConnectorClient::new(&tls, CallLimits::per_call_default()).unwrap();
    let info = client.info(&info_url).await.unwrap();
    let wrong = info
        .certificate
        .subject
        .replace("CN=my-app", "CN=other-app");
    let request = tokio::task::spawn_blocking(move || generate_key_and_csr(&wrong))
        .await
        .unwrap()
        .unwrap();
    let error = client
        .request_certificate(&info.csr_url, &request)
        .await
        .expect_err("the service refuses the CSR");
    match &error {
        ConnectorError::CsrRefused {
            message, subject, ..
        } => {
            assert_eq!(message, "\"CSR: Invalid common name provided.\"");
            assert!(subject.ends_with("CN=other-app"), "{subject}");
        }
        other => panic!("expected CsrRefused, got {other:?}"),
    }
    let shown = Error::connector("requesting the client certificate", error, "").to_string();
    assert!(
        shown.contains("400 \"CSR: Invalid common name provided.\"")
            && shown.contains("the subject sent was O=Organization,OU=OrgUnit")
            && shown.contains("CN=other-app"),
        "{shown}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn output_config_prints_the_configuration_and_uses_the_token_up() {
    let (cluster, ca) = with_connector(ConnectorConfig::default()).await;
    let ca = ca.to_str().unwrap();
    let run = cluster
        .run(&["create", APP, "-o", "config", "--certificate-authority", ca])
        .await;
    run.success();
    assert!(run.stderr.contains("used up the token"), "{run:#?}");
    no_leak(&cluster, &[]).await;
    assert_no_secret(&run, &token_of(&cluster, "default", APP).await);
    let config: serde_json::Value = serde_saphyr::from_str(&run.stdout).unwrap();
    let base = connector(&cluster).url();
    assert!(
        config["csrUrl"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{base}/v1/applications/certificates?token=")),
        "{config}"
    );
    assert_eq!(
        config["api"]["certificatesUrl"],
        format!("{base}/v1/applications/certificates")
    );
    assert_eq!(config["certificate"]["key-algorithm"], "rsa2048");

    // The same request again: its token is gone.
    let again = cluster
        .run(&[
            "get",
            APP,
            "-o",
            "config-json",
            "--certificate-authority",
            ca,
        ])
        .await;
    again
        .failure(1, "already used or has expired")
        .failure(1, "--refresh -o config");
    assert!(again.stdout.is_empty(), "{again:#?}");

    let json = cluster
        .run(&[
            "create",
            APP,
            "--refresh",
            "-o",
            "config-json",
            "--certificate-authority",
            ca,
        ])
        .await;
    json.success();
    let config: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(config["certificate"]["extensions"], "");

    cluster
        .run(&["create", "other", "-o", "config", "--no-wait"])
        .await
        .failure(2, "-o config");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_refresh_advice_is_a_command_that_works_as_given() {
    let (cluster, ca) = with_connector(ConnectorConfig::default()).await;
    cluster.run(&["create", APP, "-o", "url"]).await.success();
    // Someone used the token (the default view's URL, or a curl): connect gets 403.
    let url = cluster
        .run(&["get", APP, "-o", "url"])
        .await
        .stdout
        .trim()
        .to_string();
    let tls = TlsOptions {
        certificate_authority: Some(ca.clone()),
        insecure_skip_verify: false,
    };
    let client = ConnectorClient::new(&tls, CallLimits::per_call_default()).unwrap();
    client.info(&url).await.expect("the token is spent here");
    let out = cluster.dir.path().join("with space");
    let run = connect(&cluster, &ca, &out, &[]).await;
    run.failure(1, "already used or has expired");
    let advice = run
        .stderr
        .split("Request a fresh one with: ")
        .nth(1)
        .and_then(|rest| rest.lines().next())
        .unwrap_or_else(|| panic!("advice: {run:#?}"))
        .to_string();
    assert!(advice.contains("--out-dir"), "{advice}");
    assert!(advice.contains("--certificate-authority"), "{advice}");
    // Followed exactly as written (with the same kubeconfig), it connects.
    let mut command = tokio::process::Command::new("bash");
    command
        .arg("-c")
        .arg(format!(
            "PATH=\"$(dirname \"$PLUGIN\"):$PATH\"; kubectl() {{ \"$PLUGIN\" \"${{@:2}}\"; }}; {advice} --kubeconfig \"$K\""
        ))
        .env("PLUGIN", env!("CARGO_BIN_EXE_kubectl-tokenrequest"))
        .env("K", &cluster.kubeconfig)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    crate::harness::finish(command.spawn().unwrap())
        .await
        .success();
    assert_eq!(entries(&out), FILES);
}
