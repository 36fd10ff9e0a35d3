//! The client layer as a user meets it (issue 18): `--request-timeout` limits one request and
//! 0 means no limit; one deadline per command, which no run outlasts; `--timeout 0` means the
//! same everywhere; what no retry can fix fails at once; a throttling server is named as
//! such; retries are told on a terminal; and a timed-out wait says what the API server did.

use std::time::{Duration, Instant};

use tokenrequest_sandbox::controller::ControllerMode;
use tokenrequest_sandbox::server::{FaultConfig, Verb};
use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, BufReader};

use crate::harness::{Run, Setup, TestCluster, cluster, finish};

/// How far past `--timeout` a run may end.
const OVERRUN: Duration = Duration::from_secs(1);

fn no_controller() -> Setup {
    Setup::mode(ControllerMode::Off)
}

/// `args` run to the end, and how long that took.
async fn timed(cluster: &TestCluster, args: &[&str]) -> (Run, Duration) {
    let started = Instant::now();
    let run = cluster.run(args).await;
    (run, started.elapsed())
}

/// The kubeconfig of `cluster` with `edit` applied to its text, written beside it.
fn edited_kubeconfig(cluster: &TestCluster, name: &str, edit: impl Fn(&str) -> String) -> String {
    let text = std::fs::read_to_string(&cluster.kubeconfig).unwrap();
    let path = cluster.dir.path().join(name);
    std::fs::write(&path, edit(&text)).unwrap();
    path.to_string_lossy().into_owned()
}

