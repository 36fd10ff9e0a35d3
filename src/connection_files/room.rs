//! Before `connect` spends a token: can the directory hold the connection? Writing there is
//! the only proof (permissions, quotas, a full or read-only filesystem), so the check writes
//! placeholders of the files' sizes, all at once as the replacement will, and removes them.

use std::path::{Path, PathBuf};

use super::{
    CA_FILE, CERTIFICATE_FILE, CHAIN_FILE, CONFIG_FILE, KEY_FILE, KEY_MODE, PUBLIC_MODE,
    create_dir, stage,
};
use crate::error::Error;

/// Room kept for each certificate file and for `connection.yaml`, whose sizes are known only
/// after the token is spent: a certificate is 1–2 KiB, the chain two of them, the yaml under
/// 2 KiB; generous, since the service's CA and URLs may be longer.
pub const RESERVED_PER_FILE: usize = 16 * 1024;

/// Checks that `dir` can hold the files `connect` writes: `key_len` bytes for the key (its
/// PEM, already made) and [`RESERVED_PER_FILE`] for each other file. A placeholder of that size
/// for each file is written into `dir` with the file's mode, synced, and removed; a `dir` that
/// did not exist is created for the check (as `connect` creates it, mode 0700) and removed
/// again with the parents the check created, so the check leaves nothing behind. `connect`
/// calls it before it requests anything, so the error says nothing was spent.
pub fn check_room(dir: &Path, key_len: usize) -> Result<(), Error> {
    let total = key_len + 4 * RESERVED_PER_FILE;
    let failed = |(step, source): (String, std::io::Error)| Error::ConnectionFiles {
        action: format!(
            "checking that {} has room for the connection's files ({} KiB): {step}",
            dir.display(),
            total.div_ceil(1024)
        ),
        source,
        outcome: ". Nothing was spent: no TokenRequest was created and no token used; free \
                  some space there or make it writable, or choose another --out-dir"
            .to_string(),
    };
    let missing = missing_dirs(dir);
    let result = (|| {
        if !missing.is_empty() {
            create_dir(dir).map_err(|e| ("creating the directory".to_string(), e))?;
        }
        let zeros = vec![0u8; key_len.max(RESERVED_PER_FILE)];
        let reserved = &zeros[..RESERVED_PER_FILE];
        let placeholders = stage(
            dir,
            &[
                (KEY_FILE, &zeros[..key_len], KEY_MODE),
                (CERTIFICATE_FILE, reserved, PUBLIC_MODE),
                (CA_FILE, reserved, PUBLIC_MODE),
                (CHAIN_FILE, reserved, PUBLIC_MODE),
                (CONFIG_FILE, reserved, PUBLIC_MODE),
            ],
        );
        // Dropping the temp files removes them.
        placeholders.map(drop).map_err(|failure| {
            (
                format!("writing a placeholder for {}", failure.name),
                failure.error,
            )
        })
    })()
    .map_err(failed);
    for created in &missing {
        // Only empty directories go; one that something else filled meanwhile stays.
        let _ = std::fs::remove_dir(created);
    }
    result
}

/// `dir` and those of its parents that do not exist, innermost first.
fn missing_dirs(dir: &Path) -> Vec<PathBuf> {
    dir.ancestors()
        .take_while(|path| !path.as_os_str().is_empty() && path.symlink_metadata().is_err())
        .map(Path::to_path_buf)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connection_files::step::injected;

    #[test]
    fn leaves_nothing_behind_and_creates_nothing_it_keeps() {
        let base = tempfile::tempdir().unwrap();
        let dir = base.path().join("a").join("b");
        check_room(&dir, 1704).unwrap();
        assert!(
            !base.path().join("a").exists(),
            "the created directories are gone"
        );
        check_room(base.path(), 1704).unwrap();
        assert_eq!(std::fs::read_dir(base.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_placeholder_that_cannot_be_written_is_reported_before_anything_is_spent() {
        let base = tempfile::tempdir().unwrap();
        let dir = base.path().join("app");
        // The third placeholder (ca.crt) fails.
        injected::fail(&[2]);
        let error = check_room(&dir, 1704).unwrap_err().to_string();
        assert!(
            error.contains("writing a placeholder for ca.crt: injected failure"),
            "{error}"
        );
        assert!(error.contains("Nothing was spent"), "{error}");
        assert!(error.contains("choose another --out-dir"), "{error}");
        assert!(!dir.exists(), "the directory made for the check is gone");
    }
}
