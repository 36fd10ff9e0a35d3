//! `/version`, API discovery (legacy and aggregated) and OpenAPI v3: the TokenRequest group,
//! and the built-in groups of which the sandbox serves a few resources (`builtin-discovery.json`:
//! the recorded entries, cut down to those resources and the verbs served).

use std::sync::LazyLock;

use http::{HeaderMap, StatusCode};
use hyper::Response;
use serde_json::{Value, json};

use super::responses::{self, Body};
use super::{GROUP, GROUP_VERSION, KIND, PLURAL, State, VERSION};
use crate::schema::SchemaVersion;

const VERSION_INFO: &str = include_str!("assets/version.json");
/// The OpenAPI v3 document the real server published for the group/version.
const OPENAPI_DOCUMENT: &str = include_str!("assets/openapi-v3-tokenrequests.json");
const OPENAPI_HASH: &str = "BE914860F0595C4CC4B7AC199F76050E72F6DB7839C5AF129F63324E666391EF41ECD584A0BF7A3B91E25B8F55AC8B032CB7C935C546F8E6693C0E94B4DF55CF";
/// The aggregated discovery entries of the built-in groups, in the server's order.
const BUILTIN_DISCOVERY: &str = include_str!("assets/builtin-discovery.json");
const AGGREGATED: &str = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
/// As listed in discovery-group-version, in that order.
const RESOURCE_VERBS: [&str; 8] = [
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "create",
    "update",
    "watch",
];

/// Whether some media range in `Accept` asks for the `as=KIND` form with the given parameters.
pub fn accepts_as(headers: &HeaderMap, kind: &str, extra: &[&str]) -> bool {
    headers
        .get_all(http::header::ACCEPT)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|range| {
            let parameters: Vec<&str> = range.split(';').map(str::trim).collect();
            parameters.contains(&format!("as={kind}").as_str())
                && extra.iter().all(|wanted| parameters.contains(wanted))
        })
}

fn wants_aggregated(headers: &HeaderMap) -> bool {
    accepts_as(
        headers,
        "APIGroupDiscoveryList",
        &["v=v2", "g=apidiscovery.k8s.io"],
    )
}

fn aggregated(items: Value) -> Response<Body> {
    let body = json!({
        "apiVersion": "apidiscovery.k8s.io/v2",
        "kind": "APIGroupDiscoveryList",
        "metadata": {},
        "items": items,
    });
    responses::with_body(
        StatusCode::OK,
        AGGREGATED,
        responses::full(body.to_string()),
    )
}

pub fn version() -> Response<Body> {
    let value: Value = serde_json::from_str(VERSION_INFO).expect("embedded version info is JSON");
    responses::json_value(StatusCode::OK, &value)
}

pub fn core_versions(headers: &HeaderMap) -> Response<Body> {
    if wants_aggregated(headers) {
        // Of the core group only namespaces are served.
        return aggregated(json!([{
            "metadata": {},
            "versions": [{"version": "v1", "resources": [{
                "resource": "namespaces",
                "responseKind": {"group": "", "kind": "Namespace", "version": ""},
                "scope": "Cluster",
                "shortNames": ["ns"],
                "singularResource": "namespace",
                "verbs": ["get"],
            }], "freshness": "Current"}],
        }]));
    }
    responses::json_value(
        StatusCode::OK,
        &json!({
            "kind": "APIVersions",
            "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}],
        }),
    )
}

pub fn core_resources() -> Response<Body> {
    responses::json_value(
        StatusCode::OK,
        &json!({"kind": "APIResourceList", "groupVersion": "v1", "resources": [{
            "kind": "Namespace",
            "name": "namespaces",
            "namespaced": false,
            "shortNames": ["ns"],
            "singularName": "namespace",
            "verbs": ["get"],
        }]}),
    )
}

fn group_version_entry() -> Value {
    json!({"groupVersion": GROUP_VERSION, "version": VERSION})
}

static BUILTIN: LazyLock<Vec<Value>> =
    LazyLock::new(|| serde_json::from_str(BUILTIN_DISCOVERY).expect("embedded discovery is JSON"));

/// The aggregated entry of a built-in group.
fn builtin_entry(group: &str) -> Option<&'static Value> {
    BUILTIN
        .iter()
        .find(|entry| entry["metadata"]["name"] == group)
}

/// The legacy `{groupVersion, version}` of an aggregated entry's only version.
fn legacy_version(entry: &Value) -> Value {
    let name = entry["metadata"]["name"].as_str().unwrap_or_default();
    let version = entry["versions"][0]["version"].as_str().unwrap_or_default();
    json!({"groupVersion": format!("{name}/{version}"), "version": version})
}

fn legacy_group(entry: &Value) -> Value {
    json!({
        "name": entry["metadata"]["name"],
        "preferredVersion": legacy_version(entry),
        "versions": [legacy_version(entry)],
    })
}

/// The TokenRequest group's resources: tokenrequests, and applications unless the Application
/// CRD is left out (`discovery-group-version-with-application`).
fn served_resources(state: &State) -> Vec<Value> {
    let mut resources = vec![json!({
        "resource": PLURAL,
        "responseKind": {"group": GROUP, "kind": KIND, "version": VERSION},
        "scope": "Namespaced",
        "singularResource": "tokenrequest",
        "verbs": RESOURCE_VERBS,
    })];
    if state.config.serve_applications {
        resources.push(json!({
            "resource": "applications",
            "responseKind": {"group": GROUP, "kind": "Application", "version": VERSION},
            "scope": "Cluster",
            "shortNames": ["app"],
            "singularResource": "application",
            "verbs": RESOURCE_VERBS,
        }));
    }
    resources
}

