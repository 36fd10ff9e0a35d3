//! What `create` and `connect` do alike for several Applications: the targets, all checked
//! before anything is sent; the work on them, at most `--concurrency` at once, one watch per
//! namespace serving every wait of the run; and the run's exit code from the results.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use futures::StreamExt as _;

use crate::cli::TargetArgs;
use crate::error::{Error, exit_code};
use crate::manifests::{self, ManifestError};
use crate::output::{ItemResult, Outcome};
use crate::progress::Progress;
use crate::requests::{Connection, Requests, Sightings};
use crate::tokenrequest::{ClusterContext, TokenRequest, validate_name};

/// One Application a command works on.
#[derive(Debug, Clone)]
pub struct Target {
    pub name: String,
    pub namespace: String,
    pub context: Option<ClusterContext>,
    pub labels: BTreeMap<String, String>,
    /// A manifest's annotations, carried onto the request.
    pub annotations: BTreeMap<String, String>,
    /// Where it came from, for messages: the APP name, or `FILE, document N`.
    pub origin: String,
}

impl Target {
    /// The request `create` and `connect` send for it: this run's create-id, its labels and
    /// annotations.
    pub fn request(&self) -> TokenRequest {
        let mut request = Requests::new_request(&self.name, self.context.clone());
        request.metadata.namespace = Some(self.namespace.clone());
        if !self.labels.is_empty() {
            request.metadata.labels = Some(self.labels.clone());
        }
        let annotations = request.metadata.annotations.get_or_insert_default();
        for (key, value) in &self.annotations {
            // This run's create-id wins over one an exported manifest carries: it is how the
            // create that happens once knows its own object.
            annotations
                .entry(key.clone())
                .or_insert_with(|| value.clone());
        }
        request
    }
}

/// The targets of `args`: its APP names in the connection's namespace, each with `--tenant`,
/// `--group` and `-l`; then the manifests of `-f` (read off the runtime: stdin may take its
/// time), each with its own namespace, context, labels (and `-l`'s) and annotations. Names
/// are checked as the API server checks them, and the same name twice in a namespace is
/// refused, before anything is sent.
pub async fn targets(args: &TargetArgs, connection: &Connection) -> Result<Vec<Target>, Error> {
    let namespace = connection.namespace();
    let context = cluster_context(args.tenant.as_deref(), args.group.as_deref())?;
    if context.is_some() && args.apps.is_empty() {
        return Err(Error::Usage(
            "--tenant and --group are for the APP names, and none is given: a manifest \
             carries its own in context.tenant and context.group"
                .to_string(),
        ));
    }
    let labels = args.labels.merged().map_err(Error::Usage)?;
    let mut targets: Vec<Target> = Vec::new();
    for name in &args.apps {
        validate_name(name).map_err(Error::InvalidName)?;
        targets.push(Target {
            name: name.clone(),
            namespace: namespace.to_string(),
            context: context.clone(),
            labels: labels.clone(),
            annotations: BTreeMap::new(),
            origin: name.clone(),
        });
    }
    let mut notes = Vec::new();
    if !args.files.is_empty() {
        let files = args.files.clone();
        let read = tokio::task::spawn_blocking(move || manifests::read(&files))
            .await
            .map_err(|source| Error::Task {
                action: "reading the manifests".to_string(),
                source,
            })?
            .map_err(refused)?;
        let given = connection.namespace_given().then_some(namespace);
        for manifest in read.manifests {
            targets.push(Target {
                namespace: manifest.namespace_in(namespace, given).map_err(refused)?,
                labels: manifest.labels_with(&labels).map_err(refused)?,
                origin: manifest.place.to_string(),
                name: manifest.name,
                context: manifest.context,
                annotations: manifest.annotations,
            });
        }
        notes = read.notes;
    }
    given_once(&targets)?;
    for note in notes {
        connection.observer().note(&note);
    }
    Ok(targets)
}

/// A manifest refused: nothing was sent.
fn refused(error: ManifestError) -> Error {
    Error::Usage(format!("{error}; nothing was created"))
}

/// Each request once: the same name twice in a namespace is refused.
fn given_once(targets: &[Target]) -> Result<(), Error> {
    for (at, target) in targets.iter().enumerate() {
        let Some(first) = targets[..at]
            .iter()
            .find(|before| before.name == target.name && before.namespace == target.namespace)
        else {
            continue;
        };
        let name = &target.name;
        return Err(Error::Usage(
            if first.origin == *name && target.origin == *name {
                format!("Application {name} is given twice: name each Application once")
            } else {
                format!(
                    "TokenRequest {}/{name} is given twice ({} and {}): name each Application \
                 once; nothing was created",
                    target.namespace, first.origin, target.origin
                )
            },
        ));
    }
    Ok(())
}

