//! `kubectl tokenrequest renew DIR [--reuse-key] [--before D]`: a fresh certificate for a
//! connection, authenticated by the current one. Reads no cluster.
//!
//! 1. Read DIR; an expired or revoked certificate cannot renew itself (the advice is
//!    `connect --refresh`); with `--before D`, stop here ("not due") while D or more is left.
//! 2. Management info with the current certificate: the subject to ask for, `renewCertUrl`.
//! 3. A new RSA-2048 key (or, `--reuse-key`, the current one) and a CSR with that subject,
//!    posted to `renewCertUrl` over mTLS.
//! 4. The new certificate is checked before any file changes: it carries the new key, speaks
//!    for the application, and management info accepts it over mTLS.
//! 5. The files are replaced (see `connection_files::replace`): no moment with a key beside a
//!    foreign certificate, the previous set kept as `*.previous` until the new one is read back.
//!
//! A failure before 5 leaves the files byte for byte as they were; the old certificate stays
//! valid until it expires either way (the service does not revoke it on renewal).

use jiff::Timestamp;

use crate::certificate::check_issued;
use crate::cli::RenewArgs;
use crate::connection_files::{
    ConnectorTrust, Existing, FilePaths, Marking, Replacement, StoredConnection, replace_files,
    result_files,
};
use crate::connector::{
    CallLimits, ConnectorClient, ConnectorError, csr_for_existing_key, generate_key_and_csr, redact,
};
use crate::error::Error;
use crate::output::{ItemResult, Made, Outcome, expiry_text, flag_duration_text};
use crate::present::outcome;

