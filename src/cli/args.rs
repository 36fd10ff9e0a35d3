//! The flags of each command, and the flag groups they share (flattened, as stackablectl does).

use std::collections::BTreeMap;
use std::time::Duration;

use clap::{ArgAction, Args, Subcommand, ValueEnum};

use super::duration::{parse_bool, parse_duration, parse_request_timeout};
use super::examples::*;
use super::formats::{self, RequestOutput};
use super::labels::parse_labels;
use crate::connector::TlsOptions;
use crate::output::{OutputFormat, SortBy, parse_sort_by};
use crate::requests::ClientSettings;

/// kubectl's connection flags. Global, so they may stand before or after the subcommand; in
/// every command's help they come after the command's own flags, under their own heading.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Connection flags (as kubectl's)")]
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

    /// How long to wait for a single API request before giving up (e.g. 30s, or 30 for seconds); 0 waits forever
    #[arg(long, global = true, value_name = "DURATION", value_parser = parse_request_timeout, allow_hyphen_values = true, default_value = "0")]
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

impl ConnectionArgs {
    /// The plain settings the client takes.
    pub fn settings(&self) -> ClientSettings {
        ClientSettings {
            kubeconfig: self.kubeconfig.clone(),
            context: self.context.clone(),
            cluster: self.cluster.clone(),
            user: self.user.clone(),
            namespace: self.namespace.clone(),
            request_timeout: self.request_timeout,
            insecure_skip_tls_verify: self.insecure_skip_tls_verify,
        }
    }
}

/// How long the command may take, the wait for the controller included.
#[derive(Debug, Clone, Args)]
pub struct WaitArgs {
    /// How long the command may take in all (e.g. 60s, 2m): the create, the wait for the
    /// controller and the Connector Service calls. 0 waits for nothing, and is refused where
    /// the command needs an answer (connect, doctor, -o token|url|env|config)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, allow_hyphen_values = true, default_value = "60s")]
    pub timeout: Duration,
}

/// Which Applications a command requests tokens for: names, manifests, and what every new
/// request carries; `create` and `connect` share them.
#[derive(Debug, Clone, Default, Args)]
pub struct TargetArgs {
    /// The Application names; each TokenRequest is named after its Application
    #[arg(value_name = "APP", required_unless_present = "files")]
    pub apps: Vec<String>,

    /// TokenRequest manifests to read (YAML, one or several documents, JSON, or a List; - for
    /// stdin; a directory: its .json, .yaml and .yml files); repeatable. Their namespace, context, labels and annotations are kept, their
    /// status ignored; every document is checked before anything is created
    #[arg(short = 'f', long = "filename", value_name = "FILE", action = ArgAction::Append)]
    pub files: Vec<std::path::PathBuf>,

    /// Tenant for the Connector Service's central mode (needs --group), for the APP names
    #[arg(long, requires = "group", value_name = "TENANT")]
    pub tenant: Option<String>,

    /// Group for the Connector Service's central mode (needs --tenant), for the APP names
    #[arg(long, requires = "tenant", value_name = "GROUP")]
    pub group: Option<String>,

    #[command(flatten)]
    pub labels: LabelArgs,

    /// With several Applications: how many are worked on at once
    #[arg(long, value_name = "N", default_value_t = 8, allow_negative_numbers = true,
          value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,
}

/// The labels of a new request (`create -l`), checked as the API server checks them.
#[derive(Debug, Clone, Default, Args)]
pub struct LabelArgs {
    /// Labels of the new request, as key=value pairs separated by commas (e.g.
    /// team=payments,env=ci), or repeated (-l team=payments -l env=ci); list -l, delete -l and
    /// cleanup -l select on them
    #[arg(short = 'l', long = "labels", value_name = "KEY=VALUE,...", value_parser = parse_labels, action = ArgAction::Append)]
    pub given: Vec<BTreeMap<String, String>>,
}

impl LabelArgs {
    /// Every `-l` merged; a key given twice with two values is refused.
    pub fn merged(&self) -> Result<BTreeMap<String, String>, String> {
        let mut labels = BTreeMap::new();
        for (key, value) in self.given.iter().flatten() {
            match labels.insert(key.clone(), value.clone()) {
                Some(before) if before != *value => {
                    return Err(format!(
                        "label {key} is given twice, as {before:?} and as {value:?}: give it once"
                    ));
                }
                _ => {}
            }
        }
        Ok(labels)
    }
}

/// Whether the Application must exist before `create` and `connect` request a token for it,
/// or is created when it does not.
#[derive(Debug, Clone, Copy, Args)]
pub struct ApplicationArgs {
    /// Refuse to request a token unless the Application is known to exist (a missing one, or
    /// one that cannot be checked, is an error); without it a missing one is a warning
    #[arg(long)]
    pub require_application: bool,

    /// Create the (cluster-scoped) Application first when it does not exist, with no services;
    /// an existing one is left as it is. Needs `create` on
    /// applications.applicationconnector.kyma-project.io cluster-wide; a refused create fails
    /// before any token is requested. Satisfies --require-application
    #[arg(long)]
    pub create_application: bool,
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
    #[command(flatten)]
    pub targets: TargetArgs,

