//! `probe` (`--probe`): a real TokenRequest with a generated name (never an Application's, so
//! no real application's token is spent), the controller's answer timed, and the request
//! deleted by uid whatever happens. Ctrl-C drops the command's future: the [`Cleanup`] guard
//! then hands the delete to a task that `main` awaits before it exits.
//!
//! The request that comes back carries the token; it is judged by its phase and dropped, never
//! printed or logged.

use std::time::Duration;

use serde_json::json;
use tokio::time::Instant;

use super::checks::check;
use crate::output::{Check, CheckStatus};
use crate::requests::{Deadline, PROBE_LABEL, RequestError, Requests, Seen};
use crate::session::Session;
use crate::tokenrequest::{CONTROLLER_NAME, TokenRequest};

/// The probe's check, and whether some controller answered it (`None`: not run).
pub(super) struct Probed {
    pub check: Check,
    pub answered: Option<bool>,
}

pub(super) fn not_run(reason: &str) -> Probed {
    Probed {
        check: check(
            "probe",
            CheckStatus::Skip,
            reason,
            None,
            json!({"ran": false}),
        ),
        answered: None,
    }
}

/// Creates the probe in the requests' namespace, waits for an answer until `deadline`, and
/// deletes it.
pub(super) async fn run(requests: &Requests, deadline: Deadline, session: &Session) -> Probed {
    let sent = Requests::probe_request();
    let namespace = requests.namespace().to_string();
    let mut cleanup = Cleanup {
        requests: requests.clone(),
        sent: sent.clone(),
        created: None,
        session,
        armed: true,
    };
    let created = match requests.create_probe(&sent, deadline).await {
        Ok(created) => created,
        Err(failure) => {
            let error = failure.to_string();
            let deleted = cleanup.run().await;
            let outcome = Outcome {
                status: CheckStatus::Fail,
                message: error,
                hint: None,
                state: None,
                answered: None,
            };
            return outcome.finish("", &namespace, Duration::ZERO, deleted);
        }
    };
    let name = created.name().to_string();
    cleanup.created = Some(created.clone());
    let started = Instant::now();
    let answer = requests.wait_for_token(created, deadline).await;
    let after = started.elapsed();
    let deleted = cleanup.run().await;
    judge(answer, after).finish(&name, &namespace, after, deleted)
}

/// What the wait's end says about the controller.
struct Outcome {
    status: CheckStatus,
    message: String,
    hint: Option<String>,
    state: Option<String>,
    answered: Option<bool>,
}

fn judge(answer: Result<TokenRequest, RequestError>, after: Duration) -> Outcome {
    let after = format!("{:.1}s", after.as_secs_f64());
    let logs = format!(
        "check the {CONTROLLER_NAME} and connector-service logs in namespace kyma-integration"
    );
    let (status, message, hint, state, answered) = match answer {
        Ok(_ready) => (
            CheckStatus::Ok,
            format!("the controller answered after {after} with state OK and a token"),
            None,
            Some("OK".to_string()),
            Some(true),
        ),
        Err(RequestError::ControllerError { state, .. }) => (
            CheckStatus::Fail,
            format!(
                "the controller answered after {after} with state {state:?}: the Connector \
                 Service could not issue a token"
            ),
            Some(logs),
            Some(state),
            Some(true),
        ),
        Err(RequestError::Timeout { report }) => match report.seen {
            Seen::NoStatus => (
                CheckStatus::Fail,
                format!("no controller answered within {after}: the probe got no status"),
                Some(format!(
                    "see the controller check above; if the {CONTROLLER_NAME} is only slow, \
                     allow more time with --timeout"
                )),
                None,
                Some(false),
            ),
            Seen::OkWithoutToken => (
                CheckStatus::Fail,
                format!(
                    "within {after} the controller answered with state OK but no token: the \
                     Connector Service failed and the controller kept retrying"
                ),
                Some(logs),
                Some("OK".to_string()),
                Some(true),
            ),
            Seen::UnknownState(_) => (
                CheckStatus::Fail,
                format!("within {after} the probe got a state that is neither OK nor Error"),
                None,
                None,
                Some(true),
            ),
        },
        Err(other) => (CheckStatus::Fail, other.to_string(), None, None, None),
    };
    Outcome {
        status,
        message,
        hint,
        state,
        answered,
    }
}

impl Outcome {
    /// The check, with how the cleanup went: a probe left behind is worth at least a warning.
    fn finish(
        self,
        name: &str,
        namespace: &str,
        after: Duration,
        deleted: Result<Vec<String>, RequestError>,
    ) -> Probed {
        let Outcome {
            mut status,
            mut message,
            mut hint,
            state,
            answered,
        } = self;
        let deleted = match deleted {
            Ok(names) => {
                if !names.is_empty() {
                    message.push_str(&format!("; deleted {namespace}/{}", names.join(", ")));
                }
                Some(names)
            }
            Err(failure) => {
                message.push_str(&format!("; {failure}"));
                hint = Some(format!(
                    "delete what is left with: kubectl delete tokenrequests -n {namespace} -l \
                     {PROBE_LABEL}=true"
                ));
                if status == CheckStatus::Ok {
                    status = CheckStatus::Warn;
                }
                None
            }
        };
        let details = json!({
            "ran": true, "namespace": namespace, "name": name,
            "answeredAfterSeconds": answered.filter(|a| *a).map(|_| after.as_secs_f64()),
            "state": state, "deleted": deleted,
        });
        Probed {
            check: check("probe", status, message, hint, details),
            answered,
        }
    }
}

/// Deletes the probe however the run ends: awaited on the way out, or, when the future is
/// dropped first (Ctrl-C), in a task registered with the session for `main` to await.
struct Cleanup<'a> {
    requests: Requests,
    sent: TokenRequest,
    /// The probe as created; `None` until the create's answer came.
    created: Option<TokenRequest>,
    session: &'a Session,
    /// Cleared once the delete went through (or failed for good).
    armed: bool,
}

impl Cleanup<'_> {
    async fn run(&mut self) -> Result<Vec<String>, RequestError> {
        let result = self
            .requests
            .delete_probes(&self.sent, self.created.as_ref())
            .await;
        self.armed = false;
        result
    }
}

impl Drop for Cleanup<'_> {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let (requests, sent, created) = (
            self.requests.clone(),
            self.sent.clone(),
            self.created.take(),
        );
        let namespace = requests.namespace().to_string();
        let what = match &created {
            Some(created) => format!("the probe TokenRequest {namespace}/{}", created.name()),
            None => format!("any probe TokenRequest this run created in {namespace}"),
        };
        eprintln!("deleting {what} before exiting");
        let task = runtime.spawn(async move {
            match requests.delete_probes(&sent, created.as_ref()).await {
                Ok(names) if names.is_empty() => eprintln!("no probe TokenRequest was left"),
                Ok(names) => eprintln!("deleted {namespace}/{}", names.join(", ")),
                Err(failure) => eprintln!(
                    "Warning: deleting {what}: {failure}; delete what is left with: kubectl \
                     delete tokenrequests -n {namespace} -l {PROBE_LABEL}=true"
                ),
            }
        });
        self.session.finish_before_exit(task);
    }
}
