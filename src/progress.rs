//! Progress on stderr, only when stderr is a terminal: a spinner while a command waits, a bar
//! while `cleanup` deletes. Lines printed through it ([`Progress::note`]) never tear it. It is
//! never given a token.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A spinner or a bar, hidden (and silent) unless stderr is a terminal.
pub struct Progress {
    bar: ProgressBar,
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

    /// A bar of `done/total unit`, whose total grows as work is found.
    pub fn bar(unit: &str) -> Self {
        Self::shown(
            Some(0),
            &format!("{{wide_bar}} {{pos}}/{{len}} {unit} ({{elapsed}})"),
            Duration::from_millis(200),
        )
    }

    fn shown(length: Option<u64>, template: &str, tick: Duration) -> Self {
        let bar = ProgressBar::with_draw_target(length, ProgressDrawTarget::stderr());
        if !bar.is_hidden() {
            bar.set_style(
                ProgressStyle::with_template(template)
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.enable_steady_tick(tick);
        }
        Progress { bar }
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

    /// A line on stderr, above the spinner or bar when there is one.
    pub fn note(&self, line: &str) {
        self.bar.suspend(|| eprintln!("{line}"));
    }

    /// Clears the spinner or bar; dropping it does the same.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
