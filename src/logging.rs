//! `-v`/`--v`: kube's and the plugin's `tracing` events on stderr, one line each, and a panic
//! hook. Neither may ever show a token.
//!
//! kube logs request URLs (no token in them: the plugin never puts one in a URL) but also, on a
//! response it cannot decode, the whole response body, and a TokenRequest's body holds the
//! token and the URL that carries it. So every log line passes through [`redact`] before it
//! reaches stderr, whatever its level or source.

use std::io::Write;

use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

/// What replaces a secret in a log line.
pub const REDACTED: &str = "[redacted]";

/// kubectl's `-v` levels mapped onto `tracing` levels: 0 nothing, 1–3 info, 4–6 debug (every
/// request kube sends), 7 and more trace. Without `-v`, `RUST_LOG` may name a plain level
/// (`info`, `debug`, ...); per-target filters are not supported.
pub fn level(verbosity: u8, rust_log: Option<&str>) -> LevelFilter {
    match verbosity {
        0 => rust_log
            .and_then(|text| text.trim().parse().ok())
            .unwrap_or(LevelFilter::OFF),
        1..=3 => LevelFilter::INFO,
        4..=6 => LevelFilter::DEBUG,
        _ => LevelFilter::TRACE,
    }
}

/// Sends `tracing` events at `level` and above to stderr, redacted. Does nothing for `OFF`.
/// Below trace the plugin's own events are shown and only the warnings of its dependencies,
/// so a request is one line, as kubectl's `-v=6` (kube, hyper and tower would add six more;
/// kube's own line for a failed request repeats the plugin's); at trace everything is.
pub fn init(level: LevelFilter) {
    if level == LevelFilter::OFF {
        return;
    }
    let trace = level >= LevelFilter::TRACE;
    let others = if trace {
        LevelFilter::TRACE
    } else {
        LevelFilter::WARN.min(level)
    };
    let targets = Targets::new()
        .with_target(env!("CARGO_CRATE_NAME"), level)
        .with_target(
            "kube_client::client::builder",
            if trace { level } else { LevelFilter::OFF },
        )
        .with_default(others);
    // Fails only if a subscriber is already set, which is then left as it is.
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_target(level >= LevelFilter::TRACE)
        .with_writer(RedactingStderr)
        .finish()
        .with(targets)
        .try_init();
}

/// A panic says where it happened, never what: its message may hold an object (and a token).
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|location| format!(" at {}:{}", location.file(), location.line()))
            .unwrap_or_default();
        eprintln!(
            "error: internal error{location} (a bug in kubectl-tokenrequest; its details are not \
             shown because they may contain a token). Please report it with the command you ran"
        );
    }));
}

/// Hands the fmt layer one buffer per event; the buffer is redacted and written to stderr in
/// one piece when the event is done.
struct RedactingStderr;

impl<'a> MakeWriter<'a> for RedactingStderr {
    type Writer = RedactedLine;

    fn make_writer(&'a self) -> Self::Writer {
        RedactedLine(Vec::new())
    }
}

struct RedactedLine(Vec<u8>);

impl Write for RedactedLine {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for RedactedLine {
    fn drop(&mut self) {
        let line = redact(&String::from_utf8_lossy(&self.0));
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
    }
}

/// Replaces the values of `token` fields and parameters (`"token":"…"`, `token=…`,
/// `token: Some("…")`, JSON escaped or not) and of `Bearer …` credentials with [`REDACTED`].
///
/// Written here rather than with `regex`: the plugin has no regex engine otherwise, and the
/// rule is a keyword, a few separator characters and a value up to a delimiter.
pub fn redact(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut search_from = 0;
    while let Some((keyword_end, is_bearer)) = next_keyword(&lower, search_from) {
        search_from = keyword_end;
        let value_start = skip_separators(text, keyword_end, is_bearer);
        let Some(value_start) = value_start else {
            continue;
        };
        let value_end = text[value_start..]
            .find(|c: char| c.is_whitespace() || "\"\\&,;}])'<>".contains(c))
            .map_or(text.len(), |offset| value_start + offset);
        if value_end == value_start {
            continue;
        }
        out.push_str(&text[copied..value_start]);
        out.push_str(REDACTED);
        copied = value_end;
        search_from = value_end;
    }
    out.push_str(&text[copied..]);
    out
}

/// The end of the next `token` or `bearer` keyword at or after `from`, and which one it is.
fn next_keyword(lower: &str, from: usize) -> Option<(usize, bool)> {
    let rest = &lower[from..];
    let token = rest
        .find("token")
        .map(|at| (from + at + "token".len(), false));
    let bearer = rest
        .find("bearer")
        .map(|at| (from + at + "bearer".len(), true));
    match (token, bearer) {
        (Some(t), Some(b)) => Some(if t <= b { t } else { b }),
        (one, other) => one.or(other),
    }
}

/// Where the value after a keyword starts, if what follows the keyword looks like an
/// assignment (`=`, `:`, quotes, `Some(`) or, after `bearer`, a space.
fn skip_separators(text: &str, mut at: usize, is_bearer: bool) -> Option<usize> {
    let mut assigned = false;
    loop {
        let rest = &text[at..];
        if let Some(after) = rest.strip_prefix("Some(") {
            at = text.len() - after.len();
            continue;
        }
        match rest.chars().next() {
            Some(c @ ('=' | ':')) => {
                assigned = true;
                at += c.len_utf8();
            }
            Some(' ') if is_bearer => {
                assigned = true;
                at += 1;
            }
            Some(c @ ('"' | '\\' | ' ' | '\'')) => at += c.len_utf8(),
            _ => break,
        }
    }
    assigned.then_some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "AbC-12_x==";

    #[test]
    fn token_values_are_redacted_in_every_spelling() {
        for line in [
            format!(r#"{{"status":{{"token":"{SECRET}","state":"OK"}}}}"#),
            format!(r#"{{\"token\":\"{SECRET}\"}}"#),
            format!("https://connector-service.example.com/v1/info?token={SECRET}&x=1"),
            format!("TokenRequestStatus {{ token: Some(\"{SECRET}\"), url: None }}"),
            format!("token={SECRET}"),
            format!("authorization: Bearer {SECRET}"),
            format!("\"Authorization\": \"bearer {SECRET}\""),
            format!("TOKEN: {SECRET}\nnext line"),
        ] {
            let redacted = redact(&line);
            assert!(!redacted.contains(SECRET), "{line} -> {redacted}");
            assert!(redacted.contains(REDACTED), "{line} -> {redacted}");
        }
    }

    #[test]
    fn other_text_is_left_alone() {
        for line in [
            "GET /apis/applicationconnector.kyma-project.io/v1alpha1/namespaces/default/tokenrequests?watch=true",
            "requesting tokenrequests for my-app",
            "token",
            "",
            "a token expired",
        ] {
            assert_eq!(redact(line), line);
        }
        assert_eq!(
            redact(r#"{"token":"s","url":"u?token=s"} tail"#),
            r#"{"token":"[redacted]","url":"u?token=[redacted]"} tail"#
        );
    }

    #[test]
    fn verbosity_maps_to_levels() {
        assert_eq!(level(0, None), LevelFilter::OFF);
        assert_eq!(level(0, Some("debug")), LevelFilter::DEBUG);
        assert_eq!(level(0, Some("kube=debug")), LevelFilter::OFF);
        assert_eq!(level(2, Some("trace")), LevelFilter::INFO);
        assert_eq!(level(6, None), LevelFilter::DEBUG);
        assert_eq!(level(9, None), LevelFilter::TRACE);
    }
}
