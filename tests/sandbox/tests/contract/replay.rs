//! Replaying recorded kube-apiserver exchanges: sending a recording's request to a sandbox and
//! comparing the answer with the recorded one (status, content type, Warning header, key sets
//! and bodies after masking volatile values).

use std::collections::BTreeSet;
use std::path::PathBuf;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};
use tokenrequest_sandbox::server::ServerConfig;
use tokenrequest_sandbox::shape::key_paths;

pub const ADMIN_TOKEN: &str = "sandbox-admin-token";
pub const NOBODY_TOKEN: &str = "sandbox-nobody-token";

/// The default server configuration, over plain http.
pub fn plain_http() -> ServerConfig {
    ServerConfig {
        https: false,
        ..ServerConfig::default()
    }
}

/// A directory of recordings under `tests/fixtures`.
pub struct Fixtures(pub &'static str);

impl Fixtures {
    pub fn dir(&self) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(self.0)
    }

    pub fn read(&self, name: &str) -> Value {
        let text = std::fs::read_to_string(self.dir().join(name)).expect("fixture readable");
        serde_json::from_str(&text).expect("fixture is JSON")
    }

    /// The recordings not listed in `index.json` (listed: file names), which would escape the
    /// replay.
    pub fn unlisted(&self, listed: &BTreeSet<String>) -> Vec<String> {
        std::fs::read_dir(self.dir())
            .unwrap()
            .map(|file| file.unwrap().file_name().into_string().unwrap())
            .filter(|file| {
                file.ends_with(".json") && file != "index.json" && !listed.contains(file)
            })
            .map(|file| format!("{file}: not listed in index.json, not replayed"))
            .collect()
    }
}

#[derive(Debug, Clone)]
pub struct Exchange {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<Value>,
    pub token: Option<String>,
}

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: Option<String>,
    pub warning: Option<String>,
    pub body: Bytes,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&self.body).into_owned()))
    }

    pub fn events(&self) -> Vec<Value> {
        String::from_utf8_lossy(&self.body)
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| serde_json::from_str(line).expect("watch lines are JSON"))
            .collect()
    }
}

pub struct Http {
    pub client: Client<HttpConnector, Full<Bytes>>,
}

impl Http {
    pub fn new() -> Self {
        Http {
            client: Client::builder(TokioExecutor::new()).build_http(),
        }
    }

    pub async fn send(&self, base: &str, exchange: &Exchange) -> Reply {
        let mut request = hyper::Request::builder()
            .method(exchange.method.as_str())
            .uri(format!("{base}{}", exchange.path))
            .header("Accept", "application/json");
        if let Some(token) = &exchange.token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        for (name, value) in &exchange.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let body = match &exchange.body {
            Some(body) => {
                request = request.header("Content-Type", "application/json");
                Bytes::from(body.to_string())
            }
            None => Bytes::new(),
        };
        let request = request.body(Full::new(body)).expect("request builds");
        let response = self.client.request(request).await.expect("server answers");
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .map(|value| value.to_str().expect("ASCII header").to_string())
        };
        let content_type = header("content-type");
        let warning = header("warning");
        let status = response.status().as_u16();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body reads")
            .to_bytes();
        Reply {
            status,
            content_type,
            warning,
            body,
        }
    }
}

/// Replaces `key=...` in a path's query.
pub fn with_query_value(path: &str, key: &str, value: &str) -> String {
    let (base, query) = path.split_once('?').unwrap_or((path, ""));
    let query: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if name == key => format!("{key}={value}"),
            _ => pair.to_string(),
        })
        .collect();
    format!("{base}?{}", query.join("&"))
}

fn mask_digits(text: &str) -> String {
    let mut masked = String::new();
    let mut in_number = false;
    for c in text.chars() {
        if c.is_ascii_digit() {
            if !in_number {
                masked.push('#');
            }
            in_number = true;
        } else {
            masked.push(c);
            in_number = false;
        }
    }
    masked
}

