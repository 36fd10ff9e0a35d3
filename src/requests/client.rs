//! Builds the kube client the way kubectl resolves its configuration, from the plain
//! [`ClientSettings`] `cli` makes of its flags.

use std::sync::Arc;
use std::time::Duration;

use kube::Client;

use super::exchange::{ExchangeLayer, Exchanges};
use super::kubeconfig::{Loaded, load_config};
use super::observe::{Observer, Silent};
use super::{ClientSettings, RequestError, RetryPolicy};
use crate::proxy;
use crate::text::error_chain;
use crate::tokenrequest::validate_namespace;

/// A client, the namespace commands act in, the retry policy, what the server has said so far
/// and who hears about retries. Cheap to clone: clones share the client and its exchanges.
#[derive(Clone)]
pub struct Connection {
    pub(super) client: Client,
    namespace: String,
    /// Whether `-n` named the namespace (else it is the context's).
    namespace_given: bool,
    pub(super) policy: RetryPolicy,
    pub(super) server: Arc<Server>,
    pub(super) exchanges: Arc<Exchanges>,
    pub(super) observer: Arc<dyn Observer>,
}

impl Connection {
    /// The namespace commands act in: `-n`, else the context's.
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// `-n` named the namespace: objects that name another one are refused, as kubectl
    /// refuses them.
    pub fn namespace_given(&self) -> bool {
        self.namespace_given
    }

    /// `--request-timeout` (zero: none).
    pub fn request_timeout(&self) -> Duration {
        self.server.request_timeout
    }

    /// Who hears about retries and waits (and the notes of commands that share it).
    pub fn observer(&self) -> &dyn Observer {
        &*self.observer
    }

    /// This connection, telling `observer` about retries and waits.
    pub fn observed_by(&self, observer: Arc<dyn Observer>) -> Connection {
        Connection {
            observer,
            ..self.clone()
        }
    }

    /// This connection, trying every request once: for lookups that would rather give up
    /// than wait (completion).
    pub fn single_try(mut self) -> Connection {
        self.policy = RetryPolicy::single_try();
        self
    }
}

/// The API server as error messages name it, and the credential plugin that logs in to it.
#[derive(Debug, Clone, Default)]
pub struct Server {
    /// `host:port` of the cluster URL.
    pub address: String,
    /// The kubeconfig user's exec credential plugin: its command and install hint.
    pub exec: Option<(String, Option<String>)>,
    /// `--request-timeout` (zero: none).
    pub request_timeout: Duration,
    /// The server is plain `http://` and the kubeconfig's credentials were not sent to it.
    pub credentials_withheld: bool,
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
            credentials_withheld: false,
        }
    }
}

