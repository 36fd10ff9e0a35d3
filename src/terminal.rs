//! Where output goes: data to stdout, colour only on a terminal without `NO_COLOR`.

use std::io::{IsTerminal as _, Write as _};

use crate::error::Error;

/// Writes command output to stdout. A closed pipe (`| head`) is not an error worth a message.
pub fn print(text: &str) -> Result<(), Error> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// Tables are coloured only on a terminal and never when NO_COLOR is set.
pub fn color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