    #[command(flatten)]
    pub wait: WaitArgs,

    /// Return as soon as the request is created, without waiting for the token
    #[arg(long)]
    pub no_wait: bool,

    /// Delete an existing request of that name first and request a fresh token
    #[arg(long)]
    pub refresh: bool,

    #[command(flatten)]
    pub application: ApplicationArgs,

    #[command(flatten)]
    pub dry_run: DryRunArgs,

    /// Output format (default: a summary); config and config-json fetch the connection
    /// configuration, which uses the token up
    #[arg(short = 'o', long, value_name = "FORMAT", value_parser = formats::RequestOutputParser(formats::CREATE))]
    pub output: Option<RequestOutput>,

    #[command(flatten)]
    pub template: TemplateArgs,

    #[command(flatten)]
    pub connector_tls: ConnectorTlsArgs,
}

#[derive(Debug, Args)]
pub struct GetArgs {
    /// Names of the TokenRequests; one shows that request, several or none a list as `list`
    /// does (none: every request in the namespace, or with -A in all)
    #[arg(value_name = "NAME", conflicts_with_all = ["all_namespaces", "selector", "field_selector"])]
    pub names: Vec<String>,

    /// List the requests in all namespaces (no NAME)
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,

    #[command(flatten)]
    pub select: SelectArgs,

    /// Wait for the controller to fill in the status, as create does (one NAME)
    #[arg(long)]
    pub wait: bool,

    #[command(flatten)]
    pub wait_args: WaitArgs,

    /// Output format (default: a summary of one request, a table of several); config and
    /// config-json fetch the connection configuration, which uses the token up
    #[arg(short = 'o', long, value_name = "FORMAT", value_parser = formats::RequestOutputParser(formats::GET))]
    pub output: Option<RequestOutput>,

    #[command(flatten)]
    pub template: TemplateArgs,

    #[command(flatten)]
    pub table: TableArgs,

    #[command(flatten)]
    pub chunks: ChunkArgs,

    #[command(flatten)]
    pub connector_tls: ConnectorTlsArgs,
}

/// kubectl's `--allow-missing-template-keys`, for the jsonpath formats.
#[derive(Debug, Clone, Copy, Args)]
pub struct TemplateArgs {
    /// If true, a field a jsonpath template names but the object lacks prints as nothing; if
    /// false, it is an error
    #[arg(
        long = "allow-missing-template-keys",
        action = ArgAction::Set,
        num_args = 0..=1,
        require_equals = true,
        default_value = "true",
        default_missing_value = "true",
        value_name = "BOOL",
        value_parser = parse_bool
    )]
    pub allow_missing_keys: bool,
}

impl TemplateArgs {
    /// `format` with this flag applied to its template, if it has one.
    pub fn apply(&self, format: OutputFormat) -> OutputFormat {
        format.allow_missing_keys(self.allow_missing_keys)
    }
}

/// Which requests a list shows: kubectl's `-l` and `--field-selector`.
#[derive(Debug, Clone, Default, Args)]
pub struct SelectArgs {
    /// Label selector to filter on (e.g. app=foo,tier!=x)
    #[arg(short = 'l', long, value_name = "SELECTOR")]
    pub selector: Option<String>,

    /// Field selector to filter on; the API server supports metadata.name and
    /// metadata.namespace with =, == and != (e.g. metadata.name!=old-app)
    #[arg(long, value_name = "SELECTOR")]
    pub field_selector: Option<String>,
}

/// How a table is printed: kubectl's printing flags for lists.
#[derive(Debug, Clone, Default, Args)]
pub struct TableArgs {
    /// Print no header line (the default table, -o wide and -o custom-columns)
    #[arg(long)]
    pub no_headers: bool,

    /// Show every label in a last column, LABELS
    #[arg(long)]
    pub show_labels: bool,

    /// Labels to show as columns, each named after its key (comma-separated or repeated: -L
    /// app -L team)
    #[arg(short = 'L', long = "label-columns", value_name = "KEY,...", value_delimiter = ',', action = ArgAction::Append)]
    pub label_columns: Vec<String>,

    /// Sort the list by this field, a JSONPath expression (e.g. '{.metadata.name}' or
    /// .status.expireAfter); numbers numerically, text byte by byte as kubectl does (x10
    /// before x9)
    #[arg(long, value_name = "JSONPATH", value_parser = parse_sort_by)]
    pub sort_by: Option<SortBy>,
}

impl ConnectorTlsArgs {
    pub fn tls(&self) -> TlsOptions {
        TlsOptions {
            certificate_authority: self.certificate_authority.clone(),
            insecure_skip_verify: self.insecure_skip_tls_verify_connector,
        }
    }
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
    #[command(flatten)]
    pub targets: TargetArgs,

    /// Directory for the key, certificates and connection.yaml (default: ./APP; created with
    /// mode 0700 if missing); with several Applications, DIR/APP for each
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<std::path::PathBuf>,

    /// Replace files an earlier connect left in the directory; with several Applications,
    /// connect again those already connected
    #[arg(long)]
    pub force: bool,

