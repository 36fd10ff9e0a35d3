//! A TokenRequest controller that behaves like Kyma's connection-token-handler
//! (`docs/kyma-tokenrequest-spec.md` §3), written as an ordinary kube-rs controller so it
//! runs against the sandbox and against a real cluster alike.
//!
//! Reconcile, as upstream:
//! 1. `status.expireAfter` set and in the past: delete the object.
//! 2. Else `status.token` empty or absent: "ask the Connector Service" (wait `delay`, make a token)
//!    and write the status with a full-object replace, retrying on 409 Conflict.
//! 3. Else nothing.
//!
//! Upstream reconciles one TokenRequest at a time (controller-runtime's default
//! `MaxConcurrentReconciles: 1`), so N new requests take at least N × `delay`; `workers` is that
//! limit here (kube-runtime's `concurrency`).
//!
//! Upstream has no explicit requeue; its informer resync re-enqueues every object every
//! `syncPeriod`, which is when expired objects get deleted. Here every reconcile asks to be
//! requeued after `sync_period`, which has the same effect.
//!
//! The object is handled as a [`DynamicObject`], never as the plugin's Rust type, so what gets
//! written is exactly what came in plus the status (an undeclared `context` is kept as it came).
//!
//! Tokens are secrets: nothing here logs one.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use base64::Engine as _;
use futures::StreamExt as _;
use kube::api::{Api, ApiResource, DeleteParams, DynamicObject, PostParams};
use kube::runtime::controller::{self, Action, Controller};
use kube::runtime::watcher;
use ring::rand::{SecureRandom as _, SystemRandom};
use serde_json::{Value, json};

/// The resource's names, defined once for the crate (by the server that serves it).
pub use crate::server::{GROUP, KIND, PLURAL, VERSION};

/// Bytes of randomness in a token, as Connector Service's `--tokenLength` default.
const TOKEN_BYTES: usize = 64;
/// Attempts of a status update that keeps running into 409 Conflict before giving up until the
/// next reconcile (client-go's `DefaultBackoff` makes 4 attempts).
const CONFLICT_ATTEMPTS: usize = 5;
/// How long a call to the Connector Service may take.
const CONNECTOR_TIMEOUT: Duration = Duration::from_secs(10);
/// Upper bound for the requeue after a failed reconcile.
const ERROR_REQUEUE_MAX: Duration = Duration::from_secs(5);

/// What the controller writes when it handles a TokenRequest without a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ControllerMode {
    /// A fresh token, `state: OK`: Connector Service answered.
    #[default]
    Ok,
    /// `state: Error`: Connector Service could not be reached.
    ///
    /// Upstream leaves `expireAfter` at the zero time, which serialises as `null`; the CRD's
    /// schema rejects that update with a 422, so a real cluster never shows this state. The
    /// sandbox writes `token: ""`, `url: ""` and a valid `expireAfter = now + ttl` instead, so
    /// that the state is visible to clients and the object still expires and gets deleted.
    Error,
    /// `state: OK` with an empty token and URL: Connector Service answered with an error body,
    /// which upstream decodes into empty fields. Re-reconciling writes the same empty status
    /// again (keeping the first `expireAfter`), which the API server treats as a no-op.
    EmptyToken,
    /// Upstream's recovery from a failed Connector Service call: the first answer for an object
    /// is `state: OK` with an empty token and URL, the next reconcile (which that very update
    /// triggers) writes a real token.
    FlakyToken,
    /// No controller at all, as on Kyma 2.3 or later or in Compass mode: objects never get a
    /// status.
    Off,
}

