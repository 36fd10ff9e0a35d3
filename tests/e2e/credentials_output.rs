//! `-o url|token|env|config` print one request's credentials: refused up front where there
//! can be none (no wait, dry runs), and a request the controller failed is the controller's
//! error (exit 3) however it is read.

use std::time::Duration;

use kubectl_tokenrequest::tokenrequest::Phase;
use tokenrequest_sandbox::controller::ControllerMode;

use crate::harness::{Setup, cluster};

#[tokio::test(flavor = "multi_thread")]
async fn credentials_without_the_wait_are_refused_before_anything_is_created() {
    let cluster = cluster().await;
    for format in ["url", "token", "env", "config"] {
        for skip in [
            &["--no-wait"][..],
            &["--timeout", "0"],
            &["--dry-run=client"],
            &["--dry-run"],
            &["--dry-run=server"],
            &["--no-wait=true", "--timeout=0s"],
        ] {
            let args = [&["create", "never", "-o", format][..], skip].concat();
            let run = cluster.run(&args).await;
            run.failure(2, "drop --");
            assert_eq!(run.stdout, "", "{args:?}");
        }
    }
    let left = cluster
        .api("default")
        .list(&Default::default())
        .await
        .unwrap();
    assert!(
        left.items.is_empty(),
        "nothing may be created: {:?}",
        left.items
    );
    // The message names the flag that was given.
    cluster
        .run(&["create", "never", "-o", "url", "--no-wait"])
        .await
        .failure(2, "-o url prints the token the controller issues")
        .failure(2, "drop --no-wait");
    // Formats that need no token are fine without the wait.
    cluster
        .run(&[
            "create",
            "fine",
            "--no-wait",
            "-o",
            "jsonpath={.metadata.name}",
        ])
        .await
        .success();
}

#[tokio::test(flavor = "multi_thread")]
async fn credentials_of_a_request_in_state_error_exit_3_as_the_wait_does() {
    let cluster = Setup::mode(ControllerMode::Error).start().await;
    cluster
        .run(&["create", "broken", "--no-wait", "-o", "name"])
        .await
        .success();
    let api = cluster.api("default");
    tokio::time::timeout(Duration::from_secs(30), async {
        while !matches!(
            api.get("broken").await.map(|r| r.phase() == Phase::Failed),
            Ok(true)
        ) {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("the controller should write state Error");
    let waited = cluster.run(&["get", "broken", "--wait", "-o", "url"]).await;
    waited.failure(3, "state \"Error\"");
    for format in ["url", "token", "env", "config", "config-json"] {
        let run = cluster.run(&["get", "broken", "-o", format]).await;
        run.failure(3, "state \"Error\"")
            .failure(3, "connection-token-handler");
        assert_eq!(
            run.stderr, waited.stderr,
            "-o {format}: the same message as --wait"
        );
        assert_eq!(run.stdout, "");
    }
    // Showing it is not an error.
    let run = cluster.run(&["get", "broken"]).await;
    run.success();
    assert!(run.stdout.contains("State:        Error"), "{run:#?}");
}
