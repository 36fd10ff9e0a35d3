//! The one retry policy of every command: which answers are worth another try, how long to
//! wait between tries, and when to give up.
//!
//! - **Transient**: 429 and every 5xx, and failures without an answer (refused, reset or
//!   broken connections, a read that timed out). Anything else (401, 403, 404, 409, 422, an
//!   answer that is not Kubernetes') is final.
//! - **Backoff**: jittered exponential, 100 ms doubling to 2 s (backon, as kube-runtime's
//!   watcher uses). Below this policy kube's client layer already resends 429, 503 and 504,
//!   waiting the server's `Retry-After`; that stays, because only that layer sees the header.
//! - **Giving up**: when the retry budget is spent, never after a fixed number of tries: the
//!   budget is `--request-timeout` when set, else [`DEFAULT_BUDGET`], and never reaches past
//!   the command's own `--timeout` (`create`, `get --wait`, `connect`). Waiting for the
//!   controller is not a request: its watch rides out transient failures until `--timeout`.
//!
//! Only requests that are safe to repeat go through [`RetryPolicy::run`]: reads, and writes
//! that carry their own guard (the create-id annotation with a GET before a resend, uid or
//! resourceVersion preconditions on deletes).

use std::future::Future;
use std::time::Duration;

use backon::{BackoffBuilder as _, ExponentialBuilder};
use tokio::time::Instant;

use crate::error::status_of;
use crate::text::find_cause;

/// How long transient failures are retried when the command sets no bound of its own.
pub const DEFAULT_BUDGET: Duration = Duration::from_secs(10);
const FIRST_DELAY: Duration = Duration::from_millis(100);
const MAX_DELAY: Duration = Duration::from_secs(2);

/// When a command gives up retrying; see the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    budget: Duration,
    /// Whether transient failures are tried again at all (completion does not wait for them).
    retries: bool,
}

/// A request that did not succeed.
#[derive(Debug)]
pub enum Failure {
    /// A final answer, or the last transient one when the deadline left no time for
    /// another try (`retried_for` then says for how long it was retried).
    Api {
        error: kube::Error,
        retried_for: Option<Duration>,
    },
    /// No answer at all before the deadline.
    NoAnswer { waited: Duration },
}

impl Failure {
    /// The API's answer, if there was one.
    pub fn error(&self) -> Option<&kube::Error> {
        match self {
            Failure::Api { error, .. } => Some(error),
            Failure::NoAnswer { .. } => None,
        }
    }

    pub fn status_code(&self) -> Option<u16> {
        self.error().and_then(status_of).map(|status| status.code)
    }
}

impl From<kube::Error> for Failure {
    fn from(error: kube::Error) -> Self {
        Failure::Api {
            error,
            retried_for: None,
        }
    }
}

impl RetryPolicy {
    /// The policy of a command run with `--request-timeout request_timeout` (0: none).
    pub fn new(request_timeout: Duration) -> Self {
        RetryPolicy {
            budget: if request_timeout.is_zero() {
                DEFAULT_BUDGET
            } else {
                request_timeout
            },
            retries: true,
        }
    }

    /// One try within `timeout`, for lookups that would rather give up than wait (completion).
    pub fn single_try(timeout: Duration) -> Self {
        RetryPolicy {
            budget: timeout,
            retries: false,
        }
    }

