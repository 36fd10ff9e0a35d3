//! `completion`: shell scripts for the `kubectl-tokenrequest` binary (clap_complete), the
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

/// The completion script for `shell`, as `completion SHELL` prints it. The scripts complete
/// the binary, so the definition they come from is named after it, not after the help text's
/// `kubectl tokenrequest`.
pub fn script(shell: Shell) -> String {
    let mut command = cli::command().name(BIN_NAME).bin_name(BIN_NAME);
    if shell == Shell::Bash {
        command = bash_safe_bin_names(command);
    }
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, BIN_NAME, &mut out);
    let script = String::from_utf8(out).expect("clap_complete writes UTF-8");
    match shell {
        Shell::Zsh => zsh_options_after_names(&script),
        _ => script,
    }
}

/// Works around clap_complete 4.6.11's zsh generator, which writes a positional that takes
/// several values (`get NAME...`, `delete NAME...`) as `'*::names…'`: the two-colon form hands
/// the action only the remaining words, so after the first NAME zsh completes no option
/// (`get x -o <TAB>` offered file names). One colon keeps the options; the bin-name trick of
/// bash does not apply, as the spelling comes from the generator itself, so the script's
/// positional lines are corrected here. The subcommand catch-all (`"*::: :->…"`, double
/// quotes) is left alone.
fn zsh_options_after_names(script: &str) -> String {
    script
        .lines()
        .map(|line| match line.strip_prefix("'*::") {
            Some(rest) => format!("'*:{rest}\n"),
            None => format!("{line}\n"),
        })
        .collect()
}

/// Works around clap_complete 4.6.11's bash generator with a hyphenated binary name
/// (clap-rs/clap#6421): its dispatch loop spells the state of `kubectl-tokenrequest delete` as
/// `kubectl__tokenrequest__subcmd__delete`, its case arms, built from the subcommands' bin
/// names, as `kubectl__subcmd__tokenrequest__subcmd__delete`, so nothing below the top level
/// ever completed. Giving the subcommands bin names whose root part is already escaped makes
/// both spell it the same; the script still registers for `kubectl-tokenrequest`. The
/// generated `help` subcommand would keep the broken spelling, so it is left out.
fn bash_safe_bin_names(command: clap::Command) -> clap::Command {
    let escaped = BIN_NAME.replace('-', "__");
    let names: Vec<String> = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_string())
        .collect();
    names
        .into_iter()
        .fold(command.disable_help_subcommand(true), |command, name| {
            let bin_name = format!("{escaped} {name}");
            command.mut_subcommand(name, |sub| sub.bin_name(bin_name))
        })
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
