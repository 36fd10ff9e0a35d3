//! `cleanup`: which requests go, the precondition race, throttling and server errors, dry runs
//! and exit codes. The controller is off so seeded statuses stay as written.

use std::time::Duration;

use http::StatusCode;
use serde_json::{Value, json};
use tokenrequest_sandbox::controller::ControllerMode;

use crate::harness::{Setup, TestCluster, rfc3339};

const TYPE: &str = "tokenrequest.applicationconnector.kyma-project.io";

/// What a seeded request looks like.
enum Kind {
    /// Answered, `expireAfter` an hour ago.
    Expired,
    /// Answered, `expireAfter` in an hour.
    Fresh,
    /// No status, created two hours ago.
    OldPending,
    /// No status, created just now.
    YoungPending,
    /// `state: Error`, not expired.
    Errored,
    /// `expireAfter` that is not a timestamp.
    Unreadable,
}

fn seed(cluster: &TestCluster, namespace: &str, name: &str, kind: Kind, labels: Value) {
    let created = match kind {
        Kind::OldPending | Kind::Expired => rfc3339(-7200),
        _ => rfc3339(0),
    };
    let status = match kind {
        Kind::Expired => Some(answered(rfc3339(-3600), "OK")),
        Kind::Fresh => Some(answered(rfc3339(3600), "OK")),
        Kind::OldPending | Kind::YoungPending => None,
        Kind::Errored => Some(json!({"state": "Error", "token": "", "url": "",
            "expireAfter": rfc3339(3600), "application": name})),
        Kind::Unreadable => Some(answered("tomorrow".to_string(), "OK")),
    };
    let mut object = json!({
        "apiVersion": "applicationconnector.kyma-project.io/v1alpha1",
        "kind": "TokenRequest",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "uid": format!("uid-{namespace}-{name}"),
            "creationTimestamp": created,
            "generation": 1,
            "labels": labels,
        },
    });
    if let Some(status) = status {
        object["status"] = status;
    }
    cluster
        .sandbox
        .server()
        .store()
        .create(object)
        .expect("seed a TokenRequest");
}

fn answered(expire_after: String, state: &str) -> Value {
    json!({"state": state, "token": "seeded-token", "url": "https://h/?token=seeded-token",
        "expireAfter": expire_after, "application": "app"})
}

fn exists(cluster: &TestCluster, namespace: &str, name: &str) -> bool {
    cluster.sandbox.server().store().contains(namespace, name)
}

async fn cluster_without_controller() -> TestCluster {
    Setup::mode(ControllerMode::Off).start().await
}

