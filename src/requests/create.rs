//! The create that happens once, and the delete of `--refresh`.
//!
//! Retries, and why they are safe:
//! - kube's client (`RetryPolicy::server_retry`, on by default) resends any request, POST
//!   included, that got 429, 503 or 504, waiting `Retry-After`. 429 and 503 mean the API
//!   server did not carry the request out; a 504 may come after the create was stored, and the
//!   resend then meets 409 AlreadyExists.
//! - Every create carries a random [`CREATE_ID_ANNOTATION`], so a 409, or an object found after
//!   an answer that got lost, is recognised as this run's own request and used, never reported
//!   as someone else's and never created twice (the name is fixed, so a second object cannot
//!   exist; a second *attempt* is what needs care).
//! - Here, a create whose answer may hide success (another 5xx, a broken connection, no answer
//!   in time) is checked with a GET before it is sent again; a 429 or 503 that kube gave up on
//!   is sent again after a pause. Sends are spaced by the shared backoff and end at the deadline.

use backon::BackoffBuilder as _;
use kube::api::PostParams;
use tokio::time::Instant;

use super::{Deletion, Failure, Guard, Requests, RetryPolicy, is_transient};
use crate::error::{Error, status_of};
use crate::text::error_chain;
use crate::tokenrequest::{ClusterContext, TokenRequest};

/// The field manager recorded on objects this plugin writes.
pub const FIELD_MANAGER: &str = "kubectl-tokenrequest";

/// Set on every request the plugin creates, with a value unique to the run: lets a run tell
/// its own request (whose create answer got lost) from someone else's.
pub const CREATE_ID_ANNOTATION: &str = "kubectl-tokenrequest/create-id";

/// How a create ended.
pub enum Created {
    /// Created by this run (also when the answer got lost and a GET found it).
    New(TokenRequest),
    /// A request of that name that this run did not create.
    Existing(TokenRequest),
}

impl Requests {
    /// The object `create` and `connect` send, with this run's [`CREATE_ID_ANNOTATION`].
    pub fn new_request(name: &str, context: Option<ClusterContext>) -> TokenRequest {
        let mut request = TokenRequest::new(name, context);
        request
            .metadata
            .annotations
            .get_or_insert_default()
            .insert(CREATE_ID_ANNOTATION.to_string(), create_id());
        request
    }

    /// Creates `request` (made by [`Requests::new_request`]) exactly once: answers that may
    /// hide a stored object are checked with a GET before the create is sent again, and an
    /// object of that name that carries this run's id is taken as the created one. Transient
    /// failures are resent within the retry budget (then the last one is the error); nothing
    /// outlasts `deadline` (exit 4: the request may or may not exist).
    pub async fn create_once(
        &self,
        request: &TokenRequest,
        dry_run: bool,
        deadline: Option<Instant>,
    ) -> Result<Created, Error> {
        let (namespace, name) = (self.namespace().to_string(), request.name().to_string());
        let params = PostParams {
            dry_run,
            field_manager: Some(FIELD_MANAGER.to_string()),
        };
        let api = self.api_in("");
        let action = || format!("creating TokenRequest {namespace}/{name}");
        let check_action = || {
            format!(
                "checking whether TokenRequest {namespace}/{name} was created (the create got no \
                 clear answer)"
            )
        };
        let give_up_at = self.policy.deadline(deadline);
        let started = Instant::now();
        let mut last_failure = None;
        let attempts = async {
            let mut delays = RetryPolicy::backoff().build();
            loop {
                let error = match api.create(&params, request).await {
                    Ok(created) => return Ok(Created::New(created)),
                    Err(error) => error,
                };
                let conflict = status_of(&error).is_some_and(|s| s.code == 409);
                if !conflict && !is_transient(&error) {
                    return Err(self.fail(action(), error));
                }
                last_failure = Some(error_chain(&error));
                if conflict || (may_have_been_stored(&error) && !dry_run) {
                    tracing::info!(%error, name, "checking whether the create went through before sending it again");
                    match self.get(&name, deadline).await {
                        Ok(Some(existing)) if is_own(&existing, request) => {
                            return Ok(Created::New(existing));
                        }
                        Ok(Some(existing)) => return Ok(Created::Existing(existing)),
                        // Gone again since the 409, or never stored: send it again.
                        Ok(None) => {}
                        Err(failure) => return Err(self.fail(check_action(), failure)),
                    }
                }
                let delay = delays.next().unwrap_or_default();
                if Instant::now() + delay >= give_up_at {
                    // 409s and "not found" alternating: someone keeps recreating the name.
                    return Err(if conflict {
                        Error::ReplacedMeanwhile { action: action() }
                    } else {
                        let failure = Failure::Api {
                            error,
                            retried_for: Some(started.elapsed()),
                        };
                        self.fail(action(), failure)
                    });
                }
                tracing::info!(name, "sending the create again");
                tokio::time::sleep(delay).await;
            }
        };
        let Some(deadline) = deadline else {
            return attempts.await;
        };
        match tokio::time::timeout_at(deadline, attempts).await {
            Ok(result) => result,
            Err(_elapsed) => Err(Error::CreateTimedOut {
                namespace: namespace.clone(),
                name: name.clone(),
                last_failure: last_failure
                    .map(|failure| format!(" (last answer: {failure})"))
                    .unwrap_or_default(),
            }),
        }
    }

    /// `--refresh`: deletes the existing request, but only the one looked at (uid
    /// precondition), so a request someone else just recreated survives.
    pub async fn delete_existing(&self, name: &str) -> Result<(), Error> {
        let namespace = self.namespace().to_string();
        let action =
            || format!("deleting the existing TokenRequest {namespace}/{name} for --refresh");
        let Some(existing) = self
            .get(name, None)
            .await
            .map_err(|e| self.fail(action(), e))?
        else {
            return Ok(());
        };
        let guard = Guard::Uid(existing.metadata.uid.clone().unwrap_or_default());
        match self.delete(&namespace, name, &guard, false).await {
            Ok(Deletion::Done | Deletion::Gone | Deletion::Missing) => Ok(()),
            Ok(Deletion::Changed) => Err(Error::ReplacedMeanwhile { action: action() }),
            Err(failure) => Err(self.fail(action(), failure)),
        }
    }
}

/// 5xx answers other than 503 and failures without an answer: the create may have been stored.
/// (429 and 503 mean the API server turned the request away before carrying it out.)
fn may_have_been_stored(error: &kube::Error) -> bool {
    match status_of(error) {
        Some(status) => status.code >= 500 && status.code != 503,
        None => true,
    }
}

/// Whether `existing` carries `request`'s [`CREATE_ID_ANNOTATION`]: this run created it.
pub(super) fn is_own(existing: &TokenRequest, request: &TokenRequest) -> bool {
    let id = |object: &TokenRequest| {
        object
            .metadata
            .annotations
            .as_ref()
            .and_then(|annotations| annotations.get(CREATE_ID_ANNOTATION).cloned())
    };
    id(request).is_some() && id(existing) == id(request)
}

/// A value for [`CREATE_ID_ANNOTATION`]: unique per run (std's per-process random hash keys,
/// the process id and the time), not secret.
fn create_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    hasher.write_u128(now.as_nanos());
    format!("{:016x}", hasher.finish())
}
