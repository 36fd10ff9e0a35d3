//! `kubectl tokenrequest create APP`: create the request, wait for the controller, print.
//!
//! Retries, and why they are safe:
//! - kube's client (`RetryPolicy::server_retry`, on by default) resends any request, POST
//!   included, that got 429, 503 or 504, up to 15 times, waiting `Retry-After`. 429 and 503
//!   mean the API server did not carry the request out; a 504 may come after the create was
//!   stored, and the resend then meets 409 AlreadyExists.
//! - Every create carries a random [`CREATE_ID_ANNOTATION`], so a 409, or an object found after
//!   an answer that got lost, is recognised as this run's own request and used, never reported
//!   as someone else's and never created twice (the name is fixed, so a second object cannot
//!   exist; a second *attempt* is what needs care).
//! - Here, a create whose answer may hide success (another 5xx, a broken connection, no answer
//!   in time) is checked with a GET before it is sent again; a 429 or 503 that kube gave up on
//!   is sent again after a pause. The whole create, wait included, ends at `--timeout`.

use std::time::Duration;

use kube::Api;
use kube::api::{DeleteParams, PostParams, Preconditions};
use tokio::time::Instant;

use super::{Session, namespaced_api, print, print_request, render_request};
use crate::cli::{CreateArgs, DryRun};
use crate::client::Connection;
use crate::error::{Error, status_of};
use crate::output::OutputFormat;
use crate::tokenrequest::{ClusterContext, TokenRequest, quote_for_message, validate_name};
use crate::wait::{Backoff, get_retrying, is_transient, wait_for_token};

/// The field manager recorded on objects this plugin writes.
pub const FIELD_MANAGER: &str = "kubectl-tokenrequest";

/// Set on every request the plugin creates, with a value unique to the run: lets a run tell
/// its own request (whose create answer got lost) from someone else's.
pub const CREATE_ID_ANNOTATION: &str = "kubectl-tokenrequest/create-id";

