//! Proxies as kubectl treats them, tested with a small CONNECT proxy that counts its tunnels:
//! a kubeconfig `proxy-url` is used as given (`NO_PROXY` naming the proxy does not switch it
//! off), `HTTPS_PROXY` is skipped for loopback servers and for targets `NO_PROXY` names, and the
//! Connector Service follows the same rules.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;
use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::net::{TcpListener, TcpStream};

use crate::harness::{Run, TestCluster, cluster, finish};

/// An HTTP CONNECT proxy on 127.0.0.1 that counts tunnels and sends every one to
/// 127.0.0.1 at the asked port, whatever host was asked for (so `sandbox.test` reaches the
/// sandbox through it, and nowhere else).
struct CountingProxy {
    address: String,
    tunnels: Arc<AtomicUsize>,
    asked: Arc<std::sync::Mutex<Vec<String>>>,
}

impl CountingProxy {
    async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap().to_string();
        let tunnels = Arc::new(AtomicUsize::new(0));
        let asked = Arc::new(std::sync::Mutex::new(Vec::new()));
        let (count, seen) = (tunnels.clone(), asked.clone());
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let (count, seen) = (count.clone(), seen.clone());
                tokio::spawn(async move {
                    let _ = tunnel(client, &count, &seen).await;
                });
            }
        });
        CountingProxy {
            address,
            tunnels,
            asked,
        }
    }

    fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    fn tunnels(&self) -> usize {
        self.tunnels.load(Ordering::SeqCst)
    }

    fn asked(&self) -> Vec<String> {
        self.asked.lock().unwrap().clone()
    }
}