    /// With several Applications: a directory whose certificate the Connector Service accepts
    /// and that is valid for at least this long is already connected and skipped (e.g. 30d)
    #[arg(long, value_name = "DURATION", value_parser = super::duration::parse_duration_with_days, allow_hyphen_values = true, default_value = "30d")]
    pub min_validity: Duration,

    /// Delete an existing request of that name first and request a fresh token (without it an
    /// existing request's token is used, which works only once)
    #[arg(long)]
    pub refresh: bool,

    #[command(flatten)]
    pub wait: WaitArgs,

    #[command(flatten)]
    pub application: ApplicationArgs,

    /// Output format (default: a description of the connection; with several Applications a
    /// summary table); json, yaml and jsonpath print the results for scripts: each
    /// Application's outcome, exit code, files, certificate expiry and error
    #[arg(short = 'o', long, value_name = "FORMAT", value_parser = formats::ListOutputParser(formats::CONNECT))]
    pub output: Option<OutputFormat>,

    #[command(flatten)]
    pub template: TemplateArgs,

    #[command(flatten)]
    pub tls: ConnectorTlsArgs,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// List requests in all namespaces
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,

    #[command(flatten)]
    pub select: SelectArgs,

    /// Output format (default: a table)
    #[arg(short = 'o', long, value_name = "FORMAT", value_parser = formats::ListOutputParser(formats::LIST))]
    pub output: Option<OutputFormat>,

    #[command(flatten)]
    pub template: TemplateArgs,

    #[command(flatten)]
    pub table: TableArgs,

    /// After listing, watch for changes
    #[arg(short = 'w', long)]
    pub watch: bool,

    /// Watch for changes without printing the requests there are first
    #[arg(long)]
    pub watch_only: bool,

    /// With -w or --watch-only, say what happened to each request: an EVENT column (ADDED,
    /// MODIFIED, DELETED), or kubectl's watch event objects for -o json|yaml; the requests
    /// there are first show as ADDED
    #[arg(long)]
    pub output_watch_events: bool,

    /// Only requests whose expiry has passed
    #[arg(long)]
    pub expired: bool,

    #[command(flatten)]
    pub chunks: ChunkArgs,
}

/// kubectl's `--chunk-size`: how many objects one list call returns.
#[derive(Debug, Clone, Copy, Args)]
pub struct ChunkArgs {
    /// Return large lists in chunks of this many requests rather than all at once; 0 lists
    /// everything in one call
    #[arg(
        long = "chunk-size",
        default_value_t = 500,
        value_name = "N",
        allow_negative_numbers = true
    )]
    pub size: u32,
}

impl ChunkArgs {
    /// The `limit` of a list call; `None` for one unpaged call.
    pub fn limit(&self) -> Option<u32> {
        (self.size > 0).then_some(self.size)
    }
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// Names of the TokenRequests to delete
    #[arg(
        value_name = "NAME",
        required_unless_present_any = ["all", "selector"],
        conflicts_with_all = ["all", "selector"]
    )]
    pub names: Vec<String>,

    /// Delete every TokenRequest in the namespace
    #[arg(long, conflicts_with = "selector")]
    pub all: bool,

    /// Delete the TokenRequests in the namespace that match this label selector (e.g.
    /// team=payments,env!=prod)
    #[arg(short = 'l', long, value_name = "SELECTOR")]
    pub selector: Option<String>,

    /// Treat a missing request as deleted
    #[arg(long)]
    pub ignore_not_found: bool,

    #[command(flatten)]
    pub dry_run: DryRunArgs,

    /// Output format (default: TYPE/NAME deleted)
    #[arg(short = 'o', long, value_name = "FORMAT", value_parser = formats::ListOutputParser(formats::DELETE))]
    pub output: Option<OutputFormat>,

    #[command(flatten)]
    pub chunks: ChunkArgs,
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
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, allow_hyphen_values = true, default_value = "0")]
    pub grace: Duration,

    /// Also delete requests that have had no status for longer than this (nobody answered)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, allow_hyphen_values = true)]
    pub stale: Option<Duration>,

    /// Also delete requests in state Error (or ERR)
    #[arg(long)]
    pub errored: bool,

    #[command(flatten)]
    pub dry_run: DryRunArgs,

    /// How many deletes to send at once
    #[arg(long, value_name = "N", default_value_t = 16, allow_negative_numbers = true,
          value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,

    /// Output format (default: a line per deleted request saying why)
    #[arg(short = 'o', long, value_name = "FORMAT", value_parser = formats::ListOutputParser(formats::CLEANUP))]
    pub output: Option<OutputFormat>,

    #[command(flatten)]
    pub chunks: ChunkArgs,
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
    /// directory for a krew install, else the plugin binary's directory); must exist and be
    /// on PATH
    #[arg(long, value_name = "DIR")]
    pub dir: Option<std::path::PathBuf>,
}

/// The words typed after `kubectl tokenrequest`, the one being completed last.
#[derive(Debug, Clone, Default)]
pub struct CompleteArgs {
    pub words: Vec<std::ffi::OsString>,
}
