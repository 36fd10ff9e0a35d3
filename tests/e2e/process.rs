//! How the plugin behaves as a process, the way scripts run it: a real closed pipe, a real
//! full disk, real signals, and kubectl's rules for namespaces, kubeconfig lists and connection
//! errors.

use std::process::Stdio;
use std::time::Duration;

use tokenrequest_sandbox::controller::ControllerMode;
use tokenrequest_sandbox::server::FaultConfig;

use crate::harness::{Setup, TestCluster, cluster, finish};
use crate::streams::{Running, Stream, create_waiting};

/// Seeds `count` requests straight into the store: expired ones when `expired`.
fn seed_many(cluster: &TestCluster, count: usize, expired: bool) {
    for index in 0..count {
        cluster.seed_ready(
            &format!("many-{index:05}"),
            if expired { -3600 } else { 3600 },
        );
    }
}

/// `bash -c SCRIPT` with the plugin as `$P` and this sandbox's kubeconfig as `$K`.
fn shell(cluster: &TestCluster, script: &str) -> tokio::process::Command {
    let mut command = tokio::process::Command::new("bash");
    command
        .args(["-c", script])
        .env("P", env!("CARGO_BIN_EXE_kubectl-tokenrequest"))
        .env("K", &cluster.kubeconfig)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    command
}

