//! `kubectl tokenrequest get [NAME...]`: one NAME shows that request (optionally after
//! waiting for its status); several names, none, or `-A` print a list as `list` does, as
//! kubectl's `get` does.

use futures::stream;

use crate::cli::{GetArgs, RequestOutput};
use crate::connector::call_timeout;
use crate::error::Error;
use crate::listing::Listing;
use crate::output::{ListLayout, ListOptions, OutputFormat};
use crate::present::show_request;
use crate::requests::{Connection, Requests};
use crate::terminal::color;
use crate::tokenrequest::{TokenRequest, validate_name};

pub async fn run(connection: &Connection, args: GetArgs) -> Result<(), Error> {
    // A name no request can have is refused before it reaches a URL.
    for name in &args.names {
        validate_name(name).map_err(Error::InvalidInput)?;
    }
    let output = match args.output.clone().unwrap_or_default() {
        RequestOutput::Render(format) => RequestOutput::Render(args.template.apply(format)),
        config => config,
    };
    let format = match (output, args.names.as_slice()) {
        // A custom-columns table, even of one request.
        (RequestOutput::Render(format @ OutputFormat::CustomColumns(_)), _) => format,
        (output, [name]) => return show_one(connection, &args, name, &output).await,
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
    let requests = Requests::new_in(connection, args.all_namespaces);
    if args.names.is_empty() {
        let params = Requests::selected_params(
            args.chunks.limit(),
            args.select.selector.as_deref(),
            args.select.field_selector.as_deref(),
        );
        if listing.print(requests.items(params), |_| true).await? == 0 {
            listing.say_none_found(&connection.namespace);
        }
        return Ok(());
    }
    // Each name in the order given; the missing ones are reported after the rest is printed,
    // as kubectl does.
    let mut found = Vec::new();
    let mut failures = Vec::new();
    for name in &args.names {
        match read(&requests, name).await {
            // `get NAME --wait -o custom-columns=…`: the one request, once it has its status.
            Ok(request) if args.wait => {
                let waited = requests.wait_for_token(request, args.wait_args.timeout);
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
) -> Result<(), Error> {
    let requests = Requests::namespaced(connection);
    let request = read(&requests, name).await?;
    let request = if args.wait {
        requests
            .wait_for_token(request, args.wait_args.timeout)
            .await?
    } else {
        request
    };
    show_request(
        &request,
        output,
        &args.connector_tls,
        call_timeout(connection.request_timeout()),
    )
    .await
}

async fn read(requests: &Requests, name: &str) -> Result<TokenRequest, Error> {
    let namespace = requests.namespace();
    let action = || format!("getting TokenRequest {namespace}/{name}");
    requests
        .get(name, None)
        .await
        .map_err(|e| requests.fail(action(), e))?
        .ok_or_else(|| {
            Error::InvalidInput(format!(
                "{}: not found; `kubectl tokenrequest list` shows the requests in the namespace, \
                 `kubectl tokenrequest create {name}` makes one",
                action(),
            ))
        })
}

fn one_name_only(what: &str) -> String {
    format!("{what} shows one request: give exactly one NAME")
}
