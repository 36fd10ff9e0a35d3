//! Progress on stderr, only when stderr is a terminal: a spinner while a command waits, a bar
//! while `cleanup` deletes. Lines printed through it ([`Progress::note`]) never tear it. It is
//! never given a token. It is the [`Observer`] commands hand the client: it shows what the
//! client waits for and, on a terminal, says when requests are being retried.

use std::io::IsTerminal as _;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::requests::{Observer, Retry};

/// A spinner or a bar, hidden (and silent) unless stderr is a terminal.
pub struct Progress {
    bar: ProgressBar,
    /// Failures so far, for a bar of several Applications.
    failed: std::sync::atomic::AtomicU64,
    /// Whether what the client waits for is shown (a spinner's message; a counting bar's
    /// message is its failures).
    shows_status: bool,
}

impl Progress {
    /// A spinner with a message and the time waited so far.
    pub fn spinner(message: String) -> Self {
        let progress = Self::shown(
            None,
            "{spinner} {msg} ({elapsed})",
            Duration::from_millis(120),
        );
        progress.bar.set_message(message);
        progress
    }

    /// Nothing drawn; notes and (on a terminal) retry notices still reach stderr.
    pub fn none() -> Self {
        Progress {
            bar: ProgressBar::hidden(),
            failed: Default::default(),
            shows_status: false,
        }
    }

    /// A bar of `done/total unit`, whose total grows as work is found.
    pub fn bar(unit: &str) -> Self {
        Self::shown(
            Some(0),
            &format!("{{wide_bar}} {{pos}}/{{len}} {unit} ({{elapsed}})"),
            Duration::from_millis(200),
        )
    }

    /// A bar of `done/total unit, N failed` for a run over several Applications.
    pub fn counting(unit: &str) -> Self {
        Self::shown(
            Some(0),
            &format!("{{wide_bar}} {{pos}}/{{len}} {unit}{{msg}} ({{elapsed}})"),
            Duration::from_millis(200),
        )
    }

    fn shown(length: Option<u64>, template: &str, tick: Duration) -> Self {
        let shows_status = length.is_none();
        let bar = ProgressBar::with_draw_target(length, ProgressDrawTarget::stderr());
        if !bar.is_hidden() {
            bar.set_style(
                ProgressStyle::with_template(template)
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.enable_steady_tick(tick);
        }
        Progress {
            bar,
            failed: Default::default(),
            shows_status,
        }
    }

    pub fn set_message(&self, message: String) {
        self.bar.set_message(message);
    }

    /// One more piece of work to do.
    pub fn add_work(&self) {
        self.bar.inc_length(1);
    }

    /// One piece of work done.
    pub fn done_one(&self) {
        self.bar.inc(1);
    }

    /// `count` more pieces of work to do.
    pub fn add_work_of(&self, count: usize) {
        self.bar
            .inc_length(u64::try_from(count).unwrap_or(u64::MAX));
    }

    /// One piece of work done, `ok` or failed (the bar counts the failures).
    pub fn done_one_of(&self, ok: bool) {
        if !ok {
            let failed = self
                .failed
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                + 1;
            self.bar.set_message(format!(", {failed} failed"));
        }
        self.bar.inc(1);
    }

    /// A line on stderr, above the spinner or bar when there is one.
    pub fn note(&self, line: &str) {
        self.bar.suspend(|| eprintln!("{line}"));
    }

    /// Clears the spinner or bar; dropping it does the same.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Observer for Progress {
    fn status(&self, message: &str) {
        if self.shows_status {
            self.set_message(message.to_string());
        }
    }

    /// The first retry is a blip and passes silently; from the second on, a line on a
    /// terminal says what failed, which try it was and for how long it has been failing.
    fn retrying(&self, retry: &Retry<'_>) {
        if retry.attempt < 2 || !std::io::stderr().is_terminal() {
            return;
        }
        self.note(&retry_notice(retry));
    }

    fn note(&self, line: &str) {
        Progress::note(self, line);
    }
}

fn retry_notice(retry: &Retry<'_>) -> String {
    format!(
        "retrying {}: {} (try {} failed, {:.1}s since the first; next in {:.1}s)",
        retry.action,
        retry.cause,
        retry.attempt,
        retry.since.as_secs_f64(),
        retry.delay.as_secs_f64()
    )
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_retry_notice_says_what_which_try_and_since_when() {
        let notice = retry_notice(&Retry {
            action: "listing TokenRequests in namespace default",
            attempt: 3,
            since: Duration::from_millis(1250),
            cause: "the API server answered 503 ServiceUnavailable",
            delay: Duration::from_millis(400),
        });
        assert_eq!(
            notice,
            "retrying listing TokenRequests in namespace default: the API server answered 503 \
             ServiceUnavailable (try 3 failed, 1.2s since the first; next in 0.4s)"
        );
    }
}
