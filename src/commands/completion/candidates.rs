//! The hidden `__complete` command: what kubectl (≥ 1.26) runs, through the
//! `kubectl_complete-tokenrequest` shim, to complete `kubectl tokenrequest …`.
//!
//! kubectl passes the words typed after the plugin name, the word being completed last (`""`
//! for a new word), and expects Cobra's protocol back: one candidate per line (optionally
//! `value<TAB>description`), then a `:<directive>` line.
//!
//! The typed words are read by walking `cli::command()` (clap's stable introspection API),
//! not with `clap_complete::engine` (feature `unstable-dynamic`): the engine is exempt from
//! semver, its value completers only see the current word (the namespace, context and
//! kubeconfig typed before it would need a side channel), and it does not say which argument
//! it completed, which Cobra's directive depends on (`:2` after `jsonpath=`, file completion
//! for `--kubeconfig`). Walking the definition leniently — unknown flags and half-typed
//! values are skipped, never an error — gives all three directly.
//!
//! Cluster lookups (TokenRequest names, namespaces) share one short time budget: a slow or
//! unreachable cluster yields no candidates instead of a hanging shell. Errors are never
//! printed (stderr would garble the prompt) and nothing but names is ever printed: a token
//! cannot leak through a completion.

use std::collections::BTreeSet;
use std::time::Duration;

use clap::ArgAction;
use k8s_openapi::api::core::v1::Namespace;
use kube::api::ListParams;
use kube::config::Kubeconfig;
use kube::{Api, ResourceExt};

use crate::cli::{self, ConnectionArgs};
use crate::requests::{Connection, connect};
use crate::tokenrequest::TokenRequest;

/// How long all cluster lookups of one completion may take together.
pub const CLUSTER_BUDGET: Duration = Duration::from_secs(2);

/// Cobra's `ShellCompDirective` bits.
pub mod directive {
    /// Complete file names (the shell's default).
    pub const DEFAULT: u32 = 0;
    /// Do not add a space after the candidate (`jsonpath=` is followed by the template).
    pub const NO_SPACE: u32 = 2;
    /// Do not fall back to file names when there are no candidates.
    pub const NO_FILE_COMP: u32 = 4;
    /// Complete directory names only.
    pub const FILTER_DIRS: u32 = 16;
}

/// One completion candidate: the value and an optional one-line description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub value: String,
    pub help: Option<String>,
}

impl Candidate {
    fn plain(value: impl Into<String>) -> Self {
        Candidate {
            value: value.into(),
            help: None,
        }
    }
}

/// The answer to one `__complete` call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub candidates: Vec<Candidate>,
    pub directive: u32,
}

impl Completion {
    fn new(candidates: Vec<Candidate>, directive: u32) -> Self {
        Completion {
            candidates,
            directive,
        }
    }

    /// Cobra's wire format: `value[\tdescription]` per line, then `:<directive>`.
    pub fn render(&self) -> String {
        let mut text = String::new();
        for candidate in &self.candidates {
            // A newline or tab inside a value or description would break the protocol.
            let clean = |s: &str| s.replace(['\n', '\r', '\t'], " ");
            text.push_str(&clean(&candidate.value));
            if let Some(help) = candidate.help.as_deref().filter(|h| !h.is_empty()) {
                text.push('\t');
                text.push_str(&clean(help));
            }
            text.push('\n');
        }
        text.push_str(&format!(":{}\n", self.directive));
        text
    }
}

/// What the word under the cursor is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A subcommand name (the command has subcommands and none was typed yet).
    Subcommand,
    /// A flag name (the word starts with `-`).
    Flag,
    /// The value of the argument with this id; `prefix` is the part of the word before the
    /// value (`--output=`, `-o`) that every candidate must repeat.
    Value { arg: String, prefix: String },
    /// The `index`-th positional argument of the command.
    Positional { index: usize },
}

/// The typed words, read leniently against the clap definition.
#[derive(Debug, Clone, Default)]
pub struct Typed {
    /// Subcommand names from the root, e.g. `["get"]` or `["completion", "bash"]`.
    pub path: Vec<String>,
    /// The connection flags as typed (`-n`, `--context`, `--kubeconfig`, …).
    pub connection: ConnectionArgs,
    /// Ids of the flags seen, e.g. `refresh`.
    pub flags: BTreeSet<String>,
    /// Positional values of the innermost command.
    pub positionals: Vec<String>,
}

