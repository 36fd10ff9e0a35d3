//! `kubectl tokenrequest cleanup`: delete expired (and optionally stale or errored) requests,
//! the fallback for a connection-token-handler that is slow, down or not installed.
//!
//! One stream does it all, so memory stays flat however many requests exist: pages are listed
//! only as the deletes need more work, each request is judged on its own, and at most
//! `--concurrency` deletes are in flight. Every delete carries the listed resourceVersion as a
//! precondition, so a request refreshed or recreated after the list survives (409: skipped).
//!
//! Throttling: kube's default client retries 429, 503 and 504 for every request with a
//! replayable body (DELETE included), waiting the server's `Retry-After` when it is longer than
//! its own backoff (`kube::client::retry::RetryPolicy::server_retry`, up to 15 tries). A
//! delete waiting there holds its slot, so a throttled server sees at most `--concurrency`
//! requests per `Retry-After`. Other 5xx answers and broken connections are retried here a
//! few times: with the precondition a repeated delete is harmless (a 404 counts as done).

use std::time::Duration;

use futures::StreamExt;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use jiff::{SignedDuration, Timestamp};
use kube::Api;
use kube::api::{DeleteParams, ListParams, Preconditions};

use super::{list_pages, print};
use crate::cli::{CleanupArgs, DryRun};
use crate::client::Connection;
use crate::error::{Error, status_of};
use crate::output::{self, ListOptions, ListPrinter, OutputFormat, human_duration};
use crate::tokenrequest::{Phase, RESOURCE_NAME, TokenRequest, quote_for_message};

/// Requests per list call: kubectl's default chunk size.
const PAGE_SIZE: u32 = 500;
/// Tries of one delete on a 5xx kube does not retry itself, or a broken connection.
const DELETE_ATTEMPTS: u32 = 3;
const FIRST_RETRY_DELAY: Duration = Duration::from_millis(200);

