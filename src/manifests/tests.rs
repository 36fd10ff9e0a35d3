use std::collections::BTreeMap;
use std::path::PathBuf;

use super::*;

/// The example CR of the TokenRequest spec (the Kyma 1.x docs), as written there.
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

fn all(text: &str) -> Vec<Manifest> {
    parse("app.yaml", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
}

fn one(text: &str) -> Manifest {
    let mut manifests = all(text);
    assert_eq!(manifests.len(), 1, "{manifests:?}");
    manifests.remove(0)
}

#[track_caller]
fn refused(text: &str) -> String {
    parse("app.yaml", text.as_bytes())
        .expect_err("should be refused")
        .to_string()
}

#[track_caller]
fn refused_with(text: &str, expected: &str) {
    let error = refused(text);
    assert!(
        error.contains(expected),
        "{error:?} should say {expected:?}"
    );
}

fn request(name: &str) -> String {
    format!(
        "apiVersion: applicationconnector.kyma-project.io/v1alpha1\nkind: TokenRequest\n\
         metadata:\n  name: {name}\n"
    )
}

fn names(manifests: &[Manifest]) -> Vec<&str> {
    manifests.iter().map(|m| m.name.as_str()).collect()
}

#[test]
fn the_spec_sample_is_taken_as_written_and_its_status_ignored() {
    let manifest = one(SPEC_SAMPLE);
    assert_eq!(manifest.name, "my-app");
    assert_eq!(manifest.namespace.as_deref(), Some("default"));
    assert_eq!(manifest.context, None);
    assert_eq!(manifest.ignored, ["status"]);
    assert_eq!(manifest.place.to_string(), "app.yaml, document 1");
    // Its alternative context, as the comment gives it.
    let with_context = SPEC_SAMPLE.replace("context: {} ", "context: {tenant: t, group: g}");
    assert_eq!(
        one(&with_context).context,
        Some(ClusterContext {
            tenant: Some("t".into()),
            group: Some("g".into()),
        })
    );
}

#[test]
fn a_full_manifest_keeps_namespace_labels_annotations_and_context() {
    let manifest = one(
        "apiVersion: applicationconnector.kyma-project.io/v1alpha1\n\
         kind: TokenRequest\n\
         metadata:\n  name: orders\n  namespace: shop\n\
         \x20 labels:\n    team: payments\n    example.com/tier: \"\"\n\
         \x20 annotations:\n    owner: jane@example.com\n    note: \"a: b\\nc\"\n\
         context:\n  tenant: acme\n  group: eu\n",
    );
    assert_eq!(manifest.name, "orders");
    assert_eq!(manifest.namespace.as_deref(), Some("shop"));
    assert_eq!(
        manifest.labels,
        BTreeMap::from([
            ("example.com/tier".to_string(), String::new()),
            ("team".to_string(), "payments".to_string()),
        ])
    );
    assert_eq!(manifest.annotations["owner"], "jane@example.com");
    assert_eq!(manifest.annotations["note"], "a: b\nc");
    assert_eq!(manifest.context.unwrap().tenant.as_deref(), Some("acme"));
    assert!(manifest.ignored.is_empty());
}

#[test]
fn several_yaml_documents_are_numbered_without_the_empty_ones() {
    let text = format!(
        "---\n# first\n{}---\n\n---\n{}--- # a marker with a comment\n{}...\n",
        request("a"),
        request("b"),
        request("c")
    );
    let manifests = all(&text);
    assert_eq!(names(&manifests), ["a", "b", "c"]);
    let places: Vec<String> = manifests.iter().map(|m| m.place.to_string()).collect();
    assert_eq!(
        places,
        [
            "app.yaml, document 1",
            "app.yaml, document 2",
            "app.yaml, document 3"
        ]
    );
}

#[test]
fn json_one_object_or_several_and_a_bom() {
    let object = r#"{"apiVersion": "applicationconnector.kyma-project.io/v1alpha1",
        "kind": "TokenRequest", "metadata": {"name": "a", "labels": {"x": "1"}}}"#;
    let manifest = one(object);
    assert_eq!(manifest.labels["x"], "1");
    let stream = format!("{object}\n{}", object.replace("\"a\"", "\"b\""));
    assert_eq!(names(&all(&stream)), ["a", "b"]);
    assert_eq!(names(&all(&format!("\u{feff}{object}"))), ["a"]);
}