/// The `-v=6` lines of requests the plugin sent (`GET https://… 200 OK in 3 milliseconds`,
/// `GET https://… failed in …`).
fn request_lines(run: &Run) -> Vec<&str> {
    run.stderr
        .lines()
        .filter(|line| line.contains(" milliseconds") && line.contains("https://"))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn request_timeout_zero_waits_for_a_slow_answer_and_a_limit_is_per_request() {
    let cluster = cluster().await;
    cluster.seed("default", "slowly-listed").await;
    // Slower than the old fixed 10 s budget.
    cluster.sandbox.server().set_faults(FaultConfig {
        delay_ms: 11_000,
        verbs: vec!["list".into()],
        ..FaultConfig::default()
    });
    let run = cluster.run(&["list", "-o", "name"]).await;
    run.success();
    assert!(run.stdout.contains("/slowly-listed"), "{run:#?}");

    let (run, took) = timed(&cluster, &["list", "--request-timeout", "2s"]).await;
    run.failure(
        1,
        "listing TokenRequests in namespace default: no answer from the API server",
    )
    .failure(1, "within 2s (--request-timeout)");
    assert!(took < Duration::from_secs(2) + OVERRUN, "{took:?}");
    let lists = cluster
        .sandbox
        .server()
        .requests()
        .iter()
        .filter(|r| r.verb == Verb::List)
        .count();
    assert_eq!(
        lists, 2,
        "a request that outlasts --request-timeout is not resent"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn no_run_outlasts_its_timeout_on_a_slow_server_or_without_a_controller() {
    // Every answer takes 3 s: the create fits in 5 s, the wait's first look does not.
    let slow = cluster().await;
    slow.sandbox.server().set_faults(FaultConfig {
        delay_ms: 3_000,
        ..FaultConfig::default()
    });
    let (run, took) = timed(&slow, &["create", "my-app", "--timeout", "5s"]).await;
    run.failure(
        4,
        "timed out after 5s waiting for TokenRequest default/my-app",
    )
    .failure(4, "the API server is slow")
    .failure(4, "went on the create");
    assert!(!run.stderr.contains("no controller answered"), "{run:#?}");
    assert!(took < Duration::from_secs(5) + OVERRUN, "{took:?}");

    let (run, took) = timed(&slow, &["connect", "slow-app", "--timeout", "4s"]).await;
    assert_eq!(run.code, 4, "{run:#?}");
    assert!(took < Duration::from_secs(4) + OVERRUN, "{took:?}");

    let lonely = no_controller().start().await;
    let (run, took) = timed(&lonely, &["create", "lonely", "--timeout", "3s"]).await;
    run.failure(4, "timed out after 3s")
        .failure(4, "no controller answered: the request still has no status");
    assert!(took < Duration::from_secs(3) + OVERRUN, "{took:?}");
    let (run, took) = timed(&lonely, &["get", "lonely", "--wait", "--timeout", "2s"]).await;
    run.failure(4, "no controller answered");
    assert!(took < Duration::from_secs(2) + OVERRUN, "{took:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn timeout_zero_waits_for_nothing_and_is_refused_where_an_answer_is_needed() {
    let cluster = no_controller().start().await;
    // connect needs the token: refused before anything is sent.
    cluster
        .run(&["connect", "my-app", "--timeout", "0"])
        .await
        .failure(2, "--timeout 0 waits for nothing");
    let seen = cluster.sandbox.server().requests();
    assert!(seen.is_empty(), "nothing may be sent: {seen:#?}");
    // get --wait --timeout 0 is get: the request as it is.
    cluster.seed("default", "pending").await;
    let run = cluster
        .run(&["get", "pending", "--wait", "--timeout", "0"])
        .await;
    run.success();
    assert!(run.stdout.contains("<pending>"), "{run:#?}");
    // create --timeout 0 returns once the request is stored.
    let run = cluster.run(&["create", "stored", "--timeout", "0"]).await;
    run.success();
    assert!(run.stdout.contains("<pending>"), "{run:#?}");
    // doctor needs answers.
    cluster
        .run(&["doctor", "--timeout", "0"])
        .await
        .failure(2, "0 waits for nothing");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_throttling_server_is_named_as_such_and_its_retry_after_honoured() {
    let cluster = cluster().await;
    cluster.sandbox.server().set_faults(FaultConfig {
        throttle_ratio: 1.0,
        retry_after_seconds: 1,
        verbs: vec!["create".into()],
        ..FaultConfig::default()
    });
    let (run, took) = timed(
        &cluster,
        &["create", "throttled", "--timeout", "4s", "-v=6"],
    )
    .await;
    run.failure(1, "creating TokenRequest default/throttled")
        .failure(1, "is throttling requests (429 Too Many Requests)");
    assert!(!run.stderr.contains("no answer"), "{run:#?}");
    assert!(took < Duration::from_secs(4) + OVERRUN, "{took:?}");
    // Every answer is in the -v=6 log, the 429s included.
    let throttled: Vec<&str> = request_lines(&run)
        .into_iter()
        .filter(|line| {
            line.contains("POST https://") && line.contains(" 429 Too Many Requests in ")
        })
        .collect();
    let creates: Vec<Instant> = cluster
        .sandbox
        .server()
        .requests()
        .iter()
        .filter(|r| r.verb == Verb::Create)
        .map(|r| r.at)
        .collect();
    assert!(creates.len() >= 2, "retried: {creates:?}");
    assert_eq!(throttled.len(), creates.len(), "{run:#?}");
    for pair in creates.windows(2) {
        assert!(
            pair[1] - pair[0] >= Duration::from_millis(950),
            "Retry-After: 1 honoured: {creates:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn what_no_retry_fixes_fails_at_once_naming_the_server() {
    let cluster = cluster().await;
    let address = cluster
        .sandbox
        .url()
        .trim_start_matches("https://")
        .to_string();
    // No CA for the sandbox's certificate: the system's CAs do not know it.
    let untrusted = edited_kubeconfig(&cluster, "untrusted", |text| {
        let mut lines = Vec::new();
        let mut skip = false;
        for line in text.lines() {
            if line.trim_start().starts_with("certificate-authority-data:") {
                skip = true;
                continue;
            }
            if skip && line.starts_with("      ") {
                continue;
            }
            skip = false;
            lines.push(line);
        }
        lines.join("\n")
    });
    let unresolvable = edited_kubeconfig(&cluster, "dns", |text| {
        text.replace(
            &format!("https://{address}"),
            "https://no-such-host.invalid:6443",
        )
    });
    let refused = edited_kubeconfig(&cluster, "refused", |text| {
        text.replace(&format!("https://{address}"), "https://127.0.0.1:1")
    });
    for (kubeconfig, server, why) in [
        (&untrusted, address.as_str(), "the TLS handshake failed"),
        (
            &unresolvable,
            "no-such-host.invalid:6443",
            "its host name no-such-host.invalid does not resolve",
        ),
        (&refused, "127.0.0.1:1", "the connection was refused"),
    ] {
        for args in [
            &["list", "-v=6"][..],
            &["create", "x", "--timeout", "20s", "-v=6"],
        ] {
            let mut command = cluster.command(args);
            command.arg("--kubeconfig").arg(kubeconfig);
            let run = finish(command.spawn().unwrap()).await;
            run.failure(1, &format!("cannot reach the API server {server}: {why}"));
            let tries: Vec<&str> = request_lines(&run)
                .into_iter()
                .filter(|line| line.contains("/tokenrequests"))
                .collect();
            assert_eq!(tries.len(), 1, "one try, no retry ({args:?}): {run:#?}");
            assert!(!run.stderr.contains("trying again"), "{run:#?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn retries_after_the_first_are_told_on_a_terminal_only() {
    let cluster = cluster().await;
    cluster.seed("default", "stays").await;
    cluster.sandbox.server().set_faults(FaultConfig {
        error_ratio: 1.0,
        error_codes: vec![503],
        verbs: vec!["get".into()],
        ..FaultConfig::default()
    });
    let args = ["get", "stays", "--wait", "--timeout", "3s"];
    let run = cluster.run_on_terminal(&args).await;
    assert_eq!(run.code, 1, "{run:#?}");
    let output = run.stdout.replace("\r\n", "\n");
    assert!(
        output.contains("retrying getting TokenRequest default/stays: the API server answered 503"),
        "{output}"
    );
    assert!(output.contains("(try 2 failed, "), "{output}");
    assert!(
        !output.contains("(try 1 failed, "),
        "the first retry is quiet: {output}"
    );
    assert!(output.contains("retried for"), "{output}");

    let run = cluster.run(&args).await;
    run.failure(1, "getting TokenRequest default/stays")
        .failure(1, "retried for");
    assert!(!run.stderr.contains("retrying"), "off a terminal: {run:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wait_that_lost_its_api_server_says_so_instead_of_blaming_the_controller() {
    let cluster = no_controller().start().await;
    let mut child = cluster
        .command(&["create", "orphan", "--timeout", "8s", "-v=6"])
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    // The watch of the wait is answered: the wait is under way.
    let watching = tokio::time::timeout(Duration::from_secs(20), async {
        let mut line = String::new();
        loop {
            line.clear();
            if stderr.read_line(&mut line).await.unwrap() == 0 {
                return false;
            }
            seen.push_str(&line);
            if line.contains("watch=true") && line.contains(" 200 OK in ") {
                return true;
            }
        }
    })
    .await
    .expect("the wait should start watching");
    assert!(watching, "{seen}");
    let TestCluster {
        sandbox,
        kubeconfig: _kubeconfig,
        dir: _dir,
    } = cluster;
    sandbox.shutdown().await;
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).await.unwrap();
    let status = child.wait().await.unwrap();
    assert_eq!(status.code(), Some(4), "{seen}{rest}");
    assert!(
        rest.contains("the API server has failed every request for the last"),
        "{rest}"
    );
    assert!(
        rest.contains("so whether a controller answered is unknown"),
        "{rest}"
    );
    assert!(!rest.contains("no controller answered"), "{rest}");
}

#[tokio::test(flavor = "multi_thread")]
async fn verbose_levels_log_one_line_a_request_as_kubectl() {
    let cluster = cluster().await;
    cluster.seed("default", "logged").await;
    for level in ["-v=4", "-v=6"] {
        let run = cluster.run(&["get", "logged", level]).await;
        run.success();
        // The hint on a pending request (or the note on a hidden token, once the controller
        // answered) is on stderr too; the rest is the log.
        let lines: Vec<&str> = run
            .stderr
            .lines()
            .filter(|line| !line.starts_with("Hint: ") && !line.starts_with("Note: "))
            .collect();
        let requests = request_lines(&run);
        assert_eq!(requests.len(), 1, "{run:#?}");
        assert!(requests[0].contains("GET https://"), "{run:#?}");
        assert!(requests[0].contains(" 200 OK in "), "{run:#?}");
        // Besides it, only which proxy the server is reached through.
        assert_eq!(lines.len(), 2, "{run:#?}");
        for noisy in ["hyper", "tower", "kube_client", "HTTP{"] {
            assert!(!run.stderr.contains(noisy), "{noisy}: {run:#?}");
        }
    }
}
