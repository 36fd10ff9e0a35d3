//! `completion`: shell scripts for the `kubectl-tokenrequest` binary (dynamic for bash, zsh
//! and fish; clap_complete's for PowerShell and Elvish), the
//! installer of kubectl's completion shim, and the hidden `__complete` the shim runs.

use clap_complete::Shell;
use clap_complete::aot::Generator as _;

use crate::cli::{self, CompleteArgs, CompletionArgs, CompletionCommand};
use crate::error::Error;

pub mod candidates;
mod lookups;
mod protocol;
pub mod shim;
mod words;

/// The name the scripts complete: the plugin binary itself. `kubectl tokenrequest …` is
/// completed by kubectl through the shim instead.
pub const BIN_NAME: &str = "kubectl-tokenrequest";

/// Every shell a script is generated (and committed under `completions/`) for.
pub const SHELLS: [Shell; 5] = [
    Shell::Bash,
    Shell::Zsh,
    Shell::Fish,
    Shell::PowerShell,
    Shell::Elvish,
];

/// The dynamic scripts: they ask `__complete` at every TAB, as Cobra's do, and honour its
/// directive (no space after `jsonpath=`, no file names where none fit). Written here rather
/// than taken from clap_complete's dynamic engine (4.6), whose scripts speak its own protocol:
/// kubectl's shim speaks Cobra's `__complete`, and one protocol serves both ways in.
const BASH: &str = include_str!("completion/shells/kubectl-tokenrequest.bash");
const ZSH: &str = include_str!("completion/shells/_kubectl-tokenrequest");
const FISH: &str = include_str!("completion/shells/kubectl-tokenrequest.fish");

/// The completion script for `shell`, as `completion SHELL` prints it. bash, zsh and fish get
/// the dynamic scripts; PowerShell and Elvish clap_complete's static ones, generated from the
/// definition named after the binary, not after the help text's `kubectl tokenrequest`.
pub fn script(shell: Shell) -> String {
    match shell {
        Shell::Bash => BASH.to_string(),
        Shell::Zsh => ZSH.to_string(),
        Shell::Fish => FISH.to_string(),
        _ => {
            let mut command = cli::command().name(BIN_NAME).bin_name(BIN_NAME);
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut command, BIN_NAME, &mut out);
            String::from_utf8(out).expect("clap_complete writes UTF-8")
        }
    }
}

/// The conventional file name of the script for `shell` (`_kubectl-tokenrequest` for zsh).
pub fn script_file_name(shell: Shell) -> String {
    shell.file_name(BIN_NAME)
}

pub fn run(args: CompletionArgs) -> Result<(), Error> {
    let shell = match args.command {
        CompletionCommand::InstallKubectlShim(args) => return shim::install(args),
        CompletionCommand::Bash => Shell::Bash,
        CompletionCommand::Zsh => Shell::Zsh,
        CompletionCommand::Fish => Shell::Fish,
        CompletionCommand::PowerShell => Shell::PowerShell,
        CompletionCommand::Elvish => Shell::Elvish,
    };
    crate::terminal::print(&script(shell))
}

/// `__complete WORD…`: candidates and Cobra's directive on stdout, always exit 0.
pub async fn run_complete(args: CompleteArgs) -> Result<(), Error> {
    let words: Vec<String> = args
        .words
        .iter()
        .map(|word| word.to_string_lossy().into_owned())
        .collect();
    crate::terminal::print(&candidates::complete(&words).await.render())
}
