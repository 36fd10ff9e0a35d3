//! One watch serving the waits of a run: kube-runtime's watcher on a namespace (a batch) or on
//! one name (a single `create`), telling each expected request's waiter what it sees of that
//! request. A request is expected before it is created, so no change of it is missed; events
//! of requests nobody expects are dropped at once, so memory follows the batch, not the
//! namespace. Where watching is forbidden, the pending requests are polled instead; where the
//! watch fails for good, each waiter reads its own request (and so gets the error itself).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::StreamExt as _;
use kube::runtime::WatchStreamExt as _;
use kube::runtime::watcher::{Event, ExponentialBackoff, watcher};
use tokio::sync::watch;
use tokio::task::AbortHandle;

use super::watching::{self, Trouble};
use super::{Deadline, Requests, RetryPolicy};
use crate::tokenrequest::TokenRequest;

/// How often to look when watching is forbidden.
const POLL_INTERVAL: Duration = Duration::from_secs(1);

/// What the watch last saw of one expected request.
#[derive(Debug, Clone)]
pub(super) enum Sighting {
    /// Nothing yet (it is about to be created).
    Unseen,
    /// The request of that name as last seen (its uid tells which request it is).
    Seen(Box<TokenRequest>),
    /// The request with this uid was deleted.
    Gone { uid: Option<String> },
    /// The watch failed for good: the waiter reads its request itself.
    Broken,
}

/// The watch of one run's waits; its clones share it, and it stops with the last of them.
#[derive(Clone)]
pub struct Sightings {
    shared: Arc<Shared>,
    _task: Arc<Stop>,
}

struct Shared {
    requests: Requests,
    expected: Mutex<HashMap<String, watch::Sender<Sighting>>>,
    /// What the last transient failure of the watch was, for a timed-out wait.
    last_failure: Mutex<Option<String>>,
}

/// Aborts the watch task when dropped.
struct Stop(AbortHandle);

impl Drop for Stop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Which requests the watch follows.
enum Followed {
    Namespace,
    One(String),
}

impl Sightings {
    /// One watch of the whole namespace of `requests`, for many waits (a batch).
    pub fn of_namespace(requests: &Requests) -> Self {
        Self::start(requests, Followed::Namespace)
    }

    /// A watch of the request `name` alone (a single wait): the cheapest watch there is.
    pub(super) fn of_one(requests: &Requests, name: &str) -> Self {
        Self::start(requests, Followed::One(name.to_string()))
    }

    fn start(requests: &Requests, followed: Followed) -> Self {
        let shared = Arc::new(Shared {
            requests: requests.clone(),
            expected: Mutex::default(),
            last_failure: Mutex::default(),
        });
        let task = tokio::spawn(follow(shared.clone(), followed));
        Sightings {
            shared,
            _task: Arc::new(Stop(task.abort_handle())),
        }
    }

    /// Starts looking out for `name`, before it is created (or read), so that no change of
    /// it is missed: its [`Sightings::wait`] hears of everything the watch sees from now on.
    pub fn expect(&self, name: &str) {
        drop(self.receiver(name));
    }

    /// What the watch sees of `name`, from when it was first expected.
    pub(super) fn receiver(&self, name: &str) -> watch::Receiver<Sighting> {
        let mut expected = lock(&self.shared.expected);
        expected
            .entry(name.to_string())
            .or_insert_with(|| watch::channel(Sighting::Unseen).0)
            .subscribe()
    }

    /// What the watch sees of `initial`'s name from when it was first expected, with
    /// `initial` standing for it until the watch has seen it (so polling, where watching is
    /// forbidden, knows to read it).
    pub(super) fn following(&self, initial: &TokenRequest) -> watch::Receiver<Sighting> {
        let receiver = self.receiver(initial.name());
        if let Some(sender) = lock(&self.shared.expected).get(initial.name()) {
            sender.send_if_modified(|sighting| match sighting {
                Sighting::Unseen => {
                    *sighting = Sighting::Seen(Box::new(initial.clone()));
                    true
                }
                _ => false,
            });
        }
        receiver
    }

