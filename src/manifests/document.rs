//! One document checked: a TokenRequest, or a List of them (`kind: List` or `TokenRequestList`),
//! held to what the API server and the Connector Service would take. What the server and the
//! controller set on a stored request is ignored and named; anything else unknown is refused,
//! as kubectl's strict field validation refuses it.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::Manifest;
use super::error::{ManifestError, Place};
use super::input::Document;
use crate::text::quote_for_message;
use crate::tokenrequest::{
    API_VERSION, ClusterContext, KIND, check_label_key, check_label_value, validate_name,
    validate_namespace,
};

/// Set by the API server on a stored object: a new request gets its own.
const SERVER_METADATA: &[&str] = &[
    "uid",
    "resourceVersion",
    "creationTimestamp",
    "generation",
    "managedFields",
    "selfLink",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
];

/// Metadata the API server takes but this plugin does not carry onto the request it creates.
const NOT_CARRIED: &[(&str, &str)] = &[
    (
        "generateName",
        "a TokenRequest is named after its Application: give metadata.name instead",
    ),
    (
        "ownerReferences",
        "kubectl tokenrequest does not carry it onto the request: remove it (or create the \
         request with kubectl create -f, without the wait for the token)",
    ),
    (
        "finalizers",
        "kubectl tokenrequest does not carry it onto the request: remove it (or create the \
         request with kubectl create -f, without the wait for the token)",
    ),
];

/// The manifests in `document`: one, or a List's items (each placed by its index).
pub(super) fn manifests_of(document: Document) -> Result<Vec<Manifest>, ManifestError> {
    let Document { place, value } = document;
    let object = mapping(&value, "the document", &place)?;
    let kind = type_field(object, "kind", &place)?;
    let list = match kind {
        "List" => Some("v1"),
        "TokenRequestList" => Some(API_VERSION),
        _ => None,
    };
    let Some(list_version) = list else {
        return Ok(vec![request(object, &place, false)?]);
    };
    let api_version = type_field(object, "apiVersion", &place)?;
    if api_version != list_version {
        return Err(ManifestError::new(
            &place,
            format!(
                "apiVersion is {}: a {kind} is apiVersion {list_version}",
                quote_for_message(api_version)
            ),
        ));
    }
    unknown_fields(
        object,
        &["apiVersion", "kind", "metadata", "items"],
        "a List has apiVersion, kind, metadata and items",
        &place,
    )?;
    let items = match object.get("items") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(ManifestError::new(
                &place,
                format!("items is {}, not a list of TokenRequests", describe(other)),
            ));
        }
    };
    items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let place = place.item(index + 1);
            let object = mapping(item, "the item", &place)?;
            // The API's own TokenRequestList may leave its items' kind and apiVersion out.
            request(object, &place, kind == "TokenRequestList")
        })
        .collect()
}