#[tokio::test(flavor = "multi_thread")]
async fn a_closed_stdout_ends_the_command_quietly_with_sigpipes_status() {
    let cluster = Setup::mode(ControllerMode::Off).start().await;
    // Far more than a pipe holds (64 KiB), so writes go on after `head` has gone.
    seed_many(&cluster, 8000, true);
    for command in [
        "list",
        "list -o name",
        "list -o json",
        "list -o yaml",
        "list -o wide",
        "list -o jsonpath={.items[*].status.url}",
        "cleanup --dry-run -o name",
    ] {
        let script = format!(
            "set -o pipefail; \"$P\" {command} --kubeconfig \"$K\" | head -c 10 > /dev/null"
        );
        let run = finish(shell(&cluster, &script).spawn().unwrap()).await;
        assert_eq!(run.code, 141, "{command}: {run:#?}");
        assert!(!run.stderr.contains("error"), "{command}: quiet: {run:#?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_watch_into_a_closed_pipe_ends_at_the_next_event() {
    let cluster = Setup::mode(ControllerMode::Off).start().await;
    cluster.seed("default", "first").await;
    // `head` takes its line and exits; the group then closes its own copy of the pipe, so
    // nothing reads it any more when it says so.
    let script = "set -o pipefail; \"$P\" list -w -o name --kubeconfig \"$K\" \
        | { head -1; exec 0<&-; echo 'pipe closed'; }";
    let mut running = Running::spawn(shell(&cluster, script));
    running.wait_for(Stream::Stdout, &["pipe closed"]).await;
    // The next event's write meets the closed pipe.
    cluster.seed("default", "second").await;
    cluster.seed("default", "third").await;
    let run = tokio::time::timeout(Duration::from_secs(20), running.finish())
        .await
        .expect("the watch must end once its stdout is closed");
    assert_eq!(run.code, 141, "{run:#?}");
    assert_eq!(
        run.stdout,
        "tokenrequest.applicationconnector.kyma-project.io/first\npipe closed\n"
    );
    assert_eq!(run.stderr, "", "{run:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_disk_says_what_was_not_written_and_that_the_request_exists() {
    let cluster = cluster().await;
    let script = "\"$P\" create full-disk -o url --kubeconfig \"$K\" > /dev/full";
    let run = finish(shell(&cluster, script).spawn().unwrap()).await;
    run.failure(1, "writing the output failed")
        .failure(1, "TokenRequest default/full-disk was created")
        .failure(1, "kubectl tokenrequest get full-disk -n default");
    assert!(
        cluster
            .api("default")
            .get_opt("full-disk")
            .await
            .unwrap()
            .is_some()
    );

    for script in [
        "\"$P\" --help > /dev/full",
        "\"$P\" list --help > /dev/full",
        "\"$P\" --version > /dev/full",
        "\"$P\" get full-disk -o name --kubeconfig \"$K\" > /dev/full",
        "\"$P\" list --kubeconfig \"$K\" > /dev/full",
        "\"$P\" list -o wide --chunk-size 1 --kubeconfig \"$K\" > /dev/full",
    ] {
        let run = finish(shell(&cluster, script).spawn().unwrap()).await;
        run.failure(1, "No space left on device");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_is_handled_like_ctrl_c_and_exits_143() {
    let cluster = Setup::mode(ControllerMode::Off).start().await;
    let running = create_waiting(&cluster, "terminated", "ci").await;
    running.signal("TERM");
    running
        .finish()
        .await
        .failure(143, "terminated")
        .failure(143, "kubectl tokenrequest delete terminated -n ci");

    // Nothing left behind: nothing said, the signal's status all the same. The initial list
    // printed, the run is watching.
    cluster.seed("default", "listed").await;
    let mut running = Running::spawn(cluster.command(&["list", "-w", "-o", "name"]));
    running.wait_for(Stream::Stdout, &["/listed"]).await;
    running.signal("INT");
    let run = running.finish().await;
    assert_eq!(run.code, 130, "{run:#?}");
    assert!(
        !run.stderr.contains("error") && !run.stderr.contains("interrupted"),
        "an interrupted watch is quiet: {run:#?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn namespaces_and_kubeconfig_lists_follow_kubectls_rules() {
    // No controller, so the only requests the sandbox sees are the plugin's.
    let cluster = Setup::mode(ControllerMode::Off).start().await;
    cluster.seed("default", "in-default").await;
    // An empty -n (an unset $NS) means the context's namespace.
    let run = cluster.run(&["list", "-n", "", "-o", "name"]).await;
    run.success();
    assert!(run.stdout.contains("/in-default"), "{run:#?}");
    let run = cluster
        .run(&["create", "zz", "-n", "", "--no-wait", "-o", "name"])
        .await;
    run.success();
    assert!(
        cluster
            .api("default")
            .get_opt("zz")
            .await
            .unwrap()
            .is_some()
    );

    // A namespace that is not an RFC 1123 label never reaches a URL.
    let before = cluster.sandbox.server().requests().len();
    cluster
        .run(&["list", "-n", "Bad NS"])
        .await
        .failure(1, "invalid namespace \"Bad NS\"")
        .failure(1, "RFC 1123 label");
    assert_eq!(cluster.sandbox.server().requests().len(), before);

    // Missing files in KUBECONFIG are skipped; all missing is a message naming them.
    let missing = cluster.dir.path().join("missing");
    let listed = format!("{}:{}", missing.display(), cluster.kubeconfig.display());
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_kubectl-tokenrequest"));
    command
        .args(["list", "-o", "name"])
        .env_clear()
        .env("HOME", cluster.dir.path())
        .env("KUBECONFIG", &listed)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let run = finish(command.spawn().unwrap()).await;
    run.success();
    assert!(run.stdout.contains("/in-default"), "{run:#?}");
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_kubectl-tokenrequest"));
    command
        .arg("list")
        .env_clear()
        .env("HOME", cluster.dir.path())
        .env(
            "KUBECONFIG",
            format!("{}:/nowhere/config", missing.display()),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    finish(command.spawn().unwrap())
        .await
        .failure(1, "none of the files it lists exists")
        .failure(1, "/nowhere/config");
}

#[tokio::test(flavor = "multi_thread")]
async fn connection_errors_name_the_server_and_say_what_happened() {
    let cluster = cluster().await;
    let with_server = |server: &str, name: &str| {
        let text = std::fs::read_to_string(&cluster.kubeconfig)
            .unwrap()
            .replace(&cluster.sandbox.url(), server);
        let path = cluster.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    // A closed port, during create: refused, not "no clear answer".
    let refused = with_server("http://127.0.0.1:1", "refused");
    let mut command = cluster.command(&["create", "x", "--timeout", "5s"]);
    command.arg("--kubeconfig").arg(&refused);
    finish(command.spawn().unwrap())
        .await
        .failure(1, "cannot reach the API server 127.0.0.1:1")
        .failure(1, "the connection was refused");

    // A slow server under --request-timeout: it did not answer, after how long.
    cluster.sandbox.server().set_faults(FaultConfig {
        delay_ms: 5_000,
        ..FaultConfig::default()
    });
    let run = cluster.run(&["list", "--request-timeout", "1"]).await;
    run.failure(1, "127.0.0.1");
    assert!(
        run.stderr.contains("did not answer after 1s") || run.stderr.contains("within 1s"),
        "{run:#?}"
    );
    cluster.sandbox.server().set_faults(FaultConfig::default());

    // A host name that does not resolve.
    let unresolvable = with_server("http://no-such-host.invalid:6443", "dns");
    let mut command = cluster.command(&["list", "--request-timeout", "5s"]);
    command.arg("--kubeconfig").arg(&unresolvable);
    finish(command.spawn().unwrap())
        .await
        .failure(1, "cannot reach the API server no-such-host.invalid:6443")
        .failure(1, "does not resolve");

    // A credential plugin that is not installed: named, with where kubectl looks.
    let exec = cluster.dir.path().join("exec");
    std::fs::write(
        &exec,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {{server: '{}'}}\n\
             users:\n- name: u\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n\
             \x20     command: kubelogin-missing\n      installHint: 'install kubelogin from your IT'\n\
             \x20     interactiveMode: Never\n\
             contexts:\n- name: x\n  context: {{cluster: c, user: u}}\ncurrent-context: x\n",
            cluster.sandbox.url()
        ),
    )
    .unwrap();
    let mut command = cluster.command(&["list"]);
    command.arg("--kubeconfig").arg(&exec);
    finish(command.spawn().unwrap())
        .await
        .failure(1, "\"kubelogin-missing\" was not found")
        .failure(1, "PATH")
        .failure(1, "install kubelogin from your IT");
}

#[tokio::test(flavor = "multi_thread")]
async fn verbose_logs_carry_status_and_latency_and_cleanup_without_the_api_says_only_why() {
    let cluster = cluster().await;
    let run = cluster.run(&["list", "-v=6"]).await;
    run.success();
    let line = run
        .stderr
        .lines()
        .find(|l| l.contains("GET http") && l.contains(" milliseconds"))
        .unwrap_or_else(|| panic!("a request line: {run:#?}"));
    assert!(line.contains("/tokenrequests"), "{line}");
    assert!(line.contains(" 200 OK in "), "{line}");

    let without = Setup {
        serve_group: false,
        ..Setup::default()
    }
    .start()
    .await;
    let run = without.run(&["cleanup"]).await;
    run.failure(1, "does not serve");
    assert!(
        !run.stderr.contains("0 deleted"),
        "no summary of nothing: {run:#?}"
    );
}
