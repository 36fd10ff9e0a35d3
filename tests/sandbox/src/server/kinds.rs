//! The resources the sandbox serves besides TokenRequests' own routes, as RBAC and error
//! messages name them, and the `Status` errors about them, worded as the apiserver words them
//! (`crd-get-forbidden`, `controller-deployment-missing`, `controller-namespace-missing`, ...).

use http::StatusCode;
use serde_json::{Value, json};

use super::responses::{ApiError, quoted};
use super::{GROUP, PLURAL, User, Verb};
use crate::schema::StatusCause;

/// A resource users get verbs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Resource {
    TokenRequests,
    Applications,
    CustomResourceDefinitions,
    Deployments,
    Namespaces,
}

impl Resource {
    pub const ALL: [Resource; 5] = [
        Resource::TokenRequests,
        Resource::Applications,
        Resource::CustomResourceDefinitions,
        Resource::Deployments,
        Resource::Namespaces,
    ];

    pub fn group(self) -> &'static str {
        match self {
            Resource::TokenRequests | Resource::Applications => GROUP,
            Resource::CustomResourceDefinitions => "apiextensions.k8s.io",
            Resource::Deployments => "apps",
            Resource::Namespaces => "",
        }
    }

    pub fn plural(self) -> &'static str {
        match self {
            Resource::TokenRequests => PLURAL,
            Resource::Applications => "applications",
            Resource::CustomResourceDefinitions => "customresourcedefinitions",
            Resource::Deployments => "deployments",
            Resource::Namespaces => "namespaces",
        }
    }

    /// Whether its objects live in a namespace (a Namespace is addressed "in" itself).
    pub fn namespaced(self) -> bool {
        matches!(
            self,
            Resource::TokenRequests | Resource::Deployments | Resource::Namespaces
        )
    }

    /// The resource an RBAC rule or review names by group and plural.
    pub fn find(group: &str, plural: &str) -> Option<Resource> {
        Resource::ALL
            .into_iter()
            .find(|resource| resource.group() == group && resource.plural() == plural)
    }

    /// By plural or kubectl short name (`crds`, `deploy`, `ns`, `app`).
    pub fn parse(name: &str) -> Option<Resource> {
        match name {
            "crd" | "crds" => Some(Resource::CustomResourceDefinitions),
            "deploy" => Some(Resource::Deployments),
            "ns" => Some(Resource::Namespaces),
            "app" => Some(Resource::Applications),
            _ => Resource::ALL
                .into_iter()
                .find(|resource| resource.plural() == name),
        }
    }

    /// `deployments.apps`, or just `namespaces` for the core group.
    pub fn group_resource(self) -> String {
        match self.group() {
            "" => self.plural().to_string(),
            group => format!("{}.{group}", self.plural()),
        }
    }

    fn details(self, name: &str) -> Value {
        let mut details = json!({"kind": self.plural(), "name": name});
        if !self.group().is_empty() {
            details["group"] = json!(self.group());
        }
        details
    }
}

impl ApiError {
    /// A 403 for `verb` on `resource` (the object `name`, or the collection when empty).
    pub fn forbidden_on(
        resource: Resource,
        user: &User,
        verb: &str,
        namespace: Option<&str>,
        name: &str,
    ) -> Self {
        let subject = match name {
            "" => resource.group_resource(),
            name => format!("{} {}", resource.group_resource(), quoted(name)),
        };
        let scope = match namespace {
            Some(namespace) => format!("in the namespace {}", quoted(namespace)),
            None => "at the cluster scope".to_string(),
        };
        let mut details = resource.details(name);
        if name.is_empty() {
            details
                .as_object_mut()
                .map(|details| details.remove("name"));
        }
        ApiError {
            code: StatusCode::FORBIDDEN,
            reason: "Forbidden",
            message: format!(
                "{subject} is forbidden: User {} cannot {verb} resource {} in API group {} {scope}",
                quoted(&user.name),
                quoted(resource.plural()),
                quoted(resource.group()),
            ),
            details: Some(details),
        }
    }

    pub fn not_found_on(resource: Resource, name: &str) -> Self {
        ApiError {
            code: StatusCode::NOT_FOUND,
            reason: "NotFound",
            message: format!("{} {} not found", resource.group_resource(), quoted(name)),
            details: Some(resource.details(name)),
        }
    }

    pub fn already_exists_on(resource: Resource, name: &str) -> Self {
        ApiError {
            code: StatusCode::CONFLICT,
            reason: "AlreadyExists",
            message: format!(
                "{} {} already exists",
                resource.group_resource(),
                quoted(name)
            ),
            details: Some(resource.details(name)),
        }
    }

    /// A 422 naming `kind.group` (`.authorization.k8s.io` when the kind is empty, as the
    /// apiserver words review validation: `access-invalid`).
    pub fn invalid_kind(group: &str, kind: &str, name: &str, causes: &[StatusCause]) -> Self {
        let summary = match causes {
            [single] => single.summary(),
            _ => format!(
                "[{}]",
                causes
                    .iter()
                    .map(StatusCause::summary)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let mut details = json!({
            "group": group,
            "causes": causes.iter().map(|cause| json!({
                "reason": cause.reason,
                "message": cause.message,
                "field": cause.field,
            })).collect::<Vec<_>>(),
        });
        if !kind.is_empty() {
            details["kind"] = json!(kind);
        }
        if !name.is_empty() {
            details["name"] = json!(name);
        }
        ApiError {
            code: StatusCode::UNPROCESSABLE_ENTITY,
            reason: "Invalid",
            message: format!("{kind}.{group} {} is invalid: {summary}", quoted(name)),
            details: Some(details),
        }
    }
}

/// Authorizes `verb` on `resource` for `user`, or says why not.
pub fn authorize(
    user: &User,
    resource: Resource,
    verb: Verb,
    namespace: Option<&str>,
    name: &str,
) -> Result<(), ApiError> {
    if user.may(resource, verb) {
        Ok(())
    } else {
        Err(ApiError::forbidden_on(
            resource,
            user,
            verb.as_str(),
            namespace,
            name,
        ))
    }
}

/// Parses a request body that must be an object of `api_version` and `kind`.
pub fn decode_typed(body: &[u8], api_version: &str, kind: &str) -> Result<Value, ApiError> {
    let undecodable = |why: String| {
        ApiError::bad_request(format!(
            "{kind} in version {} cannot be handled as a {kind}: {why}",
            quoted(api_version.rsplit('/').next().unwrap_or(api_version))
        ))
    };
    let object: Value = serde_json::from_slice(body)
        .map_err(|error| undecodable(format!("json parse error: {error}")))?;
    if !object.is_object() {
        return Err(undecodable("the body is not a JSON object".into()));
    }
    let field = |key: &str| object.get(key).and_then(Value::as_str).unwrap_or("");
    if !field("apiVersion").is_empty() && field("apiVersion") != api_version {
        return Err(ApiError::bad_request(format!(
            "the API version in the data ({}) does not match the expected API version ({api_version})",
            field("apiVersion")
        )));
    }
    if !field("kind").is_empty() && field("kind") != kind {
        return Err(ApiError::bad_request(format!(
            "the kind in the data ({}) does not match the expected kind ({kind})",
            field("kind")
        )));
    }
    Ok(object)
}
