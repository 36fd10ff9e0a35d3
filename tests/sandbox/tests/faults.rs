//! Fault injection: each switch of `FaultConfig`, the admin endpoint, `serve --faults`, and the
//! controller's flaky-token mode and crashes. Nothing here asserts on speed; waits are bounded
//! by a generous timeout.

use std::time::Duration;

use bytes::Bytes;
use futures::StreamExt as _;
use http_body_util::{BodyExt as _, Full};
use kube::api::{Api, DynamicObject, PostParams, WatchEvent, WatchParams};
use kube::client::ConfigExt as _;
use serde_json::{Value, json};
use tokenrequest_sandbox::controller::token_request_resource;
use tokenrequest_sandbox::server::{FaultConfig, Verb};
use tokenrequest_sandbox::{ControllerConfig, ControllerMode, Sandbox, SandboxConfig};

const NAMESPACE: &str = "default";
const PATIENCE: Duration = Duration::from_secs(20);
const ADMIN_TOKEN: &str = "sandbox-admin-token";

async fn sandbox(mode: ControllerMode) -> Sandbox {
    Sandbox::start(SandboxConfig {
        controller: ControllerConfig {
            mode,
            sync_period: Duration::from_secs(1),
            ..ControllerConfig::default()
        },
        ..SandboxConfig::default()
    })
    .await
    .expect("start the sandbox")
}

fn api(client: kube::Client) -> Api<DynamicObject> {
    Api::namespaced_with(client, NAMESPACE, &token_request_resource())
}

fn request_object(name: &str) -> DynamicObject {
    DynamicObject::new(name, &token_request_resource()).within(NAMESPACE)
}

struct Answer {
    status: u16,
    headers: http::HeaderMap,
    body: String,
}

