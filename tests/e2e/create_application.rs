//! `--create-application` (issue 19): `create` and `connect` create a missing Application
//! before they request a token, in the shape `application-create` records; an existing one is
//! never written to; `--dry-run=client` sends nothing, `--dry-run=server` sends `dryRun=All`;
//! a create RBAC refuses fails before any token, naming the rule, and with several
//! Applications only that one fails.

use std::path::Path;

use serde_json::{Value, json};
use tokenrequest_sandbox::server::{ApplicationRequest, Verb};
use tokenrequest_sandbox::{
    ConnectorConfig, ControllerConfig, Sandbox, SandboxConfig, ServerConfig, User,
};

use crate::harness::{Run, TestCluster};

const DESCRIPTION: &str = "created by kubectl-tokenrequest (--create-application)";
/// A user who may read Applications (and do anything to TokenRequests) but not create them.
const READER: [&str; 2] = ["--context", "sandbox-appreader"];
const RULE: &str = "`create` on applications.applicationconnector.kyma-project.io, cluster-wide";
const SUGGESTION: &str = "kubectl create clusterrole application-creator --verb=create \
                          --resource=applications.applicationconnector.kyma-project.io";

/// A sandbox with `applications` and the user `appreader`; with a Connector Service for
/// `connect` when `connector`.
async fn start(applications: &[&str], connector: bool) -> (TestCluster, std::path::PathBuf) {
    let mut users = User::defaults();
    users.push(User::parse_spec("appreader=*;applications=get,list").unwrap());
    let sandbox = Sandbox::start(SandboxConfig {
        server: ServerConfig {
            users,
            applications: applications.iter().map(|name| name.to_string()).collect(),
            ..ServerConfig::default()
        },
        controller: ControllerConfig::default(),
        connector: connector.then(ConnectorConfig::default),
    })
    .await
    .expect("start the sandbox");
    let cluster = TestCluster::around(sandbox);
    let ca = cluster.dir.path().join("connector-ca.crt");
    if let Some(service) = cluster.sandbox.connector() {
        service.write_ca(&ca).expect("write the CA");
    }
    (cluster, ca)
}

async fn run_with(cluster: &TestCluster, args: &[&str], extra: &[&str]) -> Run {
    let mut all = args.to_vec();
    all.extend_from_slice(extra);
    cluster.run(&all).await
}

fn application_requests(cluster: &TestCluster) -> Vec<ApplicationRequest> {
    cluster.sandbox.server().application_requests()
}

/// The requests that could have changed an Application.
fn application_writes(cluster: &TestCluster) -> Vec<ApplicationRequest> {
    application_requests(cluster)
        .into_iter()
        .filter(ApplicationRequest::writes)
        .collect()
}

fn stored_application(cluster: &TestCluster, name: &str) -> Option<Value> {
    let stored = cluster.sandbox.server().applications().get("", name)?;
    Some(stored.value.clone())
}

/// How many TokenRequest creates reached the server.
fn token_request_creates(cluster: &TestCluster) -> usize {
    cluster
        .sandbox
        .server()
        .requests()
        .iter()
        .filter(|request| request.verb == Verb::Create)
        .count()
}

/// Whether the TokenRequest `name` (in default) exists.
async fn request_exists(cluster: &TestCluster, name: &str) -> bool {
    cluster
        .api("default")
        .get_opt(name)
        .await
        .unwrap()
        .is_some()
}

/// Whether the TokenRequest `name` (in default) has its token.
async fn has_token(cluster: &TestCluster, name: &str) -> bool {
    cluster
        .api("default")
        .get_opt(name)
        .await
        .unwrap()
        .and_then(|request| request.status)
        .and_then(|status| status.token)
        .is_some()
}

/// The body `--create-application` must send: `application-create`'s, with its description.
fn recorded_body(name: &str) -> Value {
    let text = include_str!(
        "../sandbox/tests/fixtures/kube-apiserver-v1.28-doctor/application-create.json"
    );
    let recording: Value = serde_json::from_str(text).unwrap();
    let mut body = recording["request"]["body"].clone();
    body["metadata"]["name"] = json!(name);
    body["spec"]["description"] = json!(DESCRIPTION);
    body
}

