//! kubectl-style durations.

use std::time::Duration;

/// Parses kubectl-style durations: `0`, `90s`, `1m30s`, `2h`, `1.5s`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if text == "0" {
        return Ok(Duration::ZERO);
    }
    // jiff's "friendly" format covers kubectl's Go-style durations (already a dependency).
    let parsed: jiff::SignedDuration = text.parse().map_err(|_| {
        format!("invalid duration {text:?}: use a number with a unit, e.g. 30s, 1m30s, 2h")
    })?;
    if parsed.is_negative() {
        return Err(format!(
            "invalid duration {text:?}: it must not be negative"
        ));
    }
    Duration::try_from(parsed).map_err(|e| format!("invalid duration {text:?}: {e}"))
}

/// kubectl's `--request-timeout`: a duration, or a bare number of seconds (`5`).
pub fn parse_request_timeout(text: &str) -> Result<Duration, String> {
    match text.trim().parse::<u64>() {
        Ok(seconds) => Ok(Duration::from_secs(seconds)),
        Err(_) => parse_duration(text),
    }
}

/// A boolean flag's value as pflag reads it (Go's `strconv.ParseBool`). Written here because
/// clap's `BoolishValueParser` also takes `yes`, `on` and more, which kubectl refuses.
pub fn parse_bool(text: &str) -> Result<bool, String> {
    match text {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
        _ => Err(format!(
            "invalid boolean {text:?}: use true or false (also 1, t, T, TRUE, True, 0, f, F, \
             FALSE, False)"
        )),
    }
}

/// [`parse_duration`], plus days and weeks of 24-hour days (`30d`, `1w`, `2d12h`), for
/// certificate lifetimes, which kubectl's units are too short for. Months and years are
/// refused: their length depends on the date.
pub fn parse_duration_with_days(text: &str) -> Result<Duration, String> {
    if let Ok(duration) = parse_duration(text) {
        return Ok(duration);
    }
    let text = text.trim();
    let invalid =
        || format!("invalid duration {text:?}: use a number with a unit, e.g. 30d, 12h, 1d12h");
    let span: jiff::Span = text.parse().map_err(|_| invalid())?;
    if span.get_years() != 0 || span.get_months() != 0 {
        return Err(format!(
            "invalid duration {text:?}: months and years have no fixed length; use days, e.g. 90d"
        ));
    }
    let parsed = span
        .to_duration(jiff::SpanRelativeTo::days_are_24_hours())
        .map_err(|_| invalid())?;
    if parsed.is_negative() {
        return Err(format!(
            "invalid duration {text:?}: it must not be negative"
        ));
    }
    Duration::try_from(parsed).map_err(|e| format!("invalid duration {text:?}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificate_durations_take_days_and_weeks() {
        const DAY: u64 = 24 * 3600;
        assert_eq!(
            parse_duration_with_days("30d"),
            Ok(Duration::from_secs(30 * DAY))
        );
        assert_eq!(
            parse_duration_with_days("1w"),
            Ok(Duration::from_secs(7 * DAY))
        );
        assert_eq!(
            parse_duration_with_days("2d12h"),
            Ok(Duration::from_secs(2 * DAY + 12 * 3600))
        );
        assert_eq!(parse_duration_with_days("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration_with_days("0"), Ok(Duration::ZERO));
        assert!(
            parse_duration("30d").is_err(),
            "kubectl's durations stay kubectl's"
        );
        assert!(
            parse_duration_with_days("1mo")
                .unwrap_err()
                .contains("no fixed length")
        );
        assert!(
            parse_duration_with_days("-3d")
                .unwrap_err()
                .contains("negative")
        );
        assert!(parse_duration_with_days("30").unwrap_err().contains("30d"));
        assert!(parse_duration_with_days("soon").is_err());
    }

    #[test]
    fn durations_parse_like_kubectl() {
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        assert_eq!(parse_duration("60s"), Ok(Duration::from_secs(60)));
        assert_eq!(parse_duration("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert!(parse_duration("60").unwrap_err().contains("with a unit"));
        assert!(parse_duration("-5s").unwrap_err().contains("negative"));
        assert!(parse_duration("soon").is_err());
    }

    #[test]
    fn request_timeouts_take_bare_seconds_like_kubectl() {
        assert_eq!(parse_request_timeout("5"), Ok(Duration::from_secs(5)));
        assert_eq!(parse_request_timeout("0"), Ok(Duration::ZERO));
        assert_eq!(parse_request_timeout("1m"), Ok(Duration::from_secs(60)));
        assert!(parse_request_timeout("-1").is_err());
        assert!(parse_request_timeout("soon").is_err());
    }

    #[test]
    fn booleans_parse_like_pflag() {
        for text in ["1", "t", "T", "TRUE", "true", "True"] {
            assert_eq!(parse_bool(text), Ok(true), "{text}");
        }
        for text in ["0", "f", "F", "FALSE", "false", "False"] {
            assert_eq!(parse_bool(text), Ok(false), "{text}");
        }
        for text in ["yes", "on", "", "tRuE"] {
            assert!(parse_bool(text).is_err(), "{text}");
        }
    }
}
