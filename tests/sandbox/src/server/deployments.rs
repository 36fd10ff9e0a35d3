//! `deployments.apps`: the controller's `kyma-integration/connection-token-handler`, whose
//! availability [`ControllerDeployment`] sets, and any Deployment a client creates. Nothing
//! runs them: a created Deployment's status stays empty (`controller-deployment-not-ready`);
//! the controller's becomes available only by the knob, standing in for the
//! controller-manager and its pods (`controller-deployment-ready`).

use http::{Method, StatusCode};
use hyper::Response;
use serde_json::{Map, Value, json};

use super::cluster::{self, Call};
use super::kinds::{Resource, decode_typed};
use super::resource::{new_uid, now_rfc3339, settle_namespace};
use super::responses::{self, ApiError, Body};
use super::{Verb, managed};
use crate::schema::{self, StatusCause};
use crate::store::Store;

pub const CONTROLLER_NAMESPACE: &str = "kyma-integration";
pub const CONTROLLER_NAME: &str = "connection-token-handler";
const API_VERSION: &str = "apps/v1";
const RESOURCE: Resource = Resource::Deployments;

/// What the controller's Deployment looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ControllerDeployment {
    /// Not there (nor its namespace), as on Kyma 2.3+ or in Compass mode.
    Absent,
    /// There, with no replica available (an empty status).
    Unready,
    /// There, its replicas available and the `Available` condition true.
    Ready,
}

/// The Deployment Kyma's chart would create for the controller.
fn controller_manifest() -> Value {
    let labels = json!({"app": CONTROLLER_NAME});
    json!({
        "apiVersion": API_VERSION,
        "kind": "Deployment",
        "metadata": {"labels": labels, "name": CONTROLLER_NAME, "namespace": CONTROLLER_NAMESPACE},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{
                    "image": "eu.gcr.io/kyma-project/connection-token-handler:PR-0",
                    "name": CONTROLLER_NAME,
                }]},
            },
        },
    })
}

/// Puts the controller's Deployment into `state`.
pub fn set_controller(store: &Store, state: ControllerDeployment) {
    if state == ControllerDeployment::Absent {
        let _ = store.delete(CONTROLLER_NAMESPACE, CONTROLLER_NAME, false, |_| {
            Ok::<(), ()>(())
        });
        return;
    }
    if !store.contains(CONTROLLER_NAMESPACE, CONTROLLER_NAME) {
        let _ = create(
            store,
            CONTROLLER_NAMESPACE,
            controller_manifest(),
            "unknown",
        );
    }
    let _ = store.update(CONTROLLER_NAMESPACE, CONTROLLER_NAME, false, |current| {
        let mut object = current.value.clone();
        let managed = object["metadata"]["managedFields"]
            .as_array_mut()
            .expect("created with managedFields");
        managed.retain(|entry| entry.get("subresource").is_none());
        if state == ControllerDeployment::Ready {
            let now = now_rfc3339();
            managed.push(status_fields(&now));
            object["status"] = available(&object, &now);
        } else {
            object["status"] = json!({});
        }
        Ok::<Value, ()>(object)
    });
}

/// The status the controller-manager writes once every replica is available.
fn available(object: &Value, now: &str) -> Value {
    let replicas = object["spec"]["replicas"].as_u64().unwrap_or(1);
    json!({
        "availableReplicas": replicas,
        "conditions": [{
            "lastTransitionTime": now,
            "lastUpdateTime": now,
            "message": "Deployment has minimum availability.",
            "reason": "MinimumReplicasAvailable",
            "status": "True",
            "type": "Available",
        }],
        "observedGeneration": object["metadata"]["generation"],
        "readyReplicas": replicas,
        "replicas": replicas,
        "updatedReplicas": replicas,
    })
}

fn status_fields(now: &str) -> Value {
    let condition: Map<String, Value> = [
        ".",
        "f:lastTransitionTime",
        "f:lastUpdateTime",
        "f:message",
        "f:reason",
        "f:status",
        "f:type",
    ]
    .into_iter()
    .map(|field| (field.to_string(), json!({})))
    .collect();
    json!({
        "apiVersion": API_VERSION,
        "fieldsType": "FieldsV1",
        "fieldsV1": {"f:status": {
            "f:availableReplicas": {},
            "f:conditions": {".": {}, "k:{\"type\":\"Available\"}": condition},
            "f:observedGeneration": {},
            "f:readyReplicas": {},
            "f:replicas": {},
            "f:updatedReplicas": {},
        }},
        "manager": "unknown",
        "operation": "Update",
        "subresource": "status",
        "time": now,
    })
}

/// Whether any Deployment is in `namespace`.
pub fn any_in(store: &Store, namespace: &str) -> bool {
    !store
        .list(&crate::store::ListRequest {
            namespace: Some(namespace),
            start_after: None,
            limit: Some(1),
            filter: &|_| true,
        })
        .items
        .is_empty()
}

