//! What a wait for the controller saw when its time ran out; its `Display` is the timeout
//! message: the request's last state, and whether the API server was failing or slow
//! meanwhile, before it says that no controller answered.

use std::fmt;
use std::time::Duration;

use crate::tokenrequest::CONTROLLER_NAME;

/// How many failed requests in a row, at the end of a wait, make the API server the one to
/// blame rather than the controller (a short run is a flaky moment, not an outage).
const FAILING_IN_A_ROW: u64 = 4;

/// What the wait saw when its time ran out; its `Display` is the timeout message.
#[derive(Debug, Clone)]
pub struct WaitReport {
    pub namespace: String,
    pub name: String,
    /// The command's `--timeout`.
    pub timeout: Duration,
    /// How much of it went before the wait began (the create).
    pub before_wait: Duration,
    pub seen: Seen,
    pub api: ApiHealth,
}

/// The request's last state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    /// No status at all.
    NoStatus,
    /// `state: OK` with an empty token: the Connector Service failed, the controller retries.
    OkWithoutToken,
    /// A state nobody documented.
    UnknownState(String),
}

/// The API server during the wait.
#[derive(Debug, Clone)]
pub struct ApiHealth {
    pub waited: Duration,
    /// Requests that got an answer that is not a failure.
    pub answered: u64,
    /// Requests that failed: no answer, 5xx or 429.
    pub failed: u64,
    /// How many of them in a row, up to the last.
    pub in_a_row: u64,
    /// How long every request had been failing at the end, if the last one failed.
    pub failing_for: Option<Duration>,
    pub last_failure: Option<String>,
}

impl fmt::Display for WaitReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (namespace, name) = (&self.namespace, &self.name);
        write!(
            f,
            "timed out after {} waiting for TokenRequest {namespace}/{name}: ",
            seconds(self.timeout)
        )?;
        let api = &self.api;
        let get = format!("`kubectl tokenrequest get {name} -n {namespace}`");
        let total = api.answered + api.failed;
        // Failing at the end, try after try, for a while: the controller cannot be judged
        // from here.
        if let Some(failing) = api.failing_for
            && api.in_a_row >= FAILING_IN_A_ROW
            && failing >= Duration::from_secs(1)
        {
            write!(
                f,
                "the API server has failed every request for the last {} (the last {} in a \
                 row, {} of the {total} of the {} wait; last: {}), so whether a controller \
                 answered is unknown. Check the cluster, then see the request with {get}",
                seconds(failing),
                api.in_a_row,
                api.failed,
                seconds(api.waited),
                api.last_failure.as_deref().unwrap_or("no answer")
            )?;
        } else if total == 0 {
            write!(
                f,
                "the API server is slow: the wait's first look at the request had no answer \
                 after {} ({} went on the create before it), so whether a controller answered \
                 is unknown. See the request with {get}, or allow more time with --timeout",
                seconds(api.waited),
                seconds(self.before_wait)
            )?;
        } else {
            match &self.seen {
                Seen::NoStatus => write!(
                    f,
                    "no controller answered{}: the request still has no status. The \
                     {CONTROLLER_NAME} (namespace kyma-integration) fills it in; it does not \
                     run on Kyma 2.3 and later or in Compass mode. Check it with `kubectl -n \
                     kyma-integration get deploy {CONTROLLER_NAME}`, or see what else is \
                     missing with `kubectl tokenrequest doctor`",
                    meanwhile(api)
                )?,
                Seen::OkWithoutToken => write!(
                    f,
                    "the controller answered with state OK but no token: the Connector \
                     Service failed and the {CONTROLLER_NAME} kept retrying. Check the \
                     connector-service logs in namespace kyma-integration"
                )?,
                Seen::UnknownState(state) => write!(
                    f,
                    "the request shows state {}, neither OK nor Error; see it with {get}",
                    crate::text::quote_for_message(state)
                )?,
            }
        }
        write!(f, ". Raise --timeout to wait longer")
    }
}

/// ` (3 of the 20 requests to the API server failed meanwhile)`, when some did.
fn meanwhile(api: &ApiHealth) -> String {
    if api.failed == 0 {
        return String::new();
    }
    format!(
        " ({} of the {} requests to the API server failed meanwhile)",
        api.failed,
        api.answered + api.failed
    )
}

/// `5s`, `1.5s`: a duration as the messages give it.
fn seconds(duration: Duration) -> String {
    let tenths = (duration.as_secs_f64() * 10.0).round() / 10.0;
    format!("{tenths}s")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(api: ApiHealth, seen: Seen) -> String {
        WaitReport {
            namespace: "ns".into(),
            name: "app".into(),
            timeout: Duration::from_secs(20),
            before_wait: Duration::from_secs(3),
            seen,
            api,
        }
        .to_string()
    }

    fn healthy() -> ApiHealth {
        ApiHealth {
            waited: Duration::from_secs(17),
            answered: 4,
            failed: 0,
            in_a_row: 0,
            failing_for: None,
            last_failure: None,
        }
    }

    #[test]
    fn the_report_says_what_the_api_server_did_before_blaming_the_controller() {
        let quiet = report(healthy(), Seen::NoStatus);
        assert!(quiet.starts_with("timed out after 20s waiting for TokenRequest ns/app"));
        assert!(
            quiet.contains("no controller answered: the request"),
            "{quiet}"
        );

        let unreachable = ApiHealth {
            answered: 2,
            failed: 8,
            in_a_row: 8,
            failing_for: Some(Duration::from_secs(15)),
            last_failure: Some("the connection was refused".into()),
            ..healthy()
        };
        let text = report(unreachable, Seen::NoStatus);
        assert!(
            text.contains("failed every request for the last 15s (the last 8 in a row, 8 of the 10 of the 17s wait; last: the connection was refused)"),
            "{text}"
        );
        assert!(!text.contains("no controller answered"), "{text}");

        let recovered = ApiHealth {
            answered: 2,
            failed: 8,
            ..healthy()
        };
        let text = report(recovered, Seen::NoStatus);
        assert!(
            text.contains("no controller answered (8 of the 10 requests to the API server"),
            "{text}"
        );

        let flaky = ApiHealth {
            answered: 7,
            failed: 3,
            in_a_row: 1,
            failing_for: Some(Duration::from_secs(2)),
            last_failure: Some("the API server answered 500".into()),
            ..healthy()
        };
        let text = report(flaky, Seen::NoStatus);
        assert!(
            text.contains("no controller answered (3 of the 10"),
            "{text}"
        );

        let slow = ApiHealth {
            answered: 0,
            ..healthy()
        };
        let text = report(slow, Seen::NoStatus);
        assert!(text.contains("the API server is slow"), "{text}");
        assert!(text.contains("3s went on the create"), "{text}");

        let tokenless = report(healthy(), Seen::OkWithoutToken);
        assert!(tokenless.contains("state OK but no token"), "{tokenless}");
        assert_eq!(seconds(Duration::from_millis(1520)), "1.5s");
    }
}
