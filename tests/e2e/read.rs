//! `get`, `list` and `delete`.

use std::time::Duration;

use tokenrequest_sandbox::controller::ControllerMode;

use crate::harness::{Setup, cluster, finish, token_of};
use crate::streams::{Running, Stream};

const TYPE: &str = "tokenrequest.applicationconnector.kyma-project.io";

#[tokio::test(flavor = "multi_thread")]
async fn get_shows_one_request_and_missing_ones_fail() {
    let cluster = cluster().await;
    cluster.run(&["create", "shown"]).await.success();
    let token = token_of(&cluster, "default", "shown").await;
    let run = cluster.run(&["get", "shown"]).await;
    run.success();
    assert!(
        run.stdout.contains("shown") && run.stdout.contains("OK"),
        "{run:#?}"
    );
    assert!(
        run.stdout.contains("?token="),
        "the human view shows the URL: {run:#?}"
    );
    assert!(
        !run.stdout
            .lines()
            .any(|line| line.trim_end().ends_with(&token) && !line.contains("http")),
        "the bare token is not a line of its own in the summary: {run:#?}"
    );
    cluster
        .run(&["get", "absent"])
        .await
        .failure(1, "not found");
}

#[tokio::test(flavor = "multi_thread")]
async fn get_wait_waits_for_the_status() {
    let cluster = Setup {
        delay: Duration::from_millis(800),
        ..Setup::default()
    }
    .start()
    .await;
    cluster.seed("default", "later").await;
    let run = cluster
        .run(&["get", "later", "--wait", "-o", "jsonpath={.status.state}"])
        .await;
    run.success();
    assert_eq!(run.stdout, "OK");
    // A custom-columns table of the one request, once it has its status.
    cluster.seed("default", "later-too").await;
    let run = cluster
        .run(&[
            "get",
            "later-too",
            "--wait",
            "-o",
            "custom-columns=S:.status.state",
        ])
        .await;
    run.success();
    assert_eq!(run.stdout, "S\nOK\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn list_pages_through_every_request_and_never_shows_tokens() {
    let cluster = cluster().await;
    for i in 0..7 {
        cluster
            .run(&["create", &format!("app-{i}"), "-o", "name"])
            .await
            .success();
    }
    cluster
        .run(&["create", "elsewhere", "-n", "other", "-o", "name"])
        .await
        .success();
    let token = token_of(&cluster, "default", "app-3").await;

    let run = cluster.run(&["list", "--chunk-size", "2"]).await;
    run.success();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines[0].starts_with("NAME"), "{run:#?}");
    for column in ["STATE", "EXPIRES", "AGE"] {
        assert!(lines[0].contains(column), "{run:#?}");
    }
    assert_eq!(lines.len(), 8, "header and seven rows: {run:#?}");
    assert!(
        lines[1..]
            .iter()
            .all(|l| l.contains("OK") && l.contains("in ")),
        "{run:#?}"
    );
    assert!(!run.stdout.contains(&token));

    let run = cluster.run(&["list", "-A", "-o", "wide"]).await;
    run.success();
    assert!(run.stdout.starts_with("NAMESPACE"), "{run:#?}");
    assert!(
        run.stdout.contains("connector-service.kyma.example.com"),
        "{run:#?}"
    );
    assert!(run.stdout.contains("other"), "{run:#?}");
    assert!(!run.stdout.contains(&token), "no token in wide tables");
    assert!(
        !run.stdout.contains("?token="),
        "no URL query in wide tables"
    );

    let run = cluster
        .run(&["list", "-o", "name", "--chunk-size", "3"])
        .await;
    run.success();
    let expected: String = (0..7).map(|i| format!("{TYPE}/app-{i}\n")).collect();
    assert_eq!(run.stdout, expected);

    let run = cluster
        .run(&["list", "-A", "-o", "json", "--chunk-size", "3"])
        .await;
    run.success();
    let list: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 8);
}

#[tokio::test(flavor = "multi_thread")]
async fn list_filters_by_label_and_expiry() {
    // No controller, which would delete an expired request at once: one request whose token
    // expired a minute ago, one whose token is valid for an hour.
    let cluster = Setup::mode(ControllerMode::Off).start().await;
    cluster.seed_ready("short-lived", -60);
    cluster.seed_ready("long-lived", 3600);
    let run = cluster.run(&["list", "--expired", "-o", "name"]).await;
    run.success();
    assert_eq!(run.stdout, format!("{TYPE}/short-lived\n"));
    let run = cluster.run(&["list"]).await;
    assert!(run.stdout.contains("expired"), "{run:#?}");

    let run = cluster.run(&["list", "-l", "team=none"]).await;
    run.success();
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("No resources found"), "{run:#?}");
    cluster
        .run(&["list", "-l", "a b"])
        .await
        .failure(1, "listing TokenRequests");
}

#[tokio::test(flavor = "multi_thread")]
async fn list_watch_streams_changes() {
    let cluster = Setup::mode(ControllerMode::Off).start().await;
    cluster.seed("default", "listed").await;
    let mut running = Running::spawn(cluster.command(&["list", "-w", "-o", "name"]));
    // The initial list is printed: what is created from now on can only come from the watch.
    let listed = running.wait_for(Stream::Stdout, &["/listed"]).await;
    assert_eq!(listed, format!("{TYPE}/listed\n"));
    cluster.seed("default", "watched").await;
    let line = running.wait_for(Stream::Stdout, &["/watched"]).await;
    assert_eq!(line, format!("{TYPE}/watched\n"));
    running.signal("INT");
    let run = running.finish().await;
    assert_eq!(run.stdout, format!("{TYPE}/listed\n{TYPE}/watched\n"));
}

#[tokio::test(flavor = "multi_thread")]
async fn delete_reports_each_request() {
    let cluster = Setup::mode(ControllerMode::Off).start().await;
    for name in ["d1", "d2", "d3"] {
        cluster.seed("default", name).await;
    }
    let run = cluster.run(&["delete", "d1"]).await;
    run.success();
    assert_eq!(run.stdout, format!("{TYPE}/d1 deleted\n"));

    cluster.run(&["delete", "d1"]).await.failure(1, "not found");
    cluster
        .run(&["delete", "d1", "--ignore-not-found"])
        .await
        .success();

    let run = cluster.run(&["delete", "d2", "--dry-run=server"]).await;
    run.success();
    assert_eq!(run.stdout, format!("{TYPE}/d2 deleted (server dry run)\n"));
    assert!(
        cluster
            .api("default")
            .get_opt("d2")
            .await
            .unwrap()
            .is_some()
    );

    let run = cluster.run(&["delete", "--all"]).await;
    run.success();
    assert_eq!(
        run.stdout,
        format!("{TYPE}/d2 deleted\n{TYPE}/d3 deleted\n")
    );
    let left = cluster
        .api("default")
        .list(&Default::default())
        .await
        .unwrap();
    assert!(left.items.is_empty());

    let child = cluster.command(&["delete"]).spawn().unwrap();
    finish(child).await.failure(2, "NAME");
}

#[tokio::test(flavor = "multi_thread")]
async fn credential_formats_are_a_usage_error_for_lists() {
    let cluster = cluster().await;
    for format in ["token", "url", "env"] {
        cluster
            .run(&["list", "-o", format])
            .await
            .failure(2, "get NAME -o");
    }
}
