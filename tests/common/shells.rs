//! The committed completion scripts run in their real shells, the way a user's shell runs
//! them (`#[path]`-included by `tests/shell_completion.rs` and `tests/e2e/completion.rs`):
//! bash and zsh interactive on a pseudo-terminal (zsh's zpty; `tests/shells/*.zsh`), given the
//! line and one TAB; fish through `complete -C`, its completion engine. The scripts run
//! `kubectl-tokenrequest __complete …`, found on PATH: the built binary's directory comes
//! first. Each shell starts in an empty directory but for one file, [`LOCAL_FILE`], which shows
//! whether the shell fell back to completing file names.
#![allow(dead_code)]

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The one file in the directory the shells start in.
pub const LOCAL_FILE: &str = "zz-local-file";

/// What a shell offered for a line: the candidates, and (bash, zsh) the line after one TAB.
#[derive(Debug, Clone)]
pub struct Offer {
    pub candidates: Vec<String>,
    pub line: Option<String>,
}

impl Offer {
    pub fn has(&self, value: &str) -> bool {
        self.candidates.iter().any(|c| c == value)
    }

    /// Whether file names came up: among the candidates, or inserted into the line.
    pub fn offers_files(&self) -> bool {
        self.has(LOCAL_FILE)
            || self
                .line
                .as_deref()
                .is_some_and(|line| line.contains(LOCAL_FILE))
    }
}

/// Where and with what environment the shells run.
pub struct Env {
    cwd: tempfile::TempDir,
    home: tempfile::TempDir,
    path: OsString,
    kubeconfig: Option<OsString>,
}

impl Env {
    /// PATH starts at `bin`, which holds `kubectl-tokenrequest`; no KUBECONFIG.
    pub fn new(bin: &Path) -> Env {
        let cwd = tempfile::tempdir().expect("temp dir");
        std::fs::write(cwd.path().join(LOCAL_FILE), "").unwrap();
        let inherited = std::env::var_os("PATH").unwrap_or_default();
        let path = std::env::join_paths(
            std::iter::once(bin.to_path_buf()).chain(std::env::split_paths(&inherited)),
        )
        .unwrap();
        Env {
            cwd,
            home: tempfile::tempdir().expect("temp dir"),
            path,
            kubeconfig: None,
        }
    }

    /// The built plugin's directory on PATH.
    pub fn built() -> Env {
        Env::new(
            Path::new(env!("CARGO_BIN_EXE_kubectl-tokenrequest"))
                .parent()
                .unwrap(),
        )
    }

    pub fn kubeconfig(mut self, value: impl Into<OsString>) -> Env {
        self.kubeconfig = Some(value.into());
        self
    }

    fn command(&self, program: &str) -> Command {
        // A shell that never answers must fail the test, not hang it.
        let mut command = Command::new("timeout");
        command
            .args(["60", program])
            .current_dir(self.cwd.path())
            .env_clear()
            .env("PATH", &self.path)
            .env("HOME", self.home.path())
            .env("TERM", "xterm");
        if let Some(kubeconfig) = &self.kubeconfig {
            command.env("KUBECONFIG", kubeconfig);
        }
        command
    }

    /// What bash offers for `line` (a trailing space starts a new, empty word).
    pub fn bash(&self, line: &str) -> Offer {
        let output = self
            .command("zsh")
            .arg("-f")
            .arg(repo().join("tests/shells/bash_complete.zsh"))
            .arg(script("kubectl-tokenrequest.bash"))
            .arg(line)
            .output()
            .expect("run zsh");
        assert!(output.status.success(), "bash: {output:?}");
        parse(&output.stdout)
    }

    /// What zsh offers for `line`: compinit with the committed `_kubectl-tokenrequest` on fpath.
    pub fn zsh(&self, line: &str) -> Offer {
        let fpath = tempfile::tempdir().unwrap();
        std::fs::copy(
            script("_kubectl-tokenrequest"),
            fpath.path().join("_kubectl-tokenrequest"),
        )
        .unwrap();
        let output = self
            .command("zsh")
            .arg("-f")
            .arg(repo().join("tests/shells/zsh_complete.zsh"))
            .arg(fpath.path())
            .arg(line)
            .output()
            .expect("run zsh");
        assert!(output.status.success(), "zsh: {output:?}");
        parse(&output.stdout)
    }

    /// What fish offers for `line`, candidates without their descriptions.
    pub fn fish(&self, line: &str) -> Offer {
        let output = self
            .command("fish")
            .arg("--no-config")
            .arg("-c")
            .arg("source $argv[1]; complete -C $argv[2]")
            .arg(script("kubectl-tokenrequest.fish"))
            .arg(line)
            .output()
            .expect("run fish");
        assert!(output.status.success(), "fish: {output:?}");
        Offer {
            candidates: String::from_utf8(output.stdout)
                .unwrap()
                .lines()
                .map(|l| l.split('\t').next().unwrap_or_default().to_string())
                .collect(),
            line: None,
        }
    }

    /// Each shell's offer for `line`, named.
    pub fn all(&self, line: &str) -> [(&'static str, Offer); 3] {
        [
            ("bash", self.bash(line)),
            ("zsh", self.zsh(line)),
            ("fish", self.fish(line)),
        ]
    }
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn script(name: &str) -> PathBuf {
    repo().join("completions").join(name)
}

/// The drivers' output: candidates one per line, then `BUFFER:` and the line.
fn parse(stdout: &[u8]) -> Offer {
    let text = String::from_utf8_lossy(stdout);
    let mut offer = Offer {
        candidates: Vec::new(),
        line: None,
    };
    for line in text.lines() {
        match line.strip_prefix("BUFFER:") {
            Some(buffer) => offer.line = Some(buffer.to_string()),
            None if !line.is_empty() => offer.candidates.push(line.to_string()),
            None => {}
        }
    }
    offer
}

#[track_caller]
pub fn require(shell: &str) {
    let found = Command::new(shell)
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success());
    assert!(
        found,
        "this test needs `{shell}` on PATH; install it (.ci/run does)"
    );
}
