//! The create that happens once, and the delete of `--refresh`.
//!
//! Retries, and why they are safe:
//! - Every create carries a random [`CREATE_ID_ANNOTATION`], so a 409, or an object found after
//!   an answer that got lost, is recognised as this run's own request and used, never reported
//!   as someone else's and never created twice (the name is fixed, so a second object cannot
//!   exist; a second *attempt* is what needs care).
//! - A create whose answer may hide success (a 5xx other than 503, a broken connection, no
//!   answer within `--request-timeout`) is checked with a GET before it is sent again; a 429 or
//!   503 (the server turned it away) is sent again after a pause. Sends are spaced by the one
//!   backoff (and `Retry-After`) and end with the retry budget; nothing outlasts the deadline.

use kube::api::PostParams;

use super::error::status_code;
use super::retry::{Tries, Verdict, verdict};
use super::{Deadline, Deletion, Guard, RequestError, Requests};
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
        deadline: Deadline,
    ) -> Result<Created, RequestError> {
        let (namespace, name) = (self.namespace(), request.name());
        let params = PostParams {
            dry_run,
            field_manager: Some(FIELD_MANAGER.to_string()),
        };
        let api = self.api();
        let action = format!("creating TokenRequest {namespace}/{name}");
        let mut last_failure = None;
        let attempts = async {
            let mut tries = Tries::new(&self.connection, &action, deadline);
            loop {
                let mut error = match tries.once(api.create(&params, request)).await {
                    Ok(created) => return Ok(Created::New(created)),
                    Err(error) => error,
                };
                let conflict = error.as_ref().and_then(status_code) == Some(409);
                // What no retry fixes (a TLS failure, a 422) ends it: nothing to look for.
                let under_way = self.connection.exchanges.answered();
                if let Some(failure) =
                    error.take_if(|e| !conflict && verdict(e, under_way) == Verdict::Final)
                {
                    return Err(tries.failed(failure, None));
                }
                let stored = match &error {
                    Some(error) => may_have_been_stored(error),
                    None => true,
                };
                if let Some(error) = &error {
                    last_failure = Some(error_chain(error));
                }
                if conflict || (stored && !dry_run) {
                    tracing::info!(
                        name,
                        "checking whether the create went through before sending it again"
                    );
                    match self.get(name, deadline).await? {
                        Some(existing) if is_own(&existing, request) => {
                            return Ok(Created::New(existing));
                        }
                        Some(existing) => return Ok(Created::Existing(existing)),
                        // Gone again since the 409, or never stored: send it again.
                        None => {}
                    }
                }
                match error {
                    // 409s and "not found" alternating: someone keeps recreating the name.
                    Some(_) if conflict && !tries.pause().await => {
                        return Err(RequestError::ReplacedMeanwhile {
                            action: action.clone(),
                        });
                    }
                    Some(_) if conflict => {}
                    Some(error) => tries.again(error).await?,
                    None if !tries.pause().await => return Err(tries.no_answer()),
                    None => {}
                }
            }
        };
        let result = deadline.run(attempts).await;
        // A try (or the check after it) cut short by the deadline is the deadline's too.
        let passed = deadline.remaining().is_some_and(|left| left.is_zero());
        match result {
            Some(Ok(created)) => Ok(created),
            Some(Err(error)) if !passed => Err(error),
            _ => Err(RequestError::CreateTimedOut {
                namespace: namespace.to_string(),
                name: name.to_string(),
                last_failure: last_failure
                    .map(|failure| format!(" (last answer: {failure})"))
                    .unwrap_or_default(),
            }),
        }
    }

    /// `--refresh`: deletes the existing request, but only the one looked at (uid
    /// precondition), so a request someone else just recreated survives. `dry_run`: the
    /// server checks the delete and keeps the request.
    pub async fn delete_existing(
        &self,
        name: &str,
        deadline: Deadline,
        dry_run: bool,
    ) -> Result<(), RequestError> {
        let action = format!(
            "deleting the existing TokenRequest {}/{name} for --refresh",
            self.namespace()
        );
        let Some(existing) = self.get(name, deadline).await? else {
            return Ok(());
        };
        let guard = Guard::this_object(&existing).ok_or_else(|| RequestError::Unidentified {
            action: action.clone(),
            missing: "uid",
        })?;
        match self.delete(name, &guard, dry_run).await? {
            Deletion::Done | Deletion::Gone | Deletion::Missing => Ok(()),
            Deletion::Changed => Err(RequestError::ReplacedMeanwhile { action }),
        }
    }
}

/// 5xx answers other than 503 and failures without an answer: the create may have been stored.
/// (429 and 503 mean the API server turned the request away before carrying it out.)
fn may_have_been_stored(error: &kube::Error) -> bool {
    match status_code(error) {
        Some(code) => code >= 500 && code != 503,
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