/// Sends of one create (and looks after an unclear answer) before giving up.
const CREATE_ATTEMPTS: u32 = 5;

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
    let started = Instant::now();
    let namespace = connection.namespace.as_str();
    let request = identified_request(&args.app, context);

    if args.dry_run.mode == DryRun::Client {
        let mut shown = request;
        shown.metadata.namespace = Some(namespace.to_string());
        return print(&render_request(&shown, &format)?);
    }

    let api = namespaced_api(connection);
    if args.refresh && args.dry_run.mode == DryRun::None {
        delete_existing(&api, namespace, &args.app).await?;
    }
    let params = PostParams {
        dry_run: args.dry_run.mode == DryRun::Server,
        field_manager: Some(FIELD_MANAGER.to_string()),
    };
    let deadline = (!args.wait.timeout.is_zero()).then(|| started + args.wait.timeout);
    let created = create_once(&api, &params, &request, namespace, deadline).await?;
    if request.context.is_some() && created.context.is_none() {
        eprintln!(
            "Warning: the cluster dropped context.tenant and context.group (the Kyma 2.x CRD \
             schema does not declare them), so the token is issued without tenant and group"
        );
    }
    if args.dry_run.mode == DryRun::Server || args.no_wait || args.wait.timeout == Duration::ZERO {
        return print(&render_request(&created, &format)?);
    }

    session.note_created(namespace, &args.app);
    let left = args.wait.timeout.saturating_sub(started.elapsed());
    let ready = wait_for_token(&api, created, left).await;
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
    let Some(existing) = get_retrying(api, name)
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
    // Safe to resend: the uid precondition keeps a second delete off any newer object, and a
    // delete that got through answers 404 the second time.
    let mut backoff = Backoff::default();
    let mut attempt = 1;
    let result = loop {
        match api.delete(name, &params).await {
            Err(error) if is_transient(&error) && attempt < CREATE_ATTEMPTS => {
                tracing::info!(%error, name, "delete for --refresh failed; sending it again");
                attempt += 1;
                backoff.wait().await;
            }
            result => break result,
        }
    };
    match result {
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

/// The object to create, with this run's [`CREATE_ID_ANNOTATION`] for [`create_once`].
pub(super) fn identified_request(name: &str, context: Option<ClusterContext>) -> TokenRequest {
    let mut request = TokenRequest::new(name, context);
    request
        .metadata
        .annotations
        .get_or_insert_default()
        .insert(CREATE_ID_ANNOTATION.to_string(), create_id());
    request
}

/// Creates `request` (which carries its [`CREATE_ID_ANNOTATION`]) exactly once: answers that
/// may hide a stored object are checked with a GET before the create is sent again, and an
/// object of that name that carries this run's id is taken as the created one. Bounded by
/// `deadline` when there is one.
pub async fn create_once(
    api: &Api<TokenRequest>,
    params: &PostParams,
    request: &TokenRequest,
    namespace: &str,
    deadline: Option<Instant>,
) -> Result<TokenRequest, Error> {
    let name = request.name();
    let action = || format!("creating TokenRequest {namespace}/{name}");
    let check_action = || {
        format!(
            "checking whether TokenRequest {namespace}/{name} was created (the create got no \
             clear answer)"
        )
    };
    let mut last_failure = None;
    let attempts = async {
        let mut backoff = Backoff::default();
        for attempt in 1..=CREATE_ATTEMPTS {
            let error = match api.create(params, request).await {
                Ok(created) => return Ok(created),
                Err(error) => error,
            };
            let conflict = status_of(&error).is_some_and(|s| s.code == 409);
            if !conflict && (!is_transient(&error) || attempt == CREATE_ATTEMPTS) {
                return Err(Error::api(action(), error));
            }
            last_failure = Some(crate::error::error_chain(&error));
            if conflict || (may_have_been_stored(&error) && !params.dry_run) {
                tracing::info!(%error, name, "checking whether the create went through before sending it again");
                match get_retrying(api, name).await {
                    Ok(Some(existing)) if is_own(&existing, request) => return Ok(existing),
                    Ok(Some(existing)) if conflict || !params.dry_run => {
                        return Err(already_exists(&existing, namespace, name));
                    }
                    // Gone again since the 409, or never stored: send it again.
                    Ok(_) => {}
                    Err(error) => return Err(Error::api(check_action(), error)),
                }
            }
            tracing::info!(attempt, name, "sending the create again");
            backoff.wait().await;
        }
        // Only reachable when 409 and "not found" kept alternating.
        Err(Error::InvalidInput(format!(
            "{}: another client keeps creating and deleting a request of that name; run the \
             command again",
            action()
        )))
    };
    let Some(deadline) = deadline else {
        return attempts.await;
    };
    match tokio::time::timeout_at(deadline, attempts).await {
        Ok(result) => result,
        Err(_elapsed) => Err(Error::CreateTimedOut {
            namespace: namespace.to_string(),
            name: name.to_string(),
            last_failure: last_failure
                .map(|failure| format!(" (last answer: {failure})"))
                .unwrap_or_default(),
        }),
    }
}

/// 5xx answers other than 503 and failures without an answer: the create may have been stored.
/// (429 and 503 mean the API server turned the request away before carrying it out.)
fn may_have_been_stored(error: &kube::Error) -> bool {
    match status_of(error) {
        Some(status) => status.code >= 500 && status.code != 503,
        None => true,
    }
}

fn is_own(existing: &TokenRequest, request: &TokenRequest) -> bool {
    let id = |object: &TokenRequest| {
        object
            .metadata
            .annotations
            .as_ref()
            .and_then(|annotations| annotations.get(CREATE_ID_ANNOTATION).cloned())
    };
    id(request).is_some() && id(existing) == id(request)
}

/// A value for [`CREATE_ID_ANNOTATION`]: unique per run (std's per-process random hash keys,
/// the process id and the time), not secret.
fn create_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    hasher.write_u128(now.as_nanos());
    format!("{:016x}", hasher.finish())
}

/// The 409 on create, told with the existing request's expiry.
fn already_exists(existing: &TokenRequest, namespace: &str, name: &str) -> Error {
    let expiry = match existing.expire_after() {
        Some(Ok(at)) if at < jiff::Timestamp::now() => format!(" (its token expired at {at})"),
        Some(Ok(at)) => format!(" (its token expires at {at})"),
        _ => " (it has no token yet)".to_string(),
    };
    Error::AlreadyExists {
        namespace: namespace.to_string(),
        name: name.to_string(),
        expiry,
    }
}
