//! What a diagnosis (`kubectl tokenrequest doctor`) asks the sandbox, through kube-rs as the
//! plugin asks it, beyond what the recordings pin down: reviews for users with any verbs, the
//! CRD objects per `--schema`, Applications, the controller's Deployment per knob and
//! controller mode, and users in the kubeconfig.

use http::Request;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::authentication::v1::SelfSubjectReview;
use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
    SelfSubjectRulesReview, SelfSubjectRulesReviewSpec,
};
use k8s_openapi::api::core::v1::Namespace;
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Api, ApiResource, DynamicObject, ListParams, PostParams};
use serde_json::{Value, json};
use tokenrequest_sandbox::server::{Verb, Verbs};
use tokenrequest_sandbox::{
    ControllerConfig, ControllerDeployment, ControllerMode, Resource, Sandbox, SandboxConfig,
    SchemaVersion, ServerConfig, User,
};

const GROUP: &str = "applicationconnector.kyma-project.io";
const TOKENREQUEST_CRD: &str = "tokenrequests.applicationconnector.kyma-project.io";

async fn sandbox(server: ServerConfig, mode: ControllerMode) -> Sandbox {
    Sandbox::start(SandboxConfig {
        server,
        controller: ControllerConfig {
            mode,
            ..ControllerConfig::default()
        },
        connector: None,
    })
    .await
    .unwrap()
}

fn with_users(users: Vec<User>) -> ServerConfig {
    let mut config = ServerConfig::default();
    config.users.extend(users);
    config
}

fn verbs(list: &[Verb]) -> Verbs {
    list.iter().copied().collect()
}

/// Whether `client` may `verb` `group/resource` in `namespace`, by SelfSubjectAccessReview.
async fn may(client: &kube::Client, group: &str, resource: &str, verb: &str, ns: &str) -> bool {
    let review = SelfSubjectAccessReview {
        spec: SelfSubjectAccessReviewSpec {
            resource_attributes: Some(ResourceAttributes {
                group: Some(group.into()),
                resource: Some(resource.into()),
                verb: Some(verb.into()),
                namespace: Some(ns.into()),
                ..ResourceAttributes::default()
            }),
            ..SelfSubjectAccessReviewSpec::default()
        },
        ..SelfSubjectAccessReview::default()
    };
    let answer = Api::<SelfSubjectAccessReview>::all(client.clone())
        .create(&PostParams::default(), &review)
        .await
        .unwrap();
    answer.status.unwrap().allowed
}

/// Sends a raw request; returns status, content type and body.
async fn raw(client: &kube::Client, method: &str, path: &str, body: Value) -> (u16, String, Value) {
    let body = if body.is_null() {
        Vec::new()
    } else {
        body.to_string().into_bytes()
    };
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header("Content-Type", "application/json")
        .body(kube::client::Body::from(body))
        .unwrap();
    let response = client.send(request).await.unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|value| value.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = response.into_body().collect_bytes().await.unwrap();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, content_type, body)
}

