//! A Connector Service that follows `docs/kyma-tokenrequest-spec.md` §4.1–4.4:
//!
//! - the internal API (plain http, as upstream's ClusterIP port 8080):
//!   `POST /v1/applications/tokens` with an `Application` header, called by the controller;
//! - the external API on https with its own CA: `GET /v1/applications/signingRequests/info`
//!   (single-use token, a new one in `csrUrl`) and `POST /v1/applications/certificates`
//!   (the CSR's subject checked field by field, a client certificate signed by the CA);
//! - over mTLS: `GET /v1/applications/management/info`, `POST …/certificates/renewals` and
//!   `POST …/certificates/revocations`.
//!
//! Upstream serves the external API on `connector-service.<domain>` and the mTLS endpoints on
//! `gateway.<domain>`; here both are one https listener on 127.0.0.1 that asks for a client
//! certificate but does not require one, and the mTLS endpoints answer 403 without it
//! (upstream's gateway would fail the handshake instead). A client certificate the CA did not
//! sign, or one past its notAfter, fails the handshake, as at upstream's gateway.
//!
//! Serials: the certificate call gives upstream's constant 2; each renewal gives the next of
//! 3, 4, 5, … so a renewed certificate can be told from its predecessor by serial too
//! (upstream gives 2 again; issuer and serial are unique here because every start makes a new CA).
//!
//! Tokens are secrets: nothing here logs one.

mod api;
// The API server's HTTPS (`server::tls`) uses this CA code too.
pub(crate) mod authority;
mod controls;
mod external;
mod faults;
mod management;
mod revocations;
mod tokens;
mod validity;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
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
pub use controls::ConnectorRequest;
pub use faults::RenewalFault;
use faults::RenewalFaults;
use revocations::RevocationList;
pub use revocations::certificate_hash;
use tokens::Tokens;
pub use validity::CertificateValidity;

/// Upstream's `appTokenExpirationMinutes`.
pub const DEFAULT_TOKEN_TTL: Duration = Duration::from_secs(5 * 60);
/// The chart's `--appCertificateValidityTime`, from the moment of signing.
pub const DEFAULT_CERTIFICATE_VALIDITY: CertificateValidity =
    CertificateValidity::lasting(Duration::from_secs(92 * 24 * 3600));

#[derive(Debug, Clone)]
pub struct ConnectorConfig {
    /// How long a token lives after it was issued (info URL and `csrUrl` alike).
    pub token_ttl: Duration,
    /// When issued and renewed client certificates are valid (`Duration::into()`: from the
    /// moment of signing for that long; [`CertificateValidity::expired`]: already expired).
    pub certificate_validity: CertificateValidity,
    /// Subject fields besides CN, which is the application.
    pub subject: SubjectFields,
    /// Port of the https listener on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Port of the internal http listener on 127.0.0.1; 0 picks a free one.
    pub internal_port: u16,
    /// Which mTLS endpoints refuse a revoked certificate.
    pub revocation_checks: RevocationChecks,
}

/// Which mTLS endpoints refuse a certificate on the revocation list (with 403
/// `Certificate has been revoked.`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RevocationChecks {
    /// Management info, renewal and revocation: a revoked certificate is refused everywhere,
    /// so a client can see that it was revoked.
    #[default]
    Everywhere,
    /// Renewal only, exactly as upstream's code: management info keeps answering for a revoked
    /// certificate and revoking it again answers 201 ("a revoked certificate continues to be
    /// valid until it expires", Kyma's docs).
    RenewalOnly,
}

impl Default for ConnectorConfig {
    fn default() -> Self {
        Self {
            token_ttl: DEFAULT_TOKEN_TTL,
            certificate_validity: DEFAULT_CERTIFICATE_VALIDITY,
            subject: SubjectFields::default(),
            port: 0,
            internal_port: 0,
            revocation_checks: RevocationChecks::default(),
        }
    }
}

/// The serial of the first renewed certificate; the certificate call gives 2.
const FIRST_RENEWAL_SERIAL: u64 = 3;

struct State {
    config: ConnectorConfig,
    /// `https://127.0.0.1:PORT`, the base of every URL handed out.
    base_url: String,
    authority: Authority,
    tokens: Tokens,
    /// Starts as `config.certificate_validity`; a test control changes it.
    certificate_validity: Mutex<CertificateValidity>,
    next_serial: AtomicU64,
    revocations: RevocationList,
    renewal_faults: RenewalFaults,
    requests: Mutex<Vec<ConnectorRequest>>,
}

impl State {
    fn certificate_validity(&self) -> CertificateValidity {
        *lock(&self.certificate_validity)
    }

    fn next_serial(&self) -> u64 {
        self.next_serial.fetch_add(1, Ordering::Relaxed)
    }
}

/// Locks a mutex; one a panicking holder poisoned still holds plain, usable data.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
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
        certificate_validity: Mutex::new(config.certificate_validity),
        next_serial: AtomicU64::new(FIRST_RENEWAL_SERIAL),
        revocations: RevocationList::default(),
        renewal_faults: RenewalFaults::default(),
        requests: Mutex::new(Vec::new()),
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
    let presented = match origin {
        Origin::External { client_certificate } => client_certificate.as_ref(),
        Origin::Internal => None,
    };
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
        (Origin::External { .. }, management::MANAGEMENT_INFO) if method == Method::GET => {
            management::management_info(state, presented)
        }
        (Origin::External { .. }, management::RENEWALS) if method == Method::POST => {
            management::renew(state, presented, request.into_body()).await
        }
        (Origin::External { .. }, management::REVOCATIONS) if method == Method::POST => {
            management::revoke(state, presented)
        }
        (_, "/v1/applications/tokens")
        | (_, "/v1/applications/signingRequests/info")
        | (_, "/v1/applications/certificates")
        | (_, management::MANAGEMENT_INFO)
        | (_, management::RENEWALS)
        | (_, management::REVOCATIONS) => Err(ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "Method not allowed.",
        )),
        _ => Err(ApiError::new(StatusCode::NOT_FOUND, "Not found.")),
    };
    let response = answer.unwrap_or_else(ApiError::into_response);
    let status = response.status().as_u16();
    tracing::debug!(%method, path, status, "connector");
    state.record(ConnectorRequest {
        method: method.to_string(),
        path,
        status,
        client_certificate: presented.map(|certificate| revocations::der_hash(certificate)),
    });
    response
}
