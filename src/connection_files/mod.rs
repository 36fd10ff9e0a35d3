//! The directory `connect` writes: the external system's key, its certificates and
//! `connection.yaml`, written so that a failure leaves no half-written file. Whether a directory
//! has room for them is in `room`, writing or replacing them (connect and renew) in `replace`,
//! reading them back in `stored`, revocation's marking in `retire`.

mod replace;
mod retire;
mod room;
mod step;
mod stored;

use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::connector::{ApiUrls, TlsOptions};
use crate::error::Error;
use step::step;

pub use replace::{Existing, PREVIOUS_SUFFIX, Replacement, replace_files};
pub use retire::{REVOKED_SUFFIX, mark_revoked};
pub use room::check_room;
pub use stored::{LocalCheck, Marking, StoredConnection};

/// File names in the output directory.
pub const KEY_FILE: &str = "client.key";
pub const CERTIFICATE_FILE: &str = "client.crt";
pub const CA_FILE: &str = "ca.crt";
pub const CHAIN_FILE: &str = "chain.crt";
pub const CONFIG_FILE: &str = "connection.yaml";
pub const ALL_FILES: [&str; 5] = [KEY_FILE, CERTIFICATE_FILE, CA_FILE, CHAIN_FILE, CONFIG_FILE];

/// Mode of the private key; the other files are 0644 (unix only, see [`stage`]).
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
        serde_saphyr::to_string(self).map_err(|e| Error::ConnectionDirectory {
            action: format!("writing {CONFIG_FILE}"),
            problem: e.to_string(),
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

/// The files of the connection in `dir`, as results name them: `NAME`, or once revoked
/// `NAME.revoked`.
pub fn result_files(dir: &Path, marking: Marking) -> crate::output::Files {
    let suffix = match marking {
        Marking::Active => "",
        Marking::Revoked => REVOKED_SUFFIX,
    };
    let text = |name: &str| dir.join(format!("{name}{suffix}")).display().to_string();
    crate::output::Files {
        directory: dir.display().to_string(),
        private_key: text(KEY_FILE),
        certificate: text(CERTIFICATE_FILE),
        ca_certificate: text(CA_FILE),
        certificate_chain: text(CHAIN_FILE),
        configuration: text(CONFIG_FILE),
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
    Err(Error::ConnectionDirectory {
        action: format!("preparing {}", dir.display()),
        problem: format!(
            "it already holds {}; pass --force to replace them, or choose another --out-dir",
            existing.join(", ")
        ),
    })
}

/// `dir` and any missing parents, the new ones with mode 0700 (on unix; on Windows the directory
/// inherits its parent's ACL, see [`stage`]).
fn create_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt as _;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// A temp file that could not be written: the name of the file it was for, and why.
pub(super) struct StageFailure {
    pub name: String,
    pub error: std::io::Error,
}

/// Each file written to a temp file in `dir`, created with its mode and synced, for renaming
/// into place; the temp files vanish with their handles.
///
/// Modes exist on unix only. On Windows a file has no mode bits: the key is as private as the
/// ACL it inherits from its directory (under the user's profile, as the default `./APP` of a
/// shell started there usually is, only the user and administrators can read it); this code
/// sets no ACL of its own.
fn stage(
    dir: &Path,
    files: &[(&str, &[u8], u32)],
) -> Result<Vec<(PathBuf, tempfile::NamedTempFile)>, StageFailure> {
    let mut staged = Vec::with_capacity(files.len());
    for (name, contents, mode) in files {
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            builder.permissions(std::fs::Permissions::from_mode(*mode));
        }
        #[cfg(not(unix))]
        let _ = mode;
        let file = step(|| {
            let mut file = builder.tempfile_in(dir)?;
            file.write_all(contents)?;
            file.as_file().sync_all()?;
            Ok(file)
        })
        .map_err(|error| StageFailure {
            name: name.to_string(),
            error,
        })?;
        staged.push((dir.join(name), file));
    }
    Ok(staged)
}
