//! The controller's Deployment per knob and controller mode, found by name or label.

use super::*;

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
