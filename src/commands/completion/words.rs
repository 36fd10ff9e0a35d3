//! The typed words, read leniently against the clap definition: which subcommand, which
//! connection flags, which flags, which positionals, and what the word under the cursor is.

use std::collections::BTreeSet;

use crate::cli::{self, ConnectionArgs};

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

pub(super) fn built_command() -> clap::Command {
    let mut command = cli::command();
    command.build();
    command
}

pub(super) fn visible_subcommands(command: &clap::Command) -> impl Iterator<Item = &clap::Command> {
    command.get_subcommands().filter(|sub| !sub.is_hide_set())
}

pub(super) fn find_long<'a>(command: &'a clap::Command, name: &str) -> Option<&'a clap::Arg> {
    command.get_arguments().find(|arg| {
        arg.get_long() == Some(name)
            || arg
                .get_all_aliases()
                .is_some_and(|aliases| aliases.contains(&name))
    })
}

/// A flag whose value is the next word (`-n NS`), not one with an optional `=value`.
pub(super) fn needs_separate_value(arg: &clap::Arg) -> bool {
    arg.get_action().takes_values()
        && !arg.is_require_equals_set()
        && arg.get_num_args().is_none_or(|n| n.min_values() > 0)
}

pub(super) fn record(typed: &mut Typed, id: &str, value: Option<&str>) {
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
