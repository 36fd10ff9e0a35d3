//! A sandbox per test, a kubeconfig pointing at it, and a way to run the plugin binary with a
//! hermetic environment.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use kube::Api;
use kube::api::PostParams;
use kubectl_tokenrequest::tokenrequest::TokenRequest;
use tokenrequest_sandbox::controller::{ControllerConfig, ControllerMode};
use tokenrequest_sandbox::server::{SchemaVersion, ServerConfig};
use tokenrequest_sandbox::{ConnectorConfig, Sandbox, SandboxConfig};

/// Generous bound for any single plugin run; a run that hangs fails the test instead.
const RUN_LIMIT: Duration = Duration::from_secs(60);

pub struct TestCluster {
    pub sandbox: Sandbox,
    pub kubeconfig: PathBuf,
    pub dir: tempfile::TempDir,
}

pub struct Setup {
    pub mode: ControllerMode,
    pub delay: Duration,
    pub ttl: Duration,
    pub sync_period: Duration,
    pub schema: SchemaVersion,
    pub serve_group: bool,
    /// Run a Connector Service too; the controller then issues its tokens.
    pub connector: Option<ConnectorConfig>,
    /// Applications that exist from the start (`create` warns about a missing one).
    pub applications: Vec<String>,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            mode: ControllerMode::Ok,
            delay: Duration::ZERO,
            ttl: Duration::from_secs(300),
            sync_period: Duration::from_secs(30),
            schema: SchemaVersion::Kyma2,
            serve_group: true,
            connector: None,
            applications: Vec::new(),
        }
    }
}

impl Setup {
    pub fn mode(mode: ControllerMode) -> Self {
        Setup {
            mode,
            ..Setup::default()
        }
    }

    pub async fn start(self) -> TestCluster {
        let config = SandboxConfig {
            server: ServerConfig {
                schema: self.schema,
                serve_group: self.serve_group,
                applications: self.applications,
                ..ServerConfig::default()
            },
            controller: ControllerConfig {
                mode: self.mode,
                delay: self.delay,
                ttl: self.ttl,
                sync_period: self.sync_period,
                ..ControllerConfig::default()
            },
            connector: self.connector,
        };
        TestCluster::around(Sandbox::start(config).await.expect("start the sandbox"))
    }
}

pub async fn cluster() -> TestCluster {
    Setup::default().start().await
}

#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn success(&self) -> &Self {
        assert_eq!(self.code, 0, "expected success, got {self:#?}");
        self
    }

    #[track_caller]
    pub fn failure(&self, code: i32, stderr_contains: &str) -> &Self {
        assert_eq!(self.code, code, "expected exit {code}: {self:#?}");
        assert!(
            self.stderr.contains(stderr_contains),
            "stderr should contain {stderr_contains:?}: {self:#?}"
        );
        self
    }
}

impl TestCluster {
    /// A started sandbox with a kubeconfig for it in a fresh temp dir.
    pub fn around(sandbox: Sandbox) -> TestCluster {
        let dir = tempfile::tempdir().expect("temp dir");
        let kubeconfig = dir.path().join("kubeconfig");
        sandbox
            .write_kubeconfig(&kubeconfig)
            .expect("write the kubeconfig");
        TestCluster {
            sandbox,
            kubeconfig,
            dir,
        }
    }

    pub fn api(&self, namespace: &str) -> Api<TokenRequest> {
        Api::namespaced(self.sandbox.admin_client(), namespace)
    }

    /// The plugin with `--kubeconfig` pointing at this sandbox and nothing from the caller's
    /// environment that could change its behaviour.
    pub fn command(&self, args: &[&str]) -> tokio::process::Command {
        let mut command = plugin_command(self.dir.path(), args);
        command.arg("--kubeconfig").arg(&self.kubeconfig);
        command
    }

    pub async fn run(&self, args: &[&str]) -> Run {
        finish(self.command(args).spawn().expect("spawn the plugin")).await
    }

    /// [`TestCluster::run`] with `input` on stdin, closed after it.
    pub async fn run_with_stdin(&self, args: &[&str], input: &str) -> Run {
        let mut command = self.command(args);
        command.stdin(Stdio::piped());
        let mut child = command.spawn().expect("spawn the plugin");
        let mut stdin = child.stdin.take().expect("stdin is piped");
        // A plugin that refuses before reading stdin closes it: that is its answer, not ours.
        let _ = tokio::io::AsyncWriteExt::write_all(&mut stdin, input.as_bytes()).await;
        drop(stdin);
        finish(child).await
    }

