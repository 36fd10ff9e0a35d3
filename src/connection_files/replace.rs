//! Writing a connection's files, one code for `connect` (into a directory without them, or
//! with `--force` over an earlier connection) and `renew` (after the new certificate was
//! proven over mTLS):
//!
//! 1. every new file is written to a temp file in the directory (the key with mode 0600);
//! 2. each file already there gets a second name, `NAME.previous` (a hard link: it stays in
//!    place); with [`Existing::Refuse`] there must be none;
//! 3. the new files are renamed over the old ones; a name that had no file gets its new one
//!    only if it still has none. With a new key, `client.crt` and `chain.crt` are removed first
//!    and put back after the key, so for a moment they are missing, but a key never sits beside
//!    a certificate that is not its own;
//! 4. the files are read back and compared with what was meant to be written;
//! 5. the `*.previous` names are removed.
//!
//! A failure in 1 or 2 changes nothing. A failure in 3 or 4 puts the earlier files back (in the
//! same order, so again no key sits beside a foreign certificate) and removes the new files
//! that had no earlier one: the directory is as it was, byte for byte, modes included. A
//! process killed between 2 and 5 leaves the earlier set intact as `*.previous`.

use std::path::{Path, PathBuf};

use super::step::step;
use super::{
    CA_FILE, CERTIFICATE_FILE, CHAIN_FILE, CONFIG_FILE, KEY_FILE, KEY_MODE, PUBLIC_MODE,
    create_dir, refuse_existing_files, stage,
};
use crate::error::Error;

pub const PREVIOUS_SUFFIX: &str = ".previous";

/// The files that carry the client certificate: they go before the key changes.
const CERTIFICATES: [&str; 2] = [CERTIFICATE_FILE, CHAIN_FILE];

/// The new files; `key_pem: None` keeps the current key (`renew --reuse-key`).
pub struct Replacement<'a> {
    pub key_pem: Option<&'a str>,
    pub certificate_pem: &'a str,
    pub ca_pem: &'a str,
    pub chain_pem: &'a str,
    pub config_yaml: &'a str,
}

/// What to do with the connection's files already in the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// `connect`: there must be none, and one that appears meanwhile is not replaced.
    Refuse,
    /// `connect --force` and `renew`: they are replaced, and kept as `*.previous` until the new
    /// set is in place.
    Replace,
}

impl Replacement<'_> {
    /// `(name, contents, mode)`, in the order they are placed: the key first.
    fn files(&self) -> Vec<(&str, &[u8], u32)> {
        let mut files = Vec::with_capacity(5);
        if let Some(key) = self.key_pem {
            files.push((KEY_FILE, key.as_bytes(), KEY_MODE));
        }
        files.extend([
            (
                CERTIFICATE_FILE,
                self.certificate_pem.as_bytes(),
                PUBLIC_MODE,
            ),
            (CHAIN_FILE, self.chain_pem.as_bytes(), PUBLIC_MODE),
            (CA_FILE, self.ca_pem.as_bytes(), PUBLIC_MODE),
            (CONFIG_FILE, self.config_yaml.as_bytes(), PUBLIC_MODE),
        ]);
        files
    }
}

/// One file of the set: whether an earlier one is there (and kept as `*.previous`), and
/// whether the new one has been put in its place.
struct Slot<'a> {
    name: &'a str,
    contents: &'a [u8],
    earlier: bool,
    placed: bool,
}

