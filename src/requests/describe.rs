//! What a failed request means for the user: the API's answer with what to do about it, or,
//! when there was none, which server could not be reached and why (refused, timed out, TLS,
//! DNS, a credential plugin that could not run), as kubectl names them.

use super::Server;
use crate::text::{error_chain, find_cause, quote_for_message};

/// The advice for a rejected credential (401), wherever it is met.
pub const CREDENTIALS_HINT: &str = "the cluster did not accept your credentials: log in \
     again or check --user/--context/--kubeconfig";

/// Why a request got no answer, as far as the error tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Unanswered {
    /// The TLS handshake failed: the certificate is not trusted, or the names do not match.
    Tls(String),
    /// The host name does not resolve.
    Dns,
    /// Nothing listens on the port.
    Refused,
    /// Connecting or reading timed out.
    TimedOut,
    /// The connection broke, or something else below HTTP failed.
    Broken,
}

/// What kind of transport failure `error` is; `None` when the server answered (or the client
/// failed before sending: a credential plugin, a bad header).
pub(super) fn unanswered(error: &kube::Error) -> Option<Unanswered> {
    let transport = match error {
        kube::Error::HyperError(_) => true,
        kube::Error::Service(_) => is_connection_failure(error),
        _ => false,
    };
    if !transport {
        return None;
    }
    Some(if let Some(tls) = find_cause::<rustls::Error>(error) {
        Unanswered::Tls(tls.to_string())
    } else if is_dns_failure(error) {
        Unanswered::Dns
    } else {
        match find_cause::<std::io::Error>(error).map(std::io::Error::kind) {
            Some(std::io::ErrorKind::ConnectionRefused) => Unanswered::Refused,
            Some(std::io::ErrorKind::TimedOut) => Unanswered::TimedOut,
            _ => Unanswered::Broken,
        }
    })
}

/// A transport failure: hyper's, hyper-util's (connecting) or the network's.
fn is_connection_failure(error: &kube::Error) -> bool {
    find_cause::<std::io::Error>(error).is_some()
        || find_cause::<hyper::Error>(error).is_some()
        || find_cause::<hyper_util::client::legacy::Error>(error).is_some()
}

/// A kube error in words a user can act on, without kube's Debug dump.
pub(super) fn describe_api_error(error: &kube::Error, server: &Server) -> String {
    match error {
        kube::Error::Api(status) => {
            let hint = match status.code {
                401 if server.credentials_withheld => {
                    "; the server is plain http://, so the kubeconfig's credentials were not \
                     sent (kubectl never sends them over http either): use the cluster's \
                     https:// address"
                }
                401 => &format!("; {CREDENTIALS_HINT}"),
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
        kube::Error::Auth(auth) => credential_problem(auth, server),
        kube::Error::SerdeError(_) => format!(
            "the server's answer is not a Kubernetes API response ({error}); check that the \
             kubeconfig points at a Kubernetes API server"
        ),
        other => match unanswered(other) {
            Some(why) => unreachable_server(other, &why, server),
            None => error_chain(other),
        },
    }
}

/// `cannot reach the API server HOST:PORT: the connection was refused; …`.
fn unreachable_server(error: &kube::Error, why: &Unanswered, server: &Server) -> String {
    let address = server.address.as_str();
    let why = match why {
        Unanswered::Tls(tls) => format!(
            "the TLS handshake failed: {tls}; check the cluster's certificate-authority in the \
             kubeconfig (or, insecurely, --insecure-skip-tls-verify)"
        ),
        Unanswered::Dns => {
            let host = address.rsplit_once(':').map_or(address, |(host, _)| host);
            format!(
                "its host name {host} does not resolve; check the cluster address in your \
                 kubeconfig and your DNS"
            )
        }
        Unanswered::Refused => "the connection was refused; check that the cluster runs and \
             that the kubeconfig's server address (--context, --cluster) is right"
            .to_string(),
        Unanswered::TimedOut => {
            let after = Some(server.request_timeout)
                .filter(|t| !t.is_zero())
                .map(|t| format!(" after {}s (--request-timeout)", t.as_secs_f64()))
                .unwrap_or_default();
            format!(
                "it did not answer{after}; check your network, or allow more time with \
                 --request-timeout"
            )
        }
        Unanswered::Broken => format!(
            "{}; check the cluster address in your kubeconfig and your network",
            error_chain(error)
        ),
    };
    if address.is_empty() {
        format!("cannot reach the API server: {why}")
    } else {
        format!("cannot reach the API server {address}: {why}")
    }
}

fn is_dns_failure(error: &kube::Error) -> bool {
    let text = error_chain(error);
    text.contains("dns error") || text.contains("failed to lookup address")
}

/// A credential plugin that is missing or failed: named, with its own message (stderr only:
/// stdout would hold the credential) and kubectl's advice.
fn credential_problem(error: &kube::client::AuthError, server: &Server) -> String {
    use kube::client::AuthError;
    let (command, hint) = server.exec.clone().unwrap_or_default();
    let install = hint
        .map(|hint| format!(" {}", hint.trim()))
        .unwrap_or_default();
    match error {
        AuthError::AuthExecStart(io) if io.kind() == std::io::ErrorKind::NotFound => format!(
            "the kubeconfig's credential plugin {} was not found: kubectl looks for it on PATH \
             (or, for a path with a slash, relative to the kubeconfig's folder); install it or \
             fix the user's exec.command.{install}",
            quote_for_message(&command)
        ),
        AuthError::AuthExecStart(io) => format!(
            "the kubeconfig's credential plugin {} could not be started: {io}.{install}",
            quote_for_message(&command)
        ),
        AuthError::AuthExecRun { cmd, out } => {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let said = stderr.trim();
            format!(
                "the kubeconfig's credential plugin {} failed ({}){}; log in again or check \
                 the user's exec configuration",
                quote_for_message(cmd),
                out.status,
                if said.is_empty() {
                    String::new()
                } else {
                    format!(": {}", quote_for_message(said))
                }
            )
        }
        // Its output may hold a credential: never quoted.
        AuthError::AuthExecParse(_) => format!(
            "the kubeconfig's credential plugin {} printed something that is not an \
             ExecCredential; check its apiVersion (client.authentication.k8s.io/v1 or v1beta1)",
            quote_for_message(&command)
        ),
        other => format!(
            "{}; check the kubeconfig's user (--user)",
            error_chain(other)
        ),
    }
}
