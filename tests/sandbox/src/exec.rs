//! `tokenrequest-sandbox exec -- COMMAND`: a sandbox in a fresh temporary directory for the
//! length of one command, which finds it through its environment (see the constants below):
//! `KUBECONFIG`, the API server's URL and CA, the Connector Service's URL and CA, the directory
//! itself, and `PATH` with the directory of a `kubectl-tokenrequest` beside this binary first.
//!
//! SIGINT, SIGTERM and SIGHUP sent to exec are passed on to COMMAND; once COMMAND has ended
//! (however it ended) the sandbox shuts down, the directory is removed, and exec exits with
//! COMMAND's status (128 + N when signal N ended it).

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::ExitStatus;

use anyhow::Context as _;

use crate::{Sandbox, SandboxConfig, SandboxFiles};

/// The sandbox's kubeconfig (contexts `sandbox`, `sandbox-nobody`, `sandbox-nowatch`,
/// `sandbox-certuser`).
pub const KUBECONFIG: &str = "KUBECONFIG";
/// The API server's URL, `https://127.0.0.1:PORT`.
pub const URL: &str = "TOKENREQUEST_SANDBOX_URL";
/// The API server's CA certificate (a PEM file; also in the kubeconfig); unset with `--http`.
pub const CA: &str = "TOKENREQUEST_SANDBOX_CA";
/// The Connector Service's https URL; unset with `--no-connector`.
pub const CONNECTOR_URL: &str = "TOKENREQUEST_SANDBOX_CONNECTOR_URL";
/// The Connector Service's CA certificate (a PEM file, for the plugin's
/// `--certificate-authority`); unset with `--no-connector`.
pub const CONNECTOR_CA: &str = "TOKENREQUEST_SANDBOX_CONNECTOR_CA";
/// The temporary directory holding the files above; COMMAND may write there too, it is removed
/// afterwards.
pub const DIR: &str = "TOKENREQUEST_SANDBOX_DIR";

/// Cleared before the ones that apply are set, so nothing leaks in from an outer `exec`.
const SANDBOX_VARIABLES: [&str; 5] = [URL, CA, CONNECTOR_URL, CONNECTOR_CA, DIR];

/// The plugin's binary, whose directory goes first on `PATH` when it lies beside this one.
const PLUGIN_BINARY: &str = "kubectl-tokenrequest";

/// Exit statuses of exec itself, as `env` and shells use them.
pub const FAILED: i32 = 1;
pub const NOT_EXECUTABLE: i32 = 126;
pub const NOT_FOUND: i32 = 127;

/// exec could not run COMMAND to its end; `code` is the status to exit with.
#[derive(Debug, thiserror::Error)]
#[error("{error:#}")]
pub struct ExecError {
    pub code: i32,
    error: anyhow::Error,
}

impl ExecError {
    fn new(code: i32, error: impl Into<anyhow::Error>) -> ExecError {
        ExecError {
            code,
            error: error.into(),
        }
    }
}

impl From<anyhow::Error> for ExecError {
    fn from(error: anyhow::Error) -> Self {
        ExecError::new(FAILED, error)
    }
}

/// Runs `command` (program and arguments) against a sandbox started from `config` and returns
/// its exit status.
pub async fn run(
    config: SandboxConfig,
    namespace: &str,
    command: &[OsString],
) -> Result<i32, ExecError> {
    let (program, arguments) = command
        .split_first()
        .context("exec needs a command to run")?;
    // Before anything exists that a signal could leave behind.
    let mut signals = Signals::catch().context("cannot catch signals")?;
    let dir = tempfile::Builder::new()
        .prefix("tokenrequest-sandbox-")
        .tempdir()
        .context("creating the sandbox's temporary directory")?;
    let files = SandboxFiles::in_dir(dir.path());
    let sandbox = Sandbox::start(config).await?;
    let result = match sandbox.write_files(&files, namespace) {
        Ok(()) => {
            let mut child = tokio::process::Command::new(program);
            child.args(arguments);
            set_environment(&mut child, &sandbox, &files, dir.path());
            match child.spawn() {
                Ok(child) => Ok(wait(child, &mut signals).await),
                Err(error) => Err(spawn_error(program, error)),
            }
        }
        Err(error) => Err(error.into()),
    };
    sandbox.shutdown().await;
    let removed = dir.close();
    let status = result?;
    if let Err(error) = removed {
        tracing::warn!(%error, "could not remove the sandbox's temporary directory");
    }
    Ok(exit_code(status))
}

