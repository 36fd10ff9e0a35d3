//! What `inspect` prints about a connection directory: a summary, or `-o json` for scripts.
//! Nothing in it is secret: the key is only ever said to match or not.

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use super::duration::human_duration;
use crate::text::quote_for_message;

const DAY_SECONDS: i64 = 24 * 3600;

/// One connection directory as `inspect` found it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Inspection {
    pub directory: String,
    pub application: String,
    pub namespace: String,
    /// When `revoke` retired the directory's files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<Timestamp>,
    pub certificate: CertificateView,
    pub key_matches_certificate: bool,
    pub service: ServiceView,
    /// True when `problems` is empty.
    pub usable: bool,
    pub problems: Vec<String>,
    /// `*.previous` files a renewal that did not finish left.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub leftovers: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificateView {
    pub subject: String,
    pub issuer: String,
    pub serial: String,
    pub fingerprint_sha256: String,
    pub not_before: Timestamp,
    pub not_after: Timestamp,
    /// Negative once expired.
    pub seconds_left: i64,
    /// Days left, rounded to the nearest day as the text says them (a certificate valid for
    /// 92 days has 92 right after it was issued); negative once expired. `seconds_left` is
    /// exact.
    pub days_left: i64,
    pub expired: bool,
}

impl CertificateView {
    pub fn left(not_after: Timestamp, now: Timestamp) -> (i64, i64) {
        let seconds = not_after.duration_since(now).as_secs();
        (seconds, rounded_days(seconds))
    }
}

/// What the Connector Service said about the certificate.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceView {
    pub status: ServiceStatus,
    /// Management info's URL, without query.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The application management info took the certificate for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ServiceStatus {
    /// Management info answered and the renewal probe found it not revoked.
    Accepted,
    Revoked,
    /// The service would not take it (403, a TLS alert): expired there, unknown CA, ….
    Refused,
    /// No verdict: the service could not be reached or answered oddly.
    Unreachable,
    /// `--offline`, or the files alone rule a call out (expired, key mismatch).
    NotChecked,
}

/// `2026-04-03T10:00:00Z (92 days left)`, `… (5h left)`, `… (expired 3d ago)`.
pub fn expiry_text(not_after: Timestamp, now: Timestamp) -> String {
    format!(
        "{not_after} ({})",
        time_left_text(not_after.duration_since(now))
    )
}

/// A duration given on the command line, back in its largest whole unit (`30d`, `2h`, `90s`).
pub fn flag_duration_text(duration: std::time::Duration) -> String {
    let seconds = duration.as_secs();
    match [(DAY_SECONDS as u64, "d"), (3600, "h"), (60, "m")]
        .into_iter()
        .find(|(unit, _)| seconds > 0 && seconds.is_multiple_of(*unit))
    {
        Some((unit, suffix)) => format!("{}{suffix}", seconds / unit),
        None => format!("{seconds}s"),
    }
}

fn time_left_text(left: SignedDuration) -> String {
    let seconds = left.as_secs();
    if seconds <= 0 {
        return format!("expired {} ago", human_duration(-left));
    }
    if seconds < DAY_SECONDS {
        return format!("{} left", human_duration(left));
    }
    match rounded_days(seconds) {
        1 => "1 day left".to_string(),
        days => format!("{days} days left"),
    }
}

/// Days in `seconds`, rounded to the nearest while some are left (a certificate valid for 92
/// days has 92 right after it was issued), whole days ago (negative) once none are. The text
/// and `-o json`'s `daysLeft` both say this number.
fn rounded_days(seconds: i64) -> i64 {
    if seconds <= 0 {
        return seconds.div_euclid(DAY_SECONDS);
    }
    (seconds + DAY_SECONDS / 2).div_euclid(DAY_SECONDS)
}

impl Inspection {
    pub fn render(&self, json: bool, now: Timestamp) -> String {
        if json {
            let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
            text.push('\n');
            return text;
        }
        let certificate = &self.certificate;
        let mut lines = vec![format!(
            "Connection {} (namespace {}) in {}",
            self.application, self.namespace, self.directory
        )];
        let mut row = |label: &str, value: String| lines.push(format!("  {label:<20}{value}"));
        row("subject", certificate.subject.clone());
        row("issuer", certificate.issuer.clone());
        row("serial", certificate.serial.clone());
        row(
            "fingerprint",
            format!("SHA256 {}", certificate.fingerprint_sha256),
        );
        row("valid from", certificate.not_before.to_string());
        row("valid until", expiry_text(certificate.not_after, now));
        row(
            "private key",
            if self.key_matches_certificate {
                "matches the certificate".to_string()
            } else {
                "does NOT match the certificate".to_string()
            },
        );
        row("Connector Service", self.service.describe());
        if let Some(revoked_at) = self.revoked_at {
            row(
                "revoked",
                format!("{revoked_at} by `kubectl tokenrequest revoke`; the files are *.revoked"),
            );
        }
        if !self.leftovers.is_empty() {
            row(
                "left over",
                format!(
                    "{} (from a renewal that did not finish)",
                    self.leftovers.join(", ")
                ),
            );
        }
        let status = if self.usable {
            "ok".to_string()
        } else {
            format!("not usable: {}", self.problems.join("; "))
        };
        row("status", status);
        let mut text = lines.join("\n");
        text.push('\n');
        text
    }
}

