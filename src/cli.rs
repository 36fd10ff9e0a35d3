//! The command line, in kubectl's conventions: connection flags shared by every command,
//! `-n`, `-A`, `-l`, `-o`, `--dry-run`, durations like `60s` or `1m30s`.

use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::output::OutputFormat;

const EXAMPLES_CREATE: &str = "\
Examples:
  # Request a token for the Application my-app and print the connection URL
  kubectl tokenrequest create my-app

  # Only the URL, for scripts
  URL=$(kubectl tokenrequest create my-app -o url)

  # Replace an existing request with a fresh one, in another namespace
  kubectl tokenrequest create my-app --refresh -n integration

  # Export name, token, URL and expiry into the shell
  eval \"$(kubectl tokenrequest create my-app -o env)\"";

const EXAMPLES_GET: &str = "\
Examples:
  # Show a request
  kubectl tokenrequest get my-app

  # Wait until the controller has answered, then print the URL
  kubectl tokenrequest get my-app --wait -o jsonpath='{.status.url}'";

const EXAMPLES_CONNECT: &str = "\
Examples:
  # Connect the external system my-app: key, certificates and connection.yaml in ./my-app
  kubectl tokenrequest connect my-app

  # A Connector Service with a private CA, files into another directory
  kubectl tokenrequest connect my-app --certificate-authority ca.crt --out-dir /etc/my-app

  # The token was used already: request a fresh one and replace the old files
  kubectl tokenrequest connect my-app --refresh --force

  # Only show the connection configuration (this uses the token up)
  kubectl tokenrequest create my-app -o config";

const EXAMPLES_LIST: &str = "\
Examples:
  # Requests in the current namespace
  kubectl tokenrequest list

  # All namespaces, with application, tenant, group and URL host
  kubectl tokenrequest list -A -o wide

  # Names of expired requests, for scripts
  kubectl tokenrequest list --expired -o name";

const EXAMPLES_DELETE: &str = "\
Examples:
  # Delete one request
  kubectl tokenrequest delete my-app

  # Delete every request in the namespace
  kubectl tokenrequest delete --all -n integration";

const EXAMPLES_CLEANUP: &str = "\
Examples:
  # Delete expired requests in the current namespace
  kubectl tokenrequest cleanup

  # See what would go in every namespace, counting also requests nobody answered for an hour
  kubectl tokenrequest cleanup -A --stale 1h --errored --dry-run

  # Only requests expired for more than 10 minutes, names on stdout
  kubectl tokenrequest cleanup -l team=payments --grace 10m -o name";

const EXAMPLES_COMPLETION: &str = "\
Examples:
  # Let kubectl complete `kubectl tokenrequest ...` (kubectl 1.26 or later)
  kubectl tokenrequest completion install-kubectl-shim

  # Complete the kubectl-tokenrequest command in bash
  source <(kubectl tokenrequest completion bash)";

const EXAMPLES_COMPLETION_BASH: &str = "\
Examples:
  # Load in the current shell
  source <(kubectl tokenrequest completion bash)

  # Load in every new shell
  kubectl tokenrequest completion bash > ~/.local/share/bash-completion/completions/kubectl-tokenrequest";

const EXAMPLES_COMPLETION_ZSH: &str = "\
Examples:
  # Install into the first directory of fpath (then start a new shell)
  kubectl tokenrequest completion zsh > \"${fpath[1]}/_kubectl-tokenrequest\"";

const EXAMPLES_COMPLETION_FISH: &str = "\
Examples:
  # Install for the current user
  kubectl tokenrequest completion fish > ~/.config/fish/completions/kubectl-tokenrequest.fish";

const EXAMPLES_COMPLETION_POWERSHELL: &str = "\
Examples:
  # Load in the current session (add the line to $PROFILE to keep it)
  kubectl tokenrequest completion powershell | Out-String | Invoke-Expression";

const EXAMPLES_COMPLETION_ELVISH: &str = "\
Examples:
  # Install as a module, then add `use kubectl-tokenrequest` to ~/.config/elvish/rc.elv
  kubectl tokenrequest completion elvish > ~/.config/elvish/lib/kubectl-tokenrequest.elv";

