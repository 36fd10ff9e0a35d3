//! What the client is told: the connection settings kubectl's flags make (built by `cli` from
//! its flags, as cli-runtime's `ConfigFlags` become a rest config), and the one deadline a
//! command computes from its `--timeout` and hands down to everything it asks.

use std::path::PathBuf;
use std::time::Duration;

use tokio::time::Instant;

/// Which cluster, as whom, and how long one request may take.
#[derive(Debug, Clone, Default)]
pub struct ClientSettings {
    /// `--kubeconfig`: one file; otherwise `KUBECONFIG` (merged), then `~/.kube/config`.
    pub kubeconfig: Option<PathBuf>,
    pub context: Option<String>,
    pub cluster: Option<String>,
    pub user: Option<String>,
    /// `-n`; empty or unset: the context's namespace.
    pub namespace: Option<String>,
    /// kubectl's `--request-timeout`: how long one request may take; zero: no limit.
    pub request_timeout: Duration,
    pub insecure_skip_tls_verify: bool,
}

/// When a command must be done: `--timeout` after it started, or never (`--timeout 0`, or a
/// command without one). Computed once per command; every request, wait and Connector
/// Service call it makes ends by then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    at: Option<Instant>,
    /// The `--timeout` it came from, for messages.
    timeout: Duration,
}

impl Deadline {
    /// No deadline: requests end by `--request-timeout` and the retry budget alone.
    pub fn none() -> Self {
        Deadline {
            at: None,
            timeout: Duration::ZERO,
        }
    }

    /// `timeout` from now; a zero `timeout` is [`Deadline::none`].
    pub fn after(timeout: Duration) -> Self {
        if timeout.is_zero() {
            return Self::none();
        }
        Deadline {
            at: Some(Instant::now() + timeout),
            timeout,
        }
    }

    pub fn at(&self) -> Option<Instant> {
        self.at
    }

    /// The `--timeout` it came from; zero for none.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Time left; `None` without a deadline.
    pub fn remaining(&self) -> Option<Duration> {
        self.at
            .map(|at| at.saturating_duration_since(Instant::now()))
    }

    /// The sooner of this deadline and `limit` from now (`limit` zero: no limit).
    pub fn within(&self, limit: Duration) -> Option<Instant> {
        let limit = (!limit.is_zero()).then(|| Instant::now() + limit);
        match (self.at, limit) {
            (Some(at), Some(limit)) => Some(at.min(limit)),
            (at, limit) => at.or(limit),
        }
    }

    /// Runs `work` until the deadline; `None` when the deadline came first.
    pub async fn run<T>(&self, work: impl Future<Output = T>) -> Option<T> {
        match self.at {
            Some(at) => tokio::time::timeout_at(at, work).await.ok(),
            None => Some(work.await),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_deadline_bounds_what_runs_under_it() {
        let none = Deadline::after(Duration::ZERO);
        assert_eq!(none, Deadline::none());
        assert_eq!(none.remaining(), None);
        assert_eq!(none.within(Duration::ZERO), None);
        let second = Duration::from_secs(1);
        assert!(none.within(second).is_some());

        let deadline = Deadline::after(Duration::from_secs(5));
        assert_eq!(deadline.timeout(), Duration::from_secs(5));
        assert_eq!(deadline.within(second), Some(Instant::now() + second));
        assert_eq!(deadline.within(Duration::from_secs(60)), deadline.at());
        assert_eq!(deadline.run(async { 7 }).await, Some(7));
        let slow = tokio::time::sleep(Duration::from_secs(6));
        assert_eq!(deadline.run(slow).await, None);
        assert_eq!(deadline.remaining(), Some(Duration::ZERO));
    }
}
