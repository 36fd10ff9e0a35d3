//! What `create` and `get NAME` print for one request: a rendering, or with `-o config` the
//! connection configuration fetched from the Connector Service (which uses the token up).

use std::io::IsTerminal as _;

use crate::cli::{ConnectorTlsArgs, DryRun, RequestOutput};
use crate::connector::{self, CallLimits, redact};
use crate::error::Error;
use crate::output::{self, ItemResult, Made, OutputFormat, UrlView};
use crate::requests::RequestError;
use crate::terminal::print;
use crate::tokenrequest::{Phase, RESOURCE_NAME, TokenRequest};

/// What a command that changes something printed: its prose by default, or, with `-o
/// json|yaml|…`, the results a script reads.
pub fn outcome(
    output: Option<&OutputFormat>,
    prose: &str,
    results: &[ItemResult],
    made: Made,
) -> Result<(), Error> {
    match output {
        None => print(prose),
        Some(format) => print_results(results, made, format, false),
    }
}

/// Prints `results` in `format` (`color`: the summary table's).
pub fn print_results(
    results: &[ItemResult],
    made: Made,
    format: &OutputFormat,
    color: bool,
) -> Result<(), Error> {
    let text = output::render_results(results, made, format, color)
        .map_err(|source| Error::output("printing the results", source))?;
    print(&text)
}

/// Prints one request as `output` asks.
pub async fn show_request(
    request: &TokenRequest,
    output: &RequestOutput,
    tls: &ConnectorTlsArgs,
    limits: CallLimits,
) -> Result<(), Error> {
    let credentials = match output {
        RequestOutput::Render(format) => format.single_request_only().is_some(),
        RequestOutput::Config { .. } => true,
    };
    // The controller gave up on this request: that is its error (exit 3), whether the wait
    // saw it happen (create, get --wait) or it had happened before (get).
    if credentials && request.phase() == Phase::Failed {
        return Err(Error::Request(RequestError::ControllerError {
            namespace: request.namespace().to_string(),
            name: request.name().to_string(),
            state: request.phase().label().to_string(),
        }));
    }
    match output {
        RequestOutput::Render(format) => print(&render(request, format)?),
        RequestOutput::Config { json } => show_configuration(request, *json, tls, limits).await,
    }
}

/// One request in `format`, for stdout. The human view shows the URL with its token only on a
/// terminal: a CI job's log gets it masked.
pub fn render(request: &TokenRequest, format: &OutputFormat) -> Result<String, Error> {
    let url = if std::io::stdout().is_terminal() {
        UrlView::Whole
    } else {
        UrlView::Masked
    };
    let now = jiff::Timestamp::now();
    let text = output::render_one(request, format, now, url).map_err(|source| {
        Error::output(format!("printing TokenRequest {}", request.name()), source)
    })?;
    // The view's notes and hints go to stderr: `out=$(kubectl tokenrequest create app)`
    // keeps the data alone.
    if matches!(format, OutputFormat::Human | OutputFormat::Wide) {
        for note in output::describe_notes(request, now, url) {
            eprintln!("{note}");
        }
    }
    Ok(text)
}

/// What `create` prints when it does not wait: the default view of a dry run is kubectl's
/// line (`TYPE/NAME created (dry run)`); anything else is the rendering asked for.
pub fn render_unwaited(
    request: &TokenRequest,
    format: &OutputFormat,
    mode: DryRun,
) -> Result<String, Error> {
    let suffix = match mode {
        DryRun::Client => " (dry run)",
        DryRun::Server => " (server dry run)",
        DryRun::None => return render(request, format),
    };
    match format {
        OutputFormat::Human | OutputFormat::Wide => Ok(format!(
            "{RESOURCE_NAME}/{} created{suffix}\n",
            request.name()
        )),
        _ => render(request, format),
    }
}

async fn show_configuration(
    request: &TokenRequest,
    json: bool,
    tls: &ConnectorTlsArgs,
    limits: CallLimits,
) -> Result<(), Error> {
    let (namespace, name) = (request.namespace(), request.name());
    let url = request
        .usable_at(jiff::Timestamp::now())
        .map_err(|source| {
            Error::not_usable("fetching the connection configuration", request, source)
        })?
        .url;
    let refresh_hint = format!(
        "Request a fresh one with: kubectl tokenrequest create {name} -n {namespace} --refresh -o config"
    );
    let action = format!("fetching the connection configuration from {}", redact(url));
    let configuration = connector::fetch_configuration(url, &tls.tls(), limits)
        .await
        .map_err(|e| Error::connector(action, e, &refresh_hint))?;
    let text = output::render_connection_config(&configuration, json).map_err(|source| {
        Error::output(
            format!("printing the connection configuration of {name}"),
            source,
        )
    })?;
    print(&text)?;
    eprintln!(
        "Note: fetching the configuration used up the token of TokenRequest {namespace}/{name}. \
         The csrUrl carries a new token, good for one certificate request within 5 minutes; \
         `kubectl tokenrequest connect {name}` does all of it for you"
    );
    Ok(())
}
