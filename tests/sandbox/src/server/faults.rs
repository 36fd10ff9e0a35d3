//! Faults injected into the API server, for tests of clients under pressure.
//!
//! Two kinds live here:
//! - the switches of [`FaultConfig`], set with `serve --faults JSON`, `POST /sandbox/faults` or
//!   [`super::ServerHandle::set_faults`]: answers 429 (with `Retry-After`), 5xx or nothing at
//!   all (the connection closes) to a share of requests chosen by a seeded generator, before
//!   or after the request is carried out; a delay before every answer; watch streams that end
//!   after N events or N milliseconds; 410 `Expired` for every resumed watch; `watch` forbidden;
//!   401 for every request, as an expired credential gets;
//! - delete faults: the next N deletes answer 429 (with `Retry-After`) or a 5xx instead of
//!   deleting, a hook can change an object just before its delete is handled (a refresh racing
//!   a cleanup), and every delete is logged with when it came and what it was answered.
//!
//! Every request under the TokenRequest group is logged with its answer (or `None` when the
//! connection was closed instead), so tests can count what a client sent.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use http::{HeaderValue, Method, StatusCode, header};
use http_body_util::BodyExt as _;
use hyper::body::Incoming;
use hyper::{Request, Response};
use serde::{Deserialize, Serialize};

use super::resource::Target;
use super::responses::{self, ApiError, Body};
use super::{State, Verb, Verbs};
use crate::store::Store;

/// Runs against the store just before one delete is handled.
type BeforeDelete = Box<dyn FnOnce(&Store) + Send>;

/// Fault switches. Every field is optional in JSON (camelCase); `{}` switches everything off.
///
/// The share faults (`throttleRatio`, `errorRatio`, `closeRatio`) draw one number per request
/// from a generator seeded with `seed`, so the same sequence of requests meets the same
/// faults in every run. They, and `delayMs`, apply to requests under the TokenRequest group
/// by the listed `users` (all when empty) using the listed `verbs` (all when empty).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct FaultConfig {
    pub seed: u64,
    /// Users whose requests get faults; empty: every user.
    pub users: Vec<String>,
    /// Verbs (`get`, `list`, `watch`, `create`, `update`, `patch`, `delete`,
    /// `deletecollection`) the share faults and the delay apply to; empty: every verb.
    pub verbs: Vec<String>,
    /// Share of requests (0–1) answered 429 `TooManyRequests` with `Retry-After`.
    pub throttle_ratio: f64,
    /// The `Retry-After` of those answers, in seconds.
    pub retry_after_seconds: u64,
    /// Share of requests (0–1) answered with one of `errorCodes`.
    pub error_ratio: f64,
    /// 5xx codes to answer, picked by the same generator (default: 500).
    pub error_codes: Vec<u16>,
    /// Share of requests (0–1) whose connection is closed without an answer.
    pub close_ratio: f64,
    /// Carry the request out before answering the error or closing: a create then exists
    /// although the client saw it fail.
    pub after_handling: bool,
    /// Wait this long before answering each request.
    pub delay_ms: u64,
    /// End every watch stream after this many events (bookmarks do not count).
    pub drop_watch_after_events: Option<u64>,
    /// End every watch stream after this many milliseconds.
    pub drop_watch_after_ms: Option<u64>,
    /// Answer every watch that resumes from a resourceVersion with 410 `Expired`.
    pub expire_watch_resumes: bool,
    /// Answer every watch with 403, whatever the user may do otherwise.
    pub forbid_watch: bool,
    /// Answer every request with 401, as an expired credential gets.
    pub unauthorized: bool,
}

impl Default for FaultConfig {
    fn default() -> Self {
        FaultConfig {
            seed: 0,
            users: Vec::new(),
            verbs: Vec::new(),
            throttle_ratio: 0.0,
            retry_after_seconds: 1,
            error_ratio: 0.0,
            error_codes: vec![500],
            close_ratio: 0.0,
            after_handling: false,
            delay_ms: 0,
            drop_watch_after_events: None,
            drop_watch_after_ms: None,
            expire_watch_resumes: false,
            forbid_watch: false,
            unauthorized: false,
        }
    }
}