#[tokio::test(flavor = "multi_thread")]
async fn deletes_expired_and_on_request_stale_and_errored_across_namespaces() {
    let cluster = cluster_without_controller().await;
    for (namespace, name, kind) in [
        ("a", "expired", Kind::Expired),
        ("a", "fresh", Kind::Fresh),
        ("a", "old-pending", Kind::OldPending),
        ("a", "young-pending", Kind::YoungPending),
        ("a", "errored", Kind::Errored),
        ("a", "unreadable", Kind::Unreadable),
        ("b", "expired-too", Kind::Expired),
        ("b", "fresh-too", Kind::Fresh),
    ] {
        seed(&cluster, namespace, name, kind, json!({}));
    }

    let run = cluster.run(&["cleanup", "-n", "a", "-o", "name"]).await;
    run.success();
    assert_eq!(run.stdout, format!("{TYPE}/expired\n"), "{run:#?}");
    assert!(
        run.stderr.contains("a/unreadable") && run.stderr.contains("\"tomorrow\""),
        "the request whose expiry cannot be judged is named: {run:#?}"
    );
    assert_eq!(
        run.stderr.lines().last().unwrap_or_default(),
        "cleanup: 1 deleted, 1 skipped (1 with an unreadable expiry), 0 failed; 6 TokenRequests \
         listed in namespace a",
        "{run:#?}"
    );
    assert!(!exists(&cluster, "a", "expired"));
    assert!(exists(&cluster, "b", "expired-too"), "-n a stays in a");

    let run = cluster
        .run(&["cleanup", "-A", "--stale", "1h", "--errored", "-o", "name"])
        .await;
    run.success();
    let mut names: Vec<&str> = run.stdout.lines().collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            format!("{TYPE}/errored"),
            format!("{TYPE}/expired-too"),
            format!("{TYPE}/old-pending"),
        ],
        "{run:#?}"
    );
    for (namespace, survivor) in [
        ("a", "fresh"),
        ("a", "young-pending"),
        ("a", "unreadable"),
        ("b", "fresh-too"),
    ] {
        assert!(
            exists(&cluster, namespace, survivor),
            "{survivor} must stay"
        );
    }
    assert!(
        run.stderr.contains("3 deleted") && run.stderr.contains("all namespaces"),
        "{run:#?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn label_selector_limits_what_goes_and_lines_say_why() {
    let cluster = cluster_without_controller().await;
    seed(
        &cluster,
        "default",
        "team-a",
        Kind::Expired,
        json!({"team": "a"}),
    );
    seed(
        &cluster,
        "default",
        "team-b",
        Kind::Expired,
        json!({"team": "b"}),
    );
    let run = cluster.run(&["cleanup", "-l", "team=a"]).await;
    run.success();
    assert_eq!(
        run.stdout,
        format!("{TYPE}/team-a deleted (expired 60m ago)\n"),
        "{run:#?}"
    );
    assert!(!exists(&cluster, "default", "team-a"));
    assert!(exists(&cluster, "default", "team-b"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_refreshed_between_list_and_delete_survives() {
    let cluster = cluster_without_controller().await;
    seed(&cluster, "default", "refreshed", Kind::Expired, json!({}));
    seed(&cluster, "default", "gone", Kind::Expired, json!({}));
    seed(&cluster, "default", "plain", Kind::Expired, json!({}));
    let server = cluster.sandbox.server();
    // What a `create --refresh` or the controller's new token does to the object meanwhile.
    server.before_delete_of("default", "refreshed", |store| {
        store
            .update("default", "refreshed", false, |current| {
                let mut object = current.value.clone();
                object["status"]["expireAfter"] = json!(rfc3339(3600));
                Ok::<_, ()>(object)
            })
            .expect("refresh the request");
    });
    // Someone else (the controller's resync) deletes it first.
    server.before_delete_of("default", "gone", |store| {
        store
            .delete::<()>("default", "gone", false, |_| Ok(()))
            .expect("delete it first");
    });

    let run = cluster.run(&["cleanup", "-o", "name"]).await;
    run.success();
    assert!(exists(&cluster, "default", "refreshed"), "{run:#?}");
    assert!(!exists(&cluster, "default", "plain"));
    assert!(
        run.stderr
            .contains("skipped TokenRequest default/refreshed: it changed since it was listed"),
        "{run:#?}"
    );
    let mut names: Vec<&str> = run.stdout.lines().collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [format!("{TYPE}/gone"), format!("{TYPE}/plain")],
        "a request already gone counts as done: {run:#?}"
    );
    assert!(
        run.stderr.contains(
            "cleanup: 2 deleted (1 already gone), 1 skipped (1 changed since listed), 0 failed"
        ),
        "{run:#?}"
    );
    let refreshed_delete = server
        .delete_requests()
        .into_iter()
        .find(|d| d.name == "refreshed")
        .expect("the delete was sent");
    assert_eq!(
        refreshed_delete.code, 409,
        "the precondition made the server refuse it"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn throttled_deletes_wait_for_retry_after_and_then_succeed() {
    let cluster = cluster_without_controller().await;
    for i in 0..5 {
        seed(
            &cluster,
            "default",
            &format!("old-{i}"),
            Kind::Expired,
            json!({}),
        );
    }
    let server = cluster.sandbox.server();
    server.fail_next_deletes(
        3,
        StatusCode::TOO_MANY_REQUESTS,
        Some(Duration::from_secs(1)),
    );

    let run = cluster.run(&["cleanup"]).await;
    run.success();
    assert!(
        run.stderr
            .contains("cleanup: 5 deleted, 0 skipped, 0 failed"),
        "{run:#?}"
    );
    assert!(server.store().is_empty());
    let deletes = server.delete_requests();
    let throttled: Vec<_> = deletes.iter().filter(|d| d.injected).collect();
    assert_eq!(throttled.len(), 3, "{deletes:#?}");
    for refused in throttled {
        let retried = deletes
            .iter()
            .find(|d| d.name == refused.name && d.code == 200)
            .expect("every throttled delete is retried");
        // A lower bound only: the retry must not come before the server's Retry-After.
        assert!(
            retried.at.duration_since(refused.at) >= Duration::from_millis(950),
            "retried {} after {:?}, before Retry-After: 1",
            refused.name,
            retried.at.duration_since(refused.at)
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn server_errors_are_retried_and_persistent_ones_fail_with_exit_1() {
    let cluster = cluster_without_controller().await;
    seed(&cluster, "default", "first", Kind::Expired, json!({}));
    let server = cluster.sandbox.server();
    server.fail_next_deletes(2, StatusCode::INTERNAL_SERVER_ERROR, None);
    let run = cluster.run(&["cleanup"]).await;
    run.success();
    assert!(!exists(&cluster, "default", "first"), "{run:#?}");

    seed(&cluster, "default", "second", Kind::Expired, json!({}));
    seed(&cluster, "default", "third", Kind::Expired, json!({}));
    seed(&cluster, "default", "kept", Kind::Fresh, json!({}));
    server.fail_next_deletes(1000, StatusCode::INTERNAL_SERVER_ERROR, None);
    let run = cluster.run(&["cleanup"]).await;
    run.failure(1, "2 of 2 TokenRequests to clean up could not be deleted");
    for name in ["second", "third"] {
        assert!(
            run.stderr
                .contains(&format!("error: deleting TokenRequest default/{name}: ")),
            "says which: {run:#?}"
        );
        assert!(exists(&cluster, "default", name));
    }
    assert!(
        run.stderr.contains("the API server failed, retry later"),
        "says why: {run:#?}"
    );
    assert!(
        run.stderr
            .contains("cleanup: 0 deleted, 0 skipped, 2 failed"),
        "{run:#?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn dry_runs_delete_nothing() {
    let cluster = cluster_without_controller().await;
    seed(&cluster, "default", "expired", Kind::Expired, json!({}));
    seed(&cluster, "default", "fresh", Kind::Fresh, json!({}));
    let server = cluster.sandbox.server();

    let run = cluster.run(&["cleanup", "--dry-run"]).await;
    run.success();
    assert_eq!(
        run.stdout,
        format!("{TYPE}/expired deleted (dry run; expired 60m ago)\n"),
        "{run:#?}"
    );
    assert!(
        run.stderr
            .contains("cleanup: 1 would be deleted (dry run), 0 skipped, 0 failed"),
        "{run:#?}"
    );
    assert!(
        server.delete_requests().is_empty(),
        "a client dry run sends no delete"
    );

    let run = cluster
        .run(&["cleanup", "--dry-run=server", "-o", "json"])
        .await;
    run.success();
    let list: Value = serde_json::from_str(&run.stdout).expect("-o json prints a List");
    assert_eq!(list["kind"], "List");
    assert_eq!(list["items"][0]["metadata"]["name"], "expired", "{run:#?}");
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        server.delete_requests().len(),
        1,
        "the server validated the delete"
    );
    assert!(exists(&cluster, "default", "expired"));
    assert!(exists(&cluster, "default", "fresh"));
}

#[tokio::test(flavor = "multi_thread")]
async fn nothing_to_do_is_success_and_bad_flags_are_usage_errors() {
    let cluster = cluster_without_controller().await;
    seed(&cluster, "default", "fresh", Kind::Fresh, json!({}));
    let run = cluster.run(&["cleanup"]).await;
    run.success();
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "cleanup: 0 deleted, 0 skipped, 0 failed; 1 TokenRequest listed in namespace default\n"
    );
    cluster
        .run(&["cleanup", "-o", "wide"])
        .await
        .failure(2, "cleanup supports -o name, -o json and -o yaml only");
    cluster
        .run(&["cleanup", "--grace", "soon"])
        .await
        .failure(2, "invalid duration");
    cluster
        .run(&["cleanup", "--concurrency", "0"])
        .await
        .failure(2, "--concurrency");
    assert!(exists(&cluster, "default", "fresh"));
}
