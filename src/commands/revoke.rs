//! `kubectl tokenrequest revoke DIR [--yes]`: revoke a connection's client certificate, check
//! that the service now refuses it, and rename the files to `*.revoked`
//! (see `connection_files::retire`). Reads no cluster.
//!
//! Asks on a terminal; without a terminal `--yes` is required (a usage error otherwise). The
//! check after the revocation asks management info, and where that still answers (upstream
//! checks revocation only on renewal), the empty-CSR renewal probe, which signs nothing.
//! Running it again on a revoked directory finishes an interrupted marking.

use std::io::IsTerminal as _;

use jiff::Timestamp;

use crate::cli::RevokeArgs;
use crate::connection_files::{Marking, StoredConnection, mark_revoked, result_files};
use crate::connector::{CallLimits, ConnectorError, Revocation, Standing, redact};
use crate::error::Error;
use crate::output::{ItemResult, Made, Outcome};
use crate::present::outcome;

pub async fn run(args: RevokeArgs, limits: CallLimits) -> Result<(), Error> {
    let stored = StoredConnection::read(&args.dir)?;
    let dir = stored.dir.display().to_string();
    let app = stored.config.application.clone();
    if stored.marking == Marking::Revoked {
        mark(&stored, stored.config.revoked_at)?;
        let prose = format!(
            "{app}: the certificate in {dir} was revoked already; its files are *.revoked.\n"
        );
        return outcome(
            args.output.as_ref(),
            &prose,
            &[result(&stored)],
            Made::Connections,
        );
    }
    let now = Timestamp::now();
    let check = stored.check(now)?;
    if let Some(why) = check.cannot_authenticate() {
        let advice = if check.expired {
            "; the service refuses it already: delete the files if the connection is retired"
        } else {
            ""
        };
        return Err(Error::CannotRevoke {
            reason: format!("{why} in {dir}, so it cannot authenticate a revocation"),
            advice: advice.to_string(),
        });
    }
    let certificate = check.certificate;
    confirm(
        args.yes,
        &format!(
            "Revoke the certificate of {app} (serial {}, valid until {}) in {dir}? The Connector \
             Service will refuse it and the files will be renamed to *.revoked. [y/N] ",
            certificate.serial, certificate.not_after
        ),
    )
    .await?;

    let info_url = stored.config.api.info_url.clone();
    let host = redact(&info_url);
    let tls = stored.trust(&args.tls.tls());
    let client = stored
        .client(&tls, limits)
        .map_err(|e| stored.unchanged(Error::connector("setting up mTLS", e, "")))?;
    let info_action = format!("asking management info at {host}");
    let already = match client.management_info(&info_url).await {
        Ok(info) => {
            let revoke_url = info.urls.revoke_cert_url.ok_or_else(|| {
                stored.unchanged(Error::AnswerIncomplete {
                    action: info_action.clone(),
                    field: "revokeCertUrl",
                })
            })?;
            match client.revoke(&revoke_url).await {
                Ok(()) => false,
                Err(ConnectorError::Revoked { .. }) => true,
                Err(error) => {
                    let action = format!("revoking at {}", redact(&revoke_url));
                    return Err(stored.unchanged(Error::connector(action, error, "")));
                }
            }
        }
        Err(ConnectorError::Revoked { .. }) => true,
        Err(error) => return Err(stored.unchanged(Error::connector(info_action, error, ""))),
    };

    // The proof: the service refuses the certificate now.
    match client.standing(&info_url).await {
        Ok(Standing::Revoked { .. }) => {}
        Ok(Standing::Accepted { revocation, .. }) => {
            let detail = match revocation {
                Revocation::NotRevoked => "management info answers, and the empty-CSR renewal \
                                           probe got past the revocation check"
                    .to_string(),
                Revocation::Unknown(why) => {
                    format!("management info answers; the renewal probe could not tell: {why}")
                }
            };
            return Err(Error::NotRevoked { host, detail, dir });
        }
        Err(error) => {
            return Err(Error::NotRevoked {
                host,
                detail: format!("checking it failed: {error}"),
                dir,
            });
        }
    }
    let revoked_at = Timestamp::now().round(jiff::Unit::Second).ok();
    mark(&stored, revoked_at.or(Some(Timestamp::now())))?;
    let how = if already {
        "was revoked already"
    } else {
        "is revoked"
    };
    let prose = format!(
        "Revoked {app}: the certificate (serial {}) {how}, and the Connector Service at {host} \
         now refuses it.\nThe files in {dir} were renamed to *.revoked. To connect again: {}\n",
        certificate.serial,
        stored.reconnect_command(),
    );
    outcome(
        args.output.as_ref(),
        &prose,
        &[result(&stored)],
        Made::Connections,
    )
}

/// The connection in `stored`'s directory is revoked: its files are `NAME.revoked`.
fn result(stored: &StoredConnection) -> ItemResult {
    let config = &stored.config;
    ItemResult {
        files: Some(result_files(&stored.dir, Marking::Revoked)),
        certificate_expires: config.certificate.not_after,
        ..ItemResult::new(
            &config.application,
            &config.namespace,
            Outcome::Revoked,
            &stored.dir.display().to_string(),
        )
    }
}

/// Renames the files, recording when the certificate was revoked.
fn mark(stored: &StoredConnection, revoked_at: Option<Timestamp>) -> Result<(), Error> {
    let mut config = stored.config.clone();
    config.revoked_at = revoked_at.or(config.revoked_at);
    mark_revoked(&stored.dir, &config.to_yaml()?)
}

/// `--yes`, or a "y" typed on the terminal; without a terminal, a usage error.
async fn confirm(yes: bool, question: &str) -> Result<(), Error> {
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::Usage(
            "revoke asks for confirmation, but stdin is not a terminal: pass --yes to revoke \
             without asking"
                .to_string(),
        ));
    }
    eprint!("{question}");
    // A blocking read on its own thread, so that Ctrl-C still ends the run at once.
    let answer = tokio::task::spawn_blocking(|| {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map(|_| line)
    })
    .await
    .map_err(|source| Error::Task {
        action: "reading the answer to the question".to_string(),
        source,
    })?
    .map_err(Error::Answer)?;
    if is_yes(&answer) {
        Ok(())
    } else {
        Err(Error::NotConfirmed)
    }
}

fn is_yes(answer: &str) -> bool {
    matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_yes_confirms() {
        for answer in ["y\n", "Y", " yes \n", "YES"] {
            assert!(is_yes(answer), "{answer:?}");
        }
        for answer in ["", "\n", "n", "no", "yess", "sure"] {
            assert!(!is_yes(answer), "{answer:?}");
        }
    }
}