/// `/apis/apps/v1/...`
pub fn handle(call: &Call<'_>, rest: &[&str]) -> Result<Response<Body>, ApiError> {
    let store = &call.state.cluster.deployments;
    let list = |namespace: Option<&str>| {
        let verb = call.read_verb(false)?;
        call.authorize(RESOURCE, verb, namespace, "")?;
        cluster::list(
            store,
            namespace,
            call.query,
            API_VERSION,
            "DeploymentList",
            false,
        )
    };
    match rest {
        ["deployments"] => list(None),
        ["namespaces", namespace, "deployments"] if call.method == Method::POST => {
            call.authorize(RESOURCE, Verb::Create, Some(namespace), "")?;
            let object = decode_typed(&call.body, API_VERSION, "Deployment")?;
            let manager = managed::manager(call.query);
            let created = create(store, namespace, object, &manager)?;
            Ok(responses::json_value(StatusCode::CREATED, &created))
        }
        ["namespaces", namespace, "deployments"] => list(Some(namespace)),
        // The status subresource reads as the object.
        ["namespaces", namespace, "deployments", name]
        | ["namespaces", namespace, "deployments", name, "status"] => {
            let verb = call.read_verb(true)?;
            call.authorize(RESOURCE, verb, Some(namespace), name)?;
            let object = store
                .get(namespace, name)
                .ok_or_else(|| ApiError::not_found_on(RESOURCE, name))?;
            Ok(responses::json_bytes(StatusCode::OK, object.json.clone()))
        }
        _ => Ok(responses::page_not_found()),
    }
}

/// Creates a Deployment with apps/v1's defaults, as `controller-deployment-create` shows them.
fn create(
    store: &Store,
    namespace: &str,
    mut object: Value,
    manager: &str,
) -> Result<Value, ApiError> {
    object["apiVersion"] = json!(API_VERSION);
    object["kind"] = json!("Deployment");
    if !object["metadata"].is_object() {
        object["metadata"] = json!({});
    }
    let metadata = object["metadata"].as_object_mut().expect("just made");
    settle_namespace(metadata, namespace)?;
    for field in ["uid", "resourceVersion", "managedFields", "generation"] {
        metadata.remove(field);
    }
    let name = metadata
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let mut causes = schema::validate_object_name(&name, "");
    if !object["spec"]["selector"].is_object() {
        causes.push(StatusCause {
            reason: "FieldValueRequired",
            field: "spec.selector".into(),
            message: "Required value".into(),
        });
    }
    if !causes.is_empty() {
        return Err(ApiError::invalid_kind("apps", "Deployment", &name, &causes));
    }
    apply_defaults(&mut object);
    let now = now_rfc3339();
    let managed = managed::for_deployment(&object, manager, &now);
    let metadata = &mut object["metadata"];
    metadata["uid"] = json!(new_uid());
    metadata["creationTimestamp"] = json!(now);
    metadata["generation"] = json!(1);
    metadata["managedFields"] = managed;
    // A zero time, which the apiserver writes as null.
    object["spec"]["template"]["metadata"]["creationTimestamp"] = Value::Null;
    object["status"] = json!({});
    let stored = store
        .create(object)
        .map_err(|_| ApiError::already_exists_on(RESOURCE, &name))?;
    Ok(stored.value.clone())
}

fn default(object: &mut Value, field: &str, value: Value) {
    if object.get(field).is_none_or(Value::is_null) {
        object[field] = value;
    }
}

/// apps/v1 `SetDefaults_Deployment` and the pod template's defaults.
fn apply_defaults(object: &mut Value) {
    let spec = &mut object["spec"];
    default(spec, "replicas", json!(1));
    default(spec, "revisionHistoryLimit", json!(10));
    default(spec, "progressDeadlineSeconds", json!(600));
    default(spec, "strategy", json!({}));
    default(&mut spec["strategy"], "type", json!("RollingUpdate"));
    if spec["strategy"]["type"] == "RollingUpdate" {
        default(&mut spec["strategy"], "rollingUpdate", json!({}));
        let rolling = &mut spec["strategy"]["rollingUpdate"];
        default(rolling, "maxUnavailable", json!("25%"));
        default(rolling, "maxSurge", json!("25%"));
    }
    default(spec, "template", json!({}));
    default(&mut spec["template"], "metadata", json!({}));
    default(&mut spec["template"], "spec", json!({}));
    let pod = &mut spec["template"]["spec"];
    default(pod, "dnsPolicy", json!("ClusterFirst"));
    default(pod, "restartPolicy", json!("Always"));
    default(pod, "schedulerName", json!("default-scheduler"));
    default(pod, "securityContext", json!({}));
    default(pod, "terminationGracePeriodSeconds", json!(30));
    for container in pod["containers"].as_array_mut().into_iter().flatten() {
        let image = container["image"].as_str().unwrap_or("");
        let last = image.rsplit('/').next().unwrap_or(image);
        let latest =
            !last.contains('@') && last.split_once(':').is_none_or(|(_, tag)| tag == "latest");
        let pull = if latest { "Always" } else { "IfNotPresent" };
        default(container, "imagePullPolicy", json!(pull));
        default(container, "resources", json!({}));
        default(
            container,
            "terminationMessagePath",
            json!("/dev/termination-log"),
        );
        default(container, "terminationMessagePolicy", json!("File"));
    }
}
