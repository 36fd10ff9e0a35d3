//! The commands' errors: the client layer's own ([`RequestError`], and the Connector
//! Service's [`ConnectorError`] with what was being done), and what the commands themselves
//! find wrong. Each names what was being done and what the user can do, and maps to one of
//! the documented exit codes.

mod messages;

use crate::connector::ConnectorError;
use crate::output::OutputError;
use crate::requests::RequestError;
use crate::text::quote_for_message;
use crate::tokenrequest::{CRD_NAME, TokenRequest, Unusable};
pub(crate) use messages::did_you_mean;
use messages::left_behind_hint;

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
    /// Ctrl-C (SIGINT).
    pub const INTERRUPTED: i32 = 130;
    /// stdout was closed (`| head`): kubectl dies of SIGPIPE, which a shell reports as 141.
    pub const CLOSED_STDOUT: i32 = 141;
    /// SIGTERM (a cancelled CI job, `timeout`).
    pub const TERMINATED: i32 = 143;

    /// Every exit code and what it means: the source of `--help`'s list, the man pages' EXIT
    /// STATUS and README's table.
    pub const TABLE: &[(i32, &str)] = &[
        (SUCCESS, "success"),
        (
            ERROR,
            "error: API, connection, kubeconfig, invalid input, or a write that failed",
        ),
        (
            USAGE,
            "usage error: unknown flag, bad -o format or duration",
        ),
        (CONTROLLER_ERROR, "the controller reported state Error"),
        (
            TIMEOUT,
            "timed out: no usable status, or no clear answer to the create, before --timeout",
        ),
        (DISAPPEARED, "the request disappeared while waiting"),
        (INTERRUPTED, "interrupted (SIGINT, Ctrl-C)"),
        (
            CLOSED_STDOUT,
            "stdout was closed (e.g. | head), as kubectl dying of SIGPIPE",
        ),
        (TERMINATED, "terminated (SIGTERM)"),
    ];

    /// The list `--help` ends with.
    pub fn summary() -> String {
        let codes: Vec<String> = TABLE
            .iter()
            .map(|(code, meaning)| format!("  {code:>3}  {meaning}"))
            .collect();
        format!("Exit codes:\n{}", codes.join("\n"))
    }
}

