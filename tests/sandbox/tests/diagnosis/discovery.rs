//! Discovery of what the sandbox serves, and subresources.

use super::*;

/// `(group, kind, namespaced, verbs)` of every resource a discovery found.
fn found(discovery: &kube::discovery::Discovery) -> Vec<(String, String, bool, Vec<String>)> {
    let mut resources: Vec<_> = discovery
        .groups()
        .flat_map(|group| group.recommended_resources())
        .map(|(resource, capabilities)| {
            let namespaced = capabilities.scope == kube::discovery::Scope::Namespaced;
            (
                resource.group,
                resource.kind,
                namespaced,
                capabilities.operations,
            )
        })
        .collect();
    resources.sort();
    resources
}

#[tokio::test]
async fn legacy_and_aggregated_discovery_find_the_same_resources() {
    let sandbox = sandbox(ServerConfig::default(), ControllerMode::Off).await;
    let client = sandbox.admin_client();
    let legacy = kube::discovery::Discovery::new(client.clone())
        .run()
        .await
        .unwrap();
    let aggregated = kube::discovery::Discovery::new(client)
        .run_aggregated()
        .await
        .unwrap();
    assert_eq!(found(&legacy), found(&aggregated));
    let kinds: Vec<_> = found(&legacy)
        .into_iter()
        .map(|(group, kind, namespaced, _)| (group, kind, namespaced))
        .collect();
    let expected = [
        ("", "Namespace", false),
        ("apiextensions.k8s.io", "CustomResourceDefinition", false),
        (GROUP, "Application", false),
        (GROUP, "TokenRequest", true),
        ("apps", "Deployment", true),
        ("authentication.k8s.io", "SelfSubjectReview", false),
        ("authorization.k8s.io", "SelfSubjectAccessReview", false),
        ("authorization.k8s.io", "SelfSubjectRulesReview", false),
    ]
    .map(|(group, kind, namespaced)| (group.to_string(), kind.to_string(), namespaced));
    let mut expected = expected.to_vec();
    expected.sort();
    assert_eq!(kinds, expected);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn status_subresources_read_as_their_objects() {
    let sandbox = sandbox(ServerConfig::default(), ControllerMode::Ok).await;
    let admin = sandbox.admin_client();
    for (path, kind) in [
        (
            "/apis/apps/v1/namespaces/kyma-integration/deployments/connection-token-handler/status",
            "Deployment",
        ),
        (
            "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/tokenrequests.applicationconnector.kyma-project.io/status",
            "CustomResourceDefinition",
        ),
    ] {
        let (status, _, body) = raw(&admin, "GET", path, Value::Null).await;
        assert_eq!((status, body["kind"].as_str()), (200, Some(kind)), "{path}");
        let (status, _, _) = raw(&admin, "PUT", path, body).await;
        assert_eq!(status, 405, "read-only: {path}");
    }
    sandbox.shutdown().await;
}