/// Reads the words before the current one and classifies the current one.
pub fn analyze(words: &[String]) -> (Typed, Target, String) {
    let (current, before) = match words.split_last() {
        Some((current, before)) => (current.clone(), before),
        None => (String::new(), &[][..]),
    };
    let root = built_command();
    let mut command = &root;
    let mut typed = Typed::default();
    // The argument whose value is the next word.
    let mut pending: Option<String> = None;
    let mut only_positionals = false;

    for word in before {
        if let Some(arg) = pending.take() {
            record(&mut typed, &arg, Some(word));
            continue;
        }
        if only_positionals {
            typed.positionals.push(word.clone());
            continue;
        }
        if word == "--" {
            only_positionals = true;
        } else if let Some(long) = word.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((name, value)) => (name, Some(value)),
                None => (long, None),
            };
            if let Some(arg) = find_long(command, name) {
                let id = arg.get_id().to_string();
                if value.is_none() && needs_separate_value(arg) {
                    pending = Some(id);
                } else {
                    record(&mut typed, &id, value);
                }
            }
        } else if word.len() > 1 && word.starts_with('-') {
            // A cluster of short flags, the last of which may take the rest as its value.
            let shorts = &word[1..];
            for (offset, c) in shorts.char_indices() {
                let Some(arg) = command.get_arguments().find(|a| a.get_short() == Some(c)) else {
                    break;
                };
                let id = arg.get_id().to_string();
                if arg.get_action().takes_values() {
                    let rest = &shorts[offset + c.len_utf8()..];
                    let rest = rest.strip_prefix('=').unwrap_or(rest);
                    if rest.is_empty() {
                        if needs_separate_value(arg) {
                            pending = Some(id);
                        } else {
                            record(&mut typed, &id, None);
                        }
                    } else {
                        record(&mut typed, &id, Some(rest));
                    }
                    break;
                }
                record(&mut typed, &id, None);
            }
        } else if typed.positionals.is_empty()
            && let Some(sub) = command.find_subcommand(word)
        {
            typed.path.push(sub.get_name().to_string());
            command = sub;
        } else {
            typed.positionals.push(word.clone());
        }
    }

    let target = if let Some(arg) = pending {
        Target::Value {
            arg,
            prefix: String::new(),
        }
    } else if only_positionals {
        Target::Positional {
            index: typed.positionals.len(),
        }
    } else if let Some((name, _)) = current
        .strip_prefix("--")
        .and_then(|long| long.split_once('='))
    {
        match find_long(command, name) {
            Some(arg) => Target::Value {
                arg: arg.get_id().to_string(),
                prefix: format!("--{name}="),
            },
            None => Target::Flag,
        }
    } else if current.starts_with("--") || current == "-" {
        Target::Flag
    } else if let Some(rest) = current.strip_prefix('-') {
        // `-oya` / `-o=ya`: a short flag with its value attached.
        let c = rest.chars().next().unwrap_or('-');
        match command
            .get_arguments()
            .find(|a| a.get_short() == Some(c) && a.get_action().takes_values())
        {
            Some(arg) => {
                let attached = &rest[c.len_utf8()..];
                let prefix = if attached.starts_with('=') {
                    format!("-{c}=")
                } else {
                    format!("-{c}")
                };
                Target::Value {
                    arg: arg.get_id().to_string(),
                    prefix,
                }
            }
            None => Target::Flag,
        }
    } else if typed.positionals.is_empty() && visible_subcommands(command).next().is_some() {
        Target::Subcommand
    } else {
        Target::Positional {
            index: typed.positionals.len(),
        }
    };
    (typed, target, current)
}

/// Completes the words: the last is the word under the cursor.
pub async fn complete(words: &[String]) -> Completion {
    let (typed, target, current) = analyze(words);
    let root = built_command();
    let command = typed.path.iter().fold(&root, |command, name| {
        command.find_subcommand(name).unwrap_or(command)
    });

    match target {
        Target::Subcommand => {
            let candidates = visible_subcommands(command)
                .filter(|sub| sub.get_name().starts_with(current.as_str()))
                .map(|sub| Candidate {
                    value: sub.get_name().to_string(),
                    help: sub.get_about().map(|about| about.to_string()),
                })
                .collect();
            Completion::new(candidates, directive::NO_FILE_COMP)
        }
        Target::Flag => Completion::new(
            flag_candidates(command, &typed, &current),
            directive::NO_FILE_COMP,
        ),
        Target::Value { arg, prefix } => {
            let typed_value = current.strip_prefix(prefix.as_str()).unwrap_or("");
            let mut completion = value_candidates(command, &typed, &arg, typed_value).await;
            for candidate in &mut completion.candidates {
                candidate.value.insert_str(0, &prefix);
            }
            completion
        }
        Target::Positional { index } => {
            let mut positionals: Vec<&clap::Arg> = command.get_positionals().collect();
            positionals.sort_by_key(|a| a.get_index());
            let arg = positionals.get(index).copied().or_else(|| {
                positionals
                    .last()
                    .copied()
                    .filter(|a| a.get_num_args().is_some_and(|n| n.max_values() > 1))
            });
            match arg {
                Some(arg) => {
                    let id = arg.get_id().to_string();
                    value_candidates(command, &typed, &id, &current).await
                }
                None => Completion::new(Vec::new(), directive::NO_FILE_COMP),
            }
        }
    }
}

