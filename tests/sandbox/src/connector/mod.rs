//! A Connector Service that follows `/work/shared/spec/kyma-tokenrequest.md` §4.1–4.4:
//!
//! - the internal API (plain http, as upstream's ClusterIP port 8080):
//!   `POST /v1/applications/tokens` with an `Application` header, called by the controller;
//! - the external API on https with its own CA: `GET /v1/applications/signingRequests/info`
//!   (single-use token, a new one in `csrUrl`) and `POST /v1/applications/certificates`
//!   (the CSR's subject checked field by field, a client certificate signed by the CA);
//! - management info over mTLS: `GET /v1/applications/management/info`.
//!
//! Upstream serves the external API on `connector-service.<domain>` and the mTLS endpoints on
//! `gateway.<domain>`; here both are one https listener on 127.0.0.1 that asks for a client
//! certificate but does not require one, and the management endpoint answers 403 without it
//! (upstream's gateway would fail the handshake instead).
//!
//! Tokens are secrets: nothing here logs one.

mod api;
mod authority;
mod external;
mod management;
mod tokens;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use bytes::Bytes;
use http::{Method, StatusCode};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::pki_types::CertificateDer;
use tokio_rustls::rustls::server::WebPkiClientVerifier;
use tokio_rustls::rustls::{self, RootCertStore, ServerConfig};

use api::ApiError;
use authority::Authority;
pub use authority::{CsrRefused, SubjectFields, client_application, client_subject};
use tokens::Tokens;

/// Upstream's `appTokenExpirationMinutes`.
pub const DEFAULT_TOKEN_TTL: Duration = Duration::from_secs(5 * 60);
/// The chart's `--appCertificateValidityTime`.
pub const DEFAULT_CERTIFICATE_VALIDITY: Duration = Duration::from_secs(92 * 24 * 3600);

#[derive(Debug, Clone)]
pub struct ConnectorConfig {
    /// How long a token lives after it was issued (info URL and `csrUrl` alike).
    pub token_ttl: Duration,
    /// Validity of issued client certificates.
    pub certificate_validity: Duration,
    /// Subject fields besides CN, which is the application.
    pub subject: SubjectFields,
    /// Port of the https listener on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Port of the internal http listener on 127.0.0.1; 0 picks a free one.
    pub internal_port: u16,
}

impl Default for ConnectorConfig {
    fn default() -> Self {
        Self {
            token_ttl: DEFAULT_TOKEN_TTL,
            certificate_validity: DEFAULT_CERTIFICATE_VALIDITY,
            subject: SubjectFields::default(),
            port: 0,
            internal_port: 0,
        }
    }
}

struct State {
    config: ConnectorConfig,
    /// `https://127.0.0.1:PORT`, the base of every URL handed out.
    base_url: String,
    authority: Authority,
    tokens: Tokens,
}

/// A running Connector Service. Dropping it stops its listeners.
pub struct ConnectorHandle {
    state: Arc<State>,
    internal_url: String,
    shutdown: tokio::sync::watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl ConnectorHandle {
    /// `https://127.0.0.1:PORT`: the external API and the mTLS endpoints.
    pub fn url(&self) -> String {
        self.state.base_url.clone()
    }

    /// `http://127.0.0.1:PORT`: the internal API (upstream's `--connectorServiceURL`).
    pub fn internal_url(&self) -> String {
        self.internal_url.clone()
    }

    /// The CA that signed the https server's certificate and signs client certificates.
    pub fn ca_pem(&self) -> String {
        self.state.authority.ca_pem()
    }

    /// Writes the CA certificate (PEM) to `path`, for clients that need to trust it.
    pub fn write_ca(&self, path: &Path) -> anyhow::Result<()> {
        std::fs::write(path, self.ca_pem())
            .with_context(|| format!("writing the Connector Service CA to {}", path.display()))
    }

    /// Issues a token as the internal API does: `(token, info URL)`.
    pub fn issue_token(&self, application: &str) -> anyhow::Result<(String, String)> {
        self.state.issue_token(application)
    }

    /// Changes the lifetime of tokens issued from now on.
    pub fn set_token_ttl(&self, ttl: Duration) {
        self.state.tokens.set_ttl(ttl);
    }

    /// Lets every token issued so far expire.
    pub fn expire_tokens(&self) {
        self.state.tokens.expire_all();
    }

    /// Stops both listeners and ends open connections.
    pub async fn shutdown(mut self) {
        self.shutdown.send_replace(true);
        for task in self.tasks.drain(..) {
            let _ = task.await;
        }
    }
}

impl Drop for ConnectorHandle {
    fn drop(&mut self) {
        self.shutdown.send_replace(true);
    }
}

/// Starts the https and the internal http listener on 127.0.0.1.
pub async fn start(config: ConnectorConfig) -> anyhow::Result<ConnectorHandle> {
    let authority = Authority::generate().context("generating the Connector Service CA")?;
    let tls = Arc::new(tls_config(&authority)?);
    let external = TcpListener::bind(("127.0.0.1", config.port))
        .await
        .with_context(|| format!("binding 127.0.0.1:{}", config.port))?;
    let internal = TcpListener::bind(("127.0.0.1", config.internal_port))
        .await
        .with_context(|| format!("binding 127.0.0.1:{}", config.internal_port))?;
    let state = Arc::new(State {
        base_url: format!("https://{}", external.local_addr()?),
        tokens: Tokens::new(config.token_ttl),
        config,
        authority,
    });
    let internal_url = format!("http://{}", internal.local_addr()?);
    let (shutdown, stop) = tokio::sync::watch::channel(false);
    let tasks = vec![
        tokio::spawn(serve(
            external,
            Some(TlsAcceptor::from(tls)),
            state.clone(),
            stop.clone(),
        )),
        tokio::spawn(serve(internal, None, state.clone(), stop)),
    ];
    Ok(ConnectorHandle {
        state,
        internal_url,
        shutdown,
        tasks,
    })
}

fn tls_config(authority: &Authority) -> anyhow::Result<ServerConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = RootCertStore::empty();
    roots.add(authority.ca_der())?;
    let client_verifier =
        WebPkiClientVerifier::builder_with_provider(roots.into(), provider.clone())
            .allow_unauthenticated()
            .build()?;
    let (chain, key) = authority.server_identity();
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_client_cert_verifier(client_verifier)
        .with_single_cert(chain, key)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// Which listener a request came in on, and the client certificate it presented.
#[derive(Clone)]
enum Origin {
    Internal,
    External {
        client_certificate: Option<CertificateDer<'static>>,
    },
}

async fn serve(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    state: Arc<State>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(_) => continue,
            },
            _ = stopped(&mut stop) => break,
        };
        let state = state.clone();
        let tls = tls.clone();
        let mut connection_stop = stop.clone();
        connections.spawn(async move {
            tokio::select! {
                _ = serve_connection(stream, peer, tls, state) => {}
                _ = stopped(&mut connection_stop) => {}
            }
        });
        while connections.try_join_next().is_some() {}
    }
    connections.shutdown().await;
}

