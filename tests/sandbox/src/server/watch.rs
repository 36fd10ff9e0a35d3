//! Watch streams: newline-separated `{"type":..,"object":..}` events in a chunked response,
//! replayed from the store's history and then followed live, with bookmarks and a timeout.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures::channel::mpsc;
use futures::{SinkExt, StreamExt};
use http::{HeaderMap, StatusCode};
use http_body_util::{BodyExt, StreamBody};
use hyper::Response;
use hyper::body::Frame;
use ring::rand::{SecureRandom, SystemRandom};
use serde_json::{Value, json};
use tokio::time::Instant;

use super::faults::WatchFaults;
use super::resource::{IncludeObject, Selection, Target, table, table_format};
use super::responses::{self, ApiError, Body};
use super::{GROUP_VERSION, KIND, Query, State};
use crate::store::{ChangeEvent, EventType, ListRequest, StoredObject};

/// How often a watch with `allowWatchBookmarks` gets a BOOKMARK besides the one at its end.
const BOOKMARK_INTERVAL: Duration = Duration::from_secs(10);
/// Without `timeoutSeconds` a watch ends after a random 30–60 minutes, as the apiserver does.
const DEFAULT_TIMEOUT_MIN: u64 = 30 * 60;

struct WatchOptions {
    selection: Selection,
    table: Option<IncludeObject>,
    bookmarks: bool,
    deadline: Instant,
}

/// Where a watch starts.
enum Start {
    /// Synthetic ADDED events for what exists now, then changes after it.
    Current { initial_events_end: bool },
    /// Changes after this resourceVersion.
    After(u64),
}

fn default_timeout() -> Duration {
    let mut random = [0u8; 2];
    let _ = SystemRandom::new().fill(&mut random);
    let extra = u64::from(u16::from_le_bytes(random)) % DEFAULT_TIMEOUT_MIN;
    Duration::from_secs(DEFAULT_TIMEOUT_MIN + extra)
}

pub fn serve(
    state: Arc<State>,
    target: &Target,
    query: &Query,
    headers: &HeaderMap,
    faults: WatchFaults,
) -> Result<Response<Body>, ApiError> {
    let selection = Selection::from_query(target, query)?;
    let timeout = match query.get("timeoutSeconds") {
        None | Some("") => default_timeout(),
        Some(text) => Duration::from_secs(text.parse().map_err(|_| {
            ApiError::bad_request(format!("timeoutSeconds: Invalid value: {text:?}"))
        })?),
    };
    let send_initial_events = query.get("sendInitialEvents") == Some("true");
    let start = match query.get("resourceVersion") {
        None | Some("" | "0") => Start::Current {
            initial_events_end: send_initial_events,
        },
        Some(_) if send_initial_events => Start::Current {
            initial_events_end: true,
        },
        Some(text) => Start::After(text.parse().map_err(|_| {
            ApiError::bad_request(format!(
                "resourceVersion: Invalid value: {text:?}: must be a valid resource version"
            ))
        })?),
    };
    let options = WatchOptions {
        selection,
        table: table_format(headers, query),
        bookmarks: query.flag("allowWatchBookmarks"),
        deadline: Instant::now() + timeout,
    };
    *state
        .watch_requests
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .entry(query.get("fieldSelector").unwrap_or_default().to_string())
        .or_default() += 1;
    let (mut sender, receiver) = mpsc::channel::<Bytes>(64);
    if faults.expire_resumes && matches!(start, Start::After(_)) {
        // Injected: the resume is told its resourceVersion is too old, as after compaction.
        state
            .expired_watches
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        state.faults.note_expired_resume();
        let status = ApiError::expired("too old resource version (injected fault)".into()).status();
        let _ = sender.try_send(event_line("ERROR", status.to_string().as_bytes()));
    } else {
        // Subscribed here, not in the task, so a drop asked for right after this request
        // counts.
        let dropped = state.drop_watches.subscribe();
        tokio::spawn(stream_events(
            state, options, start, sender, dropped, faults,
        ));
    }
    let body = StreamBody::new(receiver.map(|chunk| Ok::<_, Infallible>(Frame::data(chunk))));
    Ok(responses::with_body(
        StatusCode::OK,
        responses::JSON,
        BodyExt::boxed(body),
    ))
}

fn event_line(event_type: &str, object: &[u8]) -> Bytes {
    let mut line = Vec::with_capacity(object.len() + 32);
    line.extend_from_slice(b"{\"type\":\"");
    line.extend_from_slice(event_type.as_bytes());
    line.extend_from_slice(b"\",\"object\":");
    line.extend_from_slice(object);
    line.extend_from_slice(b"}\n");
    Bytes::from(line)
}

