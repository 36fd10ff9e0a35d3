//! What completion asks the cluster and the kubeconfig, within one short time budget: a slow
//! or unreachable cluster yields no candidates instead of a hanging shell. Nothing but names
//! leaves these functions: a token cannot leak through a completion.

use std::collections::BTreeSet;
use std::time::Duration;

use futures::TryStreamExt as _;

use super::protocol::Candidate;
use crate::cli::ConnectionArgs;
use crate::requests::{
    Cluster, Connection, Deadline, Entry, Requests, Scoped, connect, kubeconfig_names, list_params,
};

/// How long all cluster lookups of one completion may take together.
pub const CLUSTER_BUDGET: Duration = Duration::from_secs(2);

/// Contexts, clusters or users of the kubeconfig the commands read: `--kubeconfig`, else
/// `KUBECONFIG` (merged, missing files skipped) or `~/.kube/config`.
pub(super) fn kubeconfig_entries(connection: &ConnectionArgs, kind: &str) -> Vec<String> {
    let entry = match kind {
        "context" => Entry::Context,
        "cluster" => Entry::Cluster,
        _ => Entry::User,
    };
    kubeconfig_names(&connection.settings(), entry)
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
    let mut settings = connection.settings();
    // Each request is bounded too, so nothing lingers after the budget.
    settings.request_timeout = CLUSTER_BUDGET;
    // A shell waiting for candidates is better served by none than by retries.
    Some(connect(&settings).await.ok()?.single_try())
}

/// Names of the TokenRequests in the namespace the typed words select.
pub(super) async fn tokenrequest_names(connection: ConnectionArgs) -> Vec<String> {
    let Some(connection) = connect_quietly(&connection).await else {
        return Vec::new();
    };
    let requests = Requests::new(&connection).scoped(false);
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
    let listed = Cluster::new(&connection)
        .namespace_names(Deadline::none())
        .await;
    if let Ok(names) = listed {
        return names;
    }
    let everywhere = Requests::new(&connection).scoped(true);
    match names_of(&everywhere, |request| request.namespace().to_string()).await {
        Some(mut seen) => {
            seen.remove("");
            seen.insert(connection.namespace().to_string());
            seen.into_iter().collect()
        }
        None => Vec::new(),
    }
}

/// `name` of every request `requests` lists, once each; `None` when the list fails.
async fn names_of(
    requests: &Scoped,
    name: impl Fn(&crate::tokenrequest::TokenRequest) -> String + Send + Sync,
) -> Option<BTreeSet<String>> {
    requests
        .items(list_params(Some(500), None, None))
        .map_ok(|request| name(&request))
        .try_collect()
        .await
        .ok()
}
