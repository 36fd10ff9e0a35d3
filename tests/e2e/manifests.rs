//! `create -f` and `connect -f` (issue 19): TokenRequest manifests from files and stdin (YAML
//! documents, JSON, Lists) create their requests with their own namespace, context, labels and
//! annotations; one bad document refuses them all before anything is sent, naming the file and
//! the document.

use std::path::{Path, PathBuf};

use serde_json::Value;
use tokenrequest_sandbox::ConnectorConfig;
use tokenrequest_sandbox::server::{SchemaVersion, Verb};

use crate::connect::{FILES, with_connector};
use crate::harness::{Run, Setup, TestCluster, cluster};

/// The example CR of the TokenRequest spec (the Kyma 1.x docs), as written there: after the
/// controller reconciled it, status and all.
const SPEC_SAMPLE: &str = r#"apiVersion: applicationconnector.kyma-project.io/v1alpha1
kind: TokenRequest
metadata: {name: my-app, namespace: default}
context: {}                  # or {tenant: t, group: g}; pruned on v1 CRD [inference]
status:
  application: my-app
  expireAfter: "2018-11-22T18:38:44Z"
  state: OK
  token: <88-char base64url token ending in "==">
  url: https://connector-service.<domain>/v1/applications/signingRequests/info?token=<token>
"#;

fn request(name: &str) -> String {
    format!(
        "apiVersion: applicationconnector.kyma-project.io/v1alpha1\nkind: TokenRequest\n\
         metadata:\n  name: {name}\n"
    )
}

fn write(cluster: &TestCluster, file: &str, text: &str) -> PathBuf {
    let path = cluster.dir.path().join(file);
    std::fs::write(&path, text).unwrap();
    path
}

