//! `kubectl tokenrequest list`: page through the API (so memory stays flat however many
//! requests exist), print as the format asks, then optionally watch.

use futures::StreamExt;
use kube::Api;
use kube::api::{ListParams, WatchEvent, WatchParams};

use super::{Session, print};
use crate::cli::ListArgs;
use crate::client::Connection;
use crate::error::Error;
use crate::output::{self, ListOptions, OutputFormat};
use crate::tokenrequest::TokenRequest;
use crate::wait::is_transient;

pub async fn run(connection: &Connection, args: ListArgs, session: &Session) -> Result<(), Error> {
    let (api, scope): (Api<TokenRequest>, String) = if args.all_namespaces {
        (
            Api::all(connection.client.clone()),
            "all namespaces".to_string(),
        )
    } else {
        (
            Api::namespaced(connection.client.clone(), &connection.namespace),
            format!("namespace {}", connection.namespace),
        )
    };
    let format = args.output.clone().unwrap_or(OutputFormat::Human);
    let options = ListOptions {
        all_namespaces: args.all_namespaces,
        now: jiff::Timestamp::now(),
        color: session.color(),
    };
    // A format that cannot print a list is a usage error, found before any request.
    let output_error = |e: output::OutputError| match e {
        output::OutputError::NotForLists { .. } => Error::Usage(e.to_string()),
        e => Error::Output {
            context: "printing TokenRequests".to_string(),
            message: e.to_string(),
        },
    };
    let mut printer = output::list_printer(&format, options, Box::new(std::io::stdout().lock()))
        .map_err(output_error)?;

    let action = || format!("listing TokenRequests in {scope}");
    let mut params = ListParams::default().limit(args.chunk_size);
    if let Some(selector) = &args.selector {
        params = params.labels(selector);
    }
    let mut shown = 0usize;
    let resource_version = loop {
        let page = api
            .list(&params)
            .await
            .map_err(|e| Error::api(action(), e))?;
        for request in page
            .items
            .iter()
            .filter(|tr| !args.expired || tr.is_expired_at(options.now))
        {
            printer.item(request).map_err(output_error)?;
            shown += 1;
        }
        match page.metadata.continue_ {
            Some(token) if !token.is_empty() => params = params.continue_token(&token),
            _ => break page.metadata.resource_version.unwrap_or_default(),
        }
    };
    printer.finish().map_err(output_error)?;
    if shown == 0
        && let Some(message) =
            output::empty_message(&format, args.all_namespaces, &connection.namespace)
    {
        eprintln!("{message}");
    }
    if args.watch {
        watch(&api, &args, &format, &options, resource_version).await?;
    }
    Ok(())
}

/// Streams changes like `kubectl get -w`: resumes broken watches from the last
/// resourceVersion and, after a 410, starts again from a fresh list's version.
async fn watch(
    api: &Api<TokenRequest>,
    args: &ListArgs,
    format: &OutputFormat,
    options: &ListOptions,
    mut resource_version: String,
) -> Result<(), Error> {
    let mut header = output::watch_header(format, options);
    let mut params = WatchParams::default().timeout(290);
    if let Some(selector) = &args.selector {
        params = params.labels(selector);
    }
    loop {
        let stream = match api.watch(&params, &resource_version).await {
            Ok(stream) => stream,
            Err(error) if is_transient(&error) => {
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                continue;
            }
            Err(error) => return Err(Error::api("watching TokenRequests", error)),
        };
        futures::pin_mut!(stream);
        while let Some(event) = stream.next().await {
            let (kind, request) = match event {
                Ok(WatchEvent::Added(tr)) => ("ADDED", tr),
                Ok(WatchEvent::Modified(tr)) => ("MODIFIED", tr),
                Ok(WatchEvent::Deleted(tr)) => ("DELETED", tr),
                Ok(WatchEvent::Bookmark(bookmark)) => {
                    resource_version = bookmark.metadata.resource_version;
                    continue;
                }
                Ok(WatchEvent::Error(_expired)) => {
                    resource_version = fresh_resource_version(api).await?;
                    break;
                }
                Err(_broken) => break,
            };
            if let Some(rv) = &request.metadata.resource_version {
                resource_version = rv.clone();
            }
            if args.expired && !request.is_expired_at(jiff::Timestamp::now()) {
                continue;
            }
            let line =
                output::watch_line(kind, &request, format, options).map_err(|e| Error::Output {
                    context: "printing a watch event".to_string(),
                    message: e.to_string(),
                })?;
            if let Some(header) = header.take() {
                print(&header)?;
            }
            print(&line)?;
        }
    }
}

async fn fresh_resource_version(api: &Api<TokenRequest>) -> Result<String, Error> {
    let page = api
        .list(&ListParams::default().limit(1))
        .await
        .map_err(|e| Error::api("listing TokenRequests to resume the watch", e))?;
    Ok(page.metadata.resource_version.unwrap_or_default())
}
