//! The Application a TokenRequest is named after: whether it exists, which existing names are
//! closest when it does not, and the preflight `create` and `connect` run before they request
//! a token. The controller issues a token for any name (the compatibility spec §3), so a typo
//! otherwise shows up only later, as a refused certificate or failing gateway calls. With
//! `--create-application` the preflight creates a missing Application instead.

use std::time::Duration;

use crate::error::{Error, did_you_mean};
use crate::requests::{ApplicationCreate, Cluster, Connection, Deadline, RequestError};
use crate::session::Session;
use crate::text::{quote_for_message, shell_word};

/// How many close names are offered at most.
const SUGGESTIONS: usize = 3;
/// How long the preflight may retry when a missing Application is only a warning: it must not
/// eat the command's own time on a cluster that is struggling anyway.
const PREFLIGHT_LIMIT: Duration = Duration::from_secs(2);

/// The `spec.description` of an Application `--create-application` creates: who made it.
pub const CREATED_DESCRIPTION: &str = "created by kubectl-tokenrequest (--create-application)";

/// The one rule creating an Application needs, for messages.
const CREATE_RULE: &str = "`create` on applications.applicationconnector.kyma-project.io, \
     cluster-wide (Applications are cluster-scoped: a ClusterRole with a ClusterRoleBinding)";

/// What the preflight does about a missing Application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// Warn on stderr and go on (the default).
    Warn,
    /// Refuse to request a token (`--require-application`).
    Refuse,
    /// Create it (`--create-application`); `dry_run`: a server dry run (`dryRun=All`).
    Create { dry_run: bool },
}

impl Missing {
    /// From the flags. `--create-application` wins over `--require-application`: the
    /// Application it creates is one that exists, and one it cannot create is an error anyway.
    pub fn of(require: bool, create: bool, server_dry_run: bool) -> Missing {
        match (create, require) {
            (true, _) => Missing::Create {
                dry_run: server_dry_run,
            },
            (false, true) => Missing::Refuse,
            (false, false) => Missing::Warn,
        }
    }
}

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

