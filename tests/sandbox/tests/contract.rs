//! Replays every recorded kube-apiserver exchange (in `index.json` order) against the sandbox
//! and compares what it answers with what the real server answered: status, content type,
//! Warning header, and the JSON bodies after masking volatile values (uids, resourceVersions,
//! timestamps, generated names, continue tokens, ages). Discovery documents of the real server
//! list more groups than the sandbox serves; for them the served group's entry and the key
//! structure are compared, and each built-in group the sandbox lists must be the recorded one
//! cut down to what it serves. The v1.36 recordings are replayed here, the v1.28 ones of a
//! diagnosis in `contract/doctor.rs`.
//!
//! The servers here (and in `contract/doctor.rs`) speak plain http ([`plain_http`]): the
//! exchanges are compared at the HTTP level, which TLS does not change; https and client
//! certificates are tested in `tls.rs`.

#[path = "contract/doctor.rs"]
mod doctor;
#[path = "contract/replay.rs"]
mod replay;

use std::collections::{BTreeSet, HashMap};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use replay::{
    ADMIN_TOKEN, Exchange, Fixtures, Http, NOBODY_TOKEN, Reply, compare, plain_http,
    recorded_exchange, with_query_value,
};
use serde_json::{Value, json};
use tokenrequest_sandbox::server::{self, ServerConfig, ServerHandle};

const FIXTURES: Fixtures = Fixtures("kube-apiserver-v1.36");
const COLLECTION: &str =
    "/apis/applicationconnector.kyma-project.io/v1alpha1/namespaces/fixtures/tokenrequests";

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
    let index = FIXTURES.read("index.json");
    // The recorded cluster had the TokenRequest CRD only, no Application CRD.
    let config = ServerConfig {
        serve_applications: false,
        ..plain_http()
    };
    let server = server::start(config.clone()).await.unwrap();
    let without_group = server::start(ServerConfig {
        serve_group: false,
        ..config
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
        let recorded = FIXTURES.read(&format!("{name}.json"));
        let reply = replay.run(name, recorded_exchange(&recorded)).await;
        for problem in compare(name, &recorded, &reply) {
            divergences.push(format!("{name}: {problem}"));
        }
        replay.replies.insert(name.to_string(), reply.json());
    }
    // Every recording must be in the index, so none escapes the replay.
    divergences.extend(FIXTURES.unlisted(&listed));
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
