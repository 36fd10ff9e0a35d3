//! `kubectl tokenrequest list`: page through the API (so memory stays flat however many
//! requests exist), print as the format asks, then optionally watch.

use futures::{StreamExt as _, TryStreamExt as _};

use crate::cli::ListArgs;
use crate::error::Error;
use crate::output::{self, ListOptions, OutputError, OutputFormat};
use crate::requests::{Connection, Requests};
use crate::terminal::{color, print};
use crate::tokenrequest::TokenRequest;

pub async fn run(connection: &Connection, args: ListArgs) -> Result<(), Error> {
    let requests = Requests::new_in(connection, args.all_namespaces);
    let format = args.output.clone().unwrap_or(OutputFormat::Human);
    let options = ListOptions {
        all_namespaces: args.all_namespaces,
        now: jiff::Timestamp::now(),
        color: color(),
    };
    let mut printer = output::list_printer(&format, options, Box::new(std::io::stdout().lock()))
        .map_err(printing)?;
    let params = Requests::list_params(args.chunks.limit(), args.selector.as_deref());
    // What the list showed, for the watch to compare its own lists with.
    let mut shown = Vec::new();
    let mut listed = 0usize;
    let items = requests.items(params);
    futures::pin_mut!(items);
    while let Some(request) = items.try_next().await? {
        if args.expired && !request.is_expired_at(options.now) {
            continue;
        }
        printer.item(&request).map_err(printing)?;
        listed += 1;
        if args.watch {
            shown.push(request);
        }
    }
    printer.finish().map_err(printing)?;
    if listed == 0
        && let Some(message) =
            output::empty_message(&format, args.all_namespaces, &connection.namespace)
    {
        eprintln!("{message}");
    }
    if args.watch {
        watch(&requests, &args, &format, &options, shown).await?;
    }
    Ok(())
}

/// Streams changes like `kubectl get -w`, including those that happened while the watch was
/// broken (kube's watcher relists after a 410; the requests layer compares).
async fn watch(
    requests: &Requests,
    args: &ListArgs,
    format: &OutputFormat,
    options: &ListOptions,
    shown: Vec<TokenRequest>,
) -> Result<(), Error> {
    let mut header = output::watch_header(format, options);
    let changes = requests.changes(args.selector.as_deref(), args.chunks.limit(), shown);
    futures::pin_mut!(changes);
    while let Some(change) = changes.next().await {
        let change = change?;
        let request = change.request();
        if args.expired && !request.is_expired_at(jiff::Timestamp::now()) {
            continue;
        }
        let line = output::watch_line(change.kind(), request, format, options)
            .map_err(|source| Error::output("printing a watch event".to_string(), source))?;
        if let Some(header) = header.take() {
            print(&header)?;
        }
        print(&line)?;
    }
    Ok(())
}

/// A format that cannot print a list never gets here (its parser refused it).
fn printing(source: OutputError) -> Error {
    Error::output("printing TokenRequests".to_string(), source)
}