pub fn groups(state: &State, headers: &HeaderMap) -> Response<Body> {
    let served = state.config.serve_group;
    if wants_aggregated(headers) {
        let mut items = BUILTIN.clone();
        if served {
            items.push(json!({
                "metadata": {"name": GROUP},
                "versions": [{
                    "version": VERSION,
                    "freshness": "Current",
                    "resources": served_resources(state),
                }],
            }));
        }
        return aggregated(Value::Array(items));
    }
    let mut groups: Vec<Value> = BUILTIN.iter().map(legacy_group).collect();
    if served {
        groups.push(json!({
            "name": GROUP,
            "preferredVersion": group_version_entry(),
            "versions": [group_version_entry()],
        }));
    }
    responses::json_value(
        StatusCode::OK,
        &json!({"apiVersion": "v1", "kind": "APIGroupList", "groups": groups}),
    )
}

pub fn group() -> Response<Body> {
    responses::json_value(
        StatusCode::OK,
        &json!({
            "apiVersion": "v1",
            "kind": "APIGroup",
            "name": GROUP,
            "preferredVersion": group_version_entry(),
            "versions": [group_version_entry()],
        }),
    )
}

pub fn group_version_resources(state: &State) -> Response<Body> {
    let mut resources = legacy_resources(&served_resources(state));
    for resource in &mut resources {
        // As the recordings show them; built-in resources are listed without one.
        let hash = match resource["name"].as_str() {
            Some(PLURAL) => "bH+BuEekE+Q=",
            _ => "0Cb9A9OlQ3g=",
        };
        resource["storageVersionHash"] = json!(hash);
    }
    responses::json_value(
        StatusCode::OK,
        &json!({
            "apiVersion": "v1",
            "kind": "APIResourceList",
            "groupVersion": GROUP_VERSION,
            "resources": resources,
        }),
    )
}

/// Aggregated resource entries in the legacy form, which names subresources
/// `deployments/status`.
fn legacy_resources(aggregated: &[Value]) -> Vec<Value> {
    let mut resources = Vec::new();
    for resource in aggregated {
        let namespaced = resource["scope"] == "Namespaced";
        let mut legacy = json!({
            "kind": resource["responseKind"]["kind"],
            "name": resource["resource"],
            "namespaced": namespaced,
            "singularName": resource["singularResource"],
            "verbs": resource["verbs"],
        });
        for optional in ["shortNames", "categories"] {
            if let Some(value) = resource.get(optional) {
                legacy[optional] = value.clone();
            }
        }
        resources.push(legacy);
        for sub in resource["subresources"].as_array().into_iter().flatten() {
            let name = format!(
                "{}/{}",
                resource["resource"].as_str().unwrap_or_default(),
                sub["subresource"].as_str().unwrap_or_default()
            );
            resources.push(json!({
                "kind": sub["responseKind"]["kind"],
                "name": name,
                "namespaced": namespaced,
                "singularName": "",
                "verbs": sub["verbs"],
            }));
        }
    }
    resources
}

/// `/apis/GROUP` of a built-in group.
pub fn builtin_group(group: &str) -> Option<Response<Body>> {
    let entry = builtin_entry(group)?;
    let mut document = legacy_group(entry);
    document["apiVersion"] = json!("v1");
    document["kind"] = json!("APIGroup");
    Some(responses::json_value(StatusCode::OK, &document))
}

/// `/apis/GROUP/VERSION` of a built-in group, from its aggregated entry.
pub fn builtin_resources(group: &str, version: &str) -> Option<Response<Body>> {
    let entry = builtin_entry(group)?;
    let served = &entry["versions"][0];
    if served["version"] != version {
        return None;
    }
    let resources = legacy_resources(served["resources"].as_array().unwrap_or(&Vec::new()));
    Some(responses::json_value(
        StatusCode::OK,
        &json!({
            "apiVersion": "v1",
            "kind": "APIResourceList",
            "groupVersion": format!("{group}/{version}"),
            "resources": resources,
        }),
    ))
}

pub fn openapi_index(state: &State) -> Response<Body> {
    let mut paths = serde_json::Map::new();
    if state.config.serve_group {
        paths.insert(
            format!("apis/{GROUP}/{VERSION}"),
            json!({"serverRelativeURL": format!("/openapi/v3/apis/{GROUP}/{VERSION}?hash={OPENAPI_HASH}")}),
        );
    }
    responses::text_json(&json!({"paths": paths}))
}

static KYMA2_DOCUMENT: LazyLock<Value> =
    LazyLock::new(|| serde_json::from_str(OPENAPI_DOCUMENT).expect("embedded OpenAPI is JSON"));

static KYMA1_DOCUMENT: LazyLock<Value> = LazyLock::new(|| {
    // A v1beta1 CRD does not prune, so its published schema keeps unknown fields.
    let mut document = KYMA2_DOCUMENT.clone();
    document["components"]["schemas"]["io.kyma-project.applicationconnector.v1alpha1.TokenRequest"]
        ["x-kubernetes-preserve-unknown-fields"] = json!(true);
    document
});

pub fn openapi_document(state: &State) -> Response<Body> {
    let document = match state.config.schema {
        SchemaVersion::Kyma2 => &*KYMA2_DOCUMENT,
        SchemaVersion::Kyma1 => &*KYMA1_DOCUMENT,
    };
    responses::json_value(StatusCode::OK, document)
}