fn text(path: &Path) -> &str {
    path.to_str().unwrap()
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

fn results(run: &Run) -> Vec<Value> {
    let list: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {run:#?}"));
    list["items"].as_array().cloned().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_spec_sample_creates_its_request_and_a_manifest_keeps_context_labels_annotations() {
    // Kyma 1.x keeps context (Kyma 2.x's schema prunes it).
    let cluster = Setup {
        schema: SchemaVersion::Kyma1,
        ..Setup::default()
    }
    .start()
    .await;
    let sample = write(&cluster, "sample.yaml", SPEC_SAMPLE);
    let run = cluster.run(&["create", "-f", text(&sample)]).await;
    run.success();
    assert!(
        run.stderr.contains("Note: ") && run.stderr.contains("sample.yaml: ignoring status"),
        "{run:#?}"
    );
    let stored = cluster.api("default").get("my-app").await.unwrap();
    let token = stored.status.and_then(|s| s.token).unwrap();
    assert!(
        !token.contains("88-char"),
        "the controller's token, not the sample's"
    );

    let with_context = SPEC_SAMPLE
        .replace("my-app", "shop-app")
        .replace(
            "namespace: default",
            "namespace: shop, labels: {team: payments}, annotations: {owner: jane}",
        )
        .replace("context: {} ", "context: {tenant: t, group: g}");
    let manifest = write(&cluster, "shop.yaml", &with_context);
    let run = cluster
        .run(&["create", "-f", text(&manifest), "-l", "run=7"])
        .await;
    run.success();
    let stored = cluster.api("shop").get("shop-app").await.unwrap();
    let context = stored.context.unwrap();
    assert_eq!(context.tenant.as_deref(), Some("t"));
    assert_eq!(context.group.as_deref(), Some("g"));
    let labels = stored.metadata.labels.unwrap();
    assert_eq!(labels["team"], "payments");
    assert_eq!(labels["run"], "7", "-l is added to the manifest's labels");
    let annotations = stored.metadata.annotations.unwrap();
    assert_eq!(annotations["owner"], "jane");
    assert!(annotations.contains_key("kubectl-tokenrequest/create-id"));
}

#[tokio::test(flavor = "multi_thread")]
async fn stdin_with_several_documents_creates_each_in_its_namespace() {
    let cluster = cluster().await;
    let input = format!(
        "{}---\n{}  namespace: ci\n---\n{}  labels: {{tier: edge}}\n",
        request("doc-a"),
        request("doc-b"),
        request("doc-c")
    );
    let run = cluster
        .run_with_stdin(&["create", "-f", "-", "-o", "json"], &input)
        .await;
    run.success();
    let items = results(&run);
    let seen: Vec<(&str, &str, &str)> = items
        .iter()
        .map(|item| {
            (
                item["name"].as_str().unwrap(),
                item["namespace"].as_str().unwrap(),
                item["origin"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("doc-a", "default", "stdin, document 1"),
            ("doc-b", "ci", "stdin, document 2"),
            ("doc-c", "default", "stdin, document 3"),
        ]
    );
    assert!(
        items.iter().all(|item| item["outcome"] == "ready"),
        "{run:#?}"
    );
    cluster.api("ci").get("doc-b").await.unwrap();
    let c = cluster.api("default").get("doc-c").await.unwrap();
    assert_eq!(c.metadata.labels.unwrap()["tier"], "edge");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_json_list_and_app_names_together() {
    let cluster = cluster().await;
    let list = r#"{"apiVersion": "v1", "kind": "List", "items": [
        {"apiVersion": "applicationconnector.kyma-project.io/v1alpha1", "kind": "TokenRequest",
         "metadata": {"name": "json-a", "resourceVersion": "12", "uid": "x"}},
        {"apiVersion": "applicationconnector.kyma-project.io/v1alpha1", "kind": "TokenRequest",
         "metadata": {"name": "json-b", "labels": {"team": "t"}}}
    ]}"#;
    let file = write(&cluster, "list.json", list);
    let run = cluster
        .run(&["create", "by-name", "-f", text(&file), "-o", "json"])
        .await;
    run.success();
    let items = results(&run);
    let origins: Vec<&str> = items
        .iter()
        .map(|i| i["origin"].as_str().unwrap())
        .collect();
    let list_place = |item: usize| format!("{}, document 1, item {item}", text(&file));
    assert_eq!(origins, ["by-name", &list_place(1), &list_place(2)]);
    for name in ["by-name", "json-a", "json-b"] {
        cluster.api("default").get(name).await.unwrap();
    }
    assert!(
        run.stderr
            .contains("ignoring metadata.resourceVersion, metadata.uid (in 1 manifest)"),
        "{run:#?}"
    );
    // A request as `get -o yaml` prints it, fed back: replaced, with a fresh token.
    let exported = cluster.run(&["get", "json-a", "-o", "yaml"]).await;
    exported.success();
    let before = cluster.api("default").get("json-a").await.unwrap();
    let run = cluster
        .run_with_stdin(
            &["create", "--refresh", "-f", "-", "-o", "name"],
            &exported.stdout,
        )
        .await;
    run.success();
    assert!(run.stderr.contains("stdin: ignoring status"), "{run:#?}");
    let after = cluster.api("default").get("json-a").await.unwrap();
    assert_ne!(before.metadata.uid, after.metadata.uid, "a new request");
    assert_ne!(before.status.unwrap().token, after.status.unwrap().token);
}

#[tokio::test(flavor = "multi_thread")]
async fn one_bad_document_refuses_them_all_before_anything_is_sent() {
    let cluster = cluster().await;
    let good = format!("{}---\n{}", request("good-a"), request("good-b"));
    let bad_kind = write(
        &cluster,
        "bad.yaml",
        &format!("{good}---\napiVersion: v1\nkind: Secret\nmetadata: {{name: s}}\n"),
    );
    let run = cluster.run(&["create", "-f", text(&bad_kind)]).await;
    run.failure(
        2,
        &format!("{}, document 3: kind is \"Secret\"", text(&bad_kind)),
    );
    assert!(run.stderr.contains("nothing was created"), "{run:#?}");

    let syntax = write(
        &cluster,
        "syntax.yaml",
        &format!("{good}---\n{}  labels: [\n", request("c")),
    );
    let run = cluster.run(&["create", "-f", text(&syntax)]).await;
    run.failure(
        2,
        &format!("{}, document 3, line 15, column 11", text(&syntax)),
    );

    let tenant_only = write(
        &cluster,
        "tenant.yaml",
        &format!("{good}---\n{}context: {{tenant: t}}\n", request("c")),
    );
    let run = cluster.run(&["create", "-f", text(&tenant_only)]).await;
    run.failure(2, "document 3: context.tenant without context.group");

    // The same name twice: across files and APP names, and in one file.
    let again = write(&cluster, "again.yaml", &request("good-a"));
    let run = cluster
        .run(&[
            "create",
            "-f",
            text(&bad_kind.with_file_name("ok.yaml")),
            "-f",
            text(&again),
        ])
        .await;
    run.failure(2, "cannot read it");
    let ok = write(&cluster, "ok.yaml", &good);
    let run = cluster
        .run(&["create", "-f", text(&ok), "-f", text(&again)])
        .await;
    run.failure(2, "TokenRequest default/good-a is given twice");
    assert!(run.stderr.contains("ok.yaml, document 1 and"), "{run:#?}");
    let run = cluster.run(&["create", "good-b", "-f", text(&ok)]).await;
    run.failure(2, "TokenRequest default/good-b is given twice (good-b and");

    let run = cluster
        .run_with_stdin(&["create", "-f", "-", "-f", "-"], &good)
        .await;
    run.failure(2, "-f - is given twice");
    let run = cluster.run_with_stdin(&["create", "-f", "-"], "").await;
    run.failure(2, "stdin: no TokenRequest in it: the file is empty");
    let run = cluster
        .run(&["create", "-f", text(&ok), "--tenant", "t", "--group", "g"])
        .await;
    run.failure(2, "--tenant and --group are for the APP names");
    let run = cluster
        .run(&[
            "create",
            "-f",
            text(&ok),
            "-l",
            "x=1",
            "-f",
            text(&tenant_only),
        ])
        .await;
    run.failure(2, "nothing was created");

    assert_eq!(creates(&cluster), 0, "nothing reached the server's create");
    assert!(
        cluster
            .api("default")
            .get_opt("good-a")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_manifest_s_namespace_against_an_explicit_one() {
    let cluster = cluster().await;
    let file = write(
        &cluster,
        "shop.yaml",
        &format!("{}  namespace: shop\n", request("ns-app")),
    );
    let run = cluster
        .run(&["create", "-f", text(&file), "-n", "ci"])
        .await;
    run.failure(
        2,
        "the namespace from the provided object \"shop\" does not match the namespace \"ci\". \
         You must pass '--namespace=shop' to perform this operation.",
    );
    assert_eq!(creates(&cluster), 0);
    // The same namespace, or none given: its own.
    cluster
        .run(&["create", "-f", text(&file), "-n", "shop", "--no-wait"])
        .await
        .success();
    cluster.api("shop").get("ns-app").await.unwrap();
    // A manifest without a namespace takes -n.
    let plain = write(&cluster, "plain.yaml", &request("plain-app"));
    cluster
        .run(&["create", "-f", text(&plain), "-n", "ci", "--no-wait"])
        .await
        .success();
    cluster.api("ci").get("plain-app").await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn connect_from_manifests_into_the_out_dir() {
    let (cluster, ca) = with_connector(ConnectorConfig::default()).await;
    let one = write(
        &cluster,
        "one.yaml",
        &format!("{}  labels: {{team: a}}\n", request("app-m")),
    );
    let dir = cluster.dir.path().join("single");
    let run = cluster
        .run(&[
            "connect",
            "-f",
            text(&one),
            "--out-dir",
            text(&dir),
            "--certificate-authority",
            text(&ca),
        ])
        .await;
    run.success();
    assert!(run.stdout.contains("Connected app-m"), "{run:#?}");
    for file in FILES {
        assert!(dir.join(file).is_file(), "{file}: {run:#?}");
    }
    let stored = cluster.api("default").get("app-m").await.unwrap();
    assert_eq!(stored.metadata.labels.unwrap()["team"], "a");

    let input = format!("{}---\n{}", request("app-x"), request("app-y"));
    let landscape = cluster.dir.path().join("landscape");
    let run = cluster
        .run_with_stdin(
            &[
                "connect",
                "-f",
                "-",
                "--out-dir",
                text(&landscape),
                "--certificate-authority",
                text(&ca),
                "-o",
                "json",
            ],
            &input,
        )
        .await;
    run.success();
    let items = results(&run);
    assert_eq!(items.len(), 2, "{run:#?}");
    for (item, name) in items.iter().zip(["app-x", "app-y"]) {
        assert_eq!(item["outcome"], "connected", "{item}");
        for file in FILES {
            assert!(landscape.join(name).join(file).is_file(), "{name}/{file}");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_directory_creates_the_requests_of_its_manifest_files_and_nothing_else() {
    let cluster = cluster().await;
    let dir = cluster.dir.path().join("landscape");
    std::fs::create_dir_all(dir.join("nested")).unwrap();
    std::fs::write(dir.join("a.yaml"), request("dir-a")).unwrap();
    std::fs::write(dir.join("b.yml"), request("dir-b")).unwrap();
    std::fs::write(dir.join("README.md"), "# not read").unwrap();
    std::fs::write(dir.join("nested").join("c.yaml"), request("dir-c")).unwrap();
    let run = cluster
        .run(&["create", "-f", text(&dir), "-o", "json"])
        .await;
    run.success();
    let names: Vec<String> = results(&run)
        .iter()
        .map(|item| item["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["dir-a", "dir-b"], "{run:#?}");
    assert_eq!(
        creates(&cluster),
        2,
        "the nested directory is not read: {run:#?}"
    );

    let empty = cluster.dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    cluster
        .run(&["create", "-f", text(&empty)])
        .await
        .failure(2, "a directory with no manifest in it");
    assert_eq!(creates(&cluster), 2, "nothing more was created");
}
