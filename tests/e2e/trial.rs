//! The rest of the new-user trial (issue 20, item 6), each as kubectl would have it: labels
//! accumulate, table flags on one request print its row, usage errors point to the right
//! command and read alike, selectors are checked before anything is sent, and `create` does
//! not print nothing where a token is asked for.

use crate::harness::{Setup, cluster};
use tokenrequest_sandbox::controller::ControllerMode;

const TYPE: &str = "tokenrequest.applicationconnector.kyma-project.io";

#[tokio::test(flavor = "multi_thread")]
async fn every_label_given_is_kept() {
    let cluster = Setup::mode(ControllerMode::Off).start().await;
    cluster
        .run(&[
            "create",
            "labelled",
            "--no-wait",
            "-l",
            "a=1",
            "-l",
            "b=2,c=3",
        ])
        .await
        .success();
    let stored = cluster.api("default").get("labelled").await.unwrap();
    let labels = stored.metadata.labels.unwrap_or_default();
    let pairs: Vec<(&str, &str)> = labels
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(pairs, [("a", "1"), ("b", "2"), ("c", "3")]);
    cluster
        .run(&["create", "twice", "--no-wait", "-l", "a=1", "-l", "a=2"])
        .await
        .failure(2, "label a is given twice");
    assert!(
        cluster
            .api("default")
            .get_opt("twice")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn table_flags_on_one_request_print_its_row() {
    let cluster = cluster().await;
    cluster
        .run(&["create", "my-app", "-o", "name", "-l", "team=a"])
        .await
        .success();
    let run = cluster.run(&["get", "my-app", "--no-headers"]).await;
    run.success();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "one row: {run:#?}");
    assert!(
        lines[0].starts_with("my-app ") && lines[0].contains("OK"),
        "{run:#?}"
    );
    let run = cluster.run(&["get", "my-app", "--show-labels"]).await;
    run.success();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "header and row: {run:#?}");
    assert!(
        lines[0].starts_with("NAME") && lines[0].ends_with("LABELS"),
        "{run:#?}"
    );
    assert!(lines[1].ends_with("team=a"), "{run:#?}");
    let run = cluster
        .run(&["get", "my-app", "--sort-by", ".metadata.name"])
        .await;
    run.success();
    assert_eq!(run.stdout.lines().count(), 2, "{run:#?}");
    // Without them, one request is still the summary.
    let run = cluster.run(&["get", "my-app"]).await;
    run.success();
    assert!(run.stdout.lines().count() > 2, "{run:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_errors_point_to_the_command_that_has_the_flag() {
    // No controller: every request the server logs is the plugin's.
    let cluster = Setup::mode(ControllerMode::Off).start().await;
    for (args, says) in [
        (&["get", "-w"][..], "use `kubectl tokenrequest list -w`"),
        (
            &["get", "my-app", "--watch"],
            "use `kubectl tokenrequest list -w`",
        ),
        (&["delete", "-A", "x"], "delete works in one namespace"),
        (
            &["list", "--chunk-size", "-1"],
            "invalid value '-1' for '--chunk-size",
        ),
        (
            &["create", "x", "--timeout", "-1s"],
            "it must not be negative",
        ),
        (
            &["list", "--request-timeout", "-5s"],
            "it must not be negative",
        ),
        (
            &["create", "x", "--no-wait", "-o", "url"],
            "-o url prints the token",
        ),
    ] {
        let run = cluster.run(args).await;
        run.failure(2, says);
        assert!(
            run.stderr.starts_with("error: "),
            "one spelling for every error: {run:#?}"
        );
        assert!(!run.stderr.contains("as a value, use '--"), "{run:#?}");
    }
    let seen = cluster.sandbox.server().requests();
    assert!(seen.is_empty(), "nothing sent: {seen:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_selector_is_refused_before_anything_is_sent() {
    let cluster = Setup::mode(ControllerMode::Off).start().await;
    cluster.seed("default", "kept").await;
    for args in [
        &["delete", "-l", "team in (a,b"][..],
        &["list", "-l", "team in (a,b"],
        &["cleanup", "-l", "bad key=x"],
        &["get", "-l", "a=b c"],
    ] {
        // As kubectl's: an error (exit 1) found before anything is sent.
        cluster.run(args).await.failure(1, "invalid label selector");
    }
    // The plugin runs as admin too: what it sent is everything but the seed's create.
    let seen: Vec<_> = cluster
        .sandbox
        .server()
        .requests()
        .into_iter()
        .filter(|r| r.verb != tokenrequest_sandbox::server::Verb::Create)
        .collect();
    assert!(seen.is_empty(), "nothing sent: {seen:#?}");
    let run = cluster.run(&["list", "-l", "team notin (a,b),!gone"]).await;
    run.success();
    assert!(run.stdout.contains("kept"), "{run:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn create_prints_a_token_only_after_the_wait_and_dry_runs_a_refresh() {
    let cluster = Setup::mode(ControllerMode::Off).start().await;
    cluster
        .run(&[
            "create",
            "quiet",
            "--no-wait",
            "-o",
            "jsonpath={.status.token}",
        ])
        .await
        .failure(2, "-o jsonpath prints the token")
        .failure(2, "drop --no-wait");
    assert!(
        cluster
            .api("default")
            .get_opt("quiet")
            .await
            .unwrap()
            .is_none()
    );

    let existing = cluster.seed("default", "existing").await;
    let run = cluster
        .run(&["create", "existing", "--refresh", "--dry-run=server"])
        .await;
    run.success();
    assert_eq!(
        run.stdout,
        format!("{TYPE}/existing created (server dry run)\n"),
        "{run:#?}"
    );
    let kept = cluster.api("default").get("existing").await.unwrap();
    assert_eq!(
        kept.metadata.uid, existing.metadata.uid,
        "a dry run replaces nothing"
    );
    // Without --refresh it is the existing request's error, as for a real create.
    cluster
        .run(&["create", "existing", "--dry-run=server"])
        .await
        .failure(1, "already exists");
}
