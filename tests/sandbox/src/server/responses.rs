//! Response bodies and the `Status` objects errors answer with, worded as the apiserver words
//! them.

use std::convert::Infallible;

use bytes::Bytes;
use http::{HeaderValue, StatusCode, header};
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::Response;
use serde_json::{Value, json};

use super::resource::Target;
use super::{GROUP, KIND, PLURAL, User, Verb};
use crate::schema::StatusCause;

pub type Body = BoxBody<Bytes, Infallible>;

pub const JSON: &str = "application/json";
const TEXT: &str = "text/plain; charset=utf-8";

pub fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into()).boxed()
}

pub fn with_body(status: StatusCode, content_type: &str, body: Body) -> Response<Body> {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(content_type).expect("content types are ASCII"),
    );
    response
}

pub fn json_bytes(status: StatusCode, bytes: impl Into<Bytes>) -> Response<Body> {
    with_body(status, JSON, full(bytes))
}

pub fn json_value(status: StatusCode, value: &Value) -> Response<Body> {
    json_bytes(
        status,
        serde_json::to_vec(value).expect("a JSON value serialises"),
    )
}

/// What the apiserver's mux answers for paths nobody serves.
pub fn page_not_found() -> Response<Body> {
    with_body(StatusCode::NOT_FOUND, TEXT, full("404 page not found\n"))
}

pub fn text_json(value: &Value) -> Response<Body> {
    // The OpenAPI v3 index is JSON served as text/plain (openapi-v3-index).
    with_body(StatusCode::OK, TEXT, full(value.to_string()))
}

/// `tokenrequests.applicationconnector.kyma-project.io`
fn group_resource() -> String {
    format!("{PLURAL}.{GROUP}")
}

/// `TokenRequest.applicationconnector.kyma-project.io`
fn group_kind() -> String {
    format!("{KIND}.{GROUP}")
}

pub(super) fn quoted(text: &str) -> String {
    Value::String(text.to_string()).to_string()
}

/// A failure `Status`.
#[derive(Debug)]
pub struct ApiError {
    pub code: StatusCode,
    pub reason: &'static str,
    pub message: String,
    pub details: Option<Value>,
}

impl ApiError {
    fn new(code: StatusCode, reason: &'static str, message: String) -> Self {
        ApiError {
            code,
            reason,
            message,
            details: None,
        }
    }

    fn with_details(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
    }

    pub fn status(&self) -> Value {
        let mut status = json!({
            "apiVersion": "v1",
            "kind": "Status",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "code": self.code.as_u16(),
        });
        if let Some(details) = &self.details {
            status["details"] = details.clone();
        }
        status
    }

    pub fn into_response(self) -> Response<Body> {
        json_value(self.code, &self.status())
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "Unauthorized".into(),
        )
    }

    pub fn forbidden(user: &User, verb: Verb, target: &Target) -> Self {
        let subject = match &target.name {
            Some(name) => format!("{} {}", group_resource(), quoted(name)),
            None => group_resource(),
        };
        let scope = match &target.namespace {
            Some(namespace) => format!("in the namespace {}", quoted(namespace)),
            None => "at the cluster scope".to_string(),
        };
        let mut details = json!({"group": GROUP, "kind": PLURAL});
        if let Some(name) = &target.name {
            details["name"] = json!(name);
        }
        Self::new(
            StatusCode::FORBIDDEN,
            "Forbidden",
            format!(
                "{subject} is forbidden: User {} cannot {} resource {} in API group {} {scope}",
                quoted(&user.name),
                verb.as_str(),
                quoted(PLURAL),
                quoted(GROUP),
            ),
        )
        .with_details(details)
    }

    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            "the server does not allow this method on the requested resource".into(),
        )
    }

    pub fn unsupported_media_type(content_type: &str) -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UnsupportedMediaType",
            format!(
                "the body of the request was in an unknown format - accepted media types include: application/merge-patch+json (got {content_type:?})"
            ),
        )
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "BadRequest", message.into())
    }

    /// The body could not be decoded as a TokenRequest.
    pub fn undecodable(why: &str) -> Self {
        Self::bad_request(format!(
            "{KIND} in version {} cannot be handled as a {KIND}: {why}",
            quoted(super::VERSION)
        ))
    }

    fn resource_details(name: &str) -> Value {
        json!({"group": GROUP, "kind": PLURAL, "name": name})
    }

    pub fn not_found(name: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "NotFound",
            format!("{} {} not found", group_resource(), quoted(name)),
        )
        .with_details(Self::resource_details(name))
    }

    pub fn already_exists(name: &str) -> Self {
        Self::new(
            StatusCode::CONFLICT,
            "AlreadyExists",
            format!("{} {} already exists", group_resource(), quoted(name)),
        )
        .with_details(Self::resource_details(name))
    }

    /// An update carrying a resourceVersion that is no longer current.
    pub fn modified(name: &str) -> Self {
        Self::new(
            StatusCode::CONFLICT,
            "Conflict",
            format!(
                "Operation cannot be fulfilled on {} {}: the object has been modified; please apply your changes to the latest version and try again",
                group_resource(),
                quoted(name)
            ),
        )
        .with_details(Self::resource_details(name))
    }

    /// A failed uid or resourceVersion precondition.
    pub fn precondition_failed(name: &str, why: String) -> Self {
        Self::new(
            StatusCode::CONFLICT,
            "Conflict",
            format!(
                "Operation cannot be fulfilled on {} {}: {why}",
                group_kind(),
                quoted(name)
            ),
        )
        .with_details(json!({"group": GROUP, "kind": KIND, "name": name}))
    }

    pub fn invalid(name: &str, causes: &[StatusCause]) -> Self {
        Self::invalid_kind(GROUP, KIND, name, causes)
    }

    pub fn expired(message: String) -> Self {
        Self::new(StatusCode::GONE, "Expired", message)
    }
}

/// The `Status` a successful delete answers with.
pub fn deleted(name: &str, uid: &str) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Status",
        "metadata": {},
        "status": "Success",
        "details": {"group": GROUP, "kind": PLURAL, "name": name, "uid": uid},
    })
}
