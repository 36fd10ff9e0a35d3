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
pub mod list;

pub async fn run(cli: Cli, session: &Session) -> Result<(), Error> {
    match cli.command {
        Command::Create(args) => create::run(&connect(&cli.connection).await?, args, session).await,
        Command::Get(args) => get::run(&connect(&cli.connection).await?, args).await,
        Command::Connect(args) => {
            connect::run(&connect(&cli.connection).await?, args, session).await
        }
        Command::List(args) => list::run(&connect(&cli.connection).await?, args).await,
        Command::Delete(args) => delete::run(&connect(&cli.connection).await?, args).await,
        Command::Cleanup(args) => cleanup::run(&connect(&cli.connection).await?, args).await,
        Command::Doctor(args) => doctor::run(&connect(&cli.connection).await?, args, session).await,
        Command::Completion(args) => completion::run(args),
        Command::Complete(args) => completion::run_complete(args).await,
    }
}
