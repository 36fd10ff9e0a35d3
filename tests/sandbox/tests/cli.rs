//! The built `tokenrequest-sandbox` binary. `serve`: it announces `ready`, serves https with
//! its CA in the kubeconfig (or plain http with `--http`), its kubeconfig works (with a context
//! per `--user`), its controller fills requests, `--applications` and `--controller-deployment`
//! shape the cluster, SIGTERM ends it cleanly, and a kubeconfig it cannot write is an error
//! that names its cause once. `controller`: against an in-process sandbox whose own controller
//! is off, it reads the kubeconfig, fills requests, and SIGTERM ends it cleanly.

use std::process::Stdio;
use std::time::Duration;

use base64::Engine as _;
use k8s_openapi::api::apps::v1::Deployment;
use kube::api::{Api, DynamicObject, PostParams};
use tokenrequest_sandbox::controller::token_request_resource;
use tokenrequest_sandbox::{ControllerConfig, ControllerMode, Sandbox, SandboxConfig};

mod support;

use support::{
    KNOBS, KillOnDrop, PATIENCE, applications_resource, assert_knobs_apply, client_for_context,
    kube_config, pem_certificates, ready_field, sandbox_binary, serve, tokenrequests,
};

#[tokio::test]
async fn serve_announces_ready_and_serves_through_its_kubeconfig() {
    let directory = tempfile::tempdir().unwrap();
    let kubeconfig_path = directory.path().join("kubeconfig");
    let (mut child, ready_line) = serve(
        &["serve", "--sync-period", "1", "--namespace", "team-a"],
        &kubeconfig_path,
    )
    .await;
    assert!(ready_line.contains("https://127.0.0.1:"), "{ready_line}");
    assert!(
        ready_line.contains(&kubeconfig_path.display().to_string()),
        "{ready_line}"
    );
    // The CA beside the kubeconfig is the one the kubeconfig carries.
    let ca = std::fs::read_to_string(ready_field(&ready_line, "ca")).unwrap();
    assert_eq!(
        std::path::Path::new(ready_field(&ready_line, "ca")),
        directory.path().join("ca.crt")
    );
    assert!(ca.starts_with("-----BEGIN CERTIFICATE-----"), "{ca}");
    let parsed = kube::config::Kubeconfig::read_from(&kubeconfig_path).unwrap();
    let data = parsed.clusters[0]
        .cluster
        .as_ref()
        .and_then(|cluster| cluster.certificate_authority_data.as_deref())
        .expect("certificate-authority-data");
    assert_eq!(
        base64::engine::general_purpose::STANDARD
            .decode(data)
            .unwrap(),
        ca.as_bytes()
    );

    let config = kube_config(&kubeconfig_path).await;
    assert_eq!(config.default_namespace, "team-a");
    let api = tokenrequests(config);
    let object = DynamicObject::new("cli-app", &token_request_resource());
    api.create(&PostParams::default(), &object).await.unwrap();
    let state = tokio::time::timeout(PATIENCE, async {
        loop {
            let object = api.get("cli-app").await.unwrap();
            if let Some(state) = object.data.pointer("/status/state") {
                return state.clone();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("a status within the timeout");
    assert_eq!(state, "OK");

    child.terminate().await;
}

#[tokio::test]
async fn serve_anonymous_lets_token_less_requests_in() {
    let directory = tempfile::tempdir().unwrap();
    let kubeconfig_path = directory.path().join("kubeconfig");
    let (_child, ready_line) =
        serve(&["serve", "--anonymous", "--mode", "off"], &kubeconfig_path).await;
    let url = ready_field(&ready_line, "url");

    // No credentials at all: no Authorization header and no client certificate.
    let mut config = kube::Config::new(url.parse().unwrap());
    config.root_cert = Some(pem_certificates(ready_field(&ready_line, "ca")));
    let client = kube::Client::try_from(config).unwrap();
    let api: Api<DynamicObject> =
        Api::namespaced_with(client, "default", &token_request_resource());
    let object = DynamicObject::new("anonymous-app", &token_request_resource());
    api.create(&PostParams::default(), &object).await.unwrap();
    assert!(api.get_opt("anonymous-app").await.unwrap().is_some());

    // The anonymous user has no credentials, so the kubeconfig does not mention it.
    let kubeconfig = std::fs::read_to_string(&kubeconfig_path).unwrap();
    assert!(!kubeconfig.contains("anonymous"), "{kubeconfig}");
}

#[tokio::test]
async fn serve_takes_users_applications_and_the_controller_deployment() {
    let directory = tempfile::tempdir().unwrap();
    let kubeconfig_path = directory.path().join("kubeconfig");
    let args: Vec<&str> = std::iter::once("serve").chain(KNOBS).collect();
    let (mut child, _) = serve(&args, &kubeconfig_path).await;
    assert_knobs_apply(&kubeconfig_path).await;
    child.terminate().await;

    // No Application CRD, no controller: neither Applications nor the Deployment are there.
    let bare_path = directory.path().join("bare");
    let args = [
        "serve",
        "--no-connector",
        "--no-applications",
        "--mode",
        "off",
    ];
    let (mut bare, _) = serve(&args, &bare_path).await;
    let admin = client_for_context(&bare_path, "sandbox").await;
    let missing =
        |result: kube::Result<()>| matches!(result, Err(kube::Error::Api(s)) if s.code == 404);
    let applications = Api::<DynamicObject>::all_with(admin.clone(), &applications_resource());
    assert!(missing(applications.get("billing").await.map(drop)));
    let deployments = Api::<Deployment>::namespaced(admin, "kyma-integration");
    assert!(missing(
        deployments.get("connection-token-handler").await.map(drop)
    ));
    bare.terminate().await;

    // A verb or resource serve does not know is a usage error, before anything listens.
    let refused = sandbox_binary()
        .args(["serve", "--kubeconfig-out"])
        .arg(directory.path().join("other"))
        .args(["--user", "ci=fly"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("unknown verb \"fly\""), "{stderr}");
}

#[test]
fn serve_says_once_why_the_kubeconfig_cannot_be_written() {
    let directory = tempfile::tempdir().unwrap();
    let kubeconfig_path = directory.path().join("missing").join("kubeconfig");
    let output = sandbox_binary()
        .args(["serve", "--kubeconfig-out"])
        .arg(&kubeconfig_path)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "could not write the kubeconfig {}: ",
            kubeconfig_path.display()
        )),
        "{stderr}"
    );
    // The cause once, not once from the message and again from the chain.
    assert_eq!(stderr.matches("os error").count(), 1, "{stderr}");
    assert!(String::from_utf8_lossy(&output.stdout).is_empty());
}

#[tokio::test]
async fn serve_without_credentials_is_unauthorized() {
    let directory = tempfile::tempdir().unwrap();
    let kubeconfig_path = directory.path().join("kubeconfig");
    let (_child, ready_line) = serve(&["serve", "--mode", "off"], &kubeconfig_path).await;
    let mut config = kube::Config::new(ready_field(&ready_line, "url").parse().unwrap());
    config.root_cert = Some(pem_certificates(ready_field(&ready_line, "ca")));
    let api: Api<DynamicObject> = Api::namespaced_with(
        kube::Client::try_from(config).unwrap(),
        "default",
        &token_request_resource(),
    );
    match api.list(&Default::default()).await {
        Err(kube::Error::Api(status)) => assert_eq!(status.code, 401, "{status:?}"),
        other => panic!("expected a 401, got {other:?}"),
    }
}

#[tokio::test]
async fn serve_http_speaks_plain_http_without_ca_or_certificate_user() {
    let directory = tempfile::tempdir().unwrap();
    let kubeconfig_path = directory.path().join("kubeconfig");
    let (_child, ready_line) = serve(&["serve", "--http", "--mode", "off"], &kubeconfig_path).await;
    assert!(
        ready_field(&ready_line, "url").starts_with("http://127.0.0.1:"),
        "{ready_line}"
    );
    assert!(!ready_line.contains(" ca="), "{ready_line}");
    assert!(!directory.path().join("ca.crt").exists());
    let text = std::fs::read_to_string(&kubeconfig_path).unwrap();
    assert!(!text.contains("certificate-authority-data"), "{text}");
    // No CA, so no client certificate to log in with.
    assert!(!text.contains("certuser"), "{text}");

    // The kubeconfig's bearer tokens work over http.
    let api = tokenrequests(kube_config(&kubeconfig_path).await);
    let object = DynamicObject::new("http-app", &token_request_resource());
    api.create(&PostParams::default(), &object).await.unwrap();
}

#[tokio::test]
async fn controller_binary_fills_requests_through_a_kubeconfig_context() {
    let sandbox = Sandbox::start(SandboxConfig {
        controller: ControllerConfig {
            mode: ControllerMode::Off,
            ..ControllerConfig::default()
        },
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let directory = tempfile::tempdir().unwrap();
    let kubeconfig_path = directory.path().join("kubeconfig");
    sandbox.write_kubeconfig(&kubeconfig_path).unwrap();

    let mut child = KillOnDrop(
        support::sandbox_binary()
            .args([
                "controller",
                "--context",
                "sandbox",
                "--domain",
                "example.org",
            ])
            .arg("--kubeconfig")
            .arg(&kubeconfig_path)
            .stdin(Stdio::null())
            .spawn()
            .expect("the binary starts"),
    );

    let api: Api<DynamicObject> =
        Api::namespaced_with(sandbox.admin_client(), "default", &token_request_resource());
    let object = DynamicObject::new("via-binary", &token_request_resource());
    api.create(&PostParams::default(), &object).await.unwrap();
    let url = tokio::time::timeout(PATIENCE, async {
        loop {
            let object = api.get("via-binary").await.unwrap();
            if let Some(url) = object.data.pointer("/status/url") {
                return url.as_str().unwrap().to_owned();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("a status within the timeout");
    assert!(
        url.starts_with(
            "https://connector-service.example.org/v1/applications/signingRequests/info?token="
        ),
        "{url}"
    );

    child.terminate().await;
    sandbox.shutdown().await;
}
