//! Kyma's cluster-scoped `applications.applicationconnector.kyma-project.io`: get, list,
//! create and delete, answering as `application-*` record. The schema (`spec.accessLabel`,
//! `description`, `services`) prunes what it does not declare, as the TokenRequest schema does.

use http::{Method, StatusCode};
use hyper::Response;
use serde_json::{Value, json};

use super::cluster::{self, Call};
use super::kinds::Resource;
use super::resource::{
    FieldValidation, SERVER_OWNED_METADATA, dry_run, field_validation, name_to_create, new_uid,
    now_rfc3339, with_warnings,
};
use super::responses::{self, ApiError, Body, quoted};
use super::{GROUP, GROUP_VERSION, Verb, managed};
use crate::schema::{self, OBJECT_META_FIELDS};
use crate::store::Store;

pub const KIND: &str = "Application";
const RESOURCE: Resource = Resource::Applications;

/// Stores an Application named `name` (a seed of `ServerConfig::applications`).
pub fn seed(store: &Store, name: &str) -> anyhow::Result<()> {
    let object = json!({
        "apiVersion": GROUP_VERSION,
        "kind": KIND,
        "metadata": {"name": name},
        "spec": {"description": format!("{name}, seeded by the sandbox"), "services": []},
    });
    create(store, object, "unknown", false)
        .map(drop)
        .map_err(|error| anyhow::anyhow!("cannot seed Application {name:?}: {}", error.message))
}

/// `/apis/applicationconnector.kyma-project.io/v1alpha1/applications[/NAME]`
pub fn handle(call: &Call<'_>, rest: &[&str]) -> Result<Response<Body>, ApiError> {
    let store = &call.state.cluster.applications;
    match (rest, &call.method) {
        ([], &Method::POST) => {
            call.authorize(RESOURCE, Verb::Create, None, "")?;
            let (object, warnings) = admit(&call.body, call.query)?;
            let manager = managed::manager(call.query);
            let stored = create(store, object, &manager, dry_run(call.query)?)?;
            Ok(with_warnings(
                responses::json_value(StatusCode::CREATED, &stored),
                &warnings,
            ))
        }
        ([], _) => {
            let verb = call.read_verb(false)?;
            call.authorize(RESOURCE, verb, None, "")?;
            cluster::list(
                store,
                Some(""),
                call.query,
                GROUP_VERSION,
                "ApplicationList",
                true,
            )
        }
        ([name], &Method::DELETE) => {
            call.authorize(RESOURCE, Verb::Delete, None, name)?;
            let deleted = store
                .delete("", name, dry_run(call.query)?, |_| Ok::<(), ()>(()))
                .map_err(|_| ApiError::not_found_on(RESOURCE, name))?;
            Ok(responses::json_value(
                StatusCode::OK,
                &json!({
                    "apiVersion": "v1",
                    "kind": "Status",
                    "metadata": {},
                    "status": "Success",
                    "details": {"group": GROUP, "kind": RESOURCE.plural(), "name": name, "uid": deleted.uid()},
                }),
            ))
        }
        ([name], _) => {
            let verb = call.read_verb(true)?;
            call.authorize(RESOURCE, verb, None, name)?;
            let object = store
                .get("", name)
                .ok_or_else(|| ApiError::not_found_on(RESOURCE, name))?;
            Ok(responses::json_bytes(StatusCode::OK, object.json.clone()))
        }
        _ => Ok(responses::page_not_found()),
    }
}

/// Decodes and prunes a create's body; the pruned fields become warnings (or, under
/// `fieldValidation=Strict`, a 400).
fn admit(body: &[u8], query: &super::Query) -> Result<(Value, Vec<String>), ApiError> {
    let mut object = super::kinds::decode_typed(body, GROUP_VERSION, KIND)?;
    if object["kind"].as_str().unwrap_or("").is_empty() {
        return Err(ApiError::bad_request(format!(
            "Object 'Kind' is missing in '{object}'"
        )));
    }
    let validation = field_validation(query)?;
    let root = object.as_object_mut().expect("decode_typed checked");
    let mut unknown = Vec::new();
    schema::remove_undeclared(
        root,
        &["apiVersion", "kind", "metadata", "spec"],
        "",
        &mut unknown,
    );
    if let Some(Value::Object(metadata)) = root.get_mut("metadata") {
        schema::remove_undeclared(metadata, OBJECT_META_FIELDS, "metadata.", &mut unknown);
    }
    if let Some(Value::Object(spec)) = root.get_mut("spec") {
        let declared = ["accessLabel", "description", "services"];
        schema::remove_undeclared(spec, &declared, "spec.", &mut unknown);
    }
    let messages: Vec<String> = unknown
        .iter()
        .map(|field| format!("unknown field {}", quoted(field)))
        .collect();
    match validation {
        FieldValidation::Strict if !messages.is_empty() => Err(ApiError::bad_request(format!(
            "{KIND} in version \"v1alpha1\" cannot be handled as a {KIND}: strict decoding error: {}",
            messages.join(", ")
        ))),
        FieldValidation::Warn => Ok((object, messages)),
        _ => Ok((object, Vec::new())),
    }
}

/// Fills the server's metadata, validates the name and stores the object (unless `dry_run`).
fn create(
    store: &Store,
    mut object: Value,
    manager: &str,
    dry_run: bool,
) -> Result<Value, ApiError> {
    if !object["metadata"].is_object() {
        object["metadata"] = json!({});
    }
    let metadata = object["metadata"].as_object_mut().expect("just made");
    // Cluster-scoped: a namespace in the body is dropped, as the apiserver does.
    let owned = SERVER_OWNED_METADATA
        .iter()
        .chain(&["namespace", "resourceVersion"]);
    for field in owned {
        metadata.remove(*field);
    }
    let (name, prefix) = name_to_create(metadata, |name| store.contains("", name));
    let causes = schema::validate_object_name(&name, &prefix);
    if !causes.is_empty() {
        return Err(ApiError::invalid_kind(GROUP, KIND, &name, &causes));
    }
    let now = now_rfc3339();
    metadata.insert("name".into(), json!(name));
    metadata.insert("uid".into(), json!(new_uid()));
    metadata.insert("creationTimestamp".into(), json!(now));
    metadata.insert("generation".into(), json!(1));
    let managed = managed::for_custom_resource(&object, GROUP_VERSION, manager, &now);
    if managed
        .as_array()
        .is_some_and(|entries| !entries.is_empty())
    {
        object["metadata"]["managedFields"] = managed;
    }
    if store.contains("", &name) {
        return Err(ApiError::already_exists_on(RESOURCE, &name));
    }
    if dry_run {
        return Ok(object);
    }
    let stored = store
        .create(object)
        .map_err(|_| ApiError::already_exists_on(RESOURCE, &name))?;
    Ok(stored.value.clone())
}
