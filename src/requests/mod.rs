//! The one way commands talk to the API server about TokenRequests: the `Api` and its scope,
//! reads, paged lists, the create that happens once, guarded deletes, the wait for the
//! controller and the watch of `list -w`, all under one [`RetryPolicy`]; and what a diagnosis
//! asks about the rest of the cluster ([`Cluster`]) and its probe request.
//!
//! Errors leave this layer as [`Failure`]s (or, where the outcome is the caller's business,
//! as the [`crate::error::Error`] it will print); commands add what they were doing.

mod client;
mod cluster;
mod create;
mod http_log;
mod kubeconfig;
mod probe;
mod retry;
mod wait;
mod watch;

use std::sync::Arc;

use futures::{Stream, TryStreamExt as _, stream};
use kube::api::{DeleteParams, ListParams, Preconditions};
use kube::{Api, Client};
use tokio::time::Instant;

pub use client::{Connection, Server, connect};
pub use cluster::Cluster;
pub use create::Created;
pub use probe::PROBE_LABEL;
pub use retry::{Failure, RetryPolicy, is_connection_failure, is_transient};

use crate::error::{Error, status_of};
use crate::tokenrequest::TokenRequest;

/// Where a command looks: one namespace, or all of them (`-A`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Namespace(String),
    All,
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Scope::Namespace(namespace) => write!(f, "namespace {namespace}"),
            Scope::All => f.write_str("all namespaces"),
        }
    }
}

/// TokenRequests in one scope, through one client and one retry policy.
#[derive(Clone)]
pub struct Requests {
    client: Client,
    scope: Scope,
    policy: RetryPolicy,
    server: Arc<Server>,
}

/// What a guarded delete may insist on.
#[derive(Debug, Clone)]
pub enum Guard {
    /// Delete whatever has the name.
    None,
    /// Only this very object (`--refresh`, `delete --all`): a recreated one survives.
    Uid(String),
    /// Only the object as it was listed (`cleanup`): a refreshed one survives.
    ResourceVersion(String),
}

/// How a delete ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deletion {
    Done,
    /// 404 to a guarded delete, or after an earlier try may have deleted it: already gone.
    Gone,
    /// 404 as the first answer to an unguarded delete: there is no request of that name.
    Missing,
    /// 409 on the guard: the object was replaced or changed meanwhile and was left alone.
    Changed,
}

impl Requests {
    /// The requests in the connection's namespace.
    pub fn namespaced(connection: &Connection) -> Self {
        Self::new(connection, Scope::Namespace(connection.namespace.clone()))
    }

    /// The requests in the connection's namespace, or in all with `all_namespaces`.
    pub fn new_in(connection: &Connection, all_namespaces: bool) -> Self {
        if all_namespaces {
            Self::new(connection, Scope::All)
        } else {
            Self::namespaced(connection)
        }
    }

    fn new(connection: &Connection, scope: Scope) -> Self {
        Requests {
            client: connection.client.clone(),
            scope,
            policy: connection.policy,
            server: connection.server.clone(),
        }
    }

    /// The error of a failed request: what was being done, and the server it went to.
    pub fn fail(&self, action: impl Into<String>, failure: impl Into<Failure>) -> Error {
        Error::request(action, failure.into()).at(&self.server)
    }

    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The namespace of a namespaced scope; `""` for all namespaces.
    pub fn namespace(&self) -> &str {
        match &self.scope {
            Scope::Namespace(namespace) => namespace,
            Scope::All => "",
        }
    }

    /// The `Api` of the whole scope (lists and watches).
    fn api(&self) -> Api<TokenRequest> {
        match &self.scope {
            Scope::Namespace(namespace) => Api::namespaced(self.client.clone(), namespace),
            Scope::All => Api::all(self.client.clone()),
        }
    }

