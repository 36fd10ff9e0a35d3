//! Every way a kubeconfig authenticates and connects, against the https sandbox: bearer token
//! (the other tests), token file, client certificates inline and as files relative to the
//! kubeconfig's folder, the CA as a relative path, `tls-server-name`, a wrong CA, insecure
//! skipping, exec credential plugins, and a `KUBECONFIG` list with the cluster in one file and
//! the user in another.

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::harness::{Run, TestCluster, cluster, finish, plugin_command};

fn url(cluster: &TestCluster) -> String {
    let url = cluster.sandbox.url();
    assert!(
        url.starts_with("https://"),
        "the sandbox serves https: {url}"
    );
    url
}

/// A kubeconfig with one cluster entry, one user entry and a context joining them.
fn kubeconfig(cluster_entry: Value, user_entry: Value) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "c", "cluster": cluster_entry}],
        "users": [{"name": "u", "user": user_entry}],
        "contexts": [{"name": "x", "context": {"cluster": "c", "user": "u", "namespace": "default"}}],
        "current-context": "x",
    })
}

fn write(dir: &Path, name: &str, value: &Value) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, serde_saphyr::to_string(value).unwrap()).unwrap();
    path
}

fn base64(text: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// `list -o name` with this kubeconfig (by `--kubeconfig` or, with `None`, by `env`), run
/// from `cwd`.
async fn list(
    kubeconfig: Option<&Path>,
    env: &[(&str, String)],
    cwd: &Path,
    extra: &[&str],
) -> Run {
    let mut command = plugin_command(cwd, &["list", "-o", "name"]);
    command.args(extra);
    if let Some(kubeconfig) = kubeconfig {
        command.arg("--kubeconfig").arg(kubeconfig);
    }
    command
        .current_dir(cwd)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())));
    finish(command.spawn().unwrap()).await
}

#[track_caller]
fn listed(run: &Run) {
    run.success();
    assert!(run.stdout.contains("/seen"), "{run:#?}");
}

async fn seeded() -> TestCluster {
    let cluster = cluster().await;
    cluster.seed("default", "seen").await;
    cluster
}

