//! The client's errors. Each says what was being done and, for a failed request, what the
//! answer (or the lack of one) means for the user, naming the server; the commands' error
//! type wraps them.

use std::sync::Arc;
use std::time::Duration;

use super::Server;
use super::describe::describe_api_error;
use super::report::WaitReport;
use crate::text::quote_for_message;
use crate::tokenrequest::{CONTROLLER_NAME, CRD_NAME};

#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    #[error("loading the kubeconfig{}: {message}", .path.as_ref().map(|p| format!(" {p}")).unwrap_or_default())]
    Kubeconfig {
        path: Option<String>,
        message: String,
    },

    #[error("invalid namespace {}: {problem}", quote_for_message(.namespace))]
    InvalidNamespace { namespace: String, problem: String },

    /// An answer no retry changes, or the last of transient ones when the retry budget ran
    /// out (`retried_for` then says for how long).
    #[error("{action}: {}{}", describe_api_error(.source, .server), retried(.retried_for))]
    Api {
        action: String,
        #[source]
        source: kube::Error,
        retried_for: Option<Duration>,
        server: Arc<Server>,
    },

    /// 429 Too Many Requests until the retry budget ran out.
    #[error(
        "{action}: the API server {} is throttling requests (429 Too Many Requests), and still \
         was after {}s of waiting as it asked (Retry-After); try again later, or ask the \
         cluster's operators about its API priority and fairness settings",
        .server.address,
        .retried_for.as_secs()
    )]
    Throttled {
        action: String,
        #[source]
        source: kube::Error,
        retried_for: Duration,
        server: Arc<Server>,
    },

    /// No answer before a limit: `--request-timeout`, or the command's `--timeout`.
    #[error(
        "{action}: no answer from the API server {} within {}s ({}); check that the cluster is \
         up and reachable, or allow more time with {}",
        .server.address,
        .waited.as_secs_f64().round(),
        .limit.flag(),
        .limit.flag()
    )]
    NoAnswer {
        action: String,
        waited: Duration,
        limit: Limit,
        server: Arc<Server>,
    },

    #[error(
        "{action}: the cluster does not serve {CRD_NAME} (the API answered 404 for the group). \
         TokenRequests come with Kyma's Application Connector (Kyma 1.x up to 2.2, legacy \
         connectivity mode); check `kubectl get crd {CRD_NAME}` and the --context you meant"
    )]
    ApiNotServed {
        action: String,
        #[source]
        source: kube::Error,
    },

    /// A delete that must hit only this very object, of an object the server sent without
    /// what identifies it.
    #[error(
        "{action}: the API server sent it without a {missing}, so it cannot be deleted as this \
         very object and was left alone; delete it by name with `kubectl tokenrequest delete`"
    )]
    Unidentified {
        action: String,
        missing: &'static str,
    },

    /// A label selector kubectl would not send.
    #[error("{action}: {problem}")]
    InvalidSelector { action: String, problem: String },

    /// A guarded write met another object: someone replaced or changed it meanwhile.
    #[error("{action}: it was replaced by someone else meanwhile; run the command again")]
    ReplacedMeanwhile { action: String },

    #[error(
        "timed out creating TokenRequest {namespace}/{name}: the API server gave no clear \
         answer before --timeout{last_failure}. The request may or may not exist: check with \
         `kubectl tokenrequest get {name} -n {namespace}`, then run the command again (with \
         --refresh if it exists)"
    )]
    CreateTimedOut {
        namespace: String,
        name: String,
        last_failure: String,
    },

    #[error(
        "the controller reported state {state:?} for TokenRequest {namespace}/{name}: the \
         Connector Service could not issue a token. Check the {CONTROLLER_NAME} and \
         connector-service logs in namespace kyma-integration, then retry with --refresh"
    )]
    ControllerError {
        namespace: String,
        name: String,
        state: String,
    },

    /// The wait ran out of time; the report says what it saw.
    #[error("{report}")]
    Timeout { report: Box<WaitReport> },

    #[error(
        "TokenRequest {namespace}/{name} was deleted while waiting for its status (the \
         {CONTROLLER_NAME} deletes expired requests; someone may also have deleted it). \
         Run the command again to request a new token"
    )]
    Disappeared { namespace: String, name: String },
}

/// The limit a request ran into without an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// `--request-timeout`, the bound of one request.
    RequestTimeout,
    /// The command's `--timeout`.
    Deadline,
}

impl Limit {
    fn flag(&self) -> &'static str {
        match self {
            Limit::RequestTimeout => "--request-timeout",
            Limit::Deadline => "--timeout",
        }
    }
}

impl RequestError {
    /// The API's answer, if there was one.
    pub fn answer(&self) -> Option<&kube::Error> {
        match self {
            RequestError::Api { source, .. }
            | RequestError::Throttled { source, .. }
            | RequestError::ApiNotServed { source, .. } => Some(source),
            _ => None,
        }
    }

    /// The HTTP status of the API's answer.
    pub fn status_code(&self) -> Option<u16> {
        match self.answer()? {
            kube::Error::Api(status) => Some(status.code),
            _ => None,
        }
    }

    /// The message of the API's answer (a `Status`), if there was one.
    pub fn api_message(&self) -> Option<&str> {
        match self.answer()? {
            kube::Error::Api(status) if !status.message.is_empty() => Some(&status.message),
            _ => None,
        }
    }

    /// The cluster does not serve the group asked about.
    pub fn is_not_served(&self) -> bool {
        matches!(self, RequestError::ApiNotServed { .. })
    }

    /// The API refused it with 403 Forbidden.
    pub fn is_forbidden(&self) -> bool {
        self.status_code() == Some(403)
    }
}

/// ` (retried for 10s)`, after transient failures.
fn retried(retried_for: &Option<Duration>) -> String {
    match retried_for {
        Some(waited) => format!(" (retried for {}s)", waited.as_secs()),
        None => String::new(),
    }
}

/// A 404 whose body is not a `Status` (the API server's `404 page not found`) means the group
/// is not served; a 404 `Status` with reason NotFound is a missing object.
pub(super) fn is_api_not_served(error: &kube::Error) -> bool {
    matches!(error, kube::Error::Api(status) if status.code == 404 && status.reason != "NotFound")
}

/// The HTTP status of an answer, if there was one.
pub(super) fn status_code(error: &kube::Error) -> Option<u16> {
    match error {
        kube::Error::Api(status) => Some(status.code),
        _ => None,
    }
}
