//! `kubectl tokenrequest list`: page through the API (so memory stays flat however many
//! requests exist, unless `--sort-by` needs them all), print as the format asks, then
//! optionally watch.

use std::time::Duration;

use futures::{StreamExt as _, TryStreamExt as _};

use crate::cli::ListArgs;
use crate::error::Error;
use crate::listing::{Listing, printing};
use crate::output::{ListLayout, ListOptions, OutputFormat, WatchPrinter};
use crate::requests::{Connection, Requests, list_params};
use crate::terminal::{color, print};
use crate::tokenrequest::TokenRequest;

pub async fn run(connection: &Connection, args: ListArgs) -> Result<(), Error> {
    let requests = Requests::new(connection).scoped(args.all_namespaces);
    let format = args
        .template
        .apply(args.output.clone().unwrap_or(OutputFormat::Human));
    let now = jiff::Timestamp::now();
    let listing = Listing {
        options: ListOptions {
            all_namespaces: args.all_namespaces,
            now,
            color: color() && format.is_table(),
        },
        layout: ListLayout {
            no_headers: args.table.no_headers,
            show_labels: args.table.show_labels,
            label_columns: args.table.label_columns.clone(),
            watch_events: args.output_watch_events,
        },
        sort_by: args.table.sort_by.clone(),
        page_size: args.chunks.limit(),
        format,
    };
    let (labels, fields) = (
        args.select.selector.as_deref(),
        args.select.field_selector.as_deref(),
    );
    let params = list_params(args.chunks.limit(), labels, fields);
    let expired = args.expired;
    let keep = move |request: &TokenRequest| !expired || request.is_expired_at(now);
    if !(args.watch || args.watch_only) {
        let items = requests.items(params).map_err(Error::from);
        let printed = listing.print(items, keep).await?;
        if printed == 0 {
            listing.say_none_found(connection.namespace());
        }
        return Ok(());
    }

    // What there is, for the watch to compare its own lists with (and, unless --watch-only,
    // to print first under the one header).
    let mut shown: Vec<TokenRequest> = requests
        .items(params)
        .map_err(Error::from)
        .try_filter(|request| std::future::ready(keep(request)))
        .try_collect()
        .await?;
    if let Some(sort_by) = &listing.sort_by {
        sort_by.sort(&mut shown).map_err(printing)?;
    }
    let mut printer = WatchPrinter::new(&listing.format, listing.options, listing.layout.clone())
        .map_err(printing)?;
    if !args.watch_only {
        print(&printer.initial(&shown).map_err(printing)?)?;
    }
    let changes = requests.changes(labels, fields, args.chunks.limit(), shown);
    let watch = async {
        futures::pin_mut!(changes);
        while let Some(change) = changes.next().await {
            let change = change?;
            let (request, now) = (change.request(), jiff::Timestamp::now());
            if args.expired && !request.is_expired_at(now) {
                continue;
            }
            let text = printer
                .event(change.kind(), request, now)
                .map_err(|source| Error::output("printing a watch event", source))?;
            print(&text)?;
        }
        Ok(())
    };
    within_request_timeout(connection.request_timeout(), watch).await
}

/// kubectl's `--request-timeout` bounds a watch as it bounds any request: when it runs out
/// the watch ends, and that is success (exit 0). `0` watches until interrupted.
async fn within_request_timeout(
    limit: Duration,
    watch: impl Future<Output = Result<(), Error>>,
) -> Result<(), Error> {
    if limit.is_zero() {
        return watch.await;
    }
    tokio::time::timeout(limit, watch).await.unwrap_or(Ok(()))
}
