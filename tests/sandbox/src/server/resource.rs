//! The TokenRequest REST resource: create, get, list (pages, selectors, Table), update, merge
//! patch, delete and deletecollection, with the apiserver's metadata bookkeeping.

use std::sync::Arc;

use bytes::{BufMut, Bytes, BytesMut};
use http::{HeaderMap, HeaderValue, StatusCode};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::{Request, Response};
use ring::rand::{SecureRandom, SystemRandom};
use serde_json::{Map, Value, json};

use super::discovery::accepts_as;
use super::responses::{self, ApiError, Body};
use super::{GROUP_VERSION, KIND, LIST_KIND, Query, State, Verb, watch};
use crate::schema::{self, StatusCause};
use crate::store::{
    ContinueToken, FieldSelector, LabelSelector, ListRequest, StoreError, StoredObject,
    metadata_str,
};

/// Which objects a request is about.
#[derive(Debug, Clone)]
pub struct Target {
    /// `None` for the cluster-wide collection.
    pub namespace: Option<String>,
    /// `None` for the collection.
    pub name: Option<String>,
}

pub async fn handle(
    state: &Arc<State>,
    verb: Verb,
    target: Target,
    query: Query,
    request: Request<Incoming>,
) -> Result<Response<Body>, ApiError> {
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map_err(|error| ApiError::bad_request(format!("reading the request body: {error}")))?
        .to_bytes();
    let namespace = target.namespace.as_deref().unwrap_or("");
    let name = target.name.as_deref().unwrap_or("");
    match verb {
        Verb::Get => get(state, namespace, name, &query, &parts.headers),
        Verb::List => list(state, &target, &query, &parts.headers),
        Verb::Watch => watch::serve(
            state.clone(),
            &target,
            &query,
            &parts.headers,
            parts.extensions.get().copied().unwrap_or_default(),
        ),
        Verb::Create => create(state, namespace, &query, &body),
        Verb::Update => {
            let candidate = decode_object(&body)?;
            replace(state, namespace, name, &query, |_| Ok(candidate))
        }
        Verb::Patch => {
            let patch = merge_patch_body(&parts.headers, &body)?;
            replace(state, namespace, name, &query, |current| {
                let mut patched = current.value.clone();
                apply_merge_patch(&mut patched, &patch);
                Ok(patched)
            })
        }
        Verb::Delete => delete(state, namespace, name, &query, &body),
        Verb::DeleteCollection => delete_collection(state, &target, &query),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FieldValidation {
    Strict,
    Warn,
    Ignore,
}

pub(super) fn field_validation(query: &Query) -> Result<FieldValidation, ApiError> {
    match query.get("fieldValidation") {
        None | Some("" | "Warn") => Ok(FieldValidation::Warn),
        Some("Strict") => Ok(FieldValidation::Strict),
        Some("Ignore") => Ok(FieldValidation::Ignore),
        Some(other) => Err(ApiError::bad_request(format!(
            "fieldValidation: Unsupported value: {other:?}: supported values: \"Ignore\", \"Strict\", \"Warn\""
        ))),
    }
}

pub(super) fn dry_run(query: &Query) -> Result<bool, ApiError> {
    match query.get("dryRun") {
        None | Some("") => Ok(false),
        Some("All") => Ok(true),
        Some(other) => Err(ApiError::bad_request(format!(
            "dryRun: Unsupported value: {other:?}: supported values: \"All\""
        ))),
    }
}

/// Parses a request body that must be a TokenRequest of this group/version.
fn decode_object(body: &[u8]) -> Result<Value, ApiError> {
    let object: Value = serde_json::from_slice(body)
        .map_err(|error| ApiError::undecodable(&format!("json parse error: {error}")))?;
    check_type(&object)?;
    Ok(object)
}

fn check_type(object: &Value) -> Result<(), ApiError> {
    if !object.is_object() {
        return Err(ApiError::undecodable("the body is not a JSON object"));
    }
    let kind = object.get("kind").and_then(Value::as_str).unwrap_or("");
    let api_version = object
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("");
    if kind.is_empty() {
        return Err(ApiError::bad_request(format!(
            "Object 'Kind' is missing in '{object}'"
        )));
    }
    if api_version != GROUP_VERSION {
        return Err(ApiError::bad_request(format!(
            "the API version in the data ({api_version}) does not match the expected API version ({GROUP_VERSION})"
        )));
    }
    if kind != KIND {
        return Err(ApiError::bad_request(format!(
            "the kind in the data ({kind}) does not match the expected kind ({KIND})"
        )));
    }
    Ok(())
}

/// Prunes the object by the schema and turns the pruned fields into warnings or, under
/// `fieldValidation=Strict`, into a 400.
fn admit(state: &State, object: &mut Value, query: &Query) -> Result<Vec<String>, ApiError> {
    let validation = field_validation(query)?;
    if !object["metadata"].is_object() {
        if !object["metadata"].is_null() {
            return Err(ApiError::undecodable("metadata must be an object"));
        }
        object["metadata"] = json!({});
    }
    let unknown = schema::prune(state.config.schema, object);
    let messages = unknown
        .iter()
        .map(|field| format!("unknown field {}", quoted(field)));
    match validation {
        FieldValidation::Strict if !unknown.is_empty() => Err(ApiError::undecodable(&format!(
            "strict decoding error: {}",
            messages.collect::<Vec<_>>().join(", ")
        ))),
        FieldValidation::Warn => Ok(messages.collect()),
        _ => Ok(Vec::new()),
    }
}

fn quoted(text: &str) -> String {
    Value::String(text.to_string()).to_string()
}

pub(super) fn with_warnings(mut response: Response<Body>, warnings: &[String]) -> Response<Body> {
    for warning in warnings {
        let value = format!("299 - {}", quoted(warning));
        if let Ok(value) = HeaderValue::from_str(&value) {
            response.headers_mut().append(http::header::WARNING, value);
        }
    }
    response
}

pub(super) fn now_rfc3339() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    SystemRandom::new()
        .fill(&mut bytes)
        .expect("the system random source works");
    bytes
}

/// A random (version 4) UUID in its text form.
pub(super) fn new_uid() -> String {
    uuid_text(random_bytes::<16>())
}

/// Sixteen bytes as a version-4 UUID's text.
pub(super) fn uuid_text(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// `generateName` plus five random characters from the apiserver's alphabet.
fn generate_name(prefix: &str) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    const MAX_PREFIX: usize = 58;
    let prefix = &prefix[..prefix.len().min(MAX_PREFIX)];
    let suffix: String = random_bytes::<5>()
        .iter()
        .map(|byte| ALPHABET[*byte as usize % ALPHABET.len()] as char)
        .collect();
    format!("{prefix}{suffix}")
}

/// The name a create gives the object, and its `generateName` prefix: `metadata.name`, else
/// one generated from the prefix that `taken` does not know (if any).
pub(super) fn name_to_create(
    metadata: &Map<String, Value>,
    taken: impl Fn(&str) -> bool,
) -> (String, String) {
    let text = |field: &str| {
        metadata
            .get(field)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let (mut name, prefix) = (text("name"), text("generateName"));
    if name.is_empty() && !prefix.is_empty() {
        name = generate_name(&prefix);
        for _ in 0..8 {
            if !taken(&name) {
                break;
            }
            name = generate_name(&prefix);
        }
    }
    (name, prefix)
}

/// The namespace of the body must be empty or the one in the URL.
pub(super) fn settle_namespace(
    metadata: &mut Map<String, Value>,
    namespace: &str,
) -> Result<(), ApiError> {
    match metadata.get("namespace").and_then(Value::as_str) {
        None | Some("") => {
            metadata.insert("namespace".into(), json!(namespace));
            Ok(())
        }
        Some(given) if given == namespace => Ok(()),
        Some(_) => Err(ApiError::bad_request(
            "the namespace of the provided object does not match the namespace sent on the request",
        )),
    }
}

/// Metadata the server owns; what a client sends there is replaced.
pub(super) const SERVER_OWNED_METADATA: &[&str] = &[
    "uid",
    "creationTimestamp",
    "generation",
    "managedFields",
    "selfLink",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
];

fn create(
    state: &State,
    namespace: &str,
    query: &Query,
    body: &[u8],
) -> Result<Response<Body>, ApiError> {
    let mut object = decode_object(body)?;
    let warnings = admit(state, &mut object, query)?;
    let dry_run = dry_run(query)?;
    let metadata = object["metadata"]
        .as_object_mut()
        .expect("admit made metadata an object");
    settle_namespace(metadata, namespace)?;
    if metadata
        .get("resourceVersion")
        .and_then(Value::as_str)
        .is_some_and(|rv| !rv.is_empty())
    {
        return Err(ApiError::bad_request(
            "resourceVersion should not be set on objects to be created",
        ));
    }
    for field in SERVER_OWNED_METADATA.iter().chain(&["resourceVersion"]) {
        metadata.remove(*field);
    }
    let (name, generate_prefix) =
        name_to_create(metadata, |name| state.store.contains(namespace, name));
    let now = now_rfc3339();
    metadata.insert("name".into(), json!(name));
    metadata.insert("uid".into(), json!(new_uid()));
    metadata.insert("creationTimestamp".into(), json!(now));
    metadata.insert("generation".into(), json!(1));
    // What the create set, e.g. `generateName` (create-generate-name) or a kept `context`
    // (create-with-context-kept); nothing for an object with only a name (create).
    let managed = super::managed::for_custom_resource(
        &object,
        GROUP_VERSION,
        &super::managed::manager(query),
        &now,
    );
    if managed
        .as_array()
        .is_some_and(|entries| !entries.is_empty())
    {
        object["metadata"]["managedFields"] = managed;
    }
    let mut causes = schema::validate_object_name(&name, &generate_prefix);
    causes.extend(schema::validate_schema(&object));
    if !causes.is_empty() {
        return Err(ApiError::invalid(&name, &causes));
    }
    if dry_run {
        if state.store.contains(namespace, &name) {
            return Err(ApiError::already_exists(&name));
        }
        return Ok(with_warnings(
            responses::json_value(StatusCode::CREATED, &object),
            &warnings,
        ));
    }
    let stored = state
        .store
        .create(object)
        .map_err(|_| ApiError::already_exists(&name))?;
    Ok(with_warnings(
        responses::json_bytes(StatusCode::CREATED, stored.json.clone()),
        &warnings,
    ))
}

fn without_metadata(object: &Value) -> Map<String, Value> {
    let mut rest = object.as_object().cloned().unwrap_or_default();
    rest.remove("metadata");
    rest
}

/// PUT and PATCH: `candidate` builds the new object from the current one; the result goes
/// through the same checks and bookkeeping a real update does.
fn replace(
    state: &State,
    namespace: &str,
    name: &str,
    query: &Query,
    candidate: impl FnOnce(&StoredObject) -> Result<Value, ApiError>,
) -> Result<Response<Body>, ApiError> {
    let dry_run = dry_run(query)?;
    let mut warnings = Vec::new();
    let updated = state
        .store
        .update(namespace, name, dry_run, |current| {
            let mut object = candidate(current)?;
            check_type(&object)?;
            warnings = admit(state, &mut object, query)?;
            settle_update_metadata(&mut object, current, namespace, name)?;
            let causes: Vec<StatusCause> = schema::validate_schema(&object);
            if !causes.is_empty() {
                return Err(ApiError::invalid(name, &causes));
            }
            Ok(object)
        })
        .map_err(|error| match error {
            StoreError::Rejected(error) => error,
            StoreError::NotFound | StoreError::AlreadyExists => ApiError::not_found(name),
        })?;
    Ok(with_warnings(
        responses::json_bytes(StatusCode::OK, updated.object.json.clone()),
        &warnings,
    ))
}

/// Name and namespace must match the URL; resourceVersion and uid, when given, must match the
/// stored object; server-owned fields are carried over and `generation` moves when anything
/// outside metadata changed.
fn settle_update_metadata(
    object: &mut Value,
    current: &StoredObject,
    namespace: &str,
    name: &str,
) -> Result<(), ApiError> {
    let generation_changes = without_metadata(object) != without_metadata(&current.value);
    let metadata = object["metadata"]
        .as_object_mut()
        .expect("admit made metadata an object");
    let given_name = metadata.get("name").and_then(Value::as_str).unwrap_or("");
    if given_name != name {
        return Err(ApiError::bad_request(format!(
            "the name of the object ({given_name}) does not match the name on the URL ({name})"
        )));
    }
    settle_namespace(metadata, namespace)?;
    let given_version = metadata
        .get("resourceVersion")
        .and_then(Value::as_str)
        .unwrap_or("");
    if !given_version.is_empty() && given_version != current.resource_version.to_string() {
        return Err(ApiError::modified(name));
    }
    let given_uid = metadata.get("uid").and_then(Value::as_str).unwrap_or("");
    if !given_uid.is_empty() && given_uid != current.uid() {
        return Err(ApiError::precondition_failed(
            name,
            format!(
                "Precondition failed: UID in precondition: {given_uid}, UID in object meta: {}",
                current.uid()
            ),
        ));
    }
    for field in SERVER_OWNED_METADATA {
        match current.value["metadata"].get(*field) {
            Some(value) => metadata.insert(field.to_string(), value.clone()),
            None => metadata.remove(*field),
        };
    }
    if generation_changes {
        let generation = current.value["metadata"]["generation"]
            .as_i64()
            .unwrap_or(0)
            + 1;
        metadata.insert("generation".into(), json!(generation));
    }
    Ok(())
}

fn merge_patch_body(headers: &HeaderMap, body: &[u8]) -> Result<Value, ApiError> {
    let content_type = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let media_type = content_type.split(';').next().unwrap_or("").trim();
    if media_type != "application/merge-patch+json" {
        return Err(ApiError::unsupported_media_type(content_type));
    }
    serde_json::from_slice(body)
        .map_err(|error| ApiError::bad_request(format!("error decoding patch: {error}")))
}

/// RFC 7386 JSON merge patch.
fn apply_merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = json!({});
    }
    let target = target.as_object_mut().expect("made an object above");
    for (key, value) in patch {
        if value.is_null() {
            target.remove(key);
        } else {
            apply_merge_patch(target.entry(key.clone()).or_insert(Value::Null), value);
        }
    }
}

