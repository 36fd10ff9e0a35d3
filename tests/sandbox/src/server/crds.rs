//! `customresourcedefinitions.apiextensions.k8s.io`: the CRD objects of what the sandbox
//! serves, read-only. The TokenRequest CRD comes in the shape of the schema served
//! (`crd-get-kyma2`, `crd-get-kyma1-like`); the Application CRD is Kyma's manifest (`crds` in the
//! v1.28 recordings' index) with the fields the apiserver adds, as it adds them to the
//! TokenRequest CRD.

use std::sync::LazyLock;

use http::StatusCode;
use hyper::Response;
use serde_json::{Value, json};

use super::cluster::{self, Call};
use super::kinds::Resource;
use super::resource::{new_uid, now_rfc3339};
use super::responses::{self, ApiError, Body};
use super::{SchemaVersion, ServerConfig};
use crate::store::Store;

/// The TokenRequest CRD as Kyma 2.0–2.2 installed it, as the apiserver returns it.
const TOKENREQUESTS_CRD: &str = include_str!("assets/crd-tokenrequests.json");
const APPLICATIONS_CRD: &str = include_str!("assets/crd-applications.json");
const API_VERSION: &str = "apiextensions.k8s.io/v1";

static KYMA2: LazyLock<Value> =
    LazyLock::new(|| serde_json::from_str(TOKENREQUESTS_CRD).expect("embedded CRD is JSON"));

/// The CRD of `schema`: Kyma 1.x did not prune, which a v1 CRD says with
/// `x-kubernetes-preserve-unknown-fields` at the root of its schema.
pub fn tokenrequests(schema: SchemaVersion) -> Value {
    let mut crd = KYMA2.clone();
    if schema == SchemaVersion::Kyma1 {
        crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["x-kubernetes-preserve-unknown-fields"] =
            json!(true);
    }
    crd
}

pub fn applications() -> Value {
    serde_json::from_str(APPLICATIONS_CRD).expect("embedded CRD is JSON")
}

/// Stores the CRDs the configuration serves, created now.
pub fn install(store: &Store, config: &ServerConfig) {
    let mut served = Vec::new();
    if config.serve_group {
        served.push(tokenrequests(config.schema));
        if config.serve_applications {
            served.push(applications());
        }
    }
    let now = now_rfc3339();
    for mut crd in served {
        let metadata = &mut crd["metadata"];
        metadata["uid"] = json!(new_uid());
        metadata["creationTimestamp"] = json!(now);
        for entry in metadata["managedFields"]
            .as_array_mut()
            .into_iter()
            .flatten()
        {
            entry["time"] = json!(now);
        }
        for condition in crd["status"]["conditions"]
            .as_array_mut()
            .into_iter()
            .flatten()
        {
            condition["lastTransitionTime"] = json!(now);
        }
        store
            .create(crd)
            .expect("the served CRDs have different names");
    }
}

/// `/apis/apiextensions.k8s.io/v1/...`
pub fn handle(call: &Call<'_>, rest: &[&str]) -> Result<Response<Body>, ApiError> {
    let store = &call.state.cluster.crds;
    let resource = Resource::CustomResourceDefinitions;
    match rest {
        ["customresourcedefinitions"] => {
            let verb = call.read_verb(false)?;
            call.authorize(resource, verb, None, "")?;
            cluster::list(
                store,
                None,
                call.query,
                API_VERSION,
                "CustomResourceDefinitionList",
                false,
            )
        }
        // The status subresource is the same object.
        ["customresourcedefinitions", name] | ["customresourcedefinitions", name, "status"] => {
            let verb = call.read_verb(true)?;
            call.authorize(resource, verb, None, name)?;
            let crd = store
                .get("", name)
                .ok_or_else(|| ApiError::not_found_on(resource, name))?;
            Ok(responses::json_bytes(StatusCode::OK, crd.json.clone()))
        }
        _ => Ok(responses::page_not_found()),
    }
}
