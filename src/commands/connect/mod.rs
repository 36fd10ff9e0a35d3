//! `kubectl tokenrequest connect APP...`: from TokenRequests to connected external systems.
//! One Application is connected and described as it always was; several are connected beside
//! each other (at most `--concurrency` at once, one watch per namespace), each into `DIR/APP`,
//! those already connected skipped, and the results printed at the end. The steps of one
//! connection are in `flow.rs`.

mod flow;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;

use crate::batch::{self, Target, Watches};
use crate::cli::ConnectArgs;
use crate::connection_files::{Marking, StoredConnection, result_files};
use crate::connector::{CallLimits, Standing};
use crate::error::Error;
use crate::output::{ItemResult, Made, Outcome, OutputFormat, expiry_text};
use crate::present::print_results;
use crate::progress::Progress;
use crate::requests::{Connection, Deadline, Requests};
use crate::session::Session;
use crate::terminal::{color, print};
use flow::{Connected, Plan};

pub async fn run(
    connection: &Connection,
    args: ConnectArgs,
    deadline: Deadline,
    session: &Session,
) -> Result<(), Error> {
    let targets = batch::targets(&args.targets, connection).await?;
    if args.wait.timeout.is_zero() {
        return Err(Error::Usage(
            "connect needs the controller's token, so it needs the wait for it: --timeout 0 \
             waits for nothing; give it time (e.g. --timeout 60s, the default)"
                .to_string(),
        ));
    }
    let plan = Plan {
        args: &args,
        deadline,
        session,
        tls: args.tls.tls(),
        limits: CallLimits::new(connection.request_timeout(), deadline.at()),
    };
    match (targets.as_slice(), &args.output) {
        ([target], None) => one(connection, &plan, target).await,
        _ => several(connection, &plan, &targets).await,
    }
}

/// One Application, into `--out-dir` (default `./APP`), described in prose.
async fn one(connection: &Connection, plan: &Plan<'_>, target: &Target) -> Result<(), Error> {
    let progress = Arc::new(Progress::spinner(format!(
        "creating TokenRequest {}/{}",
        target.namespace, target.name
    )));
    let connection = connection.observed_by(progress.clone());
    let requests = Requests::in_namespace(&connection, &target.namespace);
    let dir = plan
        .args
        .out_dir
        .clone()
        .unwrap_or_else(|| PathBuf::from(&target.name));
    let connected = flow::connect_one(&connection, &requests, None, plan, target, &dir).await;
    progress.finish();
    let connected = connected?;
    let expires = expiry_text(connected.not_after, Timestamp::now());
    print(&flow::summary(&target.name, &connected, &expires))
}

/// Several Applications (or `-o`): each into `DIR/APP` (`DIR`: `--out-dir`, else the current
/// directory), beside each other; the results at the end.
async fn several(
    connection: &Connection,
    plan: &Plan<'_>,
    targets: &[Target],
) -> Result<(), Error> {
    let args = plan.args;
    let progress = Arc::new(Progress::counting("Applications"));
    let connection = connection.observed_by(progress.clone());
    let watches = Watches::new(&connection);
    let several = targets.len() > 1;
    let dir_of = |target: &Target| match (&args.out_dir, several) {
        (Some(dir), false) => dir.clone(),
        (Some(dir), true) => dir.join(&target.name),
        (None, _) => PathBuf::from(&target.name),
    };
    let results = batch::each(targets, args.targets.concurrency, &progress, |target| {
        let (connection, watches) = (&connection, &watches);
        let dir = dir_of(&target);
        async move {
            if !args.force && several && already_connected(&dir, plan).await {
                return Ok(Done::Already(absolute(&dir)));
            }
            let (requests, sightings) = watches.of(&target.namespace);
            let connected =
                flow::connect_one(connection, &requests, Some(&sightings), plan, &target, &dir)
                    .await?;
            Ok(Done::Connected(Box::new(connected)))
        }
    })
    .await;
    progress.finish();
    let results: Vec<ItemResult> = targets
        .iter()
        .zip(results)
        .map(|(target, result)| match result {
            Ok(done) => done.result(target),
            Err(error) => batch::failed(target, &error),
        })
        .collect();
    let format = args.output.clone().unwrap_or(OutputFormat::Human);
    print_results(
        &results,
        Made::Connections,
        &args.template.apply(format),
        color(),
    )?;
    batch::exit(&results)
}

/// What became of one Application that did not fail.
enum Done {
    Connected(Box<Connected>),
    /// Its directory was connected already.
    Already(PathBuf),
}

impl Done {
    fn result(self, target: &Target) -> ItemResult {
        let (outcome, dir, not_after) = match self {
            Done::Connected(connected) => {
                (Outcome::Connected, connected.dir, Some(connected.not_after))
            }
            Done::Already(dir) => {
                let not_after = StoredConnection::read(&dir)
                    .ok()
                    .and_then(|stored| stored.config.certificate.not_after);
                (Outcome::AlreadyConnected, dir, not_after)
            }
        };
        ItemResult {
            files: Some(result_files(&dir, Marking::Active)),
            certificate_expires: not_after,
            ..ItemResult::new(&target.name, &target.namespace, outcome, &target.origin)
        }
    }
}

fn absolute(dir: &Path) -> PathBuf {
    std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf())
}

/// A rerun's question: does `dir` hold a connection the Connector Service still accepts, with
/// at least `--min-validity` left? Anything else (no connection, one that is not usable, a
/// service that cannot be asked) is connected again, within `connect`'s own rules.
async fn already_connected(dir: &Path, plan: &Plan<'_>) -> bool {
    let Ok(stored) = StoredConnection::read(dir) else {
        return false;
    };
    let now = Timestamp::now();
    let Ok(check) = stored.check(now) else {
        return false;
    };
    if stored.marking != Marking::Active
        || check.cannot_authenticate().is_some()
        || !check.certificate.lasts(plan.args.min_validity, now)
    {
        return false;
    }
    let tls = stored.trust(&plan.tls);
    let Ok(client) = stored.client(&tls, plan.limits) else {
        return false;
    };
    matches!(
        client.standing(&stored.config.api.info_url).await,
        Ok(Standing::Accepted { .. })
    )
}