impl FaultConfig {
    /// Parses and checks the JSON form used by `serve --faults` and `POST /sandbox/faults`.
    pub fn from_json(text: &[u8]) -> Result<FaultConfig, String> {
        let config: FaultConfig = serde_json::from_slice(text).map_err(|e| e.to_string())?;
        config.validate()?;
        Ok(config)
    }

    pub fn validate(&self) -> Result<(), String> {
        let ratios = [
            ("throttleRatio", self.throttle_ratio),
            ("errorRatio", self.error_ratio),
            ("closeRatio", self.close_ratio),
        ];
        for (field, ratio) in ratios {
            if !(0.0..=1.0).contains(&ratio) {
                return Err(format!("{field} must be between 0 and 1, not {ratio}"));
            }
        }
        if ratios.iter().map(|(_, ratio)| ratio).sum::<f64>() > 1.0 {
            return Err("throttleRatio + errorRatio + closeRatio must not exceed 1".into());
        }
        if let Some(code) = self.error_codes.iter().find(|c| !(500..=599).contains(*c)) {
            return Err(format!("errorCodes must be 5xx codes, not {code}"));
        }
        if self.error_ratio > 0.0 && self.error_codes.is_empty() {
            return Err("errorRatio needs at least one of errorCodes".into());
        }
        if let Some(verb) = self
            .verbs
            .iter()
            .find(|name| !Verb::ALL.iter().any(|verb| verb.as_str() == name.as_str()))
        {
            return Err(format!("unknown verb {verb:?} in verbs"));
        }
        Ok(())
    }

    fn applies_to(&self, user: &str) -> bool {
        self.users.is_empty() || self.users.iter().any(|name| name == user)
    }

    fn applies_to_verb(&self, verb: Verb) -> bool {
        self.verbs.is_empty() || self.verbs.iter().any(|name| name == verb.as_str())
    }
}

/// How many faults were injected, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultCounts {
    pub throttled: u64,
    pub errors: u64,
    pub closed: u64,
    pub delayed: u64,
    pub dropped_watches: u64,
    pub expired_resumes: u64,
    pub forbidden_watches: u64,
    pub unauthorized: u64,
    pub restarts: u64,
}

#[derive(Default)]
struct Counters {
    throttled: AtomicU64,
    errors: AtomicU64,
    closed: AtomicU64,
    delayed: AtomicU64,
    dropped_watches: AtomicU64,
    expired_resumes: AtomicU64,
    forbidden_watches: AtomicU64,
    unauthorized: AtomicU64,
    restarts: AtomicU64,
}

fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

/// What the watch code needs to know about the faults of one watch request. Travels in the
/// request's extensions from the router to the watch stream.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct WatchFaults {
    pub drop_after_events: Option<u64>,
    pub drop_after: Option<Duration>,
    pub expire_resumes: bool,
}

/// The service's error: close the connection without answering.
#[derive(Debug)]
pub(super) struct CloseConnection;

impl std::fmt::Display for CloseConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("injected fault: connection closed without an answer")
    }
}

impl std::error::Error for CloseConnection {}

/// What to do with one request.
pub(super) enum Injection {
    Proceed,
    /// Answer this instead of handling the request.
    Answer(Response<Body>),
    Close,
    /// Handle the request, then answer this instead.
    AnswerAfter(Response<Body>),
    CloseAfter,
}

/// One request under the TokenRequest group and how it was answered.
#[derive(Debug, Clone)]
pub struct RequestRecord {
    pub at: Instant,
    pub verb: Verb,
    pub user: String,
    pub namespace: Option<String>,
    pub name: Option<String>,
    /// The HTTP status the client got, or `None` when the connection was closed instead.
    pub code: Option<u16>,
    /// The status handling the request produced, before an injected answer replaced it;
    /// `None` when it was not handled (a fault injected before handling). `Some(201)` for a
    /// create means the object was stored.
    pub outcome: Option<u16>,
    /// Whether the answer was an injected fault.
    pub injected: bool,
}

