//! Parse, run, map errors to exit codes. Everything else lives in the library.

use std::process::ExitCode;
use std::time::Duration;

use kubectl_tokenrequest::cli::{self, Cli};
use kubectl_tokenrequest::commands;
use kubectl_tokenrequest::error::Error;
use kubectl_tokenrequest::logging;
use kubectl_tokenrequest::session::Session;
use kubectl_tokenrequest::terminal;

/// How long a run may spend on what its command left to finish (cleaning up after Ctrl-C).
const FINISH_LIMIT: Duration = Duration::from_secs(20);

fn main() -> ExitCode {
    logging::install_panic_hook();
    let cli = match Cli::try_parse_args() {
        Ok(cli) => cli,
        // Usage errors: clap's message on stderr, exit 2.
        Err(error) if error.use_stderr() => {
            let words: Vec<std::ffi::OsString> = std::env::args_os().collect();
            match cli::usage_error_text(&error, &words) {
                Some(text) => {
                    eprint!("{text}");
                    return ExitCode::from(2);
                }
                None => error.exit(),
            }
        }
        // --help and --version: stdout, and a failed write is an error.
        Err(help) => return exit(terminal::print_help(&help)),
    };
    logging::init(logging::level(
        cli.connection.verbosity,
        std::env::var("RUST_LOG").ok().as_deref(),
    ));
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: starting the async runtime: {error}");
            return ExitCode::from(1);
        }
    };
    let session = Session::default();
    let result = runtime.block_on(async {
        // The one signal handler: the command future is dropped, which ends any wait at once.
        tokio::select! {
            result = commands::run(cli, &session) => result,
            signal = terminal::stop_signal() => Err(Error::Interrupted {
                signal,
                left_behind: session.left_behind(),
            }),
        }
    });
    // What a command left to finish (the Application preflight, doctor's probe cleanup after
    // Ctrl-C) still runs; stray tasks (a watch body still being read) are not waited for.
    runtime.block_on(session.finish_tasks(FINISH_LIMIT));
    runtime.shutdown_background();
    exit(result)
}

fn exit(result: Result<(), Error>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            if let Some(message) = error.message() {
                eprintln!("error: {message}");
            }
            ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(1))
        }
    }
}
