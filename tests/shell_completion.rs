//! The committed completion scripts, run in their shells the way a user's shell runs them
//! (`tests/common/shells.rs`: bash and zsh pressing TAB on a pseudo-terminal, fish through
//! `complete -C`). The scripts are dynamic: each TAB runs `kubectl-tokenrequest __complete`,
//! so these run the built binary too, against a kubeconfig where a case needs one (the names
//! from a cluster: `tests/e2e/completion.rs`). (The drift test only proves the committed text
//! did not change; this proves it completes.) The shells are test dependencies; `.ci/run`
//! installs them.

#[path = "common/shells.rs"]
mod shells;

use shells::{Env, Offer, require};

#[track_caller]
fn offers(got: &Offer, wanted: &[&str], line: &str) {
    for value in wanted {
        assert!(
            got.has(value),
            "`{line}<TAB>` should offer {value}: {got:?}"
        );
    }
}

#[track_caller]
fn not_offered(got: &Offer, unwanted: &[&str], line: &str) {
    for value in unwanted {
        assert!(
            !got.has(value),
            "`{line}<TAB>` should not offer {value}: {got:?}"
        );
    }
}

/// Lines and what each must (and must not) complete to, for every shell.
const CASES: &[(&str, &[&str], &[&str])] = &[
    (
        "kubectl-tokenrequest ",
        &[
            "create",
            "get",
            "connect",
            "list",
            "delete",
            "cleanup",
            "completion",
        ],
        &["__complete"],
    ),
    ("kubectl-tokenrequest cr", &["create"], &["get"]),
    (
        "kubectl-tokenrequest delete --ign",
        &["--ignore-not-found"],
        &[],
    ),
    (
        "kubectl-tokenrequest create app --",
        &[
            "--refresh",
            "--tenant",
            "--no-wait",
            "--output",
            "--namespace",
        ],
        &["--ignore-not-found", "--chunk-size"],
    ),
    (
        "kubectl-tokenrequest list --",
        &["--all-namespaces", "--watch", "--chunk-size", "--selector"],
        &["--refresh"],
    ),
    (
        "kubectl-tokenrequest cleanup --",
        &["--grace", "--stale", "--errored", "--concurrency"],
        &["--watch"],
    ),
    (
        "kubectl-tokenrequest list --",
        &[
            "--no-headers",
            "--sort-by",
            "--show-labels",
            "--label-columns",
            "--field-selector",
            "--watch-only",
            "--output-watch-events",
            "--allow-missing-template-keys",
        ],
        &["--labels"],
    ),
    (
        "kubectl-tokenrequest get --",
        &[
            "--all-namespaces",
            "--selector",
            "--field-selector",
            "--no-headers",
            "--sort-by",
            "--show-labels",
            "--label-columns",
            "--allow-missing-template-keys",
        ],
        &["--watch-only", "--labels"],
    ),
    (
        "kubectl-tokenrequest create app --",
        &["--labels", "--allow-missing-template-keys"],
        &["--selector", "--sort-by"],
    ),
    ("kubectl-tokenrequest delete --sel", &["--selector"], &[]),
    ("kubectl-tokenrequest connect x --out", &["--out-dir"], &[]),
    (
        "kubectl-tokenrequest list -o ",
        &["wide", "json", "yaml", "name"],
        &["token", "url", "env", "config"],
    ),
    (
        "kubectl-tokenrequest get x -o ",
        &["json", "yaml", "url", "token", "env", "config"],
        &["wide"],
    ),
    (
        "kubectl-tokenrequest list -o json",
        &["jsonpath=", "jsonpath-file=", "jsonpath-as-json="],
        &["custom-columns"],
    ),
    (
        "kubectl-tokenrequest get x -o cu",
        &["custom-columns="],
        &["json"],
    ),
    (
        "kubectl-tokenrequest delete -o ",
        &["name", "json", "yaml"],
        &["wide", "token"],
    ),
    (
        "kubectl-tokenrequest completion ",
        &["bash", "zsh", "fish", "install-kubectl-shim"],
        &[],
    ),
    (
        "kubectl-tokenrequest completion install-kubectl-shim --",
        &["--dir"],
        &[],
    ),
];

fn completes_the_cases(shell: &str, offer: impl Fn(&Env, &str) -> Offer) {
    require(shell);
    let env = Env::built();
    for (line, wanted, unwanted) in CASES {
        let got = offer(&env, line);
        offers(&got, wanted, line);
        not_offered(&got, unwanted, line);
    }
}

#[test]
fn bash_completes_subcommands_their_flags_and_output_formats() {
    completes_the_cases("bash", Env::bash);
}

