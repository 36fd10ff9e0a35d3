//! `renew`'s replacement of the files, after the new certificate was proven over mTLS:
//!
//! 1. every new file is written to a temp file in the directory (the key with mode 0600);
//! 2. the current files get a second name, `NAME.previous` (a hard link: they stay in place);
//! 3. the new files are renamed over the old ones. With a new key, `client.crt` and
//!    `chain.crt` are removed first and put back after the key, so for a moment they are
//!    missing, but a key never sits beside a certificate that is not its own;
//! 4. the files are read back and compared with what was meant to be written;
//! 5. the `*.previous` names are removed.
//!
//! A failure in 3 or 4 puts the previous files back (in the same order, so again no key sits
//! beside a foreign certificate); a process killed between 2 and 5 leaves the old set intact
//! as `*.previous`.

use std::path::Path;

use super::{
    CA_FILE, CERTIFICATE_FILE, CHAIN_FILE, CONFIG_FILE, KEY_FILE, KEY_MODE, PUBLIC_MODE, stage,
};
use crate::error::Error;

pub const PREVIOUS_SUFFIX: &str = ".previous";

/// The new files; `key_pem: None` keeps the current key (`--reuse-key`).
pub struct Replacement<'a> {
    pub key_pem: Option<&'a str>,
    pub certificate_pem: &'a str,
    pub ca_pem: &'a str,
    pub chain_pem: &'a str,
    pub config_yaml: &'a str,
}

/// Replaces the connection's files in `dir` as the module describes.
pub fn replace_files(dir: &Path, new: &Replacement<'_>) -> Result<(), Error> {
    let mut files: Vec<(&str, &[u8], u32)> = Vec::with_capacity(5);
    if let Some(key) = new.key_pem {
        files.push((KEY_FILE, key.as_bytes(), KEY_MODE));
    }
    files.extend([
        (
            CERTIFICATE_FILE,
            new.certificate_pem.as_bytes(),
            PUBLIC_MODE,
        ),
        (CHAIN_FILE, new.chain_pem.as_bytes(), PUBLIC_MODE),
        (CA_FILE, new.ca_pem.as_bytes(), PUBLIC_MODE),
        (CONFIG_FILE, new.config_yaml.as_bytes(), PUBLIC_MODE),
    ]);
    let names: Vec<&str> = files.iter().map(|(name, _, _)| *name).collect();
    let new_key = new.key_pem.is_some();
    let staged = stage(dir, &files)?;

    for (done, name) in names.iter().enumerate() {
        if let Err(error) = keep_previous(dir, name) {
            for name in &names[..done] {
                let _ = std::fs::remove_file(previous(dir, name));
            }
            return Err(failed(
                dir,
                format!("keeping {name} as {name}{PREVIOUS_SUFFIX}: {error}"),
            ));
        }
    }

    let placed = (|| -> std::io::Result<()> {
        if new_key {
            remove_certificates(dir)?;
        }
        for (path, file) in staged {
            file.persist(&path).map_err(|e| e.error)?;
        }
        Ok(())
    })();
    let checked = placed
        .map_err(|e| format!("putting the new files in place: {e}"))
        .and_then(|()| read_back(dir, &files));
    if let Err(problem) = checked {
        let restored = restore_previous(dir, &names, new_key);
        let outcome = match restored {
            Ok(()) => "the previous files were put back".to_string(),
            Err(e) => format!(
                "putting the previous files back failed too ({e}): they are intact as \
                 *{PREVIOUS_SUFFIX}; rename each back to its name without {PREVIOUS_SUFFIX}"
            ),
        };
        return Err(failed(dir, format!("{problem}; {outcome}")));
    }
    for name in &names {
        let _ = std::fs::remove_file(previous(dir, name));
    }
    Ok(())
}

fn previous(dir: &Path, name: &str) -> std::path::PathBuf {
    dir.join(format!("{name}{PREVIOUS_SUFFIX}"))
}

/// `NAME.previous` as a second name of the current file (a stale one is replaced).
fn keep_previous(dir: &Path, name: &str) -> std::io::Result<()> {
    let previous = previous(dir, name);
    match std::fs::remove_file(&previous) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    std::fs::hard_link(dir.join(name), &previous)
}

