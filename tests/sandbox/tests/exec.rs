//! `tokenrequest-sandbox exec -- COMMAND`, the built binary: COMMAND's exit status passes
//! through (128+N for signal N), COMMAND finds a working sandbox through its environment, the
//! sandbox's port is closed and its directory gone afterwards, SIGINT and SIGTERM to exec stop
//! COMMAND and the sandbox, serve's flags apply (users, Applications and the controller's
//! Deployment among them), and a missing command is a usage error.
//!
//! The plugin inside exec (`kubectl-tokenrequest connect`) is tested from the root package,
//! which has the plugin binary: `tests/sandbox_exec.rs`.

mod support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Empty};
use kube::api::{Api, DynamicObject, PostParams};
use kube::client::ConfigExt as _;
use support::{
    DUMP_AND_SLEEP, DUMP_AND_WAIT, KNOBS, KillOnDrop, PATIENCE, Scratch, assert_knobs_apply,
    kube_config, pem_certificates, sandbox_binary, tokenrequests,
};
use tokenrequest_sandbox::controller::token_request_resource;
use tokenrequest_sandbox::exec;

fn exec_status(args: &[&str]) -> (ExitStatus, String) {
    let output = sandbox_binary()
        .arg("exec")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("exec runs");
    (
        output.status,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `host:port` of an `http(s)://host:port` URL.
fn address(url: &str) -> String {
    url.split_once("://")
        .map(|(_, rest)| rest.trim_end_matches('/').to_owned())
        .expect("a URL with a scheme")
}

/// Nothing listens at the URL's address any more and the directory is gone.
fn assert_cleaned_up(environment: &HashMap<String, String>) {
    for variable in [exec::URL, exec::CONNECTOR_URL] {
        let address = address(&environment[variable]);
        assert!(
            std::net::TcpStream::connect(&address).is_err(),
            "{variable} {address} still accepts connections"
        );
    }
    let dir = Path::new(&environment[exec::DIR]);
    assert!(!dir.exists(), "{} was not removed", dir.display());
}

#[test]
fn the_exit_status_passes_through() {
    for (script, code) in [("exit 0", 0), ("exit 7", 7), ("kill -KILL $$", 128 + 9)] {
        let (status, stderr) = exec_status(&["--", "sh", "-c", script]);
        assert_eq!(status.code(), Some(code), "{script}: {status} {stderr}");
    }
}

#[test]
fn without_a_command_exec_is_a_usage_error() {
    for args in [&[][..], &["--"][..], &["--port", "0"][..]] {
        let (status, stderr) = exec_status(args);
        assert_eq!(status.code(), Some(2), "exec {args:?}: {stderr}");
        assert!(stderr.contains("COMMAND"), "exec {args:?}: {stderr}");
    }
}

#[test]
fn a_command_that_cannot_run_is_127() {
    let (status, stderr) = exec_status(&["--", "no-such-command-for-exec"]);
    assert_eq!(status.code(), Some(127), "{stderr}");
    assert!(
        stderr.contains("cannot run no-such-command-for-exec"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_gets_a_working_sandbox_which_is_gone_afterwards() {
    let scratch = Scratch::new();
    let mut exec = scratch.spawn(
        Path::new(env!("CARGO_BIN_EXE_tokenrequest-sandbox")),
        &[],
        DUMP_AND_WAIT,
    );
    let environment = scratch.environment().await;
    let dir = PathBuf::from(&environment[exec::DIR]);
    assert!(dir.is_dir());
    assert_eq!(
        Path::new(&environment[exec::KUBECONFIG]),
        dir.join("kubeconfig")
    );
    assert_eq!(Path::new(&environment[exec::CA]), dir.join("ca.crt"));
    assert_eq!(
        Path::new(&environment[exec::CONNECTOR_CA]),
        dir.join("connector-ca.crt")
    );
    let url = &environment[exec::URL];
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");

    // KUBECONFIG works, and the controller answers through the Connector Service.
    let kubeconfig = kube::config::Kubeconfig::read_from(&environment[exec::KUBECONFIG]).unwrap();
    assert_eq!(
        kubeconfig.clusters[0]
            .cluster
            .as_ref()
            .unwrap()
            .server
            .as_deref(),
        Some(url.as_str())
    );
    let api = tokenrequests(kube_config(Path::new(&environment[exec::KUBECONFIG])).await);
    let object = DynamicObject::new("exec-app", &token_request_resource());
    api.create(&PostParams::default(), &object).await.unwrap();
    let info_url = tokio::time::timeout(PATIENCE, async {
        loop {
            let object = api.get("exec-app").await.unwrap();
            if let Some(url) = object.data.pointer("/status/url").and_then(|u| u.as_str()) {
                return url.to_owned();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("a status within the timeout");
    let connector_url = &environment[exec::CONNECTOR_URL];
    assert!(info_url.starts_with(connector_url.as_str()), "{info_url}");

    // The CA files are what a client needs to trust each server.
    let mut api_config = kube::Config::new(url.parse().unwrap());
    api_config.root_cert = Some(pem_certificates(&environment[exec::CA]));
    api_config.auth_info.token = Some("sandbox-admin-token".to_owned().into());
    Api::<DynamicObject>::default_namespaced_with(
        kube::Client::try_from(api_config).unwrap(),
        &token_request_resource(),
    )
    .get("exec-app")
    .await
    .unwrap();
    let mut connector = kube::Config::new(connector_url.parse().unwrap());
    connector.root_cert = Some(pem_certificates(&environment[exec::CONNECTOR_CA]));
    let https = connector.rustls_https_connector().unwrap();
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build::<_, Empty<Bytes>>(https);
    let info = client.get(info_url.parse().unwrap()).await.unwrap();
    assert_eq!(info.status(), 200);
    let body = info.into_body().collect().await.unwrap().to_bytes();
    assert!(String::from_utf8_lossy(&body).contains("csrUrl"));

    std::fs::write(scratch.stop(), "").unwrap();
    let status = exec.exit().await;
    assert_eq!(status.code(), Some(0), "{status}");
    assert_cleaned_up(&environment);
}

#[tokio::test]
async fn sigint_and_sigterm_stop_the_command_and_the_sandbox() {
    for (signal, number) in [("INT", 2), ("TERM", 15)] {
        let scratch = Scratch::new();
        let mut exec = scratch.spawn(
            Path::new(env!("CARGO_BIN_EXE_tokenrequest-sandbox")),
            &[],
            DUMP_AND_SLEEP,
        );
        let environment = scratch.environment().await;
        let command = std::fs::read_to_string(scratch.dir.path().join("env.pid")).unwrap();
        exec.signal(signal);
        let status = exec.exit().await;
        assert_eq!(status.code(), Some(128 + number), "SIG{signal}: {status}");
        let alive = Command::new("kill")
            .args(["-0", command.trim()])
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(!alive.success(), "SIG{signal}: the command still runs");
        assert_cleaned_up(&environment);
    }
}

#[tokio::test]
async fn serve_flags_apply_and_nothing_leaks_in_from_outside() {
    let scratch = Scratch::new();
    let mut exec = KillOnDrop(
        sandbox_binary()
            .args(["exec", "--http", "--no-connector", "--namespace", "team-a"])
            .args(["--", "sh", "-c", DUMP_AND_WAIT])
            .env("OUT", scratch.out())
            .env("STOP", scratch.stop())
            // As if run inside another exec: these must not reach COMMAND.
            .env(exec::CA, "/outer/ca.crt")
            .env(exec::CONNECTOR_CA, "/outer/connector-ca.crt")
            .stdin(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let environment = scratch.environment().await;
    assert!(
        environment[exec::URL].starts_with("http://127.0.0.1:"),
        "{environment:?}"
    );
    for variable in [exec::CA, exec::CONNECTOR_CA, exec::CONNECTOR_URL] {
        assert!(!environment.contains_key(variable), "{variable} is set");
    }
    let kubeconfig = std::fs::read_to_string(&environment[exec::KUBECONFIG]).unwrap();
    assert!(kubeconfig.contains("namespace: team-a"), "{kubeconfig}");
    std::fs::write(scratch.stop(), "").unwrap();
    assert!(exec.exit().await.success());
    assert!(!Path::new(&environment[exec::DIR]).exists());
}

#[tokio::test]
async fn exec_takes_serves_users_applications_and_controller_deployment() {
    let scratch = Scratch::new();
    let binary = Path::new(env!("CARGO_BIN_EXE_tokenrequest-sandbox"));
    let mut exec = scratch.spawn(binary, &KNOBS, DUMP_AND_WAIT);
    let environment = scratch.environment().await;
    assert_knobs_apply(Path::new(&environment[exec::KUBECONFIG])).await;
    std::fs::write(scratch.stop(), "").unwrap();
    assert!(exec.exit().await.success());

    // A --user that names a user who exists already: the sandbox cannot start, COMMAND never
    // runs.
    let (status, stderr) = exec_status(&["--user", "admin=get", "--", "sh", "-c", "exit 0"]);
    assert_eq!(status.code(), Some(exec::FAILED), "{stderr}");
    assert!(
        stderr.contains("--user admin: a user of that name exists already"),
        "{stderr}"
    );
}

#[tokio::test]
async fn a_plugin_beside_the_binary_goes_first_on_path() {
    // A copy of the binary (hard-linked where possible) in a directory of its own, once with a
    // stand-in plugin beside it and once without.
    let install = tempfile::tempdir().unwrap();
    let binary = install.path().join("tokenrequest-sandbox");
    let original = Path::new(env!("CARGO_BIN_EXE_tokenrequest-sandbox"));
    if std::fs::hard_link(original, &binary).is_err() {
        std::fs::copy(original, &binary).unwrap();
    }
    let outer_path = std::env::var("PATH").unwrap();

    let scratch = Scratch::new();
    let mut exec = scratch.spawn(&binary, &["--no-connector"], DUMP_AND_WAIT);
    let environment = scratch.environment().await;
    assert_eq!(environment["PATH"], outer_path, "no plugin: PATH as it was");
    std::fs::write(scratch.stop(), "").unwrap();
    assert!(exec.exit().await.success());

    let plugin = install.path().join("kubectl-tokenrequest");
    std::fs::write(&plugin, "#!/bin/sh\necho stand-in plugin\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&plugin, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let scratch = Scratch::new();
    let script = format!(r#"kubectl-tokenrequest > "$OUT.plugin" && {DUMP_AND_WAIT}"#);
    let mut exec = scratch.spawn(&binary, &["--no-connector"], &script);
    let environment = scratch.environment().await;
    let first = std::env::split_paths(&environment["PATH"]).next().unwrap();
    assert_eq!(first, install.path());
    assert_eq!(
        environment["PATH"],
        format!("{}:{outer_path}", install.path().display())
    );
    assert_eq!(
        std::fs::read_to_string(scratch.dir.path().join("env.plugin")).unwrap(),
        "stand-in plugin\n"
    );
    std::fs::write(scratch.stop(), "").unwrap();
    assert!(exec.exit().await.success());
}
