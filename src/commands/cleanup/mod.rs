//! `kubectl tokenrequest cleanup`: delete expired (and optionally stale or errored) requests,
//! the fallback for a connection-token-handler that is slow, down or not installed.
//!
//! One stream does it all, so memory stays flat however many requests exist: pages are listed
//! only as the deletes need more work, each request is judged on its own (`rules`), and at most
//! `--concurrency` deletes are in flight. Every delete carries the listed resourceVersion as a
//! precondition, so a request refreshed or recreated after the list survives (409: skipped),
//! and so resending a delete after a transient failure is harmless (404: done). Throttling and
//! retries are the requests layer's one policy; a delete waiting out a `Retry-After` holds its
//! slot, so a throttled server sees at most `--concurrency` requests at a time.

mod report;
mod rules;

use std::sync::Arc;

use futures::StreamExt as _;
use jiff::Timestamp;

use crate::cli::{CleanupArgs, DryRun};
use crate::error::Error;
use crate::progress::Progress;
use crate::requests::{Connection, Deletion, Guard, RequestError, Requests, Scoped, list_params};
use crate::text::quote_for_message;
use crate::tokenrequest::TokenRequest;
use report::{Printer, Tally};
use rules::{Reason, Rules, Verdict};

pub async fn run(connection: &Connection, args: CleanupArgs) -> Result<(), Error> {
    let progress = Arc::new(Progress::bar("deleted"));
    let connection = connection.observed_by(progress.clone());
    let requests = Requests::new(&connection).scoped(args.all_namespaces);
    let scope = requests.scope().to_string();
    let rules = Rules::new(args.grace, args.stale, args.errored, Timestamp::now());
    let params = list_params(args.chunks.limit(), args.selector.as_deref(), None);
    let dry_run = args.dry_run.mode;

    let outcomes = requests
        .items(params)
        .map(|item| {
            let verdict = item.map(|request| {
                let verdict = rules.judge(&request);
                (request, verdict)
            });
            if let Ok((_, Verdict::Delete(_))) = &verdict {
                progress.add_work();
            }
            let requests = requests.clone();
            async move {
                match verdict {
                    Err(list_error) => Outcome::ListFailed(list_error.into()),
                    Ok((_, Verdict::Keep)) => Outcome::Kept,
                    Ok((request, Verdict::CannotJudge(raw))) => Outcome::CannotJudge(request, raw),
                    Ok((request, Verdict::Delete(reason))) => {
                        let result = delete(&requests, &request, dry_run).await;
                        Outcome::Deleted {
                            request,
                            reason,
                            result,
                        }
                    }
                }
            }
        })
        .buffer_unordered(args.concurrency.into());
    futures::pin_mut!(outcomes);

    let mut tally = Tally::default();
    let mut printer = Printer::new(args.output.as_ref(), args.all_namespaces)?;
    let mut list_error = None;
    while let Some(outcome) = outcomes.next().await {
        match outcome {
            Outcome::ListFailed(error) => list_error = Some(error),
            Outcome::Kept => tally.listed += 1,
            Outcome::CannotJudge(request, raw) => {
                tally.listed += 1;
                tally.unjudgeable += 1;
                progress.note(&format!(
                    "skipped TokenRequest {}: its status.expireAfter {} is not a timestamp, so \
                     whether it expired cannot be judged; check it with `kubectl tokenrequest \
                     get {} -n {} -o yaml`",
                    qualified(&request),
                    quote_for_message(&raw),
                    request.name(),
                    request.namespace(),
                ));
            }
            Outcome::Deleted {
                request,
                reason,
                result,
            } => {
                tally.listed += 1;
                match result {
                    Ok(gone @ (Deletion::Done | Deletion::Gone | Deletion::Missing)) => {
                        if gone != Deletion::Done {
                            tally.already_gone += 1;
                        }
                        tally.deleted += 1;
                        progress.done_one();
                        printer.deleted(&request, &reason.describe(rules.now), dry_run)?;
                    }
                    Ok(Deletion::Changed) => {
                        tally.changed += 1;
                        progress.note(&format!(
                            "skipped TokenRequest {}: it changed since it was listed (refreshed \
                             or recreated), so it was left in place",
                            qualified(&request)
                        ));
                    }
                    Err(error) => {
                        tally.failed += 1;
                        progress.note(&format!("error: {error}"));
                    }
                }
            }
        }
    }
    progress.finish();
    printer.finish()?;
    // A list that failed before anything was judged has nothing to sum up (no CRD, no
    // rights): only its error is said.
    if list_error.is_none() || tally.listed > 0 {
        eprintln!("{}", tally.summary(dry_run, &scope));
    }
    if let Some(error) = list_error {
        return Err(error);
    }
    match tally.failed {
        0 => Ok(()),
        failed => Err(Error::CleanupFailed {
            failed,
            matched: tally.matched(),
        }),
    }
}

enum Outcome {
    ListFailed(Error),
    Kept,
    CannotJudge(TokenRequest, String),
    Deleted {
        request: TokenRequest,
        reason: Reason,
        result: Result<Deletion, Error>,
    },
}

/// Deletes `request` only as it was listed (its resourceVersion).
async fn delete(
    requests: &Scoped,
    request: &TokenRequest,
    dry_run: DryRun,
) -> Result<Deletion, Error> {
    let guard = Guard::as_listed(request).ok_or_else(|| RequestError::Unidentified {
        action: format!("deleting TokenRequest {}", qualified(request)),
        missing: "resourceVersion",
    })?;
    if dry_run == DryRun::Client {
        return Ok(Deletion::Done);
    }
    Ok(requests
        .delete(request, &guard, dry_run == DryRun::Server)
        .await?)
}

fn qualified(request: &TokenRequest) -> String {
    format!("{}/{}", request.namespace(), request.name())
}
