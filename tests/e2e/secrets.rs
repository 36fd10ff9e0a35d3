//! Every command at the highest verbosity (`-v=9`: kube's trace output) against the sandbox:
//! stderr shows the requests, but never a token or a URL that carries one.

use serde_json::json;
use tokenrequest_sandbox::ConnectorConfig;

use crate::harness::{Run, Setup, TestCluster, token_of};
use crate::streams::{Running, Stream, WATCH_OPEN};

/// The status URL of a ready request (it carries the token).
async fn url_of(cluster: &TestCluster, name: &str) -> String {
    let request = cluster.api("default").get(name).await.unwrap();
    request.status.and_then(|s| s.url).expect("a URL")
}

#[track_caller]
fn assert_clean(run: &Run, secrets: &[String]) {
    for secret in secrets {
        assert!(!secret.is_empty());
        assert!(
            !run.stderr.contains(secret.as_str()),
            "{secret:?} leaked into stderr:\n{}",
            run.stderr
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn no_command_logs_a_token_at_the_highest_verbosity() {
    let cluster = Setup {
        connector: Some(ConnectorConfig::default()),
        ..Setup::default()
    }
    .start()
    .await;
    let mut runs = Vec::new();
    for output in [
        "",
        "url",
        "token",
        "env",
        "json",
        "yaml",
        "jsonpath={.status.url}",
    ] {
        let name = format!("app-{}", runs.len());
        let mut args = vec!["create", name.as_str(), "-v=9"];
        if !output.is_empty() {
            args.extend(["-o", output]);
        }
        let run = cluster.run(&args).await;
        run.success();
        runs.push(run);
    }
    let created: Vec<String> = (0..runs.len()).map(|i| format!("app-{i}")).collect();
    assert!(
        runs[0].stderr.contains("HTTP") && runs[0].stderr.lines().count() > 5,
        "-v=9 should show kube's requests: {}",
        runs[0].stderr
    );
    // `--refresh` deletes and creates again.
    let refreshed = cluster
        .run(&["create", "app-0", "--refresh", "--v=9"])
        .await;
    refreshed.success();
    runs.push(refreshed);

    for args in [
        vec!["get", "app-1", "-v=9"],
        vec!["get", "app-1", "-o", "yaml", "-v=9"],
        vec!["get", "app-1", "--wait", "-o", "json", "-v=9"],
        vec!["list", "-v=9"],
        vec!["list", "-o", "wide", "-A", "-v=9"],
        vec!["list", "-o", "json", "-v=9"],
        vec!["cleanup", "--dry-run", "--errored", "-v=9"],
        vec!["delete", "app-2", "-v=9"],
    ] {
        let run = cluster.run(&args).await;
        run.success();
        runs.push(run);
    }

    // list -w until stopped, once its watch has shown a change.
    let mut running = Running::spawn(cluster.command(&["list", "-w", "-v=9"]));
    running.wait_for(Stream::Stderr, WATCH_OPEN).await;
    cluster.seed("default", "seen-by-watch").await;
    running.wait_for(Stream::Stdout, &["seen-by-watch"]).await;
    running.signal("INT");
    runs.push(running.finish().await);

    // connect: a token exchanged for a certificate.
    let ca = cluster.dir.path().join("connector-ca.crt");
    cluster.sandbox.connector().unwrap().write_ca(&ca).unwrap();
    let out = cluster.dir.path().join("out");
    let run = cluster
        .run(&[
            "connect",
            "conn-app",
            "--out-dir",
            out.to_str().unwrap(),
            "--certificate-authority",
            ca.to_str().unwrap(),
            "-v=9",
        ])
        .await;
    run.success();
    runs.push(run);

    let mut secrets = Vec::new();
    for name in created
        .iter()
        .filter(|n| *n != "app-2")
        .chain(["conn-app".to_string()].iter())
    {
        secrets.push(token_of(&cluster, "default", name).await);
        secrets.push(url_of(&cluster, name).await);
    }
    for run in &runs {
        assert_clean(run, &secrets);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_undecodable_object_is_logged_redacted() {
    // kube logs the whole body of an answer it cannot decode (at warn); this one carries a
    // token next to a field of the wrong type (a string generation).
    let cluster = Setup::default().start().await;
    let token = "S3cr3t-t0ken-of-a-malformed-object==";
    let url = format!("https://connector-service.example.com/v1/info?token={token}");
    cluster
        .sandbox
        .server()
        .store()
        .create(json!({
            "apiVersion": "applicationconnector.kyma-project.io/v1alpha1",
            "kind": "TokenRequest",
            "metadata": {"name": "odd", "namespace": "default", "uid": "uid-odd",
                         "creationTimestamp": "2026-01-01T00:00:00Z", "generation": "first"},
            "status": {"token": token, "url": url, "state": "OK",
                       "expireAfter": "2099-01-01T00:05:00Z"},
        }))
        .unwrap();
    for args in [
        vec!["get", "odd", "-v=9"],
        vec!["get", "odd", "-v=1"],
        vec!["list", "-v=9"],
        vec!["delete", "odd", "--dry-run=server", "-v=9"],
    ] {
        let run = cluster.run(&args).await;
        assert_clean(&run, &[token.to_string(), url.clone()]);
        if args[0] == "get" {
            // The body was logged, and redacted: without the redaction this test would fail.
            assert!(run.stderr.contains("[redacted]"), "{run:#?}");
        }
    }
}
