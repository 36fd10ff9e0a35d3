//! kubectl's AGE format.
//!
//! A port of `HumanDuration` from k8s.io/apimachinery/pkg/util/duration, the function behind
//! every AGE column `kubectl get` prints. It is ported by hand because no crate reproduces it
//! (humantime and jiff's friendly format print every unit, e.g. `4m 12s`, and never switch
//! precision the way kubectl does: `119s`, then `2m1s`, then `10m`, then `3h1m`...). Users
//! compare our AGE with kubectl's, so it must match to the character.

use jiff::SignedDuration;

const SECOND: i128 = 1_000_000_000;
const MINUTE: i128 = 60 * SECOND;
const HOUR: i128 = 60 * MINUTE;

/// A short duration with 2-3 significant figures, exactly as kubectl prints it.
///
/// Go's `int(d.Seconds())` and `d / time.Minute` truncate towards zero; so does integer
/// division here. Like kubectl, up to two seconds in the future count as "now" (clock skew)
/// and anything further in the future is `<invalid>`.
pub fn human_duration(duration: SignedDuration) -> String {
    let nanos = duration.as_nanos();
    let seconds = nanos / SECOND;
    if seconds < -1 {
        return "<invalid>".to_string();
    } else if seconds < 0 {
        return "0s".to_string();
    } else if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = nanos / MINUTE;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    } else if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = nanos / HOUR;
    if hours < 8 {
        let m = minutes % 60;
        if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        }
    } else if hours < 48 {
        format!("{hours}h")
    } else if hours < 24 * 8 {
        let h = hours % 24;
        if h == 0 {
            format!("{}d", hours / 24)
        } else {
            format!("{}d{h}h", hours / 24)
        }
    } else if hours < 24 * 365 * 2 {
        format!("{}d", hours / 24)
    } else if hours < 24 * 365 * 8 {
        let days_in_year = (hours / 24) % 365;
        if days_in_year == 0 {
            format!("{}y", hours / 24 / 365)
        } else {
            format!("{}y{days_in_year}d", hours / 24 / 365)
        }
    } else {
        format!("{}y", hours / 24 / 365)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: i128 = 1_000_000;
    const DAY: i128 = 24 * HOUR;
    const YEAR: i128 = 365 * DAY;

    fn check(cases: &[(i128, &str)]) {
        for &(nanos, want) in cases {
            let duration = SignedDuration::from_nanos_i128(nanos);
            assert_eq!(human_duration(duration), want, "{duration:?}");
        }
    }

    /// `TestHumanDuration` from apimachinery's duration_test.go.
    #[test]
    fn matches_kubectl_examples() {
        check(&[
            (SECOND, "1s"),
            (70 * SECOND, "70s"),
            (190 * SECOND, "3m10s"),
            (70 * MINUTE, "70m"),
            (47 * HOUR, "47h"),
            (49 * HOUR, "2d1h"),
            ((8 * 24 + 2) * HOUR, "8d"),
            (367 * DAY, "367d"),
            ((365 * 2 * 24 + 25) * HOUR, "2y1d"),
            ((365 * 8 * 24 + 2) * HOUR, "8y"),
        ]);
    }

    /// `TestHumanDurationBoundaries` from apimachinery's duration_test.go.
    #[test]
    fn matches_kubectl_boundaries() {
        check(&[
            (-2 * SECOND, "<invalid>"),
            (-2 * SECOND + 1, "0s"),
            (0, "0s"),
            (SECOND - MS, "0s"),
            (2 * MINUTE - MS, "119s"),
            (2 * MINUTE, "2m"),
            (2 * MINUTE + SECOND, "2m1s"),
            (10 * MINUTE - MS, "9m59s"),
            (10 * MINUTE, "10m"),
            (10 * MINUTE + SECOND, "10m"),
            (3 * HOUR - MS, "179m"),
            (3 * HOUR, "3h"),
            (3 * HOUR + MINUTE, "3h1m"),
            (8 * HOUR - MS, "7h59m"),
            (8 * HOUR, "8h"),
            (8 * HOUR + 59 * MINUTE, "8h"),
            (2 * DAY - MS, "47h"),
            (2 * DAY, "2d"),
            (2 * DAY + HOUR, "2d1h"),
            (8 * DAY - MS, "7d23h"),
            (8 * DAY, "8d"),
            (8 * DAY + 23 * HOUR, "8d"),
            (2 * YEAR - MS, "729d"),
            (2 * YEAR, "2y"),
            (2 * YEAR + 23 * HOUR, "2y"),
            (2 * YEAR + 23 * HOUR + 59 * MINUTE, "2y"),
            (2 * YEAR + DAY - MS, "2y"),
            (2 * YEAR + DAY, "2y1d"),
            (3 * YEAR, "3y"),
            (4 * YEAR, "4y"),
            (5 * YEAR, "5y"),
            (6 * YEAR, "6y"),
            (7 * YEAR, "7y"),
            (8 * YEAR - MS, "7y364d"),
            (8 * YEAR, "8y"),
            (8 * YEAR + 364 * DAY, "8y"),
            (9 * YEAR, "9y"),
        ]);
    }
}
