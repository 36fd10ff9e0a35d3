//! A run whose stdout and stderr are read as they come, so a test acts once the program shows
//! it is ready (a line it prints at that point) instead of after a fixed delay. Every wait is
//! bounded, so a program that never gets there fails the test instead of hanging it.

use std::time::Duration;

use tokio::io::{AsyncBufReadExt as _, AsyncRead, BufReader};
use tokio::sync::mpsc;

use crate::harness::{Run, TestCluster};

/// Generous bound for a line to appear.
const LINE_LIMIT: Duration = Duration::from_secs(30);
/// Generous bound for the program to end once it was told to.
const EXIT_LIMIT: Duration = Duration::from_secs(60);

/// The parts of the `-v=6` line the plugin logs once the API server answered a watch request,
/// so the watch is open: `GET https://…?…watch=true… 200 OK in 3 milliseconds`.
pub const WATCH_OPEN: &[&str] = &["watch=true", " 200 OK in "];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// `create NAME -n NAMESPACE` (no controller answers it) once it is waiting: the request
/// exists and `-v=6` shows the wait's watch open, so a signal now interrupts the wait.
pub async fn create_waiting(cluster: &TestCluster, name: &str, namespace: &str) -> Running {
    let mut running = Running::spawn(cluster.command(&[
        "create",
        name,
        "-n",
        namespace,
        "--timeout",
        "60s",
        "-v=6",
    ]));
    running.wait_for(Stream::Stderr, WATCH_OPEN).await;
    cluster.wait_until_exists(namespace, name).await;
    running
}

pub struct Running {
    child: tokio::process::Child,
    lines: mpsc::UnboundedReceiver<(Stream, String)>,
    stdout: String,
    stderr: String,
}

impl Running {
    /// Starts `command`, whose stdout and stderr must be piped.
    pub fn spawn(mut command: tokio::process::Command) -> Running {
        let mut child = command.spawn().expect("spawn the command");
        let (sender, lines) = mpsc::unbounded_channel();
        let stdout = child.stdout.take().expect("stdout is piped");
        let stderr = child.stderr.take().expect("stderr is piped");
        tokio::spawn(forward(stdout, Stream::Stdout, sender.clone()));
        tokio::spawn(forward(stderr, Stream::Stderr, sender));
        Running {
            child,
            lines,
            stdout: String::new(),
            stderr: String::new(),
        }
    }

    /// Reads until a line on `stream` contains every one of `parts`; returns it. Everything
    /// read is kept for [`Running::finish`].
    pub async fn wait_for(&mut self, stream: Stream, parts: &[&str]) -> String {
        let found = tokio::time::timeout(LINE_LIMIT, async {
            while let Some((from, line)) = self.lines.recv().await {
                self.keep(from, &line);
                if from == stream && parts.iter().all(|part| line.contains(part)) {
                    return Some(line);
                }
            }
            None
        })
        .await;
        match found {
            Ok(Some(line)) => line,
            outcome => panic!(
                "no line on {stream:?} containing {parts:?} ({}); stdout so far:\n{}\n\
                 stderr so far:\n{}",
                if outcome.is_err() {
                    "timed out"
                } else {
                    "the output ended"
                },
                self.stdout,
                self.stderr
            ),
        }
    }

    /// Sends `signal` (`INT`, `TERM`, …) with kill(1).
    pub fn signal(&self, signal: &str) {
        let pid = self.child.id().expect("the program is still running");
        let sent = std::process::Command::new("kill")
            .args([format!("-{signal}"), pid.to_string()])
            .status()
            .expect("kill(1) runs");
        assert!(sent.success(), "kill -{signal} {pid} failed");
    }

    /// Waits for the program to end and for the rest of its output.
    pub async fn finish(mut self) -> Run {
        let status = tokio::time::timeout(EXIT_LIMIT, self.child.wait())
            .await
            .expect("the program should end in time")
            .expect("the program should run");
        // Both readers end at end of file; a grandchild holding a pipe open is bounded too.
        let _ = tokio::time::timeout(EXIT_LIMIT, async {
            while let Some((from, line)) = self.lines.recv().await {
                self.keep(from, &line);
            }
        })
        .await;
        Run {
            code: status.code().unwrap_or(-1),
            stdout: self.stdout,
            stderr: self.stderr,
        }
    }

    fn keep(&mut self, from: Stream, line: &str) {
        match from {
            Stream::Stdout => self.stdout.push_str(line),
            Stream::Stderr => self.stderr.push_str(line),
        }
    }
}

/// Sends each line of `reader` as read, its line end included (the last one may have none).
async fn forward(
    reader: impl AsyncRead + Unpin,
    stream: Stream,
    lines: mpsc::UnboundedSender<(Stream, String)>,
) {
    let mut reader = BufReader::new(reader);
    let mut line = Vec::new();
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {
                let text = String::from_utf8_lossy(&line).into_owned();
                if lines.send((stream, text)).is_err() {
                    return;
                }
            }
        }
    }
}
