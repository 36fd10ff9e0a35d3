//! The plugin inside `tokenrequest-sandbox exec`, the two binaries as cargo built them:
//! `kubectl tokenrequest connect` works with nothing but what exec exports; README.md's first
//! command, read out of README.md, connects an application and prints the summary; and the CI
//! script of README's "Test your automation without Kyma" runs through exec as shown.
//!
//! README's first command is `BUILD && RUN`. Running cargo from inside `cargo test` could wait
//! on the build directory's lock, so the test checks that BUILD is the build it knows (debug
//! builds of both binaries into `target/debug`, which `cargo test --workspace` has just made
//! too) and runs RUN as written, with `target/debug/` standing for the directory cargo put the
//! binaries in.

#[path = "common/sandbox_binary.rs"]
mod sandbox_binary;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use sandbox_binary::sandbox_binary;

const BUILD: &str = "cargo build --workspace --bins --locked";
const TEST: &str = "cargo test --workspace --locked";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The directory cargo put both binaries in.
fn binary_dir() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_kubectl-tokenrequest"))
        .parent()
        .expect("the plugin binary lies in a directory")
}

/// kubectl runs (from PATH), or the test fails saying it is missing.
fn require_kubectl() {
    let version = Command::new("kubectl")
        .args(["version", "--client"])
        .output()
        .expect("kubectl is not on PATH: this test runs `kubectl tokenrequest` inside exec");
    assert!(
        version.status.success(),
        "kubectl version --client: {version:?}"
    );
}