    /// The plugin with stdout and stderr on a terminal (`script` gives it a pseudo-terminal,
    /// `TERM=xterm`; the test fails naming `script` if it is missing). Both arrive in
    /// `stdout`, with the terminal's `\r\n` line ends.
    pub async fn run_on_terminal(&self, args: &[&str]) -> Run {
        require("script", &["--version"]);
        let plugin = env!("CARGO_BIN_EXE_kubectl-tokenrequest");
        let words: Vec<String> = [plugin, "--kubeconfig", &self.kubeconfig.to_string_lossy()]
            .into_iter()
            .chain(args.iter().copied())
            .map(|word| format!("'{}'", word.replace('\'', r"'\''")))
            .collect();
        let mut command = hermetic_command("script", self.dir.path());
        // A terminal names its type, as a user's does; without it a terminal is taken for a
        // dumb one and draws no progress.
        command
            .env("TERM", "xterm")
            .args(["-qec", &words.join(" "), "/dev/null"]);
        finish(command.spawn().expect("spawn script")).await
    }

    /// kubectl (which must be installed: the test fails naming it otherwise) against this
    /// sandbox, with the kubeconfig's credentials and the same hermetic environment as
    /// [`TestCluster::command`].
    pub fn kubectl_command(&self, args: &[&str]) -> tokio::process::Command {
        require("kubectl", &["version", "--client"]);
        let mut command = hermetic_command("kubectl", self.dir.path());
        command.args(args).arg("--kubeconfig").arg(&self.kubeconfig);
        command
    }

    pub async fn kubectl(&self, args: &[&str]) -> Run {
        finish(self.kubectl_command(args).spawn().expect("spawn kubectl")).await
    }

    /// Creates a request directly through the API (not through the plugin).
    pub async fn seed(&self, namespace: &str, name: &str) -> TokenRequest {
        self.api(namespace)
            .create(&PostParams::default(), &TokenRequest::new(name, None))
            .await
            .expect("seed a TokenRequest")
    }

    /// Stores `name` in namespace default straight into the store (no HTTP, no controller),
    /// with the status the controller writes and a token that expires `expires_in` seconds from
    /// now (negative: expired that long ago).
    pub fn seed_ready(&self, name: &str, expires_in: i64) {
        self.sandbox
            .server()
            .store()
            .create(serde_json::json!({
                "apiVersion": "applicationconnector.kyma-project.io/v1alpha1",
                "kind": "TokenRequest",
                "metadata": {"name": name, "namespace": "default", "uid": format!("uid-{name}"),
                    "creationTimestamp": rfc3339(-7200), "generation": 1},
                "status": {"token": "t", "url": "https://h/?token=t", "application": name,
                    "expireAfter": rfc3339(expires_in), "state": "OK"},
            }))
            .expect("seed");
    }

    /// Waits until the request exists (e.g. created by a plugin run in the background).
    pub async fn wait_until_exists(&self, namespace: &str, name: &str) -> TokenRequest {
        let api = self.api(namespace);
        tokio::time::timeout(RUN_LIMIT, async {
            loop {
                if let Ok(Some(found)) = api.get_opt(name).await {
                    return found;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
        .await
        .expect("the request should appear")
    }
}

/// The plugin with `args`, `HOME` at `home` and nothing else from the caller's environment that
/// could change its behaviour; no kubeconfig (for commands that need no cluster).
pub fn plugin_command(home: &std::path::Path, args: &[&str]) -> tokio::process::Command {
    let mut command = hermetic_command(env!("CARGO_BIN_EXE_kubectl-tokenrequest"), home);
    command.args(args);
    command
}

/// `program` with only PATH, HOME (at `home`) and NO_COLOR set, no stdin, stdout and stderr
/// captured, killed if the test drops it.
pub fn hermetic_command(program: &str, home: &std::path::Path) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(program);
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    command
}

pub async fn finish(child: tokio::process::Child) -> Run {
    let output = tokio::time::timeout(RUN_LIMIT, child.wait_with_output())
        .await
        .expect("the plugin should finish in time")
        .expect("the plugin should run");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A timestamp `offset_seconds` from now, as the API server writes them.
pub fn rfc3339(offset_seconds: i64) -> String {
    let at = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(offset_seconds);
    at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The token of a ready request, read through the admin client.
pub async fn token_of(cluster: &TestCluster, namespace: &str, name: &str) -> String {
    let request = cluster.api(namespace).get(name).await.expect("get");
    request
        .status
        .and_then(|s| s.token)
        .expect("the request should have a token")
}

/// Fails the test, naming the tool, when `program` is not on `PATH`: a test that needs a tool
/// never passes without running (`.ci/run` installs what the tests need).
#[track_caller]
pub fn require(program: &str, args: &[&str]) {
    let found = std::process::Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    assert!(
        found,
        "this test needs `{program}` on PATH (`{program} {}` did not succeed); install it",
        args.join(" ")
    );
}

/// Secrets never reach stderr: call on every run that saw a token.
#[track_caller]
pub fn assert_no_secret(run: &Run, token: &str) {
    assert!(!token.is_empty());
    assert!(
        !run.stderr.contains(token),
        "the token leaked into stderr: {}",
        run.stderr
    );
}
