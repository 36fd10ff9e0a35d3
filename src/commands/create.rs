//! `kubectl tokenrequest create APP`: create the request, wait for the controller, print.

use std::time::Duration;

use kube::Api;
use kube::api::{DeleteParams, PostParams, Preconditions};

use super::{Session, namespaced_api, print, print_request};
use crate::cli::{CreateArgs, DryRun};
use crate::client::Connection;
use crate::error::{Error, status_of};
use crate::output::{self, OutputFormat};
use crate::tokenrequest::{
    CONTROLLER_NAME, ClusterContext, TokenRequest, quote_for_message, validate_name,
};
use crate::wait::{Progress, wait_for_token};

/// The field manager recorded on objects this plugin writes.
pub const FIELD_MANAGER: &str = "kubectl-tokenrequest";

pub async fn run(
    connection: &Connection,
    args: CreateArgs,
    session: &Session,
) -> Result<(), Error> {
    validate_name(&args.app).map_err(Error::InvalidInput)?;
    let context = cluster_context(args.tenant.as_deref(), args.group.as_deref())?;
    let format = args.output.clone().unwrap_or(OutputFormat::Human);
    if format.is_connection_config()
        && (args.dry_run.mode != DryRun::None || args.no_wait || args.wait.timeout.is_zero())
    {
        return Err(Error::Usage(
            "-o config fetches the configuration with the new request's token, so it needs a \
             request that was created and has its token: drop --dry-run, --no-wait and \
             --timeout 0"
                .to_string(),
        ));
    }
    let namespace = connection.namespace.as_str();
    let request = TokenRequest::new(&args.app, context);

    if args.dry_run.mode == DryRun::Client {
        let mut shown = request;
        shown.metadata.namespace = Some(namespace.to_string());
        return print(&render(&shown, &format)?);
    }

    let api = namespaced_api(connection);
    if args.refresh && args.dry_run.mode == DryRun::None {
        delete_existing(&api, namespace, &args.app).await?;
    }
    let params = PostParams {
        dry_run: args.dry_run.mode == DryRun::Server,
        field_manager: Some(FIELD_MANAGER.to_string()),
    };
    let created = match api.create(&params, &request).await {
        Ok(created) => created,
        Err(error) if status_of(&error).is_some_and(|s| s.code == 409) => {
            return Err(already_exists(&api, namespace, &args.app).await);
        }
        Err(error) => {
            return Err(Error::api(
                format!("creating TokenRequest {namespace}/{}", args.app),
                error,
            ));
        }
    };
    if request.context.is_some() && created.context.is_none() {
        eprintln!(
            "Warning: the cluster dropped context.tenant and context.group (the Kyma 2.x CRD \
             schema does not declare them), so the token is issued without tenant and group"
        );
    }
    if args.dry_run.mode == DryRun::Server || args.no_wait || args.wait.timeout == Duration::ZERO {
        return print(&render(&created, &format)?);
    }

    session.note_created(namespace, &args.app);
    let progress = Progress::new(format!(
        "waiting for {CONTROLLER_NAME} to answer {namespace}/{}",
        args.app
    ));
    let ready = wait_for_token(&api, created, args.wait.timeout, &progress).await;
    progress.finish();
    session.forget_created();
    print_request(&ready?, &format, &args.connector_tls).await
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

/// `--refresh`: delete the existing request, but only the one we looked at (uid
/// precondition), so a request someone else just recreated survives.
pub(super) async fn delete_existing(
    api: &Api<TokenRequest>,
    namespace: &str,
    name: &str,
) -> Result<(), Error> {
    let action = || format!("deleting the existing TokenRequest {namespace}/{name} for --refresh");
    let Some(existing) = api
        .get_opt(name)
        .await
        .map_err(|e| Error::api(action(), e))?
    else {
        return Ok(());
    };
    let params = DeleteParams {
        preconditions: Some(Preconditions {
            uid: existing.metadata.uid.clone(),
            resource_version: None,
        }),
        ..DeleteParams::default()
    };
    match api.delete(name, &params).await {
        Ok(_) => Ok(()),
        Err(error) if status_of(&error).is_some_and(|s| s.code == 404) => Ok(()),
        Err(error) if status_of(&error).is_some_and(|s| s.code == 409) => {
            Err(Error::InvalidInput(format!(
                "{}: it was replaced by someone else meanwhile; run the command again",
                action()
            )))
        }
        Err(error) => Err(Error::api(action(), error)),
    }
}

/// The 409 on create, told with the existing request's expiry.
async fn already_exists(api: &Api<TokenRequest>, namespace: &str, name: &str) -> Error {
    let expiry = match api.get_opt(name).await {
        Ok(Some(existing)) => match existing.expire_after() {
            Some(Ok(at)) if at < jiff::Timestamp::now() => format!(" (its token expired at {at})"),
            Some(Ok(at)) => format!(" (its token expires at {at})"),
            _ => " (it has no token yet)".to_string(),
        },
        _ => String::new(),
    };
    Error::AlreadyExists {
        namespace: namespace.to_string(),
        name: name.to_string(),
        expiry,
    }
}

pub(super) fn render(request: &TokenRequest, format: &OutputFormat) -> Result<String, Error> {
    output::render_one(request, format, jiff::Timestamp::now()).map_err(|e| Error::Output {
        context: format!("printing TokenRequest {}", request.name()),
        message: e.to_string(),
    })
}