    /// The `Api` of one object's namespace (with `-A` objects come from everywhere).
    fn api_in(&self, namespace: &str) -> Api<TokenRequest> {
        match (&self.scope, namespace) {
            (Scope::Namespace(own), "") => Api::namespaced(self.client.clone(), own),
            _ => Api::namespaced(self.client.clone(), namespace),
        }
    }

    /// Reads one request of the namespace; `None` when there is none.
    pub async fn get(
        &self,
        name: &str,
        deadline: Option<Instant>,
    ) -> Result<Option<TokenRequest>, Failure> {
        let api = self.api_in("");
        self.policy.run(deadline, || api.get_opt(name)).await
    }

    /// A list call's parameters: `chunk` objects a page (`None`: all in one call), and a
    /// label selector.
    pub fn list_params(chunk: Option<u32>, selector: Option<&str>) -> ListParams {
        Self::selected_params(chunk, selector, None)
    }

    /// [`Requests::list_params`] with a field selector too (the API server takes
    /// `metadata.name` and `metadata.namespace` for custom resources, and says so otherwise).
    pub fn selected_params(
        chunk: Option<u32>,
        labels: Option<&str>,
        fields: Option<&str>,
    ) -> ListParams {
        let mut params = ListParams {
            limit: chunk,
            ..ListParams::default()
        };
        if let Some(labels) = labels {
            params = params.labels(labels);
        }
        if let Some(fields) = fields {
            params = params.fields(fields);
        }
        params
    }

    /// The requests, page by page: the next page is fetched only once this one is used up.
    /// A failed page ends the stream after yielding its error. `limit: None` lists in one call.
    pub fn items(
        &self,
        params: ListParams,
    ) -> impl Stream<Item = Result<TokenRequest, Error>> + use<> {
        let requests = self.clone();
        stream::try_unfold(Some(params), move |next| {
            let requests = requests.clone();
            async move {
                let Some(params) = next else {
                    return Ok::<_, Error>(None);
                };
                let api = requests.api();
                let page = requests
                    .policy
                    .run(None, || api.list(&params))
                    .await
                    .map_err(|e| {
                        requests.fail(format!("listing TokenRequests in {}", requests.scope), e)
                    })?;
                let next = match page.metadata.continue_.as_deref() {
                    Some(token) if !token.is_empty() => Some(params.continue_token(token)),
                    _ => None,
                };
                Ok(Some((stream::iter(page.items.into_iter().map(Ok)), next)))
            }
        })
        .try_flatten()
    }

    /// Deletes `namespace/name` as `guard` allows; resent after transient failures (safe: the
    /// guard keeps a resend off a newer object, and a delete that got through answers 404).
    pub async fn delete(
        &self,
        namespace: &str,
        name: &str,
        guard: &Guard,
        dry_run: bool,
    ) -> Result<Deletion, Failure> {
        let api = self.api_in(namespace);
        let preconditions = match guard {
            Guard::None => None,
            Guard::Uid(uid) => Some(Preconditions {
                uid: Some(uid.clone()),
                resource_version: None,
            }),
            Guard::ResourceVersion(version) => Some(Preconditions {
                uid: None,
                resource_version: Some(version.clone()),
            }),
        };
        let params = DeleteParams {
            dry_run,
            preconditions,
            ..DeleteParams::default()
        };
        let mut tries = 0;
        let result = self
            .policy
            .run(None, || {
                tries += 1;
                api.delete(name, &params)
            })
            .await;
        let code = |failure: &Failure| {
            failure
                .error()
                .and_then(status_of)
                .map(|s| (s.code, s.reason.clone()))
        };
        match result {
            Ok(_) => Ok(Deletion::Done),
            Err(failure) => match code(&failure) {
                Some((404, reason)) if reason == "NotFound" => {
                    if tries > 1 || !matches!(guard, Guard::None) {
                        Ok(Deletion::Gone)
                    } else {
                        Ok(Deletion::Missing)
                    }
                }
                Some((409, _)) if !matches!(guard, Guard::None) => Ok(Deletion::Changed),
                _ => Err(failure),
            },
        }
    }
}
