//! What the answers mean: each check's mark, what was found and what to do, for the
//! connection, the identity, the TokenRequest API and the permissions. Pure functions of what
//! the requests found, so every verdict is tested without a cluster.

use k8s_openapi::api::authentication::v1::UserInfo;
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::APIResourceList;
use k8s_openapi::apimachinery::pkg::version::Info;
use serde_json::json;

use crate::output::{Check, CheckStatus};
use crate::requests::{CREDENTIALS_HINT, RequestError};
use crate::tokenrequest::{CRD_NAME, PLURAL, VERSION};

/// The verbs `permissions` asks about, in the order it reports them.
pub(super) const VERBS: [&str; 5] = ["create", "get", "list", "watch", "delete"];

/// What a cluster without TokenRequests should use instead, and which Kyma had them
/// (the compatibility spec §0).
const NOT_SERVED_HINT: &str = "TokenRequests came with Kyma's Application Connector in Kyma \
     1.x up to 2.2 (legacy connectivity mode); later Kyma and Compass mode connect a system \
     with the Compass/UCL one-time token instead (the Director's \
     requestOneTimeTokenForApplication). Check that --context points at the cluster you meant";

pub(super) fn check(
    name: &'static str,
    status: CheckStatus,
    message: impl Into<String>,
    hint: Option<String>,
    details: serde_json::Value,
) -> Check {
    Check {
        name,
        status,
        message: message.into(),
        hint,
        details,
    }
}

/// `connection`: the server answers `/version`. The second value, when set, is why nothing
/// else could be checked (no answer, or the credentials were rejected).
pub(super) fn connection(version: Result<Info, RequestError>) -> (Check, Option<String>) {
    let failure = match version {
        Ok(info) => {
            let message = format!("the API server answers: Kubernetes {}", info.git_version);
            let details = json!({"version": info.git_version, "platform": info.platform});
            return (
                check("connection", CheckStatus::Ok, message, None, details),
                None,
            );
        }
        Err(failure) => failure,
    };
    let details = json!({"version": null});
    if failure.status_code() == Some(401) {
        let message = "the API server answered 401 Unauthorized";
        let check = check(
            "connection",
            CheckStatus::Fail,
            message,
            Some(CREDENTIALS_HINT.to_string()),
            details,
        );
        return (
            check,
            Some("the cluster did not accept your credentials".into()),
        );
    }
    let answered = failure.status_code().is_some();
    let message = failure;
    if answered {
        // It answered, just not this: the rest can still be asked.
        return (
            check(
                "connection",
                CheckStatus::Warn,
                message.to_string(),
                None,
                details,
            ),
            None,
        );
    }
    let hint = "check the server address of the kubeconfig's cluster, --context and your \
                network; a slow cluster needs a longer --timeout";
    let check = check(
        "connection",
        CheckStatus::Fail,
        message.to_string(),
        Some(hint.into()),
        details,
    );
    (check, Some("the API server could not be reached".into()))
}

/// `identity`: who the server takes the user for.
pub(super) fn identity(user: Result<UserInfo, RequestError>) -> Check {
    let failure = match user {
        Ok(user) => {
            let name = user.username.clone().unwrap_or_default();
            let groups = user.groups.clone().unwrap_or_default();
            let message = format!("you are {name:?} (groups: {})", groups.join(", "));
            let details = json!({"username": name, "uid": user.uid, "groups": groups});
            return check("identity", CheckStatus::Ok, message, None, details);
        }
        Err(failure) => failure,
    };
    let details = json!({"username": null});
    match failure.status_code() {
        Some(404) => check(
            "identity",
            CheckStatus::Skip,
            "the server has no SelfSubjectReview (authentication.k8s.io/v1, Kubernetes 1.28 and \
             later), so it cannot say who you are",
            None,
            details,
        ),
        Some(401) => check(
            "identity",
            CheckStatus::Fail,
            "the API server answered 401 Unauthorized",
            Some(CREDENTIALS_HINT.to_string()),
            details,
        ),
        _ => check(
            "identity",
            CheckStatus::Warn,
            failure.to_string(),
            None,
            details,
        ),
    }
}

/// `tokenrequest-api`: the group serves tokenrequests, and the CRD's shape where it can be read.
/// The second value says whether the API is served (as far as discovery could tell).
pub(super) fn api(
    group: Result<APIResourceList, RequestError>,
    crd: Result<Option<CustomResourceDefinition>, RequestError>,
) -> (Check, bool) {
    let name = "tokenrequest-api";
    let why = match group {
        Ok(list) if list.resources.iter().any(|r| r.name == PLURAL) => None,
        Ok(_) => Some("its group is served but lists no tokenrequests"),
        Err(failure) if failure.is_not_served() => Some("discovery of its group answered 404"),
        Err(failure) => {
            let message = failure;
            let details = json!({"served": null});
            return (
                check(name, CheckStatus::Warn, message.to_string(), None, details),
                true,
            );
        }
    };
    if let Some(why) = why {
        let message = format!("the cluster does not serve {CRD_NAME} ({why})");
        let details = json!({"served": false});
        return (
            check(
                name,
                CheckStatus::Fail,
                message,
                Some(NOT_SERVED_HINT.into()),
                details,
            ),
            false,
        );
    }
    let (shape, versions, context, read) = match crd {
        Ok(Some(crd)) => {
            let versions: Vec<String> = crd
                .spec
                .versions
                .iter()
                .filter(|v| v.served)
                .map(|v| v.name.clone())
                .collect();
            let (shape, context) = match keeps_context(&crd) {
                Some(true) => (
                    "its schema keeps `context` (as Kyma 1.x's CRD): --tenant and --group reach \
                     the controller",
                    Some("kept"),
                ),
                Some(false) => (
                    "its schema prunes `context` (as Kyma 2.0–2.2 ship it): --tenant and --group \
                     are dropped",
                    Some("pruned"),
                ),
                None => ("its schema for v1alpha1 could not be read", None),
            };
            (shape.to_string(), versions, context, "read")
        }
        Ok(None) => (
            format!("there is no CRD object {CRD_NAME}, so its shape was not checked"),
            vec![VERSION.to_string()],
            None,
            "missing",
        ),
        Err(failure) if failure.status_code() == Some(403) => (
            "you may not read CRDs, so its shape (whether it keeps `context`) was not checked"
                .to_string(),
            vec![VERSION.to_string()],
            None,
            "forbidden",
        ),
        Err(failure) => (
            format!("its shape was not checked: {}", failure),
            vec![VERSION.to_string()],
            None,
            "failed",
        ),
    };
    let message = format!("served (versions: {}); {shape}", versions.join(", "));
    let details = json!({"served": true, "versions": versions, "context": context, "crd": read});
    (check(name, CheckStatus::Ok, message, None, details), true)
}

