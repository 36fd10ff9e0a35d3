//! `create` under every fault the sandbox can inject: it ends with a token or a documented exit
//! code that names the cause, within `--timeout` (plus a margin), and never stores or sends a
//! second create when the first one may have gone through.
//!
//! The plugin runs as its own user (`plugin`, context `sandbox-plugin`) and the faults are
//! limited to that user, so the controller keeps working unless a test breaks it on purpose.

use std::time::Duration;

use kubectl_tokenrequest::tokenrequest::TokenRequest;
use tokenrequest_sandbox::server::{FaultConfig, RequestRecord, User, Verb, Verbs};
use tokenrequest_sandbox::{ControllerConfig, ControllerMode, Sandbox, SandboxConfig};

use crate::harness::{Run, TestCluster, assert_no_secret, token_of};

pub const PLUGIN_USER: &str = "plugin";
/// Put after the command's own arguments: the plugin's user, whom the faults hit.
pub const AS_PLUGIN: [&str; 2] = ["--context", "sandbox-plugin"];

/// A sandbox whose users include `plugin` (every verb); faults set through
/// [`plugin_faults`] hit only that user.
pub async fn cluster_with_plugin_user(controller: ControllerConfig) -> TestCluster {
    let mut users = User::defaults();
    users.push(User::new(PLUGIN_USER, "sandbox-plugin-token", Verbs::ALL));
    let sandbox = Sandbox::start(SandboxConfig {
        server: tokenrequest_sandbox::ServerConfig {
            users,
            ..Default::default()
        },
        controller,
        ..SandboxConfig::default()
    })
    .await
    .expect("start the sandbox");
    TestCluster::around(sandbox)
}

pub fn plugin_faults(faults: FaultConfig) -> FaultConfig {
    FaultConfig {
        users: vec![PLUGIN_USER.to_string()],
        ..faults
    }
}

async fn as_plugin(cluster: &TestCluster, args: &[&str]) -> Run {
    let mut all = args.to_vec();
    all.extend(AS_PLUGIN);
    cluster.run(&all).await
}

fn plugin_requests(cluster: &TestCluster) -> Vec<RequestRecord> {
    cluster
        .sandbox
        .server()
        .requests()
        .into_iter()
        .filter(|r| r.user == PLUGIN_USER)
        .collect()
}

/// Creates of the plugin that stored an object, whatever answer the plugin then got.
fn creates_carried_out(cluster: &TestCluster) -> usize {
    plugin_requests(cluster)
        .iter()
        .filter(|r| r.verb == Verb::Create && r.outcome == Some(201))
        .count()
}

async fn stored(cluster: &TestCluster) -> Vec<TokenRequest> {
    cluster
        .api("default")
        .list(&Default::default())
        .await
        .unwrap()
        .items
}

/// `create NAME -o url` under `faults` succeeds with a URL that carries the stored token,
/// leaves exactly one request, and had exactly one create carried out.
async fn create_succeeds_under(faults: FaultConfig, name: &str) -> TestCluster {
    let cluster = cluster_with_plugin_user(ControllerConfig::default()).await;
    cluster.sandbox.server().set_faults(plugin_faults(faults));
    let run = as_plugin(&cluster, &["create", name, "-o", "url", "--timeout", "40s"]).await;
    cluster.sandbox.server().set_faults(FaultConfig::default());
    run.success();
    let token = token_of(&cluster, "default", name).await;
    assert!(
        run.stdout.trim().ends_with(&format!("token={token}")),
        "{run:#?}"
    );
    assert_no_secret(&run, &token);
    let names: Vec<_> = stored(&cluster)
        .await
        .iter()
        .map(|r| r.name().to_string())
        .collect();
    assert_eq!(names, [name], "exactly the one request");
    assert_eq!(
        creates_carried_out(&cluster),
        1,
        "{:#?}",
        plugin_requests(&cluster)
    );
    cluster
}