/// Writes the files into `dir` (created with mode 0700 if missing) as the module describes.
pub fn replace_files(dir: &Path, new: &Replacement<'_>, existing: Existing) -> Result<(), Error> {
    if existing == Existing::Refuse {
        refuse_existing_files(dir, false)?;
    }
    if !dir.is_dir() {
        create_dir(dir).map_err(|e| failed(dir, "creating the directory", e, ""))?;
    }
    let files = new.files();
    let staged = stage(dir, &files).map_err(|f| {
        failed(
            dir,
            &format!("writing {}", f.name),
            f.error,
            "; nothing was changed",
        )
    })?;
    let mut slots: Vec<Slot<'_>> = files
        .iter()
        .map(|(name, contents, _)| Slot {
            name,
            contents,
            earlier: existing == Existing::Replace && dir.join(name).symlink_metadata().is_ok(),
            placed: false,
        })
        .collect();
    keep_earlier(dir, &slots)?;

    let new_key = new.key_pem.is_some();
    let checked = place(dir, &mut slots, staged, new_key).and_then(|()| read_back(dir, &slots));
    if let Err(problem) = checked {
        let outcome = match restore(dir, &slots, new_key) {
            Ok(()) if slots.iter().any(|slot| slot.earlier) => {
                "the previous files were put back".to_string()
            }
            Ok(()) => "the files placed so far were removed again".to_string(),
            Err(e) => format!(
                "putting the previous files back failed too ({e}): those not back are intact as \
                 NAME{PREVIOUS_SUFFIX}; rename each back to its name without {PREVIOUS_SUFFIX}"
            ),
        };
        let outcome = format!("{}; {outcome}", problem.hint);
        return Err(failed(dir, &problem.step, problem.error, &outcome));
    }
    for slot in slots.iter().filter(|slot| slot.earlier) {
        let _ = std::fs::remove_file(previous(dir, slot.name));
    }
    Ok(())
}

fn previous(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}{PREVIOUS_SUFFIX}"))
}

