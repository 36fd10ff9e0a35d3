//! `kubectl tokenrequest create APP...`: create the requests (with `-l` labels), wait for
//! the controller, print: one request as it has always been printed, several as results.

use std::sync::Arc;

use crate::applications::{self, Missing};
use crate::batch::{self, Target, Watches};
use crate::cli::{CreateArgs, DryRun, RequestOutput};
use crate::connector::CallLimits;
use crate::error::Error;
use crate::output::{ItemResult, Made, Outcome, OutputFormat};
use crate::present::{print_results, render_unwaited, show_request};
use crate::progress::Progress;
use crate::requests::{Connection, Created, Deadline, Requests, Sightings};
use crate::session::Session;
use crate::terminal::{color, print};
use crate::tokenrequest::TokenRequest;

pub async fn run(
    connection: &Connection,
    args: CreateArgs,
    deadline: Deadline,
    session: &Session,
) -> Result<(), Error> {
    let targets = batch::targets(&args.targets, connection).await?;
    let output = match args.output.clone().unwrap_or_default() {
        RequestOutput::Render(format) => RequestOutput::Render(args.template.apply(format)),
        config => config,
    };
    let waits = args.dry_run.mode == DryRun::None && !args.no_wait && !args.wait.timeout.is_zero();
    let format = match &output {
        RequestOutput::Render(format) => match credentials_named(format) {
            // Several Applications: the results, not one request's credentials.
            Some(name) if targets.len() > 1 => return Err(one_request_only(name)),
            // The controller issues the token for a stored request: without the wait there
            // is nothing to print, and the request would be left behind for nothing.
            Some(name) if !waits => {
                return Err(Error::Usage(format!(
                    "-o {name} prints the token the controller issues once the request is \
                     stored, so it needs the wait for it: drop {}",
                    not_waiting(&args)
                )));
            }
            _ => format.clone(),
        },
        RequestOutput::Config { .. } if targets.len() > 1 => {
            return Err(one_request_only("config"));
        }
        RequestOutput::Config { .. } if !waits => {
            return Err(Error::Usage(
                "-o config fetches the configuration with the new request's token, so it needs \
                 a request that was created and has its token: drop --dry-run, --no-wait and \
                 --timeout 0"
                    .to_string(),
            ));
        }
        RequestOutput::Config { .. } => OutputFormat::Human,
    };
    let plan = Plan {
        args: &args,
        waits,
        deadline,
        session,
    };
    match targets.as_slice() {
        [target] => one(connection, &plan, target, &output, &format).await,
        _ => several(connection, &plan, &targets, &format).await,
    }
}

/// What every target of a run shares.
struct Plan<'a> {
    args: &'a CreateArgs,
    waits: bool,
    deadline: Deadline,
    session: &'a Session,
}

/// One Application: its request, as `create` has always printed it.
async fn one(
    connection: &Connection,
    plan: &Plan<'_>,
    target: &Target,
    output: &RequestOutput,
    format: &OutputFormat,
) -> Result<(), Error> {
    let args = plan.args;
    let progress = Arc::new(Progress::spinner(format!(
        "creating TokenRequest {}/{}",
        target.namespace, target.name
    )));
    let connection = connection.observed_by(progress.clone());
    let requests = Requests::in_namespace(&connection, &target.namespace);
    if args.dry_run.mode == DryRun::Client {
        if args.application.create_application {
            applications::note_client_dry_run(&connection, &target.name);
        }
        return print(&render_unwaited(&target.request(), format, DryRun::Client)?);
    }
    let created = create_one(&connection, &requests, None, plan, target).await;
    progress.finish();
    let (namespace, name) = (&target.namespace, &target.name);
    let created = created?;
    if !plan.waits {
        let printed = print(&render_unwaited(&created, format, args.dry_run.mode)?);
        // A server dry run stored nothing: only a real create leaves a request behind.
        return match args.dry_run.mode {
            DryRun::None => printed.map_err(|e| e.after_created(namespace, name)),
            _ => printed,
        };
    }
    let limits = CallLimits::new(connection.request_timeout(), plan.deadline.at());
    show_request(&created, output, &args.connector_tls, limits)
        .await
        .map_err(|e| e.after_created(namespace, name))
}

/// Creates `target`'s request (replacing an existing one with `--refresh`) and, when the run
/// waits, waits for its token; `sightings` is the run's watch of its namespace (none: a watch
/// of its own). The request is the session's until its token is there.
async fn create_one(
    connection: &Connection,
    requests: &Requests,
    sightings: Option<&Sightings>,
    plan: &Plan<'_>,
    target: &Target,
) -> Result<TokenRequest, Error> {
    let (args, deadline) = (plan.args, plan.deadline);
    let name = target.name.as_str();
    let dry_run = args.dry_run.mode == DryRun::Server;
    let application = &args.application;
    let missing = Missing::of(
        application.require_application,
        application.create_application,
        dry_run,
    );
    applications::preflight(connection, name, missing, deadline, plan.session).await?;
    if args.refresh {
        requests.delete_existing(name, deadline, dry_run).await?;
    }
    let request = target.request();
    if let Some(sightings) = sightings {
        sightings.expect(name);
    }
    let created = match requests.create_once(&request, dry_run, deadline).await? {
        Created::New(created) => created,
        // A server dry run of --refresh kept the request it would have replaced: the create
        // it checks meets that one, as the real run's would not.
        Created::Existing(_) if args.refresh && dry_run => request.clone(),
        Created::Existing(existing) => return Err(already_exists(&existing, requests.namespace())),
    };
    if request.context.is_some() && created.context.is_none() {
        connection.observer().note(&format!(
            "Warning: the cluster dropped context.tenant and context.group of {name} (the Kyma \
             2.x CRD schema does not declare them), so the token is issued without tenant and \
             group"
        ));
    }
    if !plan.waits {
        return Ok(created);
    }
    plan.session.note_created(requests.namespace(), name);
    let ready = match sightings {
        Some(sightings) => sightings.wait(created, deadline).await,
        None => requests.wait_for_token(created, deadline).await,
    };
    plan.session.forget_created(requests.namespace(), name);
    Ok(ready?)
}