/// The preflight of `create` and `connect`. With [`Missing::Create`], before anything else
/// is sent: a missing Application is created (an existing one is left alone), and one that
/// cannot be created is an error. With [`Missing::Refuse`], before anything is created: a
/// missing Application, or one that cannot be checked, is an error. Both are bounded by the
/// command's deadline (none: the retry budget alone). With [`Missing::Warn`] the look-up runs
/// beside the command, in a task `main` awaits before exiting, so it adds no round trip: a
/// missing Application is a warning on stderr, one that cannot be checked is logged at `-v`
/// only, and the look-up gives up after [`PREFLIGHT_LIMIT`].
pub async fn preflight(
    connection: &Connection,
    app: &str,
    missing: Missing,
    deadline: Deadline,
    session: &Session,
) -> Result<(), Error> {
    match missing {
        Missing::Create { dry_run } => return ensure(connection, app, dry_run, deadline).await,
        Missing::Refuse => return check(connection, app, true, deadline).await,
        Missing::Warn => {}
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

/// `--create-application --dry-run=client`: nothing is sent, so what would happen is said
/// without asking whether the Application exists.
pub fn note_client_dry_run(connection: &Connection, app: &str) {
    connection.observer().note(&format!(
        "Application {} would be created if it does not exist (--create-application; \
         --dry-run=client sends nothing)",
        quote_for_message(app)
    ));
}

/// Creates `app` unless it exists. An Application that is there is never sent anything; a
/// look-up that cannot tell (reading Applications is forbidden, the server failed) lets the
/// create tell, since a create changes nothing that exists (409, taken as "exists").
async fn ensure(
    connection: &Connection,
    app: &str,
    dry_run: bool,
    deadline: Deadline,
) -> Result<(), Error> {
    let cluster = Cluster::new(connection);
    match cluster.application(app, deadline).await {
        Ok(Some(_)) => return Ok(()),
        Ok(None) => {}
        Err(error) if error.is_not_served() => return Err(not_created(app, &error)),
        Err(error) => {
            tracing::info!("cannot tell whether Application {app} exists ({error}): creating it")
        }
    }
    match cluster
        .create_application(app, CREATED_DESCRIPTION, dry_run, deadline)
        .await
    {
        Ok(ApplicationCreate::Created) => {
            let done = if dry_run {
                "would be created (server dry run)"
            } else {
                "created (--create-application)"
            };
            connection
                .observer()
                .note(&format!("Application {} {done}", quote_for_message(app)));
            Ok(())
        }
        Ok(ApplicationCreate::Exists) => {
            tracing::info!("Application {app} exists (created meanwhile): left as it is");
            Ok(())
        }
        Err(error) if error.is_forbidden() || error.is_not_served() => {
            Err(not_created(app, &error))
        }
        Err(error) => Err(Error::Request(error)),
    }
}

/// Who the binding is for, as `kubectl create clusterrolebinding` takes it, read from the
/// API server's refusal (`… is forbidden: User "NAME" cannot create …`): a service account
/// as `--serviceaccount=NAMESPACE:NAME`, anyone else as `--user=NAME`; `--user=USER` when
/// the message names no one.
fn binding_subject(message: &str) -> String {
    let user = message
        .split_once("User \"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(user, _)| user)
        .filter(|user| !user.is_empty());
    match user {
        None => "--user=USER".to_string(),
        Some(user) => match user.strip_prefix("system:serviceaccount:") {
            Some(account) => format!("--serviceaccount={account}"),
            None => format!("--user={}", shell_word(user)),
        },
    }
}

/// The error of an Application `--create-application` cannot create: not served, or
/// forbidden (naming the rule to add).
fn not_created(app: &str, error: &RequestError) -> Error {
    let reason = if error.is_not_served() {
        "the cluster serves no Application CRD (applications.applicationconnector.\
         kyma-project.io), so there is none to create; drop --create-application to request \
         the token anyway"
            .to_string()
    } else {
        let message = error.api_message();
        let answer = message
            .map(|message| format!("{message}. "))
            .unwrap_or_default();
        let subject = binding_subject(message.unwrap_or_default());
        format!(
            "{answer}Creating it needs {CREATE_RULE}; a cluster admin can grant it with \
             `kubectl create clusterrole application-creator --verb=create \
             --resource=applications.applicationconnector.kyma-project.io` and `kubectl create \
             clusterrolebinding application-creator --clusterrole=application-creator \
             {subject}`. Or create the Application another way, or drop \
             --create-application"
        )
    };
    Error::ApplicationNotCreated {
        name: app.to_string(),
        reason,
    }
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
            connection
                .observer()
                .note(&format!("Warning: {}", missing_warning(app, &suggestions)));
            Ok(())
        }
        _ => Ok(()),
    }
}

/// The warning of a missing Application, for `create` and `connect`.
fn missing_warning(app: &str, suggestions: &[String]) -> String {
    format!(
        "Application {} does not exist on this cluster{}: the controller issues a token anyway, \
         but for a name nothing routes. Pass --require-application to make this an error, or \
         --create-application to create it",
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

    #[test]
    fn create_application_wins_over_require_application() {
        assert_eq!(Missing::of(false, false, false), Missing::Warn);
        assert_eq!(Missing::of(true, false, true), Missing::Refuse);
        assert_eq!(
            Missing::of(true, true, false),
            Missing::Create { dry_run: false }
        );
        assert_eq!(
            Missing::of(false, true, true),
            Missing::Create { dry_run: true }
        );
    }

    #[test]
    fn a_forbidden_create_names_the_rule_to_add() {
        let message = "applications.applicationconnector.kyma-project.io is forbidden: User \
                       \"nobody\" cannot create resource \"applications\" in API group \
                       \"applicationconnector.kyma-project.io\" at the cluster scope";
        let forbidden = RequestError::Api {
            action: "creating Application \"my-app\"".to_string(),
            source: kube::Error::Api(
                kube::core::Status::failure(message, "Forbidden")
                    .with_code(403)
                    .boxed(),
            ),
            retried_for: None,
            server: Default::default(),
        };
        let error = not_created("my-app", &forbidden);
        assert_eq!(error.exit_code(), crate::error::exit_code::ERROR);
        let text = error.to_string();
        assert!(
            text.starts_with(
                "--create-application: cannot create Application \"my-app\", so no token was \
                 requested: applications.applicationconnector.kyma-project.io is forbidden: User \
                 \"nobody\""
            ),
            "{text}"
        );
        for needed in [
            "`create` on applications.applicationconnector.kyma-project.io, cluster-wide",
            "kubectl create clusterrole application-creator --verb=create \
             --resource=applications.applicationconnector.kyma-project.io",
            "--clusterrole=application-creator --user=nobody`",
        ] {
            assert!(text.contains(needed), "{needed:?} in {text}");
        }
    }

    #[test]
    fn the_binding_is_for_whom_the_server_named() {
        let refusal = |who: &str| {
            format!(
                "applications.applicationconnector.kyma-project.io is forbidden: User \"{who}\" cannot create resource \"applications\""
            )
        };
        assert_eq!(binding_subject(&refusal("alice")), "--user=alice");
        assert_eq!(
            binding_subject(&refusal("system:serviceaccount:ci:provisioner")),
            "--serviceaccount=ci:provisioner"
        );
        assert_eq!(binding_subject("forbidden"), "--user=USER");
        assert_eq!(binding_subject(&refusal("")), "--user=USER");
    }
}
