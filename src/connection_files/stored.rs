//! A connection directory read back: what `connect` wrote, `renew` replaced or `revoke` marked.
//! The files are looked up in the directory by name, whatever the paths in `connection.yaml`
//! say, so a directory that was moved still reads.

use std::path::{Path, PathBuf};

use rustls::pki_types::PrivateKeyDer;
use rustls::pki_types::pem::PemObject as _;

use super::{
    CA_FILE, CERTIFICATE_FILE, CHAIN_FILE, CONFIG_FILE, ConnectionConfig, ConnectorTrust, KEY_FILE,
    PREVIOUS_SUFFIX, REVOKED_SUFFIX,
};
use crate::certificate::{CertificateFacts, public_key_of};
use crate::connector::{CallLimits, ConnectorClient, ConnectorError, TlsOptions};
use crate::error::Error;
use crate::text::shell_word;
use crate::tokenrequest::validate_name;

/// Whether the directory is a live connection or one `revoke` retired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marking {
    /// `connection.yaml` and the files under their own names.
    Active,
    /// `connection.yaml.revoked`; the other files are `NAME.revoked` (or, after an interrupted
    /// revoke, still `NAME`).
    Revoked,
}

/// The files of one connection. Holds the private key: not `Debug`.
pub struct StoredConnection {
    /// Absolute.
    pub dir: PathBuf,
    pub config: ConnectionConfig,
    pub marking: Marking,
    key_pem: String,
    pub certificate_pem: String,
    pub chain_pem: String,
    /// `*.previous` files a renewal that did not finish left behind.
    pub leftovers: Vec<String>,
}

impl StoredConnection {
    pub fn read(dir: &Path) -> Result<Self, Error> {
        let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        let action = || format!("reading the connection in {}", dir.display());
        let fail = |problem: String| Error::ConnectionDirectory {
            action: action(),
            problem,
        };
        if !dir.is_dir() {
            return Err(fail("no such directory".to_string()));
        }
        let revoked_config = format!("{CONFIG_FILE}{REVOKED_SUFFIX}");
        let marking = if dir.join(CONFIG_FILE).is_file() {
            Marking::Active
        } else if dir.join(&revoked_config).is_file() {
            Marking::Revoked
        } else {
            return Err(fail(format!(
                "it holds no {CONFIG_FILE}: inspect, renew and revoke work on a directory that \
                 `kubectl tokenrequest connect APP --out-dir DIR` wrote{}",
                interrupted_hint(&dir, CONFIG_FILE)
            )));
        };
        let read = |name: &str| -> Result<String, Error> {
            let path = match marking {
                Marking::Revoked if dir.join(format!("{name}{REVOKED_SUFFIX}")).exists() => {
                    dir.join(format!("{name}{REVOKED_SUFFIX}"))
                }
                _ => dir.join(name),
            };
            std::fs::read_to_string(&path).map_err(|error| match error.kind() {
                std::io::ErrorKind::NotFound => {
                    fail(format!("{name} is missing{}", interrupted_hint(&dir, name)))
                }
                _ => Error::ConnectionFiles {
                    action: format!("{}: reading {}", action(), path.display()),
                    source: error,
                    outcome: interrupted_hint(&dir, name),
                },
            })
        };
        let config_text = read(CONFIG_FILE)?;
        let config: ConnectionConfig = serde_saphyr::from_str(&config_text).map_err(|error| {
            fail(format!(
                "{CONFIG_FILE} is not one `kubectl tokenrequest connect` wrote: {error}"
            ))
        })?;
        // Both end up in advice to run (`connect APP -n NAMESPACE`).
        for (what, name) in [
            ("application", &config.application),
            ("namespace", &config.namespace),
        ] {
            validate_name(name).map_err(|problem| {
                fail(format!(
                    "the {what} in {CONFIG_FILE} is not a valid name: {problem}"
                ))
            })?;
        }
        let leftovers = [KEY_FILE, CERTIFICATE_FILE, CA_FILE, CHAIN_FILE, CONFIG_FILE]
            .into_iter()
            .map(|name| format!("{name}{PREVIOUS_SUFFIX}"))
            .filter(|name| dir.join(name).symlink_metadata().is_ok())
            .collect();
        Ok(StoredConnection {
            key_pem: read(KEY_FILE)?,
            certificate_pem: read(CERTIFICATE_FILE)?,
            chain_pem: read(CHAIN_FILE)?,
            config,
            marking,
            leftovers,
            dir,
        })
    }

    /// The private key's PEM, for a CSR with the same key (`renew --reuse-key`).
    pub fn key_pem(&self) -> &str {
        &self.key_pem
    }