fn built_command() -> clap::Command {
    let mut command = cli::command();
    command.build();
    command
}

fn visible_subcommands(command: &clap::Command) -> impl Iterator<Item = &clap::Command> {
    command.get_subcommands().filter(|sub| !sub.is_hide_set())
}

fn find_long<'a>(command: &'a clap::Command, name: &str) -> Option<&'a clap::Arg> {
    command.get_arguments().find(|arg| {
        arg.get_long() == Some(name)
            || arg
                .get_all_aliases()
                .is_some_and(|aliases| aliases.contains(&name))
    })
}

/// A flag whose value is the next word (`-n NS`), not one with an optional `=value`.
fn needs_separate_value(arg: &clap::Arg) -> bool {
    arg.get_action().takes_values()
        && !arg.is_require_equals_set()
        && arg.get_num_args().is_none_or(|n| n.min_values() > 0)
}

fn record(typed: &mut Typed, id: &str, value: Option<&str>) {
    typed.flags.insert(id.to_string());
    let value = || value.map(str::to_string).filter(|v| !v.is_empty());
    let connection = &mut typed.connection;
    match id {
        "kubeconfig" => connection.kubeconfig = value().map(Into::into),
        "context" => connection.context = value(),
        "cluster" => connection.cluster = value(),
        "user" => connection.user = value(),
        "namespace" => connection.namespace = value(),
        "insecure_skip_tls_verify" => connection.insecure_skip_tls_verify = true,
        _ => {}
    }
}

fn flag_candidates(command: &clap::Command, typed: &Typed, current: &str) -> Vec<Candidate> {
    let mut candidates = Vec::new();
    for arg in command.get_arguments() {
        if arg.is_positional() || arg.is_hide_set() {
            continue;
        }
        let repeatable = matches!(arg.get_action(), ArgAction::Append | ArgAction::Count);
        if typed.flags.contains(arg.get_id().as_str()) && !repeatable {
            continue;
        }
        let help = arg.get_help().map(|h| h.to_string());
        if let Some(long) = arg.get_long() {
            candidates.push(Candidate {
                value: format!("--{long}"),
                help: help.clone(),
            });
        }
        if current == "-"
            && let Some(short) = arg.get_short()
        {
            candidates.push(Candidate {
                value: format!("-{short}"),
                help,
            });
        }
    }
    candidates.retain(|c| c.value.starts_with(current));
    candidates.sort_by(|a, b| a.value.cmp(&b.value));
    candidates
}

