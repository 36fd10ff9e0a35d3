//! How the client tells whoever runs it what is going on while it works: the command passes
//! an [`Observer`] in and shows what it hears as it likes (a spinner and notes on a terminal,
//! nothing off one). Nothing handed to an observer holds a token.

use std::time::Duration;

/// Hears what the client is doing. Every method has a default that ignores it.
pub trait Observer: Send + Sync {
    /// What the client is waiting for now, in words (the spinner's message).
    fn status(&self, _message: &str) {}

    /// A request failed in a way worth another try, which follows after `retry.delay`.
    fn retrying(&self, _retry: &Retry<'_>) {}

    /// A change of course worth a line of its own (watching forbidden: polling instead).
    fn note(&self, _line: &str) {}
}

/// One retry, as [`Observer::retrying`] hears of it.
#[derive(Debug, Clone, Copy)]
pub struct Retry<'a> {
    /// What was being done (`listing TokenRequests in namespace default`).
    pub action: &'a str,
    /// The try that failed: 1 for the first.
    pub attempt: u32,
    /// Since the first try.
    pub since: Duration,
    /// What failed, in words.
    pub cause: &'a str,
    /// Until the next try.
    pub delay: Duration,
}

/// An observer that hears nothing.
pub struct Silent;

impl Observer for Silent {}