fn delete(
    state: &State,
    namespace: &str,
    name: &str,
    query: &Query,
    body: &[u8],
) -> Result<Response<Body>, ApiError> {
    let options: Value = if body.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        serde_json::from_slice(body)
            .map_err(|error| ApiError::bad_request(format!("invalid DeleteOptions: {error}")))?
    };
    let dry_run = dry_run(query)?
        || options["dryRun"]
            .as_array()
            .is_some_and(|modes| modes.iter().any(|mode| mode == "All"));
    let preconditions = &options["preconditions"];
    let deleted = state
        .store
        .delete(namespace, name, dry_run, |current| {
            if let Some(uid) = preconditions["uid"].as_str().filter(|uid| *uid != current.uid()) {
                return Err(ApiError::precondition_failed(
                    name,
                    format!("Precondition failed: UID in precondition: {uid}, UID in object meta: {}", current.uid()),
                ));
            }
            let version = current.resource_version.to_string();
            if let Some(wanted) = preconditions["resourceVersion"].as_str().filter(|rv| *rv != version) {
                return Err(ApiError::precondition_failed(
                    name,
                    format!(
                        "the ResourceVersion in the precondition ({wanted}) does not match the ResourceVersion in record ({version}). The object might have been modified"
                    ),
                ));
            }
            Ok(())
        })
        .map_err(|error| match error {
            StoreError::Rejected(error) => error,
            StoreError::NotFound | StoreError::AlreadyExists => ApiError::not_found(name),
        })?;
    Ok(responses::json_value(
        StatusCode::OK,
        &responses::deleted(name, deleted.uid()),
    ))
}