/// Replaces values that differ from run to run with placeholders.
fn normalize(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let generate_name = map
                .get("generateName")
                .and_then(Value::as_str)
                .map(str::to_string);
            // A Table row of a generated name shows that name in its first cell.
            let generated_row = map
                .get("object")
                .and_then(|object| object.get("metadata"))
                .is_some_and(|metadata| metadata.get("generateName").is_some());
            if generated_row && let Some(Value::Array(cells)) = map.get_mut("cells") {
                cells[0] = json!("<generated>");
            }
            for (key, value) in map.iter_mut() {
                match (key.as_str(), &*value) {
                    (
                        "uid" | "resourceVersion" | "creationTimestamp" | "time" | "serverAddress"
                        | "lastTransitionTime" | "lastUpdateTime",
                        Value::String(_),
                    ) => {
                        *value = json!("<volatile>");
                    }
                    ("continue", Value::String(token)) if !token.is_empty() => {
                        *value = json!("<token>")
                    }
                    ("message", Value::String(text)) => *value = json!(mask_digits(text)),
                    ("name", Value::String(_)) if generate_name.is_some() => {
                        *value = json!(format!(
                            "{}<generated>",
                            generate_name.clone().unwrap_or_default()
                        ));
                    }
                    ("cells", Value::Array(cells)) => {
                        let mut cells = cells.clone();
                        if let Some(age) = cells.get_mut(1) {
                            *age = json!("<age>");
                        }
                        *value = Value::Array(cells);
                    }
                    _ => normalize(value),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(normalize),
        _ => {}
    }
}

fn normalized(value: &Value) -> Value {
    let mut value = value.clone();
    normalize(&mut value);
    value
}

/// Compares one reply with its recording; returns what differs.
pub fn compare(name: &str, recorded: &Value, reply: &Reply) -> Vec<String> {
    let mut problems = Vec::new();
    let expected = &recorded["response"];
    if expected["status"] != json!(reply.status) {
        problems.push(format!(
            "status {} (recorded {})",
            reply.status, expected["status"]
        ));
    }
    if expected["content_type"].as_str() != reply.content_type.as_deref() {
        problems.push(format!(
            "content type {:?} (recorded {})",
            reply.content_type, expected["content_type"]
        ));
    }
    if expected.get("events").is_none() && expected["warning"].as_str() != reply.warning.as_deref()
    {
        problems.push(format!(
            "Warning {:?} (recorded {})",
            reply.warning, expected["warning"]
        ));
    }
    if let Some(events) = expected.get("events").and_then(Value::as_array) {
        let got = reply.events();
        let types = |events: &[Value]| {
            events
                .iter()
                .map(|event| event["type"].clone())
                .collect::<Vec<_>>()
        };
        if types(&got) != types(events) {
            problems.push(format!(
                "event types {:?} (recorded {:?})",
                types(&got),
                types(events)
            ));
        }
        for (index, (got, want)) in got.iter().zip(events).enumerate() {
            if normalized(got) != normalized(want) {
                problems.push(format!(
                    "event {index}: {} (recorded {})",
                    normalized(got),
                    normalized(want)
                ));
            }
        }
        return problems;
    }
    let got = reply.json();
    let want = &expected["body"];
    match name {
        // The real server lists every built-in group; the sandbox only its own.
        "discovery-apis" | "discovery-aggregated" | "openapi-v3-index" | "discovery-core" => {
            // Other groups carry more (shortNames, subresources): ours must be a subset.
            let extra: Vec<_> = key_paths(&got)
                .difference(&key_paths(want))
                .cloned()
                .collect();
            if !extra.is_empty() {
                problems.push(format!("keys the recording does not have: {extra:?}"));
            }
            for field in ["kind", "apiVersion", "metadata", "versions"] {
                let comparable = field != "versions" || name == "discovery-core";
                if comparable && got.get(field) != want.get(field) {
                    problems.push(format!(
                        "{field}: {:?} (recorded {:?})",
                        got.get(field),
                        want.get(field)
                    ));
                }
            }
            let ours = |document: &Value| -> Value {
                let list = document.get("groups").or(document.get("items"));
                match list {
                    Some(Value::Array(entries)) => entries
                        .iter()
                        .find(|entry| {
                            entry["name"] == "applicationconnector.kyma-project.io"
                                || entry["metadata"]["name"]
                                    == "applicationconnector.kyma-project.io"
                        })
                        .cloned()
                        .unwrap_or(Value::Null),
                    _ => document["paths"]["apis/applicationconnector.kyma-project.io/v1alpha1"]
                        .clone(),
                }
            };
            if name != "discovery-core" && ours(&got) != ours(want) {
                problems.push(format!(
                    "group entry {} (recorded {})",
                    ours(&got),
                    ours(want)
                ));
            }
            problems.extend(builtin_groups_differ(&got, want));
        }
        _ => {
            if key_paths(&got) != key_paths(want) {
                let got_keys = key_paths(&got);
                let want_keys = key_paths(want);
                problems.push(format!(
                    "extra keys {:?}, missing keys {:?}",
                    got_keys.difference(&want_keys).collect::<Vec<_>>(),
                    want_keys.difference(&got_keys).collect::<Vec<_>>()
                ));
            }
            if normalized(&got) != normalized(want) {
                problems.push(format!(
                    "body {} (recorded {})",
                    normalized(&got),
                    normalized(want)
                ));
            }
        }
    }
    problems
}

/// The built-in groups the sandbox lists must be the recording's, in its order, each entry as
/// recorded except that the sandbox lists fewer resources, subresources and verbs (only those
/// it serves).
fn builtin_groups_differ(got: &Value, want: &Value) -> Vec<String> {
    let entries = |document: &Value| -> Vec<Value> {
        let list = document.get("groups").or(document.get("items"));
        list.and_then(Value::as_array).cloned().unwrap_or_default()
    };
    let name = |entry: &Value| {
        let name = entry.get("name").unwrap_or(&entry["metadata"]["name"]);
        name.as_str().unwrap_or_default().to_string()
    };
    let recorded = entries(want);
    let mut problems = Vec::new();
    let mut last = None;
    for entry in entries(got) {
        let Some(at) = recorded
            .iter()
            .position(|other| name(other) == name(&entry))
        else {
            problems.push(format!("group {} is not in the recording", name(&entry)));
            continue;
        };
        if last.is_some_and(|last| at < last) {
            problems.push(format!("group {} out of the recorded order", name(&entry)));
        }
        last = Some(at);
        let mut expected = recorded[at].clone();
        if let Some(versions) = entry["versions"].as_array() {
            for (index, version) in versions.iter().enumerate() {
                let Some(resources) = version["resources"].as_array() else {
                    continue;
                };
                let known = expected["versions"][index]["resources"].clone();
                let kept: Vec<Value> = resources
                    .iter()
                    .map(|resource| served_part(resource, &known))
                    .collect();
                expected["versions"][index]["resources"] = Value::Array(kept);
            }
        }
        if entry != expected {
            problems.push(format!("group {entry} (recorded {})", recorded[at]));
        }
    }
    problems
}

/// The recorded resource of the same name, cut down to the verbs and subresources `resource`
/// lists where those are among the recorded ones.
fn served_part(resource: &Value, recorded: &Value) -> Value {
    let same = |list: &Value, key: &str, value: &Value| {
        list.as_array()
            .and_then(|items| items.iter().find(|item| item[key] == *value))
            .cloned()
    };
    let Some(mut known) = same(recorded, "resource", &resource["resource"]) else {
        return json!({"missing from the recording": resource["resource"]});
    };
    let subset = |ours: &Value, theirs: &Value| {
        let theirs = theirs.as_array().cloned().unwrap_or_default();
        let kept: Vec<Value> = ours
            .as_array()
            .into_iter()
            .flatten()
            .filter(|verb| theirs.contains(verb))
            .cloned()
            .collect();
        Value::Array(kept)
    };
    known["verbs"] = subset(&resource["verbs"], &known["verbs"]);
    if let Some(subresources) = resource["subresources"].as_array() {
        let kept: Vec<Value> = subresources
            .iter()
            .filter_map(|sub| {
                let mut recorded =
                    same(&known["subresources"], "subresource", &sub["subresource"])?;
                recorded["verbs"] = subset(&sub["verbs"], &recorded["verbs"]);
                Some(recorded)
            })
            .collect();
        known["subresources"] = Value::Array(kept);
    }
    known
}

/// The request of a recording, with the token of its `request.user` (admin when it names
/// none).
pub fn recorded_exchange(recorded: &Value) -> Exchange {
    let request = &recorded["request"];
    let token = match request["user"].as_str() {
        Some("nobody") => NOBODY_TOKEN,
        Some("invalid-token") => "not-a-known-token",
        _ => ADMIN_TOKEN,
    };
    Exchange {
        method: request["method"].as_str().expect("method").to_string(),
        path: request["path"].as_str().expect("path").to_string(),
        headers: request["headers"]
            .as_object()
            .map(|headers| {
                headers
                    .iter()
                    .map(|(name, value)| (name.clone(), value.as_str().unwrap_or("").to_string()))
                    .collect()
            })
            .unwrap_or_default(),
        body: request["body"]
            .clone()
            .as_object()
            .map(|_| request["body"].clone()),
        token: Some(token.to_string()),
    }
}
