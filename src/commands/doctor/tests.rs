//! The verdicts, judged on answers a real kube-apiserver v1.28 gave (the sandbox's recordings)
//! and on the failures a request can end with.

use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{APIResource, APIResourceList};
use kube::core::Status;
use serde::de::DeserializeOwned;

use super::checks::{api, connection, identity, permissions};
use super::controller::{Finding, judge};
use crate::output::CheckStatus;
use crate::requests::{Limit, RequestError, Server};

/// The response body of a recorded exchange.
fn recorded<T: DeserializeOwned>(exchange: &str) -> T {
    let text = match exchange {
        "crd-get-kyma2" => include_str!(
            "../../../tests/sandbox/tests/fixtures/kube-apiserver-v1.28-doctor/crd-get-kyma2.json"
        ),
        "crd-get-kyma1-like" => include_str!(
            "../../../tests/sandbox/tests/fixtures/kube-apiserver-v1.28-doctor/crd-get-kyma1-like.json"
        ),
        "discovery-group-version-with-application" => include_str!(
            "../../../tests/sandbox/tests/fixtures/kube-apiserver-v1.28-doctor/discovery-group-version-with-application.json"
        ),
        "controller-deployment-ready" => include_str!(
            "../../../tests/sandbox/tests/fixtures/kube-apiserver-v1.28-doctor/controller-deployment-ready.json"
        ),
        "controller-deployment-not-ready" => include_str!(
            "../../../tests/sandbox/tests/fixtures/kube-apiserver-v1.28-doctor/controller-deployment-not-ready.json"
        ),
        other => panic!("no recording {other}"),
    };
    let exchange: serde_json::Value = serde_json::from_str(text).unwrap();
    serde_json::from_value(exchange["response"]["body"].clone()).unwrap()
}

fn answered(code: u16, reason: &str) -> RequestError {
    RequestError::Api {
        action: "asking".to_string(),
        source: kube::Error::Api(
            Status::failure("the server's words", reason)
                .with_code(code)
                .boxed(),
        ),
        retried_for: None,
        server: Default::default(),
    }
}

/// A 404 whose body was `404 page not found`, as the client reports it.
fn not_served() -> RequestError {
    RequestError::ApiNotServed {
        action: "asking discovery".to_string(),
        source: kube::Error::Api(
            Status::failure("404 page not found", "Failed to parse error data")
                .with_code(404)
                .boxed(),
        ),
    }
}

fn no_answer() -> RequestError {
    RequestError::NoAnswer {
        action: "asking".to_string(),
        waited: Duration::from_secs(3),
        limit: Limit::Deadline,
        server: std::sync::Arc::new(Server::default()),
    }
}

fn discovery() -> Result<APIResourceList, RequestError> {
    Ok(recorded("discovery-group-version-with-application"))
}

#[test]
fn the_connection_blocks_the_rest_only_without_an_answer_or_credentials() {
    let (check, blocker) = connection(Err(answered(401, "Unauthorized")));
    assert_eq!(check.status, CheckStatus::Fail);
    assert!(check.hint.unwrap().contains("log in again"));
    assert!(blocker.unwrap().contains("credentials"));

    let (check, blocker) = connection(Err(no_answer()));
    assert_eq!(check.status, CheckStatus::Fail);
    assert!(check.message.contains("no answer"), "{}", check.message);
    assert!(blocker.is_some());

    let (check, blocker) = connection(Err(answered(403, "Forbidden")));
    assert_eq!(check.status, CheckStatus::Warn);
    assert!(blocker.is_none(), "the server answers: go on");
}

#[test]
fn a_server_without_self_subject_review_is_a_skip() {
    assert_eq!(identity(Err(not_served())).status, CheckStatus::Skip);
    assert_eq!(
        identity(Err(answered(404, "NotFound"))).status,
        CheckStatus::Skip
    );
    assert_eq!(
        identity(Err(answered(401, "Unauthorized"))).status,
        CheckStatus::Fail
    );
}

#[test]
fn the_recorded_crds_tell_kyma2_from_kyma1() {
    let (check, served) = api(discovery(), Ok(Some(recorded("crd-get-kyma2"))));
    assert!(served);
    assert_eq!(check.status, CheckStatus::Ok);
    assert_eq!(check.details["context"], "pruned");
    assert_eq!(check.details["versions"], serde_json::json!(["v1alpha1"]));

    let (check, _) = api(discovery(), Ok(Some(recorded("crd-get-kyma1-like"))));
    assert_eq!(check.details["context"], "kept");
    assert!(
        check.message.contains("keeps `context`"),
        "{}",
        check.message
    );

    let (check, served) = api(discovery(), Err(answered(403, "Forbidden")));
    assert!(served);
    assert_eq!(
        check.status,
        CheckStatus::Ok,
        "discovery alone says it is served"
    );
    assert_eq!(check.details["crd"], "forbidden");
}

