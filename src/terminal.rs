//! Where output goes and what stops a run: data to stdout (a closed stdout ends the run
//! quietly, as kubectl dies of SIGPIPE), colour only on a terminal without `NO_COLOR`, and the
//! signals that stop a command (SIGINT and SIGTERM, handled alike).

use std::io::{IsTerminal as _, Write as _};

use crate::error::{Error, Signal};

/// Writes command output to stdout. A closed pipe (`| head`) is [`Error::ClosedStdout`]: the
/// run ends at once with kubectl's status, and nothing is said; any other failure to write
/// (a full disk) is an error that says so.
pub fn print(text: &str) -> Result<(), Error> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

/// Tables are coloured only on a terminal and never when NO_COLOR is set.
pub fn color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Waits for SIGINT or SIGTERM (SIGINT alone where there is no SIGTERM).
pub async fn stop_signal() -> Signal {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            return tokio::select! {
                _ = tokio::signal::ctrl_c() => Signal::Interrupt,
                _ = terminate.recv() => Signal::Terminate,
            };
        }
    }
    let _ = tokio::signal::ctrl_c().await;
    Signal::Interrupt
}

/// Prints `--help` or `--version` as clap renders them, so a failed write is reported (clap's
/// own `exit` ignores it and exits 0 even when nothing reached the reader).
pub fn print_help(help: &clap::Error) -> Result<(), Error> {
    let text = if color() {
        help.render().ansi().to_string()
    } else {
        help.render().to_string()
    };
    print(&text)
}