/// Knobs of the controller; defaults are upstream's (`--tokenTTL=300`, `--syncPeriod=30`).
#[derive(Debug, Clone)]
pub struct ControllerConfig {
    /// How long an issued token lives: `expireAfter = now + ttl`.
    pub ttl: Duration,
    /// How often every object is reconciled again; expired objects are deleted then.
    pub sync_period: Duration,
    /// How long "asking the Connector Service" takes before a status is written.
    pub delay: Duration,
    /// Domain of the Connector Service host in `status.url`.
    pub domain: String,
    /// What gets written.
    pub mode: ControllerMode,
    /// Base URL of a Connector Service's internal API (upstream's `--connectorServiceURL`). With
    /// it, [`ControllerMode::Ok`] asks that service for each token and URL, as upstream does;
    /// without it, tokens are made here and `status.url` points at `domain`.
    pub connector_url: Option<String>,
    /// Crash (drop every watch, queue and in-memory state, as a killed pod) this long after
    /// each start, and come back after `down_for`; `None`: never crash.
    pub crash_after: Option<Duration>,
    /// How long a crashed controller stays away.
    pub down_for: Duration,
    /// How many objects are reconciled at once (upstream: 1); 0 means no limit.
    pub workers: u16,
    /// Counts the reconciles as they run, for tests to see how many overlap.
    pub reconciles: Reconciles,
}

impl Default for ControllerConfig {
    fn default() -> Self {
        Self {
            ttl: Duration::from_secs(300),
            sync_period: Duration::from_secs(30),
            delay: Duration::ZERO,
            domain: "kyma.example.com".to_owned(),
            mode: ControllerMode::Ok,
            connector_url: None,
            crash_after: None,
            down_for: Duration::from_secs(1),
            workers: 1,
            reconciles: Reconciles::default(),
        }
    }
}

/// How many reconciles are running and the most that ever ran at once, shared by every clone
/// (and every restart of a crashing controller).
#[derive(Debug, Clone, Default)]
pub struct Reconciles(Arc<Counts>);

#[derive(Debug, Default)]
struct Counts {
    in_flight: AtomicUsize,
    peak: AtomicUsize,
    finished: AtomicUsize,
}

impl Reconciles {
    /// Reconciles running now.
    pub fn in_flight(&self) -> usize {
        self.0.in_flight.load(Ordering::SeqCst)
    }

    /// The most reconciles that ever ran at once.
    pub fn peak(&self) -> usize {
        self.0.peak.load(Ordering::SeqCst)
    }

    /// Reconciles that ran to their end (or were dropped with a crashed controller).
    pub fn finished(&self) -> usize {
        self.0.finished.load(Ordering::SeqCst)
    }

    /// Counts one reconcile in until the guard is dropped.
    fn start(&self) -> Running {
        let now = self.0.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.0.peak.fetch_max(now, Ordering::SeqCst);
        Running(self.clone())
    }
}

/// One reconcile in flight; a drop (its end, or the controller's) counts it out.
struct Running(Reconciles);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.0.finished.fetch_add(1, Ordering::SeqCst);
        self.0.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Why a reconcile failed; it is retried after a short pause.