/// Label and field selectors of a list, watch or deletecollection.
pub struct Selection {
    namespace: Option<String>,
    labels: LabelSelector,
    fields: FieldSelector,
}

impl Selection {
    pub fn from_query(target: &Target, query: &Query) -> Result<Selection, ApiError> {
        let parse_error = |error: crate::store::SelectorError| ApiError::bad_request(error.0);
        let labels =
            LabelSelector::parse(query.get("labelSelector").unwrap_or("")).map_err(parse_error)?;
        let mut field_text = query.get("fieldSelector").unwrap_or("").to_string();
        if let Some(name) = &target.name {
            // A watch on one object is a watch with a name field selector.
            if !field_text.is_empty() {
                field_text.push(',');
            }
            field_text.push_str(&format!("metadata.name={name}"));
        }
        let fields = FieldSelector::parse(&field_text).map_err(parse_error)?;
        Ok(Selection {
            namespace: target.namespace.clone(),
            labels,
            fields,
        })
    }

    /// No selector beyond the namespace: remainingItemCount is exact.
    pub fn is_everything(&self) -> bool {
        self.labels.is_empty() && self.fields.is_empty()
    }

    pub fn matches(&self, object: &StoredObject) -> bool {
        self.namespace
            .as_ref()
            .is_none_or(|namespace| *namespace == object.namespace)
            && self.fields.matches(&object.namespace, &object.name)
            && self.labels.matches(object.labels())
    }
}

