//! The cluster around the TokenRequest API that a diagnosis looks at: the self reviews, the
//! CRD objects, Applications, the controller's Deployment and namespaces. Routes their paths
//! and holds their objects.

use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;
use http::{Method, StatusCode};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::{Request, Response};
use serde_json::{Value, json};

use super::deployments::{self, ControllerDeployment};
use super::kinds::{Resource, authorize};
use super::resource::{Selection, Target};
use super::responses::{self, ApiError, Body};
use super::reviews::{AUTHENTICATION, AUTHORIZATION};
use super::{GROUP, Query, ServerConfig, State, User, VERSION, Verb};
use super::{applications, crds, discovery, reviews};
use crate::store::{ListRequest, Store, StoredObject};

pub const APIEXTENSIONS: &str = "apiextensions.k8s.io";
pub const APPS: &str = "apps";

/// The objects besides TokenRequests, each kind in its own store; and the log of the requests
/// to Applications.
pub struct Cluster {
    pub crds: Store,
    pub applications: Store,
    pub deployments: Store,
    application_requests: Mutex<Vec<applications::ApplicationRequest>>,
}

impl Cluster {
    pub fn new(config: &ServerConfig) -> anyhow::Result<Cluster> {
        let cluster = Cluster {
            crds: Store::default(),
            applications: Store::default(),
            deployments: Store::default(),
            application_requests: Mutex::default(),
        };
        crds::install(&cluster.crds, config);
        if config.serve_group && config.serve_applications {
            for name in &config.applications {
                applications::seed(&cluster.applications, name)?;
            }
        }
        let deployment = config
            .controller_deployment
            .unwrap_or(ControllerDeployment::Absent);
        deployments::set_controller(&cluster.deployments, deployment);
        Ok(cluster)
    }

    pub fn log_application_request(&self, request: applications::ApplicationRequest) {
        self.application_log().push(request);
    }

    pub fn application_requests(&self) -> Vec<applications::ApplicationRequest> {
        self.application_log().clone()
    }

    fn application_log(&self) -> MutexGuard<'_, Vec<applications::ApplicationRequest>> {
        self.application_requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }
}

/// Whether `handle` routes this path here.
pub fn routes(config: &ServerConfig, segments: &[&str]) -> bool {
    match segments {
        ["api", "v1", "namespaces", _] => true,
        [
            "apis",
            APPS | AUTHENTICATION | AUTHORIZATION | APIEXTENSIONS,
            ..,
        ] => true,
        ["apis", GROUP, VERSION, "applications", ..] => {
            config.serve_group && config.serve_applications
        }
        _ => false,
    }
}

pub async fn route(
    state: &Arc<State>,
    user: &User,
    segments: &[&str],
    query: &Query,
    request: Request<Incoming>,
) -> Response<Body> {
    let method = request.method().clone();
    let body = match request.into_body().collect().await {
        Ok(body) => body.to_bytes(),
        Err(error) => {
            return ApiError::bad_request(format!("reading the request body: {error}"))
                .into_response();
        }
    };
    let call = Call {
        state,
        user,
        method,
        query,
        body,
    };
    let answer = match segments {
        ["api", "v1", "namespaces", name] => call.namespace(name),
        ["apis", group] => {
            return discovery::builtin_group(group).unwrap_or_else(responses::page_not_found);
        }
        ["apis", group, version] => {
            return discovery::builtin_resources(group, version)
                .unwrap_or_else(responses::page_not_found);
        }
        ["apis", AUTHENTICATION, "v1", "selfsubjectreviews"] => {
            call.create_only(|| reviews::self_subject_review(user, &call.body))
        }
        ["apis", AUTHORIZATION, "v1", "selfsubjectaccessreviews"] => {
            call.create_only(|| reviews::self_subject_access_review(user, query, &call.body))
        }
        ["apis", AUTHORIZATION, "v1", "selfsubjectrulesreviews"] => {
            call.create_only(|| reviews::self_subject_rules_review(user, &call.body))
        }
        ["apis", APIEXTENSIONS, "v1", rest @ ..] => crds::handle(&call, rest),
        ["apis", APPS, "v1", rest @ ..] => deployments::handle(&call, rest),
        ["apis", GROUP, VERSION, "applications", rest @ ..] => applications::handle(&call, rest),
        _ => return responses::page_not_found(),
    };
    answer.unwrap_or_else(ApiError::into_response)
}

