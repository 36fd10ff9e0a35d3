//! The command line, in kubectl's conventions: connection flags shared by every command,
//! `-n`, `-A`, `-l`, `-o`, `--dry-run`, durations like `60s` or `1m30s`.

mod args;
mod doctor;
mod duration;
mod examples;
pub mod formats;
mod labels;
mod lifecycle;

use clap::{Arg, ArgAction, CommandFactory as _, FromArgMatches as _, Parser, Subcommand};

pub use args::*;
pub use doctor::DoctorArgs;
pub use duration::{parse_bool, parse_duration, parse_request_timeout};
use examples::*;
pub use formats::RequestOutput;
pub use lifecycle::{InspectArgs, RenewArgs, RevokeArgs};

/// Create Kyma TokenRequests, wait for the controller and print the token, the URL or the
/// whole request.
#[derive(Debug, Parser)]
#[command(
    name = "kubectl tokenrequest",
    bin_name = "kubectl tokenrequest",
    version,
    propagate_version = true,
    args_override_self = true,
    after_help = crate::error::exit_code::summary()
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

    /// [`Cli::parse_args`], leaving clap's errors (and `--help`, `--version`) to the caller
    /// (see [`usage_error_text`]).
    pub fn try_parse_args() -> Result<Self, clap::Error> {
        let words: Vec<std::ffi::OsString> = std::env::args_os().collect();
        if words.get(1).is_some_and(|word| word == "__complete") {
            return Ok(Self::parse_words(words));
        }
        Self::try_parse_words(words)
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
        match Self::try_parse_words(words) {
            Ok(cli) => cli,
            Err(error) => error.exit(),
        }
    }

    /// Parses the words as kubectl would: see [`command`].
    pub fn try_parse_words(words: Vec<std::ffi::OsString>) -> Result<Self, clap::Error> {
        let mut matches = command().try_get_matches_from(words)?;
        Self::from_arg_matches_mut(&mut matches)
    }
}

/// clap's message for a usage error, without clap's tip to pass a flag after `--` (a flag
/// the command lacks is never meant as a value) and with a pointer to the command that has
/// it, for the flags users carry over from kubectl. `None`: clap's own message stands.
pub fn usage_error_text(error: &clap::Error, words: &[std::ffi::OsString]) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if error.kind() != ErrorKind::UnknownArgument {
        return None;
    }
    let Some(ContextValue::String(given)) = error.get(ContextKind::InvalidArg) else {
        return None;
    };
    let flag = given
        .split_once('=')
        .map_or(given.as_str(), |(flag, _)| flag);
    let subcommands: Vec<String> = command()
        .get_subcommands()
        .map(|sub| sub.get_name().to_string())
        .collect();
    let subcommand = words
        .iter()
        .skip(1)
        .filter_map(|word| word.to_str())
        .find(|word| subcommands.iter().any(|name| name == word))
        .unwrap_or_default();
    let advice = match (subcommand, flag) {
        ("get", "-w" | "--watch" | "--watch-only") => Some(
            "get shows the requests as they are; to follow their changes, use `kubectl \
             tokenrequest list -w`",
        ),
        ("delete", "-A" | "--all-namespaces") => Some(
            "delete works in one namespace: name it with -n (`kubectl tokenrequest list -A` \
             shows the namespaces that have requests)",
        ),
        _ => None,
    };
    let mut lines: Vec<String> = Vec::new();
    let rendered = error.render().to_string();
    let mut rendered = rendered.lines().peekable();
    while let Some(line) = rendered.next() {
        if line.trim_start().starts_with("tip: to pass '") {
            // The tip and the blank line after it.
            rendered.next_if(|next| next.is_empty());
            continue;
        }
        if line.starts_with("Usage:")
            && let Some(advice) = advice
        {
            // Under clap's own tips, if it gave any; else after a blank line.
            let after_tip = lines.len() >= 2
                && lines[lines.len() - 1].is_empty()
                && lines[lines.len() - 2].trim_start().starts_with("tip:");
            if after_tip {
                lines.pop();
            } else if lines.last().is_some_and(|last| !last.is_empty()) {
                lines.push(String::new());
            }
            lines.push(format!("  tip: {advice}"));
            lines.push(String::new());
        }
        lines.push(line.to_string());
    }
    Some(lines.iter().map(|line| format!("{line}\n")).collect())
}