/// One TokenRequest; `typed_by_list`: its kind and apiVersion may be left to its List.
fn request(
    object: &Map<String, Value>,
    place: &Place,
    typed_by_list: bool,
) -> Result<Manifest, ManifestError> {
    let given = |field| !typed_by_list || object.get(field).is_some_and(|v| !v.is_null());
    if given("kind") {
        let kind = type_field(object, "kind", place)?;
        if kind == "List" || kind == "TokenRequestList" {
            return Err(ManifestError::new(
                place,
                format!("a {kind} inside a List: put its items in the outer List"),
            ));
        }
        if kind != KIND {
            return Err(ManifestError::new(
                place,
                format!(
                    "kind is {}: -f takes TokenRequests (kind TokenRequest, apiVersion \
                     {API_VERSION}), one or several, or a List of them",
                    quote_for_message(kind)
                ),
            ));
        }
    }
    if given("apiVersion") {
        let api_version = type_field(object, "apiVersion", place)?;
        if api_version != API_VERSION {
            return Err(ManifestError::new(
                place,
                format!(
                    "apiVersion is {}: a TokenRequest is apiVersion {API_VERSION}",
                    quote_for_message(api_version)
                ),
            ));
        }
    }
    if object.contains_key("spec") {
        return Err(ManifestError::new(
            place,
            "a TokenRequest has no spec: its CRD declares none (tenant and group are \
             context.tenant and context.group, at the top level)",
        ));
    }
    unknown_fields(
        object,
        &["apiVersion", "kind", "metadata", "context", "status"],
        "a TokenRequest has apiVersion, kind, metadata, context and status",
        place,
    )?;
    let mut ignored = Vec::new();
    if object.contains_key("status") {
        ignored.push("status".to_string());
    }
    let metadata = match object.get("metadata") {
        Some(value) => mapping(value, "metadata", place)?,
        None => {
            return Err(ManifestError::new(
                place,
                "no metadata: a TokenRequest needs metadata.name, the Application's name",
            ));
        }
    };
    for (field, why) in NOT_CARRIED {
        if metadata.get(*field).is_some_and(|v| !v.is_null()) {
            return Err(ManifestError::new(
                place,
                format!("metadata.{field} is not taken: {why}"),
            ));
        }
    }
    for field in metadata.keys() {
        if SERVER_METADATA.contains(&field.as_str()) {
            ignored.push(format!("metadata.{field}"));
        }
    }
    let known: Vec<&str> = ["name", "namespace", "labels", "annotations"]
        .into_iter()
        .chain(SERVER_METADATA.iter().copied())
        .chain(NOT_CARRIED.iter().map(|(field, _)| *field))
        .collect();
    unknown_fields(
        metadata,
        &known,
        "metadata takes name, namespace, labels and annotations",
        place,
    )?;
    let name = match optional_string(metadata, "name", "metadata.name", place)? {
        Some(name) => name,
        None => {
            return Err(ManifestError::new(
                place,
                "no metadata.name: a TokenRequest is named after its Application",
            ));
        }
    };
    validate_name(&name).map_err(|problem| ManifestError::new(place, problem))?;
    let namespace = optional_string(metadata, "namespace", "metadata.namespace", place)?
        .filter(|namespace| !namespace.is_empty());
    if let Some(namespace) = &namespace {
        validate_namespace(namespace).map_err(|problem| ManifestError::new(place, problem))?;
    }
    let labels = strings(metadata, "labels", place, |key, value| {
        check_label_key(key)
            .map_err(|why| format!("invalid label key {}: {why}", quote_for_message(key)))?;
        check_label_value(value).map_err(|why| {
            format!(
                "invalid value of label {key}: {}: {why}",
                quote_for_message(value)
            )
        })
    })?;
    let annotations = strings(metadata, "annotations", place, |key, _| {
        check_label_key(key)
            .map_err(|why| format!("invalid annotation key {}: {why}", quote_for_message(key)))
    })?;
    Ok(Manifest {
        name,
        namespace,
        labels,
        annotations,
        context: context(object, place)?,
        place: place.clone(),
        ignored,
    })
}

/// `context.tenant` and `context.group`: both or neither, as `--tenant` and `--group`.
fn context(
    object: &Map<String, Value>,
    place: &Place,
) -> Result<Option<ClusterContext>, ManifestError> {
    let context = match object.get("context") {
        None | Some(Value::Null) => return Ok(None),
        Some(value) => mapping(value, "context", place)?,
    };
    unknown_fields(
        context,
        &["tenant", "group"],
        "context has tenant and group",
        place,
    )?;
    let mut given = Vec::new();
    for field in ["tenant", "group"] {
        let path = format!("context.{field}");
        let value = optional_string(context, field, &path, place)?;
        if let Some(value) = &value
            && !ClusterContext::takes(value)
        {
            return Err(ManifestError::new(
                place,
                format!(
                    "invalid {path} {}: it must be non-empty and contain no control characters \
                     such as newlines",
                    quote_for_message(value)
                ),
            ));
        }
        given.push(value);
    }
    match (given[0].take(), given[1].take()) {
        (Some(tenant), Some(group)) => Ok(Some(ClusterContext {
            tenant: Some(tenant),
            group: Some(group),
        })),
        (None, None) => Ok(None),
        (tenant, _) => {
            let (with, without) = match tenant {
                Some(_) => ("tenant", "group"),
                None => ("group", "tenant"),
            };
            Err(ManifestError::new(
                place,
                format!(
                    "context.{with} without context.{without}: the Connector Service's central \
                     mode takes both (as --tenant and --group), or neither"
                ),
            ))
        }
    }
}