/// The files that carry the client certificate go before the key changes.
fn remove_certificates(dir: &Path) -> std::io::Result<()> {
    for name in [CHAIN_FILE, CERTIFICATE_FILE] {
        match std::fs::remove_file(dir.join(name)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    Ok(())
}

/// Each file as written, byte for byte.
fn read_back(dir: &Path, files: &[(&str, &[u8], u32)]) -> Result<(), String> {
    for (name, contents, _) in files {
        let found =
            std::fs::read(dir.join(name)).map_err(|e| format!("reading back {name}: {e}"))?;
        if found != *contents {
            return Err(format!("{name} changed while it was written"));
        }
    }
    Ok(())
}

/// Renames every `NAME.previous` back to `NAME`, the certificates after the key.
fn restore_previous(dir: &Path, names: &[&str], new_key: bool) -> std::io::Result<()> {
    if new_key {
        remove_certificates(dir)?;
    }
    for name in names {
        std::fs::rename(previous(dir, name), dir.join(name))?;
    }
    Ok(())
}

fn failed(dir: &Path, message: String) -> Error {
    Error::ConnectionFiles {
        action: format!("replacing the files in {}", dir.display()),
        message,
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    use super::*;

    fn write(dir: &Path, files: &[(&str, &str)]) {
        for (name, contents) in files {
            std::fs::write(dir.join(name), contents).unwrap();
        }
    }

    fn read(dir: &Path, name: &str) -> String {
        std::fs::read_to_string(dir.join(name)).unwrap()
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    const OLD: [(&str, &str); 5] = [
        (KEY_FILE, "old key"),
        (CERTIFICATE_FILE, "old crt"),
        (CHAIN_FILE, "old chain"),
        (CA_FILE, "old ca"),
        (CONFIG_FILE, "old yaml"),
    ];

    fn replacement(key: Option<&'static str>) -> Replacement<'static> {
        Replacement {
            key_pem: key,
            certificate_pem: "new crt",
            ca_pem: "new ca",
            chain_pem: "new chain",
            config_yaml: "new yaml",
        }
    }

    #[test]
    fn replaces_every_file_and_leaves_no_previous() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &OLD);
        replace_files(dir.path(), &replacement(Some("new key"))).unwrap();
        assert_eq!(read(dir.path(), KEY_FILE), "new key");
        assert_eq!(read(dir.path(), CHAIN_FILE), "new chain");
        assert_eq!(read(dir.path(), CONFIG_FILE), "new yaml");
        let mode = std::fs::metadata(dir.path().join(KEY_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, KEY_MODE);
        assert_eq!(
            names(dir.path()),
            [
                "ca.crt",
                "chain.crt",
                "client.crt",
                "client.key",
                "connection.yaml"
            ]
        );
    }

    #[test]
    fn reuse_key_keeps_the_key_file() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &OLD);
        let before = std::fs::metadata(dir.path().join(KEY_FILE)).unwrap();
        replace_files(dir.path(), &replacement(None)).unwrap();
        assert_eq!(read(dir.path(), KEY_FILE), "old key");
        assert_eq!(read(dir.path(), CERTIFICATE_FILE), "new crt");
        let after = std::fs::metadata(dir.path().join(KEY_FILE)).unwrap();
        use std::os::unix::fs::MetadataExt as _;
        assert_eq!(
            before.ino(),
            after.ino(),
            "the key file itself is untouched"
        );
    }

    #[test]
    fn a_failure_to_keep_the_previous_set_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        // No ca.crt: it cannot get a second name, so nothing is replaced.
        write(dir.path(), &[OLD[0], OLD[1], OLD[2], OLD[4]]);
        let error = replace_files(dir.path(), &replacement(Some("new key"))).unwrap_err();
        assert!(error.to_string().contains("keeping ca.crt"), "{error}");
        assert_eq!(read(dir.path(), KEY_FILE), "old key");
        assert_eq!(read(dir.path(), CERTIFICATE_FILE), "old crt");
        assert_eq!(
            names(dir.path()),
            ["chain.crt", "client.crt", "client.key", "connection.yaml"],
            "no .previous and no temp file is left"
        );
    }
}