    /// Stops looking out for `name` (its wait is over).
    pub(super) fn forget(&self, name: &str) {
        lock(&self.shared.expected).remove(name);
    }

    pub(super) fn requests(&self) -> &Requests {
        &self.shared.requests
    }

    /// The last transient failure the watch met, if any.
    pub(super) fn last_failure(&self) -> Option<String> {
        lock(&self.shared.last_failure).clone()
    }
}

impl Shared {
    fn tell(&self, name: &str, sighting: Sighting) {
        if let Some(sender) = lock(&self.expected).get(name) {
            sender.send_replace(sighting);
        }
    }

    fn tell_all(&self, sighting: Sighting) {
        for sender in lock(&self.expected).values() {
            sender.send_replace(sighting.clone());
        }
    }

    /// The expected names that have been seen and are not decided yet.
    fn pending(&self) -> Vec<String> {
        lock(&self.expected)
            .iter()
            .filter(|(_, sender)| matches!(*sender.borrow(), Sighting::Seen(_)))
            .map(|(name, _)| name.clone())
            .collect()
    }

    /// Reads `name` and tells its waiter what it found; a failure is only noted (the next look,
    /// or the waiter's deadline, decides).
    async fn look(&self, name: &str) {
        match self.requests.get(name, Deadline::none()).await {
            Ok(Some(current)) => self.tell(name, Sighting::Seen(Box::new(current))),
            Ok(None) => self.tell(name, Sighting::Gone { uid: None }),
            Err(error) => *lock(&self.last_failure) = Some(error.to_string()),
        }
    }
}

async fn follow(shared: Arc<Shared>, followed: Followed) {
    let config = match &followed {
        Followed::Namespace => watching::config(),
        Followed::One(name) => watching::config().fields(&format!("metadata.name={name}")),
    };
    let events = watcher(shared.requests.api(), config)
        .backoff(ExponentialBackoff::from(RetryPolicy::backoff()));
    futures::pin_mut!(events);
    // What the (re)list under way has listed.
    let mut relisted: Option<HashSet<String>> = None;
    while let Some(event) = events.next().await {
        match event {
            Ok(Event::Init) => relisted = Some(HashSet::new()),
            Ok(Event::InitApply(current) | Event::Apply(current)) => {
                let name = current.name().to_string();
                if let Some(listed) = &mut relisted {
                    listed.insert(name.clone());
                }
                shared.tell(&name, Sighting::Seen(Box::new(current)));
            }
            // A request seen before and not in the new list may have been deleted while no
            // watch ran, or created after the list was taken: a look tells which.
            Ok(Event::InitDone) => {
                let listed = relisted.take().unwrap_or_default();
                for name in shared.pending() {
                    if !listed.contains(&name) {
                        shared.look(&name).await;
                    }
                }
            }
            Ok(Event::Delete(gone)) => {
                let uid = gone.metadata.uid.clone();
                shared.tell(gone.name(), Sighting::Gone { uid });
            }
            Err(error) => {
                let under_way = shared.requests.connection.exchanges.answered();
                match watching::trouble(error, under_way) {
                    Trouble::Transient(what) => *lock(&shared.last_failure) = Some(what),
                    Trouble::Forbidden(_) => {
                        shared
                            .requests
                            .connection
                            .observer
                            .note("watching TokenRequests is forbidden for you; polling instead");
                        return poll(&shared).await;
                    }
                    Trouble::Final(_) => return shared.tell_all(Sighting::Broken),
                }
            }
        }
    }
}

/// Where watching is forbidden: every pending request read again each [`POLL_INTERVAL`].
async fn poll(shared: &Shared) {
    loop {
        tokio::time::sleep(POLL_INTERVAL).await;
        for name in shared.pending() {
            shared.look(&name).await;
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