/// Whether the CRD keeps a top-level `context`: no pruning at all, or a schema that keeps
/// unknown fields at its root or declares `context`. `None` without a schema for v1alpha1.
fn keeps_context(crd: &CustomResourceDefinition) -> Option<bool> {
    if crd.spec.preserve_unknown_fields == Some(true) {
        return Some(true);
    }
    let version = crd.spec.versions.iter().find(|v| v.name == VERSION)?;
    let schema = version.schema.as_ref()?.open_api_v3_schema.as_ref()?;
    Some(
        schema.x_kubernetes_preserve_unknown_fields == Some(true)
            || schema
                .properties
                .as_ref()
                .is_some_and(|properties| properties.contains_key("context")),
    )
}

/// `a, b and c`.
fn and_list(items: &[&str]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((only, [])) => only.to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// What a denied verb breaks.
fn breaks(verb: &str) -> &'static str {
    match verb {
        "create" => "create, connect and doctor --probe cannot create requests",
        "get" => "get NAME, --refresh and the wait's polling (where watching is denied) fail",
        "list" => "list, cleanup and delete --all fail; waits poll instead of watching",
        "watch" => "waits poll instead of watching; list -w fails",
        "delete" => "delete, cleanup, --refresh and the probe's cleanup fail",
        _ => "",
    }
}

/// `permissions`: may the user create, get, list, watch and delete TokenRequests here?
/// `user` names the RoleBinding's subject in the advice, when the server said who it is.
pub(super) fn permissions(
    reviews: Vec<(&'static str, Result<bool, RequestError>)>,
    namespace: &str,
    user: Option<&str>,
) -> Check {
    let pick = |wanted: fn(&Result<bool, RequestError>) -> bool| -> Vec<&'static str> {
        reviews
            .iter()
            .filter(|(_, answer)| wanted(answer))
            .map(|(verb, _)| *verb)
            .collect()
    };
    let allowed = pick(|answer| matches!(answer, Ok(true)));
    let denied = pick(|answer| matches!(answer, Ok(false)));
    let unchecked = pick(Result::is_err);
    let details = json!({
        "namespace": namespace, "allowed": allowed, "denied": denied, "unchecked": unchecked,
    });
    if denied.is_empty() && unchecked.is_empty() {
        let message = format!("{} allowed in namespace {namespace}", and_list(&allowed));
        return check("permissions", CheckStatus::Ok, message, None, details);
    }
    if denied.is_empty() {
        let reason = reviews
            .into_iter()
            .find_map(|(_, answer)| answer.err())
            .map(|failure| failure.to_string())
            .unwrap_or_default();
        let message = format!(
            "could not check {} in namespace {namespace} ({reason})",
            unchecked.join(", ")
        );
        return check("permissions", CheckStatus::Warn, message, None, details);
    }
    let cannot_read =
        denied.contains(&"get") && (denied.contains(&"list") || denied.contains(&"watch"));
    let status = if denied.contains(&"create") || cannot_read {
        CheckStatus::Fail
    } else {
        CheckStatus::Warn
    };
    let effects: Vec<String> = denied
        .iter()
        .map(|verb| format!("{verb} ({})", breaks(verb)))
        .collect();
    let mut message = format!("denied in namespace {namespace}: {}", effects.join("; "));
    if cannot_read {
        message.push_str("; with neither get nor list and watch, no wait can see a token arrive");
    }
    let verbs = denied.join(",");
    let subject = user.unwrap_or("YOUR-USER");
    let hint = format!(
        "ask a cluster admin for a Role with these verbs and a RoleBinding to you: kubectl create \
         role tokenrequest-user -n {namespace} --verb={verbs} --resource={CRD_NAME} && kubectl \
         create rolebinding tokenrequest-user -n {namespace} --role=tokenrequest-user \
         --user={subject}"
    );
    check("permissions", status, message, Some(hint), details)
}

/// A check that could not run because `reason` (from [`connection`]).
pub(super) fn blocked(name: &'static str, reason: &str) -> Check {
    check(
        name,
        CheckStatus::Skip,
        format!("not checked: {reason} (see connection)"),
        None,
        json!({}),
    )
}