/// The signals that stop a run, as the shell reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Interrupt,
    Terminate,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Usage(String),

    /// What the client layer could not do; it says what was being done.
    #[error(transparent)]
    Request(#[from] RequestError),

    /// A name no TokenRequest (or Application) can have; the text says what is wrong.
    #[error("{0}")]
    InvalidName(String),

    /// `--tenant` or `--group` that the Connector Service could not take.
    #[error(
        "invalid {flag} {}: it must be non-empty and contain no control characters such as \
         newlines",
        quote_for_message(.value)
    )]
    InvalidContext { flag: &'static str, value: String },

    /// `delete NAME`: there is no request of that name.
    #[error("{action}: {CRD_NAME} \"{name}\" not found")]
    NotFound { action: String, name: String },

    /// `get NAME`: there is no request of that name.
    #[error(
        "getting TokenRequest {namespace}/{name}: not found; `kubectl tokenrequest list` shows \
         the requests in the namespace, `kubectl tokenrequest create {name}` makes one"
    )]
    NoSuchRequest { namespace: String, name: String },

    /// A run over several Applications, in which some failed (the results say which, why and
    /// with which exit code each).
    #[error(
        "{failed} of {of} Applications failed ({}); the results above say why",
        .names.join(", ")
    )]
    SomeApplicationsFailed {
        failed: usize,
        of: usize,
        names: Vec<String>,
        /// The exit code the failures share, else 1.
        code: i32,
    },

    /// Some of several requests could not be deleted (each was reported above).
    #[error("{failed} of {of} TokenRequests could not be deleted (see above)")]
    SomeFailed { failed: usize, of: usize },

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
        "TokenRequest {namespace}/{name} already exists{expiry}; use --refresh to delete it and \
         request a fresh token, or `kubectl tokenrequest get {name} -n {namespace}` to see it"
    )]
    AlreadyExists {
        namespace: String,
        name: String,
        expiry: String,
    },

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

    /// `--create-application`, and the missing Application could not be created.
    #[error(
        "--create-application: cannot create Application {}, so no token was requested: \
         {reason}",
        quote_for_message(.name)
    )]
    ApplicationNotCreated { name: String, reason: String },

    /// `doctor`: some checks failed (the report says which and why).
    #[error("{failed} of {of} checks failed; the report says what to do")]
    ChecksFailed { failed: usize, of: usize },

    /// SIGINT or SIGTERM. Says something only when a request was left behind.
    #[error("{}{}", match .signal { Signal::Interrupt => "interrupted", Signal::Terminate => "terminated" }, left_behind_hint(.left_behind))]
    Interrupted {
        signal: Signal,
        /// `(namespace, name)` of the requests this run created and left in place.
        left_behind: Vec<(String, String)>,
    },

    /// stdout is closed (`| head`): end at once, silently.
    #[error("stdout is closed")]
    ClosedStdout,

    /// Writing the result failed after the request was created: say that it exists.
    #[error(
        "writing the output failed ({source}), but TokenRequest {namespace}/{name} was created: \
         read it with `kubectl tokenrequest get {name} -n {namespace}` (add -o url, -o token, \
         ...)"
    )]
    OutputLost {
        namespace: String,
        name: String,
        #[source]
        source: std::io::Error,
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
        #[source]
        source: Box<ConnectorError>,
        refresh_hint: String,
    },

    /// 400 from the certificate endpoint.
    #[error(
        "{action}: {source}. The CSR's subject must match, field by field, the subject the info \
         endpoint returned"
    )]
    CsrRefused {
        action: String,
        #[source]
        source: Box<ConnectorError>,
    },

    #[error(
        "{action}: {source}. If the Connector Service uses a private CA, trust it with \
         --certificate-authority FILE (its CA certificate, PEM), or skip the check with \
         --insecure-skip-tls-verify-connector (insecure)"
    )]
    ConnectorTls {
        action: String,
        #[source]
        source: Box<ConnectorError>,
    },

    #[error("{action}: {source}")]
    Connector {
        action: String,
        #[source]
        source: Box<ConnectorError>,
    },

    /// A file system call on a connection's files failed (writing, renaming, reading them);
    /// `outcome` says what that left, after the file system's error.
    #[error("{action}: {source}{outcome}")]
    ConnectionFiles {
        action: String,
        #[source]
        source: std::io::Error,
        outcome: String,
    },

    /// A connection directory that does not hold what the command needs, or holds what it
    /// must not replace.
    #[error("{action}: {problem}")]
    ConnectionDirectory { action: String, problem: String },

    /// `connect` failed after the info call used the token up: says so, what became of the
    /// certificate, and the command that gets a fresh token.
    #[error(
        "{}. The token is used up and {certificate}. Request a fresh one with: {refresh}",
        .source.to_string().trim_end_matches(['.', ' '])
    )]
    TokenSpent {
        #[source]
        source: Box<Error>,
        certificate: String,
        refresh: String,
    },

    /// A Connector Service answer lacks what the next step needs.
    #[error("{action}: the answer names no {field}")]
    AnswerIncomplete { action: String, field: &'static str },

    /// The Connector Service issued something this tool will not keep.
    #[error("{action}: {problem}")]
    CertificateRejected { action: String, problem: String },

    /// Work handed to a thread of its own did not come back (it panicked or was cancelled).
    #[error("{action}: {source}")]
    Task {
        action: String,
        #[source]
        source: tokio::task::JoinError,
    },

    /// `revoke`: the certificate cannot authenticate a revocation.
    #[error("{reason}; nothing was revoked{advice}")]
    CannotRevoke { reason: String, advice: String },

    /// `revoke`: reading the answer to the question failed.
    #[error("reading the answer to the question: {0}")]
    Answer(#[source] std::io::Error),

    /// `revoke`: the answer to the question was not yes.
    #[error("not revoked: the answer was not yes; nothing was changed")]
    NotConfirmed,

    /// `completion install-kubectl-shim`: where to write the shim.
    #[error("{action}: {problem}; pass --dir with a directory on PATH that you can write to")]
    Shim { action: String, problem: String },

    #[error("writing the output: {0}")]
    Io(std::io::Error),

    // The certificate lifecycle: inspect, renew and revoke (all exit 1, but refusing to revoke
    // unconfirmed, which is `Usage`).
    /// `inspect` found the connection not usable or with less than `--min-validity` left; its
    /// findings are on stdout.
    #[error("the connection in {dir} is not usable: {}", .problems.join("; "))]
    ConnectionUnusable { dir: String, problems: Vec<String> },

    /// The certificate can no longer authenticate a renewal (revoked or expired).
    #[error("{reason}: renewal is no longer possible. Get a new certificate with: {reconnect}")]
    RenewalImpossible { reason: String, reconnect: String },

    /// A renewal or revocation step failed before any file was changed.
    #[error("{source}. The files in {dir} were not changed")]
    FilesUnchanged { source: Box<Error>, dir: String },

    /// The revocation was answered, but the service still accepts the certificate.
    #[error(
        "the Connector Service at {host} answered the revocation but still accepts the \
         certificate ({detail}); the files in {dir} were left as they are: run revoke again"
    )]
    NotRevoked {
        host: String,
        detail: String,
        dir: String,
    },
}

