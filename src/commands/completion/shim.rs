//! `completion install-kubectl-shim`: writes `kubectl_complete-tokenrequest`, the executable
//! kubectl (≥ 1.26) looks up on PATH to complete `kubectl tokenrequest …`. krew links only the
//! plugin binary into `~/.krew/bin` (krew#812), so the plugin installs the shim itself.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::cli::InstallShimArgs;
use crate::error::Error;

/// The shim, one copy for the release archive and for this installer.
pub const SHIM: &str = include_str!("../../../scripts/kubectl_complete-tokenrequest");

/// The name kubectl looks for: `kubectl_complete-` + the plugin name.
#[cfg(not(windows))]
pub const SHIM_NAME: &str = "kubectl_complete-tokenrequest";
/// On Windows kubectl finds executables through PATHEXT, so the shim is a batch file.
#[cfg(windows)]
pub const SHIM_NAME: &str = "kubectl_complete-tokenrequest.cmd";

#[cfg(windows)]
const SHIM_TEXT: &str = "@kubectl-tokenrequest __complete %*\r\n";
#[cfg(not(windows))]
const SHIM_TEXT: &str = SHIM;

/// The plugin's binary name, which the shim runs from PATH.
const PLUGIN_BIN: &str = "kubectl-tokenrequest";

pub fn install(args: InstallShimArgs) -> Result<(), Error> {
    let dir = match args.dir {
        Some(dir) => {
            refuse_missing(&dir)?;
            dir
        }
        None => default_dir()?,
    };
    let path = write_shim(&dir)?;
    let mut message = format!(
        "wrote {}\nkubectl 1.26 or later now completes `kubectl tokenrequest …` while {} is on \
         PATH.\n",
        path.display(),
        dir.display()
    );
    if !on_path(&dir) {
        message.push_str(&format!(
            "warning: {} is not on PATH; add it, or run again with --dir and a directory on \
             PATH.\n",
            dir.display()
        ));
    }
    if !dir.join(PLUGIN_BIN).exists() && find_on_path(PLUGIN_BIN).is_none() {
        message.push_str(&format!(
            "warning: {PLUGIN_BIN} is not on PATH; the shim runs it to find the candidates.\n"
        ));
    }
    crate::terminal::print(&message)
}

/// A `--dir` that is not there is a typo more often than a wish for a new directory (which
/// would not be on PATH either): refused before anything is written, as `kubectl krew` and
/// `install` refuse, with what to do instead.
fn refuse_missing(dir: &Path) -> Result<(), Error> {
    if dir.is_dir() {
        return Ok(());
    }
    let problem = if dir.exists() {
        "is not a directory"
    } else {
        "does not exist"
    };
    let mut message = format!(
        "installing the completion shim: {} {problem}; create it first (mkdir -p {0}) and put          it on PATH, or pass --dir with a directory on PATH",
        dir.display()
    );
    if let Ok(beside) = default_dir() {
        message.push_str(&format!(
            ", or leave --dir out to write it beside the plugin ({})",
            beside.display()
        ));
    }
    Err(Error::Usage(message))
}

/// Where the plugin was found: krew's `bin` directory when the running binary lives in a
/// krew store (krew links `~/.krew/bin/kubectl-tokenrequest` to
/// `~/.krew/store/tokenrequest/vX/kubectl-tokenrequest`, and `current_exe` sees the link's
/// target); else the directory of the path kubectl ran (`argv[0]`, the PATH entry, kept
/// as a symlink); else the binary's own directory.
fn default_dir() -> Result<PathBuf, Error> {
    let exe = std::env::current_exe().map_err(|e| Error::Shim {
        action: "finding the plugin binary".to_string(),
        problem: format!("cannot tell where it is ({e})"),
    })?;
    let home = std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .map(PathBuf::from);
    let krew_root = std::env::var_os("KREW_ROOT").map(PathBuf::from);
    if let Some(bin) = krew_bin_dir(&exe, krew_root.as_deref(), home.as_deref()) {
        return Ok(bin);
    }
    if let Some(invoked) = std::env::args_os().next()
        && let Some(dir) = invoked_dir(Path::new(&invoked), &exe)
    {
        return Ok(dir);
    }
    exe.parent()
        .map(Path::to_path_buf)
        .ok_or_else(|| Error::Shim {
            action: "finding the plugin binary's directory".to_string(),
            problem: "it has none".to_string(),
        })
}