#[tokio::test(flavor = "multi_thread")]
async fn client_certificates_inline_and_as_files_relative_to_the_kubeconfig() {
    let cluster = seeded().await;
    let server = url(&cluster);
    let ca = cluster.sandbox.ca_pem().unwrap();
    let identity = cluster
        .sandbox
        .client_identity("certuser")
        .expect("certuser");
    let elsewhere = tempfile::tempdir().unwrap();

    let inline = kubeconfig(
        json!({"server": server, "certificate-authority-data": base64(&ca)}),
        json!({"client-certificate-data": base64(&identity.certificate_pem),
               "client-key-data": base64(&identity.key_pem)}),
    );
    let path = write(&cluster.dir.path().join("inline"), "config", &inline);
    listed(&list(Some(&path), &[], elsewhere.path(), &[]).await);

    // Files next to the kubeconfig, named relative to its folder; the plugin runs elsewhere.
    let folder = cluster.dir.path().join("files");
    std::fs::create_dir_all(folder.join("pki")).unwrap();
    std::fs::write(folder.join("pki/ca.crt"), &ca).unwrap();
    std::fs::write(folder.join("pki/client.crt"), &identity.certificate_pem).unwrap();
    std::fs::write(folder.join("pki/client.key"), &identity.key_pem).unwrap();
    let files = kubeconfig(
        json!({"server": server, "certificate-authority": "pki/ca.crt"}),
        json!({"client-certificate": "pki/client.crt", "client-key": "pki/client.key"}),
    );
    let path = write(&folder, "config", &files);
    listed(&list(Some(&path), &[], elsewhere.path(), &[]).await);
    // The sandbox took the request for certuser's, not anyone's.
    let users: Vec<String> = cluster
        .sandbox
        .server()
        .requests()
        .iter()
        .map(|r| r.user.clone())
        .collect();
    assert!(users.iter().any(|u| u == "certuser"), "{users:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn token_files_tls_server_name_and_insecure_skipping() {
    let cluster = seeded().await;
    let server = url(&cluster);
    let ca = cluster.sandbox.ca_pem().unwrap();
    let folder = cluster.dir.path().join("token-file");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("token"), "sandbox-admin-token\n").unwrap();
    std::fs::write(folder.join("ca.crt"), &ca).unwrap();
    let token_file = kubeconfig(
        json!({"server": server, "certificate-authority": "ca.crt"}),
        json!({"tokenFile": "token"}),
    );
    let path = write(&folder, "config", &token_file);
    listed(&list(Some(&path), &[], cluster.dir.path(), &[]).await);

    // tls-server-name decides which name the server's certificate is checked for: a name it
    // does not carry fails, `localhost` (which it carries) works.
    let with_name = |name: &str| {
        let entry = json!({"server": server, "certificate-authority-data": base64(&ca),
                           "tls-server-name": name});
        kubeconfig(entry, json!({"token": "sandbox-admin-token"}))
    };
    let wrong_name = write(
        &cluster.dir.path().join("sni"),
        "wrong",
        &with_name("wrong.example"),
    );
    list(
        Some(&wrong_name),
        &[],
        cluster.dir.path(),
        &["--request-timeout", "5s"],
    )
    .await
    .failure(1, "the TLS handshake failed")
    .failure(1, "certificate");
    let right_name = write(
        &cluster.dir.path().join("sni"),
        "right",
        &with_name("localhost"),
    );
    listed(&list(Some(&right_name), &[], cluster.dir.path(), &[]).await);

    // No CA at all: the system's CAs do not know the sandbox; skipping the check works, in
    // the kubeconfig and as the flag.
    let unknown = kubeconfig(
        json!({"server": server}),
        json!({"token": "sandbox-admin-token"}),
    );
    let path = write(&cluster.dir.path().join("insecure"), "none", &unknown);
    list(Some(&path), &[], cluster.dir.path(), &[])
        .await
        .failure(1, "the TLS handshake failed");
    listed(
        &list(
            Some(&path),
            &[],
            cluster.dir.path(),
            &["--insecure-skip-tls-verify"],
        )
        .await,
    );
    let insecure = kubeconfig(
        json!({"server": server, "insecure-skip-tls-verify": true}),
        json!({"token": "sandbox-admin-token"}),
    );
    let path = write(
        &cluster.dir.path().join("insecure"),
        "kubeconfig",
        &insecure,
    );
    listed(&list(Some(&path), &[], cluster.dir.path(), &[]).await);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_ca_fails_naming_the_certificate_and_sends_no_token() {
    // No controller: the only requests the server sees are the plugin's.
    let cluster = crate::harness::Setup::mode(tokenrequest_sandbox::ControllerMode::Off)
        .start()
        .await;
    cluster.seed("default", "seen").await;
    let server = url(&cluster);
    // Another sandbox's CA: a valid CA, just not this server's.
    let other = crate::harness::Setup::default().start().await;
    let wrong = other.sandbox.ca_pem().unwrap();
    let config = kubeconfig(
        json!({"server": server, "certificate-authority-data": base64(&wrong)}),
        json!({"token": "sandbox-admin-token"}),
    );
    let path = write(&cluster.dir.path().join("wrong-ca"), "config", &config);
    let before = cluster.sandbox.server().requests().len();
    let run = list(Some(&path), &[], cluster.dir.path(), &[]).await;
    run.failure(1, "cannot reach the API server 127.0.0.1:")
        .failure(1, "the TLS handshake failed")
        .failure(1, "certificate");
    assert!(!run.stderr.contains("sandbox-admin-token"));
    assert_eq!(
        cluster.sandbox.server().requests().len(),
        before,
        "no request (and so no token) reached the server"
    );
}

/// A credential plugin script: checks that `SANDBOX_USER` reached it, prints an
/// ExecCredential of `api_version` with that user's token.
fn exec_plugin(dir: &Path, name: &str, api_version: &str, fail: bool) -> PathBuf {
    let path = dir.join(name);
    let body = if fail {
        "echo 'your session expired: run login-tool again' >&2; exit 3".to_string()
    } else {
        format!(
            "[ \"$SANDBOX_USER\" = admin ] || {{ echo \"no SANDBOX_USER\" >&2; exit 4; }}\n\
             printf '{{\"apiVersion\":\"{api_version}\",\"kind\":\"ExecCredential\",\"status\":{{\"token\":\"sandbox-%s-token\"}}}}' \"$SANDBOX_USER\""
        )
    };
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread")]
async fn exec_credential_plugins_of_both_api_versions_and_a_failing_one() {
    let cluster = seeded().await;
    let server = url(&cluster);
    let ca = cluster.sandbox.ca_pem().unwrap();
    let dir = cluster.dir.path().join("exec");
    std::fs::create_dir_all(&dir).unwrap();
    for api_version in [
        "client.authentication.k8s.io/v1",
        "client.authentication.k8s.io/v1beta1",
    ] {
        let plugin = exec_plugin(
            &dir,
            &format!("plugin-{}", api_version.rsplit('/').next().unwrap()),
            api_version,
            false,
        );
        let config = kubeconfig(
            json!({"server": server, "certificate-authority-data": base64(&ca)}),
            json!({"exec": {"apiVersion": api_version, "command": plugin,
                            "env": [{"name": "SANDBOX_USER", "value": "admin"}],
                            "interactiveMode": "Never"}}),
        );
        let path = write(
            &dir,
            &format!("{}.yaml", api_version.rsplit('/').next().unwrap()),
            &config,
        );
        listed(&list(Some(&path), &[], cluster.dir.path(), &[]).await);
    }
    let failing = exec_plugin(&dir, "failing", "client.authentication.k8s.io/v1", true);
    let config = kubeconfig(
        json!({"server": server, "certificate-authority-data": base64(&ca)}),
        json!({"exec": {"apiVersion": "client.authentication.k8s.io/v1",
                        "command": failing, "interactiveMode": "Never"}}),
    );
    let path = write(&dir, "failing.yaml", &config);
    list(Some(&path), &[], cluster.dir.path(), &[])
        .await
        .failure(1, "credential plugin")
        .failure(1, "your session expired: run login-tool again");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kubeconfig_list_with_the_cluster_in_one_file_and_the_user_in_another() {
    let cluster = seeded().await;
    let server = url(&cluster);
    let ca = cluster.sandbox.ca_pem().unwrap();
    let dir = cluster.dir.path().join("merged");
    let clusters = json!({
        "apiVersion": "v1", "kind": "Config",
        "clusters": [{"name": "c", "cluster": {"server": server, "certificate-authority-data": base64(&ca)}}],
        "contexts": [{"name": "x", "context": {"cluster": "c", "user": "u", "namespace": "default"}}],
        "current-context": "x",
    });
    let users = json!({
        "apiVersion": "v1", "kind": "Config",
        "users": [{"name": "u", "user": {"token": "sandbox-admin-token"}}],
    });
    let first = write(&dir, "clusters", &clusters);
    let second = write(&dir, "users", &users);
    let listed_files = format!(
        "{}:{}:{}",
        dir.join("absent").display(),
        first.display(),
        second.display()
    );
    listed(
        &list(
            None,
            &[("KUBECONFIG", listed_files)],
            cluster.dir.path(),
            &[],
        )
        .await,
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn no_credentials_go_to_a_plain_http_server_as_with_kubectl() {
    use tokenrequest_sandbox::{Sandbox, SandboxConfig, ServerConfig};
    let sandbox = Sandbox::start(SandboxConfig {
        server: ServerConfig {
            https: false,
            ..ServerConfig::default()
        },
        // No controller: nothing else talks to the server.
        controller: tokenrequest_sandbox::ControllerConfig {
            mode: tokenrequest_sandbox::ControllerMode::Off,
            ..Default::default()
        },
        ..SandboxConfig::default()
    })
    .await
    .expect("start an http sandbox");
    let cluster = TestCluster::around(sandbox);
    let server = cluster.sandbox.url();
    assert!(server.starts_with("http://"), "{server}");
    let before = cluster.sandbox.server().authorization_headers_seen();
    // The sandbox's own kubeconfig carries a bearer token for its http address.
    let run = cluster.run(&["list", "-v=8"]).await;
    run.failure(1, "listing TokenRequests in namespace default")
        .failure(
            1,
            "the server is plain http://, so the kubeconfig's credentials were not sent",
        );
    assert!(!run.stderr.contains("sandbox-admin-token"), "{run:#?}");
    // Basic credentials and an exec plugin (which is not even run) are withheld too.
    let dir = cluster.dir.path().join("http");
    let plugin = exec_plugin(
        &dir_created(&dir),
        "plugin",
        "client.authentication.k8s.io/v1",
        false,
    );
    for user in [
        json!({"username": "admin", "password": "secret"}),
        json!({"exec": {"apiVersion": "client.authentication.k8s.io/v1", "command": plugin,
                        "env": [{"name": "SANDBOX_USER", "value": "admin"}],
                        "interactiveMode": "Never"}}),
    ] {
        let path = write(&dir, "config", &kubeconfig(json!({"server": server}), user));
        list(Some(&path), &[], cluster.dir.path(), &[])
            .await
            .failure(1, "credentials were not sent");
    }
    assert_eq!(
        cluster.sandbox.server().authorization_headers_seen(),
        before,
        "no Authorization header reached the server"
    );
    // kubectl does the same: a 401 without having sent the token.
    let kubectl = cluster.kubectl(&["get", "tokenrequests", "-v=8"]).await;
    assert_ne!(kubectl.code, 0, "{kubectl:#?}");
    assert!(
        kubectl.stderr.contains("You must be logged in"),
        "{kubectl:#?}"
    );
    assert_eq!(
        cluster.sandbox.server().authorization_headers_seen(),
        before
    );
    // The same kubeconfig over https does send its token (the count can move).
    let https = crate::harness::cluster().await;
    let before = https.sandbox.server().authorization_headers_seen();
    https.run(&["list"]).await.success();
    assert!(https.sandbox.server().authorization_headers_seen() > before);
}

fn dir_created(dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    dir.to_path_buf()
}
