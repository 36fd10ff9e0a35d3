//! The one retry policy of every command: which failures are worth another try, how long to
//! wait between tries, and when to give up.
//!
//! - **Final at once** (kubectl's meaning of what no retry can fix): TLS verification
//!   failures, host names that do not resolve, every 4xx but 429, a failure inside the client
//!   (a credential plugin, a bad header), and a refused (or timed out) connection before the
//!   API server has answered anything in this run. A request that outlasts
//!   `--request-timeout` is final too: that flag is kubectl's limit of one request.
//! - **Transient** once the command is under way (the server has answered before: a wait, a
//!   watch, a list's later pages, cleanup's deletes): refused, reset or broken connections,
//!   every 5xx, and 429, after which the server's `Retry-After` is honoured.
//! - **Backoff**: jittered exponential, 100 ms doubling to 2 s (backon, as kube-runtime's
//!   watcher uses), or longer where `Retry-After` asks.
//! - **Giving up**: when the retry budget is spent, never after a fixed number of tries. The
//!   budget is the command's deadline (`--timeout`) where it has one, else [`DEFAULT_BUDGET`];
//!   it is not a limit of one request (that is `--request-timeout`, zero: none).
//!
//! Only requests that are safe to repeat go through [`Connection::run`]: reads, and writes
//! that carry their own guard (the create-id annotation with a GET before a resend, uid or
//! resourceVersion preconditions on deletes).

use std::future::Future;
use std::time::Duration;

use backon::{BackoffBuilder as _, ExponentialBackoff, ExponentialBuilder};
use tokio::time::Instant;

use super::describe::{Unanswered, unanswered};
use super::error::{Limit, is_api_not_served, status_code};
use super::observe::Retry;
use super::{Connection, Deadline, RequestError};
use crate::text::error_chain;

/// How long transient failures are retried when the command has no deadline of its own.
pub const DEFAULT_BUDGET: Duration = Duration::from_secs(10);
const FIRST_DELAY: Duration = Duration::from_millis(100);
const MAX_DELAY: Duration = Duration::from_secs(2);

/// Whether and how long a connection retries; see the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    budget: Duration,
    /// Whether transient failures are tried again at all (completion does not wait for them).
    retries: bool,
}

impl RetryPolicy {
    /// Retries within the command's deadline, else within [`DEFAULT_BUDGET`].
    pub fn standard() -> Self {
        RetryPolicy {
            budget: DEFAULT_BUDGET,
            retries: true,
        }
    }

    /// One try, for lookups that would rather give up than wait (completion).
    pub fn single_try() -> Self {
        RetryPolicy {
            budget: Duration::ZERO,
            retries: false,
        }
    }

    /// The delays between tries.
    pub fn backoff() -> ExponentialBuilder {
        ExponentialBuilder::default()
            .with_min_delay(FIRST_DELAY)
            .with_max_delay(MAX_DELAY)
            .with_factor(2.0)
            .with_jitter()
            .without_max_times()
    }
}

/// What a failed try means for the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verdict {
    Final,
    Transient,
    /// 429: transient, after the server's `Retry-After`.
    Throttled,
}

/// See the module documentation; `under_way`: the server has answered before in this run.
pub(super) fn verdict(error: &kube::Error, under_way: bool) -> Verdict {
    match status_code(error) {
        Some(429) => Verdict::Throttled,
        Some(code) if code >= 500 => Verdict::Transient,
        Some(_) => Verdict::Final,
        None => match (unanswered(error), error) {
            (None, kube::Error::ReadEvents(_)) => Verdict::Transient,
            (None, _) | (Some(Unanswered::Tls(_) | Unanswered::Dns), _) => Verdict::Final,
            (Some(Unanswered::Refused | Unanswered::TimedOut), _) if !under_way => Verdict::Final,
            (Some(_), _) => Verdict::Transient,
        },
    }
}

/// The tries of one operation: counts them, spaces them, says when to stop.
pub(super) struct Tries<'a> {
    connection: &'a Connection,
    action: &'a str,
    deadline: Deadline,
    started: Instant,
    give_up_at: Instant,
    delays: ExponentialBackoff,
    count: u32,
}

impl<'a> Tries<'a> {
    pub(super) fn new(connection: &'a Connection, action: &'a str, deadline: Deadline) -> Self {
        let started = Instant::now();
        Tries {
            connection,
            action,
            deadline,
            started,
            give_up_at: deadline.at().unwrap_or(started + connection.policy.budget),
            delays: RetryPolicy::backoff().build(),
            count: 0,
        }
    }

