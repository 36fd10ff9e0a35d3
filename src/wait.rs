//! Waiting for the controller to fill in a TokenRequest's status: a watch on that one name,
//! resumed when it breaks, re-listed after a 410, replaced by polling when watching is
//! forbidden, and always bounded by the caller's timeout.

use std::time::Duration;

use futures::StreamExt;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use kube::Api;
use kube::api::{WatchEvent, WatchParams};
use tokio::time::Instant;

use crate::error::{Error, TimeoutSeen, is_api_not_served, status_of};
use crate::tokenrequest::{CONTROLLER_NAME, Phase, TokenRequest};

/// How often to look when watching is forbidden.
const POLL_INTERVAL: Duration = Duration::from_secs(1);
/// Server-side bound of one watch call; the wait's own deadline is usually shorter.
const WATCH_TIMEOUT_SECONDS: u32 = 290;
const MAX_BACKOFF: Duration = Duration::from_secs(2);

/// Waits until `initial` has a usable token, the controller reports an error, the request
/// disappears, or `timeout` passes, with a spinner on stderr while it waits (on a terminal).
pub async fn wait_for_token(
    api: &Api<TokenRequest>,
    initial: TokenRequest,
    timeout: Duration,
) -> Result<TokenRequest, Error> {
    let started = Instant::now();
    let (name, namespace) = (initial.name().to_string(), initial.namespace().to_string());
    let progress = Progress::new(format!(
        "waiting for {CONTROLLER_NAME} to answer {namespace}/{name}"
    ));
    let mut follower = Follower {
        api,
        name,
        namespace,
        last: initial,
        progress: &progress,
    };
    match tokio::time::timeout_at(started + timeout, follower.follow()).await {
        Ok(result) => result,
        Err(_elapsed) => Err(follower.timed_out(started.elapsed())),
    }
}

struct Follower<'a> {
    api: &'a Api<TokenRequest>,
    name: String,
    namespace: String,
    /// The latest version seen; what the timeout message judges.
    last: TokenRequest,
    progress: &'a Progress,
}

enum WatchEnd {
    /// The stream ended or broke: resume from the last resourceVersion.
    Resume { saw_events: bool },
    /// The resourceVersion is too old (410) or the stream reported an error: get, then watch.
    Refresh,
    /// The server forbids watching: poll instead.
    Forbidden,
}

impl Follower<'_> {
    async fn follow(&mut self) -> Result<TokenRequest, Error> {
        let mut backoff = Backoff::default();
        let mut polling = false;
        loop {
            if let Some(done) = self.judge() {
                return done;
            }
            if polling {
                tokio::time::sleep(POLL_INTERVAL).await;
                self.refresh().await?;
                continue;
            }
            match self.watch_once().await {
                Step::Done(done) => return *done,
                Step::Ended(WatchEnd::Resume { saw_events }) => {
                    // A stream that keeps ending at once must not become a busy loop.
                    if saw_events {
                        backoff = Backoff::default();
                    }
                    backoff.wait().await;
                }
                Step::Ended(WatchEnd::Refresh) => {
                    backoff.wait().await;
                    self.refresh().await?;
                }
                Step::Ended(WatchEnd::Forbidden) => {
                    self.progress
                        .note("watching TokenRequests is forbidden for you; polling instead");
                    polling = true;
                }
            }
        }
    }

    /// One watch call from the last resourceVersion, until it decides the wait or ends.
    async fn watch_once(&mut self) -> Step {
        let params = WatchParams::default()
            .fields(&format!("metadata.name={}", self.name))
            .timeout(WATCH_TIMEOUT_SECONDS);
        let stream = match self.api.watch(&params, &self.resource_version()).await {
            Ok(stream) => stream,
            Err(error) if status_of(&error).is_some_and(|s| s.code == 403) => {
                return Step::Ended(WatchEnd::Forbidden);
            }
            Err(error) if is_api_not_served(&error) || !is_transient(&error) => {
                return Step::Done(Box::new(Err(Error::api(self.action("watching"), error))));
            }
            Err(_transient) => return Step::Ended(WatchEnd::Refresh),
        };
        futures::pin_mut!(stream);
        let mut saw_events = false;
        while let Some(event) = stream.next().await {
            saw_events = true;
            match event {
                Ok(WatchEvent::Added(current) | WatchEvent::Modified(current)) => {
                    self.last = current;
                    if let Some(done) = self.judge() {
                        return Step::Done(Box::new(done));
                    }
                }
                Ok(WatchEvent::Deleted(_)) => return Step::Done(Box::new(Err(self.disappeared()))),
                Ok(WatchEvent::Bookmark(bookmark)) => {
                    self.last.metadata.resource_version = Some(bookmark.metadata.resource_version);
                }
                // 410 Expired and any other error event: the watch cannot go on from here.
                Ok(WatchEvent::Error(_)) => return Step::Ended(WatchEnd::Refresh),
                Err(_broken) => return Step::Ended(WatchEnd::Resume { saw_events }),
            }
        }
        Step::Ended(WatchEnd::Resume { saw_events })
    }
}

