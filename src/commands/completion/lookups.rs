//! What completion asks the cluster and the kubeconfig, within one short time budget: a slow
//! or unreachable cluster yields no candidates instead of a hanging shell. Nothing but names
//! leaves these functions: a token cannot leak through a completion.

use std::collections::BTreeSet;
use std::time::Duration;

use futures::TryStreamExt as _;
use k8s_openapi::api::core::v1::Namespace;
use kube::api::ListParams;
use kube::config::Kubeconfig;
use kube::{Api, ResourceExt};

use super::protocol::Candidate;
use crate::cli::ConnectionArgs;
use crate::requests::{Connection, Requests, RetryPolicy, connect};

/// How long all cluster lookups of one completion may take together.
pub const CLUSTER_BUDGET: Duration = Duration::from_secs(2);

/// Contexts, clusters or users of the kubeconfig kubectl would read: `--kubeconfig`, else
/// `KUBECONFIG` (merged) or `~/.kube/config`.
pub(super) fn kubeconfig_entries(connection: &ConnectionArgs, kind: &str) -> Vec<String> {
    let kubeconfig = match &connection.kubeconfig {
        Some(path) => Kubeconfig::read_from(path),
        None => Kubeconfig::read(),
    };
    let Ok(kubeconfig) = kubeconfig else {
        return Vec::new();
    };
    let names: BTreeSet<String> = match kind {
        "context" => kubeconfig.contexts.into_iter().map(|c| c.name).collect(),
        "cluster" => kubeconfig.clusters.into_iter().map(|c| c.name).collect(),
        _ => kubeconfig.auth_infos.into_iter().map(|u| u.name).collect(),
    };
    names.into_iter().collect()
}

/// Runs a cluster lookup within [`CLUSTER_BUDGET`]; a timeout or a panic gives nothing.
///
/// The lookup runs as its own task, so the budget holds even when it blocks a thread (an
/// exec credential plugin that waits for a login): the answer is printed and the process
/// exits without waiting for it.
pub(super) async fn bounded<F>(lookup: F) -> Vec<Candidate>
where
    F: Future<Output = Vec<String>> + Send + 'static,
{
    let task = tokio::spawn(lookup);
    let abort = task.abort_handle();
    match tokio::time::timeout(CLUSTER_BUDGET, task).await {
        Ok(Ok(names)) => names.into_iter().map(Candidate::plain).collect(),
        Ok(Err(_panicked)) => Vec::new(),
        Err(_elapsed) => {
            abort.abort();
            Vec::new()
        }
    }
}

async fn connect_quietly(connection: &ConnectionArgs) -> Option<Connection> {
    let args = ConnectionArgs {
        // Each request is bounded too, so nothing lingers after the budget.
        request_timeout: CLUSTER_BUDGET,
        ..connection.clone()
    };
    let mut connection = connect(&args).await.ok()?;
    // A shell waiting for candidates is better served by none than by retries.
    connection.policy = RetryPolicy::single_try(CLUSTER_BUDGET);
    Some(connection)
}

/// Names of the TokenRequests in the namespace the typed words select.
pub(super) async fn tokenrequest_names(connection: ConnectionArgs) -> Vec<String> {
    let Some(connection) = connect_quietly(&connection).await else {
        return Vec::new();
    };
    let requests = Requests::namespaced(&connection);
    // Only names leave this function: the objects carry tokens.
    names_of(&requests, |request| request.name().to_string())
        .await
        .unwrap_or_default()
        .into_iter()
        .collect()
}

/// Namespaces from the API where the user may list them; otherwise (no right to list
/// namespaces, or a server that does not serve them) the namespaces seen on TokenRequests
/// across the cluster plus the context's own namespace.
pub(super) async fn namespaces(connection: ConnectionArgs) -> Vec<String> {
    let Some(connection) = connect_quietly(&connection).await else {
        return Vec::new();
    };
    let listed: Api<Namespace> = Api::all(connection.client.clone());
    if let Ok(list) = listed.list(&ListParams::default()).await {
        return list.items.iter().map(|ns| ns.name_any()).collect();
    }
    let everywhere = Requests::new_in(&connection, true);
    match names_of(&everywhere, |request| request.namespace().to_string()).await {
        Some(mut seen) => {
            seen.remove("");
            seen.insert(connection.namespace.clone());
            seen.into_iter().collect()
        }
        None => Vec::new(),
    }
}

/// `name` of every request `requests` lists, once each; `None` when the list fails.
async fn names_of(
    requests: &Requests,
    name: impl Fn(&crate::tokenrequest::TokenRequest) -> String,
) -> Option<BTreeSet<String>> {
    requests
        .items(Requests::list_params(Some(500), None))
        .map_ok(|request| name(&request))
        .try_collect()
        .await
        .ok()
}