impl From<std::io::Error> for Error {
    fn from(error: std::io::Error) -> Self {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            Error::ClosedStdout
        } else {
            Error::Io(error)
        }
    }
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => exit_code::USAGE,
            Error::SomeApplicationsFailed { code, .. } => *code,
            Error::Request(error) => match error {
                RequestError::ControllerError { .. } => exit_code::CONTROLLER_ERROR,
                RequestError::Timeout { .. } | RequestError::CreateTimedOut { .. } => {
                    exit_code::TIMEOUT
                }
                RequestError::Disappeared { .. } => exit_code::DISAPPEARED,
                _ => exit_code::ERROR,
            },
            Error::Interrupted {
                signal: Signal::Interrupt,
                ..
            } => exit_code::INTERRUPTED,
            Error::Interrupted {
                signal: Signal::Terminate,
                ..
            } => exit_code::TERMINATED,
            Error::ClosedStdout => exit_code::CLOSED_STDOUT,
            _ => exit_code::ERROR,
        }
    }

    /// What `main` prints on stderr: nothing for a closed stdout (kubectl dies quietly of
    /// SIGPIPE) or a signal that left nothing to clean up (kubectl is killed quietly).
    pub fn message(&self) -> Option<String> {
        match self {
            Error::ClosedStdout => None,
            Error::Interrupted { left_behind, .. } if left_behind.is_empty() => None,
            error => Some(error.to_string()),
        }
    }

    /// A rendering's error; a write into a closed stdout is [`Error::ClosedStdout`].
    pub fn output(context: impl Into<String>, source: OutputError) -> Self {
        match source {
            OutputError::Io(error) if error.kind() == std::io::ErrorKind::BrokenPipe => {
                Error::ClosedStdout
            }
            source => Error::Output {
                context: context.into(),
                source,
            },
        }
    }

    /// For a command that created a request: a failed write says the request exists.
    pub fn after_created(self, namespace: &str, name: &str) -> Self {
        match self {
            Error::Io(source) => Error::OutputLost {
                namespace: namespace.to_string(),
                name: name.to_string(),
                source,
            },
            error => error,
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
                source: Box::new(source),
                refresh_hint: refresh_hint.to_string(),
            },
            ConnectorError::CsrRefused { .. } => Error::CsrRefused {
                action,
                source: Box::new(source),
            },
            ConnectorError::Tls { .. } => Error::ConnectorTls {
                action,
                source: Box::new(source),
            },
            source => Error::Connector {
                action,
                source: Box::new(source),
            },
        }
    }

    /// A request whose token cannot be used now, for `action` (which needs it).
    pub fn not_usable(action: &str, request: &TokenRequest, source: Unusable) -> Self {
        Error::NotUsable {
            action: action.to_string(),
            namespace: request.namespace().to_string(),
            name: request.name().to_string(),
            source,
        }
    }
}