/// Several Applications: each created (and waited for) beside the others, at most
/// `--concurrency` at once, one watch per namespace; the results at the end.
async fn several(
    connection: &Connection,
    plan: &Plan<'_>,
    targets: &[Target],
    format: &OutputFormat,
) -> Result<(), Error> {
    let progress = Arc::new(Progress::counting("Applications"));
    let connection = connection.observed_by(progress.clone());
    let watches = Watches::new(&connection);
    let mode = plan.args.dry_run.mode;
    let results = batch::each(
        targets,
        plan.args.targets.concurrency,
        &progress,
        |target| {
            let (connection, watches) = (&connection, &watches);
            async move {
                if mode == DryRun::Client {
                    if plan.args.application.create_application {
                        applications::note_client_dry_run(connection, &target.name);
                    }
                    return Ok(target.request());
                }
                let (requests, sightings) = watches.of(&target.namespace);
                let sightings = plan.waits.then_some(&sightings);
                create_one(connection, &requests, sightings, plan, &target).await
            }
        },
    )
    .await;
    progress.finish();
    let results: Vec<ItemResult> = targets
        .iter()
        .zip(results)
        .map(|(target, result)| match result {
            Ok(request) => ready(target, &request, plan),
            Err(error) => batch::failed(target, &error),
        })
        .collect();
    print_results(&results, Made::Requests, format, color())?;
    batch::exit(&results)
}

/// A target that worked: created, or with its token.
fn ready(target: &Target, request: &TokenRequest, plan: &Plan<'_>) -> ItemResult {
    let outcome = match plan.args.dry_run.mode {
        DryRun::None if plan.waits => Outcome::Ready,
        DryRun::None => Outcome::Created,
        _ => Outcome::DryRun,
    };
    ItemResult {
        status: request
            .status
            .as_ref()
            .and_then(|status| serde_json::to_value(status).ok()),
        ..ItemResult::new(&target.name, &target.namespace, outcome, &target.origin)
    }
}

/// `-o token|url|env|config` for more than one Application.
fn one_request_only(format: &str) -> Error {
    Error::Usage(format!(
        "-o {format} prints one request's credentials, and this run has several Applications: \
         use -o json (each Application's status, token included) or -o jsonpath=TEMPLATE \
         (e.g. '{{range .items[*]}}{{.name}} {{.status.url}}{{\"\\n\"}}{{end}}')"
    ))
}

/// `-o token|url|env`, or a jsonpath template that reads `token` or `url` (the status's, or
/// anything named so): what prints the token the wait brings; `None` for the rest.
fn credentials_named(format: &OutputFormat) -> Option<&'static str> {
    let template = match format {
        OutputFormat::JsonPath(template) => ("jsonpath", template),
        OutputFormat::JsonPathAsJson(template) => ("jsonpath-as-json", template),
        other => return other.single_request_only(),
    };
    let (name, template) = template;
    let source = template.as_str();
    let names_field = |field: &str| {
        source.match_indices(field).any(|(at, _)| {
            let before = source[..at].chars().next_back();
            let after = source[at + field.len()..].chars().next();
            matches!(before, Some('.' | '[' | '\'' | '"'))
                && !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
    };
    (names_field("token") || names_field("url")).then_some(name)
}

/// The flags of this run that skip the wait, as the user would drop them.
fn not_waiting(args: &CreateArgs) -> String {
    let mut flags = Vec::new();
    match args.dry_run.mode {
        DryRun::Client => flags.push("--dry-run"),
        DryRun::Server => flags.push("--dry-run=server"),
        DryRun::None => {}
    }
    if args.no_wait {
        flags.push("--no-wait");
    }
    if args.wait.timeout.is_zero() {
        flags.push("--timeout 0");
    }
    flags.join(" and ")
}

/// The 409 on create, told with the existing request's expiry.
fn already_exists(existing: &TokenRequest, namespace: &str) -> Error {
    let expiry = match existing.expire_after() {
        Some(Ok(at)) if at < jiff::Timestamp::now() => format!(" (its token expired at {at})"),
        Some(Ok(at)) => format!(" (its token expires at {at})"),
        _ => " (it has no token yet)".to_string(),
    };
    Error::AlreadyExists {
        namespace: namespace.to_string(),
        name: existing.name().to_string(),
        expiry,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jsonpath(template: &str) -> OutputFormat {
        OutputFormat::JsonPath(crate::output::JsonPathTemplate::parse(template).unwrap())
    }

    #[test]
    fn templates_that_read_the_token_or_the_url_need_the_wait() {
        for template in [
            "{.status.token}",
            "{.status.url}",
            "{..token}",
            "{.status['token']}",
            "{.metadata.name} {.status.url}",
        ] {
            assert_eq!(
                credentials_named(&jsonpath(template)),
                Some("jsonpath"),
                "{template}"
            );
        }
        for template in [
            "{.metadata.name}",
            "{.status.state}",
            "{.status.tokens}",
            "{.metadata.annotations.url-host}",
        ] {
            assert_eq!(credentials_named(&jsonpath(template)), None, "{template}");
        }
        assert_eq!(credentials_named(&OutputFormat::Url), Some("url"));
        assert_eq!(credentials_named(&OutputFormat::Json), None);
    }
}
