//! A benchmark, not a speed assertion: stores N TokenRequests (SANDBOX_LOAD_N, default
//! 100,000) straight into the store, lists them over HTTP in pages of 500 with kube-rs, checks
//! every object came back exactly once, and prints the time taken and the peak RSS.

use std::collections::HashSet;
use std::time::Instant;

use kube::api::{Api, ApiResource, DynamicObject, GroupVersionKind, ListParams};
use serde_json::json;
use tokenrequest_sandbox::server::{self, ServerConfig};

const NAMESPACES: usize = 7;

fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .map(|line| line.trim_start_matches("VmHWM:").trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_many_tokenrequests_in_pages() {
    let count: usize = std::env::var("SANDBOX_LOAD_N")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(100_000);
    let server = server::start(ServerConfig::default()).await.unwrap();

    let started = Instant::now();
    for index in 0..count {
        let object = json!({
            "apiVersion": "applicationconnector.kyma-project.io/v1alpha1",
            "kind": "TokenRequest",
            "metadata": {
                "name": format!("app-{index:06}"),
                "namespace": format!("load-{}", index % NAMESPACES),
                "uid": format!("00000000-0000-4000-8000-{index:012}"),
                "creationTimestamp": "2026-01-01T00:00:00Z",
                "generation": 1,
            },
        });
        server.store().create(object).expect("names are unique");
    }
    let stored = started.elapsed();

    let client = server.client_for("admin").unwrap();
    let gvk = GroupVersionKind::gvk(
        "applicationconnector.kyma-project.io",
        "v1alpha1",
        "TokenRequest",
    );
    let api: Api<DynamicObject> = Api::all_with(
        client,
        &ApiResource::from_gvk_with_plural(&gvk, "tokenrequests"),
    );

    let started = Instant::now();
    let mut seen = HashSet::with_capacity(count);
    let mut pages = 0;
    let mut params = ListParams::default().limit(500);
    loop {
        let page = api.list(&params).await.expect("page lists");
        pages += 1;
        for object in &page.items {
            let key = format!(
                "{}/{}",
                object.metadata.namespace.as_deref().unwrap_or(""),
                object.metadata.name.as_deref().unwrap_or("")
            );
            assert!(seen.insert(key.clone()), "{key} listed twice");
        }
        match page.metadata.continue_.filter(|token| !token.is_empty()) {
            Some(token) => {
                let remaining = page
                    .metadata
                    .remaining_item_count
                    .expect("remainingItemCount with more pages");
                assert_eq!(
                    remaining as usize,
                    count - seen.len(),
                    "remainingItemCount after page {pages}"
                );
                params = params.continue_token(&token);
            }
            None => break,
        }
    }
    let listed = started.elapsed();
    assert_eq!(seen.len(), count, "every object listed exactly once");
    println!(
        "{count} TokenRequests: stored in {stored:.2?}, listed in {pages} pages of 500 in {listed:.2?}; peak RSS {}",
        peak_rss()
    );
    server.shutdown().await;
}
