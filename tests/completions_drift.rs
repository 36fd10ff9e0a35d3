//! The committed shell completion scripts (`completions/`) and man pages (`man/`) are what the
//! current code generates. When this fails after a change to the command line, regenerate
//! them with
//!
//!     UPDATE_GENERATED=1 cargo test --test completions_drift
//!
//! and commit the result.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use kubectl_tokenrequest::commands::completion::{self, SHELLS};
use kubectl_tokenrequest::error::exit_code;

const REGENERATE: &str = "UPDATE_GENERATED=1 cargo test --test completions_drift";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `completion SHELL` as the built binary prints it, per file name.
fn completion_scripts() -> BTreeMap<String, String> {
    SHELLS
        .iter()
        .map(|&shell| {
            let name = shell.to_string();
            let output = Command::new(env!("CARGO_BIN_EXE_kubectl-tokenrequest"))
                .args(["completion", &name])
                .output()
                .expect("run the plugin");
            assert!(output.status.success(), "completion {name}: {output:?}");
            let script = String::from_utf8(output.stdout).expect("UTF-8 script");
            assert_eq!(
                script,
                completion::script(shell),
                "binary and library differ"
            );
            (completion::script_file_name(shell), script)
        })
        .collect()
}

/// One man page for the plugin and one per visible subcommand, from the clap definition.
/// Pages are named `kubectl-tokenrequest[-SUB…].1`; their synopsis shows `kubectl tokenrequest`.
fn man_pages() -> BTreeMap<String, String> {
    fn collect(command: &clap::Command, pages: &mut BTreeMap<String, String>) {
        for sub in command.get_subcommands() {
            if !sub.is_hide_set() {
                collect(sub, pages);
            }
        }
        let man = clap_mangen::Man::new(command.clone()).manual("kubectl plugins");
        let mut page = Vec::new();
        render(&man, command, &mut page).expect("render a man page");
        pages.insert(
            man.get_filename(),
            String::from_utf8(page).expect("UTF-8 man page"),
        );
    }
    let mut command = kubectl_tokenrequest::cli::command()
        .name(completion::BIN_NAME)
        .display_name(completion::BIN_NAME)
        .disable_help_subcommand(true);
    command.build();
    let mut pages = BTreeMap::new();
    collect(&command, &mut pages);
    pages
}

/// clap_mangen's sections, except that `after_help` (the command's examples, and on the top
/// page the exit codes) becomes EXAMPLES, and every page gets an EXIT STATUS section.
fn render(
    man: &clap_mangen::Man,
    command: &clap::Command,
    page: &mut Vec<u8>,
) -> std::io::Result<()> {
    man.render_title(page)?;
    man.render_name_section(page)?;
    man.render_synopsis_section(page)?;
    man.render_description_section(page)?;
    if command.get_arguments().any(|arg| !arg.is_hide_set()) {
        man.render_options_section(page)?;
    }
    if command.has_subcommands() {
        man.render_subcommands_section(page)?;
    }
    let mut roff = roff::Roff::new();
    let after = command
        .get_after_help()
        .map(|help| help.to_string())
        .unwrap_or_default();
    if let Some(examples) = after.strip_prefix("Examples:\n") {
        roff.control("SH", ["EXAMPLES"]);
        roff.control("nf", []);
        for line in examples.lines() {
            roff.text([roff::roman(line.strip_prefix("  ").unwrap_or(line))]);
        }
        roff.control("fi", []);
    }
    roff.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in exit_code::TABLE {
        roff.control("TP", []);
        roff.text([roff::bold(code.to_string())]);
        roff.text([roff::roman(*meaning)]);
    }
    roff.to_writer(page)?;
    man.render_version_section(page)
}

/// Compares `dir` with `expected` (file name → content), or rewrites it when
/// UPDATE_GENERATED is set. Files in `dir` that are no longer generated count as drift.
fn check(dir: &str, expected: BTreeMap<String, String>) {
    let dir = repo().join(dir);
    let update = std::env::var_os("UPDATE_GENERATED").is_some_and(|v| !v.is_empty() && v != "0");
    let present: BTreeMap<String, PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .map(|entry| entry.expect("read the directory").path())
                .filter(|path| path.is_file())
                .map(|path| (file_name(&path), path))
                .collect()
        })
        .unwrap_or_default();
    if update {
        std::fs::create_dir_all(&dir).expect("create the directory");
        for (name, path) in &present {
            if !expected.contains_key(name) {
                std::fs::remove_file(path).expect("remove a stale file");
            }
        }
        for (name, content) in &expected {
            let path = dir.join(name);
            if std::fs::read_to_string(&path).ok().as_deref() != Some(content.as_str()) {
                std::fs::write(&path, content).expect("write a generated file");
                eprintln!("regenerated {}", path.display());
            }
        }
        return;
    }
    let mut problems = Vec::new();
    for (name, content) in &expected {
        match std::fs::read_to_string(dir.join(name)) {
            Ok(committed) if &committed == content => {}
            Ok(_) => problems.push(format!("{name} differs from what the code generates")),
            Err(_) => problems.push(format!("{name} is missing")),
        }
    }
    for name in present.keys().filter(|name| !expected.contains_key(*name)) {
        problems.push(format!("{name} is no longer generated"));
    }
    assert!(
        problems.is_empty(),
        "{} is out of date:\n  {}\nRegenerate with `{REGENERATE}` and commit the result.",
        dir.display(),
        problems.join("\n  ")
    );
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .expect("a file name")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn committed_completion_scripts_match_the_binary() {
    let scripts = completion_scripts();
    assert_eq!(scripts.len(), 5, "{:?}", scripts.keys());
    for (name, script) in &scripts {
        assert!(script.contains("kubectl-tokenrequest"), "{name}");
        // bash, zsh and fish ask the hidden command at every TAB (tests/shell_completion.rs
        // checks that it is not offered); the static scripts must not list it.
        let dynamic = !name.ends_with(".ps1") && !name.ends_with(".elv");
        assert_eq!(
            script.contains("__complete"),
            dynamic,
            "{name}: the hidden command"
        );
    }
    check("completions", scripts);
}

#[test]
fn committed_man_pages_match_the_clap_definition() {
    let pages = man_pages();
    let main = &pages["kubectl-tokenrequest.1"];
    assert!(main.contains("kubectl tokenrequest"), "{main}");
    for (name, page) in &pages {
        assert!(
            page.contains(".SH \"EXIT STATUS\""),
            "{name} lacks EXIT STATUS"
        );
        assert!(page.contains("\\fB143\\fR"), "{name} lacks the exit codes");
        assert!(
            !page.contains(".SH EXTRA"),
            "{name} files something under EXTRA"
        );
    }
    for name in [
        "kubectl-tokenrequest-create.1",
        "kubectl-tokenrequest-get.1",
        "kubectl-tokenrequest-completion-install-kubectl-shim.1",
    ] {
        assert!(pages.contains_key(name), "{:?}", pages.keys());
    }
    assert!(
        pages["kubectl-tokenrequest-create.1"].contains("kubectl tokenrequest create my\\-app"),
        "examples belong in the man page"
    );
    assert!(!pages.keys().any(|name| name.contains("__complete")));
    check("man", pages);
}