    /// One try of `attempt`, bounded by `--request-timeout` and the deadline; `Err(None)`
    /// when it got no answer within them.
    pub(super) async fn once<T, Fut>(&mut self, attempt: Fut) -> Result<T, Option<kube::Error>>
    where
        Fut: Future<Output = Result<T, kube::Error>>,
    {
        self.count += 1;
        match self.deadline.within(self.connection.server.request_timeout) {
            Some(limit) => match tokio::time::timeout_at(limit, attempt).await {
                Ok(result) => result.map_err(Some),
                Err(_elapsed) => Err(None),
            },
            None => attempt.await.map_err(Some),
        }
    }

    /// The error of a try that got no answer within its limit.
    pub(super) fn no_answer(&self) -> RequestError {
        let request_limit = self.connection.server.request_timeout;
        let by_request = !request_limit.is_zero()
            && self
                .deadline
                .remaining()
                .is_none_or(|left| left > Duration::ZERO);
        RequestError::NoAnswer {
            action: self.action.to_string(),
            waited: self.started.elapsed(),
            limit: if by_request {
                Limit::RequestTimeout
            } else {
                Limit::Deadline
            },
            server: self.connection.server.clone(),
        }
    }

    /// After a failed try: waits before the next one, or returns why there is none (the
    /// error to report).
    pub(super) async fn again(&mut self, error: kube::Error) -> Result<(), RequestError> {
        let verdict = verdict(&error, self.connection.exchanges.answered());
        if verdict == Verdict::Final || !self.connection.policy.retries {
            return Err(self.failed(error, (self.count > 1).then(|| self.started.elapsed())));
        }
        let delay = self.next_delay();
        if Instant::now() + delay >= self.give_up_at {
            let retried_for = self.started.elapsed();
            return Err(match verdict {
                Verdict::Throttled => RequestError::Throttled {
                    action: self.action.to_string(),
                    source: error,
                    retried_for,
                    server: self.connection.server.clone(),
                },
                _ => self.failed(error, Some(retried_for)),
            });
        }
        let cause = briefly(&error);
        tracing::info!(action = self.action, cause, ?delay, "trying again");
        self.connection.observer.retrying(&Retry {
            action: self.action,
            attempt: self.count,
            since: self.started.elapsed(),
            cause: &cause,
            delay,
        });
        tokio::time::sleep(delay).await;
        Ok(())
    }

    /// Waits before another try that needs no error to justify it (a create that met a
    /// conflict, or got no answer); `false` when the budget leaves no time for one.
    pub(super) async fn pause(&mut self) -> bool {
        let delay = self.next_delay();
        if Instant::now() + delay >= self.give_up_at {
            return false;
        }
        tokio::time::sleep(delay).await;
        true
    }

    /// The backoff's next delay, or longer where the server's `Retry-After` asked.
    fn next_delay(&mut self) -> Duration {
        let delay = self.delays.next().unwrap_or(MAX_DELAY);
        match self.connection.exchanges.take_retry_after() {
            Some(asked) => delay.max(asked),
            None => delay,
        }
    }

    /// `error` as this operation's failure.
    pub(super) fn failed(&self, error: kube::Error, retried_for: Option<Duration>) -> RequestError {
        fail(self.connection, self.action, error, retried_for)
    }
}

/// `error` as the failure of `action`: a group the cluster does not serve is told as such.
pub(super) fn fail(
    connection: &Connection,
    action: &str,
    error: kube::Error,
    retried_for: Option<Duration>,
) -> RequestError {
    if is_api_not_served(&error) {
        return RequestError::ApiNotServed {
            action: action.to_string(),
            source: error,
        };
    }
    RequestError::Api {
        action: action.to_string(),
        source: error,
        retried_for,
        server: connection.server.clone(),
    }
}

impl Connection {
    /// Runs `attempt` until it succeeds, fails for good, or the retry budget leaves no time
    /// for another try; `action` names it in errors and retry notices. `attempt` must be safe
    /// to repeat.
    pub(super) async fn run<T, F, Fut>(
        &self,
        action: &str,
        deadline: Deadline,
        mut attempt: F,
    ) -> Result<T, RequestError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, kube::Error>>,
    {
        let mut tries = Tries::new(self, action, deadline);
        loop {
            match tries.once(attempt()).await {
                Ok(value) => return Ok(value),
                Err(Some(error)) => tries.again(error).await?,
                Err(None) => return Err(tries.no_answer()),
            }
        }
    }
}

