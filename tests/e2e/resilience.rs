//! Waits that survive broken watches and missing rights, Ctrl-C, and connection failures.

use std::time::Duration;

use crate::harness::{Setup, TestCluster, cluster, finish};
use crate::streams::create_waiting;
use tokenrequest_sandbox::controller::{self, ControllerConfig, ControllerMode};

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

/// A `create` that is waiting with a watch, with no controller yet: the test starts one (with
/// [`start_controller`]) once it has done what the plugin must ride out, so nothing answers
/// before that.
async fn create_in_the_middle_of_a_watch(name: &str) -> (TestCluster, tokio::process::Child) {
    let cluster = Setup::mode(ControllerMode::Off).start().await;
    let child = cluster
        .command(&["create", name, "-o", "name"])
        .spawn()
        .unwrap();
    let selector = format!("metadata.name={name}");
    wait_until("the plugin should start watching", || {
        cluster.sandbox.server().watch_requests_with(&selector) >= 1
    })
    .await;
    (cluster, child)
}

/// Polls `done` until it holds, bounded.
async fn wait_until(what: &str, done: impl Fn() -> bool) {
    tokio::time::timeout(Duration::from_secs(20), async {
        while !done() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect(what);
}

/// A controller that fills in the status from now on, as the sandbox's own does.
fn start_controller(cluster: &TestCluster) -> tokio::task::JoinHandle<anyhow::Result<()>> {
    tokio::spawn(controller::run(
        cluster.sandbox.admin_client(),
        ControllerConfig::default(),
    ))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dropped_watch_is_resumed() {
    let (cluster, child) = create_in_the_middle_of_a_watch("resumed").await;
    cluster.sandbox.server().drop_watches();
    wait_until("the plugin should watch again after the drop", || {
        cluster
            .sandbox
            .server()
            .watch_requests_with("metadata.name=resumed")
            >= 2
    })
    .await;
    let controller = start_controller(&cluster);
    finish(child).await.success();
    controller.abort();
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
    wait_until("the resume should meet a 410", || {
        cluster.sandbox.server().expired_watches() >= 1
    })
    .await;
    let controller = start_controller(&cluster);
    finish(child).await.success();
    controller.abort();
    assert!(
        cluster.sandbox.server().expired_watches() >= 1,
        "the resume should have met a 410"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_while_waiting_exits_130_and_says_how_to_clean_up() {
    let cluster = Setup::mode(ControllerMode::Off).start().await;
    let running = create_waiting(&cluster, "interrupted", "ci").await;
    running.signal("INT");
    running
        .finish()
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
