//! What `create` and `connect` do alike for several Applications: the targets, all checked
//! before anything is sent; the work on them, at most `--concurrency` at once, one watch per
//! namespace serving every wait of the run; and the run's exit code from the results.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use futures::StreamExt as _;

use crate::cli::TargetArgs;
use crate::error::{Error, exit_code};
use crate::output::{ItemResult, Outcome};
use crate::progress::Progress;
use crate::requests::{Connection, Requests, Sightings};
use crate::tokenrequest::{ClusterContext, validate_name};

/// One Application a command works on.
#[derive(Debug, Clone)]
pub struct Target {
    pub name: String,
    pub namespace: String,
    pub context: Option<ClusterContext>,
    pub labels: BTreeMap<String, String>,
    /// Where it came from, for messages: the APP name, or `FILE, document N`.
    pub origin: String,
}

/// The targets of `args` in `namespace`: its APP names, each with `--tenant`, `--group` and
/// `-l`. Names are checked as the API server checks them, and the same name twice is refused,
/// before anything is sent.
pub fn targets(args: &TargetArgs, namespace: &str) -> Result<Vec<Target>, Error> {
    let context = cluster_context(args.tenant.as_deref(), args.group.as_deref())?;
    let labels = args.labels.merged().map_err(Error::Usage)?;
    let mut targets: Vec<Target> = Vec::new();
    for name in &args.apps {
        validate_name(name).map_err(Error::InvalidName)?;
        if targets.iter().any(|target| target.name == *name) {
            return Err(Error::Usage(format!(
                "Application {name} is given twice: name each Application once"
            )));
        }
        targets.push(Target {
            name: name.clone(),
            namespace: namespace.to_string(),
            context: context.clone(),
            labels: labels.clone(),
            origin: name.clone(),
        });
    }
    Ok(targets)
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
        if value.is_empty() || value.chars().any(char::is_control) {
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