/// One request to a path of this module.
pub struct Call<'a> {
    pub state: &'a State,
    pub user: &'a User,
    pub method: Method,
    pub query: &'a Query,
    pub body: Bytes,
}

impl Call<'_> {
    fn create_only(
        &self,
        create: impl FnOnce() -> Result<Response<Body>, ApiError>,
    ) -> Result<Response<Body>, ApiError> {
        match self.method {
            Method::POST => create(),
            _ => Err(ApiError::method_not_allowed()),
        }
    }

    /// The verb of a read: get (or list without a name); a watch is not served here.
    pub fn read_verb(&self, named: bool) -> Result<Verb, ApiError> {
        if self.method != Method::GET || self.query.flag("watch") {
            return Err(ApiError::method_not_allowed());
        }
        Ok(if named { Verb::Get } else { Verb::List })
    }

    pub fn authorize(
        &self,
        resource: Resource,
        verb: Verb,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<(), ApiError> {
        authorize(self.user, resource, verb, namespace, name)
    }

    /// `GET /api/v1/namespaces/NAME`: every namespace exists (TokenRequests may be created in
    /// any), except the controller's while no Deployment is in it, as on a cluster without
    /// Kyma (`controller-namespace-missing`).
    fn namespace(&self, name: &str) -> Result<Response<Body>, ApiError> {
        let verb = self.read_verb(true)?;
        self.authorize(Resource::Namespaces, verb, Some(name), name)?;
        let deployments = &self.state.cluster.deployments;
        if name == deployments::CONTROLLER_NAMESPACE && !deployments::any_in(deployments, name) {
            return Err(ApiError::not_found_on(Resource::Namespaces, name));
        }
        Ok(responses::json_value(
            StatusCode::OK,
            &json!({
                "apiVersion": "v1",
                "kind": "Namespace",
                "metadata": {
                    "creationTimestamp": self.state.started,
                    "labels": {"kubernetes.io/metadata.name": name},
                    "name": name,
                    "resourceVersion": "1",
                    "uid": stable_uid(&format!("{}/namespaces/{name}", self.state.started)),
                },
                "spec": {"finalizers": ["kubernetes"]},
                "status": {"phase": "Active"},
            }),
        ))
    }
}

/// A list of `store`'s objects in `namespace` (all when `None`) that match the query's
/// selectors, in one page. Custom resources' lists carry each item's apiVersion and kind and a
/// `continue` (`application-list`); built-in ones do not (`controller-deployments-by-label`).
pub fn list(
    store: &Store,
    namespace: Option<&str>,
    query: &Query,
    api_version: &str,
    list_kind: &str,
    custom: bool,
) -> Result<Response<Body>, ApiError> {
    let target = Target {
        namespace: namespace.map(str::to_string),
        name: None,
    };
    let selection = Selection::from_query(&target, query)?;
    let filter = |object: &StoredObject| selection.matches(object);
    let page = store.list(&ListRequest {
        namespace,
        start_after: None,
        limit: None,
        filter: &filter,
    });
    let items: Vec<Value> = page
        .items
        .iter()
        .map(|item| {
            let mut value = item.value.clone();
            if !custom && let Some(map) = value.as_object_mut() {
                map.remove("apiVersion");
                map.remove("kind");
            }
            value
        })
        .collect();
    let mut metadata = json!({"resourceVersion": page.resource_version.to_string()});
    if custom {
        metadata["continue"] = json!("");
    }
    Ok(responses::json_value(
        StatusCode::OK,
        &json!({
            "apiVersion": api_version,
            "kind": list_kind,
            "items": items,
            "metadata": metadata,
        }),
    ))
}

/// A version-4-shaped UUID that is the same for the same seed, for objects that are made up
/// on every read (namespaces) but must keep their uid.
fn stable_uid(seed: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, seed.as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest.as_ref()[..16]);
    super::resource::uuid_text(bytes)
}
