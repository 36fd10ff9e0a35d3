//! kubectl 1.32 against a default `tokenrequest-sandbox serve` (no flags but
//! `--kubeconfig-out`): https with the CA from the kubeconfig, its bearer tokens and its client
//! certificate. As `admin`: create with client-side OpenAPI validation, get as table, JSON and
//! YAML, watch (a new request, the controller's status for it, an update made through kube-rs),
//! list across namespaces, delete (kubectl then waits for the object to go). `nobody` is
//! refused every verb, `nowatch` may do all but watch, `certuser` (a client certificate) may do
//! everything, and with an unknown token or a certificate from another CA kubectl is told to
//! log in.
//!
//! kubectl must be on PATH: without it this test fails, naming what is missing.

mod support;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use base64::Engine as _;
use kube::api::PostParams;
use serde_json::{Value, json};
use support::{KillOnDrop, kube_config, ready_field, serve, tokenrequests};
use tokenrequest_sandbox::{Sandbox, SandboxConfig};

fn find_kubectl() -> PathBuf {
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join("kubectl"))
                .find(|candidate| candidate.is_file())
        })
        .expect(
            "kubectl is not on PATH: this test runs kubectl (1.32) against the sandbox, so \
             install kubectl and put it on PATH",
        )
}

struct Kubectl {
    binary: PathBuf,
    kubeconfig: PathBuf,
}

impl Kubectl {
    fn command(&self, context: &str, args: &[&str]) -> Command {
        let mut command = Command::new(&self.binary);
        command
            .arg("--kubeconfig")
            .arg(&self.kubeconfig)
            .arg("--context")
            .arg(context)
            .args(args)
            .env_remove("KUBECONFIG")
            .env(
                "HOME",
                self.kubeconfig.parent().expect("kubeconfig in a dir"),
            );
        command
    }

    async fn output(&self, context: &str, args: &[&str]) -> Output {
        let mut command = self.command(context, args);
        command.arg("--request-timeout=30s");
        tokio::task::spawn_blocking(move || command.output())
            .await
            .expect("kubectl task")
            .expect("kubectl runs")
    }

    /// Runs kubectl off the async runtime and insists it succeeded.
    async fn run_as(&self, context: &str, args: &[&str]) -> String {
        let output = self.output(context, args).await;
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            output.status.success(),
            "kubectl --context {context} {args:?} failed: {}\nstdout: {stdout}\nstderr: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        // Discovery, TLS or decoding trouble shows up as warnings on stderr even on success.
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.trim().is_empty(),
            "kubectl --context {context} {args:?} complained: {stderr}"
        );
        stdout
    }

    async fn run(&self, args: &[&str]) -> String {
        self.run_as("sandbox", args).await
    }

    /// Runs kubectl, insists it failed, and returns its stderr.
    async fn refused(&self, context: &str, args: &[&str]) -> String {
        let output = self.output(context, args).await;
        assert!(
            !output.status.success(),
            "kubectl --context {context} {args:?} should fail: {}",
            String::from_utf8_lossy(&output.stdout)
        );
        String::from_utf8_lossy(&output.stderr).into_owned()
    }
}

/// A TokenRequest manifest named `name` in `dir`.
fn manifest(dir: &Path, name: &str) -> String {
    let path = dir.join(format!("{name}.yaml"));
    std::fs::write(
        &path,
        format!(
            "apiVersion: applicationconnector.kyma-project.io/v1alpha1\nkind: TokenRequest\n\
             metadata:\n  name: {name}\n"
        ),
    )
    .unwrap();
    path.to_str().unwrap().to_owned()
}

/// `kubectl get tokenrequests -w --output-watch-events` as `context`, its lines on a channel.
struct Watch {
    _child: KillOnDrop,
    lines: tokio::sync::mpsc::UnboundedReceiver<String>,
}

impl Watch {
    fn start(kubectl: &Kubectl, context: &str) -> Watch {
        let mut child = KillOnDrop(
            kubectl
                .command(
                    context,
                    &[
                        "get",
                        "tokenrequests",
                        "-w",
                        "--output-watch-events",
                        "--request-timeout=30s",
                    ],
                )
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .expect("kubectl get -w starts"),
        );
        let (sender, lines) = tokio::sync::mpsc::unbounded_channel::<String>();
        let stdout = child.0.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Watch {
            _child: child,
            lines,
        }
    }