const EXAMPLES_INSTALL_SHIM: &str = "\
Examples:
  # Next to the plugin (for a krew install: into ~/.krew/bin)
  kubectl tokenrequest completion install-kubectl-shim

  # Into a directory of your choice that is on PATH
  kubectl tokenrequest completion install-kubectl-shim --dir ~/.local/bin";

/// Create Kyma TokenRequests, wait for the controller and print the token, the URL or the
/// whole request.
#[derive(Debug, Parser)]
#[command(
    name = "kubectl tokenrequest",
    bin_name = "kubectl tokenrequest",
    version,
    propagate_version = true,
    args_override_self = true,
    after_help = "Exit codes: 0 success, 1 error, 2 usage error, 3 the controller reported an \
                  error, 4 timed out waiting, 5 the request disappeared while waiting, 130 \
                  interrupted."
)]
pub struct Cli {
    #[command(flatten)]
    pub connection: ConnectionArgs,

    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Parses the process's arguments, see [`Cli::parse_words`].
    pub fn parse_args() -> Self {
        Self::parse_words(std::env::args_os())
    }

    /// Parses like [`Parser::parse_from`], except that the words after a leading `__complete`
    /// are taken verbatim: they are a half-typed command line, and clap would read the global
    /// flags among them (`--context ""`, `-n` without its value, `--`, `--help`) as its own.
    pub fn parse_words<I, T>(words: I) -> Self
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let words: Vec<std::ffi::OsString> = words.into_iter().map(Into::into).collect();
        if words.get(1).is_some_and(|word| word == "__complete") {
            return Cli {
                connection: ConnectionArgs::default(),
                command: Command::Complete(CompleteArgs {
                    words: words[2..].to_vec(),
                }),
            };
        }
        Self::parse_from(words)
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a TokenRequest for an Application, wait for its token and print it
    #[command(after_help = EXAMPLES_CREATE)]
    Create(CreateArgs),
    /// Show one TokenRequest
    #[command(after_help = EXAMPLES_GET)]
    Get(GetArgs),
    /// Get a client certificate for an Application: request a token, send a CSR, write the key,
    /// certificates and connection.yaml, and check them against the Connector Service
    #[command(after_help = EXAMPLES_CONNECT)]
    Connect(ConnectArgs),
    /// List TokenRequests
    #[command(after_help = EXAMPLES_LIST, visible_alias = "ls")]
    List(ListArgs),
    /// Delete TokenRequests
    #[command(after_help = EXAMPLES_DELETE)]
    Delete(DeleteArgs),
    /// Delete expired TokenRequests (and, if asked, stale or errored ones)
    #[command(after_help = EXAMPLES_CLEANUP)]
    Cleanup(CleanupArgs),
    /// Print a shell completion script, or install kubectl's completion helper
    #[command(after_help = EXAMPLES_COMPLETION)]
    Completion(CompletionArgs),
    /// `__complete WORD…`: completion candidates for kubectl, run by the
    /// kubectl_complete-tokenrequest shim. Not a clap subcommand: [`Cli::parse_words`]
    /// recognises it before clap, which keeps it out of help, man pages and the generated
    /// scripts (clap_complete lists even hidden subcommands) and lets its words through
    /// unparsed.
    #[command(skip)]
    Complete(CompleteArgs),
}

/// kubectl's connection flags. Global, so they may stand before or after the subcommand.
#[derive(Debug, Clone, Default, Args)]
pub struct ConnectionArgs {
    /// Path to the kubeconfig file to use (one file; KUBECONFIG may list several)
    #[arg(long, global = true, value_name = "FILE")]
    pub kubeconfig: Option<std::path::PathBuf>,

    /// The name of the kubeconfig context to use
    #[arg(long, global = true, value_name = "NAME")]
    pub context: Option<String>,

    /// The name of the kubeconfig cluster to use
    #[arg(long, global = true, value_name = "NAME")]
    pub cluster: Option<String>,

    /// The name of the kubeconfig user to use
    #[arg(long, global = true, value_name = "NAME")]
    pub user: Option<String>,

    /// The namespace scope for this request
    #[arg(short = 'n', long, global = true, value_name = "NAMESPACE")]
    pub namespace: Option<String>,

    /// How long to wait for a single API request before giving up (e.g. 30s); 0 waits forever
    #[arg(long, global = true, value_name = "DURATION", value_parser = parse_duration, default_value = "0")]
    pub request_timeout: Duration,

