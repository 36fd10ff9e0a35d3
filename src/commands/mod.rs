//! One module per subcommand, each saying what its command means on top of the shared
//! layers. This file only dispatches.

use crate::cli::{Cli, Command};
use crate::error::Error;
use crate::requests::connect;
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
    let call_timeout = crate::connector::call_timeout(cli.connection.request_timeout);
    match cli.command {
        Command::Create(args) => create::run(&connect(&cli.connection).await?, args, session).await,
        Command::Get(args) => get::run(&connect(&cli.connection).await?, args).await,
        Command::Connect(args) => {
            connect::run(&connect(&cli.connection).await?, args, session).await
        }
        Command::List(args) => list::run(&connect(&cli.connection).await?, args).await,
        Command::Delete(args) => delete::run(&connect(&cli.connection).await?, args).await,
        Command::Cleanup(args) => cleanup::run(&connect(&cli.connection).await?, args).await,
        // These read no cluster: the connection lives in DIR's connection.yaml.
        Command::Inspect(args) => inspect::run(args, call_timeout).await,
        Command::Renew(args) => renew::run(args, call_timeout).await,
        Command::Revoke(args) => revoke::run(args, call_timeout).await,
        Command::Doctor(args) => doctor::run(&connect(&cli.connection).await?, args, session).await,
        Command::Completion(args) => completion::run(args),
        Command::Complete(args) => completion::run_complete(args).await,
    }
}
