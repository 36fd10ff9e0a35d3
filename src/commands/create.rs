//! `kubectl tokenrequest create APP`: create the request, wait for the controller, print.

use tokio::time::Instant;

use crate::cli::{CreateArgs, DryRun, RequestOutput};
use crate::connector::call_timeout;
use crate::error::Error;
use crate::present::{render, show_request};
use crate::requests::{Connection, Created, Requests};
use crate::session::Session;
use crate::terminal::print;
use crate::text::quote_for_message;
use crate::tokenrequest::{ClusterContext, TokenRequest, validate_name};

pub async fn run(
    connection: &Connection,
    args: CreateArgs,
    session: &Session,
) -> Result<(), Error> {
    validate_name(&args.app).map_err(Error::InvalidInput)?;
    let context = cluster_context(args.tenant.as_deref(), args.group.as_deref())?;
    let output = args.output.clone().unwrap_or_default();
    let waits = args.dry_run.mode == DryRun::None && !args.no_wait && !args.wait.timeout.is_zero();
    let format = match &output {
        RequestOutput::Render(format) => format,
        RequestOutput::Config { .. } if !waits => {
            return Err(Error::Usage(
                "-o config fetches the configuration with the new request's token, so it needs \
                 a request that was created and has its token: drop --dry-run, --no-wait and \
                 --timeout 0"
                    .to_string(),
            ));
        }
        RequestOutput::Config { .. } => &crate::output::OutputFormat::Human,
    };
    let started = Instant::now();
    let requests = Requests::namespaced(connection);
    let namespace = requests.namespace().to_string();
    let request = Requests::new_request(&args.app, context);

    if args.dry_run.mode == DryRun::Client {
        let mut shown = request;
        shown.metadata.namespace = Some(namespace);
        return print(&render(&shown, format)?);
    }
    crate::applications::preflight(
        connection,
        &args.app,
        args.application.require_application,
        args.wait.timeout,
        session,
    )
    .await?;
    if args.refresh && args.dry_run.mode == DryRun::None {
        requests.delete_existing(&args.app).await?;
    }
    let deadline = (!args.wait.timeout.is_zero()).then(|| started + args.wait.timeout);
    let dry_run = args.dry_run.mode == DryRun::Server;
    let created = match requests.create_once(&request, dry_run, deadline).await? {
        Created::New(created) => created,
        Created::Existing(existing) => return Err(already_exists(&existing, &namespace)),
    };
    if request.context.is_some() && created.context.is_none() {
        eprintln!(
            "Warning: the cluster dropped context.tenant and context.group (the Kyma 2.x CRD \
             schema does not declare them), so the token is issued without tenant and group"
        );
    }
    if !waits {
        return print(&render(&created, format)?);
    }

    session.note_created(&namespace, &args.app);
    let left = args.wait.timeout.saturating_sub(started.elapsed());
    let ready = requests.wait_for_token(created, left).await;
    session.forget_created();
    show_request(
        &ready?,
        &output,
        &args.connector_tls,
        call_timeout(connection.request_timeout),
    )
    .await
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
            return Err(Error::InvalidInput(format!(
                "invalid {flag} {}: it must be non-empty and contain no control characters \
                 such as newlines",
                quote_for_message(value)
            )));
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