async fn serve_connection(
    stream: tokio::net::TcpStream,
    peer: SocketAddr,
    tls: Option<TlsAcceptor>,
    state: Arc<State>,
) {
    let Some(tls) = tls else {
        let _ = http1::Builder::new()
            .serve_connection(TokioIo::new(stream), service(state, Origin::Internal))
            .await;
        return;
    };
    let stream = match tls.accept(stream).await {
        Ok(stream) => stream,
        Err(error) => {
            tracing::debug!(%peer, %error, "connector: TLS handshake failed");
            return;
        }
    };
    let client_certificate = stream
        .get_ref()
        .1
        .peer_certificates()
        .and_then(|chain| chain.first())
        .map(|certificate| certificate.clone().into_owned());
    let origin = Origin::External { client_certificate };
    let _ = http1::Builder::new()
        .serve_connection(TokioIo::new(stream), service(state, origin))
        .await;
}

fn service(
    state: Arc<State>,
    origin: Origin,
) -> impl hyper::service::Service<
    Request<Incoming>,
    Response = Response<Full<Bytes>>,
    Error = Infallible,
    Future = impl Future<Output = Result<Response<Full<Bytes>>, Infallible>> + Send,
> + Clone {
    service_fn(move |request| {
        let state = state.clone();
        let origin = origin.clone();
        async move { Ok::<_, Infallible>(route(&state, &origin, request).await) }
    })
}

async fn stopped(stop: &mut tokio::sync::watch::Receiver<bool>) {
    let _ = stop.wait_for(|stopping| *stopping).await;
}

async fn route(
    state: &State,
    origin: &Origin,
    request: Request<Incoming>,
) -> Response<Full<Bytes>> {
    let path = request.uri().path().to_owned();
    let method = request.method().clone();
    let answer = match (origin, path.as_str()) {
        (Origin::Internal, "/v1/applications/tokens") if method == Method::POST => {
            external::issue_token(state, &request)
        }
        (Origin::External { .. }, "/v1/applications/signingRequests/info")
            if method == Method::GET =>
        {
            external::signing_request_info(state, &request)
        }
        (Origin::External { .. }, "/v1/applications/certificates") if method == Method::POST => {
            external::sign_certificate(state, request).await
        }
        (Origin::External { client_certificate }, "/v1/applications/management/info")
            if method == Method::GET =>
        {
            management::management_info(state, client_certificate.as_ref())
        }
        (_, "/v1/applications/tokens")
        | (_, "/v1/applications/signingRequests/info")
        | (_, "/v1/applications/certificates")
        | (_, "/v1/applications/management/info") => Err(ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "Method not allowed.",
        )),
        _ => Err(ApiError::new(StatusCode::NOT_FOUND, "Not found.")),
    };
    let response = answer.unwrap_or_else(ApiError::into_response);
    tracing::debug!(%method, path, status = response.status().as_u16(), "connector");
    response
}
