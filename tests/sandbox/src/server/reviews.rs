//! The self reviews every authenticated user may create: `SelfSubjectReview` (who am I),
//! `SelfSubjectAccessReview` (may I) and `SelfSubjectRulesReview` (what may I), answering as
//! `whoami-*`, `access-*` and `rules-nobody` record.

use http::StatusCode;
use hyper::Response;
use serde_json::{Map, Value, json};

use super::access::{self, Decision};
use super::responses::{self, ApiError, Body};
use super::{Query, User};
use crate::schema::StatusCause;

pub const AUTHENTICATION: &str = "authentication.k8s.io";
pub const AUTHORIZATION: &str = "authorization.k8s.io";

/// `POST /apis/authentication.k8s.io/v1/selfsubjectreviews`
pub fn self_subject_review(user: &User, body: &[u8]) -> Result<Response<Body>, ApiError> {
    super::kinds::decode_typed(body, "authentication.k8s.io/v1", "SelfSubjectReview")?;
    let mut user_info = json!({"username": user.name, "groups": user.groups()});
    if !user.token.is_empty() {
        user_info["uid"] = json!(format!("uid-{}", user.name));
    }
    Ok(responses::json_value(
        StatusCode::CREATED,
        &json!({
            "apiVersion": "authentication.k8s.io/v1",
            "kind": "SelfSubjectReview",
            "metadata": {"creationTimestamp": super::resource::now_rfc3339()},
            "status": {"userInfo": user_info},
        }),
    ))
}

/// The string fields of an attributes object that are set, as the server keeps them.
fn set_fields(attributes: &Value, names: &[&str]) -> Map<String, Value> {
    names
        .iter()
        .filter_map(|name| {
            let value = attributes.get(*name)?.as_str()?;
            (!value.is_empty()).then(|| (name.to_string(), json!(value)))
        })
        .collect()
}

const RESOURCE_FIELDS: [&str; 7] = [
    "group",
    "name",
    "namespace",
    "resource",
    "subresource",
    "verb",
    "version",
];
const NON_RESOURCE_FIELDS: [&str; 2] = ["path", "verb"];

/// `POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews`
pub fn self_subject_access_review(
    user: &User,
    query: &Query,
    body: &[u8],
) -> Result<Response<Body>, ApiError> {
    let review =
        super::kinds::decode_typed(body, "authorization.k8s.io/v1", "SelfSubjectAccessReview")?;
    let spec = &review["spec"];
    let resource = spec
        .get("resourceAttributes")
        .filter(|value| value.is_object());
    let non_resource = spec
        .get("nonResourceAttributes")
        .filter(|value| value.is_object());
    let (key, fields, decision) = match (resource, non_resource) {
        (Some(attributes), None) => {
            let fields = set_fields(attributes, &RESOURCE_FIELDS);
            let text = |name: &str| fields.get(name).and_then(Value::as_str).unwrap_or("");
            let decision =
                access::review_resource(user, text("group"), text("resource"), text("verb"));
            ("resourceAttributes", fields, decision)
        }
        (None, Some(attributes)) => {
            let fields = set_fields(attributes, &NON_RESOURCE_FIELDS);
            let text = |name: &str| fields.get(name).and_then(Value::as_str).unwrap_or("");
            let decision = access::review_non_resource(user, text("path"), text("verb"));
            ("nonResourceAttributes", fields, decision)
        }
        (Some(_), Some(_)) => {
            return Err(invalid_review(
                "spec.nonResourceAttributes",
                "Invalid value: \"object\": cannot be specified in combination with resourceAttributes",
            ));
        }
        (None, None) => {
            return Err(invalid_review(
                "spec.resourceAttributes",
                "Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified",
            ));
        }
    };
    let mut owned: Map<String, Value> = fields
        .keys()
        .map(|name| (format!("f:{name}"), json!({})))
        .collect();
    owned.insert(".".into(), json!({}));
    let Decision { allowed, reason } = decision;
    let mut status = json!({"allowed": allowed});
    if let Some(reason) = reason {
        status["reason"] = json!(reason);
    }
    Ok(responses::json_value(
        StatusCode::CREATED,
        &json!({
            "apiVersion": "authorization.k8s.io/v1",
            "kind": "SelfSubjectAccessReview",
            "metadata": {
                "creationTimestamp": null,
                "managedFields": [{
                    "apiVersion": "authorization.k8s.io/v1",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {"f:spec": {format!("f:{key}"): owned}},
                    "manager": super::managed::manager(query),
                    "operation": "Update",
                    "time": super::resource::now_rfc3339(),
                }],
            },
            "spec": {key: fields},
            "status": status,
        }),
    ))
}

fn invalid_review(field: &str, message: &str) -> ApiError {
    let cause = StatusCause {
        reason: "FieldValueInvalid",
        field: field.into(),
        message: message.into(),
    };
    ApiError::invalid_kind(AUTHORIZATION, "", "", &[cause])
}

/// `POST /apis/authorization.k8s.io/v1/selfsubjectrulesreviews`
pub fn self_subject_rules_review(user: &User, body: &[u8]) -> Result<Response<Body>, ApiError> {
    let review =
        super::kinds::decode_typed(body, "authorization.k8s.io/v1", "SelfSubjectRulesReview")?;
    let namespace = review["spec"]["namespace"].as_str().unwrap_or("");
    if namespace.is_empty() {
        return Err(ApiError::bad_request("no namespace on request"));
    }
    Ok(responses::json_value(
        StatusCode::CREATED,
        &json!({
            "apiVersion": "authorization.k8s.io/v1",
            "kind": "SelfSubjectRulesReview",
            "metadata": {"creationTimestamp": null},
            "spec": {},
            "status": access::rules(user),
        }),
    ))
}
