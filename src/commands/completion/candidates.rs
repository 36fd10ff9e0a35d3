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

use clap::ArgAction;

pub use super::lookups::CLUSTER_BUDGET;
use super::lookups::{bounded, kubeconfig_entries, namespaces, tokenrequest_names};
pub use super::protocol::{Candidate, Completion, directive};
pub use super::words::{Target, Typed, analyze};
use super::words::{built_command, visible_subcommands};

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
            // Cobra's protocol: after `--flag=` (and `-f=`) the values come bare, and the
            // shell scripts (kubectl's and ours) put the flag back; a value glued to a short
            // flag (`-oya`) is one word to the shell, so its candidates repeat the flag.
            if !prefix.ends_with('=') {
                for candidate in &mut completion.candidates {
                    candidate.value.insert_str(0, &prefix);
                }
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
        "apps" if typed.flags.contains("refresh") => {
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
    // `jsonpath=` is followed by its template: no space when every candidate wants one.
    let directive = if !candidates.is_empty() && candidates.iter().all(|c| c.value.ends_with('=')) {
        directive::NO_SPACE | directive::NO_FILE_COMP
    } else {
        directive::NO_FILE_COMP
    };
    Completion::new(candidates, directive)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

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
        assert_eq!(values(&run("delete -o ").await), ["name", "json", "yaml"]);

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
        assert_eq!(values(&run("get x --output=y").await), ["yaml"]);
        assert_eq!(values(&run("get x -o=y").await), ["yaml"]);
        assert_eq!(values(&run("get x -oy").await), ["-oyaml"]);
        assert!(values(&run("get x -o jsonpath={.").await).is_empty());
    }

    #[tokio::test]
    async fn values_from_the_definition_and_the_kubeconfig() {
        assert_eq!(
            values(&run("delete --all --dry-run=").await),
            ["client", "server", "none"]
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
            ["prod"]
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
