//! Waits that survive broken watches and missing rights, Ctrl-C, and connection failures.

use std::time::Duration;

use crate::harness::{Setup, TestCluster, cluster, finish};
use tokenrequest_sandbox::controller::ControllerMode;

#[tokio::test(flavor = "multi_thread")]
async fn polling_replaces_a_forbidden_watch() {
    let cluster = Setup {
        delay: Duration::from_millis(500),
        ..Setup::default()
    }
    .start()
    .await;
    let run = cluster
        .run(&[
            "create",
            "polled",
            "--context",
            "sandbox-nowatch",
            "-o",
            "name",
        ])
        .await;
    run.success();
    assert!(run.stderr.contains("polling"), "{run:#?}");
}

/// A `create` whose controller answers after 2 s, returned once the plugin is watching.
async fn create_in_the_middle_of_a_watch(name: &str) -> (TestCluster, tokio::process::Child) {
    let cluster = Setup {
        delay: Duration::from_secs(2),
        ..Setup::default()
    }
    .start()
    .await;
    let child = cluster
        .command(&["create", name, "-o", "name"])
        .spawn()
        .unwrap();
    let selector = format!("metadata.name={name}");
    tokio::time::timeout(Duration::from_secs(20), async {
        while cluster.sandbox.server().watch_requests_with(&selector) == 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the plugin should start watching");
    (cluster, child)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dropped_watch_is_resumed() {
    let (cluster, child) = create_in_the_middle_of_a_watch("resumed").await;
    cluster.sandbox.server().drop_watches();
    finish(child).await.success();
    assert!(
        cluster
            .sandbox
            .server()
            .watch_requests_with("metadata.name=resumed")
            >= 2,
        "the plugin should have watched again after the drop"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_resource_version_means_get_and_watch_again() {
    let (cluster, child) = create_in_the_middle_of_a_watch("relisted").await;
    // Another change moves the resourceVersion on; forgetting the history then makes every
    // version the plugin has seen too old, so its resume gets 410 Expired.
    cluster.seed("default", "bystander").await;
    cluster.sandbox.server().forget_history();
    cluster.sandbox.server().drop_watches();
    finish(child).await.success();
    assert!(
        cluster.sandbox.server().expired_watches() >= 1,
        "the resume should have met a 410"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_while_waiting_exits_130_and_says_how_to_clean_up() {
    let cluster = Setup::mode(ControllerMode::Off).start().await;
    let child = cluster
        .command(&["create", "interrupted", "-n", "ci", "--timeout", "60s"])
        .spawn()
        .unwrap();
    let pid = child.id().expect("pid");
    cluster.wait_until_exists("ci", "interrupted").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let status = std::process::Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    finish(child)
        .await
        .failure(130, "interrupted")
        .failure(130, "kubectl tokenrequest delete interrupted -n ci");
    assert!(
        cluster
            .api("ci")
            .get_opt("interrupted")
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn credentials_and_rights_problems_are_explained() {
    let cluster = cluster().await;
    cluster
        .run(&["list", "--context", "sandbox-nobody"])
        .await
        .failure(1, "forbidden")
        .failure(1, "RBAC");
    cluster
        .run(&["create", "x", "--context", "no-such-context"])
        .await
        .failure(1, "no-such-context");
}

#[tokio::test(flavor = "multi_thread")]
async fn kubeconfig_problems_are_explained() {
    let cluster = cluster().await;
    let missing = cluster.dir.path().join("nope");
    let mut command = cluster.command(&["list"]);
    // A second --kubeconfig overrides the harness's; clap keeps the last.
    command.arg("--kubeconfig").arg(&missing);
    finish(command.spawn().unwrap())
        .await
        .failure(1, "does not exist");

    let garbage = cluster.dir.path().join("garbage");
    std::fs::write(&garbage, "{{{ not yaml").unwrap();
    let mut command = cluster.command(&["list"]);
    command.arg("--kubeconfig").arg(&garbage);
    finish(command.spawn().unwrap())
        .await
        .failure(1, "kubeconfig");

    let unreachable = cluster.dir.path().join("unreachable");
    let text = std::fs::read_to_string(&cluster.kubeconfig)
        .unwrap()
        .replace(&cluster.sandbox.url(), "http://127.0.0.1:9");
    std::fs::write(&unreachable, text).unwrap();
    let mut command = cluster.command(&["list", "--request-timeout", "5s"]);
    command.arg("--kubeconfig").arg(&unreachable);
    finish(command.spawn().unwrap())
        .await
        .failure(1, "cannot reach the API server");
}
