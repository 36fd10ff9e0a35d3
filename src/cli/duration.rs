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

#[cfg(test)]
mod tests {
    use super::*;

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
}
