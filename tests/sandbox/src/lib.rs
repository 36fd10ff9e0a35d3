//! A loopback Kubernetes API server that serves Kyma's TokenRequest resource the way a real
//! kube-apiserver v1.36 does (see `tests/fixtures/kube-apiserver-v1.36/`), plus a TokenRequest
//! controller that behaves like Kyma's connection-token-handler.
//!
//! The server judges objects by the CRD schema it serves (`schema`), never by the plugin's Rust
//! type, so a mistake in the plugin cannot hide itself in its own test bed.
//!
//! Module ownership while the sandbox is being built:
//! - `schema`, `store`, `server`: the API server.
//! - `controller`, `kubeconfig`, `exec`, this facade and `main.rs`: the controller and the CLI.
//!
//! Tests start one [`Sandbox`] each:
//!
//! ```no_run
//! # async fn example() -> anyhow::Result<()> {
//! use tokenrequest_sandbox::{Sandbox, SandboxConfig};
//! let sandbox = Sandbox::start(SandboxConfig::default()).await?;
//! let client = sandbox.admin_client();
//! # drop(client);
//! sandbox.shutdown().await;
//! # Ok(())
//! # }
//! ```

pub mod connector;
pub mod controller;
pub mod exec;
pub mod kubeconfig;
pub mod schema;
pub mod server;
pub mod shape;
pub mod store;

use std::path::{Path, PathBuf};

use anyhow::Context as _;

pub use connector::{ConnectorConfig, ConnectorHandle};
pub use controller::{ControllerConfig, ControllerMode};
pub use server::{
    Access, ClientIdentity, ControllerDeployment, Resource, SchemaVersion, ServerConfig,
    ServerHandle, User,
};

/// Namespace of the kubeconfig contexts unless a caller picks another one.
pub const DEFAULT_NAMESPACE: &str = "default";

/// How to start a [`Sandbox`]: the API server and the controller that runs against it.
#[derive(Debug, Clone, Default)]
pub struct SandboxConfig {
    pub server: ServerConfig,
    /// With [`ControllerMode::Off`] no controller runs.
    pub controller: ControllerConfig,
    /// A Connector Service to run as well; the controller then gets its tokens and URLs from it
    /// (unless `controller.connector_url` already names another one).
    pub connector: Option<ConnectorConfig>,
}

/// Where [`Sandbox::write_files`] writes the files a client needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxFiles {
    pub kubeconfig: PathBuf,
    /// The API server's CA certificate (PEM), written over https only.
    pub ca: PathBuf,
    /// The Connector Service's CA certificate (PEM), written when it runs.
    pub connector_ca: PathBuf,
}

impl SandboxFiles {
    /// `kubeconfig`, `ca.crt` and `connector-ca.crt` in `dir`, as `exec` writes them (and `serve`
    /// writes the CAs beside its kubeconfig).
    pub fn in_dir(dir: &Path) -> SandboxFiles {
        SandboxFiles {
            kubeconfig: dir.join("kubeconfig"),
            ca: dir.join("ca.crt"),
            connector_ca: dir.join("connector-ca.crt"),
        }
    }
}

/// A running API server plus, unless its mode is [`ControllerMode::Off`], a controller task.
///
/// [`Sandbox::shutdown`] stops both; dropping a `Sandbox` aborts the controller at once and
/// leaves the server to its handle's drop.
pub struct Sandbox {
    server: Option<ServerHandle>,
    controller: Option<tokio::task::JoinHandle<()>>,
    connector: Option<ConnectorHandle>,
    admin_client: kube::Client,
    reconciles: controller::Reconciles,
}

impl Sandbox {
    /// Starts the server on 127.0.0.1 and spawns the controller on the current tokio runtime.
    pub async fn start(mut config: SandboxConfig) -> anyhow::Result<Sandbox> {
        let connector = match config.connector {
            Some(connector_config) => Some(
                connector::start(connector_config)
                    .await
                    .context("could not start the sandbox Connector Service")?,
            ),
            None => None,
        };
        if let Some(connector) = &connector {
            config
                .controller
                .connector_url
                .get_or_insert_with(|| connector.internal_url());
        }
        // The controller's Deployment follows the controller unless the configuration says.
        let running = config.controller.mode != ControllerMode::Off;
        config
            .server
            .controller_deployment
            .get_or_insert(if running {
                ControllerDeployment::Ready
            } else {
                ControllerDeployment::Absent
            });
        let server = server::start(config.server)
            .await
            .context("could not start the sandbox API server")?;
        let admin_client =
            match admin_user(server.users()).and_then(|admin| server.client_for(&admin.name)) {
                Ok(client) => client,
                Err(error) => {
                    server.shutdown().await;
                    return Err(error);
                }
            };
        let reconciles = config.controller.reconciles.clone();
        let controller = (config.controller.mode != ControllerMode::Off).then(|| {
            let client = admin_client.clone();
            tokio::spawn(async move {
                if let Err(error) = controller::run(client, config.controller).await {
                    tracing::error!(
                        error = format!("{error:#}"),
                        "tokenrequest controller stopped"
                    );
                }
            })
        });
        Ok(Sandbox {
            server: Some(server),
            controller,
            connector,
            admin_client,
            reconciles,
        })
    }

