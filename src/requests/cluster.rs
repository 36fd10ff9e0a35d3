//! What a diagnosis asks the API server besides TokenRequests: its version, who it takes the
//! user for, what the user may do, the group's discovery, the CRD object, the controller's
//! Deployment and Kyma's Applications. Each under the one [`RetryPolicy`]: all are reads,
//! except the self reviews, which are POSTs that store nothing and so are as safe to repeat.

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::authentication::v1::{SelfSubjectReview, UserInfo};
use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
};
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::APIResourceList;
use k8s_openapi::apimachinery::pkg::version::Info;
use kube::api::{ApiResource, DynamicObject, ListParams, PostParams};
use kube::{Api, Client};
use tokio::time::Instant;

use super::{Connection, Failure, RetryPolicy};
use crate::tokenrequest::{API_VERSION, GROUP, VERSION};

/// Kyma's Applications: cluster-scoped, in the TokenRequests' group.
const APPLICATION_KIND: &str = "Application";
const APPLICATION_PLURAL: &str = "applications";
/// How many Applications one list call returns.
const APPLICATION_PAGE: u32 = 500;

/// The cluster as a diagnosis sees it, through one client and one retry policy.
#[derive(Clone)]
pub struct Cluster {
    client: Client,
    policy: RetryPolicy,
}

impl Cluster {
    pub fn new(connection: &Connection) -> Self {
        Cluster {
            client: connection.client.clone(),
            policy: connection.policy,
        }
    }

    /// `GET /version`.
    pub async fn version(&self, deadline: Option<Instant>) -> Result<Info, Failure> {
        self.policy
            .run(deadline, || self.client.apiserver_version())
            .await
    }

    /// Who the server takes the user for (`SelfSubjectReview`, authentication.k8s.io/v1;
    /// servers before 1.28 answer 404).
    pub async fn who_am_i(&self, deadline: Option<Instant>) -> Result<UserInfo, Failure> {
        let api: Api<SelfSubjectReview> = Api::all(self.client.clone());
        let review = SelfSubjectReview::default();
        let params = PostParams::default();
        let answer = self
            .policy
            .run(deadline, || api.create(&params, &review))
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
        deadline: Option<Instant>,
    ) -> Result<bool, Failure> {
        let api: Api<SelfSubjectAccessReview> = Api::all(self.client.clone());
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
        let answer = self
            .policy
            .run(deadline, || api.create(&params, &review))
            .await?;
        Ok(answer.status.is_some_and(|status| status.allowed))
    }

    /// Discovery of the TokenRequests' group and version: which of its resources are served.
    /// A group that is not served answers 404 `404 page not found` (see
    /// [`crate::error::is_api_not_served`]).
    pub async fn group_resources(
        &self,
        deadline: Option<Instant>,
    ) -> Result<APIResourceList, Failure> {
        self.policy
            .run(deadline, || {
                self.client.list_api_group_resources(API_VERSION)
            })
            .await
    }

    /// The CRD object of that name; `None` when there is none.
    pub async fn crd(
        &self,
        name: &str,
        deadline: Option<Instant>,
    ) -> Result<Option<CustomResourceDefinition>, Failure> {
        let api: Api<CustomResourceDefinition> = Api::all(self.client.clone());
        self.policy.run(deadline, || api.get_opt(name)).await
    }

    /// The Deployment `namespace/name`; `None` when there is none.
    pub async fn deployment(
        &self,
        namespace: &str,
        name: &str,
        deadline: Option<Instant>,
    ) -> Result<Option<Deployment>, Failure> {
        let api: Api<Deployment> = Api::namespaced(self.client.clone(), namespace);
        self.policy.run(deadline, || api.get_opt(name)).await
    }

    /// Deployments in all namespaces that match a label selector (one call: a selector for
    /// one component matches a handful).
    pub async fn deployments_labelled(
        &self,
        selector: &str,
        deadline: Option<Instant>,
    ) -> Result<Vec<Deployment>, Failure> {
        let api: Api<Deployment> = Api::all(self.client.clone());
        let params = ListParams::default().labels(selector);
        Ok(self.policy.run(deadline, || api.list(&params)).await?.items)
    }

    /// The Application of that name; `None` when there is none.
    pub async fn application(
        &self,
        name: &str,
        deadline: Option<Instant>,
    ) -> Result<Option<DynamicObject>, Failure> {
        let api = self.applications();
        self.policy.run(deadline, || api.get_opt(name)).await
    }

    /// The names of all Applications, page by page.
    pub async fn application_names(
        &self,
        deadline: Option<Instant>,
    ) -> Result<Vec<String>, Failure> {
        let api = self.applications();
        let mut params = ListParams::default().limit(APPLICATION_PAGE);
        let mut names = Vec::new();
        loop {
            let page = self.policy.run(deadline, || api.list(&params)).await?;
            names.extend(page.items.into_iter().filter_map(|app| app.metadata.name));
            match page.metadata.continue_ {
                Some(token) if !token.is_empty() => params = params.continue_token(&token),
                _ => return Ok(names),
            }
        }
    }

    fn applications(&self) -> Api<DynamicObject> {
        let resource = ApiResource {
            group: GROUP.to_string(),
            version: VERSION.to_string(),
            api_version: API_VERSION.to_string(),
            kind: APPLICATION_KIND.to_string(),
            plural: APPLICATION_PLURAL.to_string(),
        };
        Api::all_with(self.client.clone(), &resource)
    }
}
