//! The changes `list -w` prints, from kube-runtime's watcher: it lists, watches, resumes a
//! broken watch and relists after a 410. Comparing each (re)list with what was shown before
//! turns what happened while no watch ran into changes too: a request created meanwhile is
//! added, one that is gone is deleted, one that changed is modified.

use std::collections::{HashMap, HashSet, VecDeque};
use std::pin::Pin;

use futures::{Stream, StreamExt as _, stream};
use kube::runtime::WatchStreamExt as _;
use kube::runtime::watcher::{self, Event, ExponentialBackoff, watcher};

use super::watching::{self, Trouble};
use super::{RequestError, RetryPolicy, Scoped, retry};
use crate::tokenrequest::TokenRequest;

/// One change of one request.
#[derive(Debug, Clone)]
pub enum Change {
    Added(TokenRequest),
    Modified(TokenRequest),
    /// The request as it was last seen.
    Deleted(TokenRequest),
}

impl Change {
    /// kubectl's name for the event (`--output-watch-events`).
    pub fn kind(&self) -> &'static str {
        match self {
            Change::Added(_) => "ADDED",
            Change::Modified(_) => "MODIFIED",
            Change::Deleted(_) => "DELETED",
        }
    }

    pub fn request(&self) -> &TokenRequest {
        match self {
            Change::Added(request) | Change::Modified(request) | Change::Deleted(request) => {
                request
            }
        }
    }
}

type Key = (String, String);

fn key(request: &TokenRequest) -> Key {
    (request.namespace().to_string(), request.name().to_string())
}

/// What has been shown, and what the (re)list under way has listed so far.
struct Shown {
    requests: HashMap<Key, TokenRequest>,
    relisted: Option<HashSet<Key>>,
}

impl Shown {
    /// The change `current` makes to what was shown; `None` when it was shown as it is.
    fn apply(&mut self, current: TokenRequest, out: &mut VecDeque<Change>) {
        let key = key(&current);
        if let Some(relisted) = &mut self.relisted {
            relisted.insert(key.clone());
        }
        match self.requests.get(&key) {
            None => out.push_back(Change::Added(current.clone())),
            Some(before) if before.metadata.uid != current.metadata.uid => {
                out.push_back(Change::Deleted(before.clone()));
                out.push_back(Change::Added(current.clone()));
            }
            Some(before)
                if before.metadata.resource_version == current.metadata.resource_version =>
            {
                return;
            }
            Some(_) => out.push_back(Change::Modified(current.clone())),
        }
        self.requests.insert(key, current);
    }

    fn delete(&mut self, gone: TokenRequest, out: &mut VecDeque<Change>) {
        self.requests.remove(&key(&gone));
        out.push_back(Change::Deleted(gone));
    }

    /// A relist is complete: what it did not list is gone.
    fn relisted(&mut self, out: &mut VecDeque<Change>) {
        let Some(relisted) = self.relisted.take() else {
            return;
        };
        let gone: Vec<Key> = self
            .requests
            .keys()
            .filter(|key| !relisted.contains(*key))
            .cloned()
            .collect();
        for key in gone {
            if let Some(last) = self.requests.remove(&key) {
                out.push_back(Change::Deleted(last));
            }
        }
    }
}