#[test]
fn lists_of_either_kind_and_their_items() {
    let list = r#"{"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""},
        "items": [
          {"apiVersion": "applicationconnector.kyma-project.io/v1alpha1", "kind": "TokenRequest",
           "metadata": {"name": "a", "uid": "u", "resourceVersion": "7"}},
          {"apiVersion": "applicationconnector.kyma-project.io/v1alpha1", "kind": "TokenRequest",
           "metadata": {"name": "b"}}
        ]}"#;
    let manifests = all(list);
    assert_eq!(names(&manifests), ["a", "b"]);
    assert_eq!(
        manifests[1].place.to_string(),
        "app.yaml, document 1, item 2"
    );
    assert_eq!(
        manifests[0].ignored,
        ["metadata.resourceVersion", "metadata.uid"]
    );
    // The API's own list: its items may leave kind and apiVersion to it.
    let typed = "apiVersion: applicationconnector.kyma-project.io/v1alpha1\n\
                 kind: TokenRequestList\nitems:\n- metadata: {name: a}\n- metadata: {name: b}\n";
    assert_eq!(names(&all(typed)), ["a", "b"]);
    // An empty List beside a request: the request.
    let text = format!(
        "apiVersion: v1\nkind: List\nitems: []\n---\n{}",
        request("c")
    );
    assert_eq!(names(&all(&text)), ["c"]);
}

#[test]
fn what_the_server_and_the_controller_set_is_ignored_with_one_note_per_file() {
    let exported = "apiVersion: applicationconnector.kyma-project.io/v1alpha1\n\
        kind: TokenRequest\n\
        metadata:\n  name: a\n  namespace: default\n  uid: 1b2c\n  resourceVersion: \"42\"\n\
        \x20 creationTimestamp: \"2024-01-01T00:00:00Z\"\n  generation: 1\n\
        \x20 managedFields: [{manager: kubectl-tokenrequest}]\n\
        status: {state: OK, token: secret-token, url: \"https://h/?token=secret-token\"}\n";
    let text = format!(
        "{exported}---\n{}---\n{}",
        request("b"),
        exported.replace("name: a", "name: c")
    );
    let manifests = all(&text);
    assert_eq!(manifests[0].ignored.len(), 6, "{:?}", manifests[0].ignored);
    let note = ignored_note("app.yaml", &manifests).unwrap();
    assert!(
        note.starts_with("Note: app.yaml: ignoring status, metadata.creationTimestamp,"),
        "{note}"
    );
    assert!(note.contains("(in 2 manifests)"), "{note}");
    assert!(
        !note.contains("secret-token"),
        "a note names fields, never values"
    );
    assert_eq!(ignored_note("app.yaml", &all(&request("b"))), None);
}

#[test]
fn null_and_empty_fields_count_as_left_out() {
    let manifest = one(
        "apiVersion: applicationconnector.kyma-project.io/v1alpha1\nkind: TokenRequest\n\
         metadata:\n  name: a\n  namespace: \"\"\n  labels: ~\n  annotations: null\ncontext: ~\n",
    );
    assert_eq!(manifest.namespace, None);
    assert!(manifest.labels.is_empty() && manifest.annotations.is_empty());
    assert_eq!(manifest.context, None);
}

#[test]
fn another_kind_or_api_version_is_refused() {
    refused_with(
        "apiVersion: v1\nkind: Secret\nmetadata: {name: a}\n",
        "app.yaml, document 1: kind is \"Secret\": -f takes TokenRequests",
    );
    refused_with(
        "apiVersion: applicationconnector.kyma-project.io/v1beta1\nkind: TokenRequest\n\
         metadata: {name: a}\n",
        "apiVersion is \"applicationconnector.kyma-project.io/v1beta1\": a TokenRequest is \
         apiVersion applicationconnector.kyma-project.io/v1alpha1",
    );
    refused_with("kind: TokenRequest\nmetadata: {name: a}\n", "no apiVersion");
    refused_with(
        "apiVersion: applicationconnector.kyma-project.io/v1alpha1\nmetadata: {name: a}\n",
        "no kind",
    );
    refused_with(
        "apiVersion: applicationconnector.kyma-project.io/v1alpha1\nkind: List\nitems: []\n",
        "a List is apiVersion v1",
    );
    // One bad item in a List: named by its index.
    let list = "apiVersion: v1\nkind: List\nitems:\n\
        - apiVersion: applicationconnector.kyma-project.io/v1alpha1\n  kind: TokenRequest\n\
        \x20 metadata: {name: a}\n\
        - apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n";
    refused_with(list, "app.yaml, document 1, item 2: kind is \"ConfigMap\"");
    refused_with(
        "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: List, items: []}\n",
        "a List inside a List",
    );
    refused_with(
        "apiVersion: v1\nkind: List\nitems: {a: 1}\n",
        "items is a mapping, not a list",
    );
}

