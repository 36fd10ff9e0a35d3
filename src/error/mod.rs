//! Errors of the plugin, each naming what was being done and what the user can do, and the
//! documented exit codes they map to.

mod messages;

use std::time::Duration;

use kube::core::Status;

use crate::connector::ConnectorError;
use crate::output::OutputError;
use crate::requests::Failure;
use crate::text::quote_for_message;
use crate::tokenrequest::{CONTROLLER_NAME, CRD_NAME, Unusable};
pub(crate) use messages::{CREDENTIALS_HINT, did_you_mean};
use messages::{describe_api_error, left_behind_hint, retried_hint, source_hint, timeout_message};

/// Exit codes; documented in README.md and stable for scripts.
pub mod exit_code {
    pub const SUCCESS: i32 = 0;
    /// API, connection or invalid-input errors.
    pub const ERROR: i32 = 1;
    /// The command line itself is wrong (clap uses 2 as well).
    pub const USAGE: i32 = 2;
    /// The controller wrote state `Error`.
    pub const CONTROLLER_ERROR: i32 = 3;
    /// No usable status arrived before `--timeout`.
    pub const TIMEOUT: i32 = 4;
    /// The request was deleted while we waited for it.
    pub const DISAPPEARED: i32 = 5;
    /// Ctrl-C.
    pub const INTERRUPTED: i32 = 130;
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Usage(String),

    #[error("{0}")]
    InvalidInput(String),

    #[error("loading the kubeconfig{}: {message}", source_hint(.path))]
    Kubeconfig {
        path: Option<String>,
        message: String,
    },

    /// A request to the API server failed; `action` says which one.
    #[error("{action}: {}{}", describe_api_error(.source), retried_hint(.retried_for))]
    Api {
        action: String,
        #[source]
        source: kube::Error,
        /// How long transient failures were retried before this one was the last.
        retried_for: Option<Duration>,
    },

    /// The API server did not answer at all before the deadline.
    #[error(
        "{action}: no answer from the API server within {}s; check that the cluster is up and \
         reachable, or allow more time with --request-timeout",
        waited.as_secs()
    )]
    NoAnswer { action: String, waited: Duration },

    /// There is no request of that name.
    #[error("{action}: {CRD_NAME} \"{name}\" not found")]
    NotFound { action: String, name: String },

    /// Some of several requests could not be deleted (each was reported above).
    #[error("{failed} of {of} TokenRequests could not be deleted (see above)")]
    SomeFailed { failed: usize, of: usize },

    /// A delete's precondition failed: the request was replaced meanwhile.
    #[error("{action}: it was replaced by someone else meanwhile; run the command again")]
    ReplacedMeanwhile { action: String },

    /// The request has no token that can be used now.
    #[error("{action}: TokenRequest {namespace}/{name}: {source}")]
    NotUsable {
        action: String,
        namespace: String,
        name: String,
        #[source]
        source: Unusable,
    },

    #[error(
        "{action}: the cluster does not serve {CRD_NAME} (the API answered 404 for the group). \
         TokenRequests come with Kyma's Application Connector (Kyma 1.x up to 2.2, legacy \
         connectivity mode); check `kubectl get crd {CRD_NAME}` and the --context you meant"
    )]
    ApiNotServed { action: String },

    #[error(
        "TokenRequest {namespace}/{name} already exists{expiry}; use --refresh to delete it and \
         request a fresh token, or `kubectl tokenrequest get {name} -n {namespace}` to see it"
    )]
    AlreadyExists {
        namespace: String,
        name: String,
        expiry: String,
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

    #[error("{}", timeout_message(.namespace, .name, .waited, .seen))]
    Timeout {
        namespace: String,
        name: String,
        waited: String,
        seen: TimeoutSeen,
    },

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
        "TokenRequest {namespace}/{name} was deleted while waiting for its status (the \
         {CONTROLLER_NAME} deletes expired requests; someone may also have deleted it). \
         Run the command again to request a new token"
    )]
    Disappeared { namespace: String, name: String },

    #[error(
        "{failed} of {matched} TokenRequests to clean up could not be deleted (the errors above \
         say why); run the cleanup again to retry them"
    )]
    CleanupFailed { failed: u64, matched: u64 },

    /// `--require-application`, and the Application does not exist.
    #[error(
        "Application {} does not exist on this cluster{}; --require-application refuses to \
         request a token for it (`kubectl get applications.applicationconnector.kyma-project.io` \
         lists the Applications)",
        quote_for_message(.name),
        did_you_mean(.suggestions)
    )]
    ApplicationMissing {
        name: String,
        suggestions: Vec<String>,
    },

    /// `--require-application`, and whether the Application exists cannot be told.
    #[error(
        "--require-application: cannot check that Application {} exists: {reason}",
        quote_for_message(.name)
    )]
    ApplicationUnchecked { name: String, reason: String },

    /// `doctor`: some checks failed (the report says which and why).
    #[error("{failed} of {of} checks failed; the report says what to do")]
    ChecksFailed { failed: usize, of: usize },

    #[error("interrupted{}", left_behind_hint(.left_behind))]
    Interrupted {
        /// `(namespace, name)` of a request this run created and left in place.
        left_behind: Option<(String, String)>,
    },

    #[error("{context}: {source}")]
    Output {
        context: String,
        #[source]
        source: OutputError,
    },

    /// 403 from the info or certificate endpoint.
    #[error(
        "{action}: {source}: the token was already used or has expired (each token is good for \
         one call within 5 minutes). {refresh_hint}"
    )]
    ConnectorTokenUsed {
        action: String,
        source: ConnectorError,
        refresh_hint: String,
    },

    /// 400 from the certificate endpoint.
    #[error(
        "{action}: {source}. The CSR's subject must match, field by field, the subject the info \
         endpoint returned"
    )]
    CsrRefused {
        action: String,
        source: ConnectorError,
    },

    #[error(
        "{action}: {source}. If the Connector Service uses a private CA, trust it with \
         --certificate-authority FILE (its CA certificate, PEM), or skip the check with \
         --insecure-skip-tls-verify-connector (insecure)"
    )]
    ConnectorTls {
        action: String,
        source: ConnectorError,
    },

    #[error("{action}: {source}")]
    Connector {
        action: String,
        source: ConnectorError,
    },

    /// Writing the key, certificates or connection.yaml.
    #[error("{action}: {message}")]
    ConnectionFiles { action: String, message: String },

    #[error("writing the output: {0}")]
    Io(#[from] std::io::Error),
}