/// Context is sent only when both tenant and group are given (clap enforces the pair).
fn cluster_context(
    tenant: Option<&str>,
    group: Option<&str>,
) -> Result<Option<ClusterContext>, Error> {
    let (Some(tenant), Some(group)) = (tenant, group) else {
        return Ok(None);
    };
    for (flag, value) in [("--tenant", tenant), ("--group", group)] {
        if !ClusterContext::takes(value) {
            return Err(Error::InvalidContext {
                flag,
                value: value.to_string(),
            });
        }
    }
    Ok(Some(ClusterContext {
        tenant: Some(tenant.to_string()),
        group: Some(group.to_string()),
    }))
}

/// One watch per namespace, made when the first target of that namespace needs it, serving
/// every wait of the run there.
pub struct Watches {
    connection: Connection,
    by_namespace: Mutex<HashMap<String, (Requests, Sightings)>>,
}

impl Watches {
    pub fn new(connection: &Connection) -> Self {
        Watches {
            connection: connection.clone(),
            by_namespace: Mutex::default(),
        }
    }

    /// The requests of `namespace` and the watch serving their waits.
    pub fn of(&self, namespace: &str) -> (Requests, Sightings) {
        let mut by_namespace = self.by_namespace.lock().unwrap_or_else(|e| e.into_inner());
        by_namespace
            .entry(namespace.to_string())
            .or_insert_with(|| {
                let requests = Requests::in_namespace(&self.connection, namespace);
                let sightings = Sightings::of_namespace(&requests);
                (requests, sightings)
            })
            .clone()
    }
}

/// `work` on every target, at most `concurrency` at once, the progress bar counting them
/// (and the failures); the results in the targets' order. A failing target does not stop the
/// others.
pub async fn each<T, F, Fut>(
    targets: &[Target],
    concurrency: u16,
    progress: &Progress,
    work: F,
) -> Vec<Result<T, Error>>
where
    F: Fn(Target) -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    progress.add_work_of(targets.len());
    let mut done: Vec<(usize, Result<T, Error>)> =
        futures::stream::iter(targets.iter().enumerate())
            .map(|(index, target)| {
                let work = &work;
                async move {
                    let result = work(target.clone()).await;
                    progress.done_one_of(result.is_ok());
                    (index, result)
                }
            })
            .buffer_unordered(usize::from(concurrency.max(1)))
            .collect()
            .await;
    done.sort_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, result)| result).collect()
}

/// A target's result: `outcome` when it worked, else failed with the error and the exit code
/// it would have had alone.
pub fn failed(target: &Target, error: &Error) -> ItemResult {
    ItemResult {
        exit_code: error.exit_code(),
        error: Some(error.to_string()),
        reason: Some(briefly(error)),
        ..ItemResult::new(
            &target.name,
            &target.namespace,
            Outcome::Failed,
            &target.origin,
        )
    }
}

/// An error in a few words, for the summary: the cause it wraps in words of its own (a TLS
/// failure, the service's answer), else the error itself; its first sentence, at most 100
/// characters.
pub fn briefly(error: &Error) -> String {
    const MAX: usize = 100;
    let inner: &dyn std::error::Error = match error {
        Error::Request(request) => request,
        other => other,
    };
    let text = match inner.source() {
        // kube's errors read as their Debug; the request error's own words say it better.
        Some(cause) if !cause.is::<kube::Error>() && !cause.is::<Error>() => cause.to_string(),
        _ => inner.to_string(),
    };
    let cut = [". ", "; "]
        .iter()
        .filter_map(|end| text.find(end))
        .min()
        .unwrap_or(text.len());
    let sentence = text[..cut].trim_end_matches('.');
    match sentence.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &sentence[..at]),
        None => sentence.to_string(),
    }
}

/// The run's end: success when every Application succeeded; otherwise how many failed, with
/// the exit code they share (1 when they differ).
pub fn exit(results: &[ItemResult]) -> Result<(), Error> {
    let failed: Vec<&ItemResult> = results
        .iter()
        .filter(|result| result.outcome == Outcome::Failed)
        .collect();
    let Some(first) = failed.first() else {
        return Ok(());
    };
    let code = if failed
        .iter()
        .all(|result| result.exit_code == first.exit_code)
    {
        first.exit_code
    } else {
        exit_code::ERROR
    };
    Err(Error::SomeApplicationsFailed {
        failed: failed.len(),
        of: results.len(),
        names: failed.iter().map(|result| result.name.clone()).collect(),
        code,
    })
}