#[test]
fn a_bad_document_among_good_ones_is_named_by_its_number() {
    let text = format!(
        "{}---\n{}---\n{}",
        request("a"),
        request("b"),
        "apiVersion: v1\nkind: Secret\n"
    );
    refused_with(&text, "app.yaml, document 3: kind is \"Secret\"");
}

#[test]
fn bad_names_and_namespaces_are_refused() {
    refused_with(
        &request("My_App"),
        "app.yaml, document 1: invalid name \"My_App\"",
    );
    refused_with(
        "apiVersion: applicationconnector.kyma-project.io/v1alpha1\nkind: TokenRequest\n\
         metadata: {namespace: default}\n",
        "no metadata.name",
    );
    refused_with(
        "apiVersion: applicationconnector.kyma-project.io/v1alpha1\nkind: TokenRequest\n",
        "no metadata",
    );
    refused_with(&request("\"\""), "invalid name \"\": it is empty");
    refused_with(
        &request("42"),
        "metadata.name is 42, a number, not a string",
    );
    refused_with(
        "apiVersion: applicationconnector.kyma-project.io/v1alpha1\nkind: TokenRequest\n\
         metadata: {name: a, namespace: Bad_NS}\n",
        "invalid namespace \"Bad_NS\"",
    );
    refused_with(
        "apiVersion: applicationconnector.kyma-project.io/v1alpha1\nkind: TokenRequest\n\
         metadata: {generateName: app-}\n",
        "metadata.generateName is not taken",
    );
}

#[test]
fn tenant_without_group_and_group_without_tenant_are_refused() {
    let with = |context: &str| format!("{}context: {context}\n", request("a"));
    refused_with(&with("{tenant: t}"), "context.tenant without context.group");
    refused_with(&with("{group: g}"), "context.group without context.tenant");
    refused_with(
        &with("{tenant: t, group: \"\"}"),
        "invalid context.group \"\"",
    );
    refused_with(
        &with("{tenant: \"a\\nb\", group: g}"),
        "invalid context.tenant \"a\\nb\"",
    );
    refused_with(
        &with("{tenant: t, group: g, zone: z}"),
        "unknown field \"zone\"",
    );
    refused_with(&with("[t, g]"), "context is a list, not a mapping");
}

#[test]
fn bad_labels_and_annotations_are_refused() {
    let with = |metadata: &str| format!("{}  {metadata}\n", request("a"));
    refused_with(
        &with("labels: {team: 1}"),
        "metadata.labels.team is 1, a number, not a string: quote it (team: \"1\")",
    );
    refused_with(
        &with("labels: {\"bad key\": x}"),
        "metadata.labels: invalid label key \"bad key\"",
    );
    refused_with(
        &with("labels: {team: \"a b\"}"),
        "invalid value of label team: \"a b\"",
    );
    refused_with(
        &with("annotations: {\"-x\": z}"),
        "invalid annotation key \"-x\"",
    );
    refused_with(
        &with("annotations: {owner: [a]}"),
        "metadata.annotations.owner is a list, not a string",
    );
    refused_with(&with("finalizers: [x]"), "metadata.finalizers is not taken");
    refused_with(
        &with("colour: blue"),
        "unknown field \"colour\": metadata takes name",
    );
}

#[test]
fn unknown_fields_and_a_spec_are_refused() {
    refused_with(
        &format!("{}spec: {{}}\n", request("a")),
        "a TokenRequest has no spec",
    );
    refused_with(
        &format!("{}extra: 1\n", request("a")),
        "unknown field \"extra\": a TokenRequest has apiVersion",
    );
    refused_with(
        "just some words\n",
        "the document is a string, not a mapping",
    );
    refused_with("[1, 2]", "the document is a list, not a mapping");
}

#[test]
fn syntax_errors_name_the_document_and_the_line() {
    let text = format!("{}---\n{}  labels: [\n", request("a"), request("b"));
    refused_with(&text, "app.yaml, document 2, line 10, column 11");
    refused_with(&text, "not valid YAML");
    refused_with(
        &format!("{}kind: again\n", request("a")),
        "app.yaml, document 1, line 5, column 1: not valid YAML: duplicate mapping key",
    );
    let json = "{\"kind\": \"TokenRequest\"}\n{\"kind\": \n  ,}";
    refused_with(
        json,
        "app.yaml, document 2, line 3, column 3: not valid JSON: expected value",
    );
}