#[derive(Debug, thiserror::Error)]
pub enum ControllerError {
    #[error("request to the API server failed: {0}")]
    Kube(#[from] kube::Error),
    #[error("the system random number generator failed")]
    Random,
    #[error("the object has no namespace or no name")]
    Unnamed,
    #[error("still conflicting after {CONFLICT_ATTEMPTS} attempts to write the status")]
    Conflict,
    #[error("calling the Connector Service at {url} failed: {message}")]
    Connector { url: String, message: String },
}

/// The TokenRequest resource as kube-rs addresses it dynamically.
pub fn token_request_resource() -> ApiResource {
    ApiResource {
        group: GROUP.to_owned(),
        version: VERSION.to_owned(),
        api_version: format!("{GROUP}/{VERSION}"),
        kind: KIND.to_owned(),
        plural: PLURAL.to_owned(),
    }
}

/// Runs the controller over TokenRequests in all namespaces until the returned future is
/// dropped. In [`ControllerMode::Off`] it does nothing, forever.
pub async fn run(client: kube::Client, config: ControllerConfig) -> anyhow::Result<()> {
    if config.mode == ControllerMode::Off {
        futures::future::pending::<()>().await;
    }
    let Some(crash_after) = config.crash_after else {
        return run_once(client, config).await;
    };
    loop {
        // Dropping the running controller loses its watches, queue and memory, as a crash does.
        let _ = tokio::time::timeout(crash_after, run_once(client.clone(), config.clone())).await;
        tracing::info!(down_for = ?config.down_for, "controller crashed (injected); restarting");
        tokio::time::sleep(config.down_for).await;
    }
}

async fn run_once(client: kube::Client, config: ControllerConfig) -> anyhow::Result<()> {
    let resource = token_request_resource();
    let api = Api::<DynamicObject>::all_with(client.clone(), &resource);
    let context = Arc::new(Context {
        client,
        resource: resource.clone(),
        config,
        random: SystemRandom::new(),
        answered_empty: Default::default(),
        http: hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
            .build_http(),
    });
    let workers = context.config.workers;
    Controller::new_with(api, watcher::Config::default(), resource)
        .with_config(controller::Config::default().concurrency(workers))
        .run(reconcile, error_policy, context)
        .for_each(|result| async move {
            match result {
                Ok(_) => {}
                // A queued object that was deleted meanwhile: nothing to do.
                Err(controller::Error::ObjectNotFound(object)) => {
                    tracing::debug!(%object, "object vanished before its reconcile")
                }
                Err(error) => tracing::warn!(%error, "tokenrequest controller"),
            }
        })
        .await;
    Ok(())
}

struct Context {
    client: kube::Client,
    resource: ApiResource,
    config: ControllerConfig,
    random: SystemRandom,
    /// [`ControllerMode::FlakyToken`]: uids of objects already answered without a token.
    answered_empty: std::sync::Mutex<std::collections::HashSet<String>>,
    http: hyper_util::client::legacy::Client<
        hyper_util::client::legacy::connect::HttpConnector,
        http_body_util::Empty<bytes::Bytes>,
    >,
}

/// What a reconcile does with an object, decided from the object alone.
#[derive(Debug, PartialEq, Eq)]
enum Decision {
    Delete,
    Issue,
    Nothing,
}

fn decide(object: &DynamicObject, now: jiff::Timestamp) -> Decision {
    let status = object.data.get("status");
    // Upstream's `ShouldExpire`: the zero time (absent, null, unparsable) never expires.
    let expire_after = status
        .and_then(|status| status.get("expireAfter"))
        .and_then(Value::as_str)
        .and_then(|text| text.parse::<jiff::Timestamp>().ok());
    if expire_after.is_some_and(|expire_after| expire_after < now) {
        return Decision::Delete;
    }
    // Upstream's `ShouldFetch`.
    let token = status
        .and_then(|status| status.get("token"))
        .and_then(Value::as_str)
        .unwrap_or("");
    if token.is_empty() {
        Decision::Issue
    } else {
        Decision::Nothing
    }
}

async fn reconcile(
    object: Arc<DynamicObject>,
    context: Arc<Context>,
) -> Result<Action, ControllerError> {
    let _running = context.config.reconciles.start();
    let resync = Action::requeue(context.config.sync_period);
    let (Some(namespace), Some(name)) = (
        object.metadata.namespace.as_deref(),
        object.metadata.name.as_deref(),
    ) else {
        return Err(ControllerError::Unnamed);
    };
    let api =
        Api::<DynamicObject>::namespaced_with(context.client.clone(), namespace, &context.resource);
    match decide(&object, jiff::Timestamp::now()) {
        Decision::Nothing => {}
        Decision::Delete => match api.delete(name, &DeleteParams::default()).await {
            Ok(_) => tracing::info!(namespace, name, "deleted expired tokenrequest"),
            Err(error) if is_not_found(&error) => {}
            Err(error) => return Err(error.into()),
        },
        Decision::Issue => {
            // Stands for the call to the Connector Service.
            if !context.config.delay.is_zero() {
                tokio::time::sleep(context.config.delay).await;
            }
            write_status(&api, &context, (*object).clone()).await?;
        }
    }
    Ok(resync)
}

/// Writes the status onto `object` with a full-object replace; on 409 Conflict gets the object
/// again and, if it still needs a token, tries again.
async fn write_status(
    api: &Api<DynamicObject>,
    context: &Context,
    mut object: DynamicObject,
) -> Result<(), ControllerError> {
    let name = object.metadata.name.clone().unwrap_or_default();
    let mode = effective_mode(context, &object);
    let issued = match &context.config.connector_url {
        Some(base_url) if mode == ControllerMode::Ok => {
            request_token(context, base_url, &object).await?
        }
        _ => Issued::local(&context.config.domain, generate_token(&context.random)?),
    };
    for _ in 0..CONFLICT_ATTEMPTS {
        let now = jiff::Timestamp::now();
        if decide(&object, now) != Decision::Issue {
            return Ok(());
        }
        let status = new_status(
            &name,
            mode,
            &context.config,
            &issued,
            now,
            object.data.get("status"),
        );
        // In the modes that write an empty token, a rewrite is identical to what is stored; it
        // is sent anyway, as upstream's fetch-and-update would, and the API server treats it as
        // a no-op (no new resourceVersion, no watch event, so no reconcile loop).
        set_status(&mut object, status);
        match api.replace(&name, &PostParams::default(), &object).await {
            Ok(stored) if stored.metadata.resource_version == object.metadata.resource_version => {
                tracing::debug!(name, "status unchanged");
                return Ok(());
            }
            Ok(_) => {
                tracing::info!(
                    namespace = object.metadata.namespace.as_deref().unwrap_or_default(),
                    name,
                    ?mode,
                    "wrote tokenrequest status"
                );
                return Ok(());
            }
            Err(error) if is_not_found(&error) => return Ok(()),
            Err(error) if is_conflict(&error) => {
                tracing::debug!(
                    name,
                    "conflict writing the status; reading the object again"
                );
                match api.get_opt(&name).await? {
                    Some(fresh) => object = fresh,
                    None => return Ok(()),
                }
            }
            Err(error) => return Err(error.into()),
        }
    }
    Err(ControllerError::Conflict)
}

fn set_status(object: &mut DynamicObject, status: Value) {
    match object.data.as_object_mut() {
        Some(fields) => {
            fields.insert("status".to_owned(), status);
        }
        None => object.data = json!({ "status": status }),
    }
}

/// [`ControllerMode::FlakyToken`] answers an object's first reconcile as
/// [`ControllerMode::EmptyToken`] and every later one as [`ControllerMode::Ok`]; other modes are
/// what they say.
fn effective_mode(context: &Context, object: &DynamicObject) -> ControllerMode {
    if context.config.mode != ControllerMode::FlakyToken {
        return context.config.mode;
    }
    let key = object
        .metadata
        .uid
        .clone()
        .or_else(|| object.metadata.name.clone())
        .unwrap_or_default();
    let mut answered = context
        .answered_empty
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if answered.insert(key) {
        ControllerMode::EmptyToken
    } else {
        ControllerMode::Ok
    }
}

/// The status the controller writes in `mode`. `previous` is the status already there; modes
/// that write an empty token keep its `expireAfter`, so that rewriting them changes nothing and
/// the object still expires.
fn new_status(
    name: &str,
    mode: ControllerMode,
    config: &ControllerConfig,
    issued: &Issued,
    now: jiff::Timestamp,
    previous: Option<&Value>,
) -> Value {
    let fresh_expiry = || format_expire_after(now, config.ttl);
    let kept_expiry = || {
        previous
            .and_then(|status| status.get("expireAfter"))
            .and_then(Value::as_str)
            .filter(|text| text.parse::<jiff::Timestamp>().is_ok())
            .map(str::to_owned)
            .unwrap_or_else(fresh_expiry)
    };
    let (state, token, url, expire_after) = match mode {
        // The Connector Service answered with an error body, which decodes into empty fields.
        ControllerMode::Ok if issued.token.is_empty() => {
            ("OK", String::new(), String::new(), kept_expiry())
        }
        ControllerMode::Ok => (
            "OK",
            issued.token.clone(),
            issued.url.clone(),
            fresh_expiry(),
        ),
        ControllerMode::EmptyToken | ControllerMode::FlakyToken => {
            ("OK", String::new(), String::new(), kept_expiry())
        }
        // Off never reconciles; treat it like Error should it ever get here.
        ControllerMode::Error | ControllerMode::Off => {
            ("Error", String::new(), String::new(), kept_expiry())
        }
    };
    json!({
        "token": token,
        "url": url,
        "expireAfter": expire_after,
        "application": name,
        "state": state,
    })
}

/// A token and its info URL, from the Connector Service or made here. Not `Debug`: it holds
/// a secret.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct Issued {
    token: String,
    url: String,
}

