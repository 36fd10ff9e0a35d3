//! Kyma's cluster-scoped `applications.applicationconnector.kyma-project.io`: get, list,
//! create and delete, answering as `application-*` record. The schema (`spec.accessLabel`,
//! `description`, `services`) prunes what it does not declare, as the TokenRequest schema does.
//! Every request is logged ([`ApplicationRequest`]), so a test can tell that nothing wrote to
//! an Application.

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

/// One request to Applications, as the server saw and answered it.
#[derive(Debug, Clone)]
pub struct ApplicationRequest {
    /// When it was answered, to order it among the TokenRequests' ([`super::RequestRecord`]).
    pub at: std::time::Instant,
    pub method: Method,
    pub user: String,
    /// The name in the path, else (a create) the body's `metadata.name`.
    pub name: Option<String>,
    /// The query's `dryRun` (`All`).
    pub dry_run: Option<String>,
    pub field_manager: Option<String>,
    /// The body as sent, when it was JSON.
    pub body: Option<Value>,
    /// The HTTP status answered.
    pub code: u16,
}

impl ApplicationRequest {
    /// Whether it could change an Application (POST, PUT, PATCH or DELETE), whatever the
    /// answer.
    pub fn writes(&self) -> bool {
        ![Method::GET, Method::HEAD, Method::OPTIONS].contains(&self.method)
    }
}

/// `/apis/applicationconnector.kyma-project.io/v1alpha1/applications[/NAME]`, logged.
pub fn handle(call: &Call<'_>, rest: &[&str]) -> Result<Response<Body>, ApiError> {
    let answer = answer(call, rest);
    let code = match &answer {
        Ok(response) => response.status().as_u16(),
        Err(error) => error.code.as_u16(),
    };
    let body: Option<Value> = serde_json::from_slice(&call.body).ok();
    let name = match rest {
        [name, ..] => Some(name.to_string()),
        [] => body
            .as_ref()
            .and_then(|body| body["metadata"]["name"].as_str())
            .map(str::to_string),
    };
    call.state
        .cluster
        .log_application_request(ApplicationRequest {
            at: std::time::Instant::now(),
            method: call.method.clone(),
            user: call.user.name.clone(),
            name,
            dry_run: call.query.get("dryRun").map(str::to_string),
            field_manager: call.query.get("fieldManager").map(str::to_string),
            body,
            code,
        });
    answer
}

fn answer(call: &Call<'_>, rest: &[&str]) -> Result<Response<Body>, ApiError> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::{User, Verbs};
    use crate::shape::key_paths;

    fn recording(name: &str) -> Value {
        let text = match name {
            "application-create" => include_str!(
                "../../tests/fixtures/kube-apiserver-v1.28-doctor/application-create.json"
            ),
            "create-already-exists" => {
                include_str!("../../tests/fixtures/kube-apiserver-v1.36/create-already-exists.json")
            }
            "forbidden-create" => {
                include_str!("../../tests/fixtures/kube-apiserver-v1.36/forbidden-create.json")
            }
            other => panic!("no recording {other}"),
        };
        serde_json::from_str(text).unwrap()
    }

    /// The recorded create's body, admitted and created as a POST would be.
    fn create_recorded(store: &Store, dry_run: bool) -> Result<Value, ApiError> {
        let sent = recording("application-create")["request"]["body"].to_string();
        let (object, warnings) = admit(sent.as_bytes(), &super::super::Query::default())?;
        assert!(warnings.is_empty());
        create(store, object, "unknown", dry_run)
    }

    #[test]
    fn a_create_answers_as_recorded() {
        let store = Store::default();
        let created = create_recorded(&store, false).unwrap();
        let recorded = &recording("application-create")["response"]["body"];
        assert_eq!(key_paths(&created), key_paths(recorded), "the same fields");
        assert_eq!(created["spec"], recorded["spec"]);
        assert_eq!(created["metadata"]["name"], "test-app");
        assert_eq!(created["metadata"]["generation"], 1);
        let managed = &created["metadata"]["managedFields"][0];
        let want = &recorded["metadata"]["managedFields"][0];
        for field in [
            "apiVersion",
            "fieldsType",
            "fieldsV1",
            "manager",
            "operation",
        ] {
            assert_eq!(managed[field], want[field], "managedFields[0].{field}");
        }
        assert_eq!(managed["time"], created["metadata"]["creationTimestamp"]);
        assert!(created["metadata"]["resourceVersion"].is_string());
        assert!(
            created["metadata"].get("namespace").is_none(),
            "cluster-scoped"
        );
        let stored = store.get("", "test-app").expect("stored");
        assert_eq!(stored.value, created);
    }

    #[test]
    fn a_dry_run_create_stores_nothing_and_has_no_resource_version() {
        let store = Store::default();
        let created = create_recorded(&store, true).unwrap();
        assert_eq!(created["spec"]["services"], json!([]));
        assert!(created["metadata"]["uid"].is_string());
        assert!(created["metadata"].get("resourceVersion").is_none());
        assert!(!store.contains("", "test-app"));
    }

    #[test]
    fn a_second_create_is_already_exists_as_the_apiserver_words_it() {
        let store = Store::default();
        create_recorded(&store, false).unwrap();
        let before = store.get("", "test-app").unwrap().value.clone();
        let error = create_recorded(&store, false).unwrap_err();
        assert_eq!(error.code, StatusCode::CONFLICT);
        // As create-already-exists words it for TokenRequests, with the Applications' names.
        let recorded = &recording("create-already-exists")["response"]["body"];
        let status = error.status();
        assert_eq!(key_paths(&status), key_paths(recorded));
        assert_eq!(
            status["message"],
            "applications.applicationconnector.kyma-project.io \"test-app\" already exists"
        );
        assert_eq!(status["reason"], recorded["reason"]);
        assert_eq!(
            status["details"],
            json!({"group": GROUP, "kind": "applications", "name": "test-app"})
        );
        assert_eq!(
            store.get("", "test-app").unwrap().value,
            before,
            "unchanged"
        );
    }

    #[test]
    fn a_create_without_the_verb_is_forbidden_at_the_cluster_scope() {
        let user = User::new("nobody", "t", Verbs::ALL)
            .with_verbs_on(RESOURCE, Verbs::ALL.without(Verb::Create));
        let error =
            super::super::kinds::authorize(&user, RESOURCE, Verb::Create, None, "").unwrap_err();
        let status = error.status();
        // As forbidden-create words a collection's create, cluster-scoped as
        // application-get-forbidden words its scope.
        let recorded = &recording("forbidden-create")["response"]["body"];
        assert_eq!(key_paths(&status), key_paths(recorded));
        assert_eq!(
            status["message"],
            "applications.applicationconnector.kyma-project.io is forbidden: User \"nobody\" \
             cannot create resource \"applications\" in API group \
             \"applicationconnector.kyma-project.io\" at the cluster scope"
        );
        assert_eq!(
            status["details"],
            json!({"group": GROUP, "kind": "applications"})
        );
        assert!(super::super::kinds::authorize(&user, RESOURCE, Verb::Get, None, "x").is_ok());
    }
}
