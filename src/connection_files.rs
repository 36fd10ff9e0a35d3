//! The directory `connect` writes: the external system's key, its certificates and
//! `connection.yaml`, written so that a failure leaves no half-written file.

use std::io::Write as _;
use std::os::unix::fs::{DirBuilderExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::connector::ApiUrls;
use crate::error::Error;

/// File names in the output directory.
pub const KEY_FILE: &str = "client.key";
pub const CERTIFICATE_FILE: &str = "client.crt";
pub const CA_FILE: &str = "ca.crt";
pub const CHAIN_FILE: &str = "chain.crt";
pub const CONFIG_FILE: &str = "connection.yaml";
pub const ALL_FILES: [&str; 5] = [KEY_FILE, CERTIFICATE_FILE, CA_FILE, CHAIN_FILE, CONFIG_FILE];

/// `connection.yaml`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionConfig {
    pub application: String,
    /// Namespace of the TokenRequest.
    pub namespace: String,
    pub api: ApiUrls,
    pub certificate: CertificateSummary,
    pub files: FilePaths,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificateSummary {
    pub subject: String,
    pub key_algorithm: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FilePaths {
    pub private_key: PathBuf,
    pub certificate: PathBuf,
    pub ca_certificate: PathBuf,
    pub certificate_chain: PathBuf,
}

impl FilePaths {
    /// The files' paths in `dir`.
    pub fn in_dir(dir: &Path) -> Self {
        FilePaths {
            private_key: dir.join(KEY_FILE),
            certificate: dir.join(CERTIFICATE_FILE),
            ca_certificate: dir.join(CA_FILE),
            certificate_chain: dir.join(CHAIN_FILE),
        }
    }
}

/// Before any token is spent: files of an earlier connect stay unless `--force`.
pub fn refuse_existing_files(dir: &Path, force: bool) -> Result<(), Error> {
    if force {
        return Ok(());
    }
    let existing: Vec<&str> = ALL_FILES
        .into_iter()
        .filter(|name| dir.join(name).symlink_metadata().is_ok())
        .collect();
    if existing.is_empty() {
        return Ok(());
    }
    Err(Error::ConnectionFiles {
        action: format!("preparing {}", dir.display()),
        message: format!(
            "it already holds {}; pass --force to replace them, or choose another --out-dir",
            existing.join(", ")
        ),
    })
}

/// Writes every file to a temp file in `dir` (created with the file's mode, so the key is
/// never readable by others, not even empty), then renames them all into place. Without
/// `force` no existing file is replaced, even one that appeared meanwhile. On any failure the
/// files renamed so far are removed again and the temp files vanish with their handles.
pub fn write_files(dir: &Path, files: &[(&str, &[u8], u32)], force: bool) -> Result<(), Error> {
    let fail = |action: String, error: &dyn std::fmt::Display| Error::ConnectionFiles {
        action,
        message: error.to_string(),
    };
    if !dir.is_dir() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| fail(format!("creating the directory {}", dir.display()), &e))?;
    }
    let mut staged = Vec::with_capacity(files.len());
    for (name, contents, mode) in files {
        let action = || format!("writing {}", dir.join(name).display());
        let mut file = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .permissions(std::fs::Permissions::from_mode(*mode))
            .tempfile_in(dir)
            .map_err(|e| fail(action(), &e))?;
        file.write_all(contents)
            .and_then(|()| file.as_file().sync_all())
            .map_err(|e| fail(action(), &e))?;
        staged.push((dir.join(name), file));
    }
    let mut placed: Vec<PathBuf> = Vec::with_capacity(staged.len());
    for (path, file) in staged.into_iter() {
        let result = if force {
            file.persist(&path).map(drop)
        } else {
            file.persist_noclobber(&path).map(drop)
        };
        if let Err(error) = result {
            for done in &placed {
                let _ = std::fs::remove_file(done);
            }
            let hint = if error.error.kind() == std::io::ErrorKind::AlreadyExists {
                "; it appeared meanwhile: pass --force to replace it"
            } else {
                ""
            };
            return Err(Error::ConnectionFiles {
                action: format!("writing {}", path.display()),
                message: format!(
                    "{}{hint}; the files written so far were removed again",
                    error.error
                ),
            });
        }
        placed.push(path);
    }
    Ok(())
}
