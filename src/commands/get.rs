//! `kubectl tokenrequest get NAME`: show one request, optionally after waiting for its status.

use crate::cli::GetArgs;
use crate::connector::call_timeout;
use crate::error::Error;
use crate::present::show_request;
use crate::requests::{Connection, Requests};
use crate::tokenrequest::validate_name;

pub async fn run(connection: &Connection, args: GetArgs) -> Result<(), Error> {
    // A name no request can have is refused before it reaches a URL.
    validate_name(&args.name).map_err(Error::InvalidInput)?;
    let requests = Requests::namespaced(connection);
    let namespace = requests.namespace();
    let action = || format!("getting TokenRequest {namespace}/{}", args.name);
    let request = requests
        .get(&args.name, None)
        .await
        .map_err(|e| requests.fail(action(), e))?
        .ok_or_else(|| {
            Error::InvalidInput(format!(
                "{}: not found; `kubectl tokenrequest list` shows the requests in the namespace, \
                 `kubectl tokenrequest create {}` makes one",
                action(),
                args.name
            ))
        })?;
    let request = if args.wait {
        requests
            .wait_for_token(request, args.wait_args.timeout)
            .await?
    } else {
        request
    };
    show_request(
        &request,
        &args.output.unwrap_or_default(),
        &args.connector_tls,
        call_timeout(connection.request_timeout),
    )
    .await
}
