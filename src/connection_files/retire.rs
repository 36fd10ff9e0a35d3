//! After `revoke`: every file of the connection is renamed to `NAME.revoked`, so that nothing
//! that loads `client.key`/`client.crt` keeps using a revoked certificate (upstream accepts it
//! for some calls until it expires) and nobody takes the directory for a working connection.
//! `connection.yaml.revoked` goes first and records when: from then on the directory reads as
//! revoked, and running `revoke` again finishes an interrupted marking.

use std::path::Path;

use super::{CA_FILE, CERTIFICATE_FILE, CHAIN_FILE, CONFIG_FILE, KEY_FILE, PUBLIC_MODE, stage};
use crate::error::Error;

pub const REVOKED_SUFFIX: &str = ".revoked";

/// Writes `config_yaml` as `connection.yaml.revoked`, removes `connection.yaml` and renames the
/// key and certificates to `NAME.revoked` (replacing those of an earlier revoked connection).
pub fn mark_revoked(dir: &Path, config_yaml: &str) -> Result<(), Error> {
    let fail = |step: String, source: std::io::Error, outcome: &str| Error::ConnectionFiles {
        action: format!("marking the files in {} as revoked: {step}", dir.display()),
        source,
        outcome: outcome.to_string(),
    };
    let revoked_config = format!("{CONFIG_FILE}{REVOKED_SUFFIX}");
    let staged = stage(
        dir,
        &[(&revoked_config, config_yaml.as_bytes(), PUBLIC_MODE)],
    )
    .map_err(|failure| fail(format!("writing {}", failure.name), failure.error, ""))?;
    for (path, file) in staged {
        file.persist(&path)
            .map_err(|e| fail(format!("writing {revoked_config}"), e.error, ""))?;
    }
    for name in [CONFIG_FILE, KEY_FILE, CERTIFICATE_FILE, CHAIN_FILE, CA_FILE] {
        let path = dir.join(name);
        if path.symlink_metadata().is_err() {
            continue;
        }
        let result = if name == CONFIG_FILE {
            std::fs::remove_file(&path)
        } else {
            std::fs::rename(&path, dir.join(format!("{name}{REVOKED_SUFFIX}")))
        };
        result.map_err(|e| {
            fail(
                format!("renaming {name}"),
                e,
                "; run revoke again to finish marking the files",
            )
        })?;
    }
    Ok(())
}