fn bookmark(resource_version: u64, initial_events_end: bool) -> Bytes {
    let mut metadata = json!({"resourceVersion": resource_version.to_string()});
    if initial_events_end {
        metadata["annotations"] = json!({"k8s.io/initial-events-end": "true"});
    }
    let object = json!({"apiVersion": GROUP_VERSION, "kind": KIND, "metadata": metadata});
    event_line("BOOKMARK", object.to_string().as_bytes())
}

fn object_line(options: &WatchOptions, event_type: EventType, object: &Arc<StoredObject>) -> Bytes {
    match options.table {
        Some(include) => {
            let metadata = json!({"resourceVersion": object.resource_version.to_string()});
            let table: Value = table(std::slice::from_ref(object), metadata, include);
            event_line(event_type.as_str(), table.to_string().as_bytes())
        }
        None => event_line(event_type.as_str(), &object.json),
    }
}

/// What a change looks like through the watch's selectors: an object that stops matching is
/// DELETED for this watch, one that starts matching is ADDED.
fn visible(options: &WatchOptions, event: &ChangeEvent) -> Option<EventType> {
    let matches = |object: &StoredObject| options.selection.matches(object);
    let now = matches(&event.object);
    match event.event_type {
        EventType::Modified => {
            let before = event.previous.as_deref().is_some_and(matches);
            match (before, now) {
                (true, true) => Some(EventType::Modified),
                (false, true) => Some(EventType::Added),
                (true, false) => Some(EventType::Deleted),
                (false, false) => None,
            }
        }
        other => now.then_some(other),
    }
}

async fn stream_events(
    state: Arc<State>,
    options: WatchOptions,
    start: Start,
    mut sender: mpsc::Sender<Bytes>,
    mut dropped: tokio::sync::watch::Receiver<u64>,
    faults: WatchFaults,
) {
    // Injected: the stream ends after this many events or at this moment.
    let mut events_left = faults.drop_after_events;
    let drop_at = faults.drop_after.map(|after| Instant::now() + after);
    let injected_drop = || state.faults.note_dropped_watch();
    if events_left == Some(0) {
        injected_drop();
        return;
    }
    // Subscribe before reading, so no change between the read and the wait is missed.
    let mut changes = state.store.subscribe();
    let mut shutdown = state.shutdown.clone();
    let mut last_seen = match start {
        Start::After(resource_version) => resource_version,
        Start::Current { initial_events_end } => {
            changes.borrow_and_update();
            let filter = |object: &StoredObject| options.selection.matches(object);
            let current = state.store.list(&ListRequest {
                namespace: None,
                start_after: None,
                limit: None,
                filter: &filter,
            });
            for object in &current.items {
                if sender
                    .send(object_line(&options, EventType::Added, object))
                    .await
                    .is_err()
                {
                    return;
                }
                events_left = events_left.map(|left| left.saturating_sub(1));
                if events_left == Some(0) {
                    injected_drop();
                    return;
                }
            }
            if initial_events_end
                && options.bookmarks
                && sender
                    .send(bookmark(current.resource_version, true))
                    .await
                    .is_err()
            {
                return;
            }
            current.resource_version
        }
    };
    let mut next_bookmark = Instant::now() + BOOKMARK_INTERVAL;
    loop {
        changes.borrow_and_update();
        let events = match state.store.changes_since(last_seen) {
            Ok(events) => events,
            Err(too_old) => {
                // HTTP 200 with one ERROR event carrying a 410 (watch-too-old), then the end.
                state
                    .expired_watches
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let status = ApiError::expired(too_old.to_string()).status();
                let _ = sender
                    .send(event_line("ERROR", status.to_string().as_bytes()))
                    .await;
                return;
            }
        };
        for event in &events {
            last_seen = event.object.resource_version;
            let Some(event_type) = visible(&options, event) else {
                continue;
            };
            if sender
                .send(object_line(&options, event_type, &event.object))
                .await
                .is_err()
            {
                return;
            }
            events_left = events_left.map(|left| left.saturating_sub(1));
            if events_left == Some(0) {
                injected_drop();
                return;
            }
        }
        tokio::select! {
            changed = changes.changed() => {
                if changed.is_err() {
                    return;
                }
            }
            _ = tokio::time::sleep_until(options.deadline) => {
                if options.bookmarks {
                    let _ = sender.send(bookmark(last_seen, false)).await;
                }
                return;
            }
            _ = tokio::time::sleep_until(next_bookmark), if options.bookmarks => {
                if sender.send(bookmark(last_seen, false)).await.is_err() {
                    return;
                }
                next_bookmark = Instant::now() + BOOKMARK_INTERVAL;
            }
            _ = super::stopped(&mut shutdown) => return,
            _ = dropped.changed() => return,
            _ = sleep_until_some(drop_at) => {
                injected_drop();
                return;
            }
        }
    }
}

/// Sleeps until `at`, or forever without one.
async fn sleep_until_some(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => futures::future::pending().await,
    }
}