    /// The server's base URL, `https://127.0.0.1:PORT` (`http://` with
    /// [`ServerConfig::https`] off).
    pub fn url(&self) -> String {
        self.server().url()
    }

    /// The API server's CA certificate (PEM); `None` over plain http.
    pub fn ca_pem(&self) -> Option<String> {
        self.server().ca_pem()
    }

    /// Writes the API server's CA certificate (PEM) to `path`; an error over plain http.
    pub fn write_ca(&self, path: &Path) -> anyhow::Result<()> {
        self.server().write_ca(path)
    }

    /// The client certificate and key (PEM) of a user who logs in with one (`certuser`).
    pub fn client_identity(&self, user: &str) -> Option<&ClientIdentity> {
        self.server().client_identity(user)
    }

    /// The running server, for its test controls (`drop_watches`, `forget_history`, `store`,
    /// `watch_requests`).
    pub fn server(&self) -> &ServerHandle {
        self.server
            .as_ref()
            .expect("the server runs until Sandbox::shutdown consumes the sandbox")
    }

    /// The Connector Service, if [`SandboxConfig::connector`] asked for one: its URLs, its CA
    /// (`ca_pem`, `write_ca`) and test controls (`expire_tokens`, `set_token_ttl`).
    pub fn connector(&self) -> Option<&ConnectorHandle> {
        self.connector.as_ref()
    }

    /// The controller's reconciles: how many run now and the most that ran at once.
    pub fn reconciles(&self) -> &controller::Reconciles {
        &self.reconciles
    }

    /// The users the server knows, with their bearer tokens.
    pub fn users(&self) -> &[User] {
        self.server.as_ref().map_or(&[], |server| server.users())
    }

    /// A client authenticated as `admin` (or, if the configuration has no `admin`, as its first
    /// user allowed every verb), which the controller uses too.
    pub fn admin_client(&self) -> kube::Client {
        self.admin_client.clone()
    }

    /// A client authenticated as the named user (`admin`, `nobody`, `nowatch`, `certuser`
    /// with its client certificate, or one the [`ServerConfig`] added); it trusts the CA.
    pub fn client_for(&self, user: &str) -> anyhow::Result<kube::Client> {
        self.server().client_for(user)
    }

    /// What [`Sandbox::write_kubeconfig`] writes, with contexts in `namespace`.
    pub fn kubeconfig(&self, namespace: &str) -> kubeconfig::KubeconfigSpec {
        let server = self.server();
        kubeconfig::KubeconfigSpec {
            server_url: server.url(),
            certificate_authority_pem: server.ca_pem(),
            namespace: namespace.to_owned(),
            // The anonymous user has no credentials to write, nor has a certificate user over
            // plain http.
            users: server
                .users()
                .iter()
                .filter_map(|user| {
                    let secret = if !user.token.is_empty() {
                        kubeconfig::Secret::Token(user.token.clone())
                    } else {
                        kubeconfig::Secret::Certificate(server.client_identity(&user.name)?.clone())
                    };
                    Some(kubeconfig::Credentials {
                        user: user.name.clone(),
                        secret,
                    })
                })
                .collect(),
        }
    }

    /// Writes a kubeconfig (mode 0600, atomically) whose contexts use namespace `default`.
    pub fn write_kubeconfig(&self, path: &Path) -> anyhow::Result<()> {
        self.write_kubeconfig_in(path, DEFAULT_NAMESPACE)
    }

    /// Writes a kubeconfig (mode 0600, atomically) whose contexts use `namespace`.
    pub fn write_kubeconfig_in(&self, path: &Path, namespace: &str) -> anyhow::Result<()> {
        Ok(kubeconfig::write(path, &self.kubeconfig(namespace))?)
    }

    /// Writes the kubeconfig (contexts in `namespace`), the API server's CA (over https) and the
    /// Connector Service's CA (if it runs).
    pub fn write_files(&self, files: &SandboxFiles, namespace: &str) -> anyhow::Result<()> {
        self.write_kubeconfig_in(&files.kubeconfig, namespace)?;
        if self.ca_pem().is_some() {
            self.write_ca(&files.ca)?;
        }
        if let Some(connector) = self.connector() {
            connector.write_ca(&files.connector_ca)?;
        }
        Ok(())
    }

    /// Stops the controller, then the server, and waits for both.
    pub async fn shutdown(mut self) {
        if let Some(controller) = self.controller.take() {
            controller.abort();
            let _ = controller.await;
        }
        if let Some(server) = self.server.take() {
            server.shutdown().await;
        }
        if let Some(connector) = self.connector.take() {
            connector.shutdown().await;
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(controller) = self.controller.take() {
            controller.abort();
        }
    }
}

/// The controller's identity: `admin`, else the first user allowed every verb.
fn admin_user(users: &[User]) -> anyhow::Result<&User> {
    users
        .iter()
        .find(|user| user.name == kubeconfig::ADMIN_USER)
        .or_else(|| {
            users.iter().find(|user| {
                server::Verb::ALL
                    .iter()
                    .all(|verb| user.verbs.allows(*verb))
            })
        })
        .context("the sandbox has no `admin` user and no other user allowed every verb")
}