#[test]
fn a_group_that_is_not_served_or_lacks_tokenrequests_fails() {
    let (check, served) = api(Err(not_served()), Err(answered(404, "NotFound")));
    assert!(!served);
    assert_eq!(check.status, CheckStatus::Fail);
    assert!(check.message.contains("answered 404"), "{}", check.message);
    assert!(check.hint.unwrap().contains("Kyma 1.x up to 2.2"));

    let only_applications = APIResourceList {
        group_version: "applicationconnector.kyma-project.io/v1alpha1".into(),
        resources: vec![APIResource {
            name: "applications".into(),
            ..APIResource::default()
        }],
    };
    let (check, served) = api(Ok(only_applications), Ok(None));
    assert!(!served);
    assert!(
        check.message.contains("lists no tokenrequests"),
        "{}",
        check.message
    );
}

fn reviews(denied: &[&'static str]) -> Vec<(&'static str, Result<bool, RequestError>)> {
    super::checks::VERBS
        .iter()
        .map(|verb| (*verb, Ok(!denied.contains(verb))))
        .collect()
}

#[test]
fn denied_verbs_fail_only_where_no_token_can_be_had() {
    let verdict = |denied: &[&'static str]| permissions(reviews(denied), "ns", Some("ci")).status;
    assert_eq!(verdict(&[]), CheckStatus::Ok);
    assert_eq!(verdict(&["create"]), CheckStatus::Fail);
    for verb in ["get", "list", "watch", "delete"] {
        assert_eq!(verdict(&[verb]), CheckStatus::Warn, "{verb}");
    }
    assert_eq!(
        verdict(&["get", "watch"]),
        CheckStatus::Fail,
        "nothing sees the token"
    );
    assert_eq!(verdict(&["get", "list"]), CheckStatus::Fail);
    assert_eq!(
        verdict(&["list", "watch"]),
        CheckStatus::Warn,
        "get still polls"
    );

    let check = permissions(reviews(&["watch", "delete"]), "ns", Some("ci"));
    assert!(
        check
            .message
            .starts_with("denied in namespace ns: watch (waits poll")
    );
    let hint = check.hint.unwrap();
    assert!(hint.contains("--verb=watch,delete "), "{hint}");
    assert!(
        hint.contains("-n ns") && hint.contains("--user=ci"),
        "{hint}"
    );

    let mut unanswered = reviews(&[]);
    unanswered[0].1 = Err(no_answer());
    let check = permissions(unanswered, "ns", None);
    assert_eq!(check.status, CheckStatus::Warn);
    assert_eq!(check.details["unchecked"], serde_json::json!(["create"]));
}

#[test]
fn the_recorded_deployments_are_available_or_not() {
    let ready: Deployment = recorded("controller-deployment-ready");
    let check = judge(
        Finding::Found {
            deployment: Box::new(ready),
            by_label: false,
        },
        None,
    );
    assert_eq!(check.status, CheckStatus::Ok, "{}", check.message);
    assert_eq!(check.details["availableReplicas"], 1);

    let not_ready: Deployment = recorded("controller-deployment-not-ready");
    let check = judge(
        Finding::Found {
            deployment: Box::new(not_ready),
            by_label: true,
        },
        Some(true),
    );
    assert_eq!(
        check.status,
        CheckStatus::Fail,
        "unready fails, probe or not"
    );
    assert!(
        check
            .message
            .contains("found by label app=connection-token-handler")
    );
}

#[test]
fn an_absent_controller_fails_unless_the_probe_was_answered() {
    let absent = || Finding::Absent { elsewhere: Ok(()) };
    assert_eq!(judge(absent(), None).status, CheckStatus::Fail);
    assert_eq!(judge(absent(), Some(false)).status, CheckStatus::Fail);
    assert_eq!(judge(absent(), Some(true)).status, CheckStatus::Warn);
    let partly = judge(
        Finding::Absent {
            elsewhere: Err("forbidden".into()),
        },
        None,
    );
    assert!(
        partly
            .message
            .contains("other namespaces not searched: forbidden")
    );
    assert_eq!(judge(Finding::Forbidden, None).status, CheckStatus::Skip);
}