/// `command` with an environment that names no other cluster.
fn hermetic(mut command: Command, home: &Path) -> Command {
    command
        .env_remove("KUBECONFIG")
        .env("HOME", home)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    command
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The file paths `connect`'s summary lists, each checked to be gone now.
fn assert_summary_and_gone(output: &Output, app: &str) {
    let stdout = text(&output.stdout);
    assert!(
        output.status.success(),
        "exit {}\nstdout: {stdout}\nstderr: {}",
        output.status,
        text(&output.stderr)
    );
    assert!(
        stdout.contains(&format!(
            "Connected {app}: the Connector Service at https://127.0.0.1:"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("knows the new certificate as application {app}.")),
        "{stdout}"
    );
    let configuration = stdout
        .lines()
        .find_map(|line| line.trim().strip_prefix("configuration"))
        .map(|path| PathBuf::from(path.trim()))
        .unwrap_or_else(|| panic!("the summary names connection.yaml: {stdout}"));
    assert_eq!(
        configuration.file_name().and_then(|name| name.to_str()),
        Some("connection.yaml")
    );
    assert!(
        !configuration.exists() && !configuration.parent().unwrap().exists(),
        "exec removes its directory, {} included",
        configuration.display()
    );
}

#[test]
fn kubectl_tokenrequest_connect_works_inside_exec() {
    require_kubectl();
    let home = tempfile::tempdir().unwrap();
    // kubectl finds plugins on PATH: exec puts this build's directory first. The script checks
    // that, connects, and shows that the files are there while the sandbox runs.
    let script = r#"
        test "$(command -v kubectl-tokenrequest)" = "$EXPECTED_PLUGIN" || exit 90
        kubectl tokenrequest connect exec-app \
            --out-dir "$TOKENREQUEST_SANDBOX_DIR/exec-app" \
            --certificate-authority "$TOKENREQUEST_SANDBOX_CONNECTOR_CA" || exit
        test -s "$TOKENREQUEST_SANDBOX_DIR/exec-app/client.key" || exit 91
        kubectl get tokenrequest exec-app -o jsonpath='{.status.state}' > "$STATE"
    "#;
    let state = home.path().join("state");
    let mut command = Command::new(sandbox_binary());
    command
        .args(["exec", "--", "sh", "-c", script])
        .env(
            "EXPECTED_PLUGIN",
            env!("CARGO_BIN_EXE_kubectl-tokenrequest"),
        )
        .env("STATE", &state);
    let output = hermetic(command, home.path()).output().expect("exec runs");
    assert_summary_and_gone(&output, "exec-app");
    assert_eq!(std::fs::read_to_string(&state).unwrap(), "OK");
}

fn readme() -> String {
    std::fs::read_to_string(repo().join("README.md")).expect("README.md")
}

/// The fenced code blocks of `text`, their lines.
fn code_blocks(text: &str) -> Vec<Vec<&str>> {
    let mut blocks = Vec::new();
    let mut lines = text.lines();
    while lines.any(|line| line.starts_with("```")) {
        blocks.push(
            lines
                .by_ref()
                .take_while(|line| !line.starts_with("```"))
                .collect(),
        );
    }
    blocks
}

/// The commands of a code block, comments and blank lines left out, lines ending in `\`
/// joined to the next.
fn commands(block: &[&str]) -> Vec<String> {
    let mut commands = Vec::new();
    let mut pending = String::new();
    for line in block {
        let line = line.trim();
        if pending.is_empty() && (line.is_empty() || line.starts_with('#')) {
            continue;
        }
        match line.strip_suffix('\\') {
            Some(start) => pending.push_str(start),
            None => {
                pending.push_str(line);
                commands.push(std::mem::take(&mut pending));
            }
        }
    }
    commands
}

/// A command without its trailing `# comment`.
fn without_comment(command: &str) -> &str {
    command.split(" #").next().unwrap_or(command).trim()
}

#[test]
fn readmes_first_command_connects_an_application_on_the_sandbox() {
    let readme = readme();
    let commands = commands(&code_blocks(&readme)[0]);
    assert!(commands.len() >= 2, "README's first block: {commands:?}");
    assert_eq!(
        without_comment(&commands[1]),
        TEST,
        "README's second command runs the tests (.ci/run runs it)"
    );
    let (build, run) = commands[0]
        .split_once(" && ")
        .unwrap_or_else(|| panic!("README's first command is BUILD && RUN: {}", commands[0]));
    assert_eq!(
        build, BUILD,
        "the build this test knows cargo test has made (see the module comment)"
    );
    let run = without_comment(run);
    let rest = run
        .strip_prefix("target/debug/tokenrequest-sandbox exec ")
        .unwrap_or_else(|| panic!("RUN starts with the built sandbox's exec: {run}"));
    // The fresh binaries of this test run: the sandbox checked, the plugin beside it.
    let sandbox = sandbox_binary();
    assert_eq!(sandbox.parent(), Some(binary_dir()));
    let run = format!("'{}' exec {rest}", sandbox.display());

    let home = tempfile::tempdir().unwrap();
    let mut command = Command::new("sh");
    command.args(["-c", &run]).current_dir(repo());
    let output = hermetic(command, home.path()).output().expect("sh runs");
    assert_summary_and_gone(&output, "demo-app");
    // The sandbox's own logging stays out of the way of what the command prints.
    let stderr = text(&output.stderr);
    assert!(!stderr.contains("INFO"), "{stderr}");
    // The demo's Application exists on its sandbox: no preflight warning.
    assert!(!stderr.contains("Warning"), "{stderr}");
}

#[test]
fn readmes_ci_script_example_runs_through_exec() {
    require_kubectl();
    let readme = readme();
    let section = readme
        .split_once("## Test your automation without Kyma")
        .map(|(_, rest)| rest.split("\n## ").next().unwrap_or(rest))
        .expect("README has the section");
    let blocks = code_blocks(section);
    let [script, invocation, ..] = blocks.as_slice() else {
        panic!("the section shows a script and how exec runs it: {blocks:?}");
    };
    let script = script.join("\n") + "\n";
    let path = script
        .lines()
        .find_map(|line| line.strip_prefix("# "))
        .filter(|path| path.ends_with(".sh"))
        .expect("the script names its file in its first comment");
    let invocation = commands(invocation);
    assert_eq!(
        invocation,
        [format!(
            "tokenrequest-sandbox exec --applications my-app -- ./{path}"
        )],
        "exec runs the script shown"
    );

    let work = tempfile::tempdir().unwrap();
    let file = work.path().join(path);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, &script).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let run = invocation[0].replacen(
        "tokenrequest-sandbox",
        &format!("'{}'", sandbox_binary().display()),
        1,
    );
    let mut command = Command::new("sh");
    command.args(["-c", &run]).current_dir(work.path());
    let output = hermetic(command, work.path()).output().expect("sh runs");
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("TokenRequest default/my-app is OK until 20"),
        "{stdout}\n{}",
        text(&output.stderr)
    );
    assert_summary_and_gone(&output, "my-app");
    // The Application the script names exists on its sandbox: no preflight warning.
    let stderr = text(&output.stderr);
    assert!(!stderr.contains("Warning"), "{stderr}");
}

