//! One module per subcommand, each saying what its command means on top of the shared
//! layers. This file only dispatches: it makes the client from the connection flags and the
//! command's one deadline from its `--timeout`, and hands both down. Every command's future is
//! `Send` (the lint below holds it), so a command's work can run on any thread of the runtime.
#![deny(clippy::future_not_send)]

use std::sync::Arc;

use crate::cli::{Cli, Command};
use crate::connector::CallLimits;
use crate::error::Error;
use crate::progress::Progress;
use crate::requests::{Deadline, connect};
use crate::session::Session;

pub mod cleanup;
pub mod completion;
pub mod connect;
pub mod create;
pub mod delete;
pub mod doctor;
pub mod get;
pub mod inspect;
pub mod list;
pub mod renew;
pub mod revoke;

pub async fn run(cli: Cli, session: &Session) -> Result<(), Error> {
    let settings = cli.connection.settings();
    // Connector Service calls of commands that read no cluster: --request-timeout each.
    let limits = CallLimits::new(settings.request_timeout, None);
    let command = cli.command;
    let timeout = command.timeout();
    // The client, and the command's one deadline, which starts once the client is ready.
    // Retries are told on a terminal; commands that draw a spinner or a bar replace this.
    let cluster = || async {
        let connection = connect(&settings).await?;
        let deadline = Deadline::after(timeout);
        let observed = connection.observed_by(Arc::new(Progress::none()));
        Ok::<_, Error>((observed, deadline))
    };
    match command {
        Command::Create(args) => {
            let (connection, deadline) = cluster().await?;
            create::run(&connection, args, deadline, session).await
        }
        Command::Get(args) => {
            let (connection, deadline) = cluster().await?;
            get::run(&connection, args, deadline).await
        }
        Command::Connect(args) => {
            let (connection, deadline) = cluster().await?;
            connect::run(&connection, args, deadline, session).await
        }
        Command::List(args) => list::run(&cluster().await?.0, args).await,
        Command::Delete(args) => delete::run(&cluster().await?.0, args).await,
        Command::Cleanup(args) => cleanup::run(&cluster().await?.0, args).await,
        // These read no cluster: the connection lives in DIR's connection.yaml.
        Command::Inspect(args) => inspect::run(args, limits).await,
        Command::Renew(args) => renew::run(args, limits).await,
        Command::Revoke(args) => revoke::run(args, limits).await,
        Command::Doctor(args) => {
            let (connection, deadline) = cluster().await?;
            doctor::run(&connection, args, deadline, session).await
        }
        Command::Completion(args) => completion::run(args),
        Command::Complete(args) => completion::run_complete(args).await,
    }
}
