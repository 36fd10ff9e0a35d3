//! The built `tokenrequest-sandbox controller` binary against an in-process sandbox whose own
//! controller is off: it reads the kubeconfig, fills requests, and SIGTERM ends it cleanly.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use kube::api::{Api, DynamicObject, PostParams};
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

    let terminated = Command::new("kill")
        .args(["-TERM", &child.0.id().to_string()])
        .status()
        .unwrap();
    assert!(terminated.success());
    let exit = tokio::time::timeout(PATIENCE, async {
        loop {
            if let Some(exit) = child.0.try_wait().unwrap() {
                return exit;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("the binary exits after SIGTERM");
    assert!(exit.success(), "exit after SIGTERM: {exit}");
    sandbox.shutdown().await;
}