/// What the last look at the request showed when the wait ran out of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutSeen {
    /// No status at all: no controller answered.
    NoStatus,
    /// `state: OK` with an empty token: the Connector Service failed, the controller retries.
    OkWithoutToken,
    /// A state nobody documented.
    UnknownState,
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => exit_code::USAGE,
            Error::ControllerError { .. } => exit_code::CONTROLLER_ERROR,
            Error::Timeout { .. } | Error::CreateTimedOut { .. } => exit_code::TIMEOUT,
            Error::Disappeared { .. } => exit_code::DISAPPEARED,
            Error::Interrupted { .. } => exit_code::INTERRUPTED,
            _ => exit_code::ERROR,
        }
    }

    /// Wraps a Connector Service error with what was being done; `refresh_hint` says how to
    /// get a fresh token should this one be used up.
    pub fn connector(
        action: impl Into<String>,
        source: ConnectorError,
        refresh_hint: &str,
    ) -> Self {
        let action = action.into();
        match source {
            ConnectorError::TokenRejected { .. } => Error::ConnectorTokenUsed {
                action,
                source,
                refresh_hint: refresh_hint.to_string(),
            },
            ConnectorError::CsrRefused { .. } => Error::CsrRefused { action, source },
            ConnectorError::Tls { .. } => Error::ConnectorTls { action, source },
            source => Error::Connector { action, source },
        }
    }

    /// Wraps a kube error, recognising the cluster that has no TokenRequest API at all.
    pub fn api(action: impl Into<String>, source: kube::Error) -> Self {
        Self::request(action, Failure::from(source))
    }

    /// Wraps a failed request of the requests layer with what was being done.
    pub fn request(action: impl Into<String>, failure: Failure) -> Self {
        let action = action.into();
        match failure {
            Failure::Api { error, .. } if is_api_not_served(&error) => {
                Error::ApiNotServed { action }
            }
            Failure::Api { error, retried_for } => Error::Api {
                action,
                source: error,
                retried_for,
            },
            Failure::NoAnswer { waited } => Error::NoAnswer { action, waited },
        }
    }
}

/// A 404 whose body is not a `Status` (the API server's `404 page not found`) means the group
/// is not served; a 404 `Status` with reason NotFound is a missing object.
pub fn is_api_not_served(error: &kube::Error) -> bool {
    matches!(error, kube::Error::Api(status) if status.code == 404 && status.reason != "NotFound")
}

pub fn status_of(error: &kube::Error) -> Option<&Status> {
    match error {
        kube::Error::Api(status) => Some(status),
        _ => None,
    }
}
