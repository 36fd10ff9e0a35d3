//! Builds the kube client the way kubectl resolves its configuration.

use std::sync::Arc;
use std::time::Duration;

use kube::Client;

use super::RetryPolicy;
use super::http_log::LogLayer;
use super::kubeconfig::{Loaded, load_config};
use crate::cli::ConnectionArgs;
use crate::error::Error;
use crate::proxy;
use crate::text::error_chain;
use crate::tokenrequest::validate_namespace;

/// A client, the namespace commands act in, and the retry policy `--request-timeout` sets.
#[derive(Clone)]
pub struct Connection {
    pub client: Client,
    pub namespace: String,
    pub policy: RetryPolicy,
    /// What error messages say about the server.
    pub server: Arc<Server>,
}

impl Connection {
    /// `--request-timeout` (0: none), which bounds Connector Service calls too.
    pub fn request_timeout(&self) -> Duration {
        self.server.request_timeout
    }
}

/// The API server as error messages name it, and the credential plugin that logs in to it.
#[derive(Debug, Clone, Default)]
pub struct Server {
    /// `host:port` of the cluster URL.
    pub address: String,
    /// The kubeconfig user's exec credential plugin: its command and install hint.
    pub exec: Option<(String, Option<String>)>,
    /// `--request-timeout` (0: none).
    pub request_timeout: Duration,
}

impl Server {
    fn of(config: &kube::Config, request_timeout: Duration) -> Self {
        let uri = &config.cluster_url;
        let address = match (uri.host(), uri.port_u16()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) if uri.scheme_str() == Some("http") => format!("{host}:80"),
            (Some(host), None) => format!("{host}:443"),
            _ => uri.to_string(),
        };
        let exec = config.auth_info.exec.as_ref().map(|exec| {
            (
                exec.command.clone().unwrap_or_default(),
                exec.install_hint.clone(),
            )
        });
        Server {
            address,
            exec,
            request_timeout,
        }
    }
}

/// `--kubeconfig` names one file; otherwise kube merges `KUBECONFIG` (or reads
/// `~/.kube/config`) itself. In-cluster configuration is only tried when no flag names a
/// kubeconfig entry, like kubectl.
pub async fn connect(args: &ConnectionArgs) -> Result<Connection, Error> {
    let Loaded {
        mut config,
        proxy_url,
    } = load_config(args).await?;
    trim_token_file(&mut config);
    // kube-client 5 chooses the proxy matching NO_PROXY against the proxy instead of the
    // cluster (see crate::proxy): the choice is made again here, by kubectl's rules.
    config.proxy_url = proxy::choose(
        proxy_url.as_deref(),
        &config.cluster_url,
        &proxy::ProcessEnvironment,
    )
    .map_err(|message| Error::Kubeconfig {
        path: None,
        message: format!("choosing the proxy for {}: {message}", config.cluster_url),
    })?;
    match &config.proxy_url {
        Some(proxy) => tracing::debug!(
            "API server {} through proxy {}",
            config.cluster_url,
            proxy::shown(proxy)
        ),
        None => tracing::debug!("API server {} directly, no proxy", config.cluster_url),
    }
    if args.insecure_skip_tls_verify {
        config.accept_invalid_certs = true;
    }
    if args.request_timeout > Duration::ZERO {
        config.connect_timeout = Some(args.request_timeout);
        config.read_timeout = Some(args.request_timeout);
        config.write_timeout = Some(args.request_timeout);
        config.reset_reader_on_write = true;
    }
    // `-n ''` (an unset `$NS` in a script) means the context's namespace, as for kubectl.
    let namespace = args
        .namespace
        .clone()
        .filter(|namespace| !namespace.is_empty())
        .unwrap_or_else(|| config.default_namespace.clone());
    validate_namespace(&namespace).map_err(Error::InvalidInput)?;
    let server = Arc::new(Server::of(&config, args.request_timeout));
    let base: Arc<str> = config.cluster_url.to_string().into();
    // Building the client runs an exec credential plugin: its failure names the plugin.
    let client = kube::client::ClientBuilder::try_from(config)
        .map_err(|e| match e {
            kube::Error::Auth(_) => Error::api(
                format!("logging in to the API server {}", server.address),
                e,
            )
            .at(&server),
            e => Error::Kubeconfig {
                path: None,
                message: format!("building the API client: {}", error_chain(&e)),
            },
        })?
        .with_layer(&LogLayer { base })
        .build();
    Ok(Connection {
        client,
        namespace,
        policy: RetryPolicy::new(args.request_timeout),
        server,
    })
}

/// kube-client 5.0.0 sends a `tokenFile`'s content as it is, so the newline `echo TOKEN > file`
/// leaves makes every request fail ("invalid bearer token"); client-go trims it. Such a file is
/// read here, trimmed, once. A file without surrounding whitespace is left to kube, which
/// re-reads it as it changes (rotated service account tokens).
fn trim_token_file(config: &mut kube::Config) {
    let info = &mut config.auth_info;
    if info.token.is_some() {
        return;
    }
    let Some(path) = info.token_file.clone() else {
        return;
    };
    if let Ok(text) = std::fs::read_to_string(&path)
        && text.trim() != text
    {
        info.token = Some(text.trim().to_string().into());
        info.token_file = None;
    }
}
