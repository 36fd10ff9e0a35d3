//! The probe of `doctor --probe`: a TokenRequest with a generated name that no Application
//! has, labelled so strays can be found, created once and deleted by uid.

use kube::api::PostParams;
use tokio::time::Instant;

use super::create::{FIELD_MANAGER, is_own};
use super::{Failure, Guard, Requests};
use crate::tokenrequest::TokenRequest;

/// Every probe carries this label (value `true`):
/// `kubectl delete tokenrequests -l kubectl-tokenrequest/doctor-probe=true` removes strays.
pub const PROBE_LABEL: &str = "kubectl-tokenrequest/doctor-probe";
/// The probe's `generateName`: the server appends five random characters.
pub const PROBE_PREFIX: &str = "doctor-probe-";

impl Requests {
    /// The probe to send: `generateName` instead of a name, [`PROBE_LABEL`], and this run's
    /// create-id annotation, by which cleanup tells this run's probes from others'.
    pub fn probe_request() -> TokenRequest {
        let mut request = Self::new_request(PROBE_PREFIX, None);
        request.metadata.name = None;
        request.metadata.generate_name = Some(PROBE_PREFIX.to_string());
        request
            .metadata
            .labels
            .get_or_insert_default()
            .insert(PROBE_LABEL.to_string(), "true".to_string());
        request
    }

    /// Creates the probe with one POST, never resent here: with a generated name a second
    /// send makes a second object. (kube's client resends a 429, 503 or 504; a 504 may hide a
    /// stored first one, which [`Requests::delete_probes`] finds by the create-id.)
    pub async fn create_probe(
        &self,
        request: &TokenRequest,
        deadline: Instant,
    ) -> Result<TokenRequest, Failure> {
        let api = self.api_in("");
        let params = PostParams {
            dry_run: false,
            field_manager: Some(FIELD_MANAGER.to_string()),
        };
        let started = Instant::now();
        match tokio::time::timeout_at(deadline, api.create(&params, request)).await {
            Ok(result) => result.map_err(Failure::from),
            Err(_elapsed) => Err(Failure::NoAnswer {
                waited: started.elapsed(),
            }),
        }
    }

    /// Deletes what this run's probe `sent` left: `created` (by uid) when its answer came, and
    /// any other object labelled [`PROBE_LABEL`] that carries `sent`'s create-id (a create
    /// whose answer was lost, or an interrupted one). Returns the names deleted. A probe
    /// that was deleted meanwhile counts as done.
    pub async fn delete_probes(
        &self,
        sent: &TokenRequest,
        created: Option<&TokenRequest>,
    ) -> Result<Vec<String>, Failure> {
        let namespace = self.namespace().to_string();
        let mut deleted = Vec::new();
        let mut done_uid = None;
        if let Some(created) = created {
            let uid = created.metadata.uid.clone().unwrap_or_default();
            self.delete_one(&namespace, created.name(), &uid).await?;
            deleted.push(created.name().to_string());
            done_uid = Some(uid);
        }
        let params = Requests::list_params(None, Some(&format!("{PROBE_LABEL}=true")));
        let api = self.api_in("");
        let listed = match self.policy.run(None, || api.list(&params)).await {
            Ok(list) => list.items,
            // The one we know is gone; strays are only possible after a lost answer, and
            // listing them may be forbidden.
            Err(failure) if created.is_some() => {
                tracing::info!(?failure, "not looking for stray probes");
                return Ok(deleted);
            }
            Err(failure) => return Err(failure),
        };
        for stray in listed.iter().filter(|found| is_own(found, sent)) {
            let uid = stray.metadata.uid.clone().unwrap_or_default();
            if done_uid.as_deref() == Some(uid.as_str()) {
                continue;
            }
            self.delete_one(&namespace, stray.name(), &uid).await?;
            deleted.push(stray.name().to_string());
        }
        Ok(deleted)
    }

    /// By uid: a 404 (gone already) or a 409 (the name now belongs to another object) leaves
    /// nothing of this run's behind.
    async fn delete_one(&self, namespace: &str, name: &str, uid: &str) -> Result<(), Failure> {
        let guard = Guard::Uid(uid.to_string());
        self.delete(namespace, name, &guard, false)
            .await
            .map(|_| ())
    }
}
