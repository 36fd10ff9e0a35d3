//! What `--grace`, `--stale` and `--errored` ask `cleanup` to delete.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

use crate::output::human_duration;
use crate::tokenrequest::{Phase, TokenRequest};

/// What `--grace`, `--stale` and `--errored` ask for, judged against one `now`.
pub(super) struct Rules {
    pub(super) now: Timestamp,
    /// Expired means `expireAfter` lies before this.
    expired_before: Timestamp,
    /// No status and created before this: nobody answered.
    stale_before: Option<Timestamp>,
    errored: bool,
}

impl Rules {
    pub(super) fn new(
        grace: Duration,
        stale: Option<Duration>,
        errored: bool,
        now: Timestamp,
    ) -> Self {
        let before = |age: Duration| {
            SignedDuration::try_from(age)
                .ok()
                .and_then(|age| now.checked_sub(age).ok())
                // A grace longer than the calendar holds: nothing is that old.
                .unwrap_or(Timestamp::MIN)
        };
        Rules {
            now,
            expired_before: before(grace),
            stale_before: stale.map(before),
            errored,
        }
    }

    pub(super) fn judge(&self, request: &TokenRequest) -> Verdict {
        if let Some(Ok(expiry)) = request.expire_after()
            && expiry < self.expired_before
        {
            return Verdict::Delete(Reason::Expired(expiry));
        }
        match request.phase() {
            Phase::Failed if self.errored => {
                return Verdict::Delete(Reason::Errored(request.phase().label().to_string()));
            }
            Phase::Pending => {
                if let (Some(before), Some(created)) = (self.stale_before, request.created_at())
                    && created < before
                {
                    return Verdict::Delete(Reason::Stale(created));
                }
            }
            _ => {}
        }
        match request.expire_after() {
            Some(Err(raw)) => Verdict::CannotJudge(raw.to_string()),
            _ => Verdict::Keep,
        }
    }
}

pub(super) enum Verdict {
    Keep,
    Delete(Reason),
    /// `status.expireAfter` is there but not a timestamp: never delete what cannot be judged.
    CannotJudge(String),
}

pub(super) enum Reason {
    Expired(Timestamp),
    Stale(Timestamp),
    Errored(String),
}

impl Reason {
    pub(super) fn describe(&self, now: Timestamp) -> String {
        match self {
            Reason::Expired(at) => {
                format!("expired {} ago", human_duration(now.duration_since(*at)))
            }
            Reason::Stale(created) => format!(
                "no status for {}",
                human_duration(now.duration_since(*created))
            ),
            Reason::Errored(state) => format!("state {state}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rules `cleanup --grace G [--stale S] [--errored]` asks for.
    struct Args(u64, Option<u64>, bool);

    fn args(grace: u64, stale: Option<u64>, errored: bool) -> Args {
        Args(grace, stale, errored)
    }

    impl Rules {
        fn of(args: &Args, now: Timestamp) -> Rules {
            Rules::new(
                Duration::from_secs(args.0),
                args.1.map(Duration::from_secs),
                args.2,
                now,
            )
        }
    }

    fn request(created: &str, status: Option<serde_json::Value>) -> TokenRequest {
        let mut object = serde_json::json!({
            "apiVersion": "applicationconnector.kyma-project.io/v1alpha1",
            "kind": "TokenRequest",
            "metadata": {"name": "app", "namespace": "ns", "creationTimestamp": created},
        });
        if let Some(status) = status {
            object["status"] = status;
        }
        serde_json::from_value(object).unwrap()
    }

    fn now() -> Timestamp {
        "2026-01-01T12:00:00Z".parse().unwrap()
    }

    fn verdict(rules: &Rules, request: &TokenRequest) -> &'static str {
        match rules.judge(request) {
            Verdict::Keep => "keep",
            Verdict::Delete(Reason::Expired(_)) => "expired",
            Verdict::Delete(Reason::Stale(_)) => "stale",
            Verdict::Delete(Reason::Errored(_)) => "errored",
            Verdict::CannotJudge(_) => "cannot judge",
        }
    }

    #[test]
    fn expiry_honours_the_grace() {
        let expired_a_minute_ago = request(
            "2026-01-01T11:00:00Z",
            Some(serde_json::json!({"state": "OK", "token": "t", "url": "u",
                "expireAfter": "2026-01-01T11:59:00Z"})),
        );
        let plain = Rules::of(&args(0, None, false), now());
        assert_eq!(verdict(&plain, &expired_a_minute_ago), "expired");
        let patient = Rules::of(&args(120, None, false), now());
        assert_eq!(verdict(&patient, &expired_a_minute_ago), "keep");
        let endless = Rules::of(&args(u64::MAX / 4, None, false), now());
        assert_eq!(verdict(&endless, &expired_a_minute_ago), "keep");
    }

    #[test]
    fn stale_means_no_status_for_longer_than_asked() {
        let old_pending = request("2026-01-01T10:00:00Z", None);
        let young_pending = request("2026-01-01T11:59:30Z", None);
        let without_stale = Rules::of(&args(0, None, false), now());
        assert_eq!(verdict(&without_stale, &old_pending), "keep");
        let stale = Rules::of(&args(0, Some(600), false), now());
        assert_eq!(verdict(&stale, &old_pending), "stale");
        assert_eq!(verdict(&stale, &young_pending), "keep");
        let answered = request(
            "2026-01-01T10:00:00Z",
            Some(serde_json::json!({"state": "OK", "token": "", "url": "",
                "expireAfter": "2026-01-01T12:05:00Z"})),
        );
        assert_eq!(verdict(&stale, &answered), "keep");
    }

    #[test]
    fn errored_only_when_asked_and_both_spellings() {
        for state in ["Error", "ERR"] {
            let failed = request(
                "2026-01-01T11:00:00Z",
                Some(serde_json::json!({"state": state, "expireAfter": "2026-01-01T12:05:00Z"})),
            );
            assert_eq!(
                verdict(&Rules::of(&args(0, None, false), now()), &failed),
                "keep"
            );
            assert_eq!(
                verdict(&Rules::of(&args(0, None, true), now()), &failed),
                "errored"
            );
        }
    }

    #[test]
    fn an_unreadable_expiry_is_never_deleted_for_expiry() {
        let odd = request(
            "2026-01-01T10:00:00Z",
            Some(serde_json::json!({"state": "OK", "expireAfter": "yesterday"})),
        );
        let rules = Rules::of(&args(0, Some(1), true), now());
        assert_eq!(verdict(&rules, &odd), "cannot judge");
        let odd_and_failed = request(
            "2026-01-01T10:00:00Z",
            Some(serde_json::json!({"state": "Error", "expireAfter": "yesterday"})),
        );
        assert_eq!(verdict(&rules, &odd_and_failed), "errored");
    }
}
