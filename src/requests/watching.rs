//! What the wait for the controller and `list -w` share about kube-runtime's watcher: how a
//! watch is asked for, and what each of its errors means. The watcher itself lists, watches,
//! resumes a broken watch and relists after a 410, with the one backoff between tries.

use kube::runtime::watcher;

use super::error::is_api_not_served;
use super::retry::{Verdict, briefly, verdict};

/// Server-side bound of one watch call (the API server's own default is 30–60 minutes); the
/// watcher resumes after it.
const WATCH_TIMEOUT_SECONDS: u32 = 290;

/// The watcher's configuration for one watch call.
pub(super) fn config() -> watcher::Config {
    watcher::Config::default().timeout(WATCH_TIMEOUT_SECONDS)
}

/// What a watcher error means.
pub(super) enum Trouble {
    /// The watcher tries again after its backoff; the words say what failed.
    Transient(String),
    /// 403: watching is not allowed.
    Forbidden(kube::Error),
    /// No retry changes it (the group is not served, a 4xx, a TLS or DNS failure).
    Final(kube::Error),
}

/// See [`Trouble`]; `under_way`: the server has answered before in this run.
pub(super) fn trouble(error: watcher::Error, under_way: bool) -> Trouble {
    let error = match error {
        watcher::Error::InitialListFailed(error)
        | watcher::Error::WatchStartFailed(error)
        | watcher::Error::WatchFailed(error) => error,
        // An ERROR event (410 Gone: relist) or a list without a resourceVersion.
        watcher::Error::WatchError(response) => {
            return Trouble::Transient(format!("the watch ended: {}", response.message));
        }
        watcher::Error::NoResourceVersion => {
            return Trouble::Transient("the list had no resourceVersion".to_string());
        }
    };
    if let kube::Error::Api(status) = &error
        && status.code == 403
    {
        return Trouble::Forbidden(error);
    }
    if is_api_not_served(&error) || verdict(&error, under_way) == Verdict::Final {
        Trouble::Final(error)
    } else {
        Trouble::Transient(briefly(&error))
    }
}
