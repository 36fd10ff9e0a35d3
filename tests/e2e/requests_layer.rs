//! The shared requests layer, seen from the commands: one retry policy for every command, a
//! watch that sees what changed while it was broken, `-o` refused before any request, and
//! help in kubectl's shape.

use std::time::Duration;

use tokenrequest_sandbox::server::{FaultConfig, Verb};
use tokenrequest_sandbox::{ControllerConfig, ControllerMode};
use tokio::io::AsyncBufReadExt as _;

use crate::faults::{AS_PLUGIN, PLUGIN_USER, cluster_with_plugin_user, plugin_faults};
use crate::harness::{Run, TestCluster};

const TYPE: &str = "tokenrequest.applicationconnector.kyma-project.io";

fn no_controller() -> ControllerConfig {
    ControllerConfig {
        mode: ControllerMode::Off,
        ..ControllerConfig::default()
    }
}

async fn as_plugin(cluster: &TestCluster, args: &[&str]) -> Run {
    let mut all = args.to_vec();
    all.extend(AS_PLUGIN);
    cluster.run(&all).await
}

fn faults_seen(cluster: &TestCluster, verb: Verb) -> usize {
    cluster
        .sandbox
        .server()
        .requests()
        .iter()
        .filter(|r| r.user == PLUGIN_USER && r.verb == verb && r.injected)
        .count()
}