fn api_code<T: std::fmt::Debug>(result: kube::Result<T>) -> u16 {
    match result {
        Err(kube::Error::Api(status)) => status.code,
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn self_subject_review_names_each_user_and_rejects_unknown_tokens() {
    let ci = User::parse_spec("ci=get").unwrap();
    let sandbox = sandbox(with_users(vec![ci]), ControllerMode::Off).await;
    for (user, groups) in [
        ("admin", vec!["system:masters", "system:authenticated"]),
        ("nobody", vec!["system:authenticated"]),
        ("ci", vec!["system:authenticated"]),
    ] {
        let client = sandbox.client_for(user).unwrap();
        let review = Api::<SelfSubjectReview>::all(client)
            .create(&PostParams::default(), &SelfSubjectReview::default())
            .await
            .unwrap();
        let info = review.status.unwrap().user_info.unwrap();
        assert_eq!(info.username.as_deref(), Some(user));
        assert_eq!(info.uid, Some(format!("uid-{user}")));
        assert_eq!(info.groups.unwrap(), groups);
    }
    let mut config = kube::Config::new(sandbox.url().parse().unwrap());
    config.auth_info.token = Some("not-a-known-token".to_string().into());
    let stranger = kube::Client::try_from(config).unwrap();
    let rejected = Api::<SelfSubjectReview>::all(stranger)
        .create(&PostParams::default(), &SelfSubjectReview::default())
        .await;
    assert_eq!(api_code(rejected), 401);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn access_reviews_allow_exactly_each_users_verbs() {
    let chosen = [Verb::Create, Verb::Get, Verb::Delete];
    let partial = User::new("partial", "sandbox-partial-token", verbs(&chosen));
    let no_deployments = User::new("blind", "sandbox-blind-token", Verbs::ALL)
        .with_verbs_on(Resource::Deployments, Verbs::NONE);
    let sandbox = sandbox(
        with_users(vec![partial, no_deployments]),
        ControllerMode::Off,
    )
    .await;
    let partial = sandbox.client_for("partial").unwrap();
    for verb in Verb::ALL {
        let allowed = may(&partial, GROUP, "tokenrequests", verb.as_str(), "team-a").await;
        assert_eq!(allowed, chosen.contains(&verb), "partial may {verb:?}");
    }
    for (user, verb, expected) in [
        ("admin", "watch", true),
        ("nobody", "create", false),
        ("nowatch", "list", true),
        ("nowatch", "watch", false),
    ] {
        let client = sandbox.client_for(user).unwrap();
        let allowed = may(&client, GROUP, "tokenrequests", verb, "x").await;
        assert_eq!(allowed, expected, "{user} may {verb}");
    }
    // The other resources a diagnosis asks about.
    let blind = sandbox.client_for("blind").unwrap();
    assert!(!may(&blind, "apps", "deployments", "list", "").await);
    assert!(
        may(
            &blind,
            "apiextensions.k8s.io",
            "customresourcedefinitions",
            "get",
            ""
        )
        .await
    );
    assert!(may(&blind, GROUP, "applications", "get", "").await);
    assert!(
        !may(&blind, "", "secrets", "get", "x").await,
        "not a sandbox resource"
    );
    let nobody = sandbox.client_for("nobody").unwrap();
    assert!(!may(&nobody, "apps", "deployments", "get", "kyma-integration").await);
    let admin = sandbox.admin_client();
    assert!(
        may(&admin, "", "secrets", "get", "x").await,
        "system:masters"
    );

    let (status, _, body) = raw(
        &admin,
        "POST",
        "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        json!({"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview", "spec": {}}),
    )
    .await;
    assert_eq!((status, body["reason"].as_str()), (422, Some("Invalid")));
    let (status, _, _) = raw(
        &admin,
        "GET",
        "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        Value::Null,
    )
    .await;
    assert_eq!(status, 405, "reviews are create-only");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn rules_reviews_list_each_users_verbs() {
    let sandbox = sandbox(
        with_users(vec![
            User::parse_spec("ci=create,get;deployments=").unwrap(),
        ]),
        ControllerMode::Off,
    )
    .await;
    let rules_of = |user: &str| {
        let client = sandbox.client_for(user).unwrap();
        async move {
            let review = SelfSubjectRulesReview {
                spec: SelfSubjectRulesReviewSpec {
                    namespace: Some("team-a".into()),
                },
                ..SelfSubjectRulesReview::default()
            };
            let answer = Api::<SelfSubjectRulesReview>::all(client)
                .create(&PostParams::default(), &review)
                .await
                .unwrap();
            serde_json::to_value(answer.status.unwrap().resource_rules).unwrap()
        }
    };
    let ci = rules_of("ci").await;
    let tokenrequests = ci
        .as_array()
        .unwrap()
        .iter()
        .find(|rule| rule["resources"] == json!(["tokenrequests"]))
        .expect("a rule for tokenrequests");
    assert_eq!(tokenrequests["verbs"], json!(["get", "create"]));
    assert!(
        !ci.to_string().contains("\"deployments\""),
        "no deployments rule: {ci}"
    );
    let admin = rules_of("admin").await;
    assert_eq!(admin[0]["verbs"], json!(["*"]));
    sandbox.shutdown().await;
}

async fn crd(sandbox: &Sandbox, user: &str) -> kube::Result<CustomResourceDefinition> {
    Api::<CustomResourceDefinition>::all(sandbox.client_for(user).unwrap())
        .get(TOKENREQUEST_CRD)
        .await
}

fn preserves_unknown(crd: &CustomResourceDefinition) -> Option<bool> {
    let schema = crd.spec.versions[0]
        .schema
        .as_ref()?
        .open_api_v3_schema
        .as_ref()?;
    schema.x_kubernetes_preserve_unknown_fields
}

#[tokio::test]
async fn the_tokenrequest_crd_has_the_shape_of_the_schema_served() {
    let no_crds = User::parse_spec("nocrd=*;crds=").unwrap();
    let kyma2 = sandbox(with_users(vec![no_crds]), ControllerMode::Off).await;
    let object = crd(&kyma2, "admin").await.unwrap();
    assert_eq!(preserves_unknown(&object), None);
    assert_eq!(object.spec.versions[0].name, "v1alpha1");
    assert!(object.spec.versions[0].served);
    assert!(crd(&kyma2, "nowatch").await.is_ok());
    assert_eq!(api_code(crd(&kyma2, "nobody").await), 403);
    assert_eq!(api_code(crd(&kyma2, "nocrd").await), 403);
    let listed = Api::<CustomResourceDefinition>::all(kyma2.admin_client())
        .list(&ListParams::default())
        .await
        .unwrap();
    let names: Vec<_> = listed
        .items
        .iter()
        .filter_map(|crd| crd.metadata.name.clone())
        .collect();
    assert_eq!(
        names,
        [
            "applications.applicationconnector.kyma-project.io",
            TOKENREQUEST_CRD
        ]
    );
    kyma2.shutdown().await;

    let kyma1 = sandbox(
        ServerConfig {
            schema: SchemaVersion::Kyma1,
            ..ServerConfig::default()
        },
        ControllerMode::Off,
    )
    .await;
    assert_eq!(
        preserves_unknown(&crd(&kyma1, "admin").await.unwrap()),
        Some(true)
    );
    kyma1.shutdown().await;

    let without = sandbox(
        ServerConfig {
            serve_group: false,
            ..ServerConfig::default()
        },
        ControllerMode::Off,
    )
    .await;
    assert_eq!(api_code(crd(&without, "admin").await), 404);
    let list = Api::<CustomResourceDefinition>::all(without.admin_client())
        .list(&ListParams::default())
        .await
        .unwrap();
    assert!(list.items.is_empty());
    without.shutdown().await;
}

fn application_resource() -> ApiResource {
    ApiResource {
        group: GROUP.into(),
        version: "v1alpha1".into(),
        api_version: format!("{GROUP}/v1alpha1"),
        kind: "Application".into(),
        plural: "applications".into(),
    }
}

fn applications(client: kube::Client) -> Api<DynamicObject> {
    Api::all_with(client, &application_resource())
}

#[tokio::test]
async fn applications_are_seeded_listed_created_and_deleted() {
    let sandbox = sandbox(
        ServerConfig {
            applications: vec!["billing".into(), "crm".into()],
            ..ServerConfig::default()
        },
        ControllerMode::Off,
    )
    .await;
    let api = applications(sandbox.admin_client());
    let names = |list: kube::core::ObjectList<DynamicObject>| -> Vec<String> {
        list.items
            .into_iter()
            .filter_map(|item| item.metadata.name)
            .collect()
    };
    assert_eq!(
        names(api.list(&ListParams::default()).await.unwrap()),
        ["billing", "crm"]
    );
    let crm = api.get("crm").await.unwrap();
    assert_eq!(crm.metadata.namespace, None, "cluster-scoped");
    assert_eq!(api_code(api.get("crn").await), 404);
    let mut new = DynamicObject::new("erp", &application_resource());
    new.data = json!({"spec": {"description": "x", "services": [], "bogus": 1}});
    let created = api.create(&PostParams::default(), &new).await.unwrap();
    assert_eq!(
        created.data["spec"],
        json!({"description": "x", "services": []}),
        "pruned"
    );
    assert_eq!(
        api_code(api.create(&PostParams::default(), &new).await),
        409
    );
    api.delete("erp", &Default::default()).await.unwrap();
    assert_eq!(api_code(api.get("erp").await), 404);
    let nobody = applications(sandbox.client_for("nobody").unwrap());
    assert_eq!(api_code(nobody.get("crm").await), 403);
    assert_eq!(api_code(nobody.list(&ListParams::default()).await), 403);

    // Discovery lists applications beside tokenrequests, cluster-scoped.
    let (_, _, resources) = raw(
        &sandbox.admin_client(),
        "GET",
        &format!("/apis/{GROUP}/v1alpha1"),
        Value::Null,
    )
    .await;
    let listed: Vec<_> = resources["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|resource| (resource["name"].clone(), resource["namespaced"].clone()))
        .collect();
    assert_eq!(
        listed,
        [
            (json!("tokenrequests"), json!(true)),
            (json!("applications"), json!(false))
        ]
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn without_the_application_crd_applications_are_not_served() {
    let sandbox = sandbox(
        ServerConfig {
            serve_applications: false,
            ..ServerConfig::default()
        },
        ControllerMode::Off,
    )
    .await;
    let admin = sandbox.admin_client();
    let path = format!("/apis/{GROUP}/v1alpha1/applications/billing");
    let (status, content_type, body) = raw(&admin, "GET", &path, Value::Null).await;
    assert_eq!(
        (status, content_type.as_str()),
        (404, "text/plain; charset=utf-8")
    );
    assert_eq!(body, "404 page not found\n");
    let (_, _, resources) = raw(
        &admin,
        "GET",
        &format!("/apis/{GROUP}/v1alpha1"),
        Value::Null,
    )
    .await;
    assert_eq!(resources["resources"].as_array().unwrap().len(), 1);
    let application_crd = Api::<CustomResourceDefinition>::all(admin)
        .get("applications.applicationconnector.kyma-project.io")
        .await;
    assert_eq!(api_code(application_crd), 404);
    // The TokenRequests stay.
    assert!(crd(&sandbox, "admin").await.is_ok());
    sandbox.shutdown().await;
}

fn deployments(client: kube::Client) -> Api<Deployment> {
    Api::namespaced(client, "kyma-integration")
}

/// `Some(available)` for the controller's Deployment, `None` when it is absent.
async fn controller_available(sandbox: &Sandbox) -> Option<bool> {
    let deployment = match deployments(sandbox.admin_client())
        .get("connection-token-handler")
        .await
    {
        Ok(deployment) => deployment,
        Err(kube::Error::Api(status)) if status.code == 404 => return None,
        Err(error) => panic!("{error}"),
    };
    let status = deployment.status.unwrap_or_default();
    let condition = status
        .conditions
        .unwrap_or_default()
        .into_iter()
        .any(|condition| condition.type_ == "Available" && condition.status == "True");
    Some(condition && status.available_replicas == Some(1))
}

#[tokio::test]
async fn the_controller_deployment_follows_the_controller_unless_the_knob_says() {
    let running = sandbox(ServerConfig::default(), ControllerMode::Ok).await;
    assert_eq!(controller_available(&running).await, Some(true));
    running
        .server()
        .set_controller_deployment(ControllerDeployment::Unready);
    assert_eq!(controller_available(&running).await, Some(false));
    running
        .server()
        .set_controller_deployment(ControllerDeployment::Absent);
    assert_eq!(controller_available(&running).await, None);
    running.shutdown().await;

    let off = sandbox(ServerConfig::default(), ControllerMode::Off).await;
    assert_eq!(controller_available(&off).await, None);
    let namespace = Api::<Namespace>::all(off.admin_client())
        .get("kyma-integration")
        .await;
    assert_eq!(
        api_code(namespace),
        404,
        "no namespace without the Deployment"
    );
    off.shutdown().await;

    for (knob, mode, expected) in [
        (
            ControllerDeployment::Unready,
            ControllerMode::Ok,
            Some(false),
        ),
        (ControllerDeployment::Absent, ControllerMode::Ok, None),
        (ControllerDeployment::Ready, ControllerMode::Off, Some(true)),
    ] {
        let config = ServerConfig {
            controller_deployment: Some(knob),
            ..ServerConfig::default()
        };
        let sandbox = sandbox(config, mode).await;
        assert_eq!(controller_available(&sandbox).await, expected, "{knob:?}");
        sandbox.shutdown().await;
    }
}

#[tokio::test]
async fn the_controller_deployment_is_found_by_label_where_the_user_may_look() {
    let blind = User::parse_spec("blind=*;deployments=").unwrap();
    let sandbox = sandbox(with_users(vec![blind]), ControllerMode::Ok).await;
    let by_label = ListParams::default().labels("app=connection-token-handler");
    let everywhere = Api::<Deployment>::all(sandbox.admin_client());
    let found = everywhere.list(&by_label).await.unwrap();
    let names: Vec<_> = found
        .items
        .iter()
        .map(|item| (item.metadata.namespace.clone(), item.metadata.name.clone()))
        .collect();
    assert_eq!(
        names,
        [(
            Some("kyma-integration".into()),
            Some("connection-token-handler".into())
        )]
    );
    // One deployed another way, elsewhere: created, found by label, never available.
    let manifest: Deployment = serde_json::from_value(json!({
        "metadata": {"name": "token-handler", "labels": {"app": "connection-token-handler"}},
        "spec": {
            "selector": {"matchLabels": {"app": "connection-token-handler"}},
            "template": {
                "metadata": {"labels": {"app": "connection-token-handler"}},
                "spec": {"containers": [{"name": "handler", "image": "example/handler"}]},
            },
        },
    }))
    .unwrap();
    let custom = Api::<Deployment>::namespaced(sandbox.admin_client(), "custom");
    let created = custom
        .create(&PostParams::default(), &manifest)
        .await
        .unwrap();
    assert_eq!(created.spec.unwrap().replicas, Some(1), "defaulted");
    assert_eq!(created.status.unwrap_or_default().available_replicas, None);
    let found = everywhere.list(&by_label).await.unwrap();
    assert_eq!(found.items.len(), 2);
    let other = ListParams::default().labels("app=something-else");
    assert!(everywhere.list(&other).await.unwrap().items.is_empty());
    let in_namespace = deployments(sandbox.admin_client())
        .list(&by_label)
        .await
        .unwrap();
    assert_eq!(in_namespace.items.len(), 1);
    let elsewhere = Api::<Deployment>::namespaced(sandbox.admin_client(), "default");
    assert!(elsewhere.list(&by_label).await.unwrap().items.is_empty());
    let namespace = Api::<Namespace>::all(sandbox.admin_client())
        .get("kyma-integration")
        .await
        .unwrap();
    assert_eq!(namespace.status.unwrap().phase.as_deref(), Some("Active"));

    for user in ["nobody", "blind"] {
        let client = sandbox.client_for(user).unwrap();
        let get = deployments(client.clone())
            .get("connection-token-handler")
            .await;
        assert_eq!(api_code(get), 403, "{user}");
        let list = Api::<Deployment>::all(client).list(&by_label).await;
        assert_eq!(api_code(list), 403, "{user}");
    }
    let nowatch = deployments(sandbox.client_for("nowatch").unwrap());
    assert!(nowatch.get("connection-token-handler").await.is_ok());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn users_with_chosen_verbs_get_contexts_in_the_kubeconfig() {
    let creator = User::new("creator", "sandbox-creator-token", verbs(&[Verb::Create]));
    let sandbox = sandbox(with_users(vec![creator]), ControllerMode::Off).await;
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("kubeconfig");
    sandbox.write_kubeconfig_in(&path, "team-a").unwrap();
    let kubeconfig = kube::config::Kubeconfig::read_from(&path).unwrap();
    let contexts: Vec<_> = kubeconfig
        .contexts
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(
        contexts,
        [
            "sandbox",
            "sandbox-nobody",
            "sandbox-nowatch",
            "sandbox-creator"
        ]
    );
    let options = kube::config::KubeConfigOptions {
        context: Some("sandbox-creator".into()),
        ..Default::default()
    };
    let config = kube::Config::from_custom_kubeconfig(kubeconfig, &options)
        .await
        .unwrap();
    let client = kube::Client::try_from(config).unwrap();
    assert!(may(&client, GROUP, "tokenrequests", "create", "team-a").await);
    assert!(!may(&client, GROUP, "tokenrequests", "get", "team-a").await);
    let resource = tokenrequest_sandbox::controller::token_request_resource();
    let api: Api<DynamicObject> = Api::namespaced_with(client, "team-a", &resource);
    let object = DynamicObject::new("made", &resource);
    api.create(&PostParams::default(), &object).await.unwrap();
    assert_eq!(api_code(api.get("made").await), 403);
    sandbox.shutdown().await;
}

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
