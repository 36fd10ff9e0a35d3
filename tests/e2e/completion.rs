//! Completion the way a user meets it: kubectl (≥ 1.26) finding the plugin and the
//! `kubectl_complete-tokenrequest` shim on PATH and running `kubectl __complete tokenrequest …`
//! (what kubectl's own shell completion calls), plus the plugin's `__complete` run directly
//! and the shim installer.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::harness::{self, Run, TestCluster, finish};

#[path = "../common/shells.rs"]
mod shells;

const PLUGIN: &str = env!("CARGO_BIN_EXE_kubectl-tokenrequest");
const SHIM_NAME: &str = "kubectl_complete-tokenrequest";
const SHIM_SOURCE: &str = include_str!("../../scripts/kubectl_complete-tokenrequest");

/// A directory on PATH with `kubectl-tokenrequest` (a symlink to the built binary, as krew
/// installs it) and the shim, written by the plugin's own installer.
struct PluginDir {
    _dir: tempfile::TempDir,
    bin: PathBuf,
    home: PathBuf,
}

impl PluginDir {
    async fn new() -> PluginDir {
        let dir = tempfile::tempdir().expect("temp dir");
        let bin = dir.path().join("bin");
        let home = dir.path().join("home");
        std::fs::create_dir_all(&bin).unwrap();
        std::fs::create_dir_all(&home).unwrap();
        std::os::unix::fs::symlink(PLUGIN, bin.join("kubectl-tokenrequest")).unwrap();
        let plugin_dir = PluginDir {
            _dir: dir,
            bin,
            home,
        };
        let bin = plugin_dir.bin.display().to_string();
        let run = plugin_dir
            .run(
                "kubectl-tokenrequest",
                &["completion", "install-kubectl-shim", "--dir", &bin],
                None,
            )
            .await;
        run.success();
        plugin_dir
    }

    fn path(&self) -> std::ffi::OsString {
        let inherited = std::env::var_os("PATH").unwrap_or_default();
        std::env::join_paths(
            std::iter::once(self.bin.clone()).chain(std::env::split_paths(&inherited)),
        )
        .unwrap()
    }

    /// Runs `program` with PATH starting at the plugin directory, a private HOME, and
    /// KUBECONFIG set (kubectl passes its environment on to the plugin and the shim).
    async fn run(&self, program: &str, args: &[&str], kubeconfig: Option<&Path>) -> Run {
        let mut command = tokio::process::Command::new(program);
        command
            .args(args)
            .env_clear()
            .env("PATH", self.path())
            .env("HOME", &self.home)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        if let Some(kubeconfig) = kubeconfig {
            command.env("KUBECONFIG", kubeconfig);
        }
        finish(command.spawn().expect("spawn")).await
    }

    /// `kubectl __complete tokenrequest WORDS…`
    async fn kubectl(&self, cluster: &TestCluster, words: &[&str]) -> Completion {
        let args: Vec<&str> = ["__complete", "tokenrequest"]
            .into_iter()
            .chain(words.iter().copied())
            .collect();
        Completion::parse(
            self.run("kubectl", &args, Some(&cluster.kubeconfig))
                .await
                .success(),
        )
    }
}

/// Cobra's answer: candidates (descriptions dropped) and the directive.
#[derive(Debug)]
struct Completion {
    values: Vec<String>,
    directive: u32,
}

