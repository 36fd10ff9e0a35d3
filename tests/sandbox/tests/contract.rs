//! Replays every recorded kube-apiserver exchange (in `index.json` order) against the sandbox
//! and compares what it answers with what the real server answered: status, content type,
//! Warning header, and the JSON bodies after masking volatile values (uids, resourceVersions,
//! timestamps, generated names, continue tokens, ages). Discovery documents of the real server
//! list more groups than the sandbox serves; for them the served group's entry and the key
//! structure are compared.
//!
//! The servers here speak plain http ([`plain_http`]): the exchanges are compared at the HTTP
//! level, which TLS does not change; https and client certificates are tested in `tls.rs`.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};
use tokenrequest_sandbox::server::{self, ServerConfig, ServerHandle};

const ADMIN_TOKEN: &str = "sandbox-admin-token";
const NOBODY_TOKEN: &str = "sandbox-nobody-token";
const COLLECTION: &str =
    "/apis/applicationconnector.kyma-project.io/v1alpha1/namespaces/fixtures/tokenrequests";

/// The default server configuration, over plain http.
fn plain_http() -> ServerConfig {
    ServerConfig {
        https: false,
        ..ServerConfig::default()
    }
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kube-apiserver-v1.36")
}

fn read_json(name: &str) -> Value {
    let text = std::fs::read_to_string(fixtures().join(name)).expect("fixture readable");
    serde_json::from_str(&text).expect("fixture is JSON")
}

#[derive(Debug, Clone)]
struct Exchange {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Option<Value>,
    token: Option<String>,
}

#[derive(Debug)]
struct Reply {
    status: u16,
    content_type: Option<String>,
    warning: Option<String>,
    body: Bytes,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&self.body).into_owned()))
    }

    fn events(&self) -> Vec<Value> {
        String::from_utf8_lossy(&self.body)
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| serde_json::from_str(line).expect("watch lines are JSON"))
            .collect()
    }
}

struct Http {
    client: Client<HttpConnector, Full<Bytes>>,
}

impl Http {
    fn new() -> Self {
        Http {
            client: Client::builder(TokioExecutor::new()).build_http(),
        }
    }

    async fn send(&self, base: &str, exchange: &Exchange) -> Reply {
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
fn with_query_value(path: &str, key: &str, value: &str) -> String {
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

/// Every key path of a JSON value, arrays written as `[]`.
fn key_paths(value: &Value, prefix: &str, paths: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                let path = format!("{prefix}.{key}");
                paths.insert(path.clone());
                key_paths(value, &path, paths);
            }
        }
        Value::Array(items) => {
            for item in items {
                key_paths(item, &format!("{prefix}[]"), paths);
            }
        }
        _ => {}
    }
}