pub async fn run(connection: &Connection, args: CleanupArgs) -> Result<(), Error> {
    let output = Output::new(&args)?;
    let scope = if args.all_namespaces {
        "all namespaces".to_string()
    } else {
        format!("namespace {}", connection.namespace)
    };
    let rules = Rules::new(&args, Timestamp::now());
    let client = connection.client.clone();
    let list_api: Api<TokenRequest> = if args.all_namespaces {
        Api::all(client.clone())
    } else {
        Api::namespaced(client.clone(), &connection.namespace)
    };
    let mut params = ListParams::default().limit(PAGE_SIZE);
    if let Some(selector) = &args.selector {
        params = params.labels(selector);
    }
    let progress = CleanupProgress::new();
    let dry_run = args.dry_run.mode;

    let outcomes = list_pages(list_api, params, scope.clone())
        .map(|item| {
            let verdict = item.map(|request| {
                let verdict = rules.judge(&request);
                (request, verdict)
            });
            if let Ok((_, Verdict::Delete(_))) = &verdict {
                progress.matched_one();
            }
            let client = client.clone();
            async move {
                match verdict {
                    Err(list_error) => Outcome::ListFailed(list_error),
                    Ok((_, Verdict::Keep)) => Outcome::Kept,
                    Ok((request, Verdict::CannotJudge(raw))) => Outcome::CannotJudge(request, raw),
                    Ok((request, Verdict::Delete(reason))) => {
                        let result = delete(&client, &request, dry_run).await;
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
    let mut printer = output.printer(args.all_namespaces)?;
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
                    Ok(DeleteResult::Deleted) | Ok(DeleteResult::AlreadyGone) => {
                        if matches!(result, Ok(DeleteResult::AlreadyGone)) {
                            tally.already_gone += 1;
                        }
                        tally.deleted += 1;
                        progress.deleted_one();
                        printer.deleted(&request, &reason.describe(rules.now), dry_run)?;
                    }
                    Ok(DeleteResult::Changed) => {
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
    eprintln!("{}", tally.summary(dry_run, &scope));
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

/// What `--grace`, `--stale` and `--errored` ask for, judged against one `now`.
struct Rules {
    now: Timestamp,
    /// Expired means `expireAfter` lies before this.
    expired_before: Timestamp,
    /// No status and created before this: nobody answered.
    stale_before: Option<Timestamp>,
    errored: bool,
}

impl Rules {
    fn new(args: &CleanupArgs, now: Timestamp) -> Self {
        let before = |age: Duration| {
            SignedDuration::try_from(age)
                .ok()
                .and_then(|age| now.checked_sub(age).ok())
                // A grace longer than the calendar holds: nothing is that old.
                .unwrap_or(Timestamp::MIN)
        };
        Rules {
            now,
            expired_before: before(args.grace),
            stale_before: args.stale.map(before),
            errored: args.errored,
        }
    }

    fn judge(&self, request: &TokenRequest) -> Verdict {
        if let Some(Ok(expiry)) = request.expire_after()
            && expiry < self.expired_before
        {
            return Verdict::Delete(Reason::Expired(expiry));
        }
        match request.phase() {
            Phase::Failed if self.errored => {
                return Verdict::Delete(Reason::Errored(request.phase().label().to_string()));
            }
            Phase::Pending => {
                if let (Some(before), Some(created)) = (self.stale_before, request.created_at())
                    && created < before
                {
                    return Verdict::Delete(Reason::Stale(created));
                }
            }
            _ => {}
        }
        match request.expire_after() {
            Some(Err(raw)) => Verdict::CannotJudge(raw.to_string()),
            _ => Verdict::Keep,
        }
    }
}

enum Verdict {
    Keep,
    Delete(Reason),
    /// `status.expireAfter` is there but not a timestamp: never delete what cannot be judged.
    CannotJudge(String),
}

enum Reason {
    Expired(Timestamp),
    Stale(Timestamp),
    Errored(String),
}

impl Reason {
    fn describe(&self, now: Timestamp) -> String {
        match self {
            Reason::Expired(at) => {
                format!("expired {} ago", human_duration(now.duration_since(*at)))
            }
            Reason::Stale(created) => format!(
                "no status for {}",
                human_duration(now.duration_since(*created))
            ),
            Reason::Errored(state) => format!("state {state}"),
        }
    }
}

enum Outcome {
    ListFailed(Error),
    Kept,
    CannotJudge(TokenRequest, String),
    Deleted {
        request: TokenRequest,
        reason: Reason,
        result: Result<DeleteResult, Error>,
    },
}

enum DeleteResult {
    Deleted,
    /// 404: someone (the controller) was faster; the goal is reached all the same.
    AlreadyGone,
    /// 409 on the resourceVersion precondition: it was refreshed or recreated.
    Changed,
}

/// Deletes `request` only as it was listed (its resourceVersion), retrying failures that
/// kube's own retry does not cover.
async fn delete(
    client: &kube::Client,
    request: &TokenRequest,
    dry_run: DryRun,
) -> Result<DeleteResult, Error> {
    let api: Api<TokenRequest> = Api::namespaced(client.clone(), request.namespace());
    let action = || format!("deleting TokenRequest {}", qualified(request));
    if dry_run == DryRun::Client {
        return Ok(DeleteResult::Deleted);
    }
    let params = DeleteParams {
        dry_run: dry_run == DryRun::Server,
        preconditions: Some(Preconditions {
            resource_version: request.metadata.resource_version.clone(),
            uid: None,
        }),
        ..DeleteParams::default()
    };
    let mut delay = FIRST_RETRY_DELAY;
    let mut attempt = 1;
    loop {
        let error = match api.delete(request.name(), &params).await {
            Ok(_) => return Ok(DeleteResult::Deleted),
            Err(error) => error,
        };
        match status_of(&error).map(|status| (status.code, status.reason.as_str())) {
            Some((404, "NotFound")) => return Ok(DeleteResult::AlreadyGone),
            Some((409, _)) => return Ok(DeleteResult::Changed),
            _ if attempt < DELETE_ATTEMPTS && worth_retrying(&error) => {
                tokio::time::sleep(delay).await;
                delay *= 2;
                attempt += 1;
            }
            _ => return Err(Error::api(action(), error)),
        }
    }
}

/// A 5xx kube's client did not already retry (it retries 503 and 504), or no answer at all.
fn worth_retrying(error: &kube::Error) -> bool {
    match status_of(error) {
        Some(status) => status.code >= 500 && status.code != 503 && status.code != 504,
        None => matches!(error, kube::Error::HyperError(_) | kube::Error::Service(_)),
    }
}

fn qualified(request: &TokenRequest) -> String {
    format!("{}/{}", request.namespace(), request.name())
}

#[derive(Default)]
struct Tally {
    listed: u64,
    deleted: u64,
    already_gone: u64,
    /// 409 on the precondition.
    changed: u64,
    /// An expiry that is not a timestamp.
    unjudgeable: u64,
    failed: u64,
}

impl Tally {
    fn matched(&self) -> u64 {
        self.deleted + self.changed + self.failed
    }

    fn skipped(&self) -> u64 {
        self.changed + self.unjudgeable
    }

    /// The one line on stderr at the end, e.g. `cleanup: 3 deleted, 1 skipped (1 changed since
    /// listed), 0 failed; 10 TokenRequests listed in namespace default`.
    fn summary(&self, dry_run: DryRun, scope: &str) -> String {
        let deleted = match dry_run {
            DryRun::None => "deleted",
            DryRun::Client => "would be deleted (dry run)",
            DryRun::Server => "deleted (server dry run)",
        };
        let mut gone = String::new();
        if self.already_gone > 0 {
            gone = format!(" ({} already gone)", self.already_gone);
        }
        let mut why_skipped = Vec::new();
        if self.changed > 0 {
            why_skipped.push(format!("{} changed since listed", self.changed));
        }
        if self.unjudgeable > 0 {
            why_skipped.push(format!("{} with an unreadable expiry", self.unjudgeable));
        }
        let why_skipped = if why_skipped.is_empty() {
            String::new()
        } else {
            format!(" ({})", why_skipped.join(", "))
        };
        format!(
            "cleanup: {} {deleted}{gone}, {} skipped{why_skipped}, {} failed; {} TokenRequest{} \
             listed in {scope}",
            self.deleted,
            self.skipped(),
            self.failed,
            self.listed,
            if self.listed == 1 { "" } else { "s" },
        )
    }
}

/// How deleted requests appear on stdout.
enum Output {
    /// `TYPE/NAME deleted (why)`, like `kubectl delete`.
    Lines,
    /// `-o name` / `-o json`: the list printers `list` uses.
    Format(OutputFormat),
}

impl Output {
    fn new(args: &CleanupArgs) -> Result<Self, Error> {
        match &args.output {
            None => Ok(Output::Lines),
            Some(format @ (OutputFormat::Name | OutputFormat::Json)) => {
                Ok(Output::Format(format.clone()))
            }
            Some(_) => Err(Error::Usage(
                "cleanup supports -o name and -o json only".to_string(),
            )),
        }
    }

    fn printer(&self, all_namespaces: bool) -> Result<Printer, Error> {
        Ok(match self {
            Output::Lines => Printer::Lines { all_namespaces },
            Output::Format(format) => {
                let options = ListOptions {
                    all_namespaces,
                    now: Timestamp::now(),
                    color: false,
                };
                let printer =
                    output::list_printer(format, options, Box::new(std::io::stdout().lock()))
                        .map_err(output_error)?;
                Printer::List(printer)
            }
        })
    }
}

enum Printer {
    Lines { all_namespaces: bool },
    List(Box<dyn ListPrinter>),
}

impl Printer {
    fn deleted(
        &mut self,
        request: &TokenRequest,
        reason: &str,
        dry_run: DryRun,
    ) -> Result<(), Error> {
        match self {
            Printer::Lines { all_namespaces } => {
                let place = if *all_namespaces {
                    format!(" from namespace {}", request.namespace())
                } else {
                    String::new()
                };
                let mode = match dry_run {
                    DryRun::None => "",
                    DryRun::Client => "dry run; ",
                    DryRun::Server => "server dry run; ",
                };
                print(&format!(
                    "{RESOURCE_NAME}/{} deleted{place} ({mode}{reason})\n",
                    request.name()
                ))
            }
            Printer::List(printer) => printer.item(request).map_err(output_error),
        }
    }

    fn finish(self) -> Result<(), Error> {
        match self {
            Printer::Lines { .. } => Ok(()),
            Printer::List(printer) => printer.finish().map_err(output_error),
        }
    }
}

fn output_error(error: output::OutputError) -> Error {
    Error::Output {
        context: "printing the cleaned-up TokenRequests".to_string(),
        message: error.to_string(),
    }
}

/// deleted/matched on a terminal; hidden (and silent) otherwise. The length grows as pages
/// are judged: the total is only known once the last page is in.
struct CleanupProgress {
    bar: ProgressBar,
}

impl CleanupProgress {
    fn new() -> Self {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        if !bar.is_hidden() {
            bar.set_style(
                ProgressStyle::with_template("{wide_bar} {pos}/{len} deleted ({elapsed})")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
        }
        CleanupProgress { bar }
    }

    fn matched_one(&self) {
        self.bar.inc_length(1);
    }

    fn deleted_one(&self) {
        self.bar.inc(1);
    }

    /// A line on stderr, above the bar when there is one.
    fn note(&self, line: &str) {
        self.bar.suspend(|| eprintln!("{line}"));
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Drop for CleanupProgress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::DryRunArgs;

    fn args(grace: u64, stale: Option<u64>, errored: bool) -> CleanupArgs {
        CleanupArgs {
            all_namespaces: false,
            selector: None,
            grace: Duration::from_secs(grace),
            stale: stale.map(Duration::from_secs),
            errored,
            dry_run: DryRunArgs { mode: DryRun::None },
            concurrency: 16,
            output: None,
        }
    }

    fn request(created: &str, status: Option<serde_json::Value>) -> TokenRequest {
        let mut object = serde_json::json!({
            "apiVersion": "applicationconnector.kyma-project.io/v1alpha1",
            "kind": "TokenRequest",
            "metadata": {"name": "app", "namespace": "ns", "creationTimestamp": created},
        });
        if let Some(status) = status {
            object["status"] = status;
        }
        serde_json::from_value(object).unwrap()
    }

    fn now() -> Timestamp {
        "2026-01-01T12:00:00Z".parse().unwrap()
    }

    fn verdict(rules: &Rules, request: &TokenRequest) -> &'static str {
        match rules.judge(request) {
            Verdict::Keep => "keep",
            Verdict::Delete(Reason::Expired(_)) => "expired",
            Verdict::Delete(Reason::Stale(_)) => "stale",
            Verdict::Delete(Reason::Errored(_)) => "errored",
            Verdict::CannotJudge(_) => "cannot judge",
        }
    }

    #[test]
    fn expiry_honours_the_grace() {
        let expired_a_minute_ago = request(
            "2026-01-01T11:00:00Z",
            Some(serde_json::json!({"state": "OK", "token": "t", "url": "u",
                "expireAfter": "2026-01-01T11:59:00Z"})),
        );
        let plain = Rules::new(&args(0, None, false), now());
        assert_eq!(verdict(&plain, &expired_a_minute_ago), "expired");
        let patient = Rules::new(&args(120, None, false), now());
        assert_eq!(verdict(&patient, &expired_a_minute_ago), "keep");
        let endless = Rules::new(&args(u64::MAX / 4, None, false), now());
        assert_eq!(verdict(&endless, &expired_a_minute_ago), "keep");
    }

    #[test]
    fn stale_means_no_status_for_longer_than_asked() {
        let old_pending = request("2026-01-01T10:00:00Z", None);
        let young_pending = request("2026-01-01T11:59:30Z", None);
        let without_stale = Rules::new(&args(0, None, false), now());
        assert_eq!(verdict(&without_stale, &old_pending), "keep");
        let stale = Rules::new(&args(0, Some(600), false), now());
        assert_eq!(verdict(&stale, &old_pending), "stale");
        assert_eq!(verdict(&stale, &young_pending), "keep");
        let answered = request(
            "2026-01-01T10:00:00Z",
            Some(serde_json::json!({"state": "OK", "token": "", "url": "",
                "expireAfter": "2026-01-01T12:05:00Z"})),
        );
        assert_eq!(verdict(&stale, &answered), "keep");
    }

    #[test]
    fn errored_only_when_asked_and_both_spellings() {
        for state in ["Error", "ERR"] {
            let failed = request(
                "2026-01-01T11:00:00Z",
                Some(serde_json::json!({"state": state, "expireAfter": "2026-01-01T12:05:00Z"})),
            );
            assert_eq!(
                verdict(&Rules::new(&args(0, None, false), now()), &failed),
                "keep"
            );
            assert_eq!(
                verdict(&Rules::new(&args(0, None, true), now()), &failed),
                "errored"
            );
        }
    }

    #[test]
    fn an_unreadable_expiry_is_never_deleted_for_expiry() {
        let odd = request(
            "2026-01-01T10:00:00Z",
            Some(serde_json::json!({"state": "OK", "expireAfter": "yesterday"})),
        );
        let rules = Rules::new(&args(0, Some(1), true), now());
        assert_eq!(verdict(&rules, &odd), "cannot judge");
        let odd_and_failed = request(
            "2026-01-01T10:00:00Z",
            Some(serde_json::json!({"state": "Error", "expireAfter": "yesterday"})),
        );
        assert_eq!(verdict(&rules, &odd_and_failed), "errored");
    }

    #[test]
    fn summary_names_every_count() {
        let tally = Tally {
            listed: 10,
            deleted: 3,
            already_gone: 1,
            changed: 1,
            unjudgeable: 2,
            failed: 1,
        };
        assert_eq!(
            tally.summary(DryRun::None, "namespace default"),
            "cleanup: 3 deleted (1 already gone), 3 skipped (1 changed since listed, 2 with an \
             unreadable expiry), 1 failed; 10 TokenRequests listed in namespace default"
        );
        assert_eq!(
            Tally::default().summary(DryRun::Client, "all namespaces"),
            "cleanup: 0 would be deleted (dry run), 0 skipped, 0 failed; 0 TokenRequests listed \
             in all namespaces"
        );
    }
}
