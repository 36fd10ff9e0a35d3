//! Waiting for the controller to fill in a TokenRequest's status: kube-runtime's watcher on
//! that one name (list, then watch; resumed when a watch breaks, relisted after a 410, with
//! the shared backoff between failed tries), replaced by polling when watching is forbidden,
//! and always bounded by the caller's timeout.

use std::time::Duration;

use futures::StreamExt as _;
use kube::runtime::watcher::{self, Event, watcher};
use kube::runtime::{WatchStreamExt as _, watcher::ExponentialBackoff};
use tokio::time::Instant;

use super::{Requests, RetryPolicy, is_transient};
use crate::error::{Error, TimeoutSeen, is_api_not_served, status_of};
use crate::progress::Progress;
use crate::tokenrequest::{CONTROLLER_NAME, Phase, TokenRequest};

/// How often to look when watching is forbidden.
const POLL_INTERVAL: Duration = Duration::from_secs(1);
/// Server-side bound of one watch call; the wait's own deadline is usually shorter.
const WATCH_TIMEOUT_SECONDS: u32 = 290;

impl Requests {
    /// Waits until `initial` has a usable token, the controller reports an error, the request
    /// disappears, or `timeout` passes, with a spinner on stderr while it waits (on a
    /// terminal).
    pub async fn wait_for_token(
        &self,
        initial: TokenRequest,
        timeout: Duration,
    ) -> Result<TokenRequest, Error> {
        let started = Instant::now();
        let (name, namespace) = (initial.name().to_string(), initial.namespace().to_string());
        let progress = Progress::spinner(format!(
            "waiting for {CONTROLLER_NAME} to answer {namespace}/{name}"
        ));
        let mut follower = Follower {
            requests: self,
            name,
            namespace,
            last: initial,
            progress: &progress,
            deadline: started + timeout,
        };
        match tokio::time::timeout_at(follower.deadline, follower.follow()).await {
            Ok(result) => result,
            Err(_elapsed) => Err(follower.timed_out(started.elapsed())),
        }
    }
}

struct Follower<'a> {
    requests: &'a Requests,
    name: String,
    namespace: String,
    /// The latest version seen; what the timeout message judges.
    last: TokenRequest,
    progress: &'a Progress,
    deadline: Instant,
}

/// What a watcher error means for the wait.
enum Trouble {
    /// Try again (the watcher does, after the backoff).
    Transient,
    /// Watching is forbidden: poll instead.
    Forbidden,
    Fatal(kube::Error),
}

impl Follower<'_> {
    async fn follow(&mut self) -> Result<TokenRequest, Error> {
        if let Some(done) = self.judge() {
            return done;
        }
        match self.watch().await {
            Some(done) => done,
            None => {
                self.progress
                    .note("watching TokenRequests is forbidden for you; polling instead");
                self.poll().await
            }
        }
    }

    /// Follows the request with the watcher until the wait is decided; `None` when watching
    /// is forbidden.
    async fn watch(&mut self) -> Option<Result<TokenRequest, Error>> {
        let config = watcher::Config::default()
            .fields(&format!("metadata.name={}", self.name))
            .timeout(WATCH_TIMEOUT_SECONDS);
        let api = self.requests.api_in("");
        let events = watcher(api, config).backoff(ExponentialBackoff::from(RetryPolicy::backoff()));
        futures::pin_mut!(events);
        // Whether the current (re)list has shown the request; a list without it means it was
        // deleted while no watch was running.
        let mut listed = false;
        while let Some(event) = events.next().await {
            match event {
                Ok(Event::Init) => listed = false,
                Ok(Event::InitApply(current) | Event::Apply(current)) => {
                    listed = true;
                    self.last = current;
                    if let Some(done) = self.judge() {
                        return Some(done);
                    }
                }
                Ok(Event::InitDone) if !listed => return Some(Err(self.disappeared())),
                Ok(Event::InitDone) => {}
                Ok(Event::Delete(_)) => return Some(Err(self.disappeared())),
                Err(error) => match trouble(error) {
                    Trouble::Transient => {}
                    Trouble::Forbidden => return None,
                    Trouble::Fatal(error) => {
                        return Some(Err(self.requests.fail(self.action("watching"), error)));
                    }
                },
            }
        }
        // The watcher never ends on its own; if it did, the wait ends at its deadline.
        std::future::pending().await
    }

    async fn poll(&mut self) -> Result<TokenRequest, Error> {
        loop {
            tokio::time::sleep(POLL_INTERVAL).await;
            self.last = self
                .requests
                .get(&self.name, Some(self.deadline))
                .await
                .map_err(|e| self.requests.fail(self.action("getting"), e))?
                .ok_or_else(|| self.disappeared())?;
            if let Some(done) = self.judge() {
                return done;
            }
        }
    }

    /// `Some` when the status decides the wait.
    fn judge(&self) -> Option<Result<TokenRequest, Error>> {
        match self.last.phase() {
            Phase::Ready { .. } => Some(Ok(self.last.clone())),
            Phase::Failed => Some(Err(Error::ControllerError {
                namespace: self.namespace.clone(),
                name: self.name.clone(),
                state: self.last.phase().label().to_string(),
            })),
            Phase::IssuedWithoutToken => {
                self.progress.set_message(format!(
                    "{}/{}: state OK but no token yet (the Connector Service failed); waiting for \
                     the {CONTROLLER_NAME} to retry",
                    self.namespace, self.name
                ));
                None
            }
            Phase::Pending | Phase::Unknown(_) => None,
        }
    }

    fn disappeared(&self) -> Error {
        Error::Disappeared {
            namespace: self.namespace.clone(),
            name: self.name.clone(),
        }
    }

    fn action(&self, verb: &str) -> String {
        format!("{verb} TokenRequest {}/{}", self.namespace, self.name)
    }

    fn timed_out(&self, waited: Duration) -> Error {
        let seen = match self.last.phase() {
            Phase::IssuedWithoutToken => TimeoutSeen::OkWithoutToken,
            Phase::Unknown(_) => TimeoutSeen::UnknownState,
            _ => TimeoutSeen::NoStatus,
        };
        Error::Timeout {
            namespace: self.namespace.clone(),
            name: self.name.clone(),
            waited: format!("{:.0}s", waited.as_secs_f64()),
            seen,
        }
    }
}

/// How the wait takes a watcher error: a 403 anywhere means polling (a `get` then says if
/// reading is forbidden too); a missing API or a final answer ends the wait; the rest
/// (broken streams, 410 relists, server errors) the watcher rides out.
fn trouble(error: watcher::Error) -> Trouble {
    let error = match error {
        watcher::Error::InitialListFailed(error)
        | watcher::Error::WatchStartFailed(error)
        | watcher::Error::WatchFailed(error) => error,
        watcher::Error::WatchError(_) | watcher::Error::NoResourceVersion => {
            return Trouble::Transient;
        }
    };
    if status_of(&error).is_some_and(|status| status.code == 403) {
        Trouble::Forbidden
    } else if is_api_not_served(&error) || !is_transient(&error) {
        Trouble::Fatal(error)
    } else {
        Trouble::Transient
    }
}
