//! The client: the one way commands talk to the API server. It takes plain
//! [`ClientSettings`] (built by `cli`), reports what it is doing to an [`Observer`] the command
//! passes in, returns its own [`RequestError`], and imports nothing above it.
//!
//! TokenRequests in one namespace ([`Requests`]: reads, the create that happens once, guarded
//! deletes, the wait for the controller, the doctor's probe) or across a [`Scope`]
//! ([`Scoped`]: paged lists, the watch of `list -w`, deletes of what was listed), and what a
//! diagnosis asks about the rest of the cluster ([`Cluster`]); all under one [`RetryPolicy`]
//! and the command's [`Deadline`].

mod client;
mod cluster;
mod create;
mod describe;
mod error;
mod exchange;
mod kubeconfig;
mod observe;
mod probe;
mod report;
mod retry;
mod settings;
mod sightings;
mod wait;
mod watch;
mod watching;

use futures::{Stream, TryStreamExt as _, stream};
use kube::Api;
use kube::api::{DeleteParams, ListParams, Preconditions};

pub use client::{Connection, Server, connect};
pub use cluster::{ApplicationCreate, Cluster};
pub use create::Created;
pub use describe::CREDENTIALS_HINT;
#[cfg(test)]
pub use error::Limit;
pub use error::RequestError;
pub use kubeconfig::{Entry, kubeconfig_names};
pub use observe::{Observer, Retry};
pub use probe::PROBE_LABEL;
pub use report::Seen;
pub use retry::RetryPolicy;
pub use settings::{ClientSettings, Deadline};
pub use sightings::Sightings;

use crate::tokenrequest::{TokenRequest, check_selector};

/// Where a list looks: one namespace, or all of them (`-A`).
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

/// TokenRequests in one namespace: the connection's (`-n`, else the context's).
#[derive(Clone)]
pub struct Requests {
    connection: Connection,
    namespace: String,
}

/// TokenRequests across a [`Scope`], as lists and watches see them.
#[derive(Clone)]
pub struct Scoped {
    connection: Connection,
    scope: Scope,
}

/// What a guarded delete insists on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Guard {
    /// Delete whatever has the name.
    None,
    /// Only this very object (`--refresh`, `delete --all`): a recreated one survives.
    Uid(String),
    /// Only the object as it was listed (`cleanup`): a refreshed one survives.
    ResourceVersion(String),
}

impl Guard {
    /// Only this very object; `None` when the server sent it without a uid.
    pub fn this_object(request: &TokenRequest) -> Option<Guard> {
        request.metadata.uid.clone().map(Guard::Uid)
    }

    /// Only the object as it is now; `None` when the server sent no resourceVersion.
    pub fn as_listed(request: &TokenRequest) -> Option<Guard> {
        request
            .metadata
            .resource_version
            .clone()
            .map(Guard::ResourceVersion)
    }
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
    pub fn new(connection: &Connection) -> Self {
        Requests {
            namespace: connection.namespace().to_string(),
            connection: connection.clone(),
        }
    }

    /// The requests in `namespace` (a manifest's), through the same connection.
    pub fn in_namespace(connection: &Connection, namespace: &str) -> Self {
        Requests {
            namespace: namespace.to_string(),
            connection: connection.clone(),
        }
    }

    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// The requests of this namespace, or of all with `all_namespaces`.
    pub fn scoped(&self, all_namespaces: bool) -> Scoped {
        Scoped {
            connection: self.connection.clone(),
            scope: if all_namespaces {
                Scope::All
            } else {
                Scope::Namespace(self.namespace.clone())
            },
        }
    }

    fn api(&self) -> Api<TokenRequest> {
        Api::namespaced(self.connection.client.clone(), &self.namespace)
    }

    /// Reads one request; `None` when there is none.
    pub async fn get(
        &self,
        name: &str,
        deadline: Deadline,
    ) -> Result<Option<TokenRequest>, RequestError> {
        let api = self.api();
        let action = format!("getting TokenRequest {}/{name}", self.namespace);
        self.connection
            .run(&action, deadline, || api.get_opt(name))
            .await
    }

