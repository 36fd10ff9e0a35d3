//! The `tokenrequest-sandbox` binary for the root package's tests (`#[path]`-included by
//! `tests/sandbox_exec.rs` and `tests/krew.rs`).
//!
//! Cargo sets `CARGO_BIN_EXE_<name>` only for a package's own binaries, never for a
//! dev-dependency's, so the sandbox is found where cargo puts every binary of the workspace:
//! beside `kubectl-tokenrequest`. `cargo test --workspace` (the test command of README.md and
//! `.ci/run`) builds it before any test runs. A run that builds only this package may find it
//! missing or older than its sources; the test then fails and says how to build it, instead of
//! testing an old binary.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

const BUILD_IT: &str =
    "build it with `cargo build -p tokenrequest-sandbox` (`cargo test --workspace` does)";

/// The path of a fresh `tokenrequest-sandbox` beside the plugin binary.
pub fn sandbox_binary() -> PathBuf {
    let plugin = Path::new(env!("CARGO_BIN_EXE_kubectl-tokenrequest"));
    let sandbox = plugin.with_file_name(format!(
        "tokenrequest-sandbox{}",
        std::env::consts::EXE_SUFFIX
    ));
    let built = modified(&sandbox)
        .unwrap_or_else(|| panic!("{} is missing: {BUILD_IT}", sandbox.display()));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Not Cargo.lock: a change to it that leaves the sandbox's dependencies alone does not
    // rebuild the sandbox, which would then look stale.
    let mut sources = vec![root.join("tests/sandbox/Cargo.toml")];
    collect_files(&root.join("tests/sandbox/src"), &mut sources);
    for source in sources {
        let changed = modified(&source)
            .unwrap_or_else(|| panic!("cannot read the time of {}", source.display()));
        assert!(
            changed <= built,
            "{} is older than {}: {BUILD_IT}",
            sandbox.display(),
            source.display()
        );
    }
    sandbox
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn collect_files(dir: &Path, into: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("cannot list {}: {error}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            collect_files(&path, into);
        } else {
            into.push(path);
        }
    }
}
