//! The directory `connect` writes: the external system's key, its certificates and
//! `connection.yaml`, written so that a failure leaves no half-written file. Reading it back is
//! in `stored`, the renewal's replacement in `replace`, revocation's marking in `retire`.

mod replace;
mod retire;
mod stored;

use std::io::Write as _;
use std::os::unix::fs::{DirBuilderExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::connector::{ApiUrls, TlsOptions};
use crate::error::Error;

pub use replace::{PREVIOUS_SUFFIX, Replacement, replace_files};
pub use retire::{REVOKED_SUFFIX, mark_revoked};
pub use stored::{Marking, StoredConnection};

/// File names in the output directory.
pub const KEY_FILE: &str = "client.key";
pub const CERTIFICATE_FILE: &str = "client.crt";
pub const CA_FILE: &str = "ca.crt";
pub const CHAIN_FILE: &str = "chain.crt";
pub const CONFIG_FILE: &str = "connection.yaml";
pub const ALL_FILES: [&str; 5] = [KEY_FILE, CERTIFICATE_FILE, CA_FILE, CHAIN_FILE, CONFIG_FILE];

/// Mode of the private key; the other files are 0644.
pub const KEY_MODE: u32 = 0o600;
pub const PUBLIC_MODE: u32 = 0o644;

/// `connection.yaml`.
#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionConfig {
    pub application: String,
    /// Namespace of the TokenRequest.
    pub namespace: String,
    pub api: ApiUrls,
    pub certificate: CertificateSummary,
    pub files: FilePaths,
    /// How `connect` trusted the Connector Service, so that `inspect`, `renew` and `revoke`
    /// need no flags (their flags win).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connector_trust: Option<ConnectorTrust>,
    /// When `revoke` revoked the certificate (only in `connection.yaml.revoked`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<jiff::Timestamp>,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificateSummary {
    pub subject: String,
    pub key_algorithm: String,
    /// The client certificate's expiry (written by `connect` and `renew`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_after: Option<jiff::Timestamp>,
}

/// `--certificate-authority` (absolute) or `--insecure-skip-tls-verify-connector`, as given to
/// `connect` or last to `renew`. Neither: the system's CAs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectorTrust {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_authority: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub insecure_skip_tls_verify: bool,
}

impl ConnectorTrust {
    /// What to record for `tls`; `None` for the system's CAs alone.
    pub fn record(tls: &TlsOptions) -> Option<Self> {
        let certificate_authority = tls
            .certificate_authority
            .as_ref()
            .map(|path| std::path::absolute(path).unwrap_or_else(|_| path.clone()));
        (certificate_authority.is_some() || tls.insecure_skip_verify).then_some(ConnectorTrust {
            certificate_authority,
            insecure_skip_tls_verify: tls.insecure_skip_verify,
        })
    }

    pub fn options(&self) -> TlsOptions {
        TlsOptions {
            certificate_authority: self.certificate_authority.clone(),
            insecure_skip_verify: self.insecure_skip_tls_verify,
        }
    }
}

impl ConnectionConfig {
    pub fn to_yaml(&self) -> Result<String, Error> {
        serde_saphyr::to_string(self).map_err(|e| Error::ConnectionFiles {
            action: format!("writing {CONFIG_FILE}"),
            message: e.to_string(),
        })
    }
}

#[derive(Clone, Serialize, Deserialize)]
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
    let staged = stage(dir, files)?;
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

/// Each file written to a temp file in `dir`, created with its mode and synced, for renaming
/// into place; the temp files vanish with their handles.
fn stage(
    dir: &Path,
    files: &[(&str, &[u8], u32)],
) -> Result<Vec<(PathBuf, tempfile::NamedTempFile)>, Error> {
    let fail = |action: String, error: &dyn std::fmt::Display| Error::ConnectionFiles {
        action,
        message: error.to_string(),
    };
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
    Ok(staged)
}