/// A map of strings (`metadata.labels`, `metadata.annotations`), each entry held to `check`.
fn strings(
    metadata: &Map<String, Value>,
    field: &str,
    place: &Place,
    check: impl Fn(&str, &str) -> Result<(), String>,
) -> Result<BTreeMap<String, String>, ManifestError> {
    let map = match metadata.get(field) {
        None | Some(Value::Null) => return Ok(BTreeMap::new()),
        Some(value) => mapping(value, &format!("metadata.{field}"), place)?,
    };
    let mut strings = BTreeMap::new();
    for (key, value) in map {
        let Value::String(text) = value else {
            let quoted = match value {
                Value::Bool(_) | Value::Number(_) => format!(": quote it ({key}: \"{value}\")"),
                _ => String::new(),
            };
            return Err(ManifestError::new(
                place,
                format!(
                    "metadata.{field}.{key} is {}, not a string{quoted}",
                    describe(value)
                ),
            ));
        };
        check(key, text)
            .map_err(|problem| ManifestError::new(place, format!("metadata.{field}: {problem}")))?;
        strings.insert(key.clone(), text.clone());
    }
    Ok(strings)
}

fn mapping<'a>(
    value: &'a Value,
    what: &str,
    place: &Place,
) -> Result<&'a Map<String, Value>, ManifestError> {
    match value {
        Value::Object(object) => Ok(object),
        other => Err(ManifestError::new(
            place,
            format!(
                "{what} is {}, not a mapping: a TokenRequest is a mapping of apiVersion, kind \
                 and metadata",
                describe(other)
            ),
        )),
    }
}

/// `kind` or `apiVersion`: a string that must be there.
fn type_field<'a>(
    object: &'a Map<String, Value>,
    field: &str,
    place: &Place,
) -> Result<&'a str, ManifestError> {
    match object.get(field) {
        Some(Value::String(text)) if !text.is_empty() => Ok(text),
        None | Some(Value::Null) => Err(ManifestError::new(
            place,
            format!(
                "no {field}: a TokenRequest manifest says kind: {KIND} and apiVersion: \
                 {API_VERSION}"
            ),
        )),
        Some(other) => Err(ManifestError::new(
            place,
            format!("{field} is {}, not a kind name", describe(other)),
        )),
    }
}

/// A string field that may be left out (or null).
fn optional_string(
    object: &Map<String, Value>,
    field: &str,
    path: &str,
    place: &Place,
) -> Result<Option<String>, ManifestError> {
    match object.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(other) => Err(ManifestError::new(
            place,
            format!("{path} is {}, not a string", describe(other)),
        )),
    }
}

/// The first field of `object` not in `known`, refused; `has` says what it may hold.
fn unknown_fields(
    object: &Map<String, Value>,
    known: &[&str],
    has: &str,
    place: &Place,
) -> Result<(), ManifestError> {
    match object.keys().find(|key| !known.contains(&key.as_str())) {
        None => Ok(()),
        Some(field) => Err(ManifestError::new(
            place,
            format!("unknown field {}: {has}", quote_for_message(field)),
        )),
    }
}

/// A value's type in words, for messages (never the value of a string).
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("{b}, a boolean"),
        Value::Number(n) => format!("{n}, a number"),
        Value::String(_) => "a string".to_string(),
        Value::Array(_) => "a list".to_string(),
        Value::Object(_) => "a mapping".to_string(),
    }
}