fn set_environment(
    command: &mut tokio::process::Command,
    sandbox: &Sandbox,
    files: &SandboxFiles,
    dir: &Path,
) {
    for variable in SANDBOX_VARIABLES {
        command.env_remove(variable);
    }
    command
        .env(KUBECONFIG, &files.kubeconfig)
        .env(URL, sandbox.url())
        .env(DIR, dir);
    if sandbox.ca_pem().is_some() {
        command.env(CA, &files.ca);
    }
    if let Some(connector) = sandbox.connector() {
        command
            .env(CONNECTOR_URL, connector.url())
            .env(CONNECTOR_CA, &files.connector_ca);
    }
    if let Some(path) = plugin_first_on_path() {
        command.env("PATH", path);
    }
}

/// `PATH` with this binary's directory first, if a `kubectl-tokenrequest` lies there (as in
/// cargo's `target/debug`, or an install of both).
fn plugin_first_on_path() -> Option<OsString> {
    let here = std::env::current_exe().ok()?;
    let dir = here.parent()?;
    let plugin = dir.join(format!("{PLUGIN_BINARY}{}", std::env::consts::EXE_SUFFIX));
    if !plugin.is_file() {
        return None;
    }
    let rest = std::env::var_os("PATH").unwrap_or_default();
    let paths: Vec<PathBuf> = std::iter::once(dir.to_owned())
        .chain(std::env::split_paths(&rest))
        .collect();
    std::env::join_paths(paths).ok()
}

fn spawn_error(program: &OsStr, error: std::io::Error) -> ExecError {
    let code = match error.kind() {
        std::io::ErrorKind::NotFound => NOT_FOUND,
        std::io::ErrorKind::PermissionDenied => NOT_EXECUTABLE,
        _ => FAILED,
    };
    let program = program.to_string_lossy();
    ExecError::new(
        code,
        anyhow::Error::new(error).context(format!("cannot run {program}")),
    )
}

/// Waits for the child, passing on every signal exec gets meanwhile.
async fn wait(
    mut child: tokio::process::Child,
    signals: &mut Signals,
) -> std::io::Result<ExitStatus> {
    loop {
        tokio::select! {
            status = child.wait() => return status,
            signal = signals.next() => signal.forward(&child),
        }
    }
}

fn exit_code(status: std::io::Result<ExitStatus>) -> i32 {
    let Ok(status) = status else {
        return FAILED;
    };
    if let Some(code) = status.code() {
        return code;
    }
    #[cfg(unix)]
    if let Some(signal) = std::os::unix::process::ExitStatusExt::signal(&status) {
        return 128 + signal;
    }
    FAILED
}

#[cfg(unix)]
struct Signals {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
    hangup: tokio::signal::unix::Signal,
}

#[cfg(unix)]
struct Caught(rustix::process::Signal);

#[cfg(unix)]
impl Signals {
    fn catch() -> std::io::Result<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Signals {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
            hangup: signal(SignalKind::hangup())?,
        })
    }

    async fn next(&mut self) -> Caught {
        use rustix::process::Signal;
        tokio::select! {
            _ = self.interrupt.recv() => Caught(Signal::INT),
            _ = self.terminate.recv() => Caught(Signal::TERM),
            _ = self.hangup.recv() => Caught(Signal::HUP),
        }
    }
}

#[cfg(unix)]
impl Caught {
    fn forward(self, child: &tokio::process::Child) {
        // No id: the child has been reaped already, and its pid may belong to another process.
        let pid = child
            .id()
            .and_then(|id| i32::try_from(id).ok())
            .and_then(rustix::process::Pid::from_raw);
        if let Some(pid) = pid {
            let _ = rustix::process::kill_process(pid, self.0);
        }
    }
}

/// Ctrl-C reaches every process of the console, the child too: exec only outlives it.
#[cfg(not(unix))]
struct Signals;

#[cfg(not(unix))]
struct Caught;

#[cfg(not(unix))]
impl Signals {
    fn catch() -> std::io::Result<Signals> {
        Ok(Signals)
    }

    async fn next(&mut self) -> Caught {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
        Caught
    }
}

#[cfg(not(unix))]
impl Caught {
    fn forward(self, _child: &tokio::process::Child) {}
}