/// `--kubeconfig` names one file; otherwise `KUBECONFIG` is merged (or `~/.kube/config`
/// read). In-cluster configuration is only tried when no flag names a kubeconfig entry, like
/// kubectl.
pub async fn connect(settings: &ClientSettings) -> Result<Connection, RequestError> {
    let Loaded {
        mut config,
        proxy_url,
    } = load_config(settings).await?;
    trim_token_file(&mut config);
    let credentials_withheld = withhold_credentials_over_http(&mut config);
    // kube-client 5 chooses the proxy matching NO_PROXY against the proxy instead of the
    // cluster (see crate::proxy): the choice is made again here, by kubectl's rules.
    config.proxy_url = proxy::choose(
        proxy_url.as_deref(),
        &config.cluster_url,
        &proxy::ProcessEnvironment,
    )
    .map_err(|message| RequestError::Kubeconfig {
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
    if settings.insecure_skip_tls_verify {
        config.accept_invalid_certs = true;
    }
    // `--request-timeout` bounds each request as a whole (see `retry.rs`); here it bounds
    // connecting too, as Go's dialer does under kubectl's.
    if !settings.request_timeout.is_zero() {
        config.connect_timeout = Some(settings.request_timeout);
    }
    // kube-client 5 resends 429, 503 and 504 inside one request, unseen by the -v log and the
    // retry budget; the one retry policy (`retry.rs`) does that instead.
    config.default_retry = false;
    // `-n ''` (an unset `$NS` in a script) means the context's namespace, as for kubectl.
    let given = settings
        .namespace
        .clone()
        .filter(|namespace| !namespace.is_empty());
    let namespace_given = given.is_some();
    let namespace = given.unwrap_or_else(|| config.default_namespace.clone());
    validate_namespace(&namespace).map_err(|problem| RequestError::InvalidNamespace {
        namespace: namespace.clone(),
        problem,
    })?;
    let server = Arc::new(Server {
        credentials_withheld,
        ..Server::of(&config, settings.request_timeout)
    });
    let exchanges = Arc::new(Exchanges::default());
    let layer = ExchangeLayer {
        base: config.cluster_url.to_string().into(),
        exchanges: exchanges.clone(),
    };
    // Building the client runs an exec credential plugin: its failure names the plugin.
    let client = kube::client::ClientBuilder::try_from(config)
        .map_err(|e| match e {
            kube::Error::Auth(_) => RequestError::Api {
                action: format!("logging in to the API server {}", server.address),
                source: e,
                retried_for: None,
                server: server.clone(),
            },
            e => RequestError::Kubeconfig {
                path: None,
                message: format!("building the API client: {}", error_chain(&e)),
            },
        })?
        .with_layer(&layer)
        .build();
    Ok(Connection {
        client,
        namespace,
        namespace_given,
        policy: RetryPolicy::standard(),
        server,
        exchanges,
        observer: Arc::new(Silent),
    })
}

/// A connection to a test double: `answer` makes the response (or the transport failure) of
/// each request, seen through the same exchange layer as a real server's.
#[cfg(test)]
pub(super) fn test_connection<F>(answer: F, request_timeout: Duration) -> Connection
where
    F: Fn(u32) -> Result<http::Response<http_body_util::Full<bytes::Bytes>>, std::io::Error>
        + Send
        + Sync
        + 'static,
{
    use std::sync::atomic::{AtomicU32, Ordering};
    use tower::Layer as _;
    let exchanges = Arc::new(Exchanges::default());
    let answer = Arc::new(answer);
    let count = Arc::new(AtomicU32::new(0));
    let service = tower::service_fn(move |_request: http::Request<kube::client::Body>| {
        let (answer, count) = (answer.clone(), count.clone());
        async move { answer(count.fetch_add(1, Ordering::Relaxed) + 1) }
    });
    let layer = ExchangeLayer {
        base: "https://test.example:6443".into(),
        exchanges: exchanges.clone(),
    };
    Connection {
        client: Client::new(layer.layer(service), "default"),
        namespace: "default".to_string(),
        namespace_given: false,
        policy: RetryPolicy::standard(),
        server: Arc::new(Server {
            address: "test.example:6443".to_string(),
            exec: None,
            credentials_withheld: false,
            request_timeout,
        }),
        exchanges,
        observer: Arc::new(Silent),
    }
}

/// kubectl sends no credentials to a plain `http://` server (a 401 "You must be logged in"
/// follows unless it lets anonymous requests in); kube-client 5.0.0 would send the bearer
/// token, basic credentials or an exec plugin's token in clear text. They are dropped here,
/// before the client is built (so an exec plugin is not even run). Returns whether there were
/// any, for the message of the 401.
fn withhold_credentials_over_http(config: &mut kube::Config) -> bool {
    if config.cluster_url.scheme_str() != Some("http") {
        return false;
    }
    let info = &mut config.auth_info;
    let had = info.token.is_some()
        || info.token_file.is_some()
        || info.username.is_some()
        || info.password.is_some()
        || info.exec.is_some()
        || info.auth_provider.is_some();
    if had {
        tracing::debug!("the API server is plain http: the kubeconfig's credentials are not sent");
    }
    *info = kube::config::AuthInfo::default();
    had
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