/// What failed, in a few words, for a retry notice.
pub(super) fn briefly(error: &kube::Error) -> String {
    if let kube::Error::Api(status) = error {
        return match status.reason.as_str() {
            "" => format!("the API server answered {}", status.code),
            reason => format!("the API server answered {} {reason}", status.code),
        };
    }
    match unanswered(error) {
        Some(Unanswered::Refused) => "the connection was refused".to_string(),
        Some(Unanswered::TimedOut) => "the connection timed out".to_string(),
        Some(_) => "the connection broke".to_string(),
        None => error_chain(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kube::core::Status;

    fn status(code: u16) -> kube::Error {
        kube::Error::Api(Box::new(Status::failure("test", "Test").with_code(code)))
    }

    fn io(kind: std::io::ErrorKind) -> kube::Error {
        kube::Error::Service(Box::new(std::io::Error::new(kind, "test")))
    }

    #[test]
    fn what_no_retry_fixes_is_final_and_the_rest_transient() {
        for code in [500, 502, 503, 504] {
            assert_eq!(verdict(&status(code), false), Verdict::Transient, "{code}");
        }
        assert_eq!(verdict(&status(429), false), Verdict::Throttled);
        for code in [400, 401, 403, 404, 409, 410, 422] {
            assert_eq!(verdict(&status(code), true), Verdict::Final, "{code}");
        }
        let refused = io(std::io::ErrorKind::ConnectionRefused);
        assert_eq!(
            verdict(&refused, false),
            Verdict::Final,
            "before any answer"
        );
        assert_eq!(verdict(&refused, true), Verdict::Transient, "under way");
        let reset = io(std::io::ErrorKind::ConnectionReset);
        assert_eq!(verdict(&reset, false), Verdict::Transient);
        let dns = kube::Error::Service(Box::new(std::io::Error::other(
            "dns error: failed to lookup address information",
        )));
        assert_eq!(verdict(&dns, true), Verdict::Final);
        let tls = kube::Error::Service(Box::new(std::io::Error::other(
            rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
        )));
        assert_eq!(verdict(&tls, true), Verdict::Final);
        let garbage = kube::Error::SerdeError(serde_json::from_str::<u8>("x").unwrap_err());
        assert_eq!(verdict(&garbage, true), Verdict::Final);
        // A failure inside the client, such as a credential that is not a valid header.
        let inside = kube::Error::Service("invalid bearer token".into());
        assert_eq!(verdict(&inside, true), Verdict::Final);
    }

    #[test]
    fn backoff_doubles_with_jitter_up_to_its_cap() {
        let delays: Vec<Duration> = RetryPolicy::backoff().build().take(12).collect();
        assert_eq!(delays.len(), 12, "no fixed number of tries");
        // Jitter adds up to one delay on top of the base.
        assert!(
            delays[0] >= FIRST_DELAY && delays[0] < 2 * FIRST_DELAY,
            "{delays:?}"
        );
        assert!(delays[1] >= 2 * FIRST_DELAY, "{delays:?}");
        for delay in &delays {
            assert!(*delay < 2 * MAX_DELAY, "{delays:?}");
        }
        assert!(delays[11] >= MAX_DELAY, "capped, not shrinking: {delays:?}");
    }

    use std::sync::{Arc, Mutex};

    use bytes::Bytes;
    use http_body_util::Full;

    use super::super::client::test_connection;
    use crate::requests::Limit;

    type Answer = Result<http::Response<Full<Bytes>>, std::io::Error>;

    fn answer(code: u16, retry_after: Option<u64>) -> Answer {
        let mut response = http::Response::builder()
            .status(code)
            .header("content-type", "application/json");
        if let Some(seconds) = retry_after {
            response = response.header("retry-after", seconds.to_string());
        }
        let body = if code < 300 {
            r#"{"kind":"TokenRequest","apiVersion":"applicationconnector.kyma-project.io/v1alpha1","metadata":{"name":"x","namespace":"default"}}"#.to_string()
        } else {
            format!(
                r#"{{"kind":"Status","apiVersion":"v1","status":"Failure","message":"test","reason":"Test","code":{code}}}"#
            )
        };
        Ok(response.body(Full::new(Bytes::from(body))).unwrap())
    }

    fn refused() -> Answer {
        Err(std::io::Error::from(std::io::ErrorKind::ConnectionRefused))
    }

    /// Gets `x` through `connection` under `deadline`.
    async fn get(
        connection: &Connection,
        deadline: Deadline,
    ) -> Result<Option<crate::tokenrequest::TokenRequest>, RequestError> {
        super::super::Requests::new(connection)
            .get("x", deadline)
            .await
    }

    /// `answers`, recording when each try came.
    fn counted<F>(answers: F) -> (Arc<Mutex<Vec<Instant>>>, impl Fn(u32) -> Answer)
    where
        F: Fn(u32) -> Answer,
    {
        let tries = Arc::new(Mutex::new(Vec::new()));
        let seen = tries.clone();
        let respond = move |n| {
            seen.lock().unwrap().push(Instant::now());
            answers(n)
        };
        (tries, respond)
    }

    #[tokio::test(start_paused = true)]
    async fn transient_failures_are_retried_until_the_budget_is_spent() {
        let (tries, respond) = counted(|_| answer(503, None));
        let connection = test_connection(respond, Duration::ZERO);
        match get(&connection, Deadline::none()).await {
            Err(RequestError::Api {
                retried_for: Some(waited),
                ..
            }) => assert!(waited <= DEFAULT_BUDGET, "{waited:?}"),
            other => panic!("{other:?}"),
        }
        assert!(tries.lock().unwrap().len() > 3, "retried");

        // With a deadline, the deadline is the budget.
        let (tries, respond) = counted(|_| answer(500, None));
        let connection = test_connection(respond, Duration::ZERO);
        let started = Instant::now();
        let result = get(&connection, Deadline::after(Duration::from_secs(3))).await;
        assert!(
            matches!(result, Err(RequestError::Api { .. })),
            "{result:?}"
        );
        assert!(started.elapsed() <= Duration::from_secs(3));
        assert!(tries.lock().unwrap().len() > 2);
    }

    #[tokio::test(start_paused = true)]
    async fn a_success_after_failures_is_a_success_and_final_answers_are_not_retried() {
        let (tries, respond) = counted(|n| {
            if n < 3 {
                answer(503, None)
            } else {
                answer(200, None)
            }
        });
        let connection = test_connection(respond, Duration::ZERO);
        assert!(get(&connection, Deadline::none()).await.unwrap().is_some());
        assert_eq!(tries.lock().unwrap().len(), 3);

        let (tries, respond) = counted(|_| answer(403, None));
        let connection = test_connection(respond, Duration::ZERO);
        let result = get(&connection, Deadline::none()).await;
        assert!(
            matches!(
                result,
                Err(RequestError::Api {
                    retried_for: None,
                    ..
                })
            ),
            "{result:?}"
        );
        assert_eq!(tries.lock().unwrap().len(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn a_refused_connection_is_final_until_the_server_has_answered() {
        let (tries, respond) = counted(|_| refused());
        let connection = test_connection(respond, Duration::ZERO);
        assert!(get(&connection, Deadline::none()).await.is_err());
        assert_eq!(tries.lock().unwrap().len(), 1, "before any answer: at once");

        // Answered once (the 404 of a missing request), then refused: under way, retried.
        let (tries, respond) = counted(|n| match n {
            1 => answer(404, None),
            2 | 3 => refused(),
            _ => answer(200, None),
        });
        let connection = test_connection(respond, Duration::ZERO);
        let _ = get(&connection, Deadline::none()).await;
        assert!(get(&connection, Deadline::none()).await.unwrap().is_some());
        assert_eq!(tries.lock().unwrap().len(), 4);
    }

    #[tokio::test(start_paused = true)]
    async fn retry_after_is_waited_and_a_throttling_server_named() {
        let (tries, respond) = counted(|_| answer(429, Some(3)));
        let connection = test_connection(respond, Duration::ZERO);
        let result = get(&connection, Deadline::none()).await;
        assert!(
            matches!(result, Err(RequestError::Throttled { .. })),
            "{result:?}"
        );
        let message = result.unwrap_err().to_string();
        assert!(
            message.contains("is throttling requests (429 Too Many Requests)"),
            "{message}"
        );
        let tries = tries.lock().unwrap();
        assert!(tries.len() >= 3, "{tries:?}");
        for pair in tries.windows(2) {
            assert!(pair[1] - pair[0] >= Duration::from_secs(3), "{tries:?}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_outlasting_the_request_timeout_is_no_answer_and_not_resent() {
        let connection = test_connection(|_| answer(200, None), Duration::from_secs(2));
        let mut tries = 0;
        let result: Result<(), RequestError> = connection
            .run("waiting", Deadline::none(), || {
                tries += 1;
                std::future::pending::<Result<(), kube::Error>>()
            })
            .await;
        match result {
            Err(RequestError::NoAnswer { waited, limit, .. }) => {
                assert_eq!(waited, Duration::from_secs(2));
                assert_eq!(limit, Limit::RequestTimeout);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(tries, 1);
    }

    #[tokio::test(start_paused = true)]
    async fn a_single_try_gives_up_at_the_first_transient_failure() {
        let (tries, respond) = counted(|_| answer(503, None));
        let connection = test_connection(respond, Duration::ZERO).single_try();
        assert!(get(&connection, Deadline::none()).await.is_err());
        assert_eq!(tries.lock().unwrap().len(), 1);
    }

    #[test]
    fn retry_notices_say_what_failed_briefly() {
        assert_eq!(briefly(&status(503)), "the API server answered 503 Test");
        assert_eq!(
            briefly(&io(std::io::ErrorKind::ConnectionRefused)),
            "the connection was refused"
        );
    }
}
