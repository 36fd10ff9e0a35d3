//! Replays the recordings of what a diagnosis asks (`kube-apiserver-v1.28-doctor`: a real
//! kube-apiserver v1.28.4) with the rigour of the v1.36 replay. The recording script changed
//! the cluster as it went (installed the CRDs one after the other, created the controller's
//! namespace and Deployment, marked the Deployment available); the replay sends each exchange
//! to a sandbox in the state the cluster was in then, and stands in for the steps that were not
//! recorded: the Deployment's status update is `set_controller_deployment(Ready)`.

use std::collections::BTreeSet;

use tokenrequest_sandbox::server::{
    self, ControllerDeployment, SchemaVersion, ServerConfig, ServerHandle,
};

use crate::replay::{Fixtures, Http, compare, plain_http, recorded_exchange};

const FIXTURES: Fixtures = Fixtures("kube-apiserver-v1.28-doctor");

/// The states the recorded cluster went through.
struct Clusters {
    /// No Kyma CRD at all.
    without_crds: ServerHandle,
    /// The TokenRequest CRD (Kyma 2 shape) but no Application CRD.
    tokenrequests_only: ServerHandle,
    /// Both CRDs; the controller's Deployment comes and gets ready as the script goes on.
    both: ServerHandle,
    /// The TokenRequest CRD whose schema keeps unknown fields.
    kyma1: ServerHandle,
}

impl Clusters {
    async fn start() -> Clusters {
        let start = |config: ServerConfig| async { server::start(config).await.unwrap() };
        Clusters {
            without_crds: start(ServerConfig {
                serve_group: false,
                ..plain_http()
            })
            .await,
            tokenrequests_only: start(ServerConfig {
                serve_applications: false,
                ..plain_http()
            })
            .await,
            both: start(plain_http()).await,
            kyma1: start(ServerConfig {
                schema: SchemaVersion::Kyma1,
                ..plain_http()
            })
            .await,
        }
    }

    /// The cluster as it was when the exchange was recorded.
    fn at(&self, exchange: &str) -> &ServerHandle {
        match exchange {
            "crd-get-missing"
            | "crd-get-forbidden"
            | "group-discovery-missing"
            | "kyma-operator-discovery-missing" => &self.without_crds,
            "crd-get-kyma2"
            | "discovery-group-version-no-application"
            | "application-get-no-crd" => &self.tokenrequests_only,
            "crd-get-kyma1-like" | "create-with-context-kept" => &self.kyma1,
            _ => &self.both,
        }
    }

    async fn shutdown(self) {
        for server in [
            self.without_crds,
            self.tokenrequests_only,
            self.both,
            self.kyma1,
        ] {
            server.shutdown().await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_recorded_doctor_exchange_replays() {
    let index = FIXTURES.read("index.json");
    let clusters = Clusters::start().await;
    let http = Http::new();
    let mut divergences = Vec::new();
    let mut listed = BTreeSet::new();
    for entry in index["exchanges"].as_array().expect("exchanges") {
        let name = entry["name"].as_str().unwrap();
        listed.insert(format!("{name}.json"));
        if name == "controller-deployment-ready" {
            // The script wrote the status a controller-manager would have written.
            clusters
                .both
                .set_controller_deployment(ControllerDeployment::Ready);
        }
        let recorded = FIXTURES.read(&format!("{name}.json"));
        let exchange = recorded_exchange(&recorded);
        let reply = http.send(&clusters.at(name).url(), &exchange).await;
        for problem in compare(name, &recorded, &reply) {
            divergences.push(format!("{name}: {problem}"));
        }
    }
    divergences.extend(FIXTURES.unlisted(&listed));
    clusters.shutdown().await;
    assert!(
        divergences.is_empty(),
        "the sandbox diverges from the v1.28 recordings:\n{}",
        divergences.join("\n")
    );
}