/// The directory of the path the plugin was started as: kubectl passes the full path of the
/// PATH entry it found (a symlink stays a symlink); a shell passes the bare name, which is
/// looked up on PATH again, keeping only an entry that is this very binary.
fn invoked_dir(invoked: &Path, exe: &Path) -> Option<PathBuf> {
    let found = if invoked.components().count() > 1 {
        std::path::absolute(invoked).ok()?
    } else {
        let path = std::env::var_os("PATH")?;
        let exe = exe.canonicalize().ok()?;
        std::env::split_paths(&path)
            .map(|dir| dir.join(invoked))
            .find(|candidate| candidate.canonicalize().is_ok_and(|c| c == exe))?
    };
    found.parent().map(Path::to_path_buf)
}

/// `ROOT/bin` when `exe` lies under `ROOT/store`, for `$KREW_ROOT`, `~/.krew`, or any
/// ancestor named `store` beside a `receipts` directory (krew's layout under a custom root).
pub fn krew_bin_dir(exe: &Path, krew_root: Option<&Path>, home: Option<&Path>) -> Option<PathBuf> {
    let exe = exe.canonicalize().unwrap_or_else(|_| exe.to_path_buf());
    let roots = krew_root
        .map(Path::to_path_buf)
        .into_iter()
        .chain(home.map(|h| h.join(".krew")));
    for root in roots {
        let root = root.canonicalize().unwrap_or(root);
        if exe.starts_with(root.join("store")) {
            return Some(root.join("bin"));
        }
    }
    exe.ancestors()
        .find(|dir| {
            dir.file_name().is_some_and(|name| name == "store")
                && dir
                    .parent()
                    .is_some_and(|root| root.join("receipts").is_dir())
        })
        .and_then(Path::parent)
        .map(|root| root.join("bin"))
}

/// Writes the shim into `dir`, which must exist, atomically (a temporary file renamed over
/// the target), mode 0755. Returns the path written.
pub fn write_shim(dir: &Path) -> Result<PathBuf, Error> {
    let fail = |what: &str, e: std::io::Error| Error::Shim {
        action: format!("{what} {}", dir.display()),
        problem: e.to_string(),
    };
    let target = dir.join(SHIM_NAME);
    let temporary = dir.join(format!(".{SHIM_NAME}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(SHIM_TEXT.as_bytes())?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            file.set_permissions(std::fs::Permissions::from_mode(0o755))?;
        }
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temporary, &target)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temporary);
        return Err(fail("writing the completion shim into", e));
    }
    Ok(target)
}

fn on_path(dir: &Path) -> bool {
    let wanted = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|entry| entry.canonicalize().unwrap_or(entry) == wanted)
    })
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shim_runs_the_hidden_command() {
        assert!(SHIM.starts_with("#!/bin/sh\n"));
        assert!(SHIM.contains("exec kubectl-tokenrequest __complete \"$@\""));
    }

    #[cfg(unix)]
    #[test]
    fn writes_an_executable_shim_atomically() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("bin");
        // A directory that is not there is not created.
        assert!(write_shim(&target).is_err());
        assert!(!target.exists());
        std::fs::create_dir(&target).unwrap();
        let path = write_shim(&target).unwrap();
        assert_eq!(path, target.join(SHIM_NAME));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), SHIM);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o755);
        // Overwriting works and leaves no temporary file behind.
        write_shim(&target).unwrap();
        let names: Vec<_> = std::fs::read_dir(&target)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [SHIM_NAME]);
    }

    #[test]
    fn finds_krews_bin_directory() {
        let home = tempfile::tempdir().unwrap();
        let store = home.path().join(".krew/store/tokenrequest/v0.1.0");
        std::fs::create_dir_all(&store).unwrap();
        let exe = store.join("kubectl-tokenrequest");
        std::fs::write(&exe, "").unwrap();
        assert_eq!(
            krew_bin_dir(&exe, None, Some(home.path())),
            Some(home.path().canonicalize().unwrap().join(".krew/bin"))
        );

        // A custom KREW_ROOT, given or recognised by its layout.
        let root = tempfile::tempdir().unwrap();
        let store = root.path().join("store/tokenrequest/v0.1.0");
        std::fs::create_dir_all(&store).unwrap();
        std::fs::create_dir_all(root.path().join("receipts")).unwrap();
        let exe = store.join("kubectl-tokenrequest");
        std::fs::write(&exe, "").unwrap();
        let expected = Some(root.path().canonicalize().unwrap().join("bin"));
        assert_eq!(krew_bin_dir(&exe, Some(root.path()), None), expected);
        assert_eq!(krew_bin_dir(&exe, None, Some(home.path())), expected);

        // Not a krew install.
        let elsewhere = tempfile::tempdir().unwrap();
        let exe = elsewhere.path().join("kubectl-tokenrequest");
        std::fs::write(&exe, "").unwrap();
        assert_eq!(krew_bin_dir(&exe, None, Some(home.path())), None);
    }
}