impl Completion {
    #[track_caller]
    fn parse(run: &Run) -> Completion {
        let mut lines: Vec<&str> = run.stdout.lines().collect();
        let directive = lines
            .pop()
            .and_then(|last| last.strip_prefix(':'))
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no directive line: {run:#?}"));
        Completion {
            values: lines
                .iter()
                .map(|line| line.split('\t').next().unwrap_or_default().to_string())
                .collect(),
            directive,
        }
    }

    fn has(&self, value: &str) -> bool {
        self.values.iter().any(|v| v == value)
    }
}

/// kubectl (1.26 or later, for plugin completion) is a test dependency.
fn require_kubectl() {
    harness::require("kubectl", &["version", "--client"]);
}

/// Seeds ready requests through the plugin; returns their tokens.
async fn seed(cluster: &TestCluster) -> Vec<String> {
    let mut tokens = Vec::new();
    for (namespace, name) in [
        ("default", "app-a"),
        ("default", "app-b"),
        ("team", "app-c"),
    ] {
        cluster
            .run(&["create", name, "-n", namespace, "-o", "name"])
            .await
            .success();
        tokens.push(harness::token_of(cluster, namespace, name).await);
    }
    tokens
}

#[tokio::test]
async fn kubectl_completes_the_plugin_through_the_shim() {
    require_kubectl();
    let cluster = harness::cluster().await;
    let tokens = seed(&cluster).await;
    let plugin = PluginDir::new().await;

    // Subcommands after the plugin name.
    let top = plugin.kubectl(&cluster, &[""]).await;
    for name in ["create", "get", "list", "delete", "completion"] {
        assert!(top.has(name), "{top:?}");
    }
    assert_eq!(top.directive, 4);

    // TokenRequest names in the context's namespace, and in the one -n selects.
    let names = plugin.kubectl(&cluster, &["get", ""]).await;
    assert_eq!(names.values, ["app-a", "app-b"]);
    assert_eq!(names.directive, 4);
    let team = plugin.kubectl(&cluster, &["get", "-n", "team", ""]).await;
    assert_eq!(team.values, ["app-c"]);
    let prefixed = plugin.kubectl(&cluster, &["delete", "app-a", "app-"]).await;
    assert_eq!(
        prefixed.values,
        ["app-b"],
        "delete does not offer app-a twice"
    );
    // The context is honoured: `nobody` may not list, so there is nothing to offer.
    let nobody = plugin
        .kubectl(&cluster, &["--context", "sandbox-nobody", "get", ""])
        .await;
    assert!(nobody.values.is_empty(), "{nobody:?}");

    // Namespaces: the sandbox serves no namespaces, so they come from the TokenRequests.
    let namespaces = plugin.kubectl(&cluster, &["get", "-n", ""]).await;
    assert_eq!(namespaces.values, ["default", "team"]);

    // Contexts from the kubeconfig.
    let contexts = plugin.kubectl(&cluster, &["--context", ""]).await;
    for context in ["sandbox", "sandbox-nobody", "sandbox-nowatch"] {
        assert!(contexts.has(context), "{contexts:?}");
    }

    // Output formats, and no space after `jsonpath=`.
    let formats = plugin.kubectl(&cluster, &["get", "app-a", "-o", ""]).await;
    for format in ["json", "yaml", "name", "url", "token", "env", "jsonpath="] {
        assert!(formats.has(format), "{formats:?}");
    }
    let templates = plugin.kubectl(&cluster, &["get", "-o", "jsonp"]).await;
    assert_eq!(
        templates.values,
        ["jsonpath=", "jsonpath-file=", "jsonpath-as-json="]
    );
    let jsonpath = plugin.kubectl(&cluster, &["get", "-o", "jsonpath="]).await;
    assert_eq!(jsonpath.values, ["jsonpath="]);
    assert_eq!(jsonpath.directive, 2 | 4);

    // Flags.
    let flags = plugin.kubectl(&cluster, &["create", "--re"]).await;
    assert_eq!(
        flags.values,
        ["--refresh", "--request-timeout", "--require-application"]
    );

    // No completion ever shows a token.
    for run in [&names, &team, &namespaces] {
        for token in &tokens {
            assert!(!run.values.iter().any(|v| v.contains(token.as_str())));
        }
    }
}

#[tokio::test]
async fn install_kubectl_shim_writes_next_to_the_plugin_kubectl_ran() {
    require_kubectl();
    let plugin = PluginDir::new().await;
    std::fs::remove_file(plugin.bin.join(SHIM_NAME)).unwrap();
    // kubectl runs the plugin by the path it found on PATH (the symlink): the shim goes
    // beside the symlink, not beside the binary it points to.
    let run = plugin
        .run(
            "kubectl",
            &["tokenrequest", "completion", "install-kubectl-shim"],
            None,
        )
        .await;
    run.success();
    let shim = plugin.bin.join(SHIM_NAME);
    assert!(run.stdout.contains(&shim.display().to_string()), "{run:#?}");
    assert_executable_shim(&shim);
}

#[tokio::test]
async fn install_kubectl_shim_into_a_directory() {
    let plugin = PluginDir::new().await;
    let target = plugin.home.join("somewhere/on/path");
    std::fs::create_dir_all(&target).unwrap();
    let run = plugin
        .run(
            PLUGIN,
            &[
                "completion",
                "install-kubectl-shim",
                "--dir",
                &target.display().to_string(),
            ],
            None,
        )
        .await;
    run.success();
    let shim = target.join(SHIM_NAME);
    assert_executable_shim(&shim);
    assert!(
        run.stdout.contains(&format!("wrote {}", shim.display())),
        "{run:#?}"
    );
    assert!(run.stdout.contains("kubectl 1.26"), "{run:#?}");
    assert!(run.stdout.contains("is not on PATH"), "{run:#?}");

    // Started by its bare name from PATH (as a shell does), it finds the PATH entry again.
    std::fs::remove_file(plugin.bin.join(SHIM_NAME)).unwrap();
    let run = plugin
        .run(
            "kubectl-tokenrequest",
            &["completion", "install-kubectl-shim"],
            None,
        )
        .await;
    run.success();
    assert_executable_shim(&plugin.bin.join(SHIM_NAME));
    assert!(!run.stdout.contains("warning"), "{run:#?}");
}

/// A `--dir` that does not exist is refused, nothing created, with what to do instead.
#[tokio::test]
async fn install_kubectl_shim_refuses_a_directory_that_does_not_exist() {
    let plugin = PluginDir::new().await;
    for missing in [plugin.home.join("nonexistent/x"), plugin.home.join("file")] {
        if missing.ends_with("file") {
            std::fs::write(&missing, "").unwrap();
        }
        let shown = missing.display().to_string();
        let run = plugin
            .run(
                PLUGIN,
                &["completion", "install-kubectl-shim", "--dir", &shown],
                None,
            )
            .await;
        assert_eq!(run.code, 2, "{run:#?}");
        assert!(run.stdout.is_empty(), "{run:#?}");
        assert!(!run.stderr.contains("wrote"), "{run:#?}");
        assert!(run.stderr.contains(&shown), "{run:#?}");
        assert!(
            run.stderr.contains("does not exist") || run.stderr.contains("is not a directory"),
            "{run:#?}"
        );
        assert!(run.stderr.contains("mkdir -p"), "{run:#?}");
        assert!(run.stderr.contains("on PATH"), "{run:#?}");
    }
    assert!(!plugin.home.join("nonexistent").exists());
}

/// `KUBECONFIG` listing a file that does not exist before the real one: the commands skip the
/// missing entry, and so does completion, through kubectl's shim and run directly.
#[tokio::test]
async fn completion_skips_a_missing_kubeconfig_entry_as_the_commands_do() {
    require_kubectl();
    let cluster = harness::cluster().await;
    seed(&cluster).await;
    let plugin = PluginDir::new().await;
    let listed =
        std::env::join_paths([PathBuf::from("/nonexistent"), cluster.kubeconfig.clone()]).unwrap();
    let listed = Path::new(&listed);
    let list = plugin
        .run(
            "kubectl",
            &["tokenrequest", "list", "-o", "name"],
            Some(listed),
        )
        .await;
    list.success();
    assert!(list.stdout.contains("app-a"), "{list:#?}");
    let through_kubectl = Completion::parse(
        plugin
            .run(
                "kubectl",
                &["__complete", "tokenrequest", "--context", ""],
                Some(listed),
            )
            .await
            .success(),
    );
    let direct = Completion::parse(
        plugin
            .run(
                PLUGIN,
                &["__complete", "get", "--context", ""],
                Some(listed),
            )
            .await
            .success(),
    );
    for contexts in [&through_kubectl, &direct] {
        for context in ["sandbox", "sandbox-nobody", "sandbox-nowatch"] {
            assert!(contexts.has(context), "{contexts:?}");
        }
        assert_eq!(contexts.directive, 4);
    }
    let names = Completion::parse(
        plugin
            .run(
                "kubectl",
                &["__complete", "tokenrequest", "get", ""],
                Some(listed),
            )
            .await
            .success(),
    );
    assert_eq!(names.values, ["app-a", "app-b"]);
}

/// The binary's own scripts in their shells, against the sandbox: `get <TAB>` offers the
/// TokenRequests (and never file names), `-n <TAB>` the namespaces. The shells are waited
/// for on this thread; the sandbox answers on the runtime's workers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shell_scripts_complete_names_and_namespaces_from_the_cluster() {
    for shell in ["bash", "zsh", "fish"] {
        shells::require(shell);
    }
    let cluster = harness::cluster().await;
    let tokens = seed(&cluster).await;
    let plugin = PluginDir::new().await;
    let env = shells::Env::new(&plugin.bin).kubeconfig(&cluster.kubeconfig);
    for (line, wanted) in [
        ("kubectl-tokenrequest get ", &["app-a", "app-b"][..]),
        ("kubectl-tokenrequest delete app-a ", &["app-b"][..]),
        ("kubectl-tokenrequest get -n team ", &["app-c"][..]),
        ("kubectl-tokenrequest list -n ", &["default", "team"][..]),
        ("kubectl-tokenrequest get --namespace=t", &["team"][..]),
    ] {
        for (shell, offer) in env.all(line) {
            assert!(!offer.offers_files(), "{shell} `{line}<TAB>`: {offer:?}");
            let mut got: Vec<&str> = offer
                .candidates
                .iter()
                .map(|c| c.rsplit('=').next().unwrap_or(c))
                .collect();
            got.sort();
            assert_eq!(got, wanted, "{shell} `{line}<TAB>`: {offer:?}");
            for token in &tokens {
                assert!(!offer.candidates.iter().any(|c| c.contains(token.as_str())));
            }
        }
    }
    // One name: inserted, with a space after it.
    for (shell, offer) in env.all("kubectl-tokenrequest get -n team app") {
        if let Some(line) = &offer.line {
            assert_eq!(line, "kubectl-tokenrequest get -n team app-c ", "{shell}");
        }
    }
}