/// How Table rows carry their object (`includeObject`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncludeObject {
    None,
    Metadata,
    Object,
}

/// The `as=Table` form when `Accept` asks for it.
pub fn table_format(headers: &HeaderMap, query: &Query) -> Option<IncludeObject> {
    if !accepts_as(headers, "Table", &[]) {
        return None;
    }
    Some(match query.get("includeObject") {
        Some("None") => IncludeObject::None,
        Some("Object") => IncludeObject::Object,
        _ => IncludeObject::Metadata,
    })
}

const TABLE_COLUMNS: &str = include_str!("assets/table-columns.json");

/// A meta.k8s.io Table with the NAME and AGE columns, as for a CRD without printer columns.
pub fn table(objects: &[Arc<StoredObject>], metadata: Value, include: IncludeObject) -> Value {
    let columns: Value = serde_json::from_str(TABLE_COLUMNS).expect("embedded columns are JSON");
    let now = jiff::Timestamp::now();
    let rows: Vec<Value> = objects
        .iter()
        .map(|object| {
            let age = metadata_str(&object.value, "creationTimestamp")
                .parse::<jiff::Timestamp>()
                .map(|created| human_duration(now.as_second() - created.as_second()))
                .unwrap_or_else(|_| "<unknown>".to_string());
            let mut row = json!({"cells": [object.name, age]});
            match include {
                IncludeObject::None => {}
                IncludeObject::Metadata => {
                    row["object"] = json!({
                        "apiVersion": "meta.k8s.io/v1",
                        "kind": "PartialObjectMetadata",
                        "metadata": object.value["metadata"],
                    });
                }
                IncludeObject::Object => row["object"] = object.value.clone(),
            }
            row
        })
        .collect();
    json!({
        "apiVersion": "meta.k8s.io/v1",
        "kind": "Table",
        "metadata": metadata,
        "columnDefinitions": columns,
        "rows": rows,
    })
}

