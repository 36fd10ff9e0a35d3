//! The HTTP/1.1 API server, on https by default (`tls`): bearer-token and client-certificate
//! authentication, per-verb and per-resource authorization, discovery, OpenAPI, and the
//! TokenRequest resource (CRUD, lists, Table output, watches), answering the way the recordings
//! in `tests/fixtures/kube-apiserver-v1.36/` show; and what a diagnosis looks at around it
//! (`cluster`: self reviews, CRD objects, Applications, the controller's Deployment,
//! namespaces), as `tests/fixtures/kube-apiserver-v1.28-doctor/` shows.

mod access;
mod applications;
mod clients;
mod cluster;
mod crds;
mod deployments;
mod discovery;
mod faults;
mod kinds;
mod managed;
mod resource;
mod responses;
mod reviews;
mod tls;
mod users;
mod watch;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context as _;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use crate::schema::SchemaVersion;
use crate::store::Store;
pub use access::Access;
pub use applications::ApplicationRequest;
pub use deployments::{CONTROLLER_NAME, CONTROLLER_NAMESPACE, ControllerDeployment};
pub use faults::{DeleteRequest, FaultConfig, FaultCounts, RequestRecord};
pub use kinds::Resource;
use responses::{ApiError, Body};
pub use tls::ClientIdentity;
pub use users::{ANONYMOUS, User, Verb, Verbs};

pub const GROUP: &str = "applicationconnector.kyma-project.io";
pub const VERSION: &str = "v1alpha1";
pub const GROUP_VERSION: &str = "applicationconnector.kyma-project.io/v1alpha1";
pub const KIND: &str = "TokenRequest";
pub const LIST_KIND: &str = "TokenRequestList";
pub const PLURAL: &str = "tokenrequests";

#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// 0 picks any free port on 127.0.0.1.
    pub port: u16,
    pub schema: SchemaVersion,
    /// false: as if Kyma's CRDs were not installed, every request under the group is a 404
    /// (Applications too) and no CRD object is there.
    pub serve_group: bool,
    pub users: Vec<User>,
    /// Faults switched on from the start; [`ServerHandle::set_faults`] changes them later.
    pub faults: FaultConfig,
    /// true: https with a CA made at start; false: plain http (no client certificates).
    pub https: bool,
    /// false: no Application CRD, as on a cluster that has TokenRequests only
    /// (`application-get-no-crd`). Without the group (`serve_group: false`) there is none either.
    pub serve_applications: bool,
    /// Names of the (cluster-scoped) Applications that exist from the start.
    pub applications: Vec<String>,
    /// The controller's Deployment `kyma-integration/connection-token-handler`. `None` follows
    /// the controller: a [`crate::Sandbox`] makes it ready unless its controller mode is off;
    /// a bare server runs no controller, so it has none.
    pub controller_deployment: Option<ControllerDeployment>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            port: 0,
            schema: SchemaVersion::Kyma2,
            serve_group: true,
            users: User::defaults(),
            faults: FaultConfig::default(),
            https: true,
            serve_applications: true,
            applications: Vec::new(),
            controller_deployment: None,
        }
    }
}

/// Everything a request handler needs.
struct State {
    config: ServerConfig,
    store: Store,
    /// Flips to true on shutdown so open watches end.
    shutdown: tokio::sync::watch::Receiver<bool>,
    /// Bumped to end every open watch stream (the connection itself stays up).
    drop_watches: tokio::sync::watch::Sender<u64>,
    /// How many watch requests were served, by field selector, so tests can see a client
    /// come back.
    watch_requests: std::sync::Mutex<HashMap<String, u64>>,
    /// How many watches were answered with 410 Expired.
    expired_watches: std::sync::atomic::AtomicU64,
    /// How many requests carried an `Authorization` header (a client that sends credentials
    /// over plain http shows here).
    authorization_headers: std::sync::atomic::AtomicU64,
    /// Fault switches, injected delete failures, and the logs of requests and deletes.
    faults: faults::Faults,
    /// The CA and certificates when serving https.
    tls: Option<tls::Tls>,
    /// CRD objects, Applications and Deployments.
    cluster: cluster::Cluster,
    /// When the server started, as objects made at start carry it.
    started: String,
}

pub struct ServerHandle {
    address: SocketAddr,
    state: Arc<State>,
    users: Vec<User>,
    /// The certificates of the users who log in with one, issued at start (https only).
    identities: HashMap<String, ClientIdentity>,
    shutdown: tokio::sync::watch::Sender<bool>,
    accept_loop: JoinHandle<()>,
}

