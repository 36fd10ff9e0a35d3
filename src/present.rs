//! What `create` and `get NAME` print for one request: a rendering, or with `-o config` the
//! connection configuration fetched from the Connector Service (which uses the token up).

use std::time::Duration;

use crate::cli::{ConnectorTlsArgs, RequestOutput};
use crate::connector::{self, redact};
use crate::error::Error;
use crate::output::{self, OutputFormat};
use crate::terminal::print;
use crate::tokenrequest::TokenRequest;

/// Prints one request as `output` asks.
pub async fn show_request(
    request: &TokenRequest,
    output: &RequestOutput,
    tls: &ConnectorTlsArgs,
    call_timeout: Duration,
) -> Result<(), Error> {
    match output {
        RequestOutput::Render(format) => print(&render(request, format)?),
        RequestOutput::Config { json } => {
            show_configuration(request, *json, tls, call_timeout).await
        }
    }
}

/// One request in `format`, for stdout.
pub fn render(request: &TokenRequest, format: &OutputFormat) -> Result<String, Error> {
    output::render_one(request, format, jiff::Timestamp::now()).map_err(|source| {
        Error::output(format!("printing TokenRequest {}", request.name()), source)
    })
}

async fn show_configuration(
    request: &TokenRequest,
    json: bool,
    tls: &ConnectorTlsArgs,
    call_timeout: Duration,
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
    let configuration = connector::fetch_configuration(url, &tls.tls(), call_timeout)
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
