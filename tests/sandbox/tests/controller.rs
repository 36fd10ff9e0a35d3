//! The controller against an in-process sandbox, one sandbox per test. Short TTLs and sync
//! periods keep the tests fast; every wait is bounded by a generous timeout and nothing asserts
//! on how fast something happened, only on order ("not before the delay", "not before expiry").

use std::time::Duration;

use futures::{StreamExt as _, TryStreamExt as _};
use kube::api::{Api, DynamicObject, PostParams, WatchEvent, WatchParams};
use serde_json::{Value, json};
use tokenrequest_sandbox::controller::{self, token_request_resource};
use tokenrequest_sandbox::{
    ControllerConfig, ControllerMode, Sandbox, SandboxConfig, SchemaVersion, ServerConfig,
};

const NAMESPACE: &str = "default";
/// Bound of every wait for something the controller should do within a sync period or two.
const PATIENCE: Duration = Duration::from_secs(20);

fn controller_config(mode: ControllerMode) -> ControllerConfig {
    ControllerConfig {
        ttl: Duration::from_secs(60),
        sync_period: Duration::from_secs(1),
        delay: Duration::ZERO,
        domain: "kyma.example.com".to_owned(),
        mode,
        connector_url: None,
        ..ControllerConfig::default()
    }
}

async fn start(controller: ControllerConfig) -> Sandbox {
    start_with(ServerConfig::default(), controller).await
}

async fn start_with(server: ServerConfig, controller: ControllerConfig) -> Sandbox {
    Sandbox::start(SandboxConfig {
        server,
        controller,
        ..SandboxConfig::default()
    })
    .await
    .expect("the sandbox starts")
}

fn token_requests(client: kube::Client) -> Api<DynamicObject> {
    Api::namespaced_with(client, NAMESPACE, &token_request_resource())
}

async fn create(api: &Api<DynamicObject>, name: &str, extra: Value) -> DynamicObject {
    let object = DynamicObject::new(name, &token_request_resource())
        .within(NAMESPACE)
        .data(extra);
    api.create(&PostParams::default(), &object)
        .await
        .expect("the TokenRequest is created")
}

fn status_of(object: &DynamicObject) -> Option<&Value> {
    object.data.get("status").filter(|status| !status.is_null())
}