pub(super) struct Faults {
    config: Mutex<FaultConfig>,
    /// How many numbers the generator has handed out since the config was set.
    draws: AtomicU64,
    counters: Counters,
    /// Bumped to drop every open connection, as a restart of the API server would.
    restarts: tokio::sync::watch::Sender<u64>,
    requests: Mutex<Vec<RequestRecord>>,
    /// Answers for the next deletes, whatever object they name, oldest first.
    next_deletes: Mutex<VecDeque<InjectedAnswer>>,
    /// `(namespace, name, hook)`: run once, before the first delete of that object.
    before_delete: Mutex<Vec<(String, String, BeforeDelete)>>,
    deletes: Mutex<Vec<DeleteRequest>>,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            config: Mutex::default(),
            draws: AtomicU64::default(),
            counters: Counters::default(),
            restarts: tokio::sync::watch::channel(0).0,
            requests: Mutex::default(),
            next_deletes: Mutex::default(),
            before_delete: Mutex::default(),
            deletes: Mutex::default(),
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct InjectedAnswer {
    code: StatusCode,
    retry_after: Option<Duration>,
}

/// One delete the server received.
#[derive(Debug, Clone)]
pub struct DeleteRequest {
    pub at: Instant,
    pub namespace: String,
    pub name: String,
    /// The HTTP status it was answered with.
    pub code: u16,
    /// Whether that answer was an injected fault.
    pub injected: bool,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// SplitMix64: a tiny, well-known mixing function, enough to spread request numbers evenly
/// over [0, 1) from a seed. Written out here because no crate of the tree offers a seedable
/// generator (ring's is deliberately unseedable) and five lines do not justify `rand`.
fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

impl Faults {
    pub(super) fn set(&self, config: FaultConfig) {
        *lock(&self.config) = config;
        self.draws.store(0, Ordering::Relaxed);
    }

    pub(super) fn config(&self) -> FaultConfig {
        lock(&self.config).clone()
    }

    pub(super) fn counts(&self) -> FaultCounts {
        let c = &self.counters;
        let get = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        FaultCounts {
            throttled: get(&c.throttled),
            errors: get(&c.errors),
            closed: get(&c.closed),
            delayed: get(&c.delayed),
            dropped_watches: get(&c.dropped_watches),
            expired_resumes: get(&c.expired_resumes),
            forbidden_watches: get(&c.forbidden_watches),
            unauthorized: get(&c.unauthorized),
            restarts: get(&c.restarts),
        }
    }

    /// Drops every open connection (and so every watch); stored objects stay.
    pub(super) fn restart(&self) {
        bump(&self.counters.restarts);
        self.restarts.send_modify(|generation| *generation += 1);
    }

    /// Resolves when [`Faults::restart`] is called after this subscription.
    pub(super) fn restarted(&self) -> tokio::sync::watch::Receiver<u64> {
        self.restarts.subscribe()
    }

    /// Whether this user's request gets the 401 of an expired credential.
    pub(super) fn unauthorized(&self, user: &str) -> bool {
        let config = lock(&self.config);
        let fires = config.unauthorized && config.applies_to(user);
        if fires {
            bump(&self.counters.unauthorized);
        }
        fires
    }

    pub(super) fn forbids_watch(&self, user: &str) -> bool {
        let config = lock(&self.config);
        let fires = config.forbid_watch && config.applies_to(user);
        if fires {
            bump(&self.counters.forbidden_watches);
        }
        fires
    }

    pub(super) fn watch_faults(&self, user: &str) -> WatchFaults {
        let config = lock(&self.config);
        if !config.applies_to(user) {
            return WatchFaults::default();
        }
        WatchFaults {
            drop_after_events: config.drop_watch_after_events,
            drop_after: config.drop_watch_after_ms.map(Duration::from_millis),
            expire_resumes: config.expire_watch_resumes,
        }
    }