#[tokio::test(flavor = "multi_thread")]
async fn a_create_answered_500_after_it_was_stored_is_found_not_resent() {
    let cluster = create_succeeds_under(
        FaultConfig {
            error_ratio: 1.0,
            error_codes: vec![500],
            verbs: vec!["create".into()],
            after_handling: true,
            ..FaultConfig::default()
        },
        "lost-answer",
    )
    .await;
    let verbs: Vec<Verb> = plugin_requests(&cluster).iter().map(|r| r.verb).collect();
    assert_eq!(
        verbs[..2],
        [Verb::Create, Verb::Get],
        "checked before resending"
    );
    assert_eq!(verbs.iter().filter(|v| **v == Verb::Create).count(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_create_whose_connection_closed_after_storing_is_found_not_resent() {
    let cluster = create_succeeds_under(
        FaultConfig {
            close_ratio: 1.0,
            verbs: vec!["create".into()],
            after_handling: true,
            ..FaultConfig::default()
        },
        "closed-after",
    )
    .await;
    assert_eq!(cluster.sandbox.server().fault_counts().closed, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_create_resent_after_a_503_meets_409_and_is_recognised() {
    // A 503 says the server turned the create away, so the one retry policy sends it again
    // without looking first; this server had stored it anyway, and the resend finds the
    // stored object (409), which carries this run's create id.
    let cluster = create_succeeds_under(
        FaultConfig {
            // This seed fails the first create and lets the second through.
            seed: 10,
            error_ratio: 0.5,
            error_codes: vec![503],
            verbs: vec!["create".into()],
            after_handling: true,
            ..FaultConfig::default()
        },
        "resent-after-503",
    )
    .await;
    let creates: Vec<_> = plugin_requests(&cluster)
        .into_iter()
        .filter(|r| r.verb == Verb::Create)
        .collect();
    assert!(
        creates.len() >= 2,
        "the create should have been resent: {creates:#?}"
    );
    assert!(creates[1..].iter().all(|r| r.outcome == Some(409)));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_gateway_timeout_after_storing_is_checked_with_a_get_not_resent() {
    // A 504 may hide a stored create: a GET finds this run's own object, and no second
    // create is sent.
    let cluster = create_succeeds_under(
        FaultConfig {
            seed: 10,
            error_ratio: 0.5,
            error_codes: vec![504],
            verbs: vec!["create".into()],
            after_handling: true,
            ..FaultConfig::default()
        },
        "stored-behind-504",
    )
    .await;
    let requests = plugin_requests(&cluster);
    let creates: Vec<_> = requests.iter().filter(|r| r.verb == Verb::Create).collect();
    assert_eq!(creates.len(), 1, "checked, not resent: {creates:#?}");
    assert_eq!(creates[0].code, Some(504));
    assert!(
        requests
            .iter()
            .any(|r| r.verb == Verb::Get && r.at > creates[0].at),
        "a GET after the 504: {requests:#?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn failures_before_handling_are_resent_until_one_goes_through() {
    for (faults, name) in [
        (
            FaultConfig {
                seed: 8,
                error_ratio: 0.5,
                error_codes: vec![500, 502, 503],
                ..FaultConfig::default()
            },
            "errors",
        ),
        (
            FaultConfig {
                seed: 10,
                close_ratio: 0.5,
                ..FaultConfig::default()
            },
            "closed",
        ),
    ] {
        let cluster = create_succeeds_under(faults, name).await;
        let counts = cluster.sandbox.server().fault_counts();
        assert!(counts.errors + counts.closed > 0, "{name}: no fault fired");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn throttled_creates_wait_for_retry_after() {
    let cluster = cluster_with_plugin_user(ControllerConfig::default()).await;
    cluster
        .sandbox
        .server()
        .set_faults(plugin_faults(FaultConfig {
            throttle_ratio: 1.0,
            retry_after_seconds: 1,
            verbs: vec!["create".into()],
            ..FaultConfig::default()
        }));
    let child = cluster
        .command(&[
            "create",
            "throttled",
            "-o",
            "name",
            "--context",
            "sandbox-plugin",
        ])
        .spawn()
        .unwrap();
    tokio::time::timeout(Duration::from_secs(20), async {
        while cluster.sandbox.server().fault_counts().throttled < 2 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("the plugin should keep trying");
    cluster.sandbox.server().set_faults(FaultConfig::default());
    crate::harness::finish(child).await.success();
    assert_eq!(creates_carried_out(&cluster), 1);
    let throttled: Vec<_> = plugin_requests(&cluster)
        .into_iter()
        .filter(|r| r.code == Some(429))
        .collect();
    for pair in throttled.windows(2) {
        assert!(
            pair[1].at - pair[0].at >= Duration::from_millis(900),
            "Retry-After: 1 should be honoured between resends"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn waits_survive_dropped_watches_expired_resumes_delays_and_restarts() {
    for (faults, name) in [
        (
            FaultConfig {
                drop_watch_after_events: Some(1),
                ..FaultConfig::default()
            },
            "dropped-after-1",
        ),
        (
            FaultConfig {
                drop_watch_after_ms: Some(100),
                expire_watch_resumes: true,
                ..FaultConfig::default()
            },
            "expired-resumes",
        ),
        (
            FaultConfig {
                forbid_watch: true,
                ..FaultConfig::default()
            },
            "forbidden-watch",
        ),
        (
            FaultConfig {
                delay_ms: 300,
                ..FaultConfig::default()
            },
            "delayed",
        ),
    ] {
        create_succeeds_under(faults, name).await;
    }

    // An API server restart in the middle of the wait.
    let cluster = cluster_with_plugin_user(ControllerConfig {
        delay: Duration::from_secs(1),
        ..ControllerConfig::default()
    })
    .await;
    let child = cluster
        .command(&[
            "create",
            "restarted",
            "-o",
            "name",
            "--context",
            "sandbox-plugin",
        ])
        .spawn()
        .unwrap();
    tokio::time::timeout(Duration::from_secs(20), async {
        while cluster
            .sandbox
            .server()
            .watch_requests_with("metadata.name=restarted")
            == 0
        {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .unwrap();
    cluster.sandbox.server().restart();
    crate::harness::finish(child).await.success();
    assert!(
        cluster
            .sandbox
            .server()
            .watch_requests_with("metadata.name=restarted")
            >= 2
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn persistent_failures_end_with_exit_1_and_name_the_cause() {
    let cluster = cluster_with_plugin_user(ControllerConfig::default()).await;
    cluster
        .sandbox
        .server()
        .set_faults(plugin_faults(FaultConfig {
            error_ratio: 1.0,
            error_codes: vec![500],
            verbs: vec!["create".into()],
            ..FaultConfig::default()
        }));
    as_plugin(&cluster, &["create", "never", "--timeout", "40s"])
        .await
        .failure(1, "creating TokenRequest default/never")
        .failure(1, "the API server failed, retry later");
    assert!(stored(&cluster).await.is_empty());

    cluster
        .sandbox
        .server()
        .set_faults(plugin_faults(FaultConfig {
            unauthorized: true,
            ..FaultConfig::default()
        }));
    as_plugin(&cluster, &["create", "never"])
        .await
        .failure(1, "did not accept your credentials");
    assert!(stored(&cluster).await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn nothing_outlasts_the_timeout() {
    let margin = Duration::from_secs(15);
    // A server too slow to answer the create.
    let cluster = cluster_with_plugin_user(ControllerConfig::default()).await;
    cluster
        .sandbox
        .server()
        .set_faults(plugin_faults(FaultConfig {
            delay_ms: 5_000,
            ..FaultConfig::default()
        }));
    let started = std::time::Instant::now();
    as_plugin(&cluster, &["create", "slow", "--timeout", "2s"])
        .await
        .failure(4, "timed out creating TokenRequest default/slow")
        .failure(4, "may or may not exist");
    assert!(started.elapsed() < Duration::from_secs(2) + margin);

    // A controller that never answers, behind watches that keep breaking.
    let cluster = cluster_with_plugin_user(ControllerConfig {
        mode: ControllerMode::Off,
        ..ControllerConfig::default()
    })
    .await;
    cluster
        .sandbox
        .server()
        .set_faults(plugin_faults(FaultConfig {
            drop_watch_after_ms: Some(100),
            seed: 1,
            error_ratio: 0.3,
            ..FaultConfig::default()
        }));
    let started = std::time::Instant::now();
    let run = as_plugin(&cluster, &["create", "unanswered", "--timeout", "3s"]).await;
    run.failure(
        4,
        "timed out after 3s waiting for TokenRequest default/unanswered",
    );
    // Which report is true depends on where the 30 % of failures fell: spread out, no
    // controller answered; the last few seconds all failed, so whether one did is unknown.
    assert!(
        run.stderr.contains("no controller answered")
            || run
                .stderr
                .contains("so whether a controller answered is unknown"),
        "{run:#?}"
    );
    assert!(started.elapsed() < Duration::from_secs(3) + margin);
}

#[tokio::test(flavor = "multi_thread")]
async fn controller_faults_end_in_a_token() {
    // OK without a token first, a real one on the next pass.
    let cluster = cluster_with_plugin_user(ControllerConfig {
        mode: ControllerMode::FlakyToken,
        ..ControllerConfig::default()
    })
    .await;
    as_plugin(&cluster, &["create", "flaky", "-o", "name"])
        .await
        .success();
    token_of(&cluster, "default", "flaky").await;

    // A controller that crashes every half second and is away for half a second.
    let cluster = cluster_with_plugin_user(ControllerConfig {
        crash_after: Some(Duration::from_millis(500)),
        down_for: Duration::from_millis(500),
        sync_period: Duration::from_secs(1),
        ..ControllerConfig::default()
    })
    .await;
    for name in ["crash-1", "crash-2", "crash-3"] {
        as_plugin(&cluster, &["create", name, "-o", "name"])
            .await
            .success();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn get_rides_out_server_errors() {
    let cluster = cluster_with_plugin_user(ControllerConfig::default()).await;
    cluster.seed("default", "read-me").await;
    cluster
        .sandbox
        .server()
        .set_faults(plugin_faults(FaultConfig {
            seed: 7,
            verbs: vec!["get".to_string()],
            error_ratio: 0.5,
            error_codes: vec![500],
            ..FaultConfig::default()
        }));
    for _ in 0..5 {
        as_plugin(&cluster, &["get", "read-me", "-o", "name"])
            .await
            .success();
    }
    let failed_gets = plugin_requests(&cluster)
        .iter()
        .filter(|r| r.verb == Verb::Get && r.code == Some(500))
        .count();
    assert!(failed_gets > 0, "the faults should have hit some gets");
}
