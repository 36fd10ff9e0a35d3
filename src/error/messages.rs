//! The longer texts of [`super::Error`]: what a kube error means for the user, and what to do
//! after a timeout or an interruption.

use std::time::Duration;

use super::TimeoutSeen;
use crate::text::quote_for_message;
use crate::tokenrequest::CONTROLLER_NAME;

/// The advice for a rejected credential (401), wherever it is met.
pub(crate) const CREDENTIALS_HINT: &str = "the cluster did not accept your credentials: log in \
     again or check --user/--context/--kubeconfig";

/// ` (did you mean "a", "b" or "c"?)` for names close to a missing one; empty without any.
pub(crate) fn did_you_mean(suggestions: &[String]) -> String {
    let quoted: Vec<String> = suggestions.iter().map(|s| quote_for_message(s)).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((only, [])) => format!(" (did you mean {only}?)"),
        Some((last, rest)) => format!(" (did you mean {} or {last}?)", rest.join(", ")),
    }
}

pub(super) fn source_hint(path: &Option<String>) -> String {
    path.as_ref().map(|p| format!(" {p}")).unwrap_or_default()
}

pub(super) fn left_behind_hint(left_behind: &Option<(String, String)>) -> String {
    match left_behind {
        Some((namespace, name)) => format!(
            "; TokenRequest {namespace}/{name} was created and left in place. Delete it with: \
             kubectl tokenrequest delete {name} -n {namespace}"
        ),
        None => String::new(),
    }
}

pub(super) fn timeout_message(
    namespace: &str,
    name: &str,
    waited: &str,
    seen: &TimeoutSeen,
) -> String {
    let what = match seen {
        TimeoutSeen::NoStatus => format!(
            "no controller answered: the request still has no status. The {CONTROLLER_NAME} \
             (namespace kyma-integration) fills it in; it does not run on Kyma 2.3 and later or \
             in Compass mode. Check it with `kubectl -n kyma-integration get deploy \
             {CONTROLLER_NAME}`, or see what else is missing with `kubectl tokenrequest doctor`"
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

/// `; retried for 10s`, after transient failures.
pub(super) fn retried_hint(retried_for: &Option<Duration>) -> String {
    match retried_for {
        Some(waited) => format!(" (retried for {}s)", waited.as_secs()),
        None => String::new(),
    }
}