impl ServerHandle {
    /// `https://127.0.0.1:PORT` (`http://` with [`ServerConfig::https`] off).
    pub fn url(&self) -> String {
        let scheme = if self.state.tls.is_some() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}", self.address)
    }

    pub fn users(&self) -> &[User] {
        &self.users
    }

    /// The server's storage, for seeding many objects without HTTP.
    pub fn store(&self) -> &Store {
        &self.state.store
    }

    /// Ends every open watch stream, as a load balancer or an apiserver restart would.
    pub fn drop_watches(&self) {
        self.state
            .drop_watches
            .send_modify(|generation| *generation += 1);
    }

    /// Forgets the change history: resuming a watch from any earlier resourceVersion gets
    /// 410 Expired.
    pub fn forget_history(&self) {
        self.state.store.forget_history();
    }

    /// How many watch requests the server has answered.
    pub fn watch_requests(&self) -> u64 {
        self.watch_counts().values().sum()
    }

    /// How many watch requests carried exactly this field selector (e.g.
    /// `metadata.name=my-app`, as a client waiting for one object sends).
    pub fn watch_requests_with(&self, field_selector: &str) -> u64 {
        self.watch_counts()
            .get(field_selector)
            .copied()
            .unwrap_or_default()
    }

    fn watch_counts(&self) -> std::sync::MutexGuard<'_, HashMap<String, u64>> {
        self.state
            .watch_requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// How many watches the server answered with 410 Expired.
    pub fn expired_watches(&self) -> u64 {
        self.state
            .expired_watches
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The next `count` deletes (of any object) answer `code` (e.g. 429, 500, 503) with an
    /// optional `Retry-After` in whole seconds, instead of deleting.
    pub fn fail_next_deletes(
        &self,
        count: usize,
        code: http::StatusCode,
        retry_after: Option<std::time::Duration>,
    ) {
        self.state
            .faults
            .fail_next_deletes(count, code, retry_after);
    }

    /// Runs `hook` against the store just before the first delete of `namespace/name` is
    /// handled, e.g. to refresh the object so that a delete with a stale precondition fails.
    pub fn before_delete_of(
        &self,
        namespace: &str,
        name: &str,
        hook: impl FnOnce(&Store) + Send + 'static,
    ) {
        self.state
            .faults
            .before_delete_of(namespace, name, Box::new(hook));
    }

    /// Every delete of one object the server received, in order, with its answer.
    pub fn delete_requests(&self) -> Vec<DeleteRequest> {
        self.state.faults.deletes()
    }

    /// Replaces the fault switches (`FaultConfig::default()` switches everything off); the
    /// seeded generator starts over.
    pub fn set_faults(&self, config: FaultConfig) {
        self.state.faults.set(config);
    }

    pub fn faults(&self) -> FaultConfig {
        self.state.faults.config()
    }

    /// How many faults were injected so far, by kind.
    pub fn fault_counts(&self) -> FaultCounts {
        self.state.faults.counts()
    }

    /// Drops every open connection (and with them every watch), as an API server restart
    /// does; the objects stay.
    pub fn restart(&self) {
        self.state.faults.restart();
    }

    /// Puts the controller's Deployment into `state` (ready, unready or absent).
    pub fn set_controller_deployment(&self, state: ControllerDeployment) {
        deployments::set_controller(&self.state.cluster.deployments, state);
    }

    /// The Applications' storage, for seeding or inspecting them without HTTP.
    pub fn applications(&self) -> &Store {
        &self.state.cluster.applications
    }

    /// Every request to Applications, in order, with its answer.
    pub fn application_requests(&self) -> Vec<ApplicationRequest> {
        self.state.cluster.application_requests()
    }

    /// How many requests so far carried an `Authorization` header, whatever they asked.
    pub fn authorization_headers_seen(&self) -> u64 {
        self.state
            .authorization_headers
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Every request to TokenRequests (not to Applications, see
    /// [`ServerHandle::application_requests`], or the rest), in order, with its answer.
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.state.faults.requests()
    }

    /// Stops accepting, ends open connections and watches.
    pub async fn shutdown(self) {
        self.shutdown.send_replace(true);
        let _ = self.accept_loop.await;
    }
}

pub async fn start(config: ServerConfig) -> anyhow::Result<ServerHandle> {
    if let Err(message) = config.faults.validate() {
        anyhow::bail!("invalid fault configuration: {message}");
    }
    let listener = TcpListener::bind(("127.0.0.1", config.port))
        .await
        .with_context(|| format!("binding 127.0.0.1:{}", config.port))?;
    let address = listener.local_addr()?;
    let (shutdown, shutdown_signal) = tokio::sync::watch::channel(false);
    let users = config.users.clone();
    let tls = config.https.then(tls::Tls::generate).transpose()?;
    let identities = match &tls {
        Some(tls) => users
            .iter()
            .filter(|user| user.uses_certificate())
            .map(|user| {
                let groups = user.certificate_groups();
                Ok((user.name.clone(), tls.issue_client(&user.name, &groups)?))
            })
            .collect::<anyhow::Result<_>>()?,
        None => HashMap::new(),
    };
    let cluster = cluster::Cluster::new(&config)?;
    let state = Arc::new(State {
        config,
        store: Store::default(),
        shutdown: shutdown_signal.clone(),
        drop_watches: tokio::sync::watch::channel(0).0,
        watch_requests: Default::default(),
        expired_watches: Default::default(),
        authorization_headers: Default::default(),
        faults: Default::default(),
        tls,
        cluster,
        started: resource::now_rfc3339(),
    });
    state.faults.set(state.config.faults.clone());
    let accept_loop = tokio::spawn(accept(listener, state.clone(), shutdown_signal));
    Ok(ServerHandle {
        address,
        state,
        users,
        identities,
        shutdown,
        accept_loop,
    })
}

async fn accept(
    listener: TcpListener,
    state: Arc<State>,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) {
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => continue,
            },
            _ = stopped(&mut shutdown) => break,
        };
        let state = state.clone();
        let mut connection_shutdown = shutdown.clone();
        let mut restarted = state.faults.restarted();
        connections.spawn(async move {
            let connection = async {
                let Some(tls) = &state.tls else {
                    return serve_connection(TokioIo::new(stream), state.clone(), None).await;
                };
                match tls.accept(stream).await {
                    Ok((stream, user)) => {
                        serve_connection(TokioIo::new(stream), state.clone(), user).await
                    }
                    Err(error) => tracing::debug!(%error, "TLS handshake failed"),
                }
            };
            tokio::select! {
                _ = connection => {}
                _ = stopped(&mut connection_shutdown) => {}
                _ = restarted.changed() => {}
            }
        });
        // Reap finished connections so the set does not grow without bound.
        while connections.try_join_next().is_some() {}
    }
    connections.shutdown().await;
}