fn key_set(value: &Value) -> BTreeSet<String> {
    let mut paths = BTreeSet::new();
    key_paths(value, "", &mut paths);
    paths
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
                        "uid" | "resourceVersion" | "creationTimestamp" | "time" | "serverAddress",
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
fn compare(name: &str, recorded: &Value, reply: &Reply) -> Vec<String> {
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
            let extra: Vec<_> = key_set(&got).difference(&key_set(want)).cloned().collect();
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
        }
        _ => {
            if key_set(&got) != key_set(want) {
                let got_keys = key_set(&got);
                let want_keys = key_set(want);
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

fn recorded_exchange(recorded: &Value) -> Exchange {
    let request = &recorded["request"];
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
        token: Some(ADMIN_TOKEN.to_string()),
    }
}

/// Drives one sandbox through the recorded script, carrying live values between exchanges.
struct Replay {
    http: Http,
    server: ServerHandle,
    without_group: ServerHandle,
    /// Live responses by exchange name.
    replies: HashMap<String, Value>,
    /// The collection's resourceVersion before the first create: where watch-namespace starts.
    before_creates: Option<String>,
}

impl Replay {
    async fn admin(&self, method: &str, path: &str, body: Option<Value>) -> Reply {
        let exchange = Exchange {
            method: method.into(),
            path: path.into(),
            headers: Vec::new(),
            body,
            token: Some(ADMIN_TOKEN.into()),
        };
        let reply = self.http.send(&self.server.url(), &exchange).await;
        assert!(
            reply.status < 300,
            "{method} {path}: {} {}",
            reply.status,
            reply.json()
        );
        reply
    }

    fn live(&self, exchange: &str) -> &Value {
        self.replies
            .get(exchange)
            .unwrap_or_else(|| panic!("no live reply for {exchange} yet"))
    }

    /// Recreates what the recording script had done before this exchange, and rewrites the
    /// request's volatile values (resourceVersions, uids, tokens) to the live ones.
    async fn prepare(&mut self, name: &str, exchange: &mut Exchange) {
        match name {
            "create" => {
                let list = self.admin("GET", COLLECTION, None).await.json();
                self.before_creates =
                    Some(list["metadata"]["resourceVersion"].as_str().unwrap().into());
            }
            "update-status" | "update-stale" => {
                let created = self.live("create").clone();
                let body = exchange.body.as_mut().unwrap();
                body["metadata"]["resourceVersion"] =
                    created["metadata"]["resourceVersion"].clone();
                body["metadata"]["uid"] = created["metadata"]["uid"].clone();
            }
            "update-status-null-expire" => {
                let updated = self.live("update-status").clone();
                let body = exchange.body.as_mut().unwrap();
                body["metadata"]["resourceVersion"] =
                    updated["metadata"]["resourceVersion"].clone();
                body["metadata"]["uid"] = updated["metadata"]["uid"].clone();
            }
            "list-limit" => {
                for index in 0..5 {
                    let body = json!({
                        "apiVersion": "applicationconnector.kyma-project.io/v1alpha1",
                        "kind": "TokenRequest",
                        "metadata": {"name": format!("page-{index}")},
                    });
                    self.admin("POST", COLLECTION, Some(body)).await;
                }
            }
            "list-continue" => {
                let token = self.live("list-limit")["metadata"]["continue"]
                    .as_str()
                    .unwrap()
                    .to_string();
                exchange.path = with_query_value(&exchange.path, "continue", &token);
            }
            "delete-precondition-ok" => {
                let page = self
                    .admin("GET", &format!("{COLLECTION}/page-1"), None)
                    .await
                    .json();
                exchange.body.as_mut().unwrap()["preconditions"]["resourceVersion"] =
                    page["metadata"]["resourceVersion"].clone();
            }
            "watch-namespace" => {
                let start = self.before_creates.clone().expect("create ran before");
                exchange.path = with_query_value(&exchange.path, "resourceVersion", &start);
            }
            "unauthorized" => exchange.token = Some("not-a-known-token".into()),
            "forbidden-list" | "forbidden-create" | "forbidden-watch" => {
                exchange.token = Some(NOBODY_TOKEN.into());
            }
            _ => {}
        }
    }

    async fn run(&mut self, name: &str, mut exchange: Exchange) -> Reply {
        self.prepare(name, &mut exchange).await;
        if name.starts_with("crd-missing-") {
            return self.http.send(&self.without_group.url(), &exchange).await;
        }
        if name == "watch-single" {
            return self.watch_single(exchange).await;
        }
        self.http.send(&self.server.url(), &exchange).await
    }

    /// The recording watched `single` from its creation's resourceVersion while it was given a
    /// status and then deleted.
    async fn watch_single(&self, mut exchange: Exchange) -> Reply {
        let created = self
            .admin(
                "POST",
                COLLECTION,
                Some(json!({
                    "apiVersion": "applicationconnector.kyma-project.io/v1alpha1",
                    "kind": "TokenRequest",
                    "metadata": {"name": "single"},
                })),
            )
            .await
            .json();
        let version = created["metadata"]["resourceVersion"].as_str().unwrap();
        exchange.path = with_query_value(&exchange.path, "resourceVersion", version);
        let url = self.server.url();
        let http = Http::new();
        let watch = tokio::spawn(async move { http.send(&url, &exchange).await });
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let mut updated = created.clone();
        updated["status"] = json!({
            "application": "single",
            "expireAfter": "2026-11-27T18:41:26Z",
            "state": "OK",
            "token": "ywHf0POBhhfuhXwz8p9sIUPbYDgZu07_JViu-Vy2_0MT3OZ5v0e8UwNxMIoCalI3MujJLQNhTjBFbp6KWVRJ4A==",
            "url": "https://connector-service.kyma.example.com/v1/applications/signingRequests/info?token=ywHf0POBhhfuhXwz8p9sIUPbYDgZu07_JViu-Vy2_0MT3OZ5v0e8UwNxMIoCalI3MujJLQNhTjBFbp6KWVRJ4A==",
        });
        self.admin("PUT", &format!("{COLLECTION}/single"), Some(updated))
            .await;
        self.admin("DELETE", &format!("{COLLECTION}/single"), None)
            .await;
        watch.await.expect("watch task")
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_recorded_exchange_replays() {
    let index = read_json("index.json");
    let server = server::start(plain_http()).await.unwrap();
    let without_group = server::start(ServerConfig {
        serve_group: false,
        ..plain_http()
    })
    .await
    .unwrap();
    let mut replay = Replay {
        http: Http::new(),
        server,
        without_group,
        replies: HashMap::new(),
        before_creates: None,
    };
    let mut divergences = Vec::new();
    let mut listed = BTreeSet::new();
    for entry in index["exchanges"].as_array().expect("exchanges") {
        let name = entry["name"].as_str().unwrap();
        listed.insert(format!("{name}.json"));
        let recorded = read_json(&format!("{name}.json"));
        let reply = replay.run(name, recorded_exchange(&recorded)).await;
        for problem in compare(name, &recorded, &reply) {
            divergences.push(format!("{name}: {problem}"));
        }
        replay.replies.insert(name.to_string(), reply.json());
    }
    // Every recording must be in the index, so none escapes the replay.
    for file in std::fs::read_dir(fixtures()).unwrap() {
        let file = file.unwrap().file_name().into_string().unwrap();
        if file.ends_with(".json") && file != "index.json" && !listed.contains(&file) {
            divergences.push(format!("{file}: not listed in index.json, not replayed"));
        }
    }
    replay.server.shutdown().await;
    replay.without_group.shutdown().await;
    assert!(
        divergences.is_empty(),
        "the sandbox diverges from the recordings:\n{}",
        divergences.join("\n")
    );
}

// Behaviour the recordings do not pin down but a real apiserver shows.

fn tokenrequest(name: &str, labels: Value) -> Value {
    json!({
        "apiVersion": "applicationconnector.kyma-project.io/v1alpha1",
        "kind": "TokenRequest",
        "metadata": {"name": name, "labels": labels},
    })
}

async fn call(
    http: &Http,
    server: &ServerHandle,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> Reply {
    let exchange = Exchange {
        method: method.into(),
        path: path.into(),
        headers: Vec::new(),
        body,
        token: Some(ADMIN_TOKEN.into()),
    };
    http.send(&server.url(), &exchange).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn updates_track_generation_and_skip_no_ops() {
    let http = Http::new();
    let server = server::start(plain_http()).await.unwrap();
    let created = call(
        &http,
        &server,
        "POST",
        COLLECTION,
        Some(tokenrequest("a", json!({}))),
    )
    .await
    .json();
    let item = format!("{COLLECTION}/a");

    // Nothing changed: same resourceVersion, and no event for a watch from the create.
    let same = call(&http, &server, "PUT", &item, Some(created.clone())).await;
    assert_eq!(same.status, 200);
    assert_eq!(
        same.json()["metadata"]["resourceVersion"],
        created["metadata"]["resourceVersion"]
    );

    // Only metadata changed: generation stays.
    let mut labelled = created.clone();
    labelled["metadata"]["labels"] = json!({"team": "x"});
    let labelled = call(&http, &server, "PUT", &item, Some(labelled))
        .await
        .json();
    assert_eq!(labelled["metadata"]["generation"], 1);
    assert_ne!(
        labelled["metadata"]["resourceVersion"],
        created["metadata"]["resourceVersion"]
    );

    let version = created["metadata"]["resourceVersion"].as_str().unwrap();
    let watch = call(
        &http,
        &server,
        "GET",
        &format!("{COLLECTION}?watch=1&resourceVersion={version}&timeoutSeconds=1"),
        None,
    )
    .await;
    let types: Vec<Value> = watch
        .events()
        .iter()
        .map(|event| event["type"].clone())
        .collect();
    assert_eq!(
        types,
        [json!("MODIFIED")],
        "only the label change is an event"
    );

    // Merge patch of the status bumps generation; server-owned fields are kept.
    let patch = hyper::Request::builder()
        .method("PATCH")
        .uri(format!("{}{item}", server.url()))
        .header("Authorization", format!("Bearer {ADMIN_TOKEN}"))
        .header("Content-Type", "application/merge-patch+json")
        .body(Full::new(Bytes::from(json!({"status": {"token": "t", "url": "u", "expireAfter": "2030-01-01T00:00:00Z", "application": "a", "state": "OK"}}).to_string())))
        .unwrap();
    let patched = http.client.request(patch).await.unwrap();
    assert_eq!(patched.status(), 200);
    let patched: Value =
        serde_json::from_slice(&patched.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert_eq!(patched["metadata"]["generation"], 2);
    assert_eq!(patched["metadata"]["uid"], created["metadata"]["uid"]);
    assert_eq!(patched["metadata"]["labels"]["team"], "x");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn selectors_apply_to_lists_watches_and_deletecollection() {
    let http = Http::new();
    let server = server::start(plain_http()).await.unwrap();
    let other =
        "/apis/applicationconnector.kyma-project.io/v1alpha1/namespaces/other/tokenrequests";
    let all = "/apis/applicationconnector.kyma-project.io/v1alpha1/tokenrequests";
    let start =
        call(&http, &server, "GET", all, None).await.json()["metadata"]["resourceVersion"].clone();
    call(
        &http,
        &server,
        "POST",
        COLLECTION,
        Some(tokenrequest("a", json!({"app": "x"}))),
    )
    .await;
    call(
        &http,
        &server,
        "POST",
        COLLECTION,
        Some(tokenrequest("b", json!({"app": "y"}))),
    )
    .await;
    call(
        &http,
        &server,
        "POST",
        other,
        Some(tokenrequest("c", json!({"app": "x"}))),
    )
    .await;

    let names = |reply: &Reply| -> Vec<String> {
        reply.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| {
                format!(
                    "{}/{}",
                    item["metadata"]["namespace"].as_str().unwrap(),
                    item["metadata"]["name"].as_str().unwrap()
                )
            })
            .collect()
    };
    let listed = call(
        &http,
        &server,
        "GET",
        &format!("{all}?labelSelector=app%20in%20(x)"),
        None,
    )
    .await;
    assert_eq!(names(&listed), ["fixtures/a", "other/c"]);
    let listed = call(
        &http,
        &server,
        "GET",
        &format!("{all}?fieldSelector=metadata.namespace!%3Dother"),
        None,
    )
    .await;
    assert_eq!(names(&listed), ["fixtures/a", "fixtures/b"]);

    // A cluster-wide watch sees every namespace; a label change out of the selector is a DELETED.
    let start = start.as_str().unwrap();
    let watch_path =
        format!("{all}?watch=true&resourceVersion={start}&labelSelector=app%3Dx&timeoutSeconds=1");
    let item = format!("{COLLECTION}/a");
    let watch = call(&http, &server, "GET", &watch_path, None);
    let mut moved = call(&http, &server, "GET", &format!("{COLLECTION}/a"), None)
        .await
        .json();
    moved["metadata"]["labels"]["app"] = json!("z");
    let (watch, _) = tokio::join!(watch, call(&http, &server, "PUT", &item, Some(moved)));
    let events: Vec<(String, String)> = watch
        .events()
        .iter()
        .map(|event| {
            (
                event["type"].as_str().unwrap().to_string(),
                event["object"]["metadata"]["name"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect();
    let expected = [("ADDED", "a"), ("ADDED", "c"), ("DELETED", "a")]
        .map(|(kind, name)| (kind.to_string(), name.to_string()));
    assert_eq!(events, expected);

    let deleted = call(
        &http,
        &server,
        "DELETE",
        &format!("{COLLECTION}?labelSelector=app%3Dy"),
        None,
    )
    .await;
    assert_eq!(names(&deleted), ["fixtures/b"]);
    let left = call(&http, &server, "GET", all, None).await;
    assert_eq!(names(&left), ["fixtures/a", "other/c"]);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kyma1_keeps_undeclared_fields_and_users_are_authorized_per_verb() {
    let http = Http::new();
    let config = ServerConfig {
        schema: server::SchemaVersion::Kyma1,
        ..plain_http()
    };
    let server = server::start(config).await.unwrap();
    let mut object = tokenrequest("ctx", json!({}));
    object["context"] = json!({"tenant": "t", "group": "g"});
    let created = call(
        &http,
        &server,
        "POST",
        &format!("{COLLECTION}?fieldValidation=Strict"),
        Some(object),
    )
    .await;
    assert_eq!(created.status, 201);
    assert_eq!(created.warning, None);
    assert_eq!(created.json()["context"]["tenant"], "t");

    let as_user = |token: &str, path: &str| Exchange {
        method: "GET".into(),
        path: path.into(),
        headers: Vec::new(),
        body: None,
        token: Some(token.into()),
    };
    let all = "/apis/applicationconnector.kyma-project.io/v1alpha1/tokenrequests";
    let watch = http
        .send(
            &server.url(),
            &as_user("sandbox-nowatch-token", &format!("{all}?watch=1")),
        )
        .await;
    assert_eq!(watch.status, 403);
    assert_eq!(
        watch.json()["message"],
        "tokenrequests.applicationconnector.kyma-project.io is forbidden: User \"nowatch\" cannot watch resource \"tokenrequests\" in API group \"applicationconnector.kyma-project.io\" at the cluster scope"
    );
    let list = http
        .send(&server.url(), &as_user("sandbox-nowatch-token", all))
        .await;
    assert_eq!(list.status, 200);
    let discovery = http
        .send(&server.url(), &as_user("sandbox-nobody-token", "/apis"))
        .await;
    assert_eq!(discovery.status, 200);
    let anonymous = Exchange {
        token: None,
        ..as_user("", all)
    };
    assert_eq!(http.send(&server.url(), &anonymous).await.status, 401);
    server.shutdown().await;
}
