//! kubectl's output semantics and the flags scripts reach for, each checked the way a script
//! author would: the same command through kubectl and through the plugin, against the same
//! sandbox, outputs compared. kubectl must be installed (the tests fail naming it).

use std::collections::BTreeMap;

use kube::api::PostParams;
use kubectl_tokenrequest::tokenrequest::TokenRequest;
use tokenrequest_sandbox::controller::ControllerMode;

use crate::harness::{Run, Setup, TestCluster};

/// kubectl's name for the resource.
const RESOURCE: &str = "tokenrequests";

/// A sandbox without a controller, so nothing changes between the kubectl run and the
/// plugin run. kubectl reaches it with the kubeconfig's CA and token, as the plugin does.
async fn still_cluster() -> TestCluster {
    Setup::mode(ControllerMode::Off).start().await
}

async fn seed_labelled(
    cluster: &TestCluster,
    namespace: &str,
    name: &str,
    labels: &[(&str, &str)],
) {
    let mut request = TokenRequest::new(name, None);
    request.metadata.labels = Some(
        labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<BTreeMap<_, _>>(),
    );
    cluster
        .api(namespace)
        .create(&PostParams::default(), &request)
        .await
        .expect("seed a labelled TokenRequest");
}

/// Labels whose byte order differs from the names' order (what kubectl 1.32 sorts by).
async fn seed_sortable(cluster: &TestCluster) {
    for (name, s) in [
        ("m1", "x10"),
        ("m2", "x9"),
        ("m3", "x09"),
        ("m4", "X1"),
        ("m5", "x1a"),
        ("m6", "10"),
    ] {
        seed_labelled(
            cluster,
            "default",
            name,
            &[("s", s), ("tier", &format!("t-{name}"))],
        )
        .await;
    }
}

/// kubectl `get tokenrequests ARGS` and the plugin's `COMMAND ARGS`: same exit code, same
/// stdout; kubectl said nothing on stderr when it succeeded.
#[track_caller]
fn assert_same(kubectl: &Run, plugin: &Run, what: &str) {
    assert_eq!(
        (plugin.code, &plugin.stdout),
        (kubectl.code, &kubectl.stdout),
        "{what}: the plugin differs from kubectl\nkubectl: {kubectl:#?}\nplugin: {plugin:#?}"
    );
    if kubectl.code == 0 {
        assert_eq!(kubectl.stderr, "", "{what}: kubectl complained");
    }
}

