//! kubectl 1.32 against the sandbox: create with client-side OpenAPI validation, get as table,
//! JSON and YAML, watch an update made through kube-rs, delete (kubectl then waits for the
//! object to go), and list across namespaces. Skips with a notice when kubectl is absent.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use kube::api::{Api, ApiResource, DynamicObject, GroupVersionKind, PostParams};
use serde_json::{Value, json};
use tokenrequest_sandbox::server::{self, ServerConfig, ServerHandle, User, Verbs};

const TOKEN: &str = "sandbox-admin-token";

fn find_kubectl() -> Option<PathBuf> {
    let fixed = PathBuf::from("/usr/bin/kubectl");
    if fixed.is_file() {
        return Some(fixed);
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("kubectl"))
            .find(|candidate| candidate.is_file())
    })
}

/// A kubeconfig for the sandbox, written by hand so this test needs nothing but the server.
/// kubectl (clientcmd) sends credentials only to `https://` servers, so over plain http the
/// token is never used: the server must let anonymous requests in (see the test).
fn write_kubeconfig(path: &Path, url: &str) {
    let config = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: sandbox\n  cluster:\n    server: {url}\nusers:\n- name: admin\n  user:\n    token: {TOKEN}\ncontexts:\n- name: sandbox\n  context:\n    cluster: sandbox\n    user: admin\n    namespace: default\ncurrent-context: sandbox\n"
    );
    std::fs::write(path, config).expect("kubeconfig written");
}

struct Kubectl {
    binary: PathBuf,
    kubeconfig: PathBuf,
}

impl Kubectl {
    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(&self.binary);
        command
            .arg("--kubeconfig")
            .arg(&self.kubeconfig)
            .args(args)
            .env_remove("KUBECONFIG")
            .env(
                "HOME",
                self.kubeconfig.parent().expect("kubeconfig in a dir"),
            );
        command
    }

    /// Runs kubectl off the async runtime and insists it succeeded.
    async fn run(&self, args: &[&str]) -> String {
        let mut command = self.command(args);
        command.arg("--request-timeout=30s");
        let output: Output = tokio::task::spawn_blocking(move || command.output())
            .await
            .expect("kubectl task")
            .expect("kubectl runs");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            output.status.success(),
            "kubectl {args:?} failed: {}\nstdout: {stdout}\nstderr: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        // Discovery or decoding trouble shows up as warnings on stderr even on success.
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.trim().is_empty(),
            "kubectl {args:?} complained: {stderr}"
        );
        stdout
    }
}

