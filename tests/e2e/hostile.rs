//! Hostile input gets a clear error and sends no request: bad names, tenants and groups,
//! unknown output formats and templates, broken kubeconfigs, and servers that are not a
//! Kubernetes API (an HTML page, garbage JSON, a TLS certificate for another host).
//! (Missing and unparsable kubeconfig files and unknown `--context`s are in resilience.rs.)

use std::io::{Read as _, Write as _};
use std::sync::Arc;

use base64::Engine as _;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use tokenrequest_sandbox::ControllerMode;

use crate::harness::{Run, Setup, TestCluster, cluster, finish};

/// Without a controller, every request the server logs came from the plugin.
async fn quiet_cluster() -> TestCluster {
    Setup::mode(ControllerMode::Off).start().await
}

/// Runs `args` and checks the exit code, the message, and that the server saw no request.
async fn refused(cluster: &TestCluster, args: &[&str], code: i32, message: &str) -> Run {
    let run = cluster.run(args).await;
    run.failure(code, message);
    let seen = cluster.sandbox.server().requests();
    assert!(
        seen.is_empty(),
        "no request may be sent for {args:?}: {seen:#?}"
    );
    run
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_names_are_refused_before_any_request() {
    let cluster = quiet_cluster().await;
    let too_long = "a".repeat(254);
    let names = [
        "Upper-Case",
        "under_score",
        "trailing-dash-",
        "trailing-dot.",
        too_long.as_str(),
        "tab\there",
        "new\nline",
        "bell\u{7}char",
        "esc\u{1b}[31mred",
        "a;rm -rf /",
        "$(reboot)",
        "`id`",
        "a|b",
        "a&b",
        "../etc/passwd",
        "a b",
        "'quoted'",
        "",
    ];
    for name in names {
        for command in [
            vec!["create", name],
            vec!["get", name],
            vec!["delete", name],
            vec!["get", "--wait", name],
        ] {
            let run = refused(&cluster, &command, 1, "RFC 1123").await;
            // Control characters are shown escaped, never echoed raw to the terminal.
            assert!(
                !run.stderr.contains('\u{1b}') && !run.stderr.contains('\u{7}'),
                "{run:#?}"
            );
        }
    }
    // A leading dash reads as a flag: a usage error, and still no request.
    refused(
        &cluster,
        &["create", "-xleading-dash"],
        2,
        "unexpected argument",
    )
    .await;
    // `-l` is create's --labels, as in kubectl: `-leading-dash` is a label spec, refused.
    refused(
        &cluster,
        &["create", "-leading-dash"],
        2,
        "invalid label spec",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_tenants_groups_and_formats_are_refused() {
    let cluster = quiet_cluster().await;
    for (args, code, message) in [
        (
            vec!["create", "ok", "--tenant", "t", "--group", "g\nx"],
            1,
            "--group",
        ),
        (
            vec!["create", "ok", "--tenant", "t\r", "--group", "g"],
            1,
            "control characters",
        ),
        (
            vec!["create", "ok", "--tenant", "", "--group", "g"],
            1,
            "non-empty",
        ),
        (vec!["create", "ok", "-o", "xml"], 2, "xml"),
        (vec!["get", "ok", "-o", "table"], 2, "table"),
        (
            vec!["create", "ok", "-o", "jsonpath={.status"],
            2,
            "jsonpath",
        ),
        (
            vec!["get", "ok", "-o", "jsonpath={range .x}"],
            2,
            "jsonpath",
        ),
        (vec!["list", "-o", "jsonpath="], 2, "jsonpath"),
    ] {
        refused(&cluster, &args, code, message).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kubeconfig_whose_current_context_is_missing_is_explained() {
    let cluster = quiet_cluster().await;
    let text = std::fs::read_to_string(&cluster.kubeconfig)
        .unwrap()
        .replace("current-context: sandbox", "current-context: gone");
    let path = cluster.dir.path().join("missing-context");
    std::fs::write(&path, text).unwrap();
    let mut command = cluster.command(&["create", "x"]);
    command.arg("--kubeconfig").arg(&path);
    finish(command.spawn().unwrap())
        .await
        .failure(1, "gone")
        .failure(1, "--context");
    assert!(cluster.sandbox.server().requests().is_empty());
}

/// A kubeconfig pointing at `server` (with `ca_pem` as its CA, if given).
fn kubeconfig_for(cluster: &TestCluster, file: &str, server: &str, ca_pem: Option<&str>) -> String {
    let ca = ca_pem
        .map(|pem| {
            format!(
                "\n    certificate-authority-data: {}",
                base64::engine::general_purpose::STANDARD.encode(pem)
            )
        })
        .unwrap_or_default();
    let text = format!(
        "apiVersion: v1\nkind: Config\ncurrent-context: fake\nclusters:\n- name: fake\n  \
         cluster:\n    server: {server}{ca}\ncontexts:\n- name: fake\n  context:\n    cluster: \
         fake\n    user: fake\n    namespace: default\nusers:\n- name: fake\n  user:\n    token: \
         fake-token\n"
    );
    let path = cluster.dir.path().join(file);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// An HTTP server that answers every request with `status`, `content_type` and `body`.
async fn fake_http_server(
    status: &'static str,
    content_type: &'static str,
    body: &'static str,
) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buffer = [0u8; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buffer[..n]),
                    }
                }
                let answer = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
                     Connection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(answer.as_bytes()).await;
            });
        }
    });
    format!("http://{address}")
}