/// Serves HTTP/1.1 on one connection; `user` is the client certificate's, if it had a valid one.
async fn serve_connection<I>(io: I, state: Arc<State>, user: Option<tls::CertificateUser>)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    // An Err from the service makes hyper close the connection without an answer.
    let service = service_fn(move |mut request: Request<Incoming>| {
        let state = state.clone();
        if let Some(user) = &user {
            request.extensions_mut().insert(user.clone());
        }
        async move { handle(&state, request).await }
    });
    let _ = http1::Builder::new().serve_connection(io, service).await;
}

/// Resolves once shutdown was asked for (or the handle is gone).
async fn stopped(shutdown: &mut tokio::sync::watch::Receiver<bool>) {
    // The guard `wait_for` returns is not Send; drop it here.
    let _ = shutdown.wait_for(|stopping| *stopping).await;
}

/// The decoded query string; the first value wins for repeated keys.
#[derive(Debug, Default)]
struct Query(HashMap<String, String>);

impl Query {
    fn parse(query: Option<&str>) -> Query {
        let mut values = HashMap::new();
        for (key, value) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            values
                .entry(key.into_owned())
                .or_insert_with(|| value.into_owned());
        }
        Query(values)
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    fn flag(&self, key: &str) -> bool {
        matches!(self.get(key), Some("1" | "true" | "True"))
    }
}

