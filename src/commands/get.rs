//! `kubectl tokenrequest get [NAME...]`: one NAME shows that request (optionally after
//! waiting for its status); several names, none, or `-A` print a list as `list` does, as
//! kubectl's `get` does.

use std::sync::Arc;

use futures::{TryStreamExt as _, stream};

use crate::cli::{GetArgs, RequestOutput};
use crate::connector::CallLimits;
use crate::error::Error;
use crate::listing::Listing;
use crate::output::{ListLayout, ListOptions, OutputFormat};
use crate::present::show_request;
use crate::progress::Progress;
use crate::requests::{Connection, Deadline, Requests, list_params};
use crate::terminal::color;
use crate::tokenrequest::{TokenRequest, validate_name};

/// `deadline`: `--timeout` with `--wait` (`--wait --timeout 0` waits for nothing: a plain get).
pub async fn run(connection: &Connection, args: GetArgs, deadline: Deadline) -> Result<(), Error> {
    // A name no request can have is refused before it reaches a URL.
    for name in &args.names {
        validate_name(name).map_err(Error::InvalidName)?;
    }
    let output = match args.output.clone().unwrap_or_default() {
        RequestOutput::Render(format) => RequestOutput::Render(args.template.apply(format)),
        config => config,
    };
    // kubectl's table flags ask for a table, even of one request (its one row).
    let table = &args.table;
    let table_flags = table.no_headers
        || table.show_labels
        || !table.label_columns.is_empty()
        || table.sort_by.is_some();
    let format = match (output, args.names.as_slice()) {
        // A custom-columns table, even of one request.
        (RequestOutput::Render(format @ OutputFormat::CustomColumns(_)), _) => format,
        (RequestOutput::Render(format @ (OutputFormat::Human | OutputFormat::Wide)), [_])
            if table_flags =>
        {
            format
        }
        (output, [name]) => return show_one(connection, &args, name, &output, deadline).await,
        (RequestOutput::Render(format), _) => match format.single_request_only() {
            Some(name) => return Err(Error::Usage(one_name_only(&format!("-o {name}")))),
            None => format,
        },
        (RequestOutput::Config { .. }, _) => return Err(Error::Usage(one_name_only("-o config"))),
    };
    if args.wait && args.names.len() != 1 {
        return Err(Error::Usage(one_name_only("--wait")));
    }
    let listing = Listing {
        options: ListOptions {
            all_namespaces: args.all_namespaces,
            now: jiff::Timestamp::now(),
            color: color() && format.is_table(),
        },
        layout: ListLayout {
            no_headers: args.table.no_headers,
            show_labels: args.table.show_labels,
            label_columns: args.table.label_columns.clone(),
            watch_events: false,
        },
        sort_by: args.table.sort_by.clone(),
        page_size: args.chunks.limit(),
        format,
    };
    let requests = Requests::new(connection);
    if args.names.is_empty() {
        let params = list_params(
            args.chunks.limit(),
            args.select.selector.as_deref(),
            args.select.field_selector.as_deref(),
        );
        let items = requests
            .scoped(args.all_namespaces)
            .items(params)
            .map_err(Error::from);
        if listing.print(items, |_| true).await? == 0 {
            listing.say_none_found(connection.namespace());
        }
        return Ok(());
    }
    // Each name in the order given; the missing ones are reported after the rest is printed,
    // as kubectl does.
    let mut found = Vec::new();
    let mut failures = Vec::new();
    for name in &args.names {
        match read(&requests, name, deadline).await {
            // `get NAME --wait -o custom-columns=…`: the one request, once it has its status.
            Ok(request) if waits(&args) => {
                let waited = requests.wait_for_token(request, deadline);
                found.push(Ok(waited.await?));
            }
            Ok(request) => found.push(Ok(request)),
            Err(failure) => failures.push(failure),
        }
    }
    listing.print(stream::iter(found), |_| true).await?;
    let last = failures.pop();
    for failure in failures {
        eprintln!("error: {failure}");
    }
    last.map_or(Ok(()), Err)
}

/// One request, as `create` shows it: a summary, a rendering or the connection configuration.
async fn show_one(
    connection: &Connection,
    args: &GetArgs,
    name: &str,
    output: &RequestOutput,
    deadline: Deadline,
) -> Result<(), Error> {
    let progress = Arc::new(Progress::spinner(format!(
        "getting TokenRequest {}/{name}",
        connection.namespace()
    )));
    let requests = Requests::new(&connection.observed_by(progress.clone()));
    let request = read(&requests, name, deadline).await?;
    let request = if waits(args) {
        requests.wait_for_token(request, deadline).await?
    } else {
        request
    };
    progress.finish();
    let limits = CallLimits::new(connection.request_timeout(), deadline.at());
    show_request(&request, output, &args.connector_tls, limits).await
}

/// `--wait`, unless `--timeout 0` says to wait for nothing.
fn waits(args: &GetArgs) -> bool {
    args.wait && !args.wait_args.timeout.is_zero()
}

async fn read(requests: &Requests, name: &str, deadline: Deadline) -> Result<TokenRequest, Error> {
    requests
        .get(name, deadline)
        .await?
        .ok_or_else(|| Error::NoSuchRequest {
            namespace: requests.namespace().to_string(),
            name: name.to_string(),
        })
}

fn one_name_only(what: &str) -> String {
    format!("{what} shows one request: give exactly one NAME")
}
