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

// The API server's HTTPS (`server::tls`) uses this CA code too.
pub(crate) mod authority;
mod tokens;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use base64::Engine as _;
use bytes::Bytes;
use http::{HeaderValue, Method, StatusCode, header};
use http_body_util::{BodyExt as _, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde::{Deserialize, Serialize};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::pki_types::CertificateDer;
use tokio_rustls::rustls::server::WebPkiClientVerifier;
use tokio_rustls::rustls::{self, RootCertStore, ServerConfig};

use authority::Authority;
pub use authority::{CsrRefused, SubjectFields, client_application, client_subject};
use tokens::Tokens;

/// Upstream's `appTokenExpirationMinutes`.
pub const DEFAULT_TOKEN_TTL: Duration = Duration::from_secs(5 * 60);
/// The chart's `--appCertificateValidityTime`.
pub const DEFAULT_CERTIFICATE_VALIDITY: Duration = Duration::from_secs(92 * 24 * 3600);
/// Upstream's content type on every answer.
const JSON: &str = "application/json;charset=UTF-8";
/// Larger bodies are refused; a CSR is a few kilobytes.
const BODY_LIMIT: usize = 1 << 20;

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
        let token = self.state.tokens.mint(application)?;
        let url = self.state.info_url(&token);
        Ok((token, url))
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
            issue_token(state, &request)
        }
        (Origin::External { .. }, "/v1/applications/signingRequests/info")
            if method == Method::GET =>
        {
            signing_request_info(state, &request)
        }
        (Origin::External { .. }, "/v1/applications/certificates") if method == Method::POST => {
            sign_certificate(state, request).await
        }
        (Origin::External { client_certificate }, "/v1/applications/management/info")
            if method == Method::GET =>
        {
            management_info(state, client_certificate.as_ref())
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

/// Upstream's error body: `{"code": <status>, "error": "<message>"}`.
#[derive(Debug)]
struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }

    fn forbidden(message: &str) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, message)
    }

    fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    fn into_response(self) -> Response<Full<Bytes>> {
        json(
            self.status,
            &ErrorBody {
                code: self.status.as_u16(),
                error: self.message,
            },
        )
    }
}

#[derive(Serialize)]
struct ErrorBody {
    code: u16,
    error: String,
}

fn json(status: StatusCode, body: &impl Serialize) -> Response<Full<Bytes>> {
    let bytes = serde_json::to_vec(body).expect("response bodies serialise");
    let mut response = Response::new(Full::new(Bytes::from(bytes)));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON));
    response
}

type Answer = Result<Response<Full<Bytes>>, ApiError>;

impl State {
    fn info_url(&self, token: &str) -> String {
        // Not URL-encoded, as upstream.
        format!(
            "{}/v1/applications/signingRequests/info?token={token}",
            self.base_url
        )
    }

    fn certificates_url(&self) -> String {
        format!("{}/v1/applications/certificates", self.base_url)
    }

    fn application_urls(&self, application: &str) -> ApplicationUrls {
        let base = &self.base_url;
        ApplicationUrls {
            events_info_url: format!("{base}/{application}/v1/events/subscribed"),
            events_url: format!("{base}/{application}/v1/events"),
            metadata_url: format!("{base}/{application}/v1/metadata/services"),
        }
    }

    fn certificate_info(&self, application: &str) -> CertificateInfo {
        CertificateInfo {
            subject: self.config.subject.subject_for(application),
            extensions: String::new(),
            key_algorithm: "rsa2048".to_owned(),
        }
    }
}

#[derive(Serialize)]
struct TokenResponse {
    url: String,
    token: String,
}

