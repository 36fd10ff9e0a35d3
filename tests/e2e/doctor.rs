//! `doctor` on sandboxes shaped for each check: a healthy cluster, no CRD, Kyma 1 vs Kyma 2
//! schemas, each denied verb, a missing, unready or hidden controller, Applications present,
//! mistyped or not served, the probe (answered, unanswered, interrupted), the JSON report field
//! by field, and no token at the highest verbosity.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::StreamExt as _;
use kube::api::ListParams;
use kube::runtime::watcher::{self, Event};
use serde_json::Value;
use tokenrequest_sandbox::server::{FaultConfig, Verb, Verbs};
use tokenrequest_sandbox::{
    ControllerConfig, ControllerDeployment, ControllerMode, Resource, Sandbox, SandboxConfig,
    SchemaVersion, ServerConfig, User,
};

use crate::harness::{Run, TestCluster};
use crate::streams::{Running, Stream, WATCH_OPEN};

const CHECKS: [&str; 7] = [
    "connection",
    "identity",
    "tokenrequest-api",
    "permissions",
    "controller",
    "application",
    "probe",
];
const PROBE_SELECTOR: &str = "kubectl-tokenrequest/doctor-probe=true";

/// A sandbox with `server` (its users added to the built-in ones) and `controller`.
pub async fn start(server: ServerConfig, controller: ControllerConfig) -> TestCluster {
    let mut users = User::defaults();
    for user in &server.users {
        if !users.iter().any(|known| known.name == user.name) {
            users.push(user.clone());
        }
    }
    let sandbox = Sandbox::start(SandboxConfig {
        server: ServerConfig { users, ..server },
        controller,
        connector: None,
    })
    .await
    .expect("start the sandbox");
    TestCluster::around(sandbox)
}

/// Applications `my-app` and `orders`, a controller that answers at once.
fn healthy() -> ServerConfig {
    ServerConfig {
        applications: vec!["my-app".into(), "orders".into()],
        ..ServerConfig::default()
    }
}

fn controller(mode: ControllerMode) -> ControllerConfig {
    ControllerConfig {
        mode,
        ..ControllerConfig::default()
    }
}

/// `doctor ARGS -o json`: the run and the parsed report.
async fn doctor_json(cluster: &TestCluster, args: &[&str]) -> (Run, Vec<Value>) {
    let mut all = vec!["doctor"];
    all.extend_from_slice(args);
    all.extend(["-o", "json"]);
    let run = cluster.run(&all).await;
    let report: Vec<Value> = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("the report is a JSON array ({e}): {run:#?}"));
    let names: Vec<&str> = report.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, CHECKS, "every check, in order: {run:#?}");
    (run, report)
}

#[track_caller]
fn check<'a>(report: &'a [Value], name: &str) -> &'a Value {
    report
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no check {name}: {report:#?}"))
}

#[track_caller]
fn status<'a>(report: &'a [Value], name: &str) -> &'a str {
    check(report, name)["status"].as_str().unwrap()
}

#[track_caller]
fn text<'a>(report: &'a [Value], name: &str, field: &str) -> &'a str {
    check(report, name)[field].as_str().unwrap_or_default()
}

