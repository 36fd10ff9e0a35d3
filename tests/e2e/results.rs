//! Every command that changes something can report it for a script (`-o json|yaml`), and
//! every hint, note and warning goes to stderr, so `out=$(kubectl tokenrequest …)` captures the
//! data alone (issue 19).

use serde_json::Value;
use tokenrequest_sandbox::ConnectorConfig;
use tokenrequest_sandbox::controller::ControllerMode;

use crate::connect::{APP, connect, with_connector};
use crate::harness::{Run, Setup};

fn list_items(run: &Run) -> Vec<Value> {
    let text = if run.stdout.trim_start().starts_with('{') {
        serde_json::from_str::<Value>(&run.stdout).unwrap_or_else(|e| panic!("{e}: {run:#?}"))
    } else {
        serde_saphyr::from_str::<Value>(&run.stdout).unwrap_or_else(|e| panic!("{e}: {run:#?}"))
    };
    assert_eq!(text["kind"], "List", "{run:#?}");
    text["items"].as_array().cloned().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn notes_and_hints_go_to_stderr_and_stdout_holds_the_data() {
    let cluster = Setup::default().start().await;
    // Off a terminal the URL's token is masked: the note that says so is not data.
    let run = cluster.run(&["create", "noted"]).await;
    run.success();
    assert!(run.stdout.contains("URL:"), "{run:#?}");
    assert!(!run.stdout.contains("Note:"), "{run:#?}");
    assert!(
        run.stderr.contains("Note: the token in the URL is hidden"),
        "{run:#?}"
    );
    let pending = Setup::mode(ControllerMode::Off).start().await;
    pending.seed("default", "waiting").await;
    let run = pending.run(&["get", "waiting"]).await;
    run.success();
    assert!(run.stdout.contains("State:"), "{run:#?}");
    assert!(!run.stdout.contains("Hint:"), "{run:#?}");
    assert!(
        run.stderr.contains("Hint: the connection-token-handler"),
        "{run:#?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn delete_reports_what_it_deleted_and_what_failed() {
    let cluster = Setup::mode(ControllerMode::Off).start().await;
    cluster.seed("default", "gone").await;
    let run = cluster
        .run(&["delete", "gone", "missing", "-o", "json"])
        .await;
    run.failure(1, "1 of 2 TokenRequests could not be deleted");
    let items = list_items(&run);
    assert_eq!(items[0]["name"], "gone");
    assert_eq!(items[0]["outcome"], "deleted");
    assert_eq!(items[1]["name"], "missing");
    assert_eq!(items[1]["outcome"], "failed");
    assert_eq!(items[1]["exitCode"], 1);
    assert!(items[1]["error"].as_str().unwrap().contains("not found"));
    assert!(
        cluster
            .api("default")
            .get_opt("gone")
            .await
            .unwrap()
            .is_none()
    );
    cluster.seed("default", "yaml").await;
    let run = cluster.run(&["delete", "yaml", "-o", "yaml"]).await;
    run.success();
    assert_eq!(list_items(&run)[0]["outcome"], "deleted");
}

#[tokio::test(flavor = "multi_thread")]
async fn renew_and_revoke_report_the_connection_s_files_and_expiry() {
    let (cluster, ca) = with_connector(ConnectorConfig::default()).await;
    let dir = cluster.dir.path().join("conn");
    connect(&cluster, &ca, &dir, &[]).await.success();
    let dir_arg = dir.to_str().unwrap();
    let run = cluster
        .run(&["renew", dir_arg, "--before", "1d", "-o", "json"])
        .await;
    run.success();
    let item = &list_items(&run)[0];
    assert_eq!(item["outcome"], "not-due", "{item}");
    assert_eq!(item["name"], APP);
    let run = cluster.run(&["renew", dir_arg, "-o", "yaml"]).await;
    run.success();
    let item = &list_items(&run)[0];
    assert_eq!(item["outcome"], "renewed", "{item}");
    assert_eq!(item["files"]["directory"], dir_arg);
    assert_eq!(
        item["files"]["privateKey"],
        dir.join("client.key").to_str().unwrap()
    );
    assert!(item["certificateExpires"].is_string(), "{item}");
    let run = cluster
        .run(&["revoke", dir_arg, "--yes", "-o", "json"])
        .await;
    run.success();
    let item = &list_items(&run)[0];
    assert_eq!(item["outcome"], "revoked", "{item}");
    let revoked_key = item["files"]["privateKey"].as_str().unwrap();
    assert!(revoked_key.ends_with("client.key.revoked"), "{item}");
    assert!(std::path::Path::new(revoked_key).is_file());
}

#[tokio::test(flavor = "multi_thread")]
async fn cleanup_lists_what_it_deleted_as_yaml_too() {
    let cluster = Setup::mode(ControllerMode::Off).start().await;
    cluster.seed("default", "stale").await;
    let run = cluster
        .run(&["cleanup", "--stale", "0s", "-o", "yaml"])
        .await;
    run.success();
    let items = list_items(&run);
    assert_eq!(items.len(), 1, "{run:#?}");
    assert_eq!(items[0]["metadata"]["name"], "stale");
}