    /// Do not check the API server's certificate (insecure)
    #[arg(long, global = true)]
    pub insecure_skip_tls_verify: bool,

    /// Log level on stderr, as kubectl's: 0 none, 1-3 info, 4-6 every API request, 7+ trace.
    /// Tokens are never logged
    #[arg(
        short = 'v',
        long = "v",
        global = true,
        value_name = "LEVEL",
        default_value_t = 0
    )]
    pub verbosity: u8,
}

/// How long to wait for the controller.
#[derive(Debug, Clone, Args)]
pub struct WaitArgs {
    /// How long to wait for the status (e.g. 60s, 2m); 0 means do not wait
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "60s")]
    pub timeout: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DryRun {
    /// Only print what would be sent
    Client,
    /// Let the API server validate the request without storing it
    Server,
    /// Really do it (the default)
    None,
}

/// kubectl's `--dry-run[=client|server]`, shared by the commands that change something.
#[derive(Debug, Clone, Copy, Args)]
pub struct DryRunArgs {
    /// Only show (client) or let the server validate (server) what would change; nothing is stored
    #[arg(
        long = "dry-run",
        value_enum,
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "client",
        default_value = "none",
        value_name = "MODE"
    )]
    pub mode: DryRun,
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The Application name; the TokenRequest is named after it
    #[arg(value_name = "APP")]
    pub app: String,

    /// Tenant for the Connector Service's central mode (needs --group)
    #[arg(long, requires = "group", value_name = "TENANT")]
    pub tenant: Option<String>,

    /// Group for the Connector Service's central mode (needs --tenant)
    #[arg(long, requires = "tenant", value_name = "GROUP")]
    pub group: Option<String>,

    #[command(flatten)]
    pub wait: WaitArgs,

    /// Return as soon as the request is created, without waiting for the token
    #[arg(long)]
    pub no_wait: bool,

    /// Delete an existing request of that name first and request a fresh token
    #[arg(long)]
    pub refresh: bool,

    #[command(flatten)]
    pub dry_run: DryRunArgs,

    /// Output format: json, yaml, name, url, token, env, jsonpath=TEMPLATE, config, config-json
    /// (default: a summary). config fetches the connection configuration, which uses the token up
    #[arg(short = 'o', long, value_name = "FORMAT")]
    pub output: Option<OutputFormat>,

    #[command(flatten)]
    pub connector_tls: ConnectorTlsArgs,
}

#[derive(Debug, Args)]
pub struct GetArgs {
    /// Name of the TokenRequest
    #[arg(value_name = "NAME")]
    pub name: String,

    /// Wait for the controller to fill in the status, as create does
    #[arg(long)]
    pub wait: bool,

    #[command(flatten)]
    pub wait_args: WaitArgs,

    /// Output format: json, yaml, name, url, token, env, jsonpath=TEMPLATE, config, config-json
    /// (default: a summary). config fetches the connection configuration, which uses the token up
    #[arg(short = 'o', long, value_name = "FORMAT")]
    pub output: Option<OutputFormat>,

    #[command(flatten)]
    pub connector_tls: ConnectorTlsArgs,
}

/// How to trust the Connector Service, for `connect` and `-o config`.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Connector Service")]
pub struct ConnectorTlsArgs {
    /// PEM file with the Connector Service's CA certificate, trusted besides the system's CAs
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with = "insecure_skip_tls_verify_connector"
    )]
    pub certificate_authority: Option<std::path::PathBuf>,

    /// Do not check the Connector Service's certificate (insecure)
    #[arg(long)]
    pub insecure_skip_tls_verify_connector: bool,
}

#[derive(Debug, Args)]
pub struct ConnectArgs {
    /// The Application name; the TokenRequest is named after it
    #[arg(value_name = "APP")]
    pub app: String,

    /// Directory for the key, certificates and connection.yaml (default: ./APP; created with
    /// mode 0700 if missing)
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<std::path::PathBuf>,

    /// Replace files an earlier connect left in the directory
    #[arg(long)]
    pub force: bool,

    /// Delete an existing request of that name first and request a fresh token (without it an
    /// existing request's token is used, which works only once)
    #[arg(long)]
    pub refresh: bool,

    #[command(flatten)]
    pub wait: WaitArgs,

    #[command(flatten)]
    pub tls: ConnectorTlsArgs,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// List requests in all namespaces
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,

