//! What a diagnosis (`kubectl tokenrequest doctor`) asks the sandbox, through kube-rs as the
//! plugin asks it, beyond what the recordings pin down: reviews for users with any verbs, the
//! CRD objects per `--schema`, Applications, the controller's Deployment per knob and
//! controller mode, and users in the kubeconfig.

mod crds_and_applications;
mod deployments;
mod discovery;
mod reviews;

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

pub async fn sandbox(server: ServerConfig, mode: ControllerMode) -> Sandbox {
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

pub fn with_users(users: Vec<User>) -> ServerConfig {
    let mut config = ServerConfig::default();
    config.users.extend(users);
    config
}

pub fn verbs(list: &[Verb]) -> Verbs {
    list.iter().copied().collect()
}

/// Whether `client` may `verb` `group/resource` in `namespace`, by SelfSubjectAccessReview.
pub async fn may(client: &kube::Client, group: &str, resource: &str, verb: &str, ns: &str) -> bool {
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
pub async fn raw(
    client: &kube::Client,
    method: &str,
    path: &str,
    body: Value,
) -> (u16, String, Value) {
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

pub fn api_code<T: std::fmt::Debug>(result: kube::Result<T>) -> u16 {
    match result {
        Err(kube::Error::Api(status)) => status.code,
        other => panic!("expected an API error, got {other:?}"),
    }
}
