//! `kubectl tokenrequest create APP`: create the request (with `-l` labels), wait for the
//! controller, print.

use std::sync::Arc;

use crate::cli::{CreateArgs, DryRun, RequestOutput};
use crate::connector::CallLimits;
use crate::error::Error;
use crate::output::OutputFormat;
use crate::present::{render_unwaited, show_request};
use crate::progress::Progress;
use crate::requests::{Connection, Created, Deadline, Requests};
use crate::session::Session;
use crate::terminal::print;
use crate::tokenrequest::{ClusterContext, TokenRequest, validate_name};

pub async fn run(
    connection: &Connection,
    args: CreateArgs,
    deadline: Deadline,
    session: &Session,
) -> Result<(), Error> {
    validate_name(&args.app).map_err(Error::InvalidName)?;
    let context = cluster_context(args.tenant.as_deref(), args.group.as_deref())?;
    let output = match args.output.clone().unwrap_or_default() {
        RequestOutput::Render(format) => RequestOutput::Render(args.template.apply(format)),
        config => config,
    };
    let waits = args.dry_run.mode == DryRun::None && !args.no_wait && !args.wait.timeout.is_zero();
    let format = match &output {
        RequestOutput::Render(format) => match credentials_named(format) {
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
    let format = &format;
    let progress = Arc::new(Progress::spinner(format!(
        "creating TokenRequest {}/{}",
        connection.namespace(),
        args.app
    )));
    let requests = Requests::new(&connection.observed_by(progress.clone()));
    let namespace = requests.namespace().to_string();
    let mut request = Requests::new_request(&args.app, context);
    let labels = args.labels.merged().map_err(Error::Usage)?;
    if !labels.is_empty() {
        request.metadata.labels = Some(labels);
    }

    if args.dry_run.mode == DryRun::Client {
        let mut shown = request;
        shown.metadata.namespace = Some(namespace);
        return print(&render_unwaited(&shown, format, DryRun::Client)?);
    }
    crate::applications::preflight(
        connection,
        &args.app,
        args.application.require_application,
        deadline,
        session,
    )
    .await?;
    let dry_run = args.dry_run.mode == DryRun::Server;
    if args.refresh {
        requests
            .delete_existing(&args.app, deadline, dry_run)
            .await?;
    }
    let created = match requests.create_once(&request, dry_run, deadline).await? {
        Created::New(created) => created,
        // A server dry run of --refresh kept the request it would have replaced: the create
        // it checks meets that one, as the real run's would not.
        Created::Existing(_) if args.refresh && dry_run => {
            let mut shown = request.clone();
            shown.metadata.namespace = Some(namespace.clone());
            shown
        }
        Created::Existing(existing) => return Err(already_exists(&existing, &namespace)),
    };
    if request.context.is_some() && created.context.is_none() {
        eprintln!(
            "Warning: the cluster dropped context.tenant and context.group (the Kyma 2.x CRD \
             schema does not declare them), so the token is issued without tenant and group"
        );
    }
    if !waits {
        progress.finish();
        let printed = print(&render_unwaited(&created, format, args.dry_run.mode)?);
        // A server dry run stored nothing: only a real create leaves a request behind.
        return match args.dry_run.mode {
            DryRun::None => printed.map_err(|e| e.after_created(&namespace, &args.app)),
            _ => printed,
        };
    }

    session.note_created(&namespace, &args.app);
    let ready = requests.wait_for_token(created, deadline).await;
    session.forget_created();
    progress.finish();
    let limits = CallLimits::new(connection.request_timeout(), deadline.at());
    show_request(&ready?, &output, &args.connector_tls, limits)
        .await
        .map_err(|e| e.after_created(&namespace, &args.app))
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