async fn tunnel(
    client: TcpStream,
    count: &AtomicUsize,
    seen: &std::sync::Mutex<Vec<String>>,
) -> std::io::Result<()> {
    let mut client = BufReader::new(client);
    let mut request = String::new();
    client.read_line(&mut request).await?;
    loop {
        let mut header = String::new();
        client.read_line(&mut header).await?;
        if header == "\r\n" || header.is_empty() {
            break;
        }
    }
    let target = request
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .to_string();
    if !request.starts_with("CONNECT ") {
        client
            .get_mut()
            .write_all(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n")
            .await?;
        return Ok(());
    }
    count.fetch_add(1, Ordering::SeqCst);
    seen.lock().unwrap().push(target.clone());
    let port = target
        .rsplit_once(':')
        .map(|(_, port)| port)
        .unwrap_or("443");
    let mut upstream = TcpStream::connect(format!("127.0.0.1:{port}")).await?;
    client
        .get_mut()
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .await?;
    let mut client = client.into_inner();
    tokio::io::copy_bidirectional(&mut client, &mut upstream).await?;
    Ok(())
}

/// The sandbox's kubeconfig as JSON.
fn kubeconfig_of(cluster: &TestCluster) -> Value {
    let text = std::fs::read_to_string(&cluster.kubeconfig).unwrap();
    serde_saphyr::from_str(&text).unwrap()
}

/// The kubeconfig with `edit` applied to its one cluster entry, written to `name`.
fn edited(cluster: &TestCluster, name: &str, edit: impl FnOnce(&mut Value)) -> PathBuf {
    let mut kubeconfig = kubeconfig_of(cluster);
    edit(&mut kubeconfig["clusters"][0]["cluster"]);
    let path = cluster.dir.path().join(name);
    std::fs::write(&path, serde_saphyr::to_string(&kubeconfig).unwrap()).unwrap();
    path
}

/// The plugin with `kubeconfig` and exactly the proxy variables given.
async fn run_with(kubeconfig: &Path, env: &[(&str, &str)], args: &[&str]) -> Run {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_kubectl-tokenrequest"));
    command
        .args(args)
        .arg("--kubeconfig")
        .arg(kubeconfig)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    finish(command.spawn().unwrap()).await
}

/// `https://sandbox.test:PORT` (or http), a name only the counting proxy can reach; TLS checks
/// the sandbox's certificate as `localhost`.
fn by_name(cluster: &TestCluster, name: &str) -> PathBuf {
    let url = cluster.sandbox.url();
    let https = url.starts_with("https://");
    let port = url.rsplit_once(':').unwrap().1.to_string();
    edited(cluster, name, |entry| {
        let scheme = if https { "https" } else { "http" };
        entry["server"] = format!("{scheme}://sandbox.test:{port}").into();
        if https {
            entry["tls-server-name"] = "localhost".into();
        }
    })
}

fn proxy_variable(cluster: &TestCluster) -> &'static str {
    if cluster.sandbox.url().starts_with("https://") {
        "HTTPS_PROXY"
    } else {
        "HTTP_PROXY"
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_loopback_server_is_never_proxied_from_the_environment() {
    let cluster = cluster().await;
    cluster.seed("default", "seen").await;
    let proxy = CountingProxy::start().await;
    let url = proxy.url();
    for variable in ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"] {
        let run = run_with(
            &cluster.kubeconfig,
            &[(variable, &url)],
            &["list", "-o", "name"],
        )
        .await;
        run.success();
        assert!(run.stdout.contains("/seen"), "{variable}: {run:#?}");
    }
    assert_eq!(proxy.tunnels(), 0, "no tunnel for 127.0.0.1");
    // -v=4 says so, and never shows credentials inside a proxy URL.
    let secret_url = format!("http://user:hunter2@{}", proxy.address);
    let run = run_with(
        &cluster.kubeconfig,
        &[(proxy_variable(&cluster), &secret_url)],
        &["list", "-v=4"],
    )
    .await;
    run.success();
    assert!(run.stderr.contains("directly, no proxy"), "{run:#?}");
    assert!(!run.stderr.contains("hunter2"), "{run:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kubeconfig_proxy_url_is_used_whatever_no_proxy_says() {
    let cluster = cluster().await;
    cluster.seed("default", "through").await;
    let proxy = CountingProxy::start().await;
    let kubeconfig = edited(&cluster, "proxied", |entry| {
        entry["proxy-url"] = proxy.url().into();
    });
    let run = run_with(&kubeconfig, &[], &["list", "-o", "name", "-v=4"]).await;
    run.success();
    assert!(run.stdout.contains("/through"), "{run:#?}");
    assert!(proxy.tunnels() >= 1, "through the kubeconfig's proxy");
    assert!(
        run.stderr
            .contains(&format!("through proxy {}", proxy.url())),
        "{run:#?}"
    );
    // kube-client 5 would switch the proxy off when NO_PROXY names the proxy's host.
    let before = proxy.tunnels();
    for no_proxy in ["127.0.0.1", "*", "localhost,127.0.0.1"] {
        let run = run_with(
            &kubeconfig,
            &[("NO_PROXY", no_proxy)],
            &["list", "-o", "name"],
        )
        .await;
        run.success();
    }
    assert!(
        proxy.tunnels() >= before + 3,
        "NO_PROXY does not switch it off"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn no_proxy_is_matched_against_the_cluster_not_the_proxy() {
    let cluster = cluster().await;
    cluster.seed("default", "named").await;
    let proxy = CountingProxy::start().await;
    let kubeconfig = by_name(&cluster, "by-name");
    let variable = proxy_variable(&cluster);
    let url = proxy.url();

    // Through the proxy: only it can reach sandbox.test.
    let run = run_with(&kubeconfig, &[(variable, &url)], &["list", "-o", "name"]).await;
    run.success();
    assert!(run.stdout.contains("/named"), "{run:#?}");
    assert_eq!(proxy.tunnels(), 1);
    assert!(
        proxy.asked()[0].starts_with("sandbox.test:"),
        "{:?}",
        proxy.asked()
    );
    // A NO_PROXY entry naming the proxy's host is no reason to go direct.
    let run = run_with(
        &kubeconfig,
        &[(variable, &url), ("NO_PROXY", "127.0.0.1")],
        &["list", "-o", "name"],
    )
    .await;
    run.success();
    assert_eq!(proxy.tunnels(), 2);

    // NO_PROXY naming the cluster (exactly, by domain, either case, with its port): direct,
    // where sandbox.test does not resolve.
    let port = cluster
        .sandbox
        .url()
        .rsplit_once(':')
        .unwrap()
        .1
        .to_string();
    let with_port = format!("sandbox.test:{port}");
    for (name, no_proxy) in [
        ("NO_PROXY", "sandbox.test"),
        ("NO_PROXY", ".test"),
        ("no_proxy", "test"),
        ("NO_PROXY", "other.example, SANDBOX.TEST"),
        ("NO_PROXY", with_port.as_str()),
    ] {
        let run = run_with(
            &kubeconfig,
            &[(variable, &url), (name, no_proxy)],
            &["list", "--request-timeout", "5s"],
        )
        .await;
        run.failure(1, "cannot reach the API server sandbox.test");
        assert_eq!(proxy.tunnels(), 2, "{name}={no_proxy}: no tunnel");
    }
    // A NO_PROXY entry for another port still proxies.
    let run = run_with(
        &kubeconfig,
        &[(variable, &url), ("NO_PROXY", "sandbox.test:1")],
        &["list", "-o", "name"],
    )
    .await;
    run.success();
    assert_eq!(proxy.tunnels(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn connect_goes_directly_to_a_loopback_connector_service_despite_https_proxy() {
    let (cluster, ca) =
        crate::connect::with_connector(tokenrequest_sandbox::ConnectorConfig::default()).await;
    let proxy = CountingProxy::start().await;
    let url = proxy.url();
    let out = cluster.dir.path().join("out");
    let run = run_with(
        &cluster.kubeconfig,
        &[("HTTPS_PROXY", &url), ("HTTP_PROXY", &url)],
        &[
            "connect",
            "my-app",
            "--out-dir",
            out.to_str().unwrap(),
            "--certificate-authority",
            ca.to_str().unwrap(),
            "-v=4",
        ],
    )
    .await;
    run.success();
    assert!(out.join("client.crt").exists());
    assert_eq!(proxy.tunnels(), 0, "{:?}", proxy.asked());
    assert!(
        run.stderr.contains("Connector Service 127.0.0.1:") && run.stderr.contains("directly"),
        "{run:#?}"
    );
}