async fn value_candidates(
    command: &clap::Command,
    typed: &Typed,
    arg_id: &str,
    current: &str,
) -> Completion {
    let nothing = || Completion::new(Vec::new(), directive::NO_FILE_COMP);
    let arg = command.get_arguments().find(|a| a.get_id() == arg_id);
    let values: Vec<Candidate> = match arg_id {
        "kubeconfig" => return Completion::new(Vec::new(), directive::DEFAULT),
        "dir" => return Completion::new(Vec::new(), directive::FILTER_DIRS),
        "context" | "cluster" | "user" => kubeconfig_entries(&typed.connection, arg_id)
            .into_iter()
            .map(Candidate::plain)
            .collect(),
        "namespace" => bounded(namespaces(typed.connection.clone())).await,
        // TokenRequest names: the positional of get and delete, and create's APP when it is
        // about to replace an existing request.
        "name" | "names" => bounded(tokenrequest_names(typed.connection.clone())).await,
        "app" if typed.flags.contains("refresh") => {
            bounded(tokenrequest_names(typed.connection.clone())).await
        }
        _ => match arg {
            // `-o jsonpath` is followed by `=TEMPLATE` (and the other formats that take a
            // template, a file or columns by theirs).
            Some(arg) => arg
                .get_possible_values()
                .into_iter()
                .filter(|value| !value.is_hide_set())
                .map(|value| Candidate {
                    value: match value.get_name() {
                        name @ ("jsonpath" | "jsonpath-file" | "jsonpath-as-json"
                        | "custom-columns")
                            if arg_id == "output" =>
                        {
                            format!("{name}=")
                        }
                        name => name.to_string(),
                    },
                    help: value.get_help().map(|h| h.to_string()),
                })
                .collect(),
            None => return nothing(),
        },
    };
    // `delete a b <TAB>` does not offer a and b again.
    let already: BTreeSet<&str> = if arg_id == "names" {
        typed.positionals.iter().map(String::as_str).collect()
    } else {
        BTreeSet::new()
    };
    let candidates: Vec<Candidate> = values
        .into_iter()
        .filter(|c| c.value.starts_with(current) && !already.contains(c.value.as_str()))
        .collect();
    let directive = match candidates.as_slice() {
        [only] if only.value.ends_with('=') => directive::NO_SPACE | directive::NO_FILE_COMP,
        _ => directive::NO_FILE_COMP,
    };
    Completion::new(candidates, directive)
}

/// Contexts, clusters or users of the kubeconfig kubectl would read: `--kubeconfig`, else
/// `KUBECONFIG` (merged) or `~/.kube/config`.
fn kubeconfig_entries(connection: &ConnectionArgs, kind: &str) -> Vec<String> {
    let kubeconfig = match &connection.kubeconfig {
        Some(path) => Kubeconfig::read_from(path),
        None => Kubeconfig::read(),
    };
    let Ok(kubeconfig) = kubeconfig else {
        return Vec::new();
    };
    let names: BTreeSet<String> = match kind {
        "context" => kubeconfig.contexts.into_iter().map(|c| c.name).collect(),
        "cluster" => kubeconfig.clusters.into_iter().map(|c| c.name).collect(),
        _ => kubeconfig.auth_infos.into_iter().map(|u| u.name).collect(),
    };
    names.into_iter().collect()
}

/// Runs a cluster lookup within [`CLUSTER_BUDGET`]; a timeout or a panic gives nothing.
///
/// The lookup runs as its own task, so the budget holds even when it blocks a thread (an
/// exec credential plugin that waits for a login): the answer is printed and the process
/// exits without waiting for it.
async fn bounded<F>(lookup: F) -> Vec<Candidate>
where
    F: Future<Output = Vec<String>> + Send + 'static,
{
    let task = tokio::spawn(lookup);
    let abort = task.abort_handle();
    match tokio::time::timeout(CLUSTER_BUDGET, task).await {
        Ok(Ok(names)) => names.into_iter().map(Candidate::plain).collect(),
        Ok(Err(_panicked)) => Vec::new(),
        Err(_elapsed) => {
            abort.abort();
            Vec::new()
        }
    }
}

async fn connect_quietly(connection: &ConnectionArgs) -> Option<Connection> {
    let args = ConnectionArgs {
        // Each request is bounded too, so nothing lingers after the budget.
        request_timeout: CLUSTER_BUDGET,
        ..connection.clone()
    };
    connect(&args).await.ok()
}

/// Names of the TokenRequests in the namespace the typed words select.
async fn tokenrequest_names(connection: ConnectionArgs) -> Vec<String> {
    let Some(connection) = connect_quietly(&connection).await else {
        return Vec::new();
    };
    let api: Api<TokenRequest> = Api::namespaced(connection.client, &connection.namespace);
    match api.list(&ListParams::default()).await {
        // Only names leave this function: the objects carry tokens.
        Ok(list) => list
            .items
            .iter()
            .map(|tr| tr.name().to_string())
            .collect::<BTreeSet<_>>(),
        Err(_) => BTreeSet::new(),
    }
    .into_iter()
    .collect()
}