    /// Skips lines until one starts with `event` and names `name`.
    async fn expect(&mut self, event: &str, name: &str) -> String {
        tokio::time::timeout(Duration::from_secs(20), async {
            loop {
                let line = self
                    .lines
                    .recv()
                    .await
                    .expect("kubectl get -w still running");
                let words: Vec<&str> = line.split_whitespace().collect();
                if words.first() == Some(&event) && words.get(1) == Some(&name) {
                    return line;
                }
            }
        })
        .await
        .unwrap_or_else(|_| panic!("kubectl get -w printed {event} {name} in time"))
    }
}

/// Waits until kubectl shows the controller's `state` on `name`.
async fn state_of(kubectl: &Kubectl, name: &str) -> String {
    let jsonpath = [
        "get",
        "tokenrequest",
        name,
        "-o",
        "jsonpath={.status.state}",
    ];
    for _ in 0..100 {
        let state = kubectl.run(&jsonpath).await;
        if !state.is_empty() {
            return state;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{name} got no status.state");
}

fn header(table: &str) -> Vec<&str> {
    table
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect()
}

/// `tokenrequest-sandbox serve --kubeconfig-out DIR/kubeconfig`, its ready line, and kubectl
/// with that kubeconfig.
async fn default_sandbox() -> (tempfile::TempDir, KillOnDrop, String, Kubectl) {
    let binary = find_kubectl();
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("kubeconfig");
    let (server, ready) = serve(&["serve"], &kubeconfig).await;
    (dir, server, ready, Kubectl { binary, kubeconfig })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_works_against_the_default_sandbox() {
    let (dir, mut server, ready, kubectl) = default_sandbox().await;
    assert!(
        ready_field(&ready, "url").starts_with("https://"),
        "{ready}"
    );

    let created = kubectl
        .run(&["create", "-f", &manifest(dir.path(), "parity-app")])
        .await;
    assert!(
        created.contains("tokenrequest.applicationconnector.kyma-project.io/parity-app created"),
        "{created}"
    );

    let table = kubectl.run(&["get", "tokenrequests"]).await;
    assert_eq!(header(&table), ["NAME", "AGE"], "{table}");
    assert!(
        table.lines().any(|line| line.starts_with("parity-app ")),
        "{table}"
    );

    // The controller answers: state OK, and its status write made generation 2.
    assert_eq!(state_of(&kubectl, "parity-app").await, "OK");
    let object: Value = serde_json::from_str(
        &kubectl
            .run(&["get", "tokenrequest", "parity-app", "-o", "json"])
            .await,
    )
    .expect("kubectl prints JSON");
    assert_eq!(object["metadata"]["name"], "parity-app");
    assert_eq!(object["metadata"]["namespace"], "default");
    assert_eq!(object["metadata"]["generation"], 2);
    assert!(object["metadata"]["uid"].is_string());
    assert_eq!(object["status"]["token"].as_str().map(str::len), Some(88));

    let yaml = kubectl
        .run(&["get", "tokenrequest", "parity-app", "-o", "yaml"])
        .await;
    assert!(
        yaml.contains("kind: TokenRequest") && yaml.contains("name: parity-app"),
        "{yaml}"
    );

    // What create prints comes before the controller: generation 1, no status.
    let fresh: Value = serde_json::from_str(
        &kubectl
            .run(&[
                "create",
                "-f",
                &manifest(dir.path(), "fresh-app"),
                "-o",
                "json",
            ])
            .await,
    )
    .expect("kubectl create -o json prints JSON");
    assert_eq!(fresh["metadata"]["generation"], 1);
    assert!(fresh.get("status").is_none(), "{fresh}");

    // Watch: the existing requests, a new one and its status, an update through kube-rs.
    let mut watch = Watch::start(&kubectl, "sandbox");
    watch.expect("ADDED", "parity-app").await;
    kubectl
        .run(&["create", "-f", &manifest(dir.path(), "watched-app")])
        .await;
    watch.expect("ADDED", "watched-app").await;
    watch.expect("MODIFIED", "watched-app").await;
    let api = tokenrequests(kube_config(&kubectl.kubeconfig).await);
    let mut current = api.get("parity-app").await.unwrap();
    current.metadata.labels = Some([("team".to_owned(), "parity".to_owned())].into());
    api.replace("parity-app", &PostParams::default(), &current)
        .await
        .unwrap();
    watch.expect("MODIFIED", "parity-app").await;
    drop(watch);

    // Another namespace, to see -A list across namespaces.
    kubectl
        .run(&[
            "create",
            "-n",
            "elsewhere",
            "-f",
            &manifest(dir.path(), "other-app"),
        ])
        .await;
    let everywhere = kubectl.run(&["get", "tokenrequests", "-A"]).await;
    assert_eq!(
        header(&everywhere),
        ["NAMESPACE", "NAME", "AGE"],
        "{everywhere}"
    );
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

    server.terminate().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_contexts_have_their_users_permissions() {
    let (dir, mut server, ready, kubectl) = default_sandbox().await;
    let mentions = |stderr: &str, user: &str, verb: &str| {
        let refusal = format!("User \"{user}\" cannot {verb} resource \"tokenrequests\"");
        assert!(
            stderr.contains("Error from server (Forbidden)") && stderr.contains(&refusal),
            "expected {user} to be refused {verb}: {stderr}"
        );
    };

    // certuser logs in with its client certificate and may do everything.
    let created = kubectl
        .run_as(
            "sandbox-certuser",
            &["create", "-f", &manifest(dir.path(), "cert-app")],
        )
        .await;
    assert!(created.contains("cert-app created"), "{created}");
    let mut watch = Watch::start(&kubectl, "sandbox-certuser");
    watch.expect("ADDED", "cert-app").await;
    drop(watch);
    let listed = kubectl
        .run_as("sandbox-certuser", &["get", "tokenrequests", "-o", "name"])
        .await;
    assert!(listed.contains("tokenrequest.applicationconnector.kyma-project.io/cert-app"));

    // nowatch may do all but watch.
    kubectl
        .run_as(
            "sandbox-nowatch",
            &["create", "-f", &manifest(dir.path(), "nowatch-app")],
        )
        .await;
    let listed = kubectl
        .run_as("sandbox-nowatch", &["get", "tokenrequests", "-o", "name"])
        .await;
    assert!(
        listed.contains("nowatch-app") && listed.contains("cert-app"),
        "{listed}"
    );
    let stderr = kubectl
        .refused("sandbox-nowatch", &["get", "tokenrequests", "-w"])
        .await;
    mentions(&stderr, "nowatch", "watch");
    let deleted = kubectl
        .run_as(
            "sandbox-nowatch",
            &["delete", "tokenrequest", "nowatch-app"],
        )
        .await;
    assert!(deleted.contains("deleted"), "{deleted}");

    // nobody may do nothing.
    for (args, verb) in [
        (vec!["get", "tokenrequests"], "list"),
        (vec!["get", "tokenrequest", "cert-app"], "get"),
        (
            vec!["create", "-f", &manifest(dir.path(), "nobody-app")],
            "create",
        ),
        (vec!["delete", "tokenrequest", "cert-app"], "delete"),
    ] {
        let stderr = kubectl.refused("sandbox-nobody", &args).await;
        mentions(&stderr, "nobody", verb);
    }

    // certuser deletes what it made.
    kubectl
        .run_as("sandbox-certuser", &["delete", "tokenrequest", "cert-app"])
        .await;

    // A token the server does not know, or a client certificate from another CA (whose CN is a
    // sandbox user): the server's CA (ca.crt beside the kubeconfig), no valid credentials.
    let other = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let foreign = other.client_identity("certuser").unwrap().clone();
    other.shutdown().await;
    let base64 = base64::engine::general_purpose::STANDARD;
    for (name, user) in [
        ("unknown-token", json!({"token": "not-a-sandbox-token"})),
        (
            "foreign-certificate",
            json!({
                "client-certificate-data": base64.encode(&foreign.certificate_pem),
                "client-key-data": base64.encode(&foreign.key_pem),
            }),
        ),
    ] {
        let path = dir.path().join(format!("{name}.kubeconfig"));
        std::fs::write(
            &path,
            json!({
                "apiVersion": "v1", "kind": "Config", "current-context": name,
                "clusters": [{"name": "sandbox", "cluster": {
                    "server": ready_field(&ready, "url"),
                    "certificate-authority": ready_field(&ready, "ca"),
                }}],
                "users": [{"name": name, "user": user}],
                "contexts": [{"name": name, "context": {"cluster": "sandbox", "user": name}}],
            })
            .to_string(),
        )
        .unwrap();
        let unauthenticated = Kubectl {
            binary: kubectl.binary.clone(),
            kubeconfig: path,
        };
        let stderr = unauthenticated
            .refused(name, &["get", "tokenrequests"])
            .await;
        assert!(
            stderr.contains("You must be logged in to the server"),
            "{name}: {stderr}"
        );
    }

    server.terminate().await;
}
