//! `controller`: is Kyma's connection-token-handler deployed, and available? Looked for by name
//! in kyma-integration, else by its label in every namespace the user may list.

use k8s_openapi::api::apps::v1::Deployment;
use serde_json::json;

use super::checks::check;

use crate::output::{Check, CheckStatus};
use crate::requests::{Cluster, Deadline};
use crate::tokenrequest::CONTROLLER_NAME;

/// Where Kyma deploys the controller (the compatibility spec §3).
const NAMESPACE: &str = "kyma-integration";
const LABEL: &str = "app=connection-token-handler";

/// Where Kyma's controller comes from, and what later Kyma does instead.
const ABSENT_HINT: &str = "TokenRequests get their token from Kyma's connection-token-handler, \
     which runs in Kyma 1.x up to 2.2 in legacy connectivity mode (not in Compass mode); Kyma \
     2.3 and later keep the CRD without a controller, so requests there never get a status: \
     connect with the Compass/UCL one-time token instead. `kubectl tokenrequest doctor --probe` \
     shows whether a controller deployed another way answers";

/// What looking for the controller's Deployment found.
pub(super) enum Finding {
    Found {
        deployment: Box<Deployment>,
        by_label: bool,
    },
    /// Not in kyma-integration; `elsewhere` says whether other namespaces were searched.
    Absent {
        elsewhere: Result<(), String>,
    },
    /// The user may neither read it in kyma-integration nor list Deployments elsewhere.
    Forbidden,
    Failed(String),
}

pub(super) async fn find(cluster: &Cluster, deadline: Deadline) -> Finding {
    let forbidden_by_name = match cluster
        .deployment(NAMESPACE, CONTROLLER_NAME, deadline)
        .await
    {
        Ok(Some(deployment)) => {
            return Finding::Found {
                deployment: Box::new(deployment),
                by_label: false,
            };
        }
        Ok(None) => false,
        Err(failure) if failure.status_code() == Some(403) => true,
        Err(failure) => {
            return Finding::Failed(failure.to_string());
        }
    };
    match cluster.deployments_labelled(LABEL, deadline).await {
        Ok(mut found) => {
            // An available one, if any is.
            let best = found
                .iter()
                .position(is_available)
                .or((!found.is_empty()).then_some(0));
            match best {
                Some(at) => Finding::Found {
                    deployment: Box::new(found.swap_remove(at)),
                    by_label: true,
                },
                None => Finding::Absent { elsewhere: Ok(()) },
            }
        }
        Err(failure) if forbidden_by_name && failure.status_code() == Some(403) => {
            Finding::Forbidden
        }
        Err(failure) => {
            let reason = failure.to_string();
            if forbidden_by_name {
                Finding::Failed(reason)
            } else {
                Finding::Absent {
                    elsewhere: Err(reason),
                }
            }
        }
    }
}

/// Available: a replica is, and no `Available` condition says otherwise.
fn is_available(deployment: &Deployment) -> bool {
    let Some(status) = &deployment.status else {
        return false;
    };
    let denied = status
        .conditions
        .iter()
        .flatten()
        .any(|c| c.type_ == "Available" && c.status != "True");
    status.available_replicas.unwrap_or(0) > 0 && !denied
}

/// The verdict; `probe_answered` is what `--probe` saw (`None` without a probe).
pub(super) fn judge(finding: Finding, probe_answered: Option<bool>) -> Check {
    let answered = probe_answered == Some(true);
    match finding {
        Finding::Found {
            deployment,
            by_label,
        } => found(&deployment, by_label),
        Finding::Absent { .. } if answered => check(
            "controller",
            CheckStatus::Warn,
            format!(
                "no {CONTROLLER_NAME} Deployment found, but a controller answered the probe \
                 (deployed another way)"
            ),
            Some("nothing to do if that controller is meant to issue the tokens".into()),
            json!({"found": false, "probeAnswered": true}),
        ),
        Finding::Absent { elsewhere } => {
            let searched = match elsewhere {
                Ok(()) => format!(", nor one labelled {LABEL} in any namespace"),
                Err(reason) => format!(" (other namespaces not searched: {reason})"),
            };
            check(
                "controller",
                CheckStatus::Fail,
                format!("no Deployment {NAMESPACE}/{CONTROLLER_NAME}{searched}"),
                Some(ABSENT_HINT.into()),
                json!({"found": false, "probeAnswered": probe_answered}),
            )
        }
        Finding::Forbidden => {
            let probe = if answered {
                "; a controller answered the probe"
            } else {
                ""
            };
            check(
                "controller",
                CheckStatus::Skip,
                format!(
                    "you may not read Deployments in {NAMESPACE} nor list them in all \
                     namespaces, so the {CONTROLLER_NAME} was not looked at{probe}"
                ),
                Some(format!(
                    "`--probe` checks the controller by its answer instead; or ask for get on \
                     deployments.apps in {NAMESPACE}"
                )),
                json!({"found": null, "probeAnswered": probe_answered}),
            )
        }
        Finding::Failed(reason) => check(
            "controller",
            CheckStatus::Warn,
            reason,
            None,
            json!({"found": null, "probeAnswered": probe_answered}),
        ),
    }
}

fn found(deployment: &Deployment, by_label: bool) -> Check {
    let namespace = deployment
        .metadata
        .namespace
        .as_deref()
        .unwrap_or(NAMESPACE);
    let name = deployment
        .metadata
        .name
        .as_deref()
        .unwrap_or(CONTROLLER_NAME);
    let status = deployment.status.clone().unwrap_or_default();
    let wanted = deployment
        .spec
        .as_ref()
        .and_then(|spec| spec.replicas)
        .unwrap_or(1);
    let available = status.available_replicas.unwrap_or(0);
    let how = if by_label {
        format!(" (found by label {LABEL})")
    } else {
        String::new()
    };
    let details = json!({
        "found": true, "namespace": namespace, "name": name, "foundByLabel": by_label,
        "replicas": wanted, "availableReplicas": available, "available": is_available(deployment),
    });
    if is_available(deployment) {
        let message = format!(
            "Deployment {namespace}/{name}{how} is available ({available} of {wanted} replicas)"
        );
        return check("controller", CheckStatus::Ok, message, None, details);
    }
    let condition = status
        .conditions
        .iter()
        .flatten()
        .find(|c| c.type_ == "Available")
        .and_then(|c| c.message.clone())
        .map(|m| format!(": {m}"))
        .unwrap_or_default();
    check(
        "controller",
        CheckStatus::Fail,
        format!(
            "Deployment {namespace}/{name}{how} is not available ({available} of {wanted} \
             replicas){condition}"
        ),
        Some(format!(
            "see why with `kubectl -n {namespace} describe deployment {name}` and `kubectl -n \
             {namespace} logs deployment/{name}`; until it runs, TokenRequests get no status"
        )),
        details,
    )
}