#[track_caller]
fn assert_executable_shim(path: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    let metadata = std::fs::metadata(path).expect("the shim exists");
    assert_eq!(metadata.permissions().mode() & 0o777, 0o755);
    assert_eq!(std::fs::read_to_string(path).unwrap(), SHIM_SOURCE);
}

/// The plugin's `__complete` run directly, as the shim does, with the connection flags typed.
#[tokio::test]
async fn complete_directly_honours_the_typed_connection_flags() {
    let cluster = harness::cluster().await;
    seed(&cluster).await;
    let plugin = PluginDir::new().await;
    let kubeconfig = cluster.kubeconfig.display().to_string();
    let complete = |words: Vec<String>| {
        let plugin = &plugin;
        async move {
            let args: Vec<&str> = ["__complete"]
                .into_iter()
                .chain(words.iter().map(String::as_str))
                .collect();
            Completion::parse(plugin.run(PLUGIN, &args, None).await.success())
        }
    };
    let words = |list: &[&str]| list.iter().map(|w| w.to_string()).collect::<Vec<_>>();

    // No KUBECONFIG in the environment: only --kubeconfig points at the sandbox.
    let names = complete(words(&["--kubeconfig", &kubeconfig, "get", ""])).await;
    assert_eq!(names.values, ["app-a", "app-b"]);
    let names = complete(words(&[
        "get",
        &format!("--kubeconfig={kubeconfig}"),
        "-nteam",
        "",
    ]))
    .await;
    assert_eq!(names.values, ["app-c"]);
    let refresh = complete(words(&[
        "create",
        "--refresh",
        "--kubeconfig",
        &kubeconfig,
        "app-b",
    ]))
    .await;
    assert_eq!(refresh.values, ["app-b"]);
    let namespaces = complete(words(&[
        "--kubeconfig",
        &kubeconfig,
        "list",
        "--namespace",
        "t",
    ]))
    .await;
    assert_eq!(namespaces.values, ["team"]);
    let contexts = complete(words(&[
        "--kubeconfig",
        &kubeconfig,
        "--context=sandbox-no",
    ]))
    .await;
    // Cobra's protocol: after `--flag=` the values come bare (the shell keeps the flag).
    assert_eq!(contexts.values, ["sandbox-nobody", "sandbox-nowatch"]);
    // Without a kubeconfig there is nothing to offer, and no error either.
    let nothing = complete(words(&["get", ""])).await;
    assert!(nothing.values.is_empty());
    assert_eq!(nothing.directive, 4);
}

