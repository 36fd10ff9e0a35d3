//! The probe of `doctor --probe`: a TokenRequest with a generated name that no Application
//! has, labelled so strays can be found, created once and deleted by uid.

use kube::api::PostParams;

use super::create::{FIELD_MANAGER, is_own};
use super::{Deadline, Guard, RequestError, Requests, list_params};
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

    /// Creates the probe with one POST, never resent: with a generated name a second send
    /// makes a second object. (One whose answer got lost is found by
    /// [`Requests::delete_probes`] by the create-id.)
    pub async fn create_probe(
        &self,
        request: &TokenRequest,
        deadline: Deadline,
    ) -> Result<TokenRequest, RequestError> {
        let api = self.api();
        let params = PostParams {
            dry_run: false,
            field_manager: Some(FIELD_MANAGER.to_string()),
        };
        let action = format!(
            "creating a probe TokenRequest in namespace {}",
            self.namespace()
        );
        let connection = self.connection.clone().single_try();
        connection
            .run(&action, deadline, || api.create(&params, request))
            .await
    }

    /// Deletes what this run's probe `sent` left: `created` (by uid) when its answer came, and
    /// any other object labelled [`PROBE_LABEL`] that carries `sent`'s create-id (a create
    /// whose answer was lost, or an interrupted one). Returns the names deleted. A probe
    /// that was deleted meanwhile counts as done.
    pub async fn delete_probes(
        &self,
        sent: &TokenRequest,
        created: Option<&TokenRequest>,
    ) -> Result<Vec<String>, RequestError> {
        let mut deleted = Vec::new();
        let mut done_uid = None;
        if let Some(created) = created {
            done_uid = self.delete_one(created).await?;
            deleted.push(created.name().to_string());
        }
        let params = list_params(None, Some(&format!("{PROBE_LABEL}=true")), None);
        let api = self.api();
        let action = format!(
            "listing probe TokenRequests in namespace {}",
            self.namespace()
        );
        let listed = match self
            .connection
            .run(&action, Deadline::none(), || api.list(&params))
            .await
        {
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
            if stray.metadata.uid.is_some() && stray.metadata.uid == done_uid {
                continue;
            }
            self.delete_one(stray).await?;
            deleted.push(stray.name().to_string());
        }
        Ok(deleted)
    }

    /// By uid: a 404 (gone already) or a 409 (the name now belongs to another object) leaves
    /// nothing of this run's behind. Returns the uid.
    async fn delete_one(&self, probe: &TokenRequest) -> Result<Option<String>, RequestError> {
        let action = format!(
            "deleting the probe TokenRequest {}/{}",
            self.namespace(),
            probe.name()
        );
        let guard = Guard::this_object(probe).ok_or_else(|| RequestError::Unidentified {
            action,
            missing: "uid",
        })?;
        self.delete(probe.name(), &guard, false).await?;
        Ok(probe.metadata.uid.clone())
    }
}
