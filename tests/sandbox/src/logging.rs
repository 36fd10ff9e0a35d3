//! The binary's `tracing` subscriber (a module of main.rs; the library only emits events): one
//! line per event, on stderr or appended to `--log FILE`. Spans are ignored.
//!
//! What it keeps: info and up from this crate, warnings and up from libraries; debug from
//! everything with `--verbose`. `exec` without `--log` shares stderr with COMMAND, so there it
//! keeps only this crate's warnings, each cut to one line: the libraries' errors there are
//! mostly the kube client's complaints about faults the user injected, expected and noise.

use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::Mutex;

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

pub struct Log {
    pub verbose: bool,
    /// Only this crate's warnings, one line each (exec's stderr).
    pub quiet: bool,
    /// `--log FILE`; stderr without it.
    pub file: Option<Mutex<std::fs::File>>,
}

impl Log {
    fn compact(&self) -> bool {
        self.quiet && !self.verbose
    }
}

impl Subscriber for Log {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        let ours = metadata.target().starts_with("tokenrequest_sandbox");
        let most_detailed = match (self.verbose, ours, self.quiet) {
            (true, _, _) => Level::DEBUG,
            (false, false, true) => return false,
            (false, true, false) => Level::INFO,
            (false, _, _) => Level::WARN,
        };
        *metadata.level() <= most_detailed
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let metadata = event.metadata();
        let mut line = format!("{} {}:", metadata.level(), metadata.target());
        event.record(&mut LineWriter {
            line: &mut line,
            compact: self.compact(),
        });
        line.push('\n');
        match &self.file {
            Some(file) => {
                let mut file = file.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                let _ = file.write_all(line.as_bytes());
            }
            None => {
                let _ = std::io::stderr().lock().write_all(line.as_bytes());
            }
        }
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

struct LineWriter<'a> {
    line: &'a mut String,
    compact: bool,
}

impl Visit for LineWriter<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.record_debug(field, &format_args!("{value}"));
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let text = format!("{value:?}");
        let text = if self.compact { summary(&text) } else { &text };
        let _ = match field.name() {
            "message" => write!(self.line, " {text}"),
            name => write!(self.line, " {name}={text}"),
        };
    }
}

/// `text` up to its first line break and its first Debug dump of a struct (`Name { …`), without
/// the ` (` or `: ` that leads into it. kube appends the whole `Status { … }` to an API error
/// whose message has already said what the Status holds.
fn summary(text: &str) -> &str {
    let line = text.lines().next().unwrap_or_default();
    let end = line
        .match_indices(" {")
        .find_map(|(brace, _)| {
            let start = line[..brace]
                .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .map_or(0, |before| before + 1);
            line[start..brace]
                .starts_with(|c: char| c.is_ascii_uppercase())
                .then_some(start)
        })
        .unwrap_or(line.len());
    line[..end].trim_end_matches([' ', '(', ':'])
}

#[cfg(test)]
mod tests {
    use super::summary;

    #[test]
    fn a_summary_is_one_line_without_debug_dumps() {
        assert_eq!(
            summary(
                "request failed: ApiError: injected fault: InternalError (Status { status: \
                 Some(Failure), code: 500 })"
            ),
            "request failed: ApiError: injected fault: InternalError"
        );
        assert_eq!(summary("first line\nsecond"), "first line");
        assert_eq!(
            summary("client error (SendRequest)"),
            "client error (SendRequest)"
        );
        assert_eq!(summary("map { a }"), "map { a }");
    }
}