#[tokio::test(flavor = "multi_thread")]
async fn servers_that_are_not_a_kubernetes_api_are_named_as_such() {
    let cluster = cluster().await;
    let html = fake_http_server(
        "200 OK",
        "text/html",
        "<!doctype html><html><body>Welcome to nginx!</body></html>",
    )
    .await;
    let garbage = fake_http_server("200 OK", "application/json", "{\"kind\": [1, 2").await;
    for (server, file) in [(html, "html"), (garbage, "garbage")] {
        let kubeconfig = kubeconfig_for(&cluster, file, &server, None);
        for args in [
            vec!["create", "x", "--timeout", "10s"],
            vec!["get", "x"],
            vec!["list"],
        ] {
            let mut command = cluster.command(&args);
            command.arg("--kubeconfig").arg(&kubeconfig);
            let run = finish(command.spawn().unwrap()).await;
            run.failure(1, "not a Kubernetes API response");
            assert!(!run.stderr.contains("Welcome"), "no page dump: {run:#?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_certificate_for_another_host_is_refused() {
    let cluster = cluster().await;
    let certified = rcgen::generate_simple_self_signed(vec!["wrong.example.com".to_string()])
        .expect("a self-signed certificate");
    let certificate = certified.cert.der().clone();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(certified.signing_key.serialize_der().into());
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![certificate], key)
    .unwrap();
    let config = Arc::new(config);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    // A blocking TLS server on its own thread; it ends with the test process.
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            let Ok(connection) = rustls::ServerConnection::new(config.clone()) else {
                return;
            };
            let mut tls = rustls::StreamOwned::new(connection, stream);
            let mut buffer = [0u8; 1024];
            if tls.read(&mut buffer).unwrap_or(0) > 0 {
                let _ = tls
                    .write_all(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n");
            }
        }
    });
    let kubeconfig = kubeconfig_for(
        &cluster,
        "wrong-host",
        &format!("https://{address}"),
        Some(&certified.cert.pem()),
    );
    let mut command = cluster.command(&["create", "x", "--timeout", "10s"]);
    command.arg("--kubeconfig").arg(&kubeconfig);
    let run = finish(command.spawn().unwrap()).await;
    run.failure(1, "certificate");
    assert!(
        run.stderr.contains("cannot reach the API server"),
        "{run:#?}"
    );
}