impl ServiceView {
    fn describe(&self) -> String {
        let at = self
            .url
            .as_ref()
            .map(|url| format!(" ({url})"))
            .unwrap_or_default();
        let detail = self.detail.as_deref().unwrap_or("");
        match self.status {
            ServiceStatus::Accepted => {
                let application = self.application.as_deref().unwrap_or("");
                let revocation = match detail {
                    "" => "not revoked".to_string(),
                    unknown => format!("revocation not known: {unknown}"),
                };
                format!(
                    "accepts it as application {}, {revocation}{at}",
                    quote_for_message(application)
                )
            }
            ServiceStatus::Revoked => format!("says it is revoked: {detail}{at}"),
            ServiceStatus::Refused => format!("refuses it: {detail}{at}"),
            ServiceStatus::Unreachable => format!("no answer: {detail}{at}"),
            ServiceStatus::NotChecked => format!("not checked: {detail}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn the_text_and_the_json_say_the_same_days() {
        let end = at("2026-04-03T10:00:00Z");
        for seconds in [86_400, 129_599, 129_600, 91 * 86_400 + 1, 92 * 86_400 - 1] {
            let now = end - jiff::SignedDuration::from_secs(seconds);
            let (_, days) = CertificateView::left(end, now);
            let text = expiry_text(end, now);
            let said = if days == 1 {
                "(1 day left)".to_string()
            } else {
                format!("({days} days left)")
            };
            assert!(
                text.ends_with(&said),
                "{seconds}s: {text} vs daysLeft {days}"
            );
        }
    }

    #[test]
    fn time_left_in_days_then_kubectl_units() {
        let end = at("2026-04-03T10:00:00Z");
        assert_eq!(
            expiry_text(end, at("2026-01-01T10:00:00Z")),
            "2026-04-03T10:00:00Z (92 days left)"
        );
        assert_eq!(
            expiry_text(end, at("2026-01-01T10:00:01Z")),
            "2026-04-03T10:00:00Z (92 days left)",
            "rounded, not cut"
        );
        assert_eq!(
            expiry_text(end, at("2026-04-02T09:00:00Z")),
            "2026-04-03T10:00:00Z (1 day left)"
        );
        assert_eq!(
            expiry_text(end, at("2026-04-03T05:00:00Z")),
            "2026-04-03T10:00:00Z (5h left)"
        );
        assert_eq!(
            expiry_text(end, at("2026-04-06T10:00:00Z")),
            "2026-04-03T10:00:00Z (expired 3d ago)"
        );
        assert_eq!(
            CertificateView::left(end, at("2026-04-03T04:00:00Z")),
            (21_600, 0)
        );
        let flag = |seconds| flag_duration_text(std::time::Duration::from_secs(seconds));
        assert_eq!(
            [flag(30 * 86_400), flag(7200), flag(5400), flag(90), flag(0)],
            ["30d", "2h", "90m", "90s", "0s"]
        );
        assert_eq!(
            CertificateView::left(end, at("2026-04-03T11:00:00Z")),
            (-3600, -1)
        );
    }

    fn inspection(service: ServiceView, problems: Vec<String>) -> Inspection {
        Inspection {
            directory: "/srv/my-app".into(),
            application: "my-app".into(),
            namespace: "default".into(),
            revoked_at: None,
            certificate: CertificateView {
                subject: "O=Organization,CN=my-app".into(),
                issuer: "CN=ca".into(),
                serial: "02".into(),
                fingerprint_sha256: "AB:CD".into(),
                not_before: at("2026-01-01T10:00:00Z"),
                not_after: at("2026-04-03T10:00:00Z"),
                seconds_left: 1,
                days_left: 0,
                expired: false,
            },
            key_matches_certificate: true,
            service,
            usable: problems.is_empty(),
            problems,
            leftovers: Vec::new(),
        }
    }

    #[test]
    fn human_and_json_views() {
        let service = ServiceView {
            status: ServiceStatus::Accepted,
            url: Some("https://gw/v1/applications/management/info".into()),
            application: Some("my-app".into()),
            detail: None,
        };
        let text = inspection(service, Vec::new()).render(false, at("2026-01-01T10:00:00Z"));
        assert_eq!(
            text,
            "Connection my-app (namespace default) in /srv/my-app\n\
             \x20 subject             O=Organization,CN=my-app\n\
             \x20 issuer              CN=ca\n\
             \x20 serial              02\n\
             \x20 fingerprint         SHA256 AB:CD\n\
             \x20 valid from          2026-01-01T10:00:00Z\n\
             \x20 valid until         2026-04-03T10:00:00Z (92 days left)\n\
             \x20 private key         matches the certificate\n\
             \x20 Connector Service   accepts it as application \"my-app\", not revoked \
             (https://gw/v1/applications/management/info)\n\
             \x20 status              ok\n"
        );
        let revoked = ServiceView {
            status: ServiceStatus::Revoked,
            url: None,
            application: None,
            detail: Some("\"Certificate has been revoked.\"".into()),
        };
        let report = inspection(
            revoked,
            vec!["the Connector Service says it is revoked".into()],
        );
        let text = report.render(false, at("2026-01-01T10:00:00Z"));
        assert!(
            text.contains("says it is revoked: \"Certificate has been revoked.\""),
            "{text}"
        );
        assert!(
            text.ends_with(
                "status              not usable: the Connector Service says it is revoked\n"
            ),
            "{text}"
        );
        let json: serde_json::Value =
            serde_json::from_str(&report.render(true, at("2026-01-01T10:00:00Z"))).unwrap();
        assert_eq!(json["service"]["status"], "revoked");
        assert_eq!(json["usable"], false);
        assert_eq!(json["certificate"]["notAfter"], "2026-04-03T10:00:00Z");
        assert_eq!(json["certificate"]["fingerprintSha256"], "AB:CD");
        assert_eq!(json["keyMatchesCertificate"], true);
        assert!(json.get("leftovers").is_none());
    }
}