/// One HTTP/1.1 request (over the sandbox's https) on a fresh connection: `Err` when the
/// connection closed without an answer.
async fn raw(
    sandbox: &Sandbox,
    method: &str,
    path: &str,
    token: &str,
    body: &str,
) -> Result<Answer, String> {
    // TLS that trusts the sandbox's CA; the token goes into the request below.
    let https = sandbox
        .server()
        .kube_config()
        .rustls_https_connector()
        .expect("a TLS connector for the sandbox");
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build::<_, Full<Bytes>>(https);
    let request = http::Request::builder()
        .method(method)
        .uri(format!("{}{path}", sandbox.url()))
        .header("Authorization", format!("Bearer {token}"))
        .header("Content-Type", "application/json")
        .body(Full::new(Bytes::from(body.to_owned())))
        .unwrap();
    let response = tokio::time::timeout(PATIENCE, client.request(request))
        .await
        .expect("an answer or a closed connection in time")
        .map_err(|error| format!("{error:?}"))?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|error| format!("{error:?}"))?
        .to_bytes();
    Ok(Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

async fn get_status(sandbox: &Sandbox, name: &str) -> Result<u16, String> {
    let path = format!(
        "/apis/applicationconnector.kyma-project.io/v1alpha1/namespaces/{NAMESPACE}/tokenrequests/{name}"
    );
    raw(sandbox, "GET", &path, ADMIN_TOKEN, "")
        .await
        .map(|a| a.status)
}

fn collection_path() -> String {
    format!(
        "/apis/applicationconnector.kyma-project.io/v1alpha1/namespaces/{NAMESPACE}/tokenrequests"
    )
}

fn create_body(name: &str) -> String {
    json!({
        "apiVersion": "applicationconnector.kyma-project.io/v1alpha1",
        "kind": "TokenRequest",
        "metadata": {"name": name},
    })
    .to_string()
}

#[tokio::test]
async fn error_shares_follow_the_seed() {
    let sandbox = sandbox(ControllerMode::Off).await;
    let faults = FaultConfig {
        seed: 7,
        error_ratio: 0.5,
        error_codes: vec![500, 503],
        ..FaultConfig::default()
    };
    let mut patterns = Vec::new();
    for _ in 0..2 {
        sandbox.server().set_faults(faults.clone());
        let mut pattern = Vec::new();
        for _ in 0..40 {
            pattern.push(get_status(&sandbox, "missing").await.unwrap());
        }
        patterns.push(pattern);
    }
    assert_eq!(
        patterns[0], patterns[1],
        "the same seed gives the same faults"
    );
    let failed = patterns[0].iter().filter(|code| **code >= 500).count();
    assert!((8..=32).contains(&failed), "about half fail: {patterns:?}");
    assert!(patterns[0].contains(&500) && patterns[0].contains(&503));
    assert!(patterns[0].contains(&404), "the rest is handled");
    assert_eq!(sandbox.server().fault_counts().errors, 2 * failed as u64);

    sandbox
        .server()
        .set_faults(FaultConfig { seed: 8, ..faults });
    let mut other = Vec::new();
    for _ in 0..40 {
        other.push(get_status(&sandbox, "missing").await.unwrap());
    }
    assert_ne!(other, patterns[0], "another seed, another sequence");
}

#[tokio::test]
async fn throttling_answers_429_with_retry_after() {
    let sandbox = sandbox(ControllerMode::Off).await;
    sandbox.server().set_faults(FaultConfig {
        throttle_ratio: 1.0,
        retry_after_seconds: 3,
        ..FaultConfig::default()
    });
    let answer = raw(
        &sandbox,
        "POST",
        &collection_path(),
        ADMIN_TOKEN,
        &create_body("a"),
    )
    .await
    .unwrap();
    assert_eq!(answer.status, 429);
    assert_eq!(answer.headers["retry-after"], "3");
    let status: Value = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(status["reason"], "TooManyRequests");
    assert!(
        sandbox.server().store().get(NAMESPACE, "a").is_none(),
        "a throttled request is not carried out"
    );
}

#[tokio::test]
async fn errors_after_handling_leave_the_object_created() {
    let sandbox = sandbox(ControllerMode::Off).await;
    sandbox.server().set_faults(FaultConfig {
        error_ratio: 1.0,
        error_codes: vec![503],
        verbs: vec!["create".into()],
        after_handling: true,
        ..FaultConfig::default()
    });
    let answer = raw(
        &sandbox,
        "POST",
        &collection_path(),
        ADMIN_TOKEN,
        &create_body("b"),
    )
    .await
    .unwrap();
    assert_eq!(answer.status, 503);
    assert!(sandbox.server().store().get(NAMESPACE, "b").is_some());
    let creates: Vec<_> = sandbox
        .server()
        .requests()
        .into_iter()
        .filter(|r| r.verb == Verb::Create)
        .collect();
    assert_eq!(creates.len(), 1);
    assert_eq!(creates[0].outcome, Some(201), "stored");
    assert!(creates[0].injected);
    assert_eq!(creates[0].code, Some(503));
    // Only creates were chosen: a get goes through.
    assert_eq!(get_status(&sandbox, "b").await, Ok(200));
}

#[tokio::test]
async fn closed_connections_before_and_after_handling() {
    let sandbox = sandbox(ControllerMode::Off).await;
    sandbox.server().set_faults(FaultConfig {
        close_ratio: 1.0,
        verbs: vec!["create".into()],
        ..FaultConfig::default()
    });
    let closed = raw(
        &sandbox,
        "POST",
        &collection_path(),
        ADMIN_TOKEN,
        &create_body("c"),
    )
    .await;
    assert!(closed.is_err(), "no answer expected");
    assert!(sandbox.server().store().get(NAMESPACE, "c").is_none());

    sandbox.server().set_faults(FaultConfig {
        close_ratio: 1.0,
        verbs: vec!["create".into()],
        after_handling: true,
        ..FaultConfig::default()
    });
    let closed = raw(
        &sandbox,
        "POST",
        &collection_path(),
        ADMIN_TOKEN,
        &create_body("c"),
    )
    .await;
    assert!(closed.is_err(), "no answer expected");
    assert!(sandbox.server().store().get(NAMESPACE, "c").is_some());
    assert_eq!(sandbox.server().fault_counts().closed, 2);
    let logged: Vec<_> = sandbox
        .server()
        .requests()
        .iter()
        .map(|r| (r.code, r.outcome))
        .collect();
    assert_eq!(logged, [(None, None), (None, Some(201))]);
}

#[tokio::test]
async fn delays_hold_every_answer_back() {
    let sandbox = sandbox(ControllerMode::Off).await;
    sandbox.server().set_faults(FaultConfig {
        delay_ms: 300,
        ..FaultConfig::default()
    });
    let started = std::time::Instant::now();
    assert_eq!(get_status(&sandbox, "x").await, Ok(404));
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(sandbox.server().fault_counts().delayed, 1);
}

/// Events of one watch until its stream ends.
async fn watch_until_end(
    api: &Api<DynamicObject>,
    resource_version: &str,
) -> Vec<WatchEvent<DynamicObject>> {
    let stream = api
        .watch(&WatchParams::default().timeout(60), resource_version)
        .await
        .expect("start the watch");
    tokio::time::timeout(PATIENCE, stream.filter_map(|e| async { e.ok() }).collect())
        .await
        .expect("the stream should end")
}

#[tokio::test]
async fn watches_end_after_n_events_or_n_milliseconds() {
    let sandbox = sandbox(ControllerMode::Off).await;
    let api = api(sandbox.admin_client());
    for name in ["w1", "w2", "w3"] {
        api.create(&PostParams::default(), &request_object(name))
            .await
            .unwrap();
    }
    sandbox.server().set_faults(FaultConfig {
        drop_watch_after_events: Some(2),
        ..FaultConfig::default()
    });
    let events = watch_until_end(&api, "0").await;
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(sandbox.server().fault_counts().dropped_watches, 1);

    sandbox.server().set_faults(FaultConfig {
        drop_watch_after_ms: Some(200),
        ..FaultConfig::default()
    });
    let events = watch_until_end(&api, "0").await;
    assert_eq!(
        events.len(),
        3,
        "all current objects, then the end: {events:?}"
    );
    assert_eq!(sandbox.server().fault_counts().dropped_watches, 2);
}

#[tokio::test]
async fn resumed_watches_get_410_expired() {
    let sandbox = sandbox(ControllerMode::Off).await;
    let api = api(sandbox.admin_client());
    let created = api
        .create(&PostParams::default(), &request_object("r"))
        .await
        .unwrap();
    sandbox.server().set_faults(FaultConfig {
        expire_watch_resumes: true,
        ..FaultConfig::default()
    });
    let resumed = watch_until_end(&api, &created.metadata.resource_version.unwrap()).await;
    assert!(
        matches!(&resumed[..], [WatchEvent::Error(e)] if e.code == 410),
        "{resumed:?}"
    );
    assert_eq!(sandbox.server().expired_watches(), 1);
    // A watch from "now" is not a resume.
    let stream = api.watch(&WatchParams::default(), "0").await.unwrap();
    futures::pin_mut!(stream);
    let first = tokio::time::timeout(PATIENCE, stream.next()).await.unwrap();
    assert!(matches!(first, Some(Ok(WatchEvent::Added(_)))));
}

#[tokio::test]
async fn watch_alone_is_forbidden_and_401_looks_like_an_expired_credential() {
    let sandbox = sandbox(ControllerMode::Off).await;
    let api = api(sandbox.admin_client());
    sandbox.server().set_faults(FaultConfig {
        forbid_watch: true,
        ..FaultConfig::default()
    });
    let error = api.watch(&WatchParams::default(), "0").await.err();
    assert!(
        matches!(&error, Some(kube::Error::Api(s)) if s.code == 403),
        "{error:?}"
    );
    assert!(api.list(&Default::default()).await.is_ok());

    sandbox.server().set_faults(FaultConfig {
        unauthorized: true,
        ..FaultConfig::default()
    });
    let error = api.list(&Default::default()).await.err();
    assert!(
        matches!(&error, Some(kube::Error::Api(s)) if s.code == 401),
        "{error:?}"
    );
    // The admin endpoint still answers, so a test can switch the fault off again.
    let answer = raw(&sandbox, "DELETE", "/sandbox/faults", ADMIN_TOKEN, "")
        .await
        .unwrap();
    assert_eq!(answer.status, 200);
    assert!(api.list(&Default::default()).await.is_ok());
}

#[tokio::test]
async fn faults_can_be_limited_to_some_users() {
    let sandbox = sandbox(ControllerMode::Off).await;
    sandbox.server().set_faults(FaultConfig {
        users: vec!["nowatch".into()],
        unauthorized: true,
        ..FaultConfig::default()
    });
    assert!(
        api(sandbox.admin_client())
            .list(&Default::default())
            .await
            .is_ok()
    );
    let error = api(sandbox.client_for("nowatch").unwrap())
        .list(&Default::default())
        .await
        .err();
    assert!(matches!(&error, Some(kube::Error::Api(s)) if s.code == 401));
}

#[tokio::test]
async fn a_restart_drops_open_watches_and_keeps_the_objects() {
    let sandbox = sandbox(ControllerMode::Off).await;
    let api = api(sandbox.admin_client());
    api.create(&PostParams::default(), &request_object("kept"))
        .await
        .unwrap();
    let stream = api
        .watch(&WatchParams::default().timeout(60), "0")
        .await
        .unwrap();
    futures::pin_mut!(stream);
    assert!(matches!(
        tokio::time::timeout(PATIENCE, stream.next()).await.unwrap(),
        Some(Ok(WatchEvent::Added(_)))
    ));
    sandbox.server().restart();
    let rest: Vec<_> = tokio::time::timeout(PATIENCE, stream.collect::<Vec<_>>())
        .await
        .expect("the watch should end with the restart");
    assert!(
        rest.iter().all(|e| !matches!(e, Ok(WatchEvent::Added(_)))),
        "{rest:?}"
    );
    assert!(api.get_opt("kept").await.unwrap().is_some());
    assert_eq!(sandbox.server().fault_counts().restarts, 1);
}

#[tokio::test]
async fn the_admin_endpoint_sets_shows_and_clears_faults() {
    let sandbox = sandbox(ControllerMode::Off).await;
    let set = raw(
        &sandbox,
        "POST",
        "/sandbox/faults",
        ADMIN_TOKEN,
        r#"{"errorRatio": 1, "errorCodes": [502], "verbs": ["get"]}"#,
    )
    .await
    .unwrap();
    assert_eq!(set.status, 200, "{}", set.body);
    assert_eq!(sandbox.server().faults().error_codes, [502]);
    assert_eq!(get_status(&sandbox, "x").await, Ok(502));
    let shown = raw(&sandbox, "GET", "/sandbox/faults", ADMIN_TOKEN, "")
        .await
        .unwrap();
    let shown: Value = serde_json::from_str(&shown.body).unwrap();
    assert_eq!(shown["errorRatio"], 1.0);
    let counts = raw(&sandbox, "GET", "/sandbox/faults/counts", ADMIN_TOKEN, "")
        .await
        .unwrap();
    let counts: Value = serde_json::from_str(&counts.body).unwrap();
    assert_eq!(counts["errors"], 1);

    for (body, wrong) in [
        (r#"{"errorRatio": 2}"#, "errorRatio"),
        (r#"{"errorCodes": [404]}"#, "5xx"),
        (r#"{"verbs": ["steal"]}"#, "steal"),
        (r#"{"noSuchSwitch": true}"#, "noSuchSwitch"),
    ] {
        let refused = raw(&sandbox, "POST", "/sandbox/faults", ADMIN_TOKEN, body)
            .await
            .unwrap();
        assert_eq!(refused.status, 400, "{body}");
        assert!(refused.body.contains(wrong), "{}", refused.body);
    }
    let refused = raw(
        &sandbox,
        "POST",
        "/sandbox/faults",
        "sandbox-nowatch-token",
        "{}",
    )
    .await
    .unwrap();
    assert_eq!(refused.status, 403);
    let refused = raw(&sandbox, "POST", "/sandbox/faults", "wrong", "{}")
        .await
        .unwrap();
    assert_eq!(refused.status, 401);

    let cleared = raw(&sandbox, "POST", "/sandbox/faults", ADMIN_TOKEN, "{}")
        .await
        .unwrap();
    assert_eq!(cleared.status, 200);
    assert_eq!(get_status(&sandbox, "x").await, Ok(404));

    let restarted = raw(&sandbox, "POST", "/sandbox/restart", ADMIN_TOKEN, "")
        .await
        .unwrap();
    assert_eq!(restarted.status, 200);
    tokio::time::timeout(PATIENCE, async {
        while sandbox.server().fault_counts().restarts == 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn flaky_token_answers_empty_first_and_then_a_token() {
    let sandbox = sandbox(ControllerMode::FlakyToken).await;
    let api = api(sandbox.admin_client());
    let stream = api
        .watch(
            &WatchParams::default()
                .fields("metadata.name=flaky")
                .timeout(60),
            "0",
        )
        .await
        .unwrap();
    api.create(&PostParams::default(), &request_object("flaky"))
        .await
        .unwrap();
    futures::pin_mut!(stream);
    let mut states = Vec::new();
    tokio::time::timeout(PATIENCE, async {
        while let Some(Ok(event)) = stream.next().await {
            if let WatchEvent::Added(object) | WatchEvent::Modified(object) = event {
                let status = object.data.get("status").cloned().unwrap_or_default();
                let token = status["token"].as_str().unwrap_or_default().to_owned();
                states.push((
                    status["state"].as_str().map(str::to_owned),
                    token.is_empty(),
                ));
                if !token.is_empty() {
                    return;
                }
            }
        }
    })
    .await
    .expect("a token should come");
    assert_eq!(
        states,
        [
            (None, true),
            (Some("OK".to_owned()), true),
            (Some("OK".to_owned()), false)
        ]
    );
}

#[tokio::test]
async fn a_crashed_controller_comes_back_and_answers() {
    let sandbox = Sandbox::start(SandboxConfig {
        controller: ControllerConfig {
            crash_after: Some(Duration::from_millis(300)),
            down_for: Duration::from_millis(300),
            sync_period: Duration::from_secs(1),
            ..ControllerConfig::default()
        },
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    // Let it crash at least once before anything needs an answer.
    tokio::time::timeout(PATIENCE, async {
        while sandbox.server().watch_requests_with("") < 2 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("the controller should watch again after a crash");
    let api = api(sandbox.admin_client());
    api.create(&PostParams::default(), &request_object("after-crash"))
        .await
        .unwrap();
    tokio::time::timeout(PATIENCE, async {
        loop {
            let object = api.get("after-crash").await.unwrap();
            if object.data["status"]["token"]
                .as_str()
                .is_some_and(|t| !t.is_empty())
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await
    .expect("the restarted controller should answer");
}

#[tokio::test]
async fn serve_takes_faults_as_json_and_refuses_bad_ones() {
    let directory = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tokenrequest-sandbox"))
        .args([
            "serve",
            "--faults",
            r#"{"errorRatio": 5}"#,
            "--kubeconfig-out",
        ])
        .arg(directory.path().join("kubeconfig"))
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("errorRatio"), "{stderr}");
}