fn remove_if_exists(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// Step 2: `NAME.previous` as a second name of each earlier file (a stale one is replaced).
/// On a failure the second names made so far are removed again, and nothing has changed.
fn keep_earlier(dir: &Path, slots: &[Slot<'_>]) -> Result<(), Error> {
    let earlier: Vec<&str> = slots
        .iter()
        .filter(|slot| slot.earlier)
        .map(|slot| slot.name)
        .collect();
    for (done, name) in earlier.iter().enumerate() {
        let previous = previous(dir, name);
        let kept = step(|| remove_if_exists(&previous))
            .and_then(|()| step(|| std::fs::hard_link(dir.join(name), &previous)));
        if let Err(error) = kept {
            for name in &earlier[..done] {
                let _ = std::fs::remove_file(self::previous(dir, name));
            }
            return Err(failed(
                dir,
                &format!("keeping {name} as {name}{PREVIOUS_SUFFIX}"),
                error,
                "; nothing was changed",
            ));
        }
    }
    Ok(())
}

/// Step 3: the earlier certificates out of the way of a new key, then every new file renamed
/// into place, the key first.
fn place(
    dir: &Path,
    slots: &mut [Slot<'_>],
    staged: Vec<(PathBuf, tempfile::NamedTempFile)>,
    new_key: bool,
) -> Result<(), StepFailure> {
    if new_key {
        for slot in slots
            .iter()
            .filter(|slot| slot.earlier && CERTIFICATES.contains(&slot.name))
        {
            step(|| remove_if_exists(&dir.join(slot.name)))
                .map_err(|e| StepFailure::new(format!("removing the previous {}", slot.name), e))?;
        }
    }
    for (slot, (path, file)) in slots.iter_mut().zip(staged) {
        let earlier = slot.earlier;
        step(move || {
            if earlier {
                file.persist(&path).map(drop).map_err(|e| e.error)
            } else {
                file.persist_noclobber(&path).map(drop).map_err(|e| e.error)
            }
        })
        .map_err(|e| {
            let hint = if !earlier && e.kind() == std::io::ErrorKind::AlreadyExists {
                ": it appeared meanwhile; pass --force to replace it"
            } else {
                ""
            };
            StepFailure {
                hint,
                ..StepFailure::new(format!("putting the new {} in place", slot.name), e)
            }
        })?;
        slot.placed = true;
    }
    Ok(())
}

/// Step 4: each file as written, byte for byte.
fn read_back(dir: &Path, slots: &[Slot<'_>]) -> Result<(), StepFailure> {
    for slot in slots {
        let reading = || format!("reading back {}", slot.name);
        let found = step(|| std::fs::read(dir.join(slot.name)))
            .map_err(|e| StepFailure::new(reading(), e))?;
        if found != slot.contents {
            let changed = std::io::Error::other("it changed while it was written");
            return Err(StepFailure::new(reading(), changed));
        }
    }
    Ok(())
}

/// A step of 3 or 4 that failed: what it was, the file system's error, and a hint for it.
struct StepFailure {
    step: String,
    error: std::io::Error,
    hint: &'static str,
}

impl StepFailure {
    fn new(step: String, error: std::io::Error) -> Self {
        StepFailure {
            step,
            error,
            hint: "",
        }
    }
}

/// After a failure in 3 or 4: the new files that had no earlier one removed, every
/// `NAME.previous` renamed back to `NAME`, the certificates after the key.
fn restore(dir: &Path, slots: &[Slot<'_>], new_key: bool) -> std::io::Result<()> {
    for slot in slots.iter().filter(|slot| {
        (slot.placed && !slot.earlier)
            || (new_key && slot.earlier && CERTIFICATES.contains(&slot.name))
    }) {
        step(|| remove_if_exists(&dir.join(slot.name)))?;
    }
    for slot in slots.iter().filter(|slot| slot.earlier) {
        let previous = previous(dir, slot.name);
        step(|| std::fs::rename(&previous, dir.join(slot.name)))?;
        // A file not replaced yet is the previous one itself, and a rename between two names
        // of one file changes nothing (POSIX): the second name has to go by itself.
        step(|| remove_if_exists(&previous))?;
    }
    Ok(())
}

fn failed(dir: &Path, step: &str, source: std::io::Error, outcome: &str) -> Error {
    Error::ConnectionFiles {
        action: format!("putting the new files into {}: {step}", dir.display()),
        source,
        outcome: outcome.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::connection_files::step::injected;

    /// Every entry of a directory: contents and (on unix) mode.
    type Snapshot = BTreeMap<String, (Vec<u8>, u32)>;

    fn snapshot(dir: &Path) -> Snapshot {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| {
                let entry = entry.unwrap();
                let name = entry.file_name().into_string().unwrap();
                (
                    name,
                    (std::fs::read(entry.path()).unwrap(), mode(&entry.path())),
                )
            })
            .collect()
    }

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[cfg(not(unix))]
    fn mode(_: &Path) -> u32 {
        0
    }

    /// `files` with their modes: the key 0600, the others 0640 (not what replace_files
    /// writes, so a mode it changed shows).
    fn write(dir: &Path, files: &[(&str, &str)]) {
        for (name, contents) in files {
            let path = dir.join(name);
            std::fs::write(&path, contents).unwrap();
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt as _;
                let mode = if *name == KEY_FILE { 0o600 } else { 0o640 };
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
            }
        }
    }

    fn read(dir: &Path, name: &str) -> String {
        std::fs::read_to_string(dir.join(name)).unwrap()
    }

    fn names(dir: &Path) -> Vec<String> {
        snapshot(dir).into_keys().collect()
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

    #[track_caller]
    fn assert_new_set(dir: &Path, key: &str) {
        assert_eq!(read(dir, KEY_FILE), key);
        for (name, contents) in [
            (CERTIFICATE_FILE, "new crt"),
            (CHAIN_FILE, "new chain"),
            (CA_FILE, "new ca"),
            (CONFIG_FILE, "new yaml"),
        ] {
            assert_eq!(read(dir, name), contents);
        }
        assert_eq!(
            names(dir),
            [
                "ca.crt",
                "chain.crt",
                "client.crt",
                "client.key",
                "connection.yaml"
            ],
            "no .previous and no temp file is left"
        );
    }

    #[test]
    fn replaces_every_file_and_leaves_no_previous() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &OLD);
        let new = replacement(Some("new key"));
        replace_files(dir.path(), &new, Existing::Replace).unwrap();
        assert_new_set(dir.path(), "new key");
        #[cfg(unix)]
        {
            assert_eq!(mode(&dir.path().join(KEY_FILE)), KEY_MODE);
            assert_eq!(mode(&dir.path().join(CA_FILE)), PUBLIC_MODE);
        }
    }

    #[test]
    fn reuse_key_keeps_the_key_file() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &OLD);
        #[cfg(unix)]
        let before = std::fs::metadata(dir.path().join(KEY_FILE)).unwrap();
        replace_files(dir.path(), &replacement(None), Existing::Replace).unwrap();
        assert_new_set(dir.path(), "old key");
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt as _;
            let after = std::fs::metadata(dir.path().join(KEY_FILE)).unwrap();
            assert_eq!(
                before.ino(),
                after.ino(),
                "the key file itself is untouched"
            );
        }
    }

    #[test]
    fn refuse_writes_into_an_empty_directory_and_replaces_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let new = replacement(Some("new key"));
        replace_files(dir.path(), &new, Existing::Refuse).unwrap();
        assert_new_set(dir.path(), "new key");

        let error = replace_files(dir.path(), &new, Existing::Refuse).unwrap_err();
        assert!(error.to_string().contains("pass --force"), "{error}");
    }

    /// The directory before each case and what the case writes.
    struct Case {
        earlier: &'static [(&'static str, &'static str)],
        key: Option<&'static str>,
        existing: Existing,
    }

    const CASES: [Case; 4] = [
        // connect --force over a whole connection; renew with a new key.
        Case {
            earlier: &OLD,
            key: Some("new key"),
            existing: Existing::Replace,
        },
        // renew --reuse-key.
        Case {
            earlier: &OLD,
            key: None,
            existing: Existing::Replace,
        },
        // connect --force where only some files are left: the others stay absent.
        Case {
            earlier: &[OLD[0], OLD[2], OLD[4]],
            key: Some("new key"),
            existing: Existing::Replace,
        },
        // connect into an empty directory.
        Case {
            earlier: &[],
            key: Some("new key"),
            existing: Existing::Refuse,
        },
    ];

    /// Runs `case` with the steps `fail` failing; the directory before and the result.
    fn run(case: &Case, fail: &[usize]) -> (tempfile::TempDir, Snapshot, Result<(), Error>) {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), case.earlier);
        let before = snapshot(dir.path());
        injected::fail(fail);
        let result = replace_files(dir.path(), &replacement(case.key), case.existing);
        injected::fail(&[]);
        (dir, before, result)
    }

    #[test]
    fn a_failure_at_any_step_leaves_the_directory_as_it_was() {
        for (number, case) in CASES.iter().enumerate() {
            let mut messages = Vec::new();
            for step in 0.. {
                let (dir, before, result) = run(case, &[step]);
                let taken = injected::taken();
                match result {
                    Err(error) => {
                        assert_eq!(
                            snapshot(dir.path()),
                            before,
                            "case {number}, failing step {step}: {error}"
                        );
                        messages.push(error.to_string());
                    }
                    Ok(()) => {
                        assert!(taken <= step, "case {number}: step {step} failed unseen");
                        assert_new_set(dir.path(), case.key.unwrap_or("old key"));
                        break;
                    }
                }
            }
            let all = messages.join("\n");
            let mut expected = vec![
                "writing client.crt",
                "putting the new connection.yaml",
                "reading back connection.yaml",
            ];
            if case.existing == Existing::Replace {
                expected.extend([
                    "keeping connection.yaml as connection.yaml.previous",
                    "the previous files were put back",
                ]);
            } else {
                expected.push("the files placed so far were removed again");
            }
            for expected in expected {
                assert!(
                    all.contains(expected),
                    "case {number}: no failure {expected:?} in\n{all}"
                );
            }
        }
    }

    #[test]
    fn when_putting_back_fails_too_the_earlier_files_are_intact_as_previous() {
        let case = &CASES[0];
        let mut seen = false;
        for step in 0.. {
            let (dir, _, result) = run(case, &[step, step + 1]);
            let Err(error) = result else { break };
            let error = error.to_string();
            if !error.contains("failed too") {
                continue;
            }
            seen = true;
            assert!(error.contains("rename each back"), "{error}");
            for (name, old) in OLD {
                let here = std::fs::read_to_string(dir.path().join(name)).ok();
                let kept = std::fs::read_to_string(previous(dir.path(), name)).ok();
                assert!(
                    here.as_deref() == Some(old) || kept.as_deref() == Some(old),
                    "step {step}: {name} is lost ({here:?}, {kept:?}): {error}"
                );
            }
        }
        assert!(seen, "no failure while putting the files back was reached");
    }
}
