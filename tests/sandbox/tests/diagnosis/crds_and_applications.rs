//! The CRD objects per `--schema` and who may read them; Applications and their CRD.

use super::*;

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
    let strict = json!({
        "apiVersion": format!("{GROUP}/v1alpha1"),
        "kind": "Application",
        "metadata": {"name": "strict"},
        "spec": {"bogus": 1},
    });
    let path = format!("/apis/{GROUP}/v1alpha1/applications?fieldValidation=Strict");
    let (status, _, body) = raw(&sandbox.admin_client(), "POST", &path, strict).await;
    assert_eq!(status, 400);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .ends_with("unknown field \"spec.bogus\""),
        "{body}"
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

#[tokio::test]
async fn application_creates_are_logged_refused_without_the_verb_and_conflict_when_there() {
    let reader = User::parse_spec("reader=*;applications=get,list").unwrap();
    let sandbox = sandbox(
        ServerConfig {
            applications: vec!["crm".into()],
            ..with_users(vec![reader])
        },
        ControllerMode::Off,
    )
    .await;
    let path = format!("/apis/{GROUP}/v1alpha1/applications");
    let body = |name: &str| {
        json!({
            "apiVersion": format!("{GROUP}/v1alpha1"),
            "kind": "Application",
            "metadata": {"name": name},
            "spec": {"description": "d", "services": []},
        })
    };
    let reader = sandbox.client_for("reader").unwrap();
    let (status, _, answer) = raw(&reader, "POST", &path, body("erp")).await;
    assert_eq!(status, 403, "{answer}");
    assert_eq!(answer["reason"], "Forbidden");
    assert!(
        answer["message"]
            .as_str()
            .unwrap()
            .contains("cannot create resource \"applications\""),
        "{answer}"
    );
    let admin = sandbox.admin_client();
    let dry = format!("{path}?dryRun=All");
    assert_eq!(raw(&admin, "POST", &dry, body("erp")).await.0, 201);
    assert_eq!(api_code(applications(admin.clone()).get("erp").await), 404);
    let (status, _, answer) = raw(&admin, "POST", &path, body("crm")).await;
    assert_eq!(
        (status, answer["reason"].as_str()),
        (409, Some("AlreadyExists"))
    );
    assert_eq!(raw(&admin, "POST", &path, body("erp")).await.0, 201);
    applications(admin).get("erp").await.unwrap();

    let log: Vec<_> = sandbox
        .server()
        .application_requests()
        .into_iter()
        .map(|r| {
            let writes = r.writes();
            (
                r.method.to_string(),
                r.user,
                r.name.unwrap(),
                r.dry_run,
                r.code,
                writes,
            )
        })
        .collect();
    let all = Some("All".to_string());
    let entry = |method: &str, user: &str, name: &str, dry: Option<String>, code, writes| {
        (
            method.to_string(),
            user.to_string(),
            name.to_string(),
            dry,
            code,
            writes,
        )
    };
    assert_eq!(
        log,
        [
            entry("POST", "reader", "erp", None, 403, true),
            entry("POST", "admin", "erp", all, 201, true),
            entry("GET", "admin", "erp", None, 404, false),
            entry("POST", "admin", "crm", None, 409, true),
            entry("POST", "admin", "erp", None, 201, true),
            entry("GET", "admin", "erp", None, 200, false),
        ]
    );
    sandbox.shutdown().await;
}