/// Namespaces from the API where the user may list them; otherwise (no right to list
/// namespaces, or a server that does not serve them, like the test sandbox) the namespaces
/// seen on TokenRequests across the cluster plus the context's own namespace.
async fn namespaces(connection: ConnectionArgs) -> Vec<String> {
    let Some(connection) = connect_quietly(&connection).await else {
        return Vec::new();
    };
    let listed: Api<Namespace> = Api::all(connection.client.clone());
    if let Ok(list) = listed.list(&ListParams::default()).await {
        return list.items.iter().map(|ns| ns.name_any()).collect();
    }
    let requests: Api<TokenRequest> = Api::all(connection.client.clone());
    match requests.list(&ListParams::default()).await {
        Ok(list) => list
            .items
            .iter()
            .map(|tr| tr.namespace().to_string())
            .filter(|ns| !ns.is_empty())
            .chain([connection.namespace.clone()])
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut words: Vec<String> = text.split_whitespace().map(str::to_string).collect();
        if text.ends_with(' ') || text.is_empty() {
            words.push(String::new());
        }
        words
    }

    fn values(completion: &Completion) -> Vec<&str> {
        completion
            .candidates
            .iter()
            .map(|c| c.value.as_str())
            .collect()
    }

    async fn run(text: &str) -> Completion {
        complete(&words(text)).await
    }

    #[test]
    fn classifies_the_word_under_the_cursor() {
        let target = |text: &str| analyze(&words(text)).1;
        assert_eq!(target(""), Target::Subcommand);
        assert_eq!(target("ge"), Target::Subcommand);
        assert_eq!(target("get "), Target::Positional { index: 0 });
        assert_eq!(target("delete a "), Target::Positional { index: 1 });
        assert_eq!(target("get --"), Target::Flag);
        assert_eq!(target("-"), Target::Flag);
        let value = |arg: &str, prefix: &str| Target::Value {
            arg: arg.into(),
            prefix: prefix.into(),
        };
        assert_eq!(target("get -n "), value("namespace", ""));
        assert_eq!(target("--context "), value("context", ""));
        assert_eq!(target("get -o "), value("output", ""));
        assert_eq!(target("get --output=js"), value("output", "--output="));
        assert_eq!(target("get -oya"), value("output", "-o"));
        assert_eq!(target("create a --dry-run="), value("mode", "--dry-run="));
        // A value-taking flag consumed its value; an optional one did not take the next word.
        assert_eq!(target("-n ns "), Target::Subcommand);
        assert_eq!(target("create --dry-run "), Target::Positional { index: 0 });
        assert_eq!(target("get -- "), Target::Positional { index: 0 });
    }

    #[test]
    fn reads_the_connection_flags_wherever_they_stand() {
        let (typed, _, _) = analyze(&words(
            "--context c1 get --kubeconfig=/k -n ns1 --user u --cluster=cl x ",
        ));
        assert_eq!(typed.path, ["get"]);
        assert_eq!(typed.connection.context.as_deref(), Some("c1"));
        assert_eq!(typed.connection.namespace.as_deref(), Some("ns1"));
        assert_eq!(typed.connection.user.as_deref(), Some("u"));
        assert_eq!(typed.connection.cluster.as_deref(), Some("cl"));
        assert_eq!(
            typed.connection.kubeconfig.as_deref(),
            Some(std::path::Path::new("/k"))
        );
        assert_eq!(typed.positionals, ["x"]);
        let (typed, _, _) = analyze(&words("get -nns2 "));
        assert_eq!(typed.connection.namespace.as_deref(), Some("ns2"));
        // Unknown flags and stray words are no error.
        let (typed, target, _) = analyze(&words("--bogus list --what -A "));
        assert_eq!(typed.path, ["list"]);
        assert!(typed.flags.contains("all_namespaces"));
        assert_eq!(target, Target::Positional { index: 0 });
    }

    #[tokio::test]
    async fn subcommands_and_flags_come_from_the_definition() {
        let top = run("").await;
        for name in ["create", "get", "list", "delete", "completion"] {
            assert!(values(&top).contains(&name), "{top:?}");
        }
        assert!(!values(&top).contains(&"__complete"), "hidden: {top:?}");
        assert_eq!(top.directive, directive::NO_FILE_COMP);
        let create = top.candidates.iter().find(|c| c.value == "create").unwrap();
        assert!(create.help.as_deref().unwrap().contains("TokenRequest"));

        assert_eq!(values(&run("de").await), ["delete"]);
        assert_eq!(
            values(&run("completion ").await),
            [
                "bash",
                "zsh",
                "fish",
                "powershell",
                "elvish",
                "install-kubectl-shim",
                "help"
            ]
        );

        let flags = run("create app --").await;
        for flag in [
            "--refresh",
            "--tenant",
            "--output",
            "--dry-run",
            "--namespace",
            "--context",
        ] {
            assert!(values(&flags).contains(&flag), "{flags:?}");
        }
        assert!(!values(&flags).contains(&"--chunk-size"));
        // Flags already given are not offered again; shorts only after a lone `-`.
        let again = run("list -A --all").await;
        assert!(!values(&again).contains(&"--all-namespaces"), "{again:?}");
        let shorts = run("list -").await;
        assert!(values(&shorts).contains(&"-A") && values(&shorts).contains(&"-n"));
        assert!(!values(&run("list --").await).contains(&"-A"));
        // kubectl's --chunk-size, on the commands that list.
        assert_eq!(values(&run("list --ch").await), ["--chunk-size"]);
        assert_eq!(values(&run("delete --all --ch").await), ["--chunk-size"]);
    }

    #[tokio::test]
    async fn output_formats_fit_the_command() {
        let has = |completion: &Completion, wanted: &[&str], unwanted: &[&str]| {
            let values = values(completion);
            for format in wanted {
                assert!(values.contains(format), "{format} missing: {values:?}");
            }
            for format in unwanted {
                assert!(!values.contains(format), "{format} offered: {values:?}");
            }
        };
        let get = run("get x -o ").await;
        let single = ["env", "json", "jsonpath=", "name", "token", "url", "yaml"];
        has(&get, &single, &["wide", "jsonpath"]);
        assert_eq!(get.directive, directive::NO_FILE_COMP);
        has(&run("create x -o ").await, &single, &["wide"]);
        let list = run("list -o ").await;
        has(
            &list,
            &["json", "jsonpath=", "name", "wide", "yaml"],
            &["token", "url", "env"],
        );
        assert_eq!(values(&run("delete -o ").await), ["name"]);

        let jsonpath = run("get x -o jsonpath=").await;
        assert_eq!(values(&jsonpath), ["jsonpath="]);
        assert_eq!(
            values(&run("get x -o jsonp").await),
            ["jsonpath=", "jsonpath-file=", "jsonpath-as-json="]
        );
        assert_eq!(
            jsonpath.directive,
            directive::NO_SPACE | directive::NO_FILE_COMP
        );
        assert_eq!(values(&run("get x --output=y").await), ["--output=yaml"]);
        assert_eq!(values(&run("get x -oy").await), ["-oyaml"]);
        assert!(values(&run("get x -o jsonpath={.").await).is_empty());
    }

    #[tokio::test]
    async fn values_from_the_definition_and_the_kubeconfig() {
        assert_eq!(
            values(&run("delete --all --dry-run=").await),
            ["--dry-run=client", "--dry-run=server", "--dry-run=none"]
        );
        assert_eq!(run("--kubeconfig ").await.directive, directive::DEFAULT);
        assert_eq!(
            run("completion install-kubectl-shim --dir ")
                .await
                .directive,
            directive::FILTER_DIRS
        );
        // Free-form values: nothing, and no file names either.
        let timeout = run("create a --timeout ").await;
        assert!(timeout.candidates.is_empty());
        assert_eq!(timeout.directive, directive::NO_FILE_COMP);

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        std::fs::write(
            &path,
            "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: 'http://127.0.0.1:1'}\n\
             users:\n- name: u\n  user: {}\ncontexts:\n- name: prod\n  context: {cluster: c, user: u}\n\
             - name: dev\n  context: {cluster: c, user: u}\ncurrent-context: dev\n",
        )
        .unwrap();
        let kubeconfig = path.display().to_string();
        assert_eq!(
            values(&run(&format!("--kubeconfig {kubeconfig} --context ")).await),
            ["dev", "prod"]
        );
        assert_eq!(
            values(&run(&format!("get --kubeconfig={kubeconfig} --context=p")).await),
            ["--context=prod"]
        );
        assert_eq!(
            values(&run(&format!("--kubeconfig {kubeconfig} --user ")).await),
            ["u"]
        );
        // A cluster that refuses connections: no candidates, quickly.
        let started = std::time::Instant::now();
        let names = run(&format!("get --kubeconfig {kubeconfig} ")).await;
        assert!(names.candidates.is_empty());
        assert_eq!(names.directive, directive::NO_FILE_COMP);
        assert!(started.elapsed() < CLUSTER_BUDGET + Duration::from_secs(1));
    }

    #[test]
    fn renders_cobras_protocol() {
        let completion = Completion::new(
            vec![
                Candidate::plain("a"),
                Candidate {
                    value: "b".into(),
                    help: Some("two\nlines".into()),
                },
            ],
            directive::NO_FILE_COMP,
        );
        assert_eq!(completion.render(), "a\nb\ttwo lines\n:4\n");
        assert_eq!(Completion::new(vec![], 6).render(), ":6\n");
    }
}