    /// Label selector to filter on (e.g. app=foo,tier!=x)
    #[arg(short = 'l', long, value_name = "SELECTOR")]
    pub selector: Option<String>,

    /// Output format: wide, json, yaml, name, jsonpath=TEMPLATE (default: a table)
    #[arg(short = 'o', long, value_name = "FORMAT")]
    pub output: Option<OutputFormat>,

    /// After listing, watch for changes
    #[arg(short = 'w', long)]
    pub watch: bool,

    /// Only requests whose expiry has passed
    #[arg(long)]
    pub expired: bool,

    /// How many requests to fetch per API call
    #[arg(long, default_value_t = 500, value_name = "N", hide = true)]
    pub chunk_size: u32,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// Names of the TokenRequests to delete
    #[arg(
        value_name = "NAME",
        required_unless_present = "all",
        conflicts_with = "all"
    )]
    pub names: Vec<String>,

    /// Delete every TokenRequest in the namespace
    #[arg(long)]
    pub all: bool,

    /// Treat a missing request as deleted
    #[arg(long)]
    pub ignore_not_found: bool,

    #[command(flatten)]
    pub dry_run: DryRunArgs,

    /// Output format: name (only TYPE/NAME per deleted request)
    #[arg(short = 'o', long, value_name = "FORMAT")]
    pub output: Option<OutputFormat>,
}

#[derive(Debug, Args)]
pub struct CleanupArgs {
    /// Clean up in all namespaces
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,

    /// Label selector to filter on (e.g. app=foo,tier!=x)
    #[arg(short = 'l', long, value_name = "SELECTOR")]
    pub selector: Option<String>,

    /// Delete only requests whose status.expireAfter passed at least this long ago (e.g. 10m)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "0")]
    pub grace: Duration,

    /// Also delete requests that have had no status for longer than this (nobody answered)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub stale: Option<Duration>,

    /// Also delete requests in state Error (or ERR)
    #[arg(long)]
    pub errored: bool,

    #[command(flatten)]
    pub dry_run: DryRunArgs,

    /// How many deletes to send at once
    #[arg(long, value_name = "N", default_value_t = 16,
          value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,

    /// Output format: name (TYPE/NAME per deleted request) or json (a List of them)
    #[arg(short = 'o', long, value_name = "FORMAT")]
    pub output: Option<OutputFormat>,
}

#[derive(Debug, Args)]
pub struct CompletionArgs {
    #[command(subcommand)]
    pub command: CompletionCommand,
}

/// The scripts complete the `kubectl-tokenrequest` command itself; `kubectl tokenrequest …`
/// is completed by kubectl through the shim that `install-kubectl-shim` writes.
#[derive(Debug, Clone, Subcommand)]
pub enum CompletionCommand {
    /// Print the bash completion script for kubectl-tokenrequest
    #[command(after_help = EXAMPLES_COMPLETION_BASH)]
    Bash,
    /// Print the zsh completion script for kubectl-tokenrequest
    #[command(after_help = EXAMPLES_COMPLETION_ZSH)]
    Zsh,
    /// Print the fish completion script for kubectl-tokenrequest
    #[command(after_help = EXAMPLES_COMPLETION_FISH)]
    Fish,
    /// Print the PowerShell completion script for kubectl-tokenrequest
    #[command(name = "powershell", after_help = EXAMPLES_COMPLETION_POWERSHELL)]
    PowerShell,
    /// Print the elvish completion script for kubectl-tokenrequest
    #[command(after_help = EXAMPLES_COMPLETION_ELVISH)]
    Elvish,
    /// Write kubectl_complete-tokenrequest, which kubectl (1.26 or later) runs to complete
    /// `kubectl tokenrequest …`, next to the plugin on PATH
    #[command(after_help = EXAMPLES_INSTALL_SHIM)]
    InstallKubectlShim(InstallShimArgs),
}

#[derive(Debug, Clone, Args)]
pub struct InstallShimArgs {
    /// Directory to write the shim to (default: where the plugin was found: krew's bin
    /// directory for a krew install, else the plugin binary's directory); must be on PATH
    #[arg(long, value_name = "DIR")]
    pub dir: Option<std::path::PathBuf>,
}

