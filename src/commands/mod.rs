//! One module per subcommand. Each takes its parsed arguments and a [`Session`] and returns
//! an [`Error`] that names what failed.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;

use futures::{TryStreamExt, stream};
use kube::Api;
use kube::api::ListParams;

use crate::cli::{Cli, Command, ConnectorTlsArgs};
use crate::client::{Connection, connect};
use crate::error::Error;
use crate::output::{self, OutputFormat};
use crate::tokenrequest::TokenRequest;

pub mod cleanup;
pub mod completion;
pub mod connect;
pub mod create;
pub mod delete;
pub mod get;
pub mod list;

/// What a run shares with `main`: terminal facts, and the request it created, so an
/// interrupted run can say how to delete it.
#[derive(Debug, Default)]
pub struct Session {
    left_behind: Mutex<Option<(String, String)>>,
}

impl Session {
    pub fn note_created(&self, namespace: &str, name: &str) {
        *self.left_behind.lock().unwrap_or_else(|e| e.into_inner()) =
            Some((namespace.to_string(), name.to_string()));
    }

    pub fn forget_created(&self) {
        *self.left_behind.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// `(namespace, name)` of a request this run created and has not finished with.
    pub fn left_behind(&self) -> Option<(String, String)> {
        self.left_behind
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Tables are coloured only on a terminal and never when NO_COLOR is set.
    pub fn color(&self) -> bool {
        std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
    }
}

pub async fn run(cli: Cli, session: &Session) -> Result<(), Error> {
    match cli.command {
        Command::Create(args) => {
            let connection = connect(&cli.connection).await?;
            create::run(&connection, args, session).await
        }
        Command::Get(args) => get::run(&connect(&cli.connection).await?, args).await,
        Command::Connect(args) => {
            let connection = connect(&cli.connection).await?;
            connect::run(&connection, args, cli.connection.request_timeout, session).await
        }
        Command::List(args) => list::run(&connect(&cli.connection).await?, args, session).await,
        Command::Delete(args) => delete::run(&connect(&cli.connection).await?, args).await,
        Command::Cleanup(args) => cleanup::run(&connect(&cli.connection).await?, args).await,
        Command::Completion(args) => completion::run(args),
        Command::Complete(args) => completion::run_complete(args).await,
    }
}

/// One request in `format`, for stdout.
fn render_request(request: &TokenRequest, format: &OutputFormat) -> Result<String, Error> {
    output::render_one(request, format, jiff::Timestamp::now()).map_err(|e| Error::Output {
        context: format!("printing TokenRequest {}", request.name()),
        message: e.to_string(),
    })
}

/// Prints one request (`create`, `get NAME`). `-o config` first fetches the connection
/// configuration behind the request's URL, which uses its token up, and says so on stderr.
async fn print_request(
    request: &TokenRequest,
    format: &OutputFormat,
    tls: &ConnectorTlsArgs,
) -> Result<(), Error> {
    if !format.is_connection_config() {
        return print(&render_request(request, format)?);
    }
    let configuration = connect::fetch_configuration(request, tls).await?;
    let text =
        output::render_connection_config(&configuration, format).map_err(|e| Error::Output {
            context: format!(
                "printing the connection configuration of {}",
                request.name()
            ),
            message: e.to_string(),
        })?;
    print(&text)?;
    eprintln!(
        "Note: fetching the configuration used up the token of TokenRequest {}/{}. The csrUrl \
         carries a new token, good for one certificate request within 5 minutes; \
         `kubectl tokenrequest connect {}` does all of it for you",
        request.namespace(),
        request.name(),
        request.name()
    );
    Ok(())
}

/// The requests, page by page: the next page is fetched only once this one is used up. A
/// failed list ends the stream after yielding its error.
pub(super) fn list_pages(
    api: Api<TokenRequest>,
    params: ListParams,
    scope: String,
) -> impl futures::Stream<Item = Result<TokenRequest, Error>> {
    stream::try_unfold(Some(params), move |next| {
        let api = api.clone();
        let scope = scope.clone();
        async move {
            let Some(params) = next else {
                return Ok::<_, Error>(None);
            };
            let page = api
                .list(&params)
                .await
                .map_err(|e| Error::api(format!("listing TokenRequests in {scope}"), e))?;
            let next = match page.metadata.continue_.as_deref() {
                Some(token) if !token.is_empty() => Some(params.continue_token(token)),
                _ => None,
            };
            Ok(Some((stream::iter(page.items.into_iter().map(Ok)), next)))
        }
    })
    .try_flatten()
}

fn namespaced_api(connection: &Connection) -> Api<TokenRequest> {
    Api::namespaced(connection.client.clone(), &connection.namespace)
}

/// Writes command output to stdout. A closed pipe (`| head`) is not an error worth a message.
fn print(text: &str) -> Result<(), Error> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}