    /// When retrying must stop for an operation that starts now: the budget, or the
    /// command's own `deadline` when that comes first.
    pub fn deadline(&self, deadline: Option<Instant>) -> Instant {
        let budget = Instant::now() + self.budget;
        deadline.map_or(budget, |deadline| deadline.min(budget))
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

    /// Runs `attempt` until it succeeds, fails for good, or [`RetryPolicy::deadline`] leaves
    /// no time for another try. `attempt` must be safe to repeat.
    pub async fn run<T, F, Fut>(
        &self,
        deadline: Option<Instant>,
        mut attempt: F,
    ) -> Result<T, Failure>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, kube::Error>>,
    {
        let started = Instant::now();
        let deadline = self.deadline(deadline);
        let mut delays = Self::backoff().build();
        loop {
            let error = match tokio::time::timeout_at(deadline, attempt()).await {
                Ok(Ok(value)) => return Ok(value),
                Ok(Err(error)) => error,
                Err(_elapsed) => {
                    return Err(Failure::NoAnswer {
                        waited: started.elapsed(),
                    });
                }
            };
            let delay = delays.next().unwrap_or(MAX_DELAY);
            let decision = match decide(&error, Instant::now(), delay, deadline) {
                Decision::RetryAfter(_) if !self.retries => Decision::GiveUp,
                decision => decision,
            };
            match decision {
                Decision::Final => return Err(error.into()),
                Decision::GiveUp => {
                    return Err(Failure::Api {
                        error,
                        retried_for: Some(started.elapsed()),
                    });
                }
                Decision::RetryAfter(delay) => {
                    tracing::info!(error = %crate::text::error_chain(&error), ?delay, "transient failure; trying again");
                    tokio::time::sleep(delay).await;
                }
            }
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Decision {
    /// Not worth another try.
    Final,
    /// Worth it, but the deadline comes before the next try.
    GiveUp,
    RetryAfter(Duration),
}

fn decide(error: &kube::Error, now: Instant, delay: Duration, deadline: Instant) -> Decision {
    if !is_transient(error) {
        Decision::Final
    } else if now + delay >= deadline {
        Decision::GiveUp
    } else {
        Decision::RetryAfter(delay)
    }
}

/// Failures worth another try: overload, server errors, and no answer (a connection that was
/// refused, broke or timed out). A failure inside the client itself (a credential that is not
/// a valid header) is final.
pub fn is_transient(error: &kube::Error) -> bool {
    match status_of(error) {
        Some(status) => status.code == 429 || status.code >= 500,
        None => match error {
            kube::Error::HyperError(_) | kube::Error::ReadEvents(_) => true,
            kube::Error::Service(_) => is_connection_failure(error),
            _ => false,
        },
    }
}

/// A transport failure: hyper's, hyper-util's (connecting) or the network's.
pub fn is_connection_failure(error: &kube::Error) -> bool {
    find_cause::<std::io::Error>(error).is_some()
        || find_cause::<hyper::Error>(error).is_some()
        || find_cause::<hyper_util::client::legacy::Error>(error).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kube::core::Status;

    fn status(code: u16) -> kube::Error {
        kube::Error::Api(Box::new(Status::failure("test", "Test").with_code(code)))
    }

    #[test]
    fn overload_server_errors_and_broken_connections_are_transient() {
        for code in [429, 500, 502, 503, 504] {
            assert!(is_transient(&status(code)), "{code}");
        }
        for code in [400, 401, 403, 404, 409, 410, 422] {
            assert!(!is_transient(&status(code)), "{code}");
        }
        let broken = kube::Error::Service(Box::new(std::io::Error::other("connection reset")));
        assert!(is_transient(&broken));
        let garbage = kube::Error::SerdeError(serde_json::from_str::<u8>("x").unwrap_err());
        assert!(!is_transient(&garbage));
        // A failure inside the client, such as a credential that is not a valid header.
        let inside = kube::Error::Service("invalid bearer token".into());
        assert!(!is_transient(&inside));
    }

    #[test]
    fn the_deadline_decides_whether_to_try_again() {
        let now = Instant::now();
        let second = Duration::from_secs(1);
        let deadline = now + 3 * second;
        assert_eq!(
            decide(&status(500), now, second, deadline),
            Decision::RetryAfter(second)
        );
        assert_eq!(
            decide(&status(500), now, 3 * second, deadline),
            Decision::GiveUp
        );
        assert_eq!(decide(&status(403), now, second, deadline), Decision::Final);
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

    #[tokio::test(start_paused = true)]
    async fn a_single_try_gives_up_at_the_first_transient_failure() {
        let mut tries = 0;
        let result: Result<(), Failure> = RetryPolicy::single_try(Duration::from_secs(2))
            .run(None, || {
                tries += 1;
                async { Err(status(503)) }
            })
            .await;
        assert!(matches!(result, Err(Failure::Api { .. })));
        assert_eq!(tries, 1);
    }

    #[test]
    fn budget_is_request_timeout_or_the_default() {
        assert_eq!(RetryPolicy::new(Duration::ZERO).budget, DEFAULT_BUDGET);
        assert_eq!(
            RetryPolicy::new(Duration::from_secs(5)).budget,
            Duration::from_secs(5)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn run_retries_transient_failures_until_the_deadline() {
        let policy = RetryPolicy::new(Duration::from_secs(5));
        let mut tries = 0;
        let result: Result<(), Failure> = policy
            .run(None, || {
                tries += 1;
                async { Err(status(500)) }
            })
            .await;
        match result {
            Err(Failure::Api {
                error,
                retried_for: Some(waited),
            }) => {
                assert_eq!(status_of(&error).map(|s| s.code), Some(500));
                assert!(waited <= Duration::from_secs(5), "{waited:?}");
            }
            other => panic!("{other:?}"),
        }
        assert!(tries > 3, "retried: {tries}");

        let mut tries = 0;
        let result = policy
            .run(None, || {
                tries += 1;
                let answer = if tries < 3 {
                    Err(status(503))
                } else {
                    Ok(tries)
                };
                async move { answer }
            })
            .await;
        assert_eq!(result.ok(), Some(3));

        let mut tries = 0;
        let result: Result<(), Failure> = policy
            .run(None, || {
                tries += 1;
                async { Err(status(404)) }
            })
            .await;
        assert!(matches!(
            result,
            Err(Failure::Api {
                retried_for: None,
                ..
            })
        ));
        assert_eq!(tries, 1, "a final answer is not retried");
    }

    #[tokio::test(start_paused = true)]
    async fn a_silent_server_is_no_answer_at_the_deadline() {
        let policy = RetryPolicy::new(Duration::from_secs(2));
        let result: Result<(), Failure> = policy
            .run(None, || {
                futures::future::pending::<Result<(), kube::Error>>()
            })
            .await;
        match result {
            Err(Failure::NoAnswer { waited }) => assert_eq!(waited, Duration::from_secs(2)),
            other => panic!("{other:?}"),
        }
    }
}