    /// What `client.crt` says.
    pub fn certificate(&self) -> Result<CertificateFacts, Error> {
        CertificateFacts::from_pem(&self.certificate_pem)
            .map_err(|e| self.broken(CERTIFICATE_FILE, e))
    }

    /// Whether `client.key` belongs to the certificate.
    fn key_matches(&self, certificate: &CertificateFacts) -> Result<bool, Error> {
        let public_key = public_key_of(&self.key_pem).map_err(|e| self.broken(KEY_FILE, e))?;
        Ok(certificate.matches_key(&public_key))
    }

    /// What the files alone say about the certificate at `now`: the one check `inspect`,
    /// `renew` and `revoke` start with.
    pub fn check(&self, now: jiff::Timestamp) -> Result<LocalCheck, Error> {
        let certificate = self.certificate()?;
        let key_matches = self.key_matches(&certificate)?;
        Ok(LocalCheck {
            expired: certificate.is_expired(now),
            certificate,
            key_matches,
        })
    }

    /// Trust for the Connector Service: `flags` if any is set, else what `connection.yaml`
    /// records, else the system's CAs.
    pub fn trust(&self, flags: &TlsOptions) -> TlsOptions {
        if flags.certificate_authority.is_some() || flags.insecure_skip_verify {
            return flags.clone();
        }
        self.config
            .connector_trust
            .as_ref()
            .map(|trust| trust.options())
            .unwrap_or_default()
    }

    /// An mTLS client presenting the stored chain and key.
    pub fn client(
        &self,
        tls: &TlsOptions,
        limits: CallLimits,
    ) -> Result<ConnectorClient, ConnectorError> {
        let key = PrivateKeyDer::from_pem_slice(self.key_pem.as_bytes()).map_err(|_| {
            ConnectorError::Crypto(format!("{KEY_FILE} holds no usable private key (PEM)"))
        })?;
        ConnectorClient::with_identity(tls, &self.chain_pem, key, limits)
    }

    /// The command that gets this directory a new certificate instead, with the trust it
    /// recorded.
    pub fn reconnect_command(&self) -> String {
        let mut command = format!(
            "kubectl tokenrequest connect {} -n {} --out-dir {} --refresh --force",
            self.config.application,
            self.config.namespace,
            shell_word(&self.dir.display().to_string())
        );
        match &self.config.connector_trust {
            Some(trust) if trust.insecure_skip_tls_verify => {
                command.push_str(" --insecure-skip-tls-verify-connector");
            }
            Some(ConnectorTrust {
                certificate_authority: Some(ca),
                ..
            }) => {
                command.push_str(" --certificate-authority ");
                command.push_str(&shell_word(&ca.display().to_string()));
            }
            _ => {}
        }
        command
    }

    /// Renewal is over for this certificate: say why and how to connect again.
    pub fn renewal_impossible(&self, reason: String) -> Error {
        Error::RenewalImpossible {
            reason,
            reconnect: self.reconnect_command(),
        }
    }

    /// `error`, saying that the files in this directory were left as they were.
    pub fn unchanged(&self, error: Error) -> Error {
        Error::FilesUnchanged {
            source: Box::new(error),
            dir: self.dir.display().to_string(),
        }
    }

    fn broken(&self, name: &str, detail: String) -> Error {
        Error::ConnectionDirectory {
            action: format!("reading {}", self.dir.join(name).display()),
            problem: format!("it {detail}"),
        }
    }
}

/// What the files alone say about the certificate, before any service is asked.
pub struct LocalCheck {
    pub certificate: CertificateFacts,
    /// Whether `client.key` is the certificate's key.
    pub key_matches: bool,
    pub expired: bool,
}

impl LocalCheck {
    /// Why the certificate cannot authenticate a call to the Connector Service (management
    /// info, renewal, revocation), key first; `None` when it can.
    pub fn cannot_authenticate(&self) -> Option<String> {
        if !self.key_matches {
            Some(format!("{KEY_FILE} does not belong to {CERTIFICATE_FILE}"))
        } else if self.expired {
            Some(format!(
                "the certificate expired at {}",
                self.certificate.not_after
            ))
        } else {
            None
        }
    }
}

/// After a renewal that stopped half-way, the previous files are intact as `*.previous`.
fn interrupted_hint(dir: &Path, name: &str) -> String {
    let previous = format!("{name}{PREVIOUS_SUFFIX}");
    if dir.join(&previous).exists() {
        format!(
            " ({previous} is there: a renewal was interrupted; the previous files are intact as \
             *{PREVIOUS_SUFFIX}: rename each back to its name without {PREVIOUS_SUFFIX})"
        )
    } else {
        String::new()
    }
}