async fn compare_list(cluster: &TestCluster, args: &[&str]) {
    let kubectl = cluster
        .kubectl(&[&["get", RESOURCE][..], args].concat())
        .await;
    for command in ["list", "get"] {
        let plugin = cluster.run(&[&[command][..], args].concat()).await;
        assert_same(&kubectl, &plugin, &format!("{command} {args:?}"));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sort_by_no_headers_custom_columns_and_templates_print_what_kubectl_prints() {
    let cluster = still_cluster().await;
    seed_sortable(&cluster).await;
    let template = cluster.dir.path().join("template");
    std::fs::write(
        &template,
        "{range .items[*]}{.metadata.name}={.metadata.labels.s}{\"\\n\"}{end}\n",
    )
    .unwrap();
    let template_file = format!("jsonpath-file={}", template.display());
    let columns = "custom-columns=N:.metadata.name,S:.metadata.labels.s,L:.metadata.labels";
    for args in [
        &["--sort-by=.metadata.labels.s", "-o", columns][..],
        &[
            "--sort-by=.metadata.labels.s",
            "-o",
            columns,
            "--no-headers",
        ],
        &["--sort-by", "{.metadata.labels.s}", "-o", "name"],
        &[
            "-o",
            "custom-columns=NAME:{.metadata.name},NS:metadata.namespace,X:.nope",
        ],
        &["-o", "jsonpath={.items[*].metadata.name}"],
        &[
            "-o",
            "jsonpath={range .items[*]}{.metadata.name}[{.nope}]{\"\\n\"}{end}",
        ],
        &["-o", "jsonpath={.nope}"],
        &["-o", "jsonpath-as-json={.items[*].metadata.labels.s}"],
        &["-o", &template_file],
        &["--field-selector", "metadata.name=m2", "-o", "name"],
        &[
            "--field-selector",
            "metadata.name!=m2,metadata.namespace=default",
            "-o",
            "name",
        ],
        &[
            "-l",
            "s in (x9,x10)",
            "--sort-by",
            ".metadata.labels.s",
            "-o",
            "name",
        ],
        &["-n", "empty", "-o", columns],
        &["-n", "empty", "-o", "name"],
    ] {
        compare_list(&cluster, args).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn errors_are_kubectls_errors() {
    let cluster = still_cluster().await;
    seed_sortable(&cluster).await;
    for (args, message) in [
        (
            &["--sort-by=.nope", "-o", "name"][..],
            r#"couldn't find any field with path "{.nope}" in the list of objects"#,
        ),
        (
            &[
                "-o",
                "jsonpath={.nope}",
                "--allow-missing-template-keys=false",
            ],
            "nope is not found",
        ),
        (
            &["--field-selector", "status.state=OK", "-o", "name"],
            "field label not supported: status.state",
        ),
    ] {
        let kubectl = cluster
            .kubectl(&[&["get", RESOURCE][..], args].concat())
            .await;
        let plugin = cluster.run(&[&["list"][..], args].concat()).await;
        assert_eq!(kubectl.code, 1, "{kubectl:#?}");
        assert_eq!(
            (plugin.code, plugin.stdout.as_str()),
            (1, ""),
            "{args:?}: {plugin:#?}"
        );
        for run in [&kubectl, &plugin] {
            assert!(run.stderr.contains(message), "{args:?}: {run:#?}");
        }
    }
}

/// Where each line's second column starts (after the first one's padding).
fn second_column_starts(text: &str) -> Vec<usize> {
    text.lines()
        .map(|line| {
            let first = line.find(' ').unwrap_or(line.len());
            first + line[first..].len() - line[first..].trim_start().len()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_table_of_one_page_is_kubectls_and_longer_lists_are_laid_out_page_by_page() {
    let cluster = still_cluster().await;
    let long = "p3-a-much-longer-name";
    // The sandbox lists by name: a page of short names, one with the long name, a short one.
    for name in ["p1", "p2", long, "p4", "p5"] {
        seed_labelled(&cluster, "default", name, &[]).await;
    }
    // Text the server wrote, wider in bytes than in characters: kubectl's tabwriter counts
    // characters (runes), and so does the plugin.
    let mut annotated = TokenRequest::new("p6", None);
    annotated.metadata.annotations = Some(BTreeMap::from([(
        "note".to_string(),
        "größe-日本語".to_string(),
    )]));
    cluster
        .api("default")
        .create(&PostParams::default(), &annotated)
        .await
        .expect("seed an annotated TokenRequest");
    let columns = "custom-columns=NAME:.metadata.name,NOTE:.metadata.annotations.note";
    let notes = "custom-columns=NOTE:.metadata.annotations.note,NAME:.metadata.name";
    // One page (the default 500, or --chunk-size 0: one call): kubectl's bytes.
    for args in [
        &["-o", columns][..],
        &["-o", notes],
        &["-o", columns, "--chunk-size", "0"],
        &["-o", columns, "--no-headers"],
    ] {
        compare_list(&cluster, args).await;
    }
    // Pages of two: kubectl 1.32 reads every page before it prints and sizes all lines by
    // all rows; the plugin prints each page as it comes, sized by the pages so far, so it
    // holds one page, not the list. The cells are kubectl's; the NOTE column starts after the
    // widest NAME of the pages printed so far.
    let args = ["-o", columns, "--chunk-size", "2"];
    let kubectl = cluster
        .kubectl(&[&["get", RESOURCE][..], &args].concat())
        .await;
    kubectl.success();
    let wide = long.len() + 3;
    assert_eq!(second_column_starts(&kubectl.stdout), vec![wide; 7]);
    for command in ["list", "get"] {
        let plugin = cluster.run(&[&[command][..], &args].concat()).await;
        plugin.success();
        assert_eq!(
            words_of(&plugin.stdout),
            words_of(&kubectl.stdout),
            "{command}: the same cells as kubectl's"
        );
        assert_eq!(
            second_column_starts(&plugin.stdout),
            [vec![7; 3], vec![wide; 4]].concat(),
            "{command}: the header and the first page by themselves, then wider, and never \
             narrower again:\n{}",
            plugin.stdout
        );
    }
    // The default table follows the same rule.
    let plugin = cluster.run(&["list", "--chunk-size", "2"]).await;
    plugin.success();
    assert_eq!(
        second_column_starts(&plugin.stdout),
        [vec![7; 3], vec![wide; 4]].concat(),
        "{plugin:#?}"
    );
}

/// Every line's words.
fn words_of(text: &str) -> Vec<Vec<&str>> {
    text.lines()
        .map(|line| line.split_whitespace().collect())
        .collect()
}

/// The last `n` columns of each line (kubectl's table has other columns before them).
fn last_columns(text: &str, n: usize) -> Vec<Vec<String>> {
    text.lines()
        .map(|line| {
            let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
            words[words.len().saturating_sub(n)..].to_vec()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn label_columns_and_show_labels_are_kubectls() {
    let cluster = still_cluster().await;
    seed_sortable(&cluster).await;
    let args = ["-L", "s", "--label-columns=tier", "--show-labels"];
    let kubectl = cluster
        .kubectl(&[&["get", RESOURCE][..], &args].concat())
        .await;
    let plugin = cluster.run(&[&["list"][..], &args].concat()).await;
    kubectl.success();
    plugin.success();
    assert_eq!(
        last_columns(&plugin.stdout, 3),
        last_columns(&kubectl.stdout, 3),
        "kubectl:\n{}\nplugin:\n{}",
        kubectl.stdout,
        plugin.stdout
    );
    assert!(plugin.stdout.starts_with("NAME "), "{plugin:#?}");
    assert!(
        plugin
            .stdout
            .lines()
            .next()
            .unwrap()
            .ends_with("   S     TIER   LABELS")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn get_takes_several_names_and_all_namespaces_as_kubectl_does() {
    let cluster = still_cluster().await;
    seed_sortable(&cluster).await;
    seed_labelled(&cluster, "other", "elsewhere", &[]).await;
    for args in [
        &["m3", "m1", "-o", "name"][..],
        &["-A", "-o", "name"],
        &[
            "-A",
            "-o",
            "custom-columns=NS:.metadata.namespace,N:.metadata.name",
        ],
        &["m1", "-o", "jsonpath={.metadata.name} {.nope}"],
        &["m2", "m1", "-o", "jsonpath={.items[*].metadata.name}"],
    ] {
        let kubectl = cluster
            .kubectl(&[&["get", RESOURCE][..], args].concat())
            .await;
        let plugin = cluster.run(&[&["get"][..], args].concat()).await;
        assert_same(&kubectl, &plugin, &format!("get {args:?}"));
    }
    // JSON: one object for one name, a List for several.
    for args in [&["m1", "-o", "json"][..], &["m1", "m2", "-o", "json"]] {
        let kubectl = cluster
            .kubectl(&[&["get", RESOURCE][..], args].concat())
            .await;
        let plugin = cluster.run(&[&["get"][..], args].concat()).await;
        let parse = |run: &Run| serde_json::from_str::<serde_json::Value>(&run.stdout).unwrap();
        assert_eq!(parse(&plugin), parse(&kubectl), "get {args:?}");
    }
    // A missing one: the others printed, the missing one an error, exit 1.
    let kubectl = cluster
        .kubectl(&["get", RESOURCE, "m1", "nope", "m2", "-o", "name"])
        .await;
    let plugin = cluster
        .run(&["get", "m1", "nope", "m2", "-o", "name"])
        .await;
    assert_eq!(
        (plugin.code, &plugin.stdout),
        (kubectl.code, &kubectl.stdout)
    );
    assert!(
        plugin.stderr.contains("nope") && plugin.stderr.contains("not found"),
        "{plugin:#?}"
    );
    // By name across all namespaces: refused by both.
    let kubectl = cluster.kubectl(&["get", RESOURCE, "m1", "-A"]).await;
    assert_ne!(kubectl.code, 0);
    cluster
        .run(&["get", "m1", "-A"])
        .await
        .failure(2, "--all-namespaces");
    // Credentials are one request's: refused for several.
    cluster
        .run(&["get", "m1", "m2", "-o", "url"])
        .await
        .failure(2, "give exactly one NAME");
}

#[tokio::test(flavor = "multi_thread")]
async fn dry_runs_say_so_as_kubectl_does() {
    let cluster = still_cluster().await;
    let manifest = cluster.dir.path().join("dry.yaml");
    std::fs::write(
        &manifest,
        "apiVersion: applicationconnector.kyma-project.io/v1alpha1\nkind: TokenRequest\n\
         metadata:\n  name: dry\n",
    )
    .unwrap();
    let manifest = manifest.to_str().unwrap();
    for (mode, extra) in [
        ("--dry-run=client", &[][..]),
        ("--dry-run=server", &[]),
        ("--dry-run=client", &["-o", "name"]),
    ] {
        let kubectl = cluster
            .kubectl(&[&["create", "-f", manifest, mode][..], extra].concat())
            .await;
        let plugin = cluster
            .run(&[&["create", "dry", mode][..], extra].concat())
            .await;
        assert_same(&kubectl, &plugin, &format!("create {mode} {extra:?}"));
    }
    let plugin = cluster.run(&["create", "dry", "--dry-run"]).await;
    assert_eq!(
        plugin.stdout,
        "tokenrequest.applicationconnector.kyma-project.io/dry created (dry run)\n"
    );
    assert!(
        cluster
            .api("default")
            .get_opt("dry")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn create_sets_labels_that_list_and_delete_select_on() {
    let cluster = still_cluster().await;
    for (name, labels) in [
        ("pay-a", "team=payments,env=ci"),
        ("pay-b", "team=payments"),
        ("other", "team=ops"),
    ] {
        cluster
            .run(&[
                "create",
                name,
                "--labels",
                labels,
                "--no-wait",
                "-o",
                "name",
            ])
            .await
            .success();
    }
    let stored = cluster.api("default").get("pay-a").await.unwrap();
    let labels = stored.metadata.labels.unwrap_or_default();
    assert_eq!(labels.get("team").map(String::as_str), Some("payments"));
    assert_eq!(labels.get("env").map(String::as_str), Some("ci"));
    compare_list(&cluster, &["-l", "team=payments", "-o", "name"]).await;

    let run = cluster.run(&["delete", "-l", "team=payments"]).await;
    run.success();
    assert_eq!(
        run.stdout,
        "tokenrequest.applicationconnector.kyma-project.io/pay-a deleted\n\
         tokenrequest.applicationconnector.kyma-project.io/pay-b deleted\n"
    );
    let left = cluster.kubectl(&["get", RESOURCE, "-o", "name"]).await;
    assert_eq!(
        left.stdout,
        "tokenrequest.applicationconnector.kyma-project.io/other\n"
    );
    let run = cluster.run(&["delete", "-l", "team=payments"]).await;
    run.success();
    assert!(run.stderr.contains("No resources found"), "{run:#?}");
    cluster
        .run(&["create", "bad", "-l", "team=a b"])
        .await
        .failure(2, "invalid label value");
    cluster
        .run(&["delete", "other", "-l", "team=ops"])
        .await
        .failure(2, "cannot be used");
}
