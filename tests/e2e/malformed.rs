//! Objects the server sends that the CRD schema would never let through (seeded straight into
//! the sandbox's store): they are shown as they are, never crash the plugin, and `cleanup`
//! leaves alone what it cannot judge.

use serde_json::{Value, json};
use tokenrequest_sandbox::controller::ControllerMode;

use crate::harness::{Setup, TestCluster};

fn seed_raw(cluster: &TestCluster, name: &str, status: Value) {
    let object = json!({
        "apiVersion": "applicationconnector.kyma-project.io/v1alpha1",
        "kind": "TokenRequest",
        "metadata": {
            "name": name,
            "namespace": "default",
            "uid": format!("uid-{name}"),
            "creationTimestamp": "2026-01-01T00:00:00Z",
            "generation": 1,
        },
        "status": status,
    });
    cluster
        .sandbox
        .server()
        .store()
        .create(object)
        .expect("seed a malformed TokenRequest");
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_objects_are_shown_as_such_and_never_crash() {
    let cluster = Setup::mode(ControllerMode::Off).start().await;
    let huge = "x".repeat(1 << 20);
    seed_raw(&cluster, "no-fields", json!({}));
    seed_raw(
        &cluster,
        "bad-expiry",
        json!({"state": "OK", "expireAfter": "tomorrow"}),
    );
    seed_raw(
        &cluster,
        "odd-state",
        json!({"state": "Weird", "token": 42}),
    );
    seed_raw(
        &cluster,
        "huge",
        json!({"state": "OK", "application": huge, "expireAfter": "2020-01-01T00:00:00Z"}),
    );

    let run = cluster.run(&["list", "-o", "wide"]).await;
    run.success();
    assert!(
        run.stdout.contains("Weird"),
        "an undocumented state is shown"
    );
    assert!(
        run.stdout.contains("<invalid>"),
        "an unreadable expiry is marked"
    );
    assert_eq!(
        run.stdout.lines().count(),
        5,
        "one line per request, however long a value"
    );
    assert!(
        run.stdout.contains(&format!("{}…", &huge[..1024])),
        "a huge value is cut, marked"
    );
    let run = cluster.run(&["get", "huge", "-o", "json"]).await;
    run.success();
    assert!(run.stdout.contains(&huge), "json shows the value whole");
    assert!(
        !run.stdout.contains("42"),
        "a token (even a non-string one) is never in a table"
    );

    let run = cluster.run(&["get", "bad-expiry"]).await;
    run.success();
    assert!(run.stdout.contains("tomorrow"), "{run:#?}");
    cluster
        .run(&["get", "no-fields", "-o", "json"])
        .await
        .success();
    cluster
        .run(&["get", "odd-state", "-o", "url"])
        .await
        .failure(1, "odd-state");

    // Only "huge" has a readable expiry in the past; the others cannot be judged.
    let run = cluster.run(&["cleanup", "-o", "name"]).await;
    run.success();
    assert_eq!(
        run.stdout,
        "tokenrequest.applicationconnector.kyma-project.io/huge\n"
    );
    assert!(
        run.stderr.contains("bad-expiry"),
        "the skip is named: {run:#?}"
    );
    for survivor in ["no-fields", "bad-expiry", "odd-state"] {
        assert!(
            cluster
                .sandbox
                .server()
                .store()
                .contains("default", survivor),
            "{survivor} must survive"
        );
    }
}
