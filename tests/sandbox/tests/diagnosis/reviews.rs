//! The self reviews for users with chosen verbs or a client certificate, and those users in
//! the kubeconfig.

use super::*;

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
    // Trusting the server's CA, with a token nobody has.
    let mut config = sandbox.server().kube_config();
    config.auth_info.token = Some("not-a-known-token".to_string().into());
    let stranger = kube::Client::try_from(config).unwrap();
    let rejected = Api::<SelfSubjectReview>::all(stranger)
        .create(&PostParams::default(), &SelfSubjectReview::default())
        .await;
    assert_eq!(api_code(rejected), 401);
    sandbox.shutdown().await;
}

/// `(username, uid, groups)` of a SelfSubjectReview made by `client`.
async fn who_am_i(client: kube::Client) -> (Option<String>, Option<String>, Vec<String>) {
    let review = Api::<SelfSubjectReview>::all(client)
        .create(&PostParams::default(), &SelfSubjectReview::default())
        .await
        .unwrap();
    let info = review.status.unwrap().user_info.unwrap();
    (info.username, info.uid, info.groups.unwrap_or_default())
}

#[tokio::test]
async fn reviews_name_certificate_users_with_their_groups() {
    let sandbox = sandbox(ServerConfig::default(), ControllerMode::Off).await;
    // certuser is in system:masters, as admin, and its certificate says so (O=system:masters).
    let identity = sandbox.client_identity("certuser").unwrap();
    let pem = x509_parser::pem::parse_x509_pem(identity.certificate_pem.as_bytes())
        .unwrap()
        .1;
    let certificate = pem.parse_x509().unwrap();
    let organizations: Vec<_> = certificate
        .subject()
        .iter_organization()
        .map(|value| value.as_str().unwrap())
        .collect();
    assert_eq!(organizations, ["system:masters"]);
    let certuser = sandbox.client_for("certuser").unwrap();
    assert_eq!(
        who_am_i(certuser.clone()).await,
        (
            Some("certuser".to_owned()),
            None,
            vec![
                "system:masters".to_owned(),
                "system:authenticated".to_owned()
            ]
        ),
        "named by its certificate, without the uid a token user has"
    );
    assert!(may(&certuser, "", "secrets", "get", "x").await);
    assert!(may(&certuser, "apps", "deployments", "list", "").await);

    // A certificate for a name no user has: authenticated, allowed nothing.
    let stranger = sandbox.server().issue_client_identity("stranger").unwrap();
    let stranger = sandbox.server().kube_config_with(&stranger);
    let stranger = kube::Client::try_from(stranger).unwrap();
    assert_eq!(
        who_am_i(stranger.clone()).await,
        (
            Some("stranger".to_owned()),
            None,
            vec!["system:authenticated".to_owned()]
        )
    );
    assert!(!may(&stranger, GROUP, "tokenrequests", "get", "x").await);
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
    let discovery_review = json!({
        "apiVersion": "authorization.k8s.io/v1",
        "kind": "SelfSubjectAccessReview",
        "spec": {"nonResourceAttributes": {"path": "/apis", "verb": "get"}},
    });
    let reviews = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
    let (status, _, body) = raw(&nobody, "POST", reviews, discovery_review).await;
    assert_eq!((status, &body["status"]["allowed"]), (201, &json!(true)));
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
            "sandbox-certuser",
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