/// Go's `duration.HumanDuration`, as the AGE column prints it.
pub fn human_duration(seconds: i64) -> String {
    if seconds < -1 {
        return "<invalid>".into();
    }
    let seconds = seconds.max(0);
    if seconds < 120 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        return match seconds % 60 {
            0 => format!("{minutes}m"),
            rest => format!("{minutes}m{rest}s"),
        };
    }
    if minutes < 180 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        return match minutes % 60 {
            0 => format!("{hours}h"),
            rest => format!("{hours}h{rest}m"),
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        return match hours % 24 {
            0 => format!("{}d", hours / 24),
            rest => format!("{}d{rest}h", hours / 24),
        };
    }
    let days = hours / 24;
    if days < 365 * 2 {
        return format!("{days}d");
    }
    if days < 365 * 8 {
        return match days % 365 {
            0 => format!("{}y", days / 365),
            rest => format!("{}y{rest}d", days / 365),
        };
    }
    format!("{}y", days / 365)
}

fn get(
    state: &State,
    namespace: &str,
    name: &str,
    query: &Query,
    headers: &HeaderMap,
) -> Result<Response<Body>, ApiError> {
    let object = state
        .store
        .get(namespace, name)
        .ok_or_else(|| ApiError::not_found(name))?;
    if let Some(include) = table_format(headers, query) {
        let metadata = json!({"resourceVersion": object.resource_version.to_string()});
        return Ok(responses::json_value(
            StatusCode::OK,
            &table(&[object], metadata, include),
        ));
    }
    Ok(responses::json_bytes(StatusCode::OK, object.json.clone()))
}

/// The key prefix a continue token's `start` is relative to.
fn key_prefix(target: &Target) -> String {
    target
        .namespace
        .as_ref()
        .map(|namespace| format!("{namespace}/"))
        .unwrap_or_default()
}