#[test]
fn fish_completes_subcommands_their_flags_and_output_formats() {
    completes_the_cases("fish", Env::fish);
}

#[test]
fn zsh_completes_subcommands_their_flags_and_output_formats() {
    completes_the_cases("zsh", Env::zsh);
}

/// Two contexts on a cluster that refuses connections: names and namespaces come back empty
/// (quickly), contexts from the file.
const KUBECONFIG: &str = "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: 'http://127.0.0.1:1'}\nusers:\n- name: u\n  user: {}\ncontexts:\n- name: prod\n  context: {cluster: c, user: u}\n- name: dev\n  context: {cluster: c, user: u}\ncurrent-context: dev\n";

fn with_kubeconfig() -> (tempfile::TempDir, Env) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config");
    std::fs::write(&path, KUBECONFIG).unwrap();
    // A missing entry in KUBECONFIG is skipped, as the commands skip it.
    let listed = std::env::join_paths([dir.path().join("missing"), path]).unwrap();
    let env = Env::built().kubeconfig(listed);
    (dir, env)
}

/// The scripts ask the plugin: contexts from the kubeconfig, never file names where a name or
/// a flag value goes, and file names where they fit.
#[test]
fn every_shell_asks_the_plugin_and_offers_no_files_for_names() {
    for shell in ["bash", "zsh", "fish"] {
        require(shell);
    }
    let (_dir, env) = with_kubeconfig();
    for (shell, offer) in env.all("kubectl-tokenrequest --context ") {
        assert_eq!(offer.candidates, ["dev", "prod"], "{shell}: {offer:?}");
        assert!(!offer.offers_files(), "{shell}: {offer:?}");
    }
    for line in [
        "kubectl-tokenrequest get ",
        "kubectl-tokenrequest delete x ",
        "kubectl-tokenrequest get -n ",
        "kubectl-tokenrequest create app --timeout ",
    ] {
        for (shell, offer) in env.all(line) {
            assert!(!offer.offers_files(), "{shell} `{line}<TAB>`: {offer:?}");
            if let Some(after) = &offer.line {
                assert_eq!(after, line, "{shell}: nothing to insert");
            }
        }
    }
    for (shell, offer) in env.all("kubectl-tokenrequest --kubeconfig zz") {
        assert!(
            offer.offers_files(),
            "{shell} --kubeconfig takes a file: {offer:?}"
        );
    }
}

/// `--flag=value`: the plugin answers with bare values (Cobra's protocol), the scripts keep
/// the flag in front.
#[test]
fn every_shell_completes_a_value_after_the_equals_sign() {
    let (_dir, env) = with_kubeconfig();
    for (line, completed) in [
        (
            "kubectl-tokenrequest --context=p",
            "kubectl-tokenrequest --context=prod ",
        ),
        (
            "kubectl-tokenrequest get x --output=ya",
            "kubectl-tokenrequest get x --output=yaml ",
        ),
        (
            "kubectl-tokenrequest get x -oya",
            "kubectl-tokenrequest get x -oyaml ",
        ),
    ] {
        let word = completed.trim_end().rsplit(' ').next().unwrap();
        for (shell, offer) in env.all(line) {
            match &offer.line {
                Some(after) => assert_eq!(after, completed, "{shell}: {offer:?}"),
                None => assert_eq!(offer.candidates, [word], "{shell}: {offer:?}"),
            }
        }
    }
}

/// `-o jsonpath=` is followed by its template: no space after it.
#[test]
fn every_shell_leaves_no_space_after_jsonpath() {
    let env = Env::built();
    let line = "kubectl-tokenrequest get x -o jsonpath-f";
    for (shell, offer) in env.all(line) {
        assert!(offer.has("jsonpath-file="), "{shell}: {offer:?}");
        if let Some(after) = &offer.line {
            assert_eq!(after, &format!("{line}ile="), "{shell}: no space");
        }
    }
    for (shell, offer) in env.all("kubectl-tokenrequest get x -o ") {
        assert!(offer.has("jsonpath="), "{shell}: {offer:?}");
        assert!(!offer.has("jsonpath"), "{shell}: {offer:?}");
    }
}

/// Each `-o` value once (zsh offered `name json yaml name json yaml`).
#[test]
fn every_shell_offers_each_output_format_once() {
    let env = Env::built();
    for (shell, offer) in env.all("kubectl-tokenrequest delete -o ") {
        let mut candidates = offer.candidates.clone();
        candidates.sort();
        assert_eq!(candidates, ["json", "name", "yaml"], "{shell}: {offer:?}");
    }
}