enum Step {
    Done(Box<Result<TokenRequest, Error>>),
    Ended(WatchEnd),
}

/// Exponential backoff for retries of transient failures, capped at [`MAX_BACKOFF`].
#[derive(Default)]
pub struct Backoff {
    next: Option<Duration>,
}

impl Backoff {
    pub async fn wait(&mut self) {
        let delay = self.next.unwrap_or(Duration::from_millis(100));
        tokio::time::sleep(delay).await;
        self.next = Some((delay * 2).min(MAX_BACKOFF));
    }
}

/// A spinner on stderr while waiting, shown only when stderr is a terminal; notes printed
/// through it so they never tear the spinner line. Never given the token.
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    pub fn new(message: String) -> Self {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        if !bar.is_hidden() {
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_message(message);
            bar.enable_steady_tick(Duration::from_millis(120));
        }
        Progress { bar }
    }

    pub fn set_message(&self, message: String) {
        self.bar.set_message(message);
    }

    /// A line on stderr, above the spinner when there is one.
    pub fn note(&self, line: &str) {
        self.bar.suspend(|| eprintln!("{line}"));
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

impl Follower<'_> {
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

    fn resource_version(&self) -> String {
        self.last
            .metadata
            .resource_version
            .clone()
            .unwrap_or_else(|| "0".into())
    }

    /// Gets the request again; transient failures are retried until the deadline.
    async fn refresh(&mut self) -> Result<(), Error> {
        let mut backoff = Backoff::default();
        loop {
            match self.api.get_opt(&self.name).await {
                Ok(Some(current)) => {
                    self.last = current;
                    return Ok(());
                }
                Ok(None) => return Err(self.disappeared()),
                Err(error) if is_transient(&error) => backoff.wait().await,
                Err(error) => return Err(Error::api(self.action("getting"), error)),
            }
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
            waited: format_seconds(waited),
            seen,
        }
    }
}

fn format_seconds(duration: Duration) -> String {
    format!("{:.0}s", duration.as_secs_f64())
}

/// How often a read is tried before its transient failure is reported.
const READ_ATTEMPTS: u32 = 5;

/// A GET that rides out transient failures (kube itself retries only 429, 503 and 504) for a
/// few attempts; `None` when there is no such object. Reads are always safe to repeat.
pub async fn get_retrying(
    api: &Api<TokenRequest>,
    name: &str,
) -> Result<Option<TokenRequest>, kube::Error> {
    let mut backoff = Backoff::default();
    let mut attempt = 1;
    loop {
        match api.get_opt(name).await {
            Err(error) if is_transient(&error) && attempt < READ_ATTEMPTS => {
                attempt += 1;
                backoff.wait().await;
            }
            result => return result,
        }
    }
}

/// Failures worth retrying: the connection, overload and server errors.
pub fn is_transient(error: &kube::Error) -> bool {
    match status_of(error) {
        Some(status) => status.code == 429 || status.code >= 500,
        None => matches!(
            error,
            kube::Error::HyperError(_) | kube::Error::Service(_) | kube::Error::ReadEvents(_)
        ),
    }
}
