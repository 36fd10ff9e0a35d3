//! What the tests of the built `tokenrequest-sandbox` binary share: a child process that dies
//! with the test, signals, `serve` with its `ready` line, `exec` with COMMAND's environment,
//! and the cluster-shaping flags both take.
// Each test binary uses its own part of this module.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use kube::api::{Api, ApiResource, DynamicObject, PostParams};
use tokenrequest_sandbox::controller::token_request_resource;

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

/// Writes COMMAND's environment to `$OUT` (atomically), then waits for `$STOP` to appear
/// (exiting 0) or, with `exec sleep`, for a signal.
pub const DUMP_AND_WAIT: &str =
    r#"env > "$OUT.tmp" && mv "$OUT.tmp" "$OUT" && while [ ! -e "$STOP" ]; do sleep 0.05; done"#;
pub const DUMP_AND_SLEEP: &str =
    r#"echo $$ > "$OUT.pid" && env > "$OUT.tmp" && mv "$OUT.tmp" "$OUT" && exec sleep 600"#;

/// A test directory with the files the shell snippets above use, for `exec`.
pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Scratch {
        Scratch {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("env")
    }

    pub fn stop(&self) -> PathBuf {
        self.dir.path().join("stop")
    }

    /// `BINARY exec FLAGS -- sh -c SCRIPT`, with `OUT` and `STOP` set.
    pub fn spawn(&self, binary: &Path, flags: &[&str], script: &str) -> KillOnDrop {
        KillOnDrop(
            Command::new(binary)
                .arg("exec")
                .args(flags)
                .args(["--", "sh", "-c", script])
                .env("OUT", self.out())
                .env("STOP", self.stop())
                .stdin(Stdio::null())
                .spawn()
                .expect("exec starts"),
        )
    }

    /// COMMAND's environment, once it has written it.
    pub async fn environment(&self) -> HashMap<String, String> {
        let out = self.out();
        let text = tokio::time::timeout(PATIENCE, async {
            loop {
                if let Ok(text) = std::fs::read_to_string(&out) {
                    return text;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
        .await
        .expect("COMMAND runs and writes its environment");
        text.lines()
            .filter_map(|line| line.split_once('='))
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect()
    }
}

/// serve's (and exec's) flags that shape the cluster, as [`assert_knobs_apply`] checks them.
pub const KNOBS: [&str; 7] = [
    "--no-connector",
    "--user",
    "ci=create,get;deployments=",
    "--applications",
    "billing,crm",
    "--controller-deployment",
    "unready",
];

/// A kube client for `context` of the kubeconfig at `path`.
pub async fn client_for_context(path: &Path, context: &str) -> kube::Client {
    let kubeconfig = kube::config::Kubeconfig::read_from(path).unwrap();
    let options = kube::config::KubeConfigOptions {
        context: Some(context.into()),
        ..Default::default()
    };
    let config = kube::Config::from_custom_kubeconfig(kubeconfig, &options)
        .await
        .unwrap();
    kube::Client::try_from(config).unwrap()
}

/// Kyma's Applications.
pub fn applications_resource() -> ApiResource {
    ApiResource {
        group: "applicationconnector.kyma-project.io".into(),
        version: "v1alpha1".into(),
        api_version: "applicationconnector.kyma-project.io/v1alpha1".into(),
        kind: "Application".into(),
        plural: "applications".into(),
    }
}

/// What [`KNOBS`] make of a sandbox, through its kubeconfig: user `ci` may create and get
/// TokenRequests but not list them or see Deployments, the controller's Deployment is unready,
/// and the Applications `billing` and `crm` exist.
pub async fn assert_knobs_apply(kubeconfig_path: &Path) {
    let ci = client_for_context(kubeconfig_path, "sandbox-ci").await;
    let admin = client_for_context(kubeconfig_path, "sandbox").await;

    let tokenrequests: Api<DynamicObject> =
        Api::namespaced_with(ci.clone(), "default", &token_request_resource());
    let object = DynamicObject::new("ci-app", &token_request_resource());
    tokenrequests
        .create(&PostParams::default(), &object)
        .await
        .unwrap();
    assert!(tokenrequests.get("ci-app").await.is_ok());
    let forbidden =
        |result: kube::Result<_>| matches!(result, Err(kube::Error::Api(s)) if s.code == 403);
    assert!(forbidden(
        tokenrequests.list(&Default::default()).await.map(drop)
    ));

    let deployment = Api::<Deployment>::namespaced(admin.clone(), "kyma-integration")
        .get("connection-token-handler")
        .await
        .unwrap();
    assert_eq!(
        deployment.status.unwrap().available_replicas,
        None,
        "unready"
    );
    let ci_deployments = Api::<Deployment>::namespaced(ci, "kyma-integration");
    assert!(forbidden(
        ci_deployments
            .get("connection-token-handler")
            .await
            .map(drop)
    ));

    let listed = Api::<DynamicObject>::all_with(admin, &applications_resource())
        .list(&Default::default())
        .await
        .unwrap();
    let names: Vec<_> = listed
        .items
        .into_iter()
        .filter_map(|item| item.metadata.name)
        .collect();
    assert_eq!(names, ["billing", "crm"]);
}