fn list(
    state: &State,
    target: &Target,
    query: &Query,
    headers: &HeaderMap,
) -> Result<Response<Body>, ApiError> {
    let selection = Selection::from_query(target, query)?;
    let limit = match query.get("limit") {
        None | Some("") => None,
        Some(text) => Some(
            text.parse::<usize>()
                .map_err(|_| ApiError::bad_request(format!("limit: Invalid value: {text:?}")))?,
        )
        .filter(|limit| *limit > 0),
    };
    let prefix = key_prefix(target);
    let continuing = match query.get("continue").filter(|token| !token.is_empty()) {
        Some(token) => Some(
            ContinueToken::decode(token)
                .map_err(|error| ApiError::bad_request(error.to_string()))?,
        ),
        None => None,
    };
    let start_after = continuing
        .as_ref()
        .map(|token| format!("{prefix}{}", token.after_key.trim_start_matches('/')));
    let filter = |object: &StoredObject| selection.matches(object);
    let page = state.store.list(&ListRequest {
        namespace: target.namespace.as_deref(),
        start_after: start_after.as_deref(),
        limit,
        filter: &filter,
    });
    // Later pages report the resourceVersion of the first, as etcd snapshots do.
    let resource_version = continuing.map_or(page.resource_version, |token| token.resource_version);
    let next = page.continue_after.as_ref().map(|key| {
        ContinueToken {
            resource_version,
            after_key: key.strip_prefix(&prefix).unwrap_or(key).to_string(),
        }
        .encode()
    });
    let remaining = next
        .as_ref()
        .filter(|_| selection.is_everything())
        .map(|_| page.remaining);
    if let Some(include) = table_format(headers, query) {
        let mut metadata = json!({"resourceVersion": resource_version.to_string()});
        if let Some(next) = &next {
            metadata["continue"] = json!(next);
        }
        if let Some(remaining) = remaining {
            metadata["remainingItemCount"] = json!(remaining);
        }
        return Ok(responses::json_value(
            StatusCode::OK,
            &table(&page.items, metadata, include),
        ));
    }
    let mut metadata = json!({
        "continue": next.unwrap_or_default(),
        "resourceVersion": resource_version.to_string(),
    });
    if let Some(remaining) = remaining {
        metadata["remainingItemCount"] = json!(remaining);
    }
    Ok(responses::json_bytes(
        StatusCode::OK,
        list_body(&page.items, &metadata),
    ))
}

/// A TokenRequestList, written from the objects' stored bytes.
fn list_body(items: &[Arc<StoredObject>], metadata: &Value) -> Bytes {
    let size: usize = items.iter().map(|item| item.json.len() + 1).sum();
    let mut body = BytesMut::with_capacity(size + 256);
    body.put_slice(format!("{{\"apiVersion\":\"{GROUP_VERSION}\",\"items\":[").as_bytes());
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            body.put_u8(b',');
        }
        body.put_slice(&item.json);
    }
    body.put_slice(format!("],\"kind\":\"{LIST_KIND}\",\"metadata\":{metadata}}}").as_bytes());
    body.freeze()
}

fn delete_collection(
    state: &State,
    target: &Target,
    query: &Query,
) -> Result<Response<Body>, ApiError> {
    let selection = Selection::from_query(target, query)?;
    let dry_run = dry_run(query)?;
    let filter = |object: &StoredObject| selection.matches(object);
    let page = state.store.list(&ListRequest {
        namespace: target.namespace.as_deref(),
        start_after: None,
        limit: None,
        filter: &filter,
    });
    let mut deleted = Vec::with_capacity(page.items.len());
    for object in &page.items {
        // Something else may have deleted it meanwhile; that is fine.
        if let Ok(object) =
            state
                .store
                .delete::<()>(&object.namespace, &object.name, dry_run, |_| Ok(()))
        {
            deleted.push(object);
        }
    }
    let metadata = json!({"continue": "", "resourceVersion": page.resource_version.to_string()});
    Ok(responses::json_bytes(
        StatusCode::OK,
        list_body(&deleted, &metadata),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_durations() {
        let cases = [
            (0, "0s"),
            (-1, "0s"),
            (-5, "<invalid>"),
            (119, "119s"),
            (120, "2m"),
            (185, "3m5s"),
            (600, "10m"),
            (3 * 3600, "3h"),
            (3 * 3600 + 60 * 5, "3h5m"),
            (10 * 3600, "10h"),
            (50 * 3600, "2d2h"),
            (10 * 86400, "10d"),
            (800 * 86400, "2y70d"),
        ];
        for (seconds, expected) in cases {
            assert_eq!(human_duration(seconds), expected, "{seconds}");
        }
    }

    #[test]
    fn merge_patch_follows_rfc_7386() {
        let mut target = json!({"a": "b", "c": {"d": "e", "f": "g"}});
        apply_merge_patch(&mut target, &json!({"a": "z", "c": {"f": null}}));
        assert_eq!(target, json!({"a": "z", "c": {"d": "e"}}));
    }

    #[test]
    fn uids_are_version_4() {
        let uid = new_uid();
        assert_eq!(uid.len(), 36);
        assert_eq!(&uid[14..15], "4");
        assert_ne!(uid, new_uid());
    }
}
