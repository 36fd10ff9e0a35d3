//! The built `tokenrequest-sandbox` binary. `serve`: it announces `ready`, its kubeconfig
//! works (with a context per `--user`), its controller fills requests, `--applications` and
//! `--controller-deployment` shape the cluster, and SIGTERM ends it cleanly. `controller`: against an
//! in-process sandbox whose own controller is off, it reads the kubeconfig, fills requests, and
//! SIGTERM ends it cleanly.

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use kube::api::{Api, ApiResource, DynamicObject, PostParams};
use tokenrequest_sandbox::controller::token_request_resource;
use tokenrequest_sandbox::{ControllerConfig, ControllerMode, Sandbox, SandboxConfig};

const PATIENCE: Duration = Duration::from_secs(30);

/// Kills the child if a failing assertion leaves it running.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

impl KillOnDrop {
    /// Sends SIGTERM and checks that the binary exits cleanly within [`PATIENCE`].
    async fn terminate(&mut self) {
        let terminated = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status()
            .unwrap();
        assert!(terminated.success());
        let exit = tokio::time::timeout(PATIENCE, async {
            loop {
                if let Some(exit) = self.0.try_wait().unwrap() {
                    return exit;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
        .await
        .expect("the binary exits after SIGTERM");
        assert!(exit.success(), "exit after SIGTERM: {exit}");
    }
}

/// Starts `tokenrequest-sandbox ARGS --kubeconfig-out KUBECONFIG` and returns it with the
/// `ready` line it printed.
async fn serve(args: &[&str], kubeconfig: &std::path::Path) -> (KillOnDrop, String) {
    let mut child = KillOnDrop(
        Command::new(env!("CARGO_BIN_EXE_tokenrequest-sandbox"))
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

#[tokio::test]
async fn serve_announces_ready_and_serves_through_its_kubeconfig() {
    let directory = tempfile::tempdir().unwrap();
    let kubeconfig_path = directory.path().join("kubeconfig");
    let (mut child, ready_line) = serve(
        &["serve", "--sync-period", "1", "--namespace", "team-a"],
        &kubeconfig_path,
    )
    .await;
    assert!(ready_line.contains("http://127.0.0.1:"), "{ready_line}");
    assert!(
        ready_line.contains(&kubeconfig_path.display().to_string()),
        "{ready_line}"
    );

    let kubeconfig = kube::config::Kubeconfig::read_from(&kubeconfig_path).unwrap();
    let config = kube::Config::from_custom_kubeconfig(kubeconfig, &Default::default())
        .await
        .unwrap();
    assert_eq!(config.default_namespace, "team-a");
    let api: Api<DynamicObject> = Api::default_namespaced_with(
        kube::Client::try_from(config).unwrap(),
        &token_request_resource(),
    );
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
    let url = ready_line
        .split_whitespace()
        .find_map(|word| word.strip_prefix("url="))
        .expect("the ready line names the URL");

    // As kubectl talks to an http:// server: no Authorization header at all.
    let client = kube::Client::try_from(kube::Config::new(url.parse().unwrap())).unwrap();
    let api: Api<DynamicObject> =
        Api::namespaced_with(client, "default", &token_request_resource());
    let object = DynamicObject::new("anonymous-app", &token_request_resource());
    api.create(&PostParams::default(), &object).await.unwrap();
    assert!(api.get_opt("anonymous-app").await.unwrap().is_some());

    // The anonymous user has no credentials, so the kubeconfig does not mention it.
    let kubeconfig = std::fs::read_to_string(&kubeconfig_path).unwrap();
    assert!(!kubeconfig.contains("anonymous"), "{kubeconfig}");
}

/// A kube client for `context` of the kubeconfig at `path`.
async fn client_for_context(path: &std::path::Path, context: &str) -> kube::Client {
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

#[tokio::test]
async fn serve_takes_users_applications_and_the_controller_deployment() {
    let directory = tempfile::tempdir().unwrap();
    let kubeconfig_path = directory.path().join("kubeconfig");
    let args = [
        "serve",
        "--no-connector",
        "--user",
        "ci=create,get;deployments=",
        "--applications",
        "billing,crm",
        "--controller-deployment",
        "unready",
    ];
    let (mut child, _) = serve(&args, &kubeconfig_path).await;
    let ci = client_for_context(&kubeconfig_path, "sandbox-ci").await;
    let admin = client_for_context(&kubeconfig_path, "sandbox").await;

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

    let applications = ApiResource {
        group: "applicationconnector.kyma-project.io".into(),
        version: "v1alpha1".into(),
        api_version: "applicationconnector.kyma-project.io/v1alpha1".into(),
        kind: "Application".into(),
        plural: "applications".into(),
    };
    let listed = Api::<DynamicObject>::all_with(admin, &applications)
        .list(&Default::default())
        .await
        .unwrap();
    let names: Vec<_> = listed
        .items
        .into_iter()
        .filter_map(|item| item.metadata.name)
        .collect();
    assert_eq!(names, ["billing", "crm"]);
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
    let applications = Api::<DynamicObject>::all_with(admin.clone(), &applications);
    assert!(missing(applications.get("billing").await.map(drop)));
    let deployments = Api::<Deployment>::namespaced(admin, "kyma-integration");
    assert!(missing(
        deployments.get("connection-token-handler").await.map(drop)
    ));
    bare.terminate().await;

    // A verb or resource serve does not know is a usage error, before anything listens.
    let refused = Command::new(env!("CARGO_BIN_EXE_tokenrequest-sandbox"))
        .args(["serve", "--kubeconfig-out"])
        .arg(directory.path().join("other"))
        .args(["--user", "ci=fly"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("unknown verb \"fly\""), "{stderr}");
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
        Command::new(env!("CARGO_BIN_EXE_tokenrequest-sandbox"))
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