    pub(super) fn note_dropped_watch(&self) {
        bump(&self.counters.dropped_watches);
    }

    pub(super) fn note_expired_resume(&self) {
        bump(&self.counters.expired_resumes);
    }

    /// Decides the share faults for one request, after waiting out the configured delay.
    pub(super) async fn inject(&self, user: &str, verb: Verb) -> Injection {
        let (delay, injection) = {
            let config = lock(&self.config);
            if !config.applies_to(user) || !config.applies_to_verb(verb) {
                return Injection::Proceed;
            }
            let draw = splitmix64(
                splitmix64(config.seed).wrapping_add(self.draws.fetch_add(1, Ordering::Relaxed)),
            );
            // The top 53 bits as a float in [0, 1).
            let point = (draw >> 11) as f64 / (1u64 << 53) as f64;
            let throttle_end = config.throttle_ratio;
            let error_end = throttle_end + config.error_ratio;
            let close_end = error_end + config.close_ratio;
            let answer = |response: Response<Body>| match config.after_handling {
                true => Injection::AnswerAfter(response),
                false => Injection::Answer(response),
            };
            let injection = if point < throttle_end {
                bump(&self.counters.throttled);
                // Throttling happens before the request is looked at, as API priority and
                // fairness does, whatever `afterHandling` says.
                Injection::Answer(
                    InjectedAnswer {
                        code: StatusCode::TOO_MANY_REQUESTS,
                        retry_after: Some(Duration::from_secs(config.retry_after_seconds)),
                    }
                    .response(),
                )
            } else if point < error_end {
                bump(&self.counters.errors);
                let pick = splitmix64(draw) as usize % config.error_codes.len().max(1);
                let code = config
                    .error_codes
                    .get(pick)
                    .and_then(|code| StatusCode::from_u16(*code).ok())
                    .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                answer(
                    InjectedAnswer {
                        code,
                        retry_after: None,
                    }
                    .response(),
                )
            } else if point < close_end {
                bump(&self.counters.closed);
                match config.after_handling {
                    true => Injection::CloseAfter,
                    false => Injection::Close,
                }
            } else {
                Injection::Proceed
            };
            (Duration::from_millis(config.delay_ms), injection)
        };
        if !delay.is_zero() {
            bump(&self.counters.delayed);
            tokio::time::sleep(delay).await;
        }
        injection
    }

    pub(super) fn log_request(&self, record: RequestRecord) {
        lock(&self.requests).push(record);
    }

    pub(super) fn requests(&self) -> Vec<RequestRecord> {
        lock(&self.requests).clone()
    }

    pub(super) fn fail_next_deletes(
        &self,
        count: usize,
        code: StatusCode,
        retry_after: Option<Duration>,
    ) {
        let mut queue = lock(&self.next_deletes);
        queue.extend(std::iter::repeat_n(
            InjectedAnswer { code, retry_after },
            count,
        ));
    }

    pub(super) fn before_delete_of(&self, namespace: &str, name: &str, hook: BeforeDelete) {
        lock(&self.before_delete).push((namespace.to_string(), name.to_string(), hook));
    }

    /// An injected answer for this delete, if one is queued; otherwise runs the object's hook
    /// (if any) and lets the delete proceed.
    pub(super) fn intercept_delete(
        &self,
        target: &Target,
        store: &Store,
    ) -> Option<Response<Body>> {
        let namespace = target.namespace.as_deref().unwrap_or("");
        let name = target.name.as_deref().unwrap_or("");
        if let Some(answer) = lock(&self.next_deletes).pop_front() {
            self.record(namespace, name, answer.code.as_u16(), true);
            return Some(answer.response());
        }
        let hook = {
            let mut hooks = lock(&self.before_delete);
            hooks
                .iter()
                .position(|(ns, n, _)| ns == namespace && n == name)
                .map(|index| hooks.remove(index).2)
        };
        if let Some(hook) = hook {
            hook(store);
        }
        None
    }