/// The command line as users see it, in help, man pages and completion: clap's derived
/// definition with kubectl's (pflag's) syntax for booleans, `--flag`, `--flag=true` or
/// `--flag=false`.
pub fn command() -> clap::Command {
    pflag_booleans(Cli::command())
}

fn pflag_booleans(command: clap::Command) -> clap::Command {
    let subcommands: Vec<String> = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_string())
        .collect();
    let mut command = command.mut_args(|arg| match arg.get_action() {
        ArgAction::SetTrue => pflag_boolean(arg),
        _ => arg,
    });
    for name in subcommands {
        command = command.mut_subcommand(name, pflag_booleans);
    }
    command
}

fn pflag_boolean(arg: Arg) -> Arg {
    arg.action(ArgAction::Set)
        .num_args(0..=1)
        .require_equals(true)
        .default_missing_value("true")
        .default_value("false")
        .hide_default_value(true)
        .value_name("BOOL")
        .value_parser(parse_bool)
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a TokenRequest for an Application, wait for its token and print it
    #[command(after_help = EXAMPLES_CREATE)]
    Create(CreateArgs),
    /// Show one TokenRequest, or several (or all) as a table
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
    /// Show what a connection directory holds (subject, serial, validity, key) and whether
    /// the Connector Service still accepts its certificate
    #[command(after_help = EXAMPLES_INSPECT)]
    Inspect(InspectArgs),
    /// Renew a connection's client certificate over mTLS and replace its files
    #[command(after_help = EXAMPLES_RENEW)]
    Renew(RenewArgs),
    /// Revoke a connection's client certificate and mark its files as revoked
    #[command(after_help = EXAMPLES_REVOKE)]
    Revoke(RevokeArgs),
    /// Check whether TokenRequests work on this cluster, and if not, why: the connection, the
    /// API, your rights, the controller, an Application, and (with --probe) a real request
    #[command(after_help = EXAMPLES_DOCTOR)]
    Doctor(DoctorArgs),
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

impl Command {
    /// The command's `--timeout`: how long the whole run may take (zero: no deadline, and the
    /// command waits for nothing). Commands without one have no deadline.
    pub fn timeout(&self) -> std::time::Duration {
        match self {
            Command::Create(args) => args.wait.timeout,
            Command::Get(args) if args.wait => args.wait_args.timeout,
            Command::Connect(args) => args.wait.timeout,
            Command::Doctor(args) => args.timeout,
            _ => std::time::Duration::ZERO,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn cli_definition_is_consistent() {
        command().debug_assert();
    }

    #[test]
    fn booleans_take_pflags_syntax_everywhere() {
        let parse = |args: &[&str]| Cli::try_parse_words(args.iter().map(Into::into).collect());
        let list = |args: &[&str]| match parse(args).unwrap().command {
            Command::List(list) => (list.all_namespaces, list.watch),
            other => panic!("{other:?}"),
        };
        assert_eq!(list(&["k", "list"]), (false, false));
        assert_eq!(list(&["k", "list", "-A", "--watch"]), (true, true));
        assert_eq!(
            list(&["k", "list", "--all-namespaces=true", "-w=false"]),
            (true, false)
        );
        assert_eq!(
            list(&["k", "list", "--all-namespaces=T", "--watch=0"]),
            (true, false)
        );
        let create = |args: &[&str]| match parse(args).unwrap().command {
            Command::Create(create) => (create.no_wait, create.refresh),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            create(&["k", "create", "a", "--no-wait=true", "--refresh=false"]),
            (true, false)
        );
        let global = parse(&["k", "--insecure-skip-tls-verify=true", "list"]).unwrap();
        assert!(global.connection.insecure_skip_tls_verify);
        let error = parse(&["k", "list", "--watch=maybe"]).unwrap_err();
        assert_eq!(error.exit_code(), 2);
        assert!(error.to_string().contains("maybe"), "{error}");
        // The next word is never taken as the boolean's value.
        match parse(&["k", "get", "--wait", "false"]) {
            Ok(cli) => match cli.command {
                Command::Get(get) => assert!(get.wait && get.names == ["false"]),
                other => panic!("{other:?}"),
            },
            Err(error) => panic!("{error}"),
        }
    }

    #[test]
    fn kubectls_printing_flags_parse() {
        let parse = |args: &[&str]| Cli::try_parse_words(args.iter().map(Into::into).collect());
        let list = match parse(&[
            "k",
            "list",
            "--no-headers",
            "--show-labels",
            "-L",
            "app,team",
            "-L",
            "tier",
            "--sort-by",
            ".metadata.name",
            "--field-selector",
            "metadata.name=a",
            "--allow-missing-template-keys=false",
        ])
        .unwrap()
        .command
        {
            Command::List(list) => list,
            other => panic!("{other:?}"),
        };
        assert!(list.table.no_headers && list.table.show_labels);
        assert_eq!(list.table.label_columns, ["app", "team", "tier"]);
        assert!(list.table.sort_by.is_some());
        assert_eq!(
            list.select.field_selector.as_deref(),
            Some("metadata.name=a")
        );
        assert!(!list.template.allow_missing_keys);
        match parse(&["k", "list"]).unwrap().command {
            Command::List(list) => assert!(list.template.allow_missing_keys, "kubectl's default"),
            other => panic!("{other:?}"),
        }
        let error = parse(&["k", "list", "--sort-by", "{.a}{.b}"]).unwrap_err();
        assert_eq!(error.exit_code(), 2);
        match parse(&["k", "create", "a", "-l", "team=x,env=ci"])
            .unwrap()
            .command
        {
            Command::Create(create) => assert_eq!(create.targets.labels.merged().unwrap().len(), 2),
            other => panic!("{other:?}"),
        }
        match parse(&[
            "k",
            "create",
            "a",
            "-l",
            "team=x",
            "--labels",
            "env=ci,tier=1",
        ])
        .unwrap()
        .command
        {
            Command::Create(create) => {
                let labels = create.targets.labels.merged().unwrap();
                let keys: Vec<&str> = labels.keys().map(String::as_str).collect();
                assert_eq!(keys, ["env", "team", "tier"], "every -l counts");
            }
            other => panic!("{other:?}"),
        }
        match parse(&["k", "create", "a", "-l", "team=x", "-l", "team=y"])
            .unwrap()
            .command
        {
            Command::Create(create) => {
                let error = create.targets.labels.merged().unwrap_err();
                assert!(error.contains("label team is given twice"), "{error}");
            }
            other => panic!("{other:?}"),
        }
        let error = parse(&["k", "create", "a", "--labels", "bad label"]).unwrap_err();
        assert_eq!(error.exit_code(), 2);
        assert!(error.to_string().contains("invalid label spec"), "{error}");
        for conflicting in [
            &["k", "get", "a", "-A"][..],
            &["k", "get", "a", "-l", "x=y"],
            &["k", "delete", "a", "-l", "x=y"],
            &["k", "delete", "--all", "-l", "x=y"],
        ] {
            assert_eq!(
                parse(conflicting).unwrap_err().exit_code(),
                2,
                "{conflicting:?}"
            );
        }
        assert!(parse(&["k", "delete", "-l", "x=y"]).is_ok());
        match parse(&["k", "get", "a", "b"]).unwrap().command {
            Command::Get(get) => assert_eq!(get.names, ["a", "b"]),
            other => panic!("{other:?}"),
        }
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
        let root = command();
        for sub in root.get_subcommands() {
            check(sub, "");
        }
        let mut usage = command();
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
        let help = command().render_help().to_string();
        assert!(help.contains("kubectl tokenrequest"), "{help}");
    }
}