/// Half of the plugin's requests fail (500 or a closed connection), seeded so the run is
/// repeatable: reads and guarded deletes must still get through.
fn flaky(seed: u64, close: bool) -> FaultConfig {
    plugin_faults(FaultConfig {
        error_ratio: if close { 0.0 } else { 0.5 },
        close_ratio: if close { 0.5 } else { 0.0 },
        error_codes: vec![500],
        seed,
        ..FaultConfig::default()
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn list_and_delete_ride_out_server_errors_and_closed_connections() {
    for close in [false, true] {
        let cluster = cluster_with_plugin_user(no_controller()).await;
        for name in ["r1", "r2", "r3", "r4", "r5", "r6"] {
            cluster.seed("default", name).await;
        }
        cluster.sandbox.server().set_faults(flaky(7, close));

        let run = as_plugin(&cluster, &["list", "-o", "name", "--chunk-size", "2"]).await;
        run.success();
        let names: Vec<&str> = run.stdout.lines().collect();
        assert_eq!(names.len(), 6, "every page despite the faults: {run:#?}");
        assert!(
            faults_seen(&cluster, Verb::List) > 0,
            "faults were injected"
        );

        let run = as_plugin(&cluster, &["delete", "r1"]).await;
        run.success();
        assert_eq!(run.stdout, format!("{TYPE}/r1 deleted\n"), "{run:#?}");

        let run = as_plugin(&cluster, &["delete", "--all", "--chunk-size", "2"]).await;
        run.success();
        for name in ["r2", "r3", "r4", "r5", "r6"] {
            assert!(
                run.stdout.contains(&format!("{TYPE}/{name} deleted\n")),
                "{name}: {run:#?}"
            );
        }
        assert!(
            faults_seen(&cluster, Verb::Delete) > 0,
            "faults were injected"
        );
        cluster.sandbox.server().set_faults(FaultConfig::default());
        let left = cluster
            .api("default")
            .list(&Default::default())
            .await
            .unwrap();
        assert!(left.items.is_empty(), "close={close}: {:?}", left.items);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn persistent_failures_give_up_when_the_retry_budget_is_spent_and_say_so() {
    let cluster = cluster_with_plugin_user(no_controller()).await;
    cluster.seed("default", "stays").await;
    cluster
        .sandbox
        .server()
        .set_faults(plugin_faults(FaultConfig {
            error_ratio: 1.0,
            error_codes: vec![502],
            ..FaultConfig::default()
        }));
    let started = std::time::Instant::now();
    as_plugin(&cluster, &["list", "--request-timeout", "2s"])
        .await
        .failure(1, "listing TokenRequests in namespace default")
        .failure(1, "the API server failed, retry later")
        .failure(1, "retried for");
    let waited = started.elapsed();
    // Tries 100 ms, 200 ms, 400 ms... apart, and none whose wait would end past the budget.
    assert!(
        waited >= Duration::from_millis(500),
        "it retried: {waited:?}"
    );
    assert!(waited < Duration::from_secs(15), "bounded: {waited:?}");
    assert!(faults_seen(&cluster, Verb::List) > 2, "more than one try");

    as_plugin(&cluster, &["delete", "stays", "--request-timeout", "2s"])
        .await
        .failure(1, "deleting TokenRequest default/stays")
        .failure(1, "retried for");
    // A server that does not answer at all: no answer within the budget.
    cluster
        .sandbox
        .server()
        .set_faults(plugin_faults(FaultConfig {
            delay_ms: 10_000,
            ..FaultConfig::default()
        }));
    as_plugin(&cluster, &["get", "stays", "--request-timeout", "1s"])
        .await
        .failure(1, "getting TokenRequest default/stays");
}

#[tokio::test(flavor = "multi_thread")]
async fn list_watch_prints_what_was_created_and_deleted_while_the_watch_was_broken() {
    let cluster = cluster_with_plugin_user(no_controller()).await;
    cluster.seed("default", "before").await;
    cluster.seed("default", "doomed").await;
    let mut args = vec!["list", "-w", "-o", "name"];
    args.extend(AS_PLUGIN);
    let mut child = cluster.command(&args).spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let mut next_line = async || {
        tokio::time::timeout(Duration::from_secs(20), lines.next_line())
            .await
            .expect("a line in time")
            .unwrap()
            .expect("the watch goes on")
    };
    assert_eq!(next_line().await, format!("{TYPE}/before"));
    assert_eq!(next_line().await, format!("{TYPE}/doomed"));
    // From now on every watch of the plugin breaks after one event and every resume is too
    // old (410): only relists can tell what happened in between.
    let server = cluster.sandbox.server();
    server.set_faults(plugin_faults(FaultConfig {
        drop_watch_after_events: Some(1),
        expire_watch_resumes: true,
        ..FaultConfig::default()
    }));
    server.drop_watches();
    let mut seen = Vec::new();
    for name in ["gap-1", "gap-2", "gap-3"] {
        cluster.seed("default", name).await;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    cluster
        .api("default")
        .delete("doomed", &Default::default())
        .await
        .unwrap();
    while seen.len() < 4 {
        seen.push(next_line().await);
    }
    child.kill().await.unwrap();
    for name in ["gap-1", "gap-2", "gap-3", "doomed"] {
        assert!(
            seen.contains(&format!("{TYPE}/{name}")),
            "{name} should be printed: {seen:?}"
        );
    }
    assert!(server.expired_watches() >= 1, "the resumes met a 410");
}

#[tokio::test(flavor = "multi_thread")]
async fn formats_a_command_does_not_take_are_refused_before_any_request() {
    let cluster = cluster_with_plugin_user(no_controller()).await;
    cluster.seed("default", "kept").await;
    let before = cluster.sandbox.server().requests().len();
    for (args, message) in [
        (
            vec!["delete", "--all", "-o", "wide"],
            "delete supports -o name, -o json and -o yaml only",
        ),
        (
            vec!["cleanup", "-o", "wide"],
            "cleanup supports -o name, -o json and -o yaml only",
        ),
        (vec!["list", "-o", "config"], "cannot print a list"),
        (vec!["get", "kept", "-o", "table"], "allowed formats are"),
    ] {
        as_plugin(&cluster, &args).await.failure(2, message);
    }
    assert_eq!(
        cluster.sandbox.server().requests().len(),
        before,
        "no request reached the server"
    );
    assert!(
        cluster
            .api("default")
            .get_opt("kept")
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn help_shows_the_command_flags_first_and_the_connection_flags_under_their_heading() {
    let cluster = cluster_with_plugin_user(no_controller()).await;
    const HEADING: &str = "Connection flags (as kubectl's):";
    for command in [
        "create",
        "get",
        "connect",
        "list",
        "delete",
        "cleanup",
        "completion bash",
    ] {
        let mut args: Vec<&str> = command.split(' ').collect();
        args.push("--help");
        let run = cluster.run(&args).await;
        run.success();
        let help = &run.stdout;
        let heading = help
            .find(HEADING)
            .unwrap_or_else(|| panic!("{command}: no connection heading:\n{help}"));
        let own = help.find("Options:").expect("own options");
        assert!(own < heading, "{command}: own flags first:\n{help}");
        for flag in [
            "--kubeconfig",
            "--context",
            "--namespace",
            "--request-timeout",
        ] {
            let at = help
                .find(flag)
                .unwrap_or_else(|| panic!("{command}: {flag}"));
            assert!(at > heading, "{command}: {flag} under the heading:\n{help}");
        }
        assert!(help.contains("kubectl tokenrequest"), "{command}");
    }
    let list = cluster.run(&["list", "--help"]).await;
    let heading = list.stdout.find(HEADING).unwrap();
    for flag in ["--all-namespaces", "--selector", "--chunk-size", "--watch"] {
        assert!(list.stdout.find(flag).unwrap() < heading, "{flag}");
    }
}
