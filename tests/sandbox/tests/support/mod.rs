//! What the tests of the built `tokenrequest-sandbox` binary share: a child process that dies
//! with the test, signals, and `serve` with its `ready` line.
// Each test binary uses its own part of this module.
#![allow(dead_code)]

use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::Duration;

pub const PATIENCE: Duration = Duration::from_secs(30);

/// The binary under test.
pub fn sandbox_binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tokenrequest-sandbox"))
}

/// Kills the child if a failing assertion leaves it running.
pub struct KillOnDrop(pub Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

impl KillOnDrop {
    /// Sends the signal `name` (`TERM`, `INT`, …) with kill(1).
    pub fn signal(&self, name: &str) {
        let sent = Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.0.id().to_string())
            .status()
            .expect("kill(1) runs");
        assert!(sent.success(), "kill -{name} failed");
    }

    /// Waits up to [`PATIENCE`] for the child to end.
    pub async fn exit(&mut self) -> ExitStatus {
        tokio::time::timeout(PATIENCE, async {
            loop {
                if let Some(exit) = self.0.try_wait().unwrap() {
                    return exit;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
        .await
        .expect("the binary exits in time")
    }

    /// Sends SIGTERM and checks that the binary exits cleanly within [`PATIENCE`].
    pub async fn terminate(&mut self) {
        self.signal("TERM");
        let exit = self.exit().await;
        assert!(exit.success(), "exit after SIGTERM: {exit}");
    }
}

/// The value of `key=` in the `ready` line.
pub fn ready_field<'a>(ready_line: &'a str, key: &str) -> &'a str {
    ready_line
        .split_whitespace()
        .find_map(|word| word.strip_prefix(key)?.strip_prefix('='))
        .unwrap_or_else(|| panic!("the ready line names {key}: {ready_line}"))
}

/// Starts `tokenrequest-sandbox ARGS --kubeconfig-out KUBECONFIG` and returns it with the
/// `ready` line it printed.
pub async fn serve(args: &[&str], kubeconfig: &Path) -> (KillOnDrop, String) {
    let mut child = KillOnDrop(
        sandbox_binary()
            .args(args)
            .arg("--kubeconfig-out")
            .arg(kubeconfig)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the binary starts"),
    );
    let stdout = child.0.stdout.take().unwrap();
    let ready_line = tokio::time::timeout(
        PATIENCE,
        tokio::task::spawn_blocking(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .find(|line| line.contains("ready"))
        }),
    )
    .await
    .expect("`ready` within the timeout")
    .unwrap()
    .expect("a line with `ready` before stdout closed");
    (child, ready_line)
}

/// The DER certificates in a PEM file.
pub fn pem_certificates(path: &str) -> Vec<Vec<u8>> {
    let pem = std::fs::read_to_string(path).unwrap();
    x509_parser::pem::Pem::iter_from_buffer(pem.as_bytes())
        .map(|block| block.unwrap().contents)
        .collect()
}

/// The kube-rs configuration of a kubeconfig file's current context.
pub async fn kube_config(kubeconfig: &Path) -> kube::Config {
    let file = kube::config::Kubeconfig::read_from(kubeconfig).expect("a readable kubeconfig");
    kube::Config::from_custom_kubeconfig(file, &Default::default())
        .await
        .expect("a usable kubeconfig")
}

/// TokenRequests in the configuration's default namespace.
pub fn tokenrequests(config: kube::Config) -> kube::Api<kube::api::DynamicObject> {
    kube::Api::default_namespaced_with(
        kube::Client::try_from(config).expect("a kube client"),
        &tokenrequest_sandbox::controller::token_request_resource(),
    )
}
