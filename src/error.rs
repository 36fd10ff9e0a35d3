//! Errors of the plugin, each naming what was being done and what the user can do, and the
//! documented exit codes they map to.

use kube::core::Status;

use crate::connector::ConnectorError;
use crate::tokenrequest::{CONTROLLER_NAME, CRD_NAME};

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
    #[error("{action}: {}", describe_api_error(.source))]
    Api {
        action: String,
        #[source]
        source: kube::Error,
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

    #[error("interrupted{}", left_behind_hint(.left_behind))]
    Interrupted {
        /// `(namespace, name)` of a request this run created and left in place.
        left_behind: Option<(String, String)>,
    },

    #[error("{context}: {message}")]
    Output { context: String, message: String },

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
        let action = action.into();
        if is_api_not_served(&source) {
            Error::ApiNotServed { action }
        } else {
            Error::Api { action, source }
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

fn source_hint(path: &Option<String>) -> String {
    path.as_ref().map(|p| format!(" {p}")).unwrap_or_default()
}

fn left_behind_hint(left_behind: &Option<(String, String)>) -> String {
    match left_behind {
        Some((namespace, name)) => format!(
            "; TokenRequest {namespace}/{name} was created and left in place. Delete it with: \
             kubectl tokenrequest delete {name} -n {namespace}"
        ),
        None => String::new(),
    }
}

fn timeout_message(namespace: &str, name: &str, waited: &str, seen: &TimeoutSeen) -> String {
    let what = match seen {
        TimeoutSeen::NoStatus => format!(
            "no controller answered: the request still has no status. The {CONTROLLER_NAME} \
             (namespace kyma-integration) fills it in; it does not run on Kyma 2.3 and later or \
             in Compass mode. Check it with `kubectl -n kyma-integration get deploy \
             {CONTROLLER_NAME}`"
        ),
        TimeoutSeen::OkWithoutToken => format!(
            "the controller answered with state OK but no token: the Connector Service failed \
             and the {CONTROLLER_NAME} kept retrying. Check the connector-service logs in \
             namespace kyma-integration"
        ),
        TimeoutSeen::UnknownState => {
            "the request shows a state that is neither OK nor Error; see it with \
             `kubectl tokenrequest get`"
                .to_string()
        }
    };
    format!(
        "timed out after {waited} waiting for TokenRequest {namespace}/{name}: {what}. \
         Raise --timeout to wait longer"
    )
}

/// A kube error in words a user can act on, without kube's Debug dump.
fn describe_api_error(error: &kube::Error) -> String {
    match error {
        kube::Error::Api(status) => {
            let hint = match status.code {
                401 => {
                    "; the cluster did not accept your credentials: log in again or check \
                     --user/--context/--kubeconfig"
                }
                403 => {
                    "; ask for RBAC rights on tokenrequests.applicationconnector.kyma-project.io"
                }
                429 => "; the API server is overloaded, retry later",
                500..=599 => "; the API server failed, retry later",
                _ => "",
            };
            let message = if status.message.is_empty() {
                format!("HTTP {}", status.code)
            } else {
                status.message.clone()
            };
            format!("{message}{hint}")
        }
        kube::Error::HyperError(_) | kube::Error::Service(_) => format!(
            "cannot reach the API server ({}); check the cluster address in your kubeconfig, \
             your network and --request-timeout",
            error_chain(error)
        ),
        kube::Error::SerdeError(_) => format!(
            "the server's answer is not a Kubernetes API response ({error}); check that the \
             kubeconfig points at a Kubernetes API server"
        ),
        other => error_chain(other),
    }
}

/// The error and its sources joined, as anyhow prints them.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