/// The text between `<!-- NAME -->` and `<!-- /NAME -->` in README.md, and the code block
/// that follows it.
fn marked_block<'a>(readme: &'a str, name: &str) -> (Vec<&'a str>, Vec<&'a str>) {
    let (_, rest) = readme
        .split_once(&format!("<!-- {name} -->"))
        .unwrap_or_else(|| panic!("README marks <!-- {name} -->"));
    let (inside, after) = rest
        .split_once(&format!("<!-- /{name} -->"))
        .unwrap_or_else(|| panic!("README ends <!-- {name} --> with <!-- /{name} -->"));
    let [block] = code_blocks(inside)
        .try_into()
        .expect("one code block inside");
    let next = code_blocks(after)
        .into_iter()
        .next()
        .expect("a block after");
    (block, next)
}

/// Runs `invocation` (`tokenrequest-sandbox exec …`) with this build's sandbox, in `dir`.
fn run_in(dir: &Path, invocation: &str) -> Output {
    let run = invocation.replacen(
        "tokenrequest-sandbox",
        &format!("'{}'", sandbox_binary().display()),
        1,
    );
    let mut command = Command::new("sh");
    command.args(["-c", &run]).current_dir(dir);
    hermetic(command, dir).output().expect("sh runs")
}

#[test]
fn readmes_provisioning_script_connects_each_system_and_fails_with_their_exit_code() {
    require_kubectl();
    let readme = readme();
    let (script, invocation) = marked_block(&readme, "provisioning-script");
    let script = script.join("\n") + "\n";
    assert!(script.contains("set -eu"), "{script}");
    assert!(
        !script.contains("eval"),
        "no eval that swallows a failure: {script}"
    );
    let path = script
        .lines()
        .find_map(|line| line.strip_prefix("# "))
        .filter(|path| path.ends_with(".sh"))
        .expect("the script names its file in its first comment");
    let invocation = commands(&invocation);
    let [invocation] = invocation.as_slice() else {
        panic!("one exec command: {invocation:?}");
    };
    assert!(
        invocation.starts_with("tokenrequest-sandbox exec ")
            && invocation.ends_with(&format!(" -- ./{path}")),
        "exec runs the script shown: {invocation}"
    );
    let apps = ["billing", "crm", "shop"];
    let write_script = |dir: &Path| {
        let file = dir.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, &script).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    };
    let shown = |output: &Output| {
        format!(
            "exit {}\nstdout: {}\nstderr: {}",
            output.status,
            text(&output.stdout),
            text(&output.stderr)
        )
    };

    // As shown: every system connected, its files left in connections/APP.
    let work = tempfile::tempdir().unwrap();
    write_script(work.path());
    let output = run_in(work.path(), invocation);
    assert!(output.status.success(), "{}", shown(&output));
    let stdout = text(&output.stdout);
    for app in apps {
        assert!(
            stdout.contains(&format!("{app} connected 0\n")),
            "{}",
            shown(&output)
        );
        for file in [
            "client.key",
            "client.crt",
            "ca.crt",
            "chain.crt",
            "connection.yaml",
        ] {
            let file = work.path().join("connections").join(app).join(file);
            assert!(
                std::fs::metadata(&file).is_ok_and(|meta| meta.len() > 0),
                "{} written: {}",
                file.display(),
                shown(&output)
            );
        }
    }
    assert!(
        stdout.ends_with("connected: billing crm shop\n"),
        "{}",
        shown(&output)
    );

    // Against another cluster those files belong to no Connector Service there, and connect
    // will not replace them without --force: each fails with exit 1, and so does the script.
    let output = run_in(work.path(), invocation);
    assert_eq!(output.status.code(), Some(1), "{}", shown(&output));
    let stdout = text(&output.stdout);
    for app in apps {
        assert!(
            stdout.contains(&format!("{app} failed 1\n")),
            "{}",
            shown(&output)
        );
    }
    assert!(!stdout.contains("connected: "), "{}", shown(&output));
    assert!(
        text(&output.stderr).contains("not connected: billing crm shop (exit 1)"),
        "{}",
        shown(&output)
    );

    // Twice against the same cluster: the rerun skips what is connected.
    let again = tempfile::tempdir().unwrap();
    write_script(again.path());
    let twice = invocation.replacen(
        &format!("./{path}"),
        &format!("sh -c './{path} && ./{path}'"),
        1,
    );
    let output = run_in(again.path(), &twice);
    assert!(output.status.success(), "{}", shown(&output));
    let stdout = text(&output.stdout);
    for app in apps {
        assert!(
            stdout.contains(&format!("{app} connected 0\n")),
            "{}",
            shown(&output)
        );
        assert!(
            stdout.contains(&format!("{app} already-connected 0\n")),
            "{}",
            shown(&output)
        );
    }
}