    /// Deletes `name` as `guard` allows; see [`delete`].
    pub async fn delete(
        &self,
        name: &str,
        guard: &Guard,
        dry_run: bool,
    ) -> Result<Deletion, RequestError> {
        delete(&self.connection, &self.namespace, name, guard, dry_run).await
    }
}

/// A list call's parameters: `chunk` objects a page (`None`: all in one call), a label
/// selector, and a field selector (the API server takes `metadata.name` and
/// `metadata.namespace` for custom resources, and says so otherwise).
pub fn list_params(chunk: Option<u32>, labels: Option<&str>, fields: Option<&str>) -> ListParams {
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

impl Scoped {
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    fn api(&self) -> Api<TokenRequest> {
        match &self.scope {
            Scope::Namespace(namespace) => {
                Api::namespaced(self.connection.client.clone(), namespace)
            }
            Scope::All => Api::all(self.connection.client.clone()),
        }
    }

    /// The requests, page by page: the next page is fetched only once this one is used up.
    /// A failed page ends the stream after yielding its error. `limit: None` lists in one call.
    pub fn items(
        &self,
        params: ListParams,
    ) -> impl Stream<Item = Result<TokenRequest, RequestError>> + Send + use<> {
        let scoped = self.clone();
        stream::try_unfold(Some(params), move |next| {
            let scoped = scoped.clone();
            async move {
                let Some(params) = next else {
                    return Ok::<_, RequestError>(None);
                };
                let api = scoped.api();
                let action = format!("listing TokenRequests in {}", scoped.scope);
                // A selector kubectl would refuse to send is refused here, unsent.
                if let Some(selector) = &params.label_selector {
                    check_selector(selector).map_err(|problem| RequestError::InvalidSelector {
                        action: action.clone(),
                        problem,
                    })?;
                }
                let page = scoped
                    .connection
                    .run(&action, Deadline::none(), || api.list(&params))
                    .await?;
                let next = match page.metadata.continue_.as_deref() {
                    Some(token) if !token.is_empty() => Some(params.continue_token(token)),
                    _ => None,
                };
                Ok(Some((stream::iter(page.items.into_iter().map(Ok)), next)))
            }
        })
        .try_flatten()
    }

    /// Deletes a listed request (in its own namespace) as `guard` allows; see [`delete`].
    pub async fn delete(
        &self,
        request: &TokenRequest,
        guard: &Guard,
        dry_run: bool,
    ) -> Result<Deletion, RequestError> {
        let namespace = match (&self.scope, request.namespace()) {
            (Scope::Namespace(own), "") => own.as_str(),
            (_, namespace) => namespace,
        };
        delete(&self.connection, namespace, request.name(), guard, dry_run).await
    }
}

/// Deletes `namespace/name` as `guard` allows; resent after transient failures (safe: the
/// guard keeps a resend off a newer object, and a delete that got through answers 404).
async fn delete(
    connection: &Connection,
    namespace: &str,
    name: &str,
    guard: &Guard,
    dry_run: bool,
) -> Result<Deletion, RequestError> {
    let api: Api<TokenRequest> = Api::namespaced(connection.client.clone(), namespace);
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
    let action = format!("deleting TokenRequest {namespace}/{name}");
    let mut tries = 0;
    let result = connection
        .run(&action, Deadline::none(), || {
            tries += 1;
            api.delete(name, &params)
        })
        .await;
    let guarded = *guard != Guard::None;
    match result {
        Ok(_) => Ok(Deletion::Done),
        Err(error) => match error.answer() {
            Some(kube::Error::Api(status)) if status.code == 404 && status.reason == "NotFound" => {
                Ok(if tries > 1 || guarded {
                    Deletion::Gone
                } else {
                    Deletion::Missing
                })
            }
            Some(kube::Error::Api(status)) if status.code == 409 && guarded => {
                Ok(Deletion::Changed)
            }
            _ => Err(error),
        },
    }
}