pub async fn run(args: RenewArgs, limits: CallLimits) -> Result<(), Error> {
    let stored = StoredConnection::read(&args.dir)?;
    let dir = stored.dir.display().to_string();
    if stored.marking == Marking::Revoked {
        return Err(stored.renewal_impossible(
            "the certificate was revoked with `kubectl tokenrequest revoke` (its files are \
             *.revoked)"
                .to_string(),
        ));
    }
    let now = Timestamp::now();
    let check = stored.check(now)?;
    if let Some(why) = check.cannot_authenticate() {
        return Err(stored.renewal_impossible(format!(
            "{why}, so the certificate cannot authenticate a renewal"
        )));
    }
    let current = check.certificate;
    if let Some(before) = args.before
        && current.lasts(before, now)
    {
        let prose = format!(
            "{}: not due: the certificate is valid until {}, more than --before {} from now; \
             nothing was changed\n",
            stored.config.application,
            expiry_text(current.not_after, now),
            flag_duration_text(before)
        );
        let result = result(&stored, Outcome::NotDue, current.not_after);
        return outcome(args.output.as_ref(), &prose, &[result], Made::Connections);
    }

    let app = stored.config.application.clone();
    let info_url = stored.config.api.info_url.clone();
    let tls = stored.trust(&args.tls.tls());
    let service_error = |action: String, error: ConnectorError| match error {
        ConnectorError::Revoked { .. } => stored.renewal_impossible(format!("{action}: {error}")),
        ConnectorError::CertificateRefused { .. } => stored.renewal_impossible(format!(
            "{action}: {error} (an expired or revoked certificate cannot renew itself)"
        )),
        other => stored.unchanged(Error::connector(action, other, "")),
    };
    let client = stored
        .client(&tls, limits)
        .map_err(|e| service_error("setting up mTLS with client.key and chain.crt".into(), e))?;
    let info_action = format!("asking management info at {}", redact(&info_url));
    let info = client
        .management_info(&info_url)
        .await
        .map_err(|e| service_error(info_action.clone(), e))?;
    let renew_url = info.urls.renew_cert_url.clone().ok_or_else(|| {
        stored.unchanged(Error::AnswerIncomplete {
            action: info_action.clone(),
            field: "renewCertUrl",
        })
    })?;
    let subject = info
        .certificate
        .as_ref()
        .map(|certificate| certificate.subject.clone())
        .filter(|subject| !subject.is_empty())
        .unwrap_or_else(|| stored.config.certificate.subject.clone());

    let reuse_key = args.reuse_key.then(|| stored.key_pem().to_string());
    let key_and_csr = tokio::task::spawn_blocking(move || match reuse_key {
        Some(key_pem) => csr_for_existing_key(&key_pem, &subject),
        None => generate_key_and_csr(&subject),
    })
    .await
    .map_err(|source| {
        stored.unchanged(Error::Task {
            action: "making the key and CSR".to_string(),
            source,
        })
    })?
    .map_err(|e| stored.unchanged(Error::connector("making the key and CSR", e, "")))?;
    let renew_action = format!("renewing the certificate at {}", redact(&renew_url));
    let issued = client
        .renew(&renew_url, &key_and_csr)
        .await
        .map_err(|e| service_error(renew_action.clone(), e))?;

    // The new certificate is proven before a file changes.
    let renewed = check_issued(
        &issued.client_pem,
        &issued.chain_pem,
        key_and_csr.public_key(),
        &app,
        Timestamp::now(),
    )
    .map_err(|problem| {
        stored.unchanged(Error::CertificateRejected {
            action: renew_action.clone(),
            problem,
        })
    })?;
    let proof_action = format!(
        "checking the new certificate with management info at {}",
        redact(&info_url)
    );
    let key = key_and_csr.private_key();
    ConnectorClient::prove(&tls, &issued.chain_pem, key, limits, &info_url, &app)
        .await
        .map_err(|e| stored.unchanged(Error::connector(proof_action, e, "")))?;

    let mut config = stored.config.clone();
    config.certificate.subject = key_and_csr.subject.clone();
    config.certificate.not_after = Some(renewed.not_after);
    config.files = FilePaths::in_dir(&stored.dir);
    if let Some(trust) = ConnectorTrust::record(&args.tls.tls()) {
        // Flags that just worked are what the next run should use.
        config.connector_trust = Some(trust);
    }
    let config_yaml = config.to_yaml()?;
    replace_files(
        &stored.dir,
        &Replacement {
            key_pem: (!args.reuse_key).then_some(key_and_csr.key_pem.as_str()),
            certificate_pem: &issued.client_pem,
            ca_pem: &issued.ca_pem,
            chain_pem: &issued.chain_pem,
            config_yaml: &config_yaml,
        },
        Existing::Replace,
    )?;

    let now = Timestamp::now();
    let key = if args.reuse_key {
        "kept (--reuse-key)"
    } else {
        "new; the previous key is gone"
    };
    let prose = format!(
        "Renewed {app}: the Connector Service at {} knows the new certificate as application \
         {app}.\n  {:<20}{} (was {})\n  {:<20}SHA256 {}\n  {:<20}{}\n  {:<20}{key}\n  \
         {:<20}{dir}\nThe previous certificate stays valid until {} unless it is revoked; it is \
         no longer in {dir}.\n",
        redact(&info_url),
        "serial",
        renewed.serial,
        current.serial,
        "fingerprint",
        renewed.fingerprint,
        "certificate expires",
        expiry_text(renewed.not_after, now),
        "private key",
        "files in",
        current.not_after,
    );
    let result = result(&stored, Outcome::Renewed, renewed.not_after);
    outcome(args.output.as_ref(), &prose, &[result], Made::Connections)
}

/// The connection in `stored`'s directory came to `outcome`, its certificate ending at
/// `not_after`.
fn result(stored: &StoredConnection, outcome: Outcome, not_after: Timestamp) -> ItemResult {
    let config = &stored.config;
    ItemResult {
        files: Some(result_files(&stored.dir, Marking::Active)),
        certificate_expires: Some(not_after),
        ..ItemResult::new(
            &config.application,
            &config.namespace,
            outcome,
            &stored.dir.display().to_string(),
        )
    }
}
