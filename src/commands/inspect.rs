//! `kubectl tokenrequest inspect DIR`: what a connection directory holds (application,
//! subject, serial, issuer, validity, whether key and certificate match) and, unless
//! `--offline`, what the Connector Service makes of the certificate: management info over mTLS,
//! then the empty-CSR renewal probe that tells a revoked certificate from a valid one where
//! management info does not (upstream). Reads no cluster. Exit 1 when the connection is not
//! usable or has less than `--min-validity` left; the findings are printed either way.

use std::time::Duration;

use jiff::Timestamp;

use crate::cli::InspectArgs;
use crate::connection_files::{LocalCheck, Marking, StoredConnection};
use crate::connector::{CallLimits, ConnectorError, Revocation, Standing, redact};
use crate::error::Error;
use crate::output::{
    CertificateView, Inspection, OutputFormat, ServiceStatus, ServiceView, flag_duration_text,
};
use crate::terminal::print;

pub async fn run(args: InspectArgs, limits: CallLimits) -> Result<(), Error> {
    let stored = StoredConnection::read(&args.dir)?;
    let now = Timestamp::now();
    let check = stored.check(now)?;
    let service = if args.offline {
        not_checked("--offline")
    } else if let Some(why) = check.cannot_authenticate() {
        not_checked(&why)
    } else {
        ask_the_service(&stored, &args, limits).await
    };
    let problems = problems(&stored, &check, &service, args.min_validity, now);
    let LocalCheck {
        certificate,
        key_matches,
        expired,
    } = check;

    let config = &stored.config;
    let (seconds_left, days_left) = CertificateView::left(certificate.not_after, now);
    let report = Inspection {
        directory: stored.dir.display().to_string(),
        application: config.application.clone(),
        namespace: config.namespace.clone(),
        revoked_at: config
            .revoked_at
            .filter(|_| stored.marking == Marking::Revoked),
        certificate: CertificateView {
            subject: certificate.subject.clone(),
            issuer: certificate.issuer.clone(),
            serial: certificate.serial.clone(),
            fingerprint_sha256: certificate.fingerprint.clone(),
            not_before: certificate.not_before,
            not_after: certificate.not_after,
            seconds_left,
            days_left,
            expired,
        },
        key_matches_certificate: key_matches,
        service,
        usable: problems.is_empty(),
        problems: problems.clone(),
        leftovers: stored.leftovers.clone(),
    };
    print(&report.render(args.output == Some(OutputFormat::Json), now))?;
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::ConnectionUnusable {
            dir: stored.dir.display().to_string(),
            problems,
        })
    }
}

/// Why the connection is not usable (or not for long enough); empty when it is.
fn problems(
    stored: &StoredConnection,
    check: &LocalCheck,
    service: &ServiceView,
    minimum: Option<Duration>,
    now: Timestamp,
) -> Vec<String> {
    let application = &stored.config.application;
    let certificate = &check.certificate;
    let mut problems = Vec::new();
    if !check.key_matches {
        problems.extend(check.cannot_authenticate());
    }
    if check.expired {
        problems.push(format!(
            "the certificate expired at {}",
            certificate.not_after
        ));
    } else if let Some(minimum) = minimum
        && !certificate.lasts(minimum, now)
    {
        problems.push(format!(
            "less than --min-validity {} is left (valid until {})",
            flag_duration_text(minimum),
            certificate.not_after
        ));
    }
    if certificate.not_before > now {
        problems.push(format!(
            "the certificate is valid only from {}",
            certificate.not_before
        ));
    }
    if certificate.common_name.as_ref() != Some(application) {
        problems.push(format!(
            "the certificate is for CN {:?}, not the application {application:?}",
            certificate.common_name.as_deref().unwrap_or("")
        ));
    }
    if stored.marking == Marking::Revoked {
        let at = stored
            .config
            .revoked_at
            .map(|at| format!(" at {at}"))
            .unwrap_or_default();
        problems.push(format!("revoked with `kubectl tokenrequest revoke`{at}"));
    }
    let detail = service.detail.as_deref().unwrap_or("");
    match service.status {
        ServiceStatus::Revoked => {
            problems.push("the Connector Service says the certificate is revoked".to_string())
        }
        ServiceStatus::Refused => problems.push(format!(
            "the Connector Service refuses the certificate: {detail}"
        )),
        ServiceStatus::Unreachable => problems.push(format!(
            "the Connector Service could not be asked: {detail}"
        )),
        ServiceStatus::Accepted if service.application.as_ref() != Some(application) => problems
            .push(format!(
                "the Connector Service takes the certificate for application {:?}",
                service.application.as_deref().unwrap_or("")
            )),
        ServiceStatus::Accepted | ServiceStatus::NotChecked => {}
    }
    problems
}

fn not_checked(why: &str) -> ServiceView {
    ServiceView {
        status: ServiceStatus::NotChecked,
        url: None,
        application: None,
        detail: Some(why.to_string()),
    }
}

/// Management info with the stored certificate, and the revocation probe if it is accepted.
async fn ask_the_service(
    stored: &StoredConnection,
    args: &InspectArgs,
    limits: CallLimits,
) -> ServiceView {
    let info_url = &stored.config.api.info_url;
    let view = |status, application, detail| ServiceView {
        status,
        url: Some(redact(info_url)),
        application,
        detail,
    };
    let tls = stored.trust(&args.tls.tls());
    let standing = match stored.client(&tls, limits) {
        Ok(client) => client.standing(info_url).await,
        Err(error) => Err(error),
    };
    match standing {
        Ok(Standing::Accepted { info, revocation }) => view(
            ServiceStatus::Accepted,
            info.client_identity.application.clone(),
            match revocation {
                Revocation::NotRevoked => None,
                Revocation::Unknown(why) => Some(why),
            },
        ),
        Ok(Standing::Revoked { message }) => view(ServiceStatus::Revoked, None, Some(message)),
        Err(error @ ConnectorError::CertificateRefused { .. })
        | Err(
            error @ ConnectorError::Status {
                status: 401 | 403, ..
            },
        ) => view(ServiceStatus::Refused, None, Some(error.to_string())),
        Err(error @ ConnectorError::Tls { .. }) => view(
            ServiceStatus::Unreachable,
            None,
            Some(format!(
                "{error}; trust its CA with --certificate-authority FILE"
            )),
        ),
        Err(error) => view(ServiceStatus::Unreachable, None, Some(error.to_string())),
    }
}
