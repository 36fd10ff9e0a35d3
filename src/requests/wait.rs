//! Waiting for the controller to fill in a TokenRequest's status: what the run's watch
//! ([`Sightings`]) sees of the request is judged until it has a usable token, the controller
//! reports an error, the request disappears, or the command's deadline passes. When time runs
//! out, the [`WaitReport`] says what the wait saw.

use tokio::sync::watch;
use tokio::time::Instant;

use super::exchange::{Exchanges, Snapshot};
use super::report::{ApiHealth, Seen, WaitReport};
use super::sightings::{Sighting, Sightings};
use super::{Deadline, RequestError, Requests};
use crate::tokenrequest::{CONTROLLER_NAME, Phase, TokenRequest};

impl Requests {
    /// Waits for `initial` alone, with a watch of its name; see [`Sightings::wait`].
    pub async fn wait_for_token(
        &self,
        initial: TokenRequest,
        deadline: Deadline,
    ) -> Result<TokenRequest, RequestError> {
        let sightings = Sightings::of_one(self, initial.name());
        sightings.expect(initial.name());
        sightings.wait(initial, deadline).await
    }
}

impl Sightings {
    /// Waits until `initial` (the request as created or read, expected beforehand with
    /// [`Sightings::expect`]) has a usable token, the controller reports an error, the request
    /// disappears, or the deadline passes (without a deadline: until one of the others).
    pub async fn wait(
        &self,
        initial: TokenRequest,
        deadline: Deadline,
    ) -> Result<TokenRequest, RequestError> {
        let requests = self.requests();
        let name = initial.name().to_string();
        requests.connection.observer.status(&format!(
            "waiting for {CONTROLLER_NAME} to answer {}/{name}",
            requests.namespace()
        ));
        let mut follower = Follower {
            requests,
            uid: initial.metadata.uid.clone(),
            name,
            last: initial,
            deadline,
            health: Health::new(&requests.connection.exchanges),
        };
        let sightings = self.following(&follower.last);
        let result = deadline.run(follower.follow(sightings)).await;
        self.forget(&follower.name);
        match result {
            Some(result) => result,
            None => Err(RequestError::Timeout {
                report: Box::new(follower.report(self.last_failure())),
            }),
        }
    }
}

struct Follower<'a> {
    requests: &'a Requests,
    name: String,
    /// Which request of that name this is: a request recreated meanwhile is another one.
    uid: Option<String>,
    /// The latest version seen; what the timeout report judges.
    last: TokenRequest,
    deadline: Deadline,
    health: Health,
}

impl Follower<'_> {
    async fn follow(
        &mut self,
        mut sightings: watch::Receiver<Sighting>,
    ) -> Result<TokenRequest, RequestError> {
        loop {
            if let Some(done) = self.judge() {
                return done;
            }
            let sighting = sightings.borrow_and_update().clone();
            match sighting {
                Sighting::Seen(current)
                    if self.uid.is_none() || current.metadata.uid == self.uid =>
                {
                    self.last = *current
                }
                Sighting::Gone { uid } if uid.is_none() || uid == self.uid => {
                    return Err(self.disappeared());
                }
                Sighting::Broken => return self.read_alone().await,
                // Another request of that name (the one `--refresh` replaced), or nothing yet.
                _ => {}
            }
            if let Some(done) = self.judge() {
                return done;
            }
            if sightings.changed().await.is_err() {
                // The watch stopped (it never does on its own): read alone.
                return self.read_alone().await;
            }
        }
    }

    /// The watch failed for good: the request read again and again, so a failure is this
    /// request's own error.
    async fn read_alone(&mut self) -> Result<TokenRequest, RequestError> {
        loop {
            self.last = self
                .requests
                .get(&self.name, self.deadline)
                .await?
                .ok_or_else(|| self.disappeared())?;
            if let Some(done) = self.judge() {
                return done;
            }
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        }
    }

    /// `Some` when the status decides the wait.
    fn judge(&self) -> Option<Result<TokenRequest, RequestError>> {
        let namespace = self.requests.namespace();
        match self.last.phase() {
            Phase::Ready { .. } => Some(Ok(self.last.clone())),
            Phase::Failed => Some(Err(RequestError::ControllerError {
                namespace: namespace.to_string(),
                name: self.name.clone(),
                state: self.last.phase().label().to_string(),
            })),
            Phase::IssuedWithoutToken => {
                self.requests.connection.observer.status(&format!(
                    "{namespace}/{}: state OK but no token yet (the Connector Service failed); \
                     waiting for the {CONTROLLER_NAME} to retry",
                    self.name
                ));
                None
            }
            Phase::Pending | Phase::Unknown(_) => None,
        }
    }

    fn disappeared(&self) -> RequestError {
        RequestError::Disappeared {
            namespace: self.requests.namespace().to_string(),
            name: self.name.clone(),
        }
    }

    fn report(&self, last_failure: Option<String>) -> WaitReport {
        let mut api = self.health.summary(&self.requests.connection.exchanges);
        api.last_failure = last_failure;
        WaitReport {
            namespace: self.requests.namespace().to_string(),
            name: self.name.clone(),
            timeout: self.deadline.timeout(),
            before_wait: self.health.start.at - self.started_at(),
            seen: match self.last.phase() {
                Phase::IssuedWithoutToken => Seen::OkWithoutToken,
                Phase::Unknown(state) => Seen::UnknownState(state.to_string()),
                _ => Seen::NoStatus,
            },
            api,
        }
    }

    /// When the command started: its deadline minus its `--timeout`.
    fn started_at(&self) -> Instant {
        self.deadline
            .at()
            .and_then(|at| at.checked_sub(self.deadline.timeout()))
            .unwrap_or(self.health.start.at)
            .min(self.health.start.at)
    }
}

/// How the API server behaved during the wait: the connection's exchanges when it began.
struct Health {
    start: Snapshot,
}

impl Health {
    fn new(exchanges: &Exchanges) -> Self {
        Health {
            start: exchanges.snapshot(),
        }
    }

    fn summary(&self, exchanges: &Exchanges) -> ApiHealth {
        let end = exchanges.snapshot();
        ApiHealth {
            waited: end.at - self.start.at,
            answered: end.answered - self.start.answered,
            failed: end.failed - self.start.failed,
            in_a_row: end.in_a_row.min(end.failed - self.start.failed),
            failing_for: end
                .failing_since
                .map(|since| end.at - since.max(self.start.at)),
            last_failure: None,
        }
    }
}