/// The words typed after `kubectl tokenrequest`, the one being completed last.
#[derive(Debug, Clone, Default)]
pub struct CompleteArgs {
    pub words: Vec<std::ffi::OsString>,
}

/// Parses kubectl-style durations: `0`, `90s`, `1m30s`, `2h`, `1.5s`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if text == "0" {
        return Ok(Duration::ZERO);
    }
    // jiff's "friendly" format covers kubectl's Go-style durations (already a dependency).
    let parsed: jiff::SignedDuration = text.parse().map_err(|_| {
        format!("invalid duration {text:?}: use a number with a unit, e.g. 30s, 1m30s, 2h")
    })?;
    if parsed.is_negative() {
        return Err(format!(
            "invalid duration {text:?}: it must not be negative"
        ));
    }
    Duration::try_from(parsed).map_err(|e| format!("invalid duration {text:?}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn durations_parse_like_kubectl() {
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        assert_eq!(parse_duration("60s"), Ok(Duration::from_secs(60)));
        assert_eq!(parse_duration("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert!(parse_duration("60").unwrap_err().contains("with a unit"));
        assert!(parse_duration("-5s").unwrap_err().contains("negative"));
        assert!(parse_duration("soon").is_err());
    }

    #[test]
    fn connection_flags_work_before_and_after_the_subcommand() {
        let cli = Cli::try_parse_from([
            "kubectl-tokenrequest",
            "--context",
            "c1",
            "create",
            "app",
            "-n",
            "ns",
            "--request-timeout",
            "5s",
        ])
        .unwrap();
        assert_eq!(cli.connection.context.as_deref(), Some("c1"));
        assert_eq!(cli.connection.namespace.as_deref(), Some("ns"));
        assert_eq!(cli.connection.request_timeout, Duration::from_secs(5));
    }

    #[test]
    fn tenant_needs_group() {
        let err = Cli::try_parse_from(["kubectl-tokenrequest", "create", "app", "--tenant", "t"])
            .unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("--group"), "{err}");
    }

    #[test]
    fn dry_run_takes_an_optional_value() {
        let parse = |args: &[&str]| match Cli::try_parse_from(args).unwrap().command {
            Command::Create(c) => c.dry_run.mode,
            _ => unreachable!(),
        };
        assert_eq!(parse(&["k", "create", "a"]), DryRun::None);
        assert_eq!(parse(&["k", "create", "a", "--dry-run"]), DryRun::Client);
        assert_eq!(
            parse(&["k", "create", "a", "--dry-run=server"]),
            DryRun::Server
        );
    }

    #[test]
    fn complete_takes_its_words_verbatim() {
        let words = |args: &[&str]| match Cli::parse_words(args).command {
            Command::Complete(c) => c.words,
            other => panic!("{other:?}"),
        };
        let typed = ["--context", "", "-n", "--", "--help", "-h", "--version", ""];
        let all: Vec<&str> = ["k", "__complete"].into_iter().chain(typed).collect();
        assert_eq!(words(&all), typed.map(std::ffi::OsString::from));
        assert!(words(&["k", "__complete"]).is_empty());
    }

    #[test]
    fn every_command_has_examples_in_kubectls_style() {
        fn check(command: &clap::Command, path: &str) {
            if command.is_hide_set() || command.get_name() == "help" {
                return;
            }
            let path = format!("{path} {}", command.get_name()).trim().to_string();
            if !command.has_subcommands() || path.ends_with("completion") {
                let help = command
                    .get_after_help()
                    .map(|h| h.to_string())
                    .unwrap_or_default();
                assert!(
                    help.starts_with("Examples:\n") && help.contains("  kubectl tokenrequest "),
                    "{path} needs kubectl-style examples in after_help, got {help:?}"
                );
            }
            for sub in command.get_subcommands() {
                check(sub, &path);
            }
        }
        let root = Cli::command();
        for sub in root.get_subcommands() {
            check(sub, "");
        }
        let mut usage = Cli::command();
        usage.build();
        let get = usage.find_subcommand_mut("get").unwrap();
        assert!(
            get.render_usage()
                .to_string()
                .contains("kubectl tokenrequest get"),
            "{}",
            get.render_usage()
        );
    }

    #[test]
    fn help_shows_the_kubectl_plugin_name() {
        let help = Cli::command().render_help().to_string();
        assert!(help.contains("kubectl tokenrequest"), "{help}");
    }
}