fn tokenrequests(server: &ServerHandle, namespace: &str) -> Api<DynamicObject> {
    let mut config = kube::Config::new(server.url().parse().expect("server URL"));
    config.auth_info.token = Some(TOKEN.to_string().into());
    let client = kube::Client::try_from(config).expect("kube client");
    let gvk = GroupVersionKind::gvk(
        "applicationconnector.kyma-project.io",
        "v1alpha1",
        "TokenRequest",
    );
    let resource = ApiResource::from_gvk_with_plural(&gvk, "tokenrequests");
    Api::namespaced_with(client, namespace, &resource)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_works_against_the_sandbox() {
    let Some(binary) = find_kubectl() else {
        eprintln!("kubectl not found: skipping the kubectl parity test");
        return;
    };
    // kubectl sends no token over http: its requests are anonymous, so allow anonymous.
    let mut config = ServerConfig::default();
    config.users.push(User::anonymous(Verbs::ALL));
    let server = server::start(config).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("kubeconfig");
    write_kubeconfig(&kubeconfig, &server.url());
    let kubectl = Kubectl { binary, kubeconfig };

    let manifest = dir.path().join("tokenrequest.yaml");
    std::fs::write(
        &manifest,
        "apiVersion: applicationconnector.kyma-project.io/v1alpha1\nkind: TokenRequest\nmetadata:\n  name: parity-app\n",
    )
    .unwrap();
    let created = kubectl
        .run(&["create", "-f", manifest.to_str().unwrap()])
        .await;
    assert!(
        created.contains("tokenrequest.applicationconnector.kyma-project.io/parity-app created"),
        "{created}"
    );

    let table = kubectl.run(&["get", "tokenrequests"]).await;
    let header: Vec<&str> = table
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    assert_eq!(header, ["NAME", "AGE"], "{table}");
    assert!(
        table.lines().any(|line| line.starts_with("parity-app ")),
        "{table}"
    );

    let object: Value = serde_json::from_str(
        &kubectl
            .run(&["get", "tokenrequest", "parity-app", "-o", "json"])
            .await,
    )
    .expect("kubectl prints JSON");
    assert_eq!(object["metadata"]["name"], "parity-app");
    assert_eq!(object["metadata"]["namespace"], "default");
    assert_eq!(object["metadata"]["generation"], 1);
    assert!(object["metadata"]["uid"].is_string());

    let yaml = kubectl
        .run(&["get", "tokenrequest", "parity-app", "-o", "yaml"])
        .await;
    assert!(
        yaml.contains("kind: TokenRequest") && yaml.contains("name: parity-app"),
        "{yaml}"
    );

    // Watch with kubectl while kube-rs gives the object a status.
    let mut watch = kubectl
        .command(&[
            "get",
            "tokenrequests",
            "-w",
            "--output-watch-events",
            "--request-timeout=20s",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("kubectl get -w starts");
    let (lines, mut seen) = tokio::sync::mpsc::unbounded_channel::<String>();
    let stdout = watch.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let next_line = async |seen: &mut tokio::sync::mpsc::UnboundedReceiver<String>| {
        tokio::time::timeout(Duration::from_secs(20), seen.recv())
            .await
            .expect("kubectl get -w printed in time")
            .expect("kubectl get -w still running")
    };
    let mut first = next_line(&mut seen).await;
    if first.starts_with("EVENT") {
        first = next_line(&mut seen).await;
    }
    assert!(
        first.starts_with("ADDED") && first.contains("parity-app"),
        "{first}"
    );
    let api = tokenrequests(&server, "default");
    let mut current = api.get("parity-app").await.unwrap();
    current.data["status"] = json!({
        "application": "parity-app", "expireAfter": "2030-01-01T00:00:00Z", "state": "OK",
        "token": "t", "url": "https://connector-service.example.com/info?token=t",
    });
    api.replace("parity-app", &PostParams::default(), &current)
        .await
        .unwrap();
    let update = next_line(&mut seen).await;
    assert!(
        update.starts_with("MODIFIED") && update.contains("parity-app"),
        "{update}"
    );
    let _ = watch.kill();
    let _ = watch.wait();

    let state = kubectl
        .run(&[
            "get",
            "tokenrequest",
            "parity-app",
            "-o",
            "jsonpath={.status.state}",
        ])
        .await;
    assert_eq!(state, "OK");

    // Another namespace, to see -A list across namespaces.
    tokenrequests(&server, "elsewhere")
        .create(
            &PostParams::default(),
            &serde_json::from_value(json!({
                "apiVersion": "applicationconnector.kyma-project.io/v1alpha1",
                "kind": "TokenRequest",
                "metadata": {"name": "other-app"},
            }))
            .unwrap(),
        )
        .await
        .unwrap();
    let everywhere = kubectl.run(&["get", "tokenrequests", "-A"]).await;
    let header: Vec<&str> = everywhere
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    assert_eq!(header, ["NAMESPACE", "NAME", "AGE"], "{everywhere}");
    assert!(
        everywhere.contains("default") && everywhere.contains("parity-app"),
        "{everywhere}"
    );
    assert!(
        everywhere.contains("elsewhere") && everywhere.contains("other-app"),
        "{everywhere}"
    );

    let deleted = kubectl.run(&["delete", "tokenrequest", "parity-app"]).await;
    assert!(deleted.contains("deleted"), "{deleted}");
    let after = kubectl
        .run(&["get", "tokenrequests", "--ignore-not-found", "-o", "name"])
        .await;
    assert!(!after.contains("parity-app"), "{after}");

    server.shutdown().await;
}
