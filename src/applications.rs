//! The Application a TokenRequest is named after: whether it exists, which existing names are
//! closest when it does not, and the preflight `create` and `connect` run before they request
//! a token. The controller issues a token for any name (the compatibility spec §3), so a typo
//! otherwise shows up only later, as a refused certificate or failing gateway calls.

use std::time::Duration;

use crate::error::{Error, did_you_mean};
use crate::requests::{Cluster, Connection, Deadline};
use crate::session::Session;
use crate::text::quote_for_message;

/// How many close names are offered at most.
const SUGGESTIONS: usize = 3;
/// How long the preflight may retry when a missing Application is only a warning: it must not
/// eat the command's own time on a cluster that is struggling anyway.
const PREFLIGHT_LIMIT: Duration = Duration::from_secs(2);

/// What looking for an Application found.
#[derive(Debug)]
pub enum Lookup {
    Exists,
    /// No Application of that name; `suggestions` are the closest existing names (none when
    /// there are no close ones, or listing them was not possible).
    Missing {
        suggestions: Vec<String>,
    },
    /// The cluster serves no Application CRD.
    NotServed,
    /// The user may not read Applications.
    Forbidden,
    /// Some other failure, in words.
    Failed(String),
}

impl Lookup {
    /// Why the Application could not be checked, for what cannot tell.
    pub fn unchecked_reason(&self) -> Option<String> {
        match self {
            Lookup::Exists | Lookup::Missing { .. } => None,
            Lookup::NotServed => Some(
                "the cluster serves no Application CRD (applications.applicationconnector.\
                 kyma-project.io)"
                    .to_string(),
            ),
            Lookup::Forbidden => Some(
                "you may not read Applications (get on applications.applicationconnector.\
                 kyma-project.io, cluster-wide)"
                    .to_string(),
            ),
            Lookup::Failed(reason) => Some(reason.clone()),
        }
    }
}

/// Looks for the (cluster-scoped) Application `name`; when it is missing, lists the others
/// for the closest names.
pub async fn look_up(cluster: &Cluster, name: &str, deadline: Deadline) -> Lookup {
    match cluster.application(name, deadline).await {
        Ok(Some(_)) => Lookup::Exists,
        Ok(None) => {
            let names = cluster
                .application_names(deadline)
                .await
                .inspect_err(|error| tracing::info!("not suggesting names: {error}"))
                .unwrap_or_default();
            Lookup::Missing {
                suggestions: closest(name, &names),
            }
        }
        Err(error) if error.is_not_served() => Lookup::NotServed,
        Err(error) if error.is_forbidden() => Lookup::Forbidden,
        Err(error) => Lookup::Failed(error.to_string()),
    }
}

/// The existing names closest to `name` by edit distance (a transposition counts as one
/// edit), nearest first: at most [`SUGGESTIONS`], each within 2 edits or a third of the name.
pub fn closest(name: &str, names: &[String]) -> Vec<String> {
    let limit = 2.max(name.chars().count() / 3);
    let mut near: Vec<(usize, &String)> = names
        .iter()
        .filter(|candidate| candidate.as_str() != name)
        .map(|candidate| (strsim::damerau_levenshtein(name, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .collect();
    near.sort();
    near.into_iter()
        .take(SUGGESTIONS)
        .map(|(_, candidate)| candidate.clone())
        .collect()
}

/// The preflight of `create` and `connect`. With `require`, before anything is created: a
/// missing Application, or one that cannot be checked, is an error, and the look-up is bounded
/// by the command's deadline (none: the retry budget alone). Without it the look-up runs
/// beside the command, in a task `main` awaits before exiting, so it adds no round trip: a
/// missing Application is a warning on stderr, one that cannot be checked is logged at `-v`
/// only, and the look-up gives up after [`PREFLIGHT_LIMIT`].
pub async fn preflight(
    connection: &Connection,
    app: &str,
    require: bool,
    deadline: Deadline,
    session: &Session,
) -> Result<(), Error> {
    if require {
        return check(connection, app, true, deadline).await;
    }
    let limit = Deadline::after(PREFLIGHT_LIMIT);
    let deadline = match (deadline.at(), limit.at()) {
        (Some(command), Some(own)) if command < own => deadline,
        _ => limit,
    };
    let (connection, app) = (connection.clone(), app.to_string());
    session.finish_before_exit(tokio::spawn(async move {
        // Without `require` nothing here is an error.
        let _ = check(&connection, &app, false, deadline).await;
    }));
    Ok(())
}

async fn check(
    connection: &Connection,
    app: &str,
    require: bool,
    deadline: Deadline,
) -> Result<(), Error> {
    let lookup = look_up(&Cluster::new(connection), app, deadline).await;
    if let Some(reason) = lookup.unchecked_reason() {
        if require {
            return Err(Error::ApplicationUnchecked {
                name: app.to_string(),
                reason,
            });
        }
        tracing::info!("not checking that Application {app} exists: {reason}");
        return Ok(());
    }
    match lookup {
        Lookup::Missing { suggestions } if require => Err(Error::ApplicationMissing {
            name: app.to_string(),
            suggestions,
        }),
        Lookup::Missing { suggestions } => {
            eprintln!("Warning: {}", missing_warning(app, &suggestions));
            Ok(())
        }
        _ => Ok(()),
    }
}

/// The warning of a missing Application, for `create` and `connect`.
fn missing_warning(app: &str, suggestions: &[String]) -> String {
    format!(
        "Application {} does not exist on this cluster{}: the controller issues a token anyway, \
         but for a name nothing routes. Pass --require-application to make this an error",
        quote_for_message(app),
        did_you_mean(suggestions)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_closest_names_come_nearest_first() {
        let known = names(&[
            "my-app",
            "my-apps",
            "orders",
            "payments",
            "my-pap",
            "my-application",
        ]);
        assert_eq!(closest("my-ap", &known), ["my-app", "my-pap", "my-apps"]);
        // A transposition is one edit.
        assert_eq!(closest("odrers", &known), ["orders"]);
        assert!(closest("inventory", &known).is_empty());
        assert!(
            closest("my-app", &names(&["my-app"])).is_empty(),
            "not itself"
        );
        assert!(closest("x", &[]).is_empty());
    }

    #[test]
    fn the_warning_names_the_close_ones() {
        let warning = missing_warning("my-ap", &names(&["my-app", "my-apps"]));
        assert!(
            warning.starts_with(
                "Application \"my-ap\" does not exist on this cluster (did you mean \"my-app\" \
                 or \"my-apps\"?)"
            ),
            "{warning}"
        );
        assert!(warning.contains("--require-application"), "{warning}");
        let alone = missing_warning("zzz", &[]);
        assert!(alone.starts_with("Application \"zzz\" does not exist on this cluster:"));
    }
}
