//! Several Applications at once (issue 19): `create A B C` and `connect A B C` work on each
//! beside the others, a failure does not stop the rest, the results come at the end as a
//! table or for scripts, reruns are safe, and a signal in the middle says what was left.

use std::path::Path;
use std::time::Duration;

use serde_json::Value;
use tokenrequest_sandbox::controller::ControllerMode;
use tokenrequest_sandbox::server::Verb;
use tokenrequest_sandbox::{ConnectorConfig, ControllerConfig};

use crate::connect::{FILES, with_connector};
use crate::faults::{AS_PLUGIN, PLUGIN_USER, cluster_with_plugin_user};
use crate::harness::{Run, Setup, TestCluster};
use crate::streams::{Running, Stream};

const TYPE: &str = "tokenrequest.applicationconnector.kyma-project.io";

fn results(run: &Run) -> Vec<Value> {
    let list: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {run:#?}"));
    assert_eq!(list["kind"], "List", "{run:#?}");
    list["items"].as_array().cloned().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn create_several_prints_a_summary_and_one_failure_does_not_stop_the_others() {
    let cluster = Setup::default().start().await;
    cluster.seed("default", "taken").await;
    let run = cluster.run(&["create", "alpha", "taken", "beta"]).await;
    // The one failure's code: an existing request is exit 1.
    run.failure(1, "1 of 3 Applications failed (taken)");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "a header and a row each: {run:#?}");
    assert!(
        lines[0].starts_with("NAME") && lines[0].contains("RESULT"),
        "{run:#?}"
    );
    assert!(
        lines[1].starts_with("alpha ") && lines[1].contains(" ready "),
        "{run:#?}"
    );
    assert!(
        lines[2].starts_with("taken ") && lines[2].contains(" failed "),
        "{run:#?}"
    );
    assert!(lines[2].contains("already exists"), "{run:#?}");
    assert!(
        lines[3].starts_with("beta ") && lines[3].contains(" ready "),
        "{run:#?}"
    );
    for name in ["alpha", "beta"] {
        let stored = cluster.api("default").get(name).await.unwrap();
        let token = stored.status.and_then(|s| s.token).unwrap();
        assert!(!run.stdout.contains(&token), "the table shows no token");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn scripts_read_each_application_s_outcome_exit_code_and_status() {
    let cluster = Setup::mode(ControllerMode::Error).start().await;
    let run = cluster.run(&["create", "one", "two", "-o", "json"]).await;
    // Both failed the same way: their code, the controller's error.
    run.failure(3, "2 of 2 Applications failed");
    let items = results(&run);
    assert_eq!(items.len(), 2);
    for (item, name) in items.iter().zip(["one", "two"]) {
        assert_eq!(item["name"], name);
        assert_eq!(item["namespace"], "default");
        assert_eq!(item["outcome"], "failed");
        assert_eq!(item["exitCode"], 3);
        assert!(
            item["error"].as_str().unwrap().contains("state \"Error\""),
            "{item}"
        );
    }

    let cluster = Setup::default().start().await;
    let run = cluster.run(&["create", "one", "two", "-o", "yaml"]).await;
    run.success();
    assert!(run.stdout.contains("outcome: ready"), "{run:#?}");
    let run = cluster
        .run(&["create", "three", "four", "-o", "json"])
        .await;
    run.success();
    for item in results(&run) {
        assert_eq!(item["outcome"], "ready");
        assert_eq!(item["exitCode"], 0);
        assert_eq!(item["status"]["state"], "OK");
        assert!(item["status"]["url"].as_str().unwrap().contains("token="));
    }
    let run = cluster
        .run(&["create", "five", "six", "--no-wait", "-o", "name"])
        .await;
    run.success();
    assert_eq!(run.stdout, format!("{TYPE}/five\n{TYPE}/six\n"));
    let run = cluster
        .run(&[
            "create",
            "seven",
            "eight",
            "-o",
            "jsonpath={range .items[*]}{.name}={.outcome}{\"\\n\"}{end}",
        ])
        .await;
    run.success();
    assert_eq!(run.stdout, "seven=ready\neight=ready\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn one_request_s_credentials_are_refused_for_several_before_anything_is_sent() {
    let cluster = Setup::mode(ControllerMode::Off).start().await;
    for format in ["token", "url", "env", "config"] {
        cluster
            .run(&["create", "a", "b", "-o", format])
            .await
            .failure(2, "use -o json")
            .failure(2, "-o jsonpath");
    }
    cluster
        .run(&["create", "a", "a"])
        .await
        .failure(2, "Application a is given twice");
    let seen = cluster.sandbox.server().requests();
    assert!(seen.is_empty(), "nothing sent: {seen:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_batch_shares_one_watch_of_its_namespace() {
    let cluster = cluster_with_plugin_user(ControllerConfig::default()).await;
    let names: Vec<String> = (0..6).map(|i| format!("app-{i}")).collect();
    let mut args: Vec<&str> = vec!["create", "--concurrency", "3", "-o", "name"];
    args.extend(names.iter().map(String::as_str));
    args.extend(AS_PLUGIN);
    cluster.run(&args).await.success();
    let watches: Vec<_> = cluster
        .sandbox
        .server()
        .requests()
        .into_iter()
        .filter(|r| r.user == PLUGIN_USER && r.verb == Verb::Watch)
        .collect();
    assert_eq!(watches.len(), 1, "one watch for six waits: {watches:#?}");
    assert_eq!(watches[0].name, None, "of the namespace, not of one name");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_signal_in_the_middle_creates_nothing_more_and_names_what_was_left() {
    let cluster = Setup::mode(ControllerMode::Off).start().await;
    let names: Vec<String> = (0..5).map(|i| format!("left-{i}")).collect();
    let mut args: Vec<&str> = vec!["create", "--concurrency", "2", "-n", "ci", "-v=6"];
    args.extend(names.iter().map(String::as_str));
    let mut running = Running::spawn(cluster.command(&args));
    // Two creates answered: two requests exist, waiting for a controller that never comes.
    running
        .wait_for(Stream::Stderr, &["POST https://", " 201 Created in "])
        .await;
    running
        .wait_for(Stream::Stderr, &["POST https://", " 201 Created in "])
        .await;
    running.signal("TERM");
    let run = running.finish().await;
    run.failure(143, "were created and left in place");
    let created: Vec<String> = cluster
        .api("ci")
        .list(&Default::default())
        .await
        .unwrap()
        .items
        .iter()
        .map(|r| r.metadata.name.clone().unwrap())
        .collect();
    assert_eq!(
        created.len(),
        2,
        "nothing more after the signal: {created:?}"
    );
    let delete = format!("kubectl tokenrequest delete {} -n ci", created.join(" "));
    assert!(run.stderr.contains(&delete), "one delete for all: {run:#?}");
    let creates = cluster
        .sandbox
        .server()
        .requests()
        .iter()
        .filter(|r| r.verb == Verb::Create)
        .count();
    assert_eq!(creates, 2, "{run:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn one_progress_bar_on_a_terminal_and_none_off_one() {
    // A controller that takes its time, so the bar is drawn before the run ends.
    let cluster = Setup {
        delay: Duration::from_millis(700),
        ..Setup::default()
    }
    .start()
    .await;
    let run = cluster.run_on_terminal(&["create", "p1", "p2", "p3"]).await;
    assert_eq!(run.code, 0, "{run:#?}");
    assert!(run.stdout.contains("/3 Applications"), "{run:#?}");
    let run = cluster.run(&["create", "q1", "q2", "q3"]).await;
    run.success();
    assert!(!run.stderr.contains("Applications"), "{run:#?}");
    assert!(!run.stdout.contains("/3 Applications"), "{run:#?}");
}

async fn connect_all(cluster: &TestCluster, ca: &Path, dir: &Path, extra: &[&str]) -> Run {
    let mut args = vec![
        "connect",
        "app-a",
        "app-b",
        "app-c",
        "--out-dir",
        dir.to_str().unwrap(),
        "--certificate-authority",
        ca.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    cluster.run(&args).await
}

#[tokio::test(flavor = "multi_thread")]
async fn connect_several_writes_dir_app_each_and_a_rerun_skips_what_is_connected() {
    let (cluster, ca) = with_connector(ConnectorConfig::default()).await;
    let dir = cluster.dir.path().join("landscape");
    let run = connect_all(&cluster, &ca, &dir, &["-o", "json"]).await;
    run.success();
    let items = results(&run);
    assert_eq!(items.len(), 3);
    for (item, name) in items.iter().zip(["app-a", "app-b", "app-c"]) {
        assert_eq!(item["outcome"], "connected", "{item}");
        let app_dir = dir.join(name);
        assert_eq!(item["files"]["directory"], app_dir.to_str().unwrap());
        for file in FILES {
            assert!(app_dir.join(file).is_file(), "{name}/{file}");
        }
        assert!(item["certificateExpires"].is_string(), "{item}");
    }
    let certificates = |name: &str| std::fs::read(dir.join(name).join("client.crt")).unwrap();
    let before = certificates("app-b");
    let issued = cluster.sandbox.connector().unwrap().requests().len();

    // Again: every directory is connected already; nothing is asked of the Connector Service
    // but whether it accepts them.
    let run = connect_all(&cluster, &ca, &dir, &[]).await;
    run.success();
    assert_eq!(
        run.stdout.matches("already connected").count(),
        3,
        "{run:#?}"
    );
    assert_eq!(certificates("app-b"), before);
    let calls = cluster.sandbox.connector().unwrap().requests();
    assert!(
        calls[issued..]
            .iter()
            .all(|call| !(call.method == "POST" && call.path.ends_with("/certificates"))),
        "no certificate issued: {calls:#?}"
    );

    // --force connects them again, with new certificates.
    let run = connect_all(&cluster, &ca, &dir, &["--force", "--refresh"]).await;
    run.success();
    assert_eq!(run.stdout.matches(" connected ").count(), 3, "{run:#?}");
    assert_ne!(certificates("app-b"), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn connect_several_reports_each_failure_beside_the_successes() {
    let (cluster, ca) = with_connector(ConnectorConfig::default()).await;
    let dir = cluster.dir.path().join("partial");
    // app-b's directory holds something connect must not replace.
    std::fs::create_dir_all(dir.join("app-b")).unwrap();
    std::fs::write(dir.join("app-b").join("client.key"), "not a connection").unwrap();
    let run = connect_all(&cluster, &ca, &dir, &[]).await;
    run.failure(1, "1 of 3 Applications failed (app-b)");
    let row = |name: &str| {
        run.stdout
            .lines()
            .find(|line| line.starts_with(name))
            .unwrap_or_else(|| panic!("{name}: {run:#?}"))
            .to_string()
    };
    assert!(row("app-a").contains(" connected "), "{run:#?}");
    assert!(row("app-b").contains(" failed "), "{run:#?}");
    assert!(
        row("app-b").contains("already holds client.key"),
        "{run:#?}"
    );
    assert!(row("app-c").contains(" connected "), "{run:#?}");
    assert_eq!(
        std::fs::read_to_string(dir.join("app-b").join("client.key")).unwrap(),
        "not a connection"
    );
    // Nothing was spent for app-b: its directory was checked before its request was made.
    assert!(
        cluster
            .api("default")
            .get_opt("app-b")
            .await
            .unwrap()
            .is_none()
    );
}