/// Polls until the object has a status; panics after [`PATIENCE`].
async fn wait_for_status(api: &Api<DynamicObject>, name: &str) -> DynamicObject {
    tokio::time::timeout(PATIENCE, async {
        loop {
            let object = api.get(name).await.expect("the TokenRequest can be read");
            if status_of(&object).is_some() {
                return object;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("{name} got no status within {PATIENCE:?}"))
}

fn parse_time(value: &Value) -> jiff::Timestamp {
    value
        .as_str()
        .expect("expireAfter is a string")
        .parse()
        .expect("expireAfter is RFC 3339")
}

fn is_base64url_with_padding(token: &str) -> bool {
    let body = token.trim_end_matches('=');
    token.len() - body.len() <= 2
        && body
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
}

#[tokio::test]
async fn ok_mode_fills_a_valid_status() {
    let sandbox = start(controller_config(ControllerMode::Ok)).await;
    let api = token_requests(sandbox.admin_client());
    let before = jiff::Timestamp::now();
    create(&api, "my-app", json!({})).await;

    // Read back from the server: the status was stored, so it passed the CRD's schema.
    let object = wait_for_status(&api, "my-app").await;
    let status = status_of(&object).unwrap();
    let token = status["token"].as_str().unwrap();
    assert_eq!(token.len(), 88);
    assert!(token.ends_with("=="));
    assert!(is_base64url_with_padding(token));
    assert_eq!(
        status["url"],
        format!(
            "https://connector-service.kyma.example.com/v1/applications/signingRequests/info?token={token}"
        )
    );
    assert_eq!(status["application"], "my-app");
    assert_eq!(status["state"], "OK");
    let expire_after = parse_time(&status["expireAfter"]);
    let after = jiff::Timestamp::now();
    // now + ttl, truncated to whole seconds.
    assert!(expire_after >= before + jiff::SignedDuration::from_secs(59));
    assert!(expire_after <= after + jiff::SignedDuration::from_secs(60));
    assert!(status["expireAfter"].as_str().unwrap().ends_with('Z'));

    // Two objects get two different tokens.
    create(&api, "other-app", json!({})).await;
    let other = wait_for_status(&api, "other-app").await;
    assert_ne!(status_of(&other).unwrap()["token"], token);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn expired_requests_are_deleted_at_a_resync() {
    let sandbox = start(ControllerConfig {
        ttl: Duration::from_secs(2),
        ..controller_config(ControllerMode::Ok)
    })
    .await;
    let api = token_requests(sandbox.admin_client());
    create(&api, "short-lived", json!({})).await;
    let object = wait_for_status(&api, "short-lived").await;
    let expire_after = parse_time(&status_of(&object).unwrap()["expireAfter"]);
    let resource_version = object.metadata.resource_version.clone().unwrap();

    let deleted_at = tokio::time::timeout(PATIENCE, async {
        let mut events = api
            .watch(&WatchParams::default(), &resource_version)
            .await
            .expect("the watch starts")
            .boxed();
        while let Some(event) = events.try_next().await.expect("the watch goes on") {
            if let WatchEvent::Deleted(deleted) = event
                && deleted.metadata.name.as_deref() == Some("short-lived")
            {
                return jiff::Timestamp::now();
            }
        }
        panic!("the watch ended before the deletion");
    })
    .await
    .expect("the expired TokenRequest is deleted within a few sync periods");
    assert!(deleted_at > expire_after, "deleted before it expired");
    assert!(api.get_opt("short-lived").await.unwrap().is_none());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn status_waits_for_the_delay() {
    let sandbox = start(ControllerConfig {
        delay: Duration::from_millis(1500),
        ..controller_config(ControllerMode::Ok)
    })
    .await;
    let api = token_requests(sandbox.admin_client());
    // A lower bound, so it holds however slow the machine is: the status cannot come sooner.
    let created_at = std::time::Instant::now();
    create(&api, "slow", json!({})).await;
    let object = wait_for_status(&api, "slow").await;
    assert!(
        created_at.elapsed() >= Duration::from_millis(1500),
        "status before the delay passed"
    );
    assert_eq!(status_of(&object).unwrap()["state"], "OK");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn error_mode_writes_state_error_that_still_expires() {
    let sandbox = start(controller_config(ControllerMode::Error)).await;
    let api = token_requests(sandbox.admin_client());
    create(&api, "broken", json!({})).await;
    let object = wait_for_status(&api, "broken").await;
    let status = status_of(&object).unwrap();
    assert_eq!(status["state"], "Error");
    assert_eq!(status["token"], "");
    assert_eq!(status["url"], "");
    assert_eq!(status["application"], "broken");
    assert!(parse_time(&status["expireAfter"]) > jiff::Timestamp::now());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn empty_token_mode_writes_ok_without_token_and_rewrites_change_nothing() {
    let sandbox = start(controller_config(ControllerMode::EmptyToken)).await;
    let api = token_requests(sandbox.admin_client());
    create(&api, "empty", json!({})).await;
    let object = wait_for_status(&api, "empty").await;
    let status = status_of(&object).unwrap().clone();
    assert_eq!(status["state"], "OK");
    assert_eq!(status["token"], "");
    assert_eq!(status["url"], "");
    assert_eq!(status["application"], "empty");
    parse_time(&status["expireAfter"]);

    // Later resyncs find the token still empty and write the same status again: nothing
    // changes, not even the resourceVersion.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let later = api.get("empty").await.unwrap();
    assert_eq!(status_of(&later), Some(&status));
    assert_eq!(
        later.metadata.resource_version,
        object.metadata.resource_version
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn off_mode_never_writes_a_status() {
    let sandbox = start(controller_config(ControllerMode::Off)).await;
    let api = token_requests(sandbox.admin_client());
    create(&api, "ignored", json!({})).await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let object = api.get("ignored").await.unwrap();
    assert!(status_of(&object).is_none());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn context_is_kept_under_the_kyma1_schema() {
    let sandbox = start_with(
        ServerConfig {
            schema: SchemaVersion::Kyma1,
            ..ServerConfig::default()
        },
        controller_config(ControllerMode::Ok),
    )
    .await;
    let api = token_requests(sandbox.admin_client());
    let context = json!({"tenant": "tenant-a", "group": "group-b"});
    create(&api, "with-context", json!({ "context": context })).await;
    let object = wait_for_status(&api, "with-context").await;
    assert_eq!(object.data["context"], context);
    assert_eq!(status_of(&object).unwrap()["state"], "OK");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn controller_runs_through_a_kubeconfig_against_another_sandbox() {
    let sandbox = start(controller_config(ControllerMode::Off)).await;
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("kubeconfig");
    sandbox.write_kubeconfig(&path).unwrap();

    let kubeconfig = kube::config::Kubeconfig::read_from(&path).unwrap();
    let config = kube::Config::from_custom_kubeconfig(kubeconfig, &Default::default())
        .await
        .unwrap();
    let client = kube::Client::try_from(config).unwrap();
    let controller = tokio::spawn(controller::run(
        client,
        controller_config(ControllerMode::Ok),
    ));

    let api = token_requests(sandbox.admin_client());
    create(&api, "remote", json!({})).await;
    let object = wait_for_status(&api, "remote").await;
    assert_eq!(status_of(&object).unwrap()["state"], "OK");
    controller.abort();
    let _ = controller.await;
    sandbox.shutdown().await;
}

#[tokio::test]
async fn clearing_the_token_gets_a_fresh_one() {
    let sandbox = start(controller_config(ControllerMode::Ok)).await;
    let api = token_requests(sandbox.admin_client());
    create(&api, "reissue", json!({})).await;
    let mut object = wait_for_status(&api, "reissue").await;
    let first_token = status_of(&object).unwrap()["token"].clone();

    // A full-object update without status, as `kubectl replace` of the original manifest does.
    object.data.as_object_mut().unwrap().remove("status");
    api.replace("reissue", &PostParams::default(), &object)
        .await
        .expect("the status can be cleared");
    let reissued = wait_for_status(&api, "reissue").await;
    let second_token = &status_of(&reissued).unwrap()["token"];
    assert_eq!(second_token.as_str().map(str::len), Some(88));
    assert_ne!(*second_token, first_token);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn shutdown_leaves_the_port_closed() {
    let sandbox = start(controller_config(ControllerMode::Ok)).await;
    let url = sandbox.url();
    let address = url
        .split_once("://")
        .map(|(_, address)| address.to_owned())
        .expect("the URL has a scheme");
    sandbox.shutdown().await;
    assert!(tokio::net::TcpStream::connect(&address).await.is_err());
}

#[tokio::test]
async fn controller_recovers_from_dropped_watches_and_expired_history() {
    let sandbox = start(controller_config(ControllerMode::Ok)).await;
    let api = token_requests(sandbox.admin_client());
    create(&api, "before", json!({})).await;
    wait_for_status(&api, "before").await;
    let watches_before = sandbox.server().watch_requests();

    // The controller's watch ends and resuming it answers 410 Expired: it must list again.
    sandbox.server().forget_history();
    sandbox.server().drop_watches();
    tokio::time::timeout(PATIENCE, async {
        while sandbox.server().watch_requests() <= watches_before {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the controller watches again");
    create(&api, "after", json!({})).await;
    let object = wait_for_status(&api, "after").await;
    assert_eq!(status_of(&object).unwrap()["state"], "OK");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn without_an_admin_the_controller_uses_a_user_allowed_everything() {
    use tokenrequest_sandbox::User;
    use tokenrequest_sandbox::server::Verbs;
    let sandbox = start_with(
        ServerConfig {
            users: vec![
                User::new("nobody", "sandbox-nobody-token", Verbs::NONE),
                User::anonymous(Verbs::ALL),
            ],
            ..ServerConfig::default()
        },
        controller_config(ControllerMode::Ok),
    )
    .await;
    let api = token_requests(sandbox.admin_client());
    create(&api, "anonymous-controller", json!({})).await;
    let object = wait_for_status(&api, "anonymous-controller").await;
    assert_eq!(status_of(&object).unwrap()["state"], "OK");
    let nobody = token_requests(sandbox.client_for("nobody").unwrap());
    assert!(nobody.get("anonymous-controller").await.is_err());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_change_during_the_delay_is_kept_when_the_status_is_written() {
    let sandbox = start(ControllerConfig {
        delay: Duration::from_millis(1500),
        ..controller_config(ControllerMode::Ok)
    })
    .await;
    let api = token_requests(sandbox.admin_client());
    let mut object = create(&api, "edited", json!({})).await;

    // While the controller "asks the Connector Service", someone else updates the object; the
    // controller's write then carries a stale resourceVersion, gets 409 Conflict, and must
    // read the object again instead of overwriting the edit.
    tokio::time::sleep(Duration::from_millis(300)).await;
    object
        .metadata
        .labels
        .get_or_insert_with(Default::default)
        .insert("edited-by".to_owned(), "test".to_owned());
    let edited = api
        .replace("edited", &PostParams::default(), &object)
        .await
        .expect("the edit is stored");
    assert!(status_of(&edited).is_none(), "edit after the status came");

    let object = wait_for_status(&api, "edited").await;
    assert_eq!(status_of(&object).unwrap()["state"], "OK");
    assert_eq!(
        object
            .metadata
            .labels
            .as_ref()
            .and_then(|labels| labels.get("edited-by"))
            .map(String::as_str),
        Some("test")
    );
    sandbox.shutdown().await;
}

/// Collects every event and span field, debug level and up, as text.
mod capture {
    use std::fmt::Write as _;
    use std::sync::{Arc, Mutex};

    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Level, Metadata, Subscriber};

    #[derive(Clone, Default)]
    pub struct Capture(pub Arc<Mutex<String>>);

    struct Text<'a>(&'a mut String);

    impl Visit for Text<'_> {
        fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
            let _ = write!(self.0, " {}={value:?}", field.name());
        }
    }

    impl Subscriber for Capture {
        fn enabled(&self, metadata: &Metadata<'_>) -> bool {
            *metadata.level() <= Level::DEBUG
        }
        fn new_span(&self, attributes: &Attributes<'_>) -> Id {
            attributes.record(&mut Text(&mut self.0.lock().unwrap()));
            Id::from_u64(1)
        }
        fn record(&self, _: &Id, values: &Record<'_>) {
            values.record(&mut Text(&mut self.0.lock().unwrap()));
        }
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, event: &Event<'_>) {
            let mut text = self.0.lock().unwrap();
            text.push('\n');
            event.record(&mut Text(&mut text));
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }
}

// The capture is the process's subscriber (the only test here that sets one): a subscriber
// set for this thread alone missed the controller's events when other tests ran beside it
// (tracing caches each call site's interest process-wide). It sees the other tests' events
// too, which only adds lines that must not hold this test's token either.
#[tokio::test(flavor = "current_thread")]
async fn tokens_are_never_logged() {
    let capture = capture::Capture::default();
    tracing::subscriber::set_global_default(capture.clone())
        .expect("no other test sets a subscriber");
    let sandbox = start(controller_config(ControllerMode::Ok)).await;
    let api = token_requests(sandbox.admin_client());
    create(&api, "secret", json!({})).await;
    let object = wait_for_status(&api, "secret").await;
    let token = status_of(&object).unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    // The controller logs after its update returns, which may be just after the test saw the
    // status: give it a moment (bounded) before stopping it.
    let logged = || {
        capture
            .0
            .lock()
            .unwrap()
            .contains("wrote tokenrequest status")
    };
    // Bounded generously: a loaded machine may take seconds; the loop ends when it appears.
    for _ in 0..1500 {
        if logged() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    sandbox.shutdown().await;

    let log = capture.0.lock().unwrap().clone();
    assert!(log.contains("wrote tokenrequest status"), "{log}");
    assert!(!log.contains(&token), "a token was logged");
    assert!(
        !log.contains(token.trim_end_matches('=')),
        "a token was logged"
    );
}

/// `count` TokenRequests without a status, then a controller started over them with `workers`
/// and a delay, so that its first list holds them all; returns once every one has a status,
/// with the controller's reconcile counts.
async fn reconcile_all_with(workers: u16, count: usize) -> controller::Reconciles {
    // No controller of the sandbox's own: the one started below sees every object at once.
    let sandbox = start(controller_config(ControllerMode::Off)).await;
    let api = token_requests(sandbox.admin_client());
    let names: Vec<String> = (0..count).map(|index| format!("queued-{index}")).collect();
    for name in &names {
        create(&api, name, json!({})).await;
    }
    let config = ControllerConfig {
        workers,
        delay: Duration::from_millis(300),
        ..controller_config(ControllerMode::Ok)
    };
    let reconciles = config.reconciles.clone();
    let running = tokio::spawn(controller::run(sandbox.admin_client(), config));
    for name in &names {
        wait_for_status(&api, name).await;
    }
    running.abort();
    sandbox.shutdown().await;
    reconciles
}

#[tokio::test]
async fn one_worker_reconciles_one_request_at_a_time() {
    let reconciles = reconcile_all_with(1, 4).await;
    assert!(reconciles.finished() >= 4, "{reconciles:?}");
    assert_eq!(reconciles.peak(), 1, "no two reconciles overlapped");
}

#[tokio::test]
async fn three_workers_reconcile_up_to_three_at_once() {
    let reconciles = reconcile_all_with(3, 7).await;
    assert!(reconciles.finished() >= 7, "{reconciles:?}");
    // The first list holds all seven, each reconcile waits out the delay: three start together,
    // and never a fourth beside them.
    assert_eq!(reconciles.peak(), 3, "{reconciles:?}");
}

#[tokio::test]
async fn the_sandbox_defaults_to_one_worker_as_upstream() {
    assert_eq!(ControllerConfig::default().workers, 1);
    let sandbox = start(ControllerConfig {
        delay: Duration::from_millis(100),
        ..controller_config(ControllerMode::Ok)
    })
    .await;
    let api = token_requests(sandbox.admin_client());
    let names = ["default-1", "default-2", "default-3"];
    futures::future::join_all(names.iter().map(|name| create(&api, name, json!({})))).await;
    for name in names {
        wait_for_status(&api, name).await;
    }
    assert_eq!(sandbox.reconciles().peak(), 1);
    sandbox.shutdown().await;
}
