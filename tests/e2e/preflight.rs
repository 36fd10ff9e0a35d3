//! The Application preflight of `create` and `connect`: a missing Application is a warning with
//! the closest names, or with `--require-application` an error before anything is created;
//! where Applications cannot be checked nothing is said unless `-v`. And a wait that times out
//! without an answer points at `doctor`.

use kube::api::ListParams;
use tokenrequest_sandbox::server::{Verb, Verbs};
use tokenrequest_sandbox::{
    ConnectorConfig, ControllerConfig, ControllerMode, Resource, ServerConfig, User,
};

use crate::doctor::start;
use crate::harness::{Setup, TestCluster};

fn with_applications(names: &[&str]) -> ServerConfig {
    ServerConfig {
        applications: names.iter().map(|n| n.to_string()).collect(),
        ..ServerConfig::default()
    }
}

async fn exists(cluster: &TestCluster, name: &str) -> bool {
    cluster
        .api("default")
        .get_opt(name)
        .await
        .unwrap()
        .is_some()
}

fn creates(cluster: &TestCluster) -> usize {
    cluster
        .sandbox
        .server()
        .requests()
        .iter()
        .filter(|r| r.verb == Verb::Create)
        .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn create_warns_about_a_missing_application_and_names_the_closest() {
    let cluster = start(
        with_applications(&["my-app", "my-apps", "orders"]),
        ControllerConfig::default(),
    )
    .await;
    let run = cluster.run(&["create", "my-ap", "-o", "name"]).await;
    run.success();
    assert!(
        run.stderr.starts_with(
            "Warning: Application \"my-ap\" does not exist on this cluster (did you mean \
             \"my-app\" or \"my-apps\"?)"
        ),
        "{run:#?}"
    );
    assert!(run.stderr.contains("--require-application"), "{run:#?}");
    assert!(exists(&cluster, "my-ap").await, "created all the same");

    // The look-up runs beside the create; a run that ends at once still waits for its warning.
    let run = cluster
        .run(&["create", "orderz", "--no-wait", "-o", "name"])
        .await;
    run.success();
    assert!(
        run.stderr
            .starts_with("Warning: Application \"orderz\" does not exist on this cluster (did you mean \"orders\"?)"),
        "{run:#?}"
    );

    let run = cluster.run(&["create", "orders", "-o", "name"]).await;
    run.success();
    assert_eq!(run.stderr, "", "an existing Application: nothing to say");
}

#[tokio::test(flavor = "multi_thread")]
async fn require_application_refuses_before_anything_is_created() {
    let cluster = start(with_applications(&["my-app"]), ControllerConfig::default()).await;
    let run = cluster
        .run(&["create", "my-ap", "--require-application"])
        .await;
    run.failure(
        1,
        "Application \"my-ap\" does not exist on this cluster (did you mean \"my-app\"?)",
    );
    assert!(
        run.stderr.contains("--require-application refuses"),
        "{run:#?}"
    );
    assert!(!exists(&cluster, "my-ap").await);
    assert_eq!(creates(&cluster), 0, "no create was sent");

    let out_dir = cluster.dir.path().join("out");
    let run = cluster
        .run(&[
            "connect",
            "my-ap",
            "--require-application",
            "--out-dir",
            out_dir.to_str().unwrap(),
        ])
        .await;
    run.failure(
        1,
        "does not exist on this cluster (did you mean \"my-app\"?)",
    );
    assert_eq!(creates(&cluster), 0, "no token was spent");
    assert!(!out_dir.exists(), "no files");

    let run = cluster
        .run(&["create", "my-app", "--require-application", "-o", "name"])
        .await;
    run.success();
    assert_eq!(run.stderr, "");
}

#[tokio::test(flavor = "multi_thread")]
async fn where_applications_cannot_be_checked_nothing_is_said_unless_verbose() {
    let hidden = User::new("noapps", "sandbox-noapps-token", Verbs::ALL)
        .with_verbs_on(Resource::Applications, Verbs::NONE);
    let no_crd = start(
        ServerConfig {
            serve_applications: false,
            users: vec![hidden],
            ..ServerConfig::default()
        },
        ControllerConfig::default(),
    )
    .await;
    let forbidden = ["--context", "sandbox-noapps"];
    for extra in [&[][..], &forbidden[..]] {
        let name = format!("quiet{}", extra.len());
        let mut args = vec!["create", name.as_str(), "-o", "name"];
        args.extend_from_slice(extra);
        let run = no_crd.run(&args).await;
        run.success();
        assert_eq!(run.stderr, "", "{args:?}: {run:#?}");

        let name = format!("verbose{}", extra.len());
        let mut args = vec!["create", name.as_str(), "-o", "name", "-v=1"];
        args.extend_from_slice(extra);
        let run = no_crd.run(&args).await;
        run.success();
        assert!(
            run.stderr
                .contains(&format!("not checking that Application {name} exists")),
            "{args:?}: {run:#?}"
        );

        let name = format!("required{}", extra.len());
        let mut args = vec!["create", name.as_str(), "--require-application"];
        args.extend_from_slice(extra);
        let run = no_crd.run(&args).await;
        run.failure(1, "--require-application: cannot check that Application");
        assert!(!exists(&no_crd, &name).await);
    }
    let listed = no_crd
        .api("default")
        .list(&ListParams::default())
        .await
        .unwrap();
    assert_eq!(
        listed.items.len(),
        4,
        "the four unchecked creates went through"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn connect_warns_about_a_missing_application_too() {
    let cluster = Setup {
        connector: Some(ConnectorConfig::default()),
        applications: vec!["my-app".into()],
        ..Setup::default()
    }
    .start()
    .await;
    let ca = cluster.dir.path().join("connector-ca.crt");
    cluster.sandbox.connector().unwrap().write_ca(&ca).unwrap();
    let out_dir = cluster.dir.path().join("out");
    let run = cluster
        .run(&[
            "connect",
            "my-ap",
            "--out-dir",
            out_dir.to_str().unwrap(),
            "--certificate-authority",
            ca.to_str().unwrap(),
        ])
        .await;
    run.success();
    assert!(
        run.stderr.starts_with(
            "Warning: Application \"my-ap\" does not exist on this cluster (did you mean \
             \"my-app\"?)"
        ),
        "{run:#?}"
    );
    assert!(out_dir.join("client.crt").exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wait_nobody_answers_points_at_doctor() {
    let cluster = Setup::mode(ControllerMode::Off).start().await;
    cluster
        .run(&["create", "my-app", "--timeout", "1s"])
        .await
        .failure(4, "no controller answered")
        .failure(
            4,
            "see what else is missing with `kubectl tokenrequest doctor`",
        );
}