impl Scoped {
    /// Every change after `shown` (what the list printed), until the stream is dropped or a
    /// final error (forbidden, no such API) ends it after yielding it. `labels` and `fields`
    /// are selectors; `page_size` the chunk size of the watcher's lists.
    pub fn changes(
        &self,
        labels: Option<&str>,
        fields: Option<&str>,
        page_size: Option<u32>,
        shown: Vec<TokenRequest>,
    ) -> impl Stream<Item = Result<Change, RequestError>> + Send + use<> {
        let mut config = watching::config();
        config.page_size = page_size;
        if let Some(labels) = labels {
            config = config.labels(labels);
        }
        if let Some(fields) = fields {
            config = config.fields(fields);
        }
        let scoped = self.clone();
        let events: Pin<Box<dyn Stream<Item = watcher::Result<Event<TokenRequest>>> + Send>> =
            Box::pin(
                watcher(self.api(), config)
                    .backoff(ExponentialBackoff::from(RetryPolicy::backoff())),
            );
        let shown = Shown {
            requests: shown.into_iter().map(|r| (key(&r), r)).collect(),
            relisted: None,
        };
        let state = (events, shown, VecDeque::new(), false);
        stream::unfold(state, move |(mut events, mut shown, mut out, ended)| {
            let scoped = scoped.clone();
            async move {
                loop {
                    if let Some(change) = out.pop_front() {
                        return Some((Ok(change), (events, shown, out, ended)));
                    }
                    if ended {
                        return None;
                    }
                    match events.next().await? {
                        Ok(Event::Init) => shown.relisted = Some(HashSet::new()),
                        Ok(Event::InitApply(request) | Event::Apply(request)) => {
                            shown.apply(request, &mut out);
                        }
                        Ok(Event::InitDone) => shown.relisted(&mut out),
                        Ok(Event::Delete(request)) => shown.delete(request, &mut out),
                        Err(error) => {
                            let connection = &scoped.connection;
                            let under_way = connection.exchanges.answered();
                            match watching::trouble(error, under_way) {
                                Trouble::Transient(what) => {
                                    tracing::info!("watching again: {what}");
                                }
                                Trouble::Forbidden(error) | Trouble::Final(error) => {
                                    let action =
                                        format!("watching TokenRequests in {}", scoped.scope);
                                    let error = retry::fail(connection, &action, error, None);
                                    return Some((Err(error), (events, shown, out, true)));
                                }
                            }
                        }
                    }
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(name: &str, uid: &str, version: &str) -> TokenRequest {
        let mut request = TokenRequest::new(name, None);
        request.metadata.namespace = Some("ns".into());
        request.metadata.uid = Some(uid.into());
        request.metadata.resource_version = Some(version.into());
        request
    }

    fn kinds(out: &VecDeque<Change>) -> Vec<(String, &'static str)> {
        out.iter()
            .map(|c| (c.request().name().to_string(), c.kind()))
            .collect()
    }

    #[test]
    fn a_relist_turns_what_happened_meanwhile_into_changes() {
        let mut shown = Shown {
            requests: [
                request("kept", "1", "10"),
                request("changed", "2", "11"),
                request("gone", "3", "12"),
                request("recreated", "4", "13"),
            ]
            .into_iter()
            .map(|r| (key(&r), r))
            .collect(),
            relisted: Some(HashSet::new()),
        };
        let mut out = VecDeque::new();
        for current in [
            request("kept", "1", "10"),
            request("changed", "2", "20"),
            request("recreated", "5", "21"),
            request("new", "6", "22"),
        ] {
            shown.apply(current, &mut out);
        }
        shown.relisted(&mut out);
        assert_eq!(
            kinds(&out),
            [
                ("changed".to_string(), "MODIFIED"),
                ("recreated".to_string(), "DELETED"),
                ("recreated".to_string(), "ADDED"),
                ("new".to_string(), "ADDED"),
                ("gone".to_string(), "DELETED"),
            ]
        );
        assert_eq!(shown.requests.len(), 4);
    }

    #[test]
    fn watch_events_outside_a_relist_are_changes_as_they_come() {
        let mut shown = Shown {
            requests: HashMap::new(),
            relisted: None,
        };
        let mut out = VecDeque::new();
        shown.apply(request("a", "1", "1"), &mut out);
        shown.apply(request("a", "1", "2"), &mut out);
        shown.delete(request("a", "1", "3"), &mut out);
        assert_eq!(
            kinds(&out),
            [
                ("a".to_string(), "ADDED"),
                ("a".to_string(), "MODIFIED"),
                ("a".to_string(), "DELETED"),
            ]
        );
        // A deletion shows the request as the server last had it.
        assert_eq!(
            out[2].request().metadata.resource_version.as_deref(),
            Some("3")
        );
        assert!(shown.requests.is_empty());
    }
}