/// §4.1. Non-central mode: Tenant and Group are ignored.
fn issue_token(state: &State, request: &Request<Incoming>) -> Answer {
    let application = request
        .headers()
        .get("Application")
        .and_then(|value| value.to_str().ok())
        .filter(|value| !value.trim().is_empty())
        .ok_or_else(|| {
            ApiError::bad_request("Required headers for ApplicationContext not specified.")
        })?;
    let token = state
        .tokens
        .mint(application)
        .map_err(|_| ApiError::internal("Failed to generate token."))?;
    tracing::info!(application, "connector: issued a token");
    Ok(json(
        StatusCode::CREATED,
        &TokenResponse {
            url: state.info_url(&token),
            token,
        },
    ))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ApplicationUrls {
    events_info_url: String,
    events_url: String,
    metadata_url: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct InfoApi {
    #[serde(flatten)]
    application: ApplicationUrls,
    info_url: String,
    certificates_url: String,
}

#[derive(Serialize)]
struct CertificateInfo {
    subject: String,
    extensions: String,
    #[serde(rename = "key-algorithm")]
    key_algorithm: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct InfoResponse {
    csr_url: String,
    api: InfoApi,
    certificate: CertificateInfo,
}

/// The `token` query parameter of a token-guarded call, resolved to its application.
fn token_of(state: &State, request: &Request<Incoming>) -> Result<(String, String), ApiError> {
    let token = form_urlencoded::parse(request.uri().query().unwrap_or("").as_bytes())
        .find(|(key, _)| key == "token")
        .map(|(_, value)| value.into_owned())
        .filter(|token| !token.is_empty())
        .ok_or_else(|| ApiError::forbidden("Token not provided."))?;
    let application = state
        .tokens
        .resolve(&token)
        .ok_or_else(|| ApiError::forbidden("Invalid token."))?;
    Ok((token, application))
}

/// §4.2: the presented token is used up; a new one goes into `csrUrl`.
fn signing_request_info(state: &State, request: &Request<Incoming>) -> Answer {
    let (token, application) = token_of(state, request)?;
    let new_token = state
        .tokens
        .mint(&application)
        .map_err(|_| ApiError::internal("Failed to resolve token."))?;
    state.tokens.consume(&token);
    tracing::info!(application, "connector: served signing request info");
    Ok(json(
        StatusCode::OK,
        &InfoResponse {
            csr_url: format!("{}?token={new_token}", state.certificates_url()),
            api: InfoApi {
                application: state.application_urls(&application),
                info_url: format!("{}/v1/applications/management/info", state.base_url),
                certificates_url: state.certificates_url(),
            },
            certificate: state.certificate_info(&application),
        },
    ))
}

#[derive(Deserialize)]
struct CsrRequest {
    csr: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CertificateResponse {
    crt: String,
    client_crt: String,
    ca_crt: String,
}

/// §4.3: a 2xx uses the token up; a refused CSR (400) leaves it usable.
async fn sign_certificate(state: &State, request: Request<Incoming>) -> Answer {
    let (token, application) = token_of(state, &request)?;
    let body = Limited::new(request.into_body(), BODY_LIMIT)
        .collect()
        .await
        .map_err(|_| ApiError::bad_request("Error while reading the request body."))?
        .to_bytes();
    let body: CsrRequest = serde_json::from_slice(&body)
        .map_err(|_| ApiError::bad_request("Error while parsing the request body."))?;
    let base64 = base64::engine::general_purpose::STANDARD;
    let csr = base64.decode(body.csr.as_bytes()).map_err(|_| {
        ApiError::bad_request(
            "There was an error while parsing the base64 content. An incorrect value was provided.",
        )
    })?;
    let client_pem = state
        .authority
        .issue(
            &csr,
            &application,
            &state.config.subject,
            state.config.certificate_validity,
        )
        .map_err(|refused| ApiError::bad_request(refused.0))?;
    state.tokens.consume(&token);
    tracing::info!(application, "connector: issued a client certificate");
    let ca_pem = state.authority.ca_pem();
    Ok(json(
        StatusCode::CREATED,
        &CertificateResponse {
            crt: base64.encode(format!("{client_pem}{ca_pem}")),
            client_crt: base64.encode(&client_pem),
            ca_crt: base64.encode(&ca_pem),
        },
    ))
}

#[derive(Serialize)]
struct ClientIdentity {
    application: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ManagementUrls {
    #[serde(flatten)]
    application: ApplicationUrls,
    renew_cert_url: String,
    revoke_cert_url: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ManagementInfo {
    client_identity: ClientIdentity,
    urls: ManagementUrls,
    certificate: CertificateInfo,
}

/// §4.4: who the client certificate (verified against the CA during the handshake) speaks for.
fn management_info(state: &State, certificate: Option<&CertificateDer<'static>>) -> Answer {
    let certificate = certificate.ok_or_else(|| {
        ApiError::forbidden("No client certificate provided; this endpoint needs mTLS.")
    })?;
    let application = client_application(certificate)
        .ok_or_else(|| ApiError::forbidden("No valid subject found"))?;
    let base = &state.base_url;
    Ok(json(
        StatusCode::OK,
        &ManagementInfo {
            urls: ManagementUrls {
                application: state.application_urls(&application),
                renew_cert_url: format!("{base}/v1/applications/certificates/renewals"),
                revoke_cert_url: format!("{base}/v1/applications/certificates/revocations"),
            },
            certificate: CertificateInfo {
                subject: client_subject(certificate).unwrap_or_default(),
                ..state.certificate_info(&application)
            },
            client_identity: ClientIdentity { application },
        },
    ))
}
