//! What a diagnosis asks the API server besides TokenRequests: its version, who it takes the
//! user for, what the user may do, the group's discovery, the CRD object, the controller's
//! Deployment and Kyma's Applications. Each under the one [`RetryPolicy`]: all are reads,
//! except the self reviews, which are POSTs that store nothing and so are as safe to repeat,
//! and the create of a missing Application (`--create-application`), safe to repeat because
//! its name is fixed: a repeat meets the object the first try stored, a 409 taken as "exists".

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::authentication::v1::{SelfSubjectReview, UserInfo};
use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
};
use k8s_openapi::api::core::v1::Namespace;
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::APIResourceList;
use k8s_openapi::apimachinery::pkg::version::Info;
use kube::Api;
use kube::api::{ApiResource, DynamicObject, ListParams, PostParams};

use super::create::FIELD_MANAGER;
use super::error::status_code;
use super::{Connection, Deadline, RequestError};
use crate::tokenrequest::{API_VERSION, GROUP, VERSION};

/// Kyma's Applications: cluster-scoped, in the TokenRequests' group.
const APPLICATION_KIND: &str = "Application";
const APPLICATION_PLURAL: &str = "applications";
/// How many Applications one list call returns.
const APPLICATION_PAGE: u32 = 500;

/// How [`Cluster::create_application`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplicationCreate {
    /// Created (or, in a dry run, would have been).
    Created,
    /// An Application of that name was there; it was left as it is.
    Exists,
}

fn application_resource() -> ApiResource {
    ApiResource {
        group: GROUP.to_string(),
        version: VERSION.to_string(),
        api_version: API_VERSION.to_string(),
        kind: APPLICATION_KIND.to_string(),
        plural: APPLICATION_PLURAL.to_string(),
    }
}

/// The Application `--create-application` sends: name, description, no services.
fn application_object(name: &str, description: &str) -> DynamicObject {
    DynamicObject::new(name, &application_resource()).data(serde_json::json!({
        "spec": {"description": description, "services": []},
    }))
}

/// The cluster as a diagnosis sees it, through one client and one retry policy.
#[derive(Clone)]
pub struct Cluster {
    connection: Connection,
}

impl Cluster {
    pub fn new(connection: &Connection) -> Self {
        Cluster {
            connection: connection.clone(),
        }
    }

    fn all<K>(&self) -> Api<K>
    where
        K: kube::Resource<DynamicType = ()>,
    {
        Api::all(self.connection.client.clone())
    }

    /// `GET /version`.
    pub async fn version(&self, deadline: Deadline) -> Result<Info, RequestError> {
        let client = &self.connection.client;
        let action = "asking the API server for its version";
        self.connection
            .run(action, deadline, || client.apiserver_version())
            .await
    }

    /// Who the server takes the user for (`SelfSubjectReview`, authentication.k8s.io/v1;
    /// servers before 1.28 answer 404).
    pub async fn who_am_i(&self, deadline: Deadline) -> Result<UserInfo, RequestError> {
        let api: Api<SelfSubjectReview> = self.all();
        let review = SelfSubjectReview::default();
        let params = PostParams::default();
        let answer = self
            .connection
            .run("asking who you are", deadline, || {
                api.create(&params, &review)
            })
            .await?;
        Ok(answer
            .status
            .and_then(|status| status.user_info)
            .unwrap_or_default())
    }

    /// Whether the user may `verb` TokenRequests in `namespace` (`SelfSubjectAccessReview`).
    pub async fn may(
        &self,
        verb: &str,
        namespace: &str,
        deadline: Deadline,
    ) -> Result<bool, RequestError> {
        let api: Api<SelfSubjectAccessReview> = self.all();
        let review = SelfSubjectAccessReview {
            spec: SelfSubjectAccessReviewSpec {
                resource_attributes: Some(ResourceAttributes {
                    group: Some(GROUP.to_string()),
                    resource: Some(crate::tokenrequest::PLURAL.to_string()),
                    namespace: Some(namespace.to_string()),
                    verb: Some(verb.to_string()),
                    ..ResourceAttributes::default()
                }),
                ..SelfSubjectAccessReviewSpec::default()
            },
            ..SelfSubjectAccessReview::default()
        };
        let params = PostParams::default();
        let action =
            format!("asking whether you may {verb} TokenRequests in namespace {namespace}");
        let answer = self
            .connection
            .run(&action, deadline, || api.create(&params, &review))
            .await?;
        Ok(answer.status.is_some_and(|status| status.allowed))
    }

    /// Discovery of the TokenRequests' group and version: which of its resources are served.
    /// A group that is not served answers 404 `404 page not found` (see
    /// [`RequestError::ApiNotServed`]).
    pub async fn group_resources(
        &self,
        deadline: Deadline,
    ) -> Result<APIResourceList, RequestError> {
        let client = &self.connection.client;
        let action = "asking discovery for the TokenRequest API";
        self.connection
            .run(action, deadline, || {
                client.list_api_group_resources(API_VERSION)
            })
            .await
    }