#[tokio::test(flavor = "multi_thread")]
async fn create_makes_the_missing_application_first_then_the_token() {
    let (cluster, _) = start(&[], false).await;
    let run = cluster
        .run(&["create", "my-app", "--create-application", "-o", "name"])
        .await;
    run.success();
    assert_eq!(
        run.stdout,
        "tokenrequest.applicationconnector.kyma-project.io/my-app\n"
    );
    assert_eq!(
        run.stderr, "Application \"my-app\" created (--create-application)\n",
        "no warning about a missing Application: {run:#?}"
    );
    let writes = application_writes(&cluster);
    assert_eq!(writes.len(), 1, "one create: {writes:#?}");
    let post = &writes[0];
    assert_eq!((post.method.as_str(), post.code), ("POST", 201));
    assert_eq!(post.body.as_ref(), Some(&recorded_body("my-app")));
    assert_eq!(post.dry_run, None);
    assert_eq!(post.field_manager.as_deref(), Some("kubectl-tokenrequest"));
    let stored = stored_application(&cluster, "my-app").expect("the Application is stored");
    assert_eq!(
        stored["spec"],
        json!({"description": DESCRIPTION, "services": []})
    );
    assert_eq!(
        stored["metadata"]["managedFields"][0]["manager"],
        "kubectl-tokenrequest"
    );
    // The Application came before the token was asked for.
    let token_create = cluster
        .sandbox
        .server()
        .requests()
        .into_iter()
        .find(|request| request.verb == Verb::Create)
        .expect("the TokenRequest was created");
    assert!(post.at < token_create.at, "the Application first");
    assert!(has_token(&cluster, "my-app").await);

    // With --require-application as well: what it creates is an Application that exists.
    let run = cluster
        .run(&[
            "create",
            "orders",
            "--create-application",
            "--require-application",
            "-o",
            "name",
        ])
        .await;
    run.success();
    assert!(stored_application(&cluster, "orders").is_some(), "{run:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_existing_application_is_never_written_to() {
    let (cluster, _) = start(&["my-app"], false).await;
    let before = stored_application(&cluster, "my-app").unwrap();
    let run = cluster
        .run(&[
            "create",
            "my-app",
            "--create-application",
            "--require-application",
            "-o",
            "name",
        ])
        .await;
    run.success();
    assert_eq!(run.stderr, "", "an existing Application: nothing to say");
    assert!(application_writes(&cluster).is_empty());
    assert!(
        application_requests(&cluster)
            .iter()
            .any(|request| request.method == "GET"),
        "it was looked up"
    );
    assert_eq!(stored_application(&cluster, "my-app").unwrap(), before);
    assert!(has_token(&cluster, "my-app").await);

    // Someone else may read it but not create one: no create is needed, so none is refused.
    let run = run_with(
        &cluster,
        &["create", "my-app", "--create-application", "--refresh"],
        &READER,
    )
    .await;
    run.success();
    assert!(application_writes(&cluster).is_empty());
    assert_eq!(stored_application(&cluster, "my-app").unwrap(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn dry_runs_send_nothing_or_only_a_dry_run() {
    let (cluster, _) = start(&[], false).await;
    let run = cluster
        .run(&[
            "create",
            "my-app",
            "--create-application",
            "--dry-run=client",
            "-o",
            "name",
        ])
        .await;
    run.success();
    assert!(
        run.stderr.contains(
            "Application \"my-app\" would be created if it does not exist \
             (--create-application; --dry-run=client sends nothing)"
        ),
        "{run:#?}"
    );
    assert!(application_requests(&cluster).is_empty(), "nothing sent");
    // The controller's list and watch of all namespaces aside.
    let sent: Vec<_> = cluster
        .sandbox
        .server()
        .requests()
        .into_iter()
        .filter(|request| request.namespace.is_some())
        .collect();
    assert!(sent.is_empty(), "nothing sent: {sent:#?}");

    // Several: each is said.
    let run = cluster
        .run(&[
            "create",
            "one",
            "two",
            "--create-application",
            "--dry-run=client",
        ])
        .await;
    run.success();
    for name in ["one", "two"] {
        assert!(
            run.stderr
                .contains(&format!("Application \"{name}\" would be created")),
            "{run:#?}"
        );
    }
    assert!(application_requests(&cluster).is_empty(), "nothing sent");

    let run = cluster
        .run(&[
            "create",
            "my-app",
            "--create-application",
            "--dry-run=server",
            "-o",
            "name",
        ])
        .await;
    run.success();
    assert!(
        run.stderr
            .contains("Application \"my-app\" would be created (server dry run)"),
        "{run:#?}"
    );
    let writes = application_writes(&cluster);
    assert_eq!(writes.len(), 1, "{writes:#?}");
    assert_eq!(writes[0].dry_run.as_deref(), Some("All"));
    assert_eq!(writes[0].body.as_ref(), Some(&recorded_body("my-app")));
    assert!(
        stored_application(&cluster, "my-app").is_none(),
        "not stored"
    );
    assert!(!request_exists(&cluster, "my-app").await, "a dry run");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_create_rbac_refuses_fails_before_any_token_naming_the_rule() {
    let (cluster, ca) = start(&[], true).await;
    let run = run_with(
        &cluster,
        &["create", "my-app", "--create-application"],
        &READER,
    )
    .await;
    run.failure(
        1,
        "--create-application: cannot create Application \"my-app\", so no token was requested",
    );
    for needed in [
        "User \"appreader\" cannot create resource \"applications\"",
        RULE,
        SUGGESTION,
        // The binding is for the user the server named.
        "--clusterrole=application-creator --user=appreader`",
    ] {
        assert!(run.stderr.contains(needed), "{needed:?}: {run:#?}");
    }
    assert_eq!(token_request_creates(&cluster), 0, "no TokenRequest");
    assert!(stored_application(&cluster, "my-app").is_none());

    // connect stops there too: no token spent, no files.
    let out = cluster.dir.path().join("out");
    let run = run_with(
        &cluster,
        &[
            "connect",
            "my-app",
            "--create-application",
            "--out-dir",
            out.to_str().unwrap(),
            "--certificate-authority",
            ca.to_str().unwrap(),
        ],
        &READER,
    )
    .await;
    run.failure(1, RULE);
    assert_eq!(token_request_creates(&cluster), 0, "no token spent");
    assert!(!out.exists(), "no files");
}

#[tokio::test(flavor = "multi_thread")]
async fn connect_creates_the_missing_application_then_connects() {
    let (cluster, ca) = start(&[], true).await;
    let out = cluster.dir.path().join("out");
    let run = connect(&cluster, &ca, &out, "my-app").await;
    run.success();
    assert!(
        run.stderr
            .contains("Application \"my-app\" created (--create-application)"),
        "{run:#?}"
    );
    assert!(!run.stderr.contains("Warning"), "{run:#?}");
    let writes = application_writes(&cluster);
    assert_eq!(writes.len(), 1, "{writes:#?}");
    assert_eq!(writes[0].body.as_ref(), Some(&recorded_body("my-app")));
    assert!(stored_application(&cluster, "my-app").is_some());
    assert!(out.join("client.crt").exists(), "{run:#?}");
}

/// `connect APP --create-application --out-dir OUT --certificate-authority CA`.
async fn connect(cluster: &TestCluster, ca: &Path, out: &Path, app: &str) -> Run {
    let args = vec![
        "connect",
        app,
        "--create-application",
        "--out-dir",
        out.to_str().unwrap(),
        "--certificate-authority",
        ca.to_str().unwrap(),
    ];
    cluster.run(&args).await
}

fn results(run: &Run) -> Vec<Value> {
    let list: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {run:#?}"));
    list["items"].as_array().cloned().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn with_several_a_refused_create_fails_that_one_and_the_others_go_on() {
    // RBAC is per user: `appreader` needs no create for the existing `crm` and `hr`, and is
    // refused the one for the missing `erp`.
    let (cluster, ca) = start(&["crm", "hr"], true).await;
    let run = run_with(
        &cluster,
        &["create", "crm", "erp", "--create-application", "-o", "json"],
        &READER,
    )
    .await;
    run.failure(1, "1 of 2 Applications failed (erp)");
    let items = results(&run);
    assert_eq!(items.len(), 2, "{run:#?}");
    assert_eq!(
        (&items[0]["name"], &items[0]["outcome"]),
        (&json!("crm"), &json!("ready"))
    );
    assert_eq!(
        (
            &items[1]["name"],
            &items[1]["outcome"],
            &items[1]["exitCode"]
        ),
        (&json!("erp"), &json!("failed"), &json!(1))
    );
    let error = items[1]["error"].as_str().unwrap();
    assert!(
        error.contains(RULE) && error.contains(SUGGESTION),
        "{error}"
    );
    assert!(has_token(&cluster, "crm").await);
    assert!(!request_exists(&cluster, "erp").await, "no token for erp");
    assert_eq!(token_request_creates(&cluster), 1);
    let writes = application_writes(&cluster);
    assert!(writes.iter().all(|write| write.code == 403), "{writes:#?}");

    let out = cluster.dir.path().join("out");
    let mut args = vec!["connect", "hr", "erp", "--create-application", "-o", "json"];
    args.extend([
        "--out-dir",
        out.to_str().unwrap(),
        "--certificate-authority",
        ca.to_str().unwrap(),
    ]);
    let run = run_with(&cluster, &args, &READER).await;
    run.failure(1, "1 of 2 Applications failed (erp)");
    let items = results(&run);
    assert_eq!(items[0]["outcome"], "connected", "{run:#?}");
    assert_eq!(items[1]["outcome"], "failed", "{run:#?}");
    assert!(
        items[1]["error"].as_str().unwrap().contains(RULE),
        "{run:#?}"
    );
    assert!(out.join("hr").join("client.crt").exists());
    assert!(!out.join("erp").exists(), "no files for erp");
    assert_eq!(token_request_creates(&cluster), 2, "no token spent for erp");
    assert!(!request_exists(&cluster, "erp").await);

    // As someone who may create Applications, the same run creates the missing ones.
    let run = cluster
        .run(&[
            "create",
            "erp",
            "billing",
            "--create-application",
            "-o",
            "json",
        ])
        .await;
    run.success();
    assert!(stored_application(&cluster, "erp").is_some());
    assert!(stored_application(&cluster, "billing").is_some());
    assert!(has_token(&cluster, "erp").await && has_token(&cluster, "billing").await);
}