async fn handle(
    state: &Arc<State>,
    request: Request<Incoming>,
) -> Result<Response<Body>, faults::CloseConnection> {
    if request.uri().path().starts_with("/sandbox/") {
        return Ok(faults::admin(state, request).await);
    }
    if request.headers().contains_key(http::header::AUTHORIZATION) {
        state
            .authorization_headers
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    let Some(user) = users::authenticate(state, &request) else {
        return Ok(ApiError::unauthorized().into_response());
    };
    if state.faults.unauthorized(&user.name) {
        return Ok(ApiError::unauthorized().into_response());
    }
    let user = &*user;
    let path = request.uri().path().to_string();
    let query = Query::parse(request.uri().query());
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    if cluster::routes(&state.config, &segments) {
        return Ok(cluster::route(state, user, &segments, &query, request).await);
    }
    Ok(match segments.as_slice() {
        ["version"] => discovery::version(),
        ["api"] => discovery::core_versions(request.headers()),
        ["api", "v1"] => discovery::core_resources(),
        ["apis"] => discovery::groups(state, request.headers()),
        ["openapi", "v3"] => discovery::openapi_index(state),
        ["openapi", "v3", "apis", GROUP, VERSION] if state.config.serve_group => {
            discovery::openapi_document(state)
        }
        ["apis", GROUP, rest @ ..] if state.config.serve_group => {
            let rest = rest.to_vec();
            return route_group(state, user, &rest, query, request).await;
        }
        _ => responses::page_not_found(),
    })
}

async fn route_group(
    state: &Arc<State>,
    user: &User,
    rest: &[&str],
    query: Query,
    mut request: Request<Incoming>,
) -> Result<Response<Body>, faults::CloseConnection> {
    let target = match rest {
        [] => return Ok(discovery::group()),
        [VERSION] => return Ok(discovery::group_version_resources(state)),
        [VERSION, PLURAL] => resource::Target {
            namespace: None,
            name: None,
        },
        [VERSION, "namespaces", namespace, PLURAL] => resource::Target {
            namespace: Some(namespace.to_string()),
            name: None,
        },
        [VERSION, "namespaces", namespace, PLURAL, name] => resource::Target {
            namespace: Some(namespace.to_string()),
            name: Some(name.to_string()),
        },
        _ => return Ok(responses::page_not_found()),
    };
    let method = request.method().clone();
    let verb = match (&method, target.name.is_some()) {
        (&Method::GET, true) if query.flag("watch") => Verb::Watch,
        (&Method::GET, true) => Verb::Get,
        (&Method::GET, false) if query.flag("watch") => Verb::Watch,
        (&Method::GET, false) => Verb::List,
        (&Method::POST, false) if target.namespace.is_some() => Verb::Create,
        (&Method::PUT, true) => Verb::Update,
        (&Method::PATCH, true) => Verb::Patch,
        (&Method::DELETE, true) => Verb::Delete,
        (&Method::DELETE, false) => Verb::DeleteCollection,
        _ => return Ok(ApiError::method_not_allowed().into_response()),
    };
    let forbidden = !user.may(Resource::TokenRequests, verb)
        || (verb == Verb::Watch && state.faults.forbids_watch(&user.name));
    if forbidden {
        return Ok(ApiError::forbidden(user, verb, &target).into_response());
    }
    let record = |code: Option<u16>, outcome: Option<u16>, injected: bool| faults::RequestRecord {
        at: std::time::Instant::now(),
        verb,
        user: user.name.clone(),
        namespace: target.namespace.clone(),
        name: target.name.clone(),
        code,
        outcome,
        injected,
    };
    let injection = state.faults.inject(&user.name, verb).await;
    match injection {
        faults::Injection::Answer(response) => {
            let code = response.status().as_u16();
            state.faults.log_request(record(Some(code), None, true));
            return Ok(response);
        }
        faults::Injection::Close => {
            state.faults.log_request(record(None, None, true));
            return Err(faults::CloseConnection);
        }
        _ => {}
    }
    if verb == Verb::Watch {
        request
            .extensions_mut()
            .insert(state.faults.watch_faults(&user.name));
    }
    let handled = record(None, None, false);
    let response = if verb == Verb::Delete {
        match state.faults.intercept_delete(&target, &state.store) {
            Some(injected) => injected,
            None => {
                let namespace = target.namespace.clone().unwrap_or_default();
                let name = target.name.clone().unwrap_or_default();
                let response = resource::handle(state, verb, target, query, request)
                    .await
                    .unwrap_or_else(ApiError::into_response);
                state
                    .faults
                    .record(&namespace, &name, response.status().as_u16(), false);
                response
            }
        }
    } else {
        resource::handle(state, verb, target, query, request)
            .await
            .unwrap_or_else(ApiError::into_response)
    };
    let outcome = response.status().as_u16();
    let (answer, injected) = match injection {
        faults::Injection::AnswerAfter(injected) => (Some(injected), true),
        faults::Injection::CloseAfter => (None, true),
        _ => (Some(response), false),
    };
    state.faults.log_request(faults::RequestRecord {
        code: answer.as_ref().map(|answer| answer.status().as_u16()),
        outcome: Some(outcome),
        injected,
        ..handled
    });
    answer.ok_or(faults::CloseConnection)
}
