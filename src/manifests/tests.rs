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

fn one(text: &str) -> Manifest {
    let mut manifests = parse("app.yaml", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(manifests.len(), 1, "{manifests:?}");
    manifests.remove(0)
}

#[track_caller]
fn refused(text: &str) -> String {
    parse("app.yaml", text.as_bytes())
        .expect_err("should be refused")
        .to_string()
}

fn request(name: &str) -> String {
    format!(
        "apiVersion: applicationconnector.kyma-project.io/v1alpha1\nkind: TokenRequest\n\
         metadata:\n  name: {name}\n"
    )
}

#[test]
fn the_spec_sample_is_taken_as_written_and_its_status_ignored() {
    let manifest = one(SPEC_SAMPLE);
    assert_eq!(manifest.name, "my-app");
    assert_eq!(manifest.namespace.as_deref(), Some("default"));
    assert_eq!(manifest.context, None);
    assert_eq!(manifest.ignored, ["status"]);
    assert_eq!(manifest.place.to_string(), "app.yaml, document 1");
}

#[test]
fn errors_print() {
    for text in [
        "a: [",
        "apiVersion: v1\nkind: TokenRequest\nkind: x\n",
        "---\na: 1\n---\n  b: [\n",
        "\u{0}",
    ] {
        eprintln!("{}", refused(text));
    }
    eprintln!("{}", parse("x.json", b"{\"a\": }").unwrap_err());
    eprintln!("{}", parse("x.json", b"{} {\"a\": \n 1,}").unwrap_err());
    let _ = (
        request("x"),
        BTreeMap::<String, String>::new(),
        PathBuf::new(),
    );
}