    pub(super) fn record(&self, namespace: &str, name: &str, code: u16, injected: bool) {
        lock(&self.deletes).push(DeleteRequest {
            at: Instant::now(),
            namespace: namespace.to_string(),
            name: name.to_string(),
            code,
            injected,
        });
    }

    pub(super) fn deletes(&self) -> Vec<DeleteRequest> {
        lock(&self.deletes).clone()
    }
}

impl InjectedAnswer {
    fn response(self) -> Response<Body> {
        let (reason, message) = match self.code {
            StatusCode::TOO_MANY_REQUESTS => (
                "TooManyRequests",
                "the server has received too many requests and has asked us to try again later",
            ),
            StatusCode::SERVICE_UNAVAILABLE => ("ServiceUnavailable", "the server is unavailable"),
            _ => ("InternalError", "Internal error occurred: injected fault"),
        };
        let mut response = ApiError {
            code: self.code,
            reason,
            message: message.to_string(),
            details: None,
        }
        .into_response();
        if let Some(retry_after) = self.retry_after {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(retry_after.as_secs()),
            );
        }
        response
    }
}

/// `/sandbox/...`: the admin endpoint, for the admin token (or any user allowed every verb)
/// only, never subject to faults.
///
/// - `GET /sandbox/faults`: the fault switches as JSON; `POST`/`PUT` replaces them with the
///   JSON body (`{}` switches everything off); `DELETE` switches everything off.
/// - `GET /sandbox/faults/counts`: how many faults were injected, by kind.
/// - `POST /sandbox/restart`: drops every open connection shortly after answering; objects
///   stay.
pub(super) async fn admin(state: &State, request: Request<Incoming>) -> Response<Body> {
    match super::users::authenticate(state, &request) {
        None => return ApiError::unauthorized().into_response(),
        Some(user) if user.verbs != Verbs::ALL => {
            return responses::json_value(
                StatusCode::FORBIDDEN,
                &serde_json::json!({"message": "the sandbox admin endpoint is for the admin user"}),
            );
        }
        Some(_) => {}
    }
    let faults = &state.faults;
    let path = request.uri().path().trim_end_matches('/').to_string();
    let method = request.method().clone();
    let config_json = |config: &FaultConfig| {
        responses::json_value(
            StatusCode::OK,
            &serde_json::to_value(config).unwrap_or_default(),
        )
    };
    match (method, path.as_str()) {
        (Method::GET, "/sandbox/faults") => config_json(&faults.config()),
        (Method::POST | Method::PUT, "/sandbox/faults") => {
            let body = match request.into_body().collect().await {
                Ok(body) => body.to_bytes(),
                Err(error) => return bad_request(format!("reading the body: {error}")),
            };
            match FaultConfig::from_json(&body) {
                Ok(config) => {
                    faults.set(config.clone());
                    config_json(&config)
                }
                Err(message) => bad_request(message),
            }
        }
        (Method::DELETE, "/sandbox/faults") => {
            faults.set(FaultConfig::default());
            config_json(&FaultConfig::default())
        }
        (Method::GET, "/sandbox/faults/counts") => responses::json_value(
            StatusCode::OK,
            &serde_json::to_value(faults.counts()).unwrap_or_default(),
        ),
        (Method::POST, "/sandbox/restart") => {
            let restarts = faults.restarts.clone();
            let counter_bumped = faults.counts().restarts;
            bump(&faults.counters.restarts);
            // Answer first; the restart then takes this connection down with the others.
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(50)).await;
                restarts.send_modify(|generation| *generation += 1);
            });
            responses::json_value(
                StatusCode::OK,
                &serde_json::json!({"restarts": counter_bumped + 1}),
            )
        }
        _ => responses::page_not_found(),
    }
}

fn bad_request(message: String) -> Response<Body> {
    ApiError::bad_request(message).into_response()
}
