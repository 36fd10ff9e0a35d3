//! `list -w` beside `kubectl get -w`: both watch the same sandbox while the same changes
//! happen, both end at `--request-timeout` with exit 0, and print the same.

use std::time::{Duration, Instant};

use tokenrequest_sandbox::controller::ControllerMode;

use crate::harness::{Run, Setup, TestCluster, finish};

/// How long every watch runs: long enough for all of them to start on a busy machine.
const WATCH_FOR: &str = "10";

async fn cluster_with_two() -> TestCluster {
    let cluster = Setup::mode(ControllerMode::Off).start().await;
    cluster.seed("default", "w-kept").await;
    cluster.seed("default", "w-gone").await;
    cluster
}

/// Starts kubectl `get tokenrequests -w ARGS` and the plugin's `list -w ARGS` for each case,
/// waits until every one is watching, creates `w-new` and deletes `w-gone`, and returns each
/// pair of runs once the request timeout has ended them.
async fn watch_both(cluster: &TestCluster, cases: &[&[&str]]) -> Vec<(Run, Run)> {
    watch_both_while(cluster, cases, &["w-new"], &["w-gone"]).await
}

/// [`watch_both`], creating `create` and then deleting `delete` in the default namespace
/// while they watch.
async fn watch_both_while(
    cluster: &TestCluster,
    cases: &[&[&str]],
    create: &[&str],
    delete: &[&str],
) -> Vec<(Run, Run)> {
    let timeout = format!("--request-timeout={WATCH_FOR}");
    let mut children = Vec::new();
    for args in cases {
        let kubectl = cluster
            .kubectl_command(&[&["get", "tokenrequests", &timeout][..], args].concat())
            .spawn()
            .expect("spawn kubectl");
        let plugin = cluster
            .command(&[&["list", &timeout][..], args].concat())
            .spawn()
            .expect("spawn the plugin");
        children.push((kubectl, plugin));
    }
    let server = cluster.sandbox.server();
    let watchers = 2 * cases.len() as u64;
    tokio::time::timeout(Duration::from_secs(8), async {
        while server.watch_requests_with("") < watchers {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("every watch should start in time");
    for name in create {
        cluster.seed("default", name).await;
    }
    for name in delete {
        cluster
            .api("default")
            .delete(name, &Default::default())
            .await
            .unwrap();
    }
    let mut runs = Vec::new();
    for (kubectl, plugin) in children {
        runs.push((finish(kubectl).await, finish(plugin).await));
    }
    runs
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_output_is_kubectls_in_every_machine_format() {
    let cluster = cluster_with_two().await;
    let cases: &[&[&str]] = &[
        &["-w", "-o", "name"],
        &["-w", "-o", "name", "--output-watch-events"],
        &["--watch-only", "-o", "name"],
        &["-w", "-o", "json"],
        &["-w", "-o", "json", "--output-watch-events"],
        &["-w", "-o", "yaml"],
        &["-w", "-o", "yaml", "--output-watch-events"],
        &["-w", "-o", "jsonpath={.metadata.name}{\"\\n\"}"],
        &[
            "-w",
            "-o",
            "custom-columns=N:.metadata.name,T:.type,O:.object.metadata.name",
            "--output-watch-events",
        ],
        &[
            "-w",
            "-o",
            "custom-columns=NAME:.metadata.name,UID:.metadata.uid",
        ],
    ];
    let runs = watch_both(&cluster, cases).await;
    for (args, (kubectl, plugin)) in cases.iter().zip(&runs) {
        assert_eq!(kubectl.code, 0, "{args:?}: {kubectl:#?}");
        assert_eq!(kubectl.stderr, "", "{args:?}: {kubectl:#?}");
        assert_eq!(
            plugin.code, 0,
            "{args:?}: the request timeout ends the watch: {plugin:#?}"
        );
        assert_eq!(
            plugin.stdout, kubectl.stdout,
            "{args:?}: the plugin differs from kubectl\nkubectl: {kubectl:#?}\nplugin: {plugin:#?}"
        );
    }
    // The changes were seen (so the comparison above compared something).
    let (_, names) = &runs[0];
    assert_eq!(
        names.stdout,
        "tokenrequest.applicationconnector.kyma-project.io/w-gone\n\
         tokenrequest.applicationconnector.kyma-project.io/w-kept\n\
         tokenrequest.applicationconnector.kyma-project.io/w-new\n\
         tokenrequest.applicationconnector.kyma-project.io/w-gone\n"
    );
}

/// The first `n` words of each line: the columns kubectl's table and the plugin's share.
fn leading(text: &str, n: usize) -> Vec<Vec<&str>> {
    text.lines()
        .map(|line| line.split_whitespace().take(n).collect())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_tables_have_one_header_and_an_event_column_only_when_asked() {
    let cluster = cluster_with_two().await;
    let cases: &[&[&str]] = &[
        &["-w"],
        &["-w", "--output-watch-events"],
        &["-w", "--no-headers"],
        &["--watch-only", "--output-watch-events"],
    ];
    let runs = watch_both(&cluster, cases).await;
    for (args, (kubectl, plugin)) in cases.iter().zip(&runs) {
        assert_eq!(
            (kubectl.code, plugin.code),
            (0, 0),
            "{args:?}: {kubectl:#?} {plugin:#?}"
        );
        // kubectl shows NAME and AGE, the plugin NAME, STATE, EXPIRES and AGE: the lines and
        // the leading columns (EVENT, NAME) are the same.
        let words = if args.contains(&"--output-watch-events") {
            2
        } else {
            1
        };
        assert_eq!(
            leading(&plugin.stdout, words),
            leading(&kubectl.stdout, words),
            "{args:?}\nkubectl:\n{}\nplugin:\n{}",
            kubectl.stdout,
            plugin.stdout
        );
    }
    let (_, plain) = &runs[0];
    assert_eq!(
        plain.stdout.matches("NAME").count(),
        1,
        "one header: {plain:#?}"
    );
    assert!(!plain.stdout.contains("EVENT") && !plain.stdout.contains("ADDED"));
    // One layout: every line's STATE column starts where the header's does.
    let at = plain.stdout.find("STATE").unwrap();
    for line in plain.stdout.lines().skip(1) {
        assert_eq!(line.as_bytes()[at - 1], b' ', "{line:?}");
        assert_ne!(line.as_bytes()[at], b' ', "{line:?}");
    }
    let (_, events) = &runs[1];
    assert!(events.stdout.starts_with("EVENT      NAME "), "{events:#?}");
}

/// Where each line's `column`th column (0-based) starts: the plugin's and kubectl's tables
/// share their leading columns, so the column after them starts where kubectl's does when
/// both size them alike.
fn column_starts(text: &str, column: usize) -> Vec<usize> {
    text.lines()
        .map(|line| {
            let mut starts = line
                .char_indices()
                .filter(|&(i, c)| c != ' ' && (i == 0 || line.as_bytes()[i - 1] == b' '))
                .map(|(i, _)| i);
            starts.nth(column).unwrap_or(line.len())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_tables_are_sized_by_their_content_as_kubectls_are() {
    let cluster = Setup::mode(ControllerMode::Off).start().await;
    cluster.seed("default", "w1").await;
    cluster.seed("default", "w2").await;
    let long = "w3-a-name-longer-than-the-first-ones";
    let cases: &[&[&str]] = &[
        &["-w"],
        &["-A", "-o", "wide", "-w"],
        &["--watch-only"],
        &["-w", "--output-watch-events"],
        &["-w", "--no-headers"],
    ];
    let runs = watch_both_while(&cluster, cases, &["w3", long, "w4"], &[]).await;
    for (args, (kubectl, plugin)) in cases.iter().zip(&runs) {
        assert_eq!(
            (kubectl.code, plugin.code),
            (0, 0),
            "{args:?}: {kubectl:#?} {plugin:#?}"
        );
        // The columns both print (NAMESPACE with -A, EVENT with --output-watch-events, NAME)
        // are as wide as kubectl makes them, line by line: the header and the first requests
        // sized together, each change after them with those widths, widened by the long name
        // and never narrowed after it.
        let shared = 1
            + usize::from(args.contains(&"-A"))
            + usize::from(args.contains(&"--output-watch-events"));
        let (theirs, ours) = (&kubectl.stdout, &plugin.stdout);
        assert_eq!(
            column_starts(ours, shared),
            column_starts(theirs, shared),
            "{args:?}\nkubectl:\n{theirs}\nplugin:\n{ours}"
        );
        assert!(
            ours.contains(long),
            "{args:?}: the changes were seen: {ours}"
        );
    }
    // Sized by the content: the header of `-A -o wide -w` over short names is as wide as its
    // cells need (kubectl 1.32 makes its NAME column 4 + 3 wide here too), far from the 230
    // columns of fixed minimum widths.
    let (_, wide) = &runs[1];
    let header = wide.stdout.lines().next().unwrap();
    assert_eq!(
        header,
        "NAMESPACE   NAME   STATE       EXPIRES     AGE   APPLICATION   TENANT   GROUP    URL-HOST",
        "{wide:#?}"
    );
    let first = wide.stdout.lines().nth(1).unwrap();
    assert!(
        first.starts_with("default     w1     <pending>   <pending>   "),
        "{wide:#?}"
    );
    assert!(
        wide.stdout
            .lines()
            .take_while(|line| !line.contains(long))
            .all(|line| line.len() <= header.len()),
        "until the long name, no line is wider than the header: {wide:#?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn request_timeout_ends_a_watch_with_success() {
    let cluster = cluster_with_two().await;
    let started = Instant::now();
    let run = cluster
        .run(&["list", "-w", "-o", "name", "--request-timeout", "2"])
        .await;
    let took = started.elapsed();
    run.success();
    assert!(took >= Duration::from_secs(2), "ended early: {took:?}");
    assert!(took < Duration::from_secs(15), "did not end: {took:?}");
    assert_eq!(run.stdout.lines().count(), 2, "{run:#?}");
    assert_eq!(run.stderr, "");
}
