//! `kubectl tokenrequest get NAME`: show one request, optionally after waiting for its status.

use super::{namespaced_api, print_request};
use crate::cli::GetArgs;
use crate::client::Connection;
use crate::error::Error;
use crate::output::OutputFormat;
use crate::tokenrequest::validate_name;
use crate::wait::{get_retrying, wait_for_token};

pub async fn run(connection: &Connection, args: GetArgs) -> Result<(), Error> {
    // A name no request can have is refused before it reaches a URL.
    validate_name(&args.name).map_err(Error::InvalidInput)?;
    let api = namespaced_api(connection);
    let namespace = &connection.namespace;
    let action = || format!("getting TokenRequest {namespace}/{}", args.name);
    let request = get_retrying(&api, &args.name)
        .await
        .map_err(|e| Error::api(action(), e))?
        .ok_or_else(|| {
            Error::InvalidInput(format!(
                "{}: not found; `kubectl tokenrequest list` shows the requests in the namespace, \
                 `kubectl tokenrequest create {}` makes one",
                action(),
                args.name
            ))
        })?;
    let request = if args.wait {
        wait_for_token(&api, request, args.wait_args.timeout).await?
    } else {
        request
    };
    print_request(
        &request,
        &args.output.unwrap_or(OutputFormat::Human),
        &args.connector_tls,
    )
    .await
}