    /// The CRD object of that name; `None` when there is none.
    pub async fn crd(
        &self,
        name: &str,
        deadline: Deadline,
    ) -> Result<Option<CustomResourceDefinition>, RequestError> {
        let api: Api<CustomResourceDefinition> = self.all();
        let action = format!("reading the CRD {name}");
        self.connection
            .run(&action, deadline, || api.get_opt(name))
            .await
    }

    /// The Deployment `namespace/name`; `None` when there is none.
    pub async fn deployment(
        &self,
        namespace: &str,
        name: &str,
        deadline: Deadline,
    ) -> Result<Option<Deployment>, RequestError> {
        let api: Api<Deployment> = Api::namespaced(self.connection.client.clone(), namespace);
        let action = format!("getting Deployment {namespace}/{name}");
        self.connection
            .run(&action, deadline, || api.get_opt(name))
            .await
    }

    /// Deployments in all namespaces that match a label selector (one call: a selector for
    /// one component matches a handful).
    pub async fn deployments_labelled(
        &self,
        selector: &str,
        deadline: Deadline,
    ) -> Result<Vec<Deployment>, RequestError> {
        let api: Api<Deployment> = self.all();
        let params = ListParams::default().labels(selector);
        let action = format!("listing Deployments labelled {selector} in all namespaces");
        let list = self
            .connection
            .run(&action, deadline, || api.list(&params))
            .await?;
        Ok(list.items)
    }

    /// The Application of that name; `None` when there is none.
    pub async fn application(
        &self,
        name: &str,
        deadline: Deadline,
    ) -> Result<Option<DynamicObject>, RequestError> {
        let api = self.applications();
        let action = format!(
            "getting Application {}",
            crate::text::quote_for_message(name)
        );
        self.connection
            .run(&action, deadline, || api.get_opt(name))
            .await
    }

    /// The names of all Applications, page by page.
    pub async fn application_names(&self, deadline: Deadline) -> Result<Vec<String>, RequestError> {
        let api = self.applications();
        let mut params = ListParams::default().limit(APPLICATION_PAGE);
        let mut names = Vec::new();
        loop {
            let page = self
                .connection
                .run("listing Applications", deadline, || api.list(&params))
                .await?;
            names.extend(page.items.into_iter().filter_map(|app| app.metadata.name));
            match page.metadata.continue_ {
                Some(token) if !token.is_empty() => params = params.continue_token(&token),
                _ => return Ok(names),
            }
        }
    }

    /// Creates the Application `name` with `spec.description` and no services, as
    /// `application-create` records the body (`dry_run`: `dryRun=All`, nothing stored). An
    /// Application of that name is never changed: a 409 AlreadyExists (someone created it
    /// meanwhile, or an earlier try of this call got through) is [`ApplicationCreate::Exists`].
    pub async fn create_application(
        &self,
        name: &str,
        description: &str,
        dry_run: bool,
        deadline: Deadline,
    ) -> Result<ApplicationCreate, RequestError> {
        let api = self.applications();
        let object = application_object(name, description);
        let params = PostParams {
            dry_run,
            field_manager: Some(FIELD_MANAGER.to_string()),
        };
        let action = format!(
            "creating Application {}",
            crate::text::quote_for_message(name)
        );
        let created = self
            .connection
            .run(&action, deadline, || api.create(&params, &object))
            .await;
        match created {
            Ok(_) => Ok(ApplicationCreate::Created),
            Err(error) if error.answer().and_then(status_code) == Some(409) => {
                Ok(ApplicationCreate::Exists)
            }
            Err(error) => Err(error),
        }
    }

    fn applications(&self) -> Api<DynamicObject> {
        Api::all_with(self.connection.client.clone(), &application_resource())
    }

    /// The names of all namespaces, in one call (completion).
    pub async fn namespace_names(&self, deadline: Deadline) -> Result<Vec<String>, RequestError> {
        let api: Api<Namespace> = self.all();
        let params = ListParams::default();
        let list = self
            .connection
            .run("listing namespaces", deadline, || api.list(&params))
            .await?;
        Ok(list
            .items
            .into_iter()
            .filter_map(|ns| ns.metadata.name)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_application_sent_has_the_recorded_shape() {
        let sent =
            serde_json::to_value(application_object("test-app", "an external system")).unwrap();
        // The request body of application-create (kube-apiserver-v1.28-doctor).
        let recorded = serde_json::json!({
            "apiVersion": "applicationconnector.kyma-project.io/v1alpha1",
            "kind": "Application",
            "metadata": {"name": "test-app"},
            "spec": {"description": "an external system", "services": []},
        });
        assert_eq!(sent, recorded);
    }
}