async fn probes_left(cluster: &TestCluster) -> Vec<String> {
    cluster
        .api("default")
        .list(&ListParams::default().labels(PROBE_SELECTOR))
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|r| r.metadata.name.unwrap_or_default())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_healthy_cluster_passes_every_check() {
    let cluster = start(healthy(), ControllerConfig::default()).await;
    let run = cluster.run(&["doctor", "my-app", "--probe"]).await;
    run.success();
    let lines: Vec<&str> = run.stdout.lines().collect();
    for (line, name) in lines.iter().zip(CHECKS) {
        assert!(
            line.starts_with("ok    ") && line.contains(name),
            "{line:?} in {run:#?}"
        );
    }
    assert!(!run.stdout.contains("hint:"), "{run:#?}");
    assert_eq!(lines.last(), Some(&"7 ok, 0 warn, 0 fail, 0 skip"));
    assert!(
        probes_left(&cluster).await.is_empty(),
        "the probe is deleted"
    );
    // The probe never used the Application's name.
    let requests = cluster.sandbox.server().requests();
    assert!(
        requests.iter().any(|r| r.verb == Verb::Create),
        "{requests:#?}"
    );
    assert!(
        requests.iter().all(|r| r.name.as_deref() != Some("my-app")),
        "{requests:#?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_json_report_holds_every_finding() {
    let cluster = start(healthy(), ControllerConfig::default()).await;
    let (run, report) = doctor_json(&cluster, &["my-app", "--probe"]).await;
    run.success();
    for item in &report {
        let keys: Vec<&String> = item.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 5, "{item}");
        for key in ["name", "status", "message", "hint", "details"] {
            assert!(item.get(key).is_some(), "{key} in {item}");
        }
        assert_eq!(item["status"], "ok", "{item}");
        assert!(item["hint"].is_null(), "{item}");
        assert!(!item["message"].as_str().unwrap().is_empty(), "{item}");
        assert!(item["details"].is_object(), "{item}");
    }
    let details = |name| &check(&report, name)["details"];
    assert_eq!(details("connection")["version"], "v1.36.2");
    assert_eq!(details("identity")["username"], "admin");
    assert_eq!(
        details("identity")["groups"],
        serde_json::json!(["system:masters", "system:authenticated"])
    );
    let api = details("tokenrequest-api");
    assert_eq!(api["served"], true);
    assert_eq!(api["versions"], serde_json::json!(["v1alpha1"]));
    assert_eq!(api["context"], "pruned");
    assert_eq!(api["crd"], "read");
    let permissions = details("permissions");
    assert_eq!(permissions["namespace"], "default");
    assert_eq!(
        permissions["allowed"],
        serde_json::json!(["create", "get", "list", "watch", "delete"])
    );
    assert_eq!(permissions["denied"], serde_json::json!([]));
    let controller = details("controller");
    assert_eq!(controller["found"], true);
    assert_eq!(controller["namespace"], "kyma-integration");
    assert_eq!(controller["name"], "connection-token-handler");
    assert_eq!(controller["availableReplicas"], 1);
    assert_eq!(controller["available"], true);
    assert_eq!(details("application")["name"], "my-app");
    assert_eq!(details("application")["exists"], true);
    let probe = details("probe");
    let name = probe["name"].as_str().unwrap();
    assert!(
        name.starts_with("doctor-probe-") && name.len() == 18,
        "{probe}"
    );
    assert_eq!(probe["namespace"], "default");
    assert_eq!(probe["state"], "OK");
    assert_eq!(probe["deleted"], serde_json::json!([name]));
    let after = probe["answeredAfterSeconds"].as_f64().unwrap();
    assert!(after > 0.0 && after < 30.0, "{probe}");
    assert!(run.stderr.is_empty(), "{run:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cluster_without_the_crd_says_which_kyma_had_it_and_what_replaced_it() {
    let cluster = start(
        ServerConfig {
            serve_group: false,
            ..ServerConfig::default()
        },
        ControllerConfig::default(),
    )
    .await;
    let (run, report) = doctor_json(&cluster, &["my-app", "--probe"]).await;
    run.failure(1, "1 of 7 checks failed");
    assert_eq!(status(&report, "tokenrequest-api"), "fail");
    assert!(text(&report, "tokenrequest-api", "message").contains("does not serve"));
    let hint = text(&report, "tokenrequest-api", "hint");
    assert!(hint.contains("Kyma 1.x up to 2.2"), "{hint}");
    assert!(hint.contains("one-time token"), "{hint}");
    assert_eq!(
        check(&report, "tokenrequest-api")["details"]["served"],
        false
    );
    // Without the group there are no Applications either: a warning, not a failure.
    assert_eq!(status(&report, "application"), "warn");
    assert_eq!(status(&report, "probe"), "skip");
    assert!(text(&report, "probe", "message").contains("does not serve"));
    let requests = cluster.sandbox.server().requests();
    assert!(
        requests.iter().all(|r| r.verb != Verb::Create),
        "no probe was sent: {requests:#?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn kyma1_and_kyma2_schemas_are_told_apart() {
    for (schema, context, words) in [
        (SchemaVersion::Kyma2, "pruned", "prunes `context`"),
        (SchemaVersion::Kyma1, "kept", "keeps `context`"),
    ] {
        let cluster = start(
            ServerConfig {
                schema,
                ..healthy()
            },
            ControllerConfig::default(),
        )
        .await;
        let (run, report) = doctor_json(&cluster, &[]).await;
        run.success();
        assert_eq!(status(&report, "tokenrequest-api"), "ok");
        assert_eq!(
            check(&report, "tokenrequest-api")["details"]["context"],
            context
        );
        assert!(
            text(&report, "tokenrequest-api", "message").contains(words),
            "{report:#?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn each_denied_verb_says_what_it_breaks_and_the_rule_that_grants_it() {
    let verbs = [
        Verb::Create,
        Verb::Get,
        Verb::List,
        Verb::Watch,
        Verb::Delete,
    ];
    let mut users: Vec<User> = verbs
        .iter()
        .map(|verb| {
            let name = format!("no-{}", verb.as_str());
            User::new(&name, &format!("sandbox-{name}-token"), Verbs::ALL)
                .with_verbs_on(Resource::TokenRequests, Verbs::ALL.without(*verb))
        })
        .collect();
    users.push(
        User::new("noread", "sandbox-noread-token", Verbs::ALL).with_verbs_on(
            Resource::TokenRequests,
            Verbs::ALL.without(Verb::Get).without(Verb::Watch),
        ),
    );
    let cluster = start(
        ServerConfig { users, ..healthy() },
        ControllerConfig::default(),
    )
    .await;
    for verb in verbs {
        let user = format!("no-{}", verb.as_str());
        let context = format!("sandbox-{user}");
        let (run, report) = doctor_json(&cluster, &["--probe", "--context", &context]).await;
        let permissions = check(&report, "permissions");
        assert_eq!(
            permissions["details"]["denied"],
            serde_json::json!([verb.as_str()]),
            "{permissions}"
        );
        let message = permissions["message"].as_str().unwrap();
        assert!(message.contains(verb.as_str()), "{message}");
        let hint = permissions["hint"].as_str().unwrap();
        assert!(
            hint.contains(&format!("--verb={} ", verb.as_str()))
                && hint.contains(&format!("--user={user}"))
                && hint.contains("--resource=tokenrequests.applicationconnector.kyma-project.io"),
            "{hint}"
        );
        if verb == Verb::Create {
            assert_eq!(permissions["status"], "fail");
            run.failure(1, "checks failed");
            assert_eq!(status(&report, "probe"), "skip");
            assert!(text(&report, "probe", "message").contains("may not create"));
        } else if verb == Verb::Delete {
            // A probe that could not be deleted again is not sent.
            assert_eq!(permissions["status"], "warn", "{permissions}");
            run.success();
            assert_eq!(status(&report, "probe"), "skip");
            assert!(text(&report, "probe", "message").contains("may not delete"));
        } else {
            assert_eq!(permissions["status"], "warn", "{permissions}");
            // The rest works: the probe too, polling where watching is denied.
            assert_eq!(status(&report, "probe"), "ok", "{report:#?}");
            run.success();
        }
    }
    let (run, report) = doctor_json(&cluster, &["--context", "sandbox-noread"]).await;
    run.failure(1, "checks failed");
    assert_eq!(status(&report, "permissions"), "fail");
    assert!(text(&report, "permissions", "message").contains("no wait can see a token"));
    assert!(text(&report, "permissions", "hint").contains("--verb=get,watch "));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_unready_or_hidden_controller_is_told_apart() {
    // Absent: the controller is off, as on Kyma 2.3 and later.
    let off = start(healthy(), controller(ControllerMode::Off)).await;
    let (run, report) = doctor_json(&off, &[]).await;
    run.failure(1, "1 of 7 checks failed");
    assert_eq!(status(&report, "controller"), "fail");
    assert!(
        text(&report, "controller", "message")
            .contains("no Deployment kyma-integration/connection-token-handler")
    );
    assert!(text(&report, "controller", "hint").contains("Kyma 2.3 and later"));

    // Unready, and hidden from a user without rights on Deployments.
    let blind = User::new("blind", "sandbox-blind-token", Verbs::ALL)
        .with_verbs_on(Resource::Deployments, Verbs::NONE);
    let unready = start(
        ServerConfig {
            controller_deployment: Some(ControllerDeployment::Unready),
            users: vec![blind],
            ..healthy()
        },
        ControllerConfig::default(),
    )
    .await;
    let (run, report) = doctor_json(&unready, &[]).await;
    run.failure(1, "1 of 7 checks failed");
    assert_eq!(status(&report, "controller"), "fail");
    assert!(
        text(&report, "controller", "message").contains("is not available (0 of 1 replicas)"),
        "{report:#?}"
    );
    assert!(text(&report, "controller", "hint").contains("describe deployment"));
    let (run, report) = doctor_json(&unready, &["--context", "sandbox-blind"]).await;
    run.success();
    assert_eq!(status(&report, "controller"), "skip");
    assert!(text(&report, "controller", "message").contains("may not read Deployments"));
}

#[tokio::test(flavor = "multi_thread")]
async fn no_deployment_but_an_answered_probe_is_a_controller_deployed_another_way() {
    let cluster = start(
        ServerConfig {
            controller_deployment: Some(ControllerDeployment::Absent),
            ..healthy()
        },
        ControllerConfig::default(),
    )
    .await;
    let (run, report) = doctor_json(&cluster, &[]).await;
    run.failure(1, "checks failed");
    assert_eq!(status(&report, "controller"), "fail");
    let (run, report) = doctor_json(&cluster, &["--probe"]).await;
    run.success();
    assert_eq!(status(&report, "probe"), "ok");
    assert_eq!(status(&report, "controller"), "warn");
    assert!(text(&report, "controller", "message").contains("answered the probe"));
}

#[tokio::test(flavor = "multi_thread")]
async fn applications_present_mistyped_hidden_or_not_served() {
    let hidden = User::new("noapps", "sandbox-noapps-token", Verbs::ALL)
        .with_verbs_on(Resource::Applications, Verbs::NONE);
    let cluster = start(
        ServerConfig {
            applications: vec!["my-app".into(), "my-apps".into(), "orders".into()],
            users: vec![hidden],
            ..ServerConfig::default()
        },
        ControllerConfig::default(),
    )
    .await;
    let (run, report) = doctor_json(&cluster, &["orders"]).await;
    run.success();
    assert_eq!(status(&report, "application"), "ok");

    let (run, report) = doctor_json(&cluster, &["my-ap"]).await;
    run.failure(1, "1 of 7 checks failed");
    let application = check(&report, "application");
    assert_eq!(application["status"], "fail");
    assert_eq!(
        application["message"],
        "Application \"my-ap\" does not exist (did you mean \"my-app\" or \"my-apps\"?)"
    );
    assert_eq!(
        application["details"]["suggestions"],
        serde_json::json!(["my-app", "my-apps"])
    );
    assert!(text(&report, "application", "hint").contains("kubectl get applications"));
    // The human report says the same.
    let run = cluster.run(&["doctor", "my-ap"]).await;
    assert!(
        run.stdout.contains("fail  application      Application \"my-ap\" does not exist (did you mean \"my-app\" or \"my-apps\"?)"),
        "{run:#?}"
    );

    let (run, report) = doctor_json(&cluster, &["zzz-unrelated"]).await;
    run.failure(1, "checks failed");
    assert_eq!(
        text(&report, "application", "message"),
        "Application \"zzz-unrelated\" does not exist"
    );

    let (run, report) = doctor_json(&cluster, &["my-app", "--context", "sandbox-noapps"]).await;
    run.success();
    assert_eq!(status(&report, "application"), "skip");
    assert!(text(&report, "application", "message").contains("may not read Applications"));

    let no_crd = start(
        ServerConfig {
            serve_applications: false,
            ..ServerConfig::default()
        },
        ControllerConfig::default(),
    )
    .await;
    let (run, report) = doctor_json(&no_crd, &["my-app"]).await;
    run.success();
    assert_eq!(status(&report, "application"), "warn");
    assert!(text(&report, "application", "message").contains("serves no Application CRD"));
    let (_, report) = doctor_json(&no_crd, &[]).await;
    assert_eq!(status(&report, "application"), "skip");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_probe_nobody_answers_times_out_fails_and_is_deleted() {
    let cluster = start(healthy(), controller(ControllerMode::Off)).await;
    let started = Instant::now();
    let (run, report) = doctor_json(&cluster, &["--probe", "--timeout", "2s"]).await;
    let took = started.elapsed();
    run.failure(1, "2 of 7 checks failed");
    assert!(
        took < Duration::from_secs(10),
        "bounded by --timeout: {took:?}"
    );
    let probe = check(&report, "probe");
    assert_eq!(probe["status"], "fail");
    // How long the probe waited: what --timeout left after the other checks (the number
    // depends on how fast they were, so only its bound is checked).
    let waited: f64 = probe["message"]
        .as_str()
        .unwrap()
        .strip_prefix("no controller answered within ")
        .and_then(|rest| rest.split_once("s:"))
        .and_then(|(seconds, _)| seconds.parse().ok())
        .unwrap_or_else(|| panic!("{probe}"));
    assert!(waited > 0.0 && waited <= 2.0, "{probe}");
    let name = probe["details"]["name"].as_str().unwrap();
    assert_eq!(probe["details"]["deleted"], serde_json::json!([name]));
    assert!(probe["details"]["state"].is_null());
    assert!(probes_left(&cluster).await.is_empty());
    assert!(
        cluster
            .sandbox
            .server()
            .requests()
            .iter()
            .any(|r| r.verb == Verb::Delete),
        "deleted through the API"
    );
    assert_eq!(status(&report, "controller"), "fail");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_interrupted_probe_is_deleted_before_the_plugin_exits() {
    let cluster = start(healthy(), controller(ControllerMode::Off)).await;
    // -v=6 shows when the probe's wait has its watch open: the probe is created and known.
    let mut running =
        Running::spawn(cluster.command(&["doctor", "--probe", "--timeout", "60s", "-v=6"]));
    running.wait_for(Stream::Stderr, WATCH_OPEN).await;
    let created = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            if let Some(name) = probes_left(&cluster).await.pop() {
                return name;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("the probe should be created");
    running.signal("INT");
    let run = running.finish().await;
    // Exit 130 as for any Ctrl-C; nothing is left behind, so only the probe's cleanup speaks.
    run.failure(130, "deleting the probe TokenRequest");
    assert!(
        run.stderr.contains(&format!(
            "deleting the probe TokenRequest default/{created}"
        )),
        "{run:#?}"
    );
    assert!(
        run.stderr.contains(&format!("deleted default/{created}")),
        "{run:#?}"
    );
    assert!(
        probes_left(&cluster).await.is_empty(),
        "nothing left behind"
    );
}

/// Every token and URL the controller writes, as a watch sees them.
async fn collect_secrets(
    cluster: &TestCluster,
) -> (Arc<Mutex<Vec<String>>>, tokio::task::JoinHandle<()>) {
    let secrets = Arc::new(Mutex::new(Vec::new()));
    let (ready, listed) = tokio::sync::oneshot::channel();
    let api = cluster.api("default");
    let seen = secrets.clone();
    let task = tokio::spawn(async move {
        let mut ready = Some(ready);
        let events = watcher::watcher(api, watcher::Config::default());
        futures::pin_mut!(events);
        while let Some(event) = events.next().await {
            match event {
                Ok(Event::InitDone) => {
                    if let Some(ready) = ready.take() {
                        let _ = ready.send(());
                    }
                }
                Ok(Event::Apply(request) | Event::InitApply(request) | Event::Delete(request)) => {
                    if let Some(status) = request.status {
                        let mut seen = seen.lock().unwrap();
                        seen.extend(status.token.into_iter().filter(|t| !t.is_empty()));
                        seen.extend(status.url.into_iter().filter(|u| !u.is_empty()));
                    }
                }
                _ => {}
            }
        }
    });
    listed.await.expect("the watch lists");
    (secrets, task)
}

#[tokio::test(flavor = "multi_thread")]
async fn no_token_or_url_reaches_the_output_at_the_highest_verbosity() {
    let cluster = start(healthy(), ControllerConfig::default()).await;
    let (secrets, watch) = collect_secrets(&cluster).await;
    let run = cluster.run(&["doctor", "my-app", "--probe", "-v=9"]).await;
    run.success();
    let (run_json, _) = doctor_json(&cluster, &["my-app", "--probe", "--v=9"]).await;
    run_json.success();
    // Both probes' statuses reach the watch (bounded: it may lag the runs a little).
    let seen = tokio::time::timeout(Duration::from_secs(30), async {
        while secrets.lock().unwrap().len() < 4 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    watch.abort();
    let secrets = secrets.lock().unwrap().clone();
    assert!(
        seen.is_ok() && secrets.len() >= 4,
        "two tokens and two URLs seen: {secrets:?}"
    );
    assert!(
        run.stderr.contains("selfsubjectreviews") && run.stderr.lines().count() > 10,
        "-v=9 shows the requests: {}",
        run.stderr
    );
    for run in [&run, &run_json] {
        for secret in &secrets {
            assert!(!run.stdout.contains(secret.as_str()), "{secret} on stdout");
            assert!(!run.stderr.contains(secret.as_str()), "{secret} on stderr");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn rejected_credentials_fail_the_connection_and_skip_the_rest() {
    let cluster = start(healthy(), ControllerConfig::default()).await;
    cluster.sandbox.server().set_faults(FaultConfig {
        unauthorized: true,
        ..FaultConfig::default()
    });
    let (run, report) = doctor_json(&cluster, &["my-app", "--probe"]).await;
    run.failure(1, "1 of 7 checks failed");
    assert_eq!(status(&report, "connection"), "fail");
    assert!(
        text(&report, "connection", "hint")
            .contains("log in again or check --user/--context/--kubeconfig")
    );
    for name in &CHECKS[1..] {
        assert_eq!(status(&report, name), "skip", "{name}");
        assert!(text(&report, name, "message").contains("did not accept your credentials"));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_errors_are_refused_before_any_request() {
    // Without a controller, every request the server logs came from the plugin.
    let cluster = start(healthy(), controller(ControllerMode::Off)).await;
    cluster
        .run(&["doctor", "-o", "yaml"])
        .await
        .failure(2, "doctor supports only -o json");
    cluster
        .run(&["doctor", "--timeout", "0"])
        .await
        .failure(2, "--timeout must be more than 0");
    cluster
        .run(&["doctor", "Not_A_Name"])
        .await
        .failure(1, "Not_A_Name");
    let seen = cluster.sandbox.server().requests();
    assert!(seen.is_empty(), "{seen:#?}");
}
