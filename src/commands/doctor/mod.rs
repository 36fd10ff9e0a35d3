//! `kubectl tokenrequest doctor [APP]`: will TokenRequests work on this cluster, and if not,
//! why? Asks everything that does not depend on anything else at once (one round trip, more
//! only where an answer leads to a second question), then, with `--probe`, creates a real
//! request; all within `--timeout`. Prints one line per check; exit 1 when one fails.
//!
//! The checks: `connection` (`/version`), `identity` (SelfSubjectReview), `tokenrequest-api`
//! (discovery, the CRD's shape), `permissions` (SelfSubjectAccessReviews), `controller` (its
//! Deployment), `application` (APP exists), `probe`. What each verdict means is in `checks.rs`,
//! `controller.rs` and `probe.rs`; the report is rendered by `output::render_checks`.

mod checks;
mod controller;
mod probe;
#[cfg(test)]
mod tests;

use futures::future::join_all;
use serde_json::json;

use crate::applications::{self, Lookup};
use crate::cli::DoctorArgs;
use crate::error::{Error, did_you_mean};
use crate::output::{Check, CheckStatus, OutputFormat, render_checks};
use crate::requests::{Cluster, Connection, Deadline, Requests};
use crate::session::Session;
use crate::terminal::print;
use crate::text::quote_for_message;
use crate::tokenrequest::{CRD_NAME, validate_name};
use checks::check;

/// `deadline`: `--timeout` after the run started, which 0 would not leave time for.
pub async fn run(
    connection: &Connection,
    args: DoctorArgs,
    deadline: Deadline,
    session: &Session,
) -> Result<(), Error> {
    if let Some(app) = &args.app {
        validate_name(app).map_err(Error::InvalidName)?;
    }
    if args.timeout.is_zero() {
        return Err(Error::Usage(
            "doctor needs time to ask: --timeout must be more than 0 (0 waits for nothing)".into(),
        ));
    }
    let at = deadline;
    let cluster = Cluster::new(connection);
    let namespace = connection.namespace().to_string();
    let reviews = join_all(checks::VERBS.map(|verb| {
        let cluster = &cluster;
        let namespace = namespace.as_str();
        async move { (verb, cluster.may(verb, namespace, at).await) }
    }));
    let application = async {
        match &args.app {
            Some(app) => Some(applications::look_up(&cluster, app, at).await),
            None => None,
        }
    };
    let (version, user, group, crd, reviews, controller, application) = futures::join!(
        cluster.version(at),
        cluster.who_am_i(at),
        cluster.group_resources(at),
        cluster.crd(CRD_NAME, at),
        reviews,
        controller::find(&cluster, at),
        application,
    );

    let (connection_check, blocker) = checks::connection(version);
    let mut report = vec![connection_check];
    if let Some(reason) = blocker {
        for name in [
            "identity",
            "tokenrequest-api",
            "permissions",
            "controller",
            "application",
            "probe",
        ] {
            report.push(checks::blocked(name, &reason));
        }
        return finish(report, &args);
    }
    let username = user.as_ref().ok().and_then(|u| u.username.clone());
    report.push(checks::identity(user));
    let not_served = group.as_ref().err().is_some_and(|f| f.is_not_served());
    let (api_check, served) = checks::api(group, crd);
    report.push(api_check);
    let denied = |wanted: &str| {
        reviews
            .iter()
            .any(|(verb, answer)| *verb == wanted && matches!(answer, Ok(false)))
    };
    let (create_denied, delete_denied) = (denied("create"), denied("delete"));
    report.push(checks::permissions(
        reviews,
        &namespace,
        username.as_deref(),
    ));

    let probed = if !args.probe {
        probe::not_run(
            "not asked for: --probe creates a TokenRequest, waits for the controller and deletes it",
        )
    } else if !served || not_served {
        probe::not_run("not run: the cluster does not serve TokenRequests (see tokenrequest-api)")
    } else if create_denied {
        probe::not_run(&format!(
            "not run: you may not create TokenRequests in namespace {namespace} (see permissions)"
        ))
    } else if delete_denied {
        probe::not_run(&format!(
            "not run: you may not delete TokenRequests in namespace {namespace}, so the probe \
             could not be cleaned up (see permissions)"
        ))
    } else if deadline.remaining().is_some_and(|left| left.is_zero()) {
        probe::not_run("not run: --timeout passed during the other checks")
    } else {
        probe::run(&Requests::new(connection), deadline, session).await
    };
    report.push(controller::judge(controller, probed.answered));
    report.push(application_check(args.app.as_deref(), application));
    report.push(probed.check);
    finish(report, &args)
}

/// Prints the report; a failed check makes the run fail (exit 1) after it was printed.
fn finish(report: Vec<Check>, args: &DoctorArgs) -> Result<(), Error> {
    let json = matches!(args.output, Some(OutputFormat::Json));
    let text = render_checks(&report, json).map_err(|source| Error::Output {
        context: "printing the report".into(),
        source,
    })?;
    print(&text)?;
    let failed = report
        .iter()
        .filter(|check| check.status == CheckStatus::Fail)
        .count();
    if failed > 0 {
        return Err(Error::ChecksFailed {
            failed,
            of: report.len(),
        });
    }
    Ok(())
}

/// `application`: APP exists (cluster-scoped), or the closest names that do.
fn application_check(app: Option<&str>, lookup: Option<Lookup>) -> Check {
    let (Some(app), Some(lookup)) = (app, lookup) else {
        return check(
            "application",
            CheckStatus::Skip,
            "no APP given: `kubectl tokenrequest doctor APP` checks that the Application exists",
            None,
            json!({"name": null}),
        );
    };
    let quoted = quote_for_message(app);
    match lookup {
        Lookup::Exists => check(
            "application",
            CheckStatus::Ok,
            format!("Application {quoted} exists"),
            None,
            json!({"name": app, "exists": true}),
        ),
        Lookup::Missing { suggestions } => check(
            "application",
            CheckStatus::Fail,
            format!(
                "Application {quoted} does not exist{}",
                did_you_mean(&suggestions)
            ),
            Some(
                "the controller issues a token for any name, but one for a name no Application \
                 has leads nowhere (the certificate or later gateway calls fail): check the \
                 name with `kubectl get applications.applicationconnector.kyma-project.io`, or \
                 create the Application first"
                    .into(),
            ),
            json!({"name": app, "exists": false, "suggestions": suggestions}),
        ),
        Lookup::NotServed => check(
            "application",
            CheckStatus::Warn,
            format!(
                "the cluster serves no Application CRD, so {quoted} could not be checked (a \
                 cluster may run TokenRequests without Applications)"
            ),
            Some(
                "nothing to do unless you expected Kyma's Applications here; then check that \
                 Kyma's application-operator is installed and the --context"
                    .into(),
            ),
            json!({"name": app, "exists": null, "crd": false}),
        ),
        Lookup::Forbidden | Lookup::Failed(_) => {
            let reason = lookup.unchecked_reason().unwrap_or_default();
            let status = if matches!(lookup, Lookup::Forbidden) {
                CheckStatus::Skip
            } else {
                CheckStatus::Warn
            };
            check(
                "application",
                status,
                format!("{quoted} was not checked: {reason}"),
                None,
                json!({"name": app, "exists": null}),
            )
        }
    }
}