/// A cluster that accepts connections and never answers must not hang the shell.
#[tokio::test]
async fn a_silent_cluster_gives_no_candidates_within_the_budget() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            open.push(socket);
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: silent\nclusters:\n- name: silent\n  \
             cluster: {{server: 'http://{address}'}}\nusers:\n- name: u\n  user: {{token: t}}\n\
             contexts:\n- name: silent\n  context: {{cluster: silent, user: u, namespace: ns}}\n"
        ),
    )
    .unwrap();
    // A credential plugin that takes its time (a login waiting for a browser) blocks the
    // thread that runs it; the budget holds all the same.
    let blocked = dir.path().join("exec-kubeconfig");
    std::fs::write(
        &blocked,
        format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: slow\nclusters:\n- name: c\n  \
             cluster: {{server: 'http://{address}'}}\nusers:\n- name: u\n  user:\n    exec:\n      \
             apiVersion: client.authentication.k8s.io/v1beta1\n      command: sleep\n      \
             args: ['6']\n      interactiveMode: Never\ncontexts:\n- name: slow\n  \
             context: {{cluster: c, user: u, namespace: ns}}\n"
        ),
    )
    .unwrap();
    let plugin = PluginDir::new().await;
    for (words, kubeconfig) in [
        (&["get", ""][..], &kubeconfig),
        (&["list", "-n", ""][..], &kubeconfig),
        (&["get", ""][..], &blocked),
    ] {
        let args: Vec<&str> = ["__complete"]
            .into_iter()
            .chain(words.iter().copied())
            .collect();
        let started = Instant::now();
        let run = plugin.run(PLUGIN, &args, Some(kubeconfig)).await;
        let took = started.elapsed();
        let completion = Completion::parse(run.success());
        assert!(completion.values.is_empty(), "{completion:?}");
        assert_eq!(completion.directive, 4);
        assert!(run.stderr.is_empty(), "nothing on the terminal: {run:#?}");
        assert!(took < Duration::from_secs(4), "took {took:?}");
    }
    held.abort();
}
