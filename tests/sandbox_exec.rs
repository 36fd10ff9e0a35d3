//! The plugin inside `tokenrequest-sandbox exec`, the two binaries as cargo built them:
//! `kubectl tokenrequest connect` works with nothing but what exec exports; README.md's first
//! command, read out of README.md, connects an application and prints the summary; and the CI
//! script of README's "Test your automation without Kyma" runs through exec as shown, and stops
//! with create's status when create fails (as `create --help`'s `-o env` example does); under
//! injected faults the sandbox's log stays out of the command's stderr.
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

/// The connection.yaml of `connect`'s summary, checked to be gone now with its directory.
fn assert_summary_and_gone(output: &Output, app: &str) {
    let configuration = assert_summary(output, app);
    assert!(
        !configuration.exists() && !configuration.parent().unwrap().exists(),
        "exec removes its directory, {} included",
        configuration.display()
    );
}

/// The connection.yaml that `connect`'s summary lists, after checking the summary.
fn assert_summary(output: &Output, app: &str) -> PathBuf {
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
    configuration
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

/// README's section under `## heading`, up to the next `## `.
fn section<'a>(readme: &'a str, heading: &str) -> &'a str {
    let (_, rest) = readme
        .split_once(&format!("## {heading}"))
        .unwrap_or_else(|| panic!("README has the section {heading:?}"));
    rest.split("\n## ").next().unwrap_or(rest)
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
    command
        .args(["-c", &run])
        .current_dir(repo())
        .env("TMPDIR", home.path());
    let output = hermetic(command, home.path()).output().expect("sh runs");
    // The files the summary lists outlive exec: the demo writes them outside exec's directory,
    // into one of its own under TMPDIR, and says so.
    let configuration = assert_summary(&output, "demo-app");
    assert!(
        configuration.is_file(),
        "{} is kept",
        configuration.display()
    );
    let kept = configuration.parent().and_then(Path::parent).unwrap();
    assert_eq!(kept.parent(), Some(home.path()));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains(&format!("The files stay in {}", kept.display())),
        "{stderr}"
    );
    // The sandbox's own logging stays out of the way of what the command prints.
    assert!(!stderr.contains("INFO"), "{stderr}");
    // The demo's Application exists on its sandbox: no preflight warning.
    assert!(!stderr.contains("Warning"), "{stderr}");
}

/// Kills the child if a failing assertion leaves it running.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// README's quick start as written, in its two terminals: no build but the one of README's
/// first command (which cargo test has made too, see the module comment), then `serve` from
/// `target/debug/` and the plugin from there on PATH. `target/debug/` stands for the directory
/// cargo put the binaries in, the kubeconfig's path for one in a temporary directory.
#[test]
fn readmes_quick_start_runs_the_binaries_the_first_command_built() {
    require_kubectl();
    let readme = readme();
    let section = section(&readme, "Quick start against the sandbox");
    let block = code_blocks(section)
        .into_iter()
        .next()
        .expect("a code block");
    let second_terminal = block
        .iter()
        .position(|line| line.starts_with("# terminal 2"))
        .unwrap_or_else(|| panic!("the quick start has a terminal 2: {block:?}"));
    let (first, second) = (
        commands(&block[..second_terminal]),
        commands(&block[second_terminal..]),
    );
    let (builds, first): (Vec<_>, Vec<_>) = first
        .iter()
        .map(|command| without_comment(command))
        .partition(|command| command.starts_with("cargo "));
    assert_eq!(
        builds,
        [BUILD],
        "terminal 1 builds as README's first command"
    );
    assert!(
        !second.iter().any(|command| command.contains("cargo ")),
        "terminal 2 builds nothing: {second:?}"
    );
    let [serve] = first.as_slice() else {
        panic!("terminal 1 runs one command after the build: {first:?}");
    };
    let serve = serve
        .strip_prefix("target/debug/tokenrequest-sandbox serve ")
        .unwrap_or_else(|| panic!("terminal 1 runs the built sandbox's serve: {serve}"));
    let sandbox = sandbox_binary();
    assert_eq!(sandbox.parent(), Some(binary_dir()));

    let home = tempfile::tempdir().unwrap();
    let kubeconfig = home.path().join("sandbox.kubeconfig");
    let local = |command: &str| {
        command
            .replace(
                "/tmp/sandbox.kubeconfig",
                &format!("'{}'", kubeconfig.display()),
            )
            .replace(
                "$PWD/target/debug",
                &format!("'{}'", binary_dir().display()),
            )
    };
    let mut command = Command::new("sh");
    command
        .args([
            "-c",
            &format!("exec '{}' serve {}", sandbox.display(), local(serve)),
        ])
        .current_dir(repo())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut server = KillOnDrop(hermetic(command, home.path()).spawn().expect("sh runs"));
    let mut ready = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(server.0.stdout.as_mut().unwrap()),
        &mut ready,
    )
    .unwrap();
    assert!(
        ready.starts_with("ready "),
        "serve announces ready: {ready:?}"
    );

    let script = format!("set -eu\n{}\n", local(&second.join("\n")));
    let mut command = Command::new("sh");
    command.args(["-c", &script]).current_dir(repo());
    let output = hermetic(command, home.path()).output().expect("sh runs");
    let stdout = text(&output.stdout);
    assert!(
        output.status.success(),
        "{script}\nstdout: {stdout}\nstderr: {}",
        text(&output.stderr)
    );
    // create's summary, the fresh request's URL, and the list's wide table.
    assert!(stdout.contains("my-app"), "{stdout}");
    assert!(stdout.contains("?token="), "{stdout}");
    assert!(stdout.contains("APPLICATION"), "{stdout}");
}