impl Issued {
    fn local(domain: &str, token: String) -> Issued {
        Issued {
            url: connector_url(domain, &token),
            token,
        }
    }
}

/// Upstream's token fetch: `POST {base}/v1/applications/tokens` with the `Application` header
/// (and `Tenant`/`Group` when the request's context has both). Like upstream it does not look
/// at the status code: an error body decodes into an empty token and URL.
async fn request_token(
    context: &Context,
    base_url: &str,
    object: &DynamicObject,
) -> Result<Issued, ControllerError> {
    let url = format!("{}/v1/applications/tokens", base_url.trim_end_matches('/'));
    let failed = |message: String| ControllerError::Connector {
        url: url.clone(),
        message,
    };
    let mut request = http::Request::post(&url)
        .header(http::header::CONTENT_TYPE, "application/json")
        .header(
            "Application",
            object.metadata.name.as_deref().unwrap_or_default(),
        );
    let request_context = object.data.get("context");
    let field = |key: &str| {
        request_context
            .and_then(|context| context.get(key))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let (tenant, group) = (field("tenant"), field("group"));
    if !tenant.is_empty() && !group.is_empty() {
        request = request.header("Tenant", tenant).header("Group", group);
    }
    let request = request
        .body(http_body_util::Empty::new())
        .map_err(|error| failed(error.to_string()))?;
    let exchange = async {
        let response = context
            .http
            .request(request)
            .await
            .map_err(|error| failed(error.to_string()))?;
        http_body_util::BodyExt::collect(response.into_body())
            .await
            .map(|body| body.to_bytes())
            .map_err(|error| failed(error.to_string()))
    };
    let body = tokio::time::timeout(CONNECTOR_TIMEOUT, exchange)
        .await
        .map_err(|_| failed(format!("no answer within {CONNECTOR_TIMEOUT:?}")))??;
    serde_json::from_slice(&body).map_err(|error| failed(format!("undecodable answer: {error}")))
}

/// `https://connector-service.<domain>/v1/applications/signingRequests/info?token=<token>`; the
/// token is not URL-encoded, as upstream.
pub fn connector_url(domain: &str, token: &str) -> String {
    format!("https://connector-service.{domain}/v1/applications/signingRequests/info?token={token}")
}

/// `now + ttl` as RFC 3339 UTC with second precision, as Go's `metav1.Time` serialises.
fn format_expire_after(now: jiff::Timestamp, ttl: Duration) -> String {
    let ttl = jiff::SignedDuration::try_from(ttl).unwrap_or(jiff::SignedDuration::MAX);
    let expiry = now.saturating_add(ttl).unwrap_or(jiff::Timestamp::MAX);
    let whole_seconds = jiff::Timestamp::from_second(expiry.as_second()).unwrap_or(expiry);
    whole_seconds.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// 64 random bytes as base64url with padding: 88 characters ending in `==`, like Connector
/// Service's tokens.
pub(crate) fn generate_token(random: &SystemRandom) -> Result<String, ControllerError> {
    let mut bytes = [0u8; TOKEN_BYTES];
    random
        .fill(&mut bytes)
        .map_err(|_| ControllerError::Random)?;
    Ok(base64::engine::general_purpose::URL_SAFE.encode(bytes))
}

fn error_policy(
    object: Arc<DynamicObject>,
    error: &ControllerError,
    context: Arc<Context>,
) -> Action {
    tracing::warn!(
        namespace = object.metadata.namespace.as_deref().unwrap_or_default(),
        name = object.metadata.name.as_deref().unwrap_or_default(),
        %error,
        "reconcile failed; retrying"
    );
    Action::requeue(context.config.sync_period.min(ERROR_REQUEUE_MAX))
}

fn is_not_found(error: &kube::Error) -> bool {
    matches!(error, kube::Error::Api(status) if status.is_not_found())
}

fn is_conflict(error: &kube::Error) -> bool {
    matches!(error, kube::Error::Api(status) if status.is_conflict())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object_with(data: Value) -> DynamicObject {
        DynamicObject::new("my-app", &token_request_resource())
            .within("default")
            .data(data)
    }

    fn at(text: &str) -> jiff::Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn token_is_88_chars_of_base64url_ending_in_padding() {
        let token = generate_token(&SystemRandom::new()).unwrap();
        assert_eq!(token.len(), 88);
        assert!(token.ends_with("=="));
        assert!(
            token[..86]
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
        );
        assert_ne!(token, generate_token(&SystemRandom::new()).unwrap());
    }

    #[test]
    fn expire_after_is_utc_with_whole_seconds() {
        let now = at("2026-11-27T18:36:26.987654Z");
        assert_eq!(
            format_expire_after(now, Duration::from_secs(300)),
            "2026-11-27T18:41:26Z"
        );
    }

    #[test]
    fn decides_like_should_expire_then_should_fetch() {
        let now = at("2026-11-27T18:40:00Z");
        assert_eq!(decide(&object_with(json!({})), now), Decision::Issue);
        let with_status = |token: &str, expire_after: Value| {
            object_with(json!({"status": {"token": token, "expireAfter": expire_after}}))
        };
        assert_eq!(
            decide(&with_status("t", json!("2026-11-27T18:39:59Z")), now),
            Decision::Delete
        );
        assert_eq!(
            decide(&with_status("", json!("2026-11-27T18:39:59Z")), now),
            Decision::Delete
        );
        assert_eq!(
            decide(&with_status("t", json!("2026-11-27T18:40:01Z")), now),
            Decision::Nothing
        );
        assert_eq!(
            decide(&with_status("", json!("2026-11-27T18:40:01Z")), now),
            Decision::Issue
        );
        // The zero time (null) never expires.
        assert_eq!(decide(&with_status("", Value::Null), now), Decision::Issue);
        assert_eq!(
            decide(&with_status("t", Value::Null), now),
            Decision::Nothing
        );
    }

    #[test]
    fn ok_status_matches_upstream_shape() {
        let config = ControllerConfig::default();
        let now = at("2026-11-27T18:36:26Z");
        let issued = Issued::local(&config.domain, "abc==".to_owned());
        let status = new_status("test-app", config.mode, &config, &issued, now, None);
        assert_eq!(
            status,
            json!({
                "token": "abc==",
                "url": "https://connector-service.kyma.example.com/v1/applications/signingRequests/info?token=abc==",
                "expireAfter": "2026-11-27T18:41:26Z",
                "application": "test-app",
                "state": "OK",
            })
        );
    }

    #[test]
    fn empty_token_and_error_modes_keep_the_first_expiry() {
        for (mode, state) in [
            (ControllerMode::EmptyToken, "OK"),
            (ControllerMode::Error, "Error"),
        ] {
            let config = ControllerConfig {
                mode,
                ..ControllerConfig::default()
            };
            let secret = Issued::local(&config.domain, "secret".to_owned());
            let first = new_status(
                "a",
                mode,
                &config,
                &secret,
                at("2026-11-27T18:00:00Z"),
                None,
            );
            assert_eq!(first["state"], state);
            assert_eq!(first["token"], "");
            assert_eq!(first["url"], "");
            assert_eq!(first["expireAfter"], "2026-11-27T18:05:00Z");
            let again = new_status(
                "a",
                mode,
                &config,
                &Issued::local(&config.domain, "other".to_owned()),
                at("2026-11-27T18:01:00Z"),
                Some(&first),
            );
            assert_eq!(again, first);
        }
    }

    #[test]
    fn set_status_keeps_other_fields() {
        let mut object = object_with(json!({"context": {"tenant": "t", "group": "g"}}));
        set_status(&mut object, json!({"state": "OK"}));
        assert_eq!(
            object.data,
            json!({"context": {"tenant": "t", "group": "g"}, "status": {"state": "OK"}})
        );
    }
}
