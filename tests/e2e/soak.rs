//! Soak: many `create`/`get`/`delete` invocations, several at a time, against a sandbox that
//! answers 10% of the plugin's requests with a 5xx and drops every watch after its first
//! event. Every invocation must succeed or fail with a documented exit code and a message, and
//! the cluster must end up holding exactly the requests whose create reported success and
//! whose delete did not.
//!
//! `SOAK_INVOCATIONS` (default 200) and `SOAK_CONCURRENCY` (default 8) size it. A load test,
//! so a plain `cargo test` leaves it out (`#[ignore]`); `.ci/run` runs it with
//! `cargo test --test e2e soak -- --ignored`.

use std::collections::{BTreeMap, BTreeSet};

use tokenrequest_sandbox::ControllerConfig;
use tokenrequest_sandbox::server::FaultConfig;

use crate::faults::{AS_PLUGIN, cluster_with_plugin_user, plugin_faults};
use crate::harness::TestCluster;

/// Exit codes README.md documents.
const DOCUMENTED: [i32; 6] = [0, 1, 2, 3, 4, 5];

fn from_env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Op {
    Create,
    Get,
    Delete,
}

/// What one worker does at step `step`: names cycle through create, get, then delete for
/// every other name (the rest stay), so about half the created requests remain.
fn plan(worker: usize, step: usize) -> (Op, String) {
    let round = step / 3;
    let name = format!("soak-{worker}-{round}");
    let op = match step % 3 {
        0 => Op::Create,
        1 => Op::Get,
        _ if round.is_multiple_of(2) => Op::Delete,
        _ => Op::Get,
    };
    (op, name)
}

/// Runs the worker's share of the plan; returns `(op, name, exit code)` per invocation.
async fn worker(cluster: &TestCluster, worker: usize, steps: usize) -> Vec<(Op, String, i32)> {
    let mut results = Vec::new();
    for step in 0..steps {
        let (op, name) = plan(worker, step);
        let mut args: Vec<&str> = match op {
            Op::Create => vec!["create", &name, "-o", "name", "--timeout", "40s"],
            Op::Get => vec!["get", &name, "-o", "name"],
            Op::Delete => vec!["delete", &name],
        };
        args.extend(AS_PLUGIN);
        let run = cluster.run(&args).await;
        assert!(
            DOCUMENTED.contains(&run.code),
            "undocumented exit code: {run:#?}"
        );
        if run.code != 0 {
            assert!(
                run.stderr.starts_with("error: "),
                "a failure explains itself: {run:#?}"
            );
        }
        results.push((op, name, run.code));
    }
    results
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "soak: run with `cargo test --test e2e soak -- --ignored` (.ci/run does)"]
async fn soak_under_server_errors_and_dropped_watches() {
    let invocations = from_env("SOAK_INVOCATIONS", 200);
    let concurrency = from_env("SOAK_CONCURRENCY", 8).max(1);
    let cluster = cluster_with_plugin_user(ControllerConfig::default()).await;
    cluster
        .sandbox
        .server()
        .set_faults(plugin_faults(FaultConfig {
            seed: 2026,
            error_ratio: 0.1,
            error_codes: vec![500, 502, 503],
            drop_watch_after_events: Some(1),
            ..FaultConfig::default()
        }));

    let per_worker = invocations.div_ceil(concurrency);
    let runs = futures::future::join_all((0..concurrency).map(|w| {
        let steps = per_worker.min(invocations.saturating_sub(w * per_worker));
        worker(&cluster, w, steps)
    }))
    .await;
    cluster.sandbox.server().set_faults(FaultConfig::default());

    // Each name belongs to one worker, so its invocations ran in order.
    let mut expected = BTreeSet::new();
    let mut counts: BTreeMap<(Op, i32), usize> = BTreeMap::new();
    for (op, name, code) in runs.iter().flatten() {
        *counts.entry((*op, *code)).or_default() += 1;
        match (op, code) {
            (Op::Create, 0) => {
                expected.insert(name.clone());
            }
            (Op::Delete, 0) => {
                expected.remove(name);
            }
            _ => {}
        }
    }
    let actual: BTreeSet<String> = cluster
        .api("default")
        .list(&Default::default())
        .await
        .unwrap()
        .items
        .iter()
        .map(|request| request.metadata.name.clone().unwrap_or_default())
        .collect();

    let total: usize = counts.values().sum();
    println!("soak: {total} invocations, {concurrency} at a time");
    for ((op, code), count) in &counts {
        println!("soak: {op:?} exit {code}: {count}");
    }
    println!(
        "soak: injected {:?}; {} requests remain",
        cluster.sandbox.server().fault_counts(),
        actual.len()
    );
    assert_eq!(total, invocations);
    assert!(
        cluster.sandbox.server().fault_counts().errors > 0
            && cluster.sandbox.server().fault_counts().dropped_watches > 0,
        "the faults should have fired"
    );
    assert_eq!(
        actual, expected,
        "the cluster should hold exactly the created and not deleted requests"
    );
    // Creates ride out the faults; only reads and deletes may give up on a 5xx.
    let failed_creates: usize = counts
        .iter()
        .filter(|((op, code), _)| *op == Op::Create && *code != 0)
        .map(|(_, count)| count)
        .sum();
    assert_eq!(failed_creates, 0, "{counts:?}");
}