#[test]
fn readmes_ci_script_example_runs_through_exec() {
    require_kubectl();
    let readme = readme();
    let section = section(&readme, "Test your automation without Kyma");
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
    // The invocation as shown, with `flags` (serve's) added to exec's.
    let run = |flags: &str| {
        let run = invocation[0].replacen(
            "tokenrequest-sandbox exec",
            &format!("'{}' exec{flags}", sandbox_binary().display()),
            1,
        );
        let mut command = Command::new("sh");
        command.args(["-c", &run]).current_dir(work.path());
        hermetic(command, work.path()).output().expect("sh runs")
    };
    let output = run("");
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

    // A create that fails (the controller answers state Error: exit 3) stops the script there,
    // with create's status: nothing after it runs, no shell complaint about unset variables.
    let failed = run(" --mode error");
    let (stdout, stderr) = (text(&failed.stdout), text(&failed.stderr));
    assert_eq!(failed.status.code(), Some(3), "{stdout}\n{stderr}");
    assert!(!stdout.contains("TokenRequest"), "{stdout}");
    assert!(stderr.contains("reported state \"Error\""), "{stderr}");
    assert!(
        !stderr.contains("not set") && !stderr.contains("unbound"),
        "{stderr}"
    );
}

/// Under injected faults the sandbox's controller fails and says so, but what exec writes into
/// COMMAND's stderr is its own warnings, a line each: no kube client errors, no dumps of a
/// whole Status. `--log FILE` takes the whole log (the client's errors too) off stderr.
#[test]
fn the_sandboxs_log_under_faults_stays_out_of_the_commands_stderr() {
    require_kubectl();
    let home = tempfile::tempdir().unwrap();
    // Every status write of the controller (a replace: verb update) fails with a 500; the
    // plugin's create, watch and list do not update. The script goes on once two of those
    // writes failed: the first failure has been logged by then, the second is its retry.
    let script = r#"
        kubectl tokenrequest create my-app --no-wait >/dev/null || exit 90
        until kubectl get --raw /sandbox/faults/counts |
            grep -Eq '"errors":([2-9]|[1-9][0-9])'; do sleep 0.1; done
        kubectl tokenrequest list
    "#;
    let run = |flags: &[&str]| {
        let mut command = Command::new(sandbox_binary());
        command.arg("exec").args(flags).args([
            "--applications",
            "my-app",
            "--sync-period",
            "1",
            "--faults",
            r#"{"errorRatio":1.0,"verbs":["update"]}"#,
            "--",
            "sh",
            "-c",
            script,
        ]);
        let output = hermetic(command, home.path()).output().expect("exec runs");
        let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
        assert!(output.status.success(), "{stdout}\n{stderr}");
        assert!(stdout.contains("my-app"), "{stdout}");
        stderr
    };

    let stderr = run(&[]);
    assert!(!stderr.contains("kube_client"), "{stderr}");
    assert!(!stderr.contains("Status {"), "{stderr}");
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|line| line.starts_with("WARN tokenrequest_sandbox::controller: "))
        .collect();
    assert!(
        warnings.iter().any(|line| line.contains("injected fault")),
        "the controller's failures are still told, a line each: {stderr}"
    );

    let log = home.path().join("sandbox.log");
    let stderr = run(&["--log", log.to_str().unwrap()]);
    assert!(!stderr.contains("tokenrequest_sandbox"), "{stderr}");
    let log = std::fs::read_to_string(&log).unwrap();
    assert!(log.contains("ERROR kube_client"), "{log}");
    assert!(log.contains("injected fault"), "{log}");
}

/// The `-o env` example of `create --help`, its lines as a `set -eu` script: it exports the
/// variables, and a failed create stops the script with create's status.
#[test]
fn creates_help_example_for_env_stops_a_script_when_create_fails() {
    require_kubectl();
    let help = Command::new(env!("CARGO_BIN_EXE_kubectl-tokenrequest"))
        .args(["create", "--help"])
        .output()
        .expect("the plugin runs");
    let help = text(&help.stdout);
    let example: Vec<&str> = help
        .split("\n\n")
        .find(|example| example.contains("-o env"))
        .unwrap_or_else(|| panic!("create --help has an -o env example: {help}"))
        .lines()
        .map(str::trim)
        .filter(|line| !line.starts_with('#'))
        .collect();
    let script = format!(
        "set -eu\n{}\necho \"reached $TOKENREQUEST_NAME $TOKENREQUEST_STATE\"\n",
        example.join("\n")
    );
    let home = tempfile::tempdir().unwrap();
    let run = |flags: &[&str]| {
        let mut command = Command::new(sandbox_binary());
        command.arg("exec").args(flags).args([
            "--applications",
            "my-app",
            "--",
            "sh",
            "-c",
            &script,
        ]);
        hermetic(command, home.path()).output().expect("exec runs")
    };

    let worked = run(&[]);
    assert!(worked.status.success(), "{script}{worked:?}");
    assert_eq!(text(&worked.stdout), "reached my-app OK\n", "{script}");

    let failed = run(&["--mode", "error"]);
    let (stdout, stderr) = (text(&failed.stdout), text(&failed.stderr));
    assert_eq!(failed.status.code(), Some(3), "{script}{stdout}\n{stderr}");
    assert!(!stdout.contains("reached"), "{script}{stdout}");
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