#[test]
fn empty_files_and_bytes_that_are_not_utf8_are_refused() {
    refused_with("", "app.yaml: no TokenRequest in it: the file is empty");
    refused_with("  \n\n", "the file is empty");
    refused_with(
        "# only a comment\n---\n---\n",
        "only comments or empty documents",
    );
    let error = parse("app.yaml", b"kind: Token\xffRequest\n")
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("app.yaml: not UTF-8 text (byte 0xff on line 1"),
        "{error}"
    );
}

#[test]
fn files_and_stdin_are_read_in_order_and_stdin_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.yaml");
    std::fs::write(&file, request("a")).unwrap();
    let stdin = || Ok(format!("{}---\n{}", request("b"), request("c")).into_bytes());
    let read = read_with(&[file.clone(), PathBuf::from("-")], stdin).unwrap();
    assert_eq!(names(&read.manifests), ["a", "b", "c"]);
    assert_eq!(read.manifests[2].place.to_string(), "stdin, document 2");
    assert!(read.notes.is_empty());

    let twice = read_with(&[PathBuf::from("-"), PathBuf::from("-")], stdin).unwrap_err();
    assert_eq!(
        twice.to_string(),
        "stdin: -f - is given twice: stdin is read once; give -f - once"
    );
    let missing = read_with(&[dir.path().join("none.yaml")], stdin).unwrap_err();
    assert!(
        missing.to_string().contains("none.yaml: cannot read it"),
        "{missing}"
    );
    let empty = read_with(&[PathBuf::from("-")], || Ok(Vec::new())).unwrap_err();
    assert_eq!(
        empty.to_string(),
        "stdin: no TokenRequest in it: the file is empty"
    );
}

#[test]
fn a_namespace_of_its_own_must_match_an_explicit_one() {
    let mut manifest = one(&request("a"));
    assert_eq!(manifest.namespace_in("dev", None).unwrap(), "dev");
    assert_eq!(manifest.namespace_in("dev", Some("dev")).unwrap(), "dev");
    manifest.namespace = Some("a".into());
    assert_eq!(manifest.namespace_in("dev", None).unwrap(), "a");
    assert_eq!(manifest.namespace_in("a", Some("a")).unwrap(), "a");
    assert_eq!(
        manifest.namespace_in("b", Some("b")).unwrap_err().problem,
        "the namespace from the provided object \"a\" does not match the namespace \"b\". \
         You must pass '--namespace=a' to perform this operation."
    );
}

#[test]
fn given_labels_are_added_and_a_different_value_refused() {
    let manifest = one(&format!("{}  labels: {{team: a, env: ci}}\n", request("a")));
    let given = BTreeMap::from([
        ("team".to_string(), "a".to_string()),
        ("run".to_string(), "7".to_string()),
    ]);
    let labels = manifest.labels_with(&given).unwrap();
    assert_eq!(labels.len(), 3);
    assert_eq!(labels["run"], "7");
    let other = BTreeMap::from([("team".to_string(), "b".to_string())]);
    assert_eq!(
        manifest.labels_with(&other).unwrap_err().to_string(),
        "app.yaml, document 1: label team is \"a\" here and \"b\" in -l: give it one value"
    );
}

#[test]
fn a_directory_is_read_as_kubectl_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("b.json"), r#"{"apiVersion": "applicationconnector.kyma-project.io/v1alpha1", "kind": "TokenRequest", "metadata": {"name": "b"}}"#).unwrap();
    std::fs::write(dir.path().join("a.yml"), request("a")).unwrap();
    std::fs::write(dir.path().join("c.yaml"), request("c")).unwrap();
    // Not a manifest's extension, and a directory inside: kubectl reads neither without -R.
    std::fs::write(dir.path().join("notes.txt"), "not yaml: [").unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("sub").join("d.yaml"), request("d")).unwrap();
    let no_stdin = || -> std::io::Result<Vec<u8>> { unreachable!("stdin is not read") };
    let read = read_with(&[dir.path().to_path_buf()], no_stdin).unwrap();
    assert_eq!(names(&read.manifests), ["a", "b", "c"]);
    let place = read.manifests[1].place.to_string();
    assert!(place.ends_with("b.json, document 1"), "{place}");

    let empty = read_with(&[dir.path().join("sub").join("none")], no_stdin).unwrap_err();
    assert!(empty.to_string().contains("cannot read it"), "{empty}");
    let bare = tempfile::tempdir().unwrap();
    std::fs::write(bare.path().join("readme.md"), "# no manifests").unwrap();
    let refused = read_with(&[bare.path().to_path_buf()], no_stdin).unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("a directory with no manifest in it"),
        "{refused}"
    );
}
