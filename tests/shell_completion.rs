//! The committed completion scripts, run in their shells the way a user's shell runs them:
//! bash through its completion function with `COMP_WORDS`/`COMP_CWORD`, fish through
//! `complete -C`, zsh by pressing TAB in an interactive zsh on a pseudo-terminal
//! (`tests/shells/zsh_complete.zsh`). (The drift test only proves the committed text did not
//! change; this proves it completes.) The shells are test dependencies; `.ci/run` installs them.

use std::path::{Path, PathBuf};
use std::process::Command;

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("completions")
        .join(name)
}

#[track_caller]
fn require(shell: &str) {
    let found = Command::new(shell)
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success());
    assert!(
        found,
        "this test needs `{shell}` on PATH; install it (.ci/run does)"
    );
}

/// What bash offers for `line` (a trailing space starts a new, empty word).
fn bash(line: &str) -> Vec<String> {
    let program = r#"
        source "$1"
        read -ra COMP_WORDS <<< "$2"
        [[ "$2" == *" " ]] && COMP_WORDS+=("")
        COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
        COMP_LINE="$2"; COMP_POINT=${#COMP_LINE}
        complete -p kubectl-tokenrequest >/dev/null || exit 3
        function=$(complete -p kubectl-tokenrequest | sed -E 's/.*-F ([^ ]+).*/\1/')
        "$function" kubectl-tokenrequest "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        printf '%s\n' "${COMPREPLY[@]}"
    "#;
    let output = Command::new("bash")
        .args(["-c", program, "bash"])
        .arg(script("kubectl-tokenrequest.bash"))
        .arg(line)
        .output()
        .expect("run bash");
    assert!(output.status.success(), "bash: {output:?}");
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// What fish offers for `line`, candidates without their descriptions.
fn fish(line: &str) -> Vec<String> {
    let output = Command::new("fish")
        .arg("--no-config")
        .arg("-c")
        .arg("source $argv[1]; complete -C $argv[2]")
        .arg(script("kubectl-tokenrequest.fish"))
        .arg(line)
        .output()
        .expect("run fish");
    assert!(output.status.success(), "fish: {output:?}");
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split('\t').next().unwrap_or_default().to_string())
        .collect()
}

/// What zsh offers for `line`: compinit with the committed `_kubectl-tokenrequest` on fpath.
fn zsh(line: &str) -> Vec<String> {
    let fpath = tempfile::tempdir().unwrap();
    std::fs::copy(
        script("_kubectl-tokenrequest"),
        fpath.path().join("_kubectl-tokenrequest"),
    )
    .unwrap();
    let capture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/shells/zsh_complete.zsh");
    let output = Command::new("zsh")
        .arg("-f")
        .arg(capture)
        .arg(fpath.path())
        .arg(line)
        .output()
        .expect("run zsh");
    assert!(output.status.success(), "zsh: {output:?}");
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[track_caller]
fn offers(got: &[String], wanted: &[&str], line: &str) {
    for value in wanted {
        assert!(
            got.iter().any(|g| g == value),
            "`{line}<TAB>` should offer {value}: {got:?}"
        );
    }
}

#[track_caller]
fn not_offered(got: &[String], unwanted: &[&str], line: &str) {
    for value in unwanted {
        assert!(
            !got.iter().any(|g| g == value),
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
        &[],
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
        &["jsonpath", "jsonpath-file", "jsonpath-as-json"],
        &["custom-columns"],
    ),
    (
        "kubectl-tokenrequest get x -o cu",
        &["custom-columns"],
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

#[test]
fn bash_completes_subcommands_their_flags_and_output_formats() {
    require("bash");
    for (line, wanted, unwanted) in CASES {
        let got = bash(line);
        offers(&got, wanted, line);
        not_offered(&got, unwanted, line);
    }
}

#[test]
fn fish_completes_subcommands_their_flags_and_output_formats() {
    require("fish");
    for (line, wanted, unwanted) in CASES {
        let got = fish(line);
        offers(&got, wanted, line);
        not_offered(&got, unwanted, line);
    }
}

#[test]
fn zsh_completes_subcommands_their_flags_and_output_formats() {
    require("zsh");
    for (line, wanted, unwanted) in CASES {
        let got = zsh(line);
        offers(&got, wanted, line);
        not_offered(&got, unwanted, line);
    }
}
