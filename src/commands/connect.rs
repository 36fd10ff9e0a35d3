//! `kubectl tokenrequest connect APP`: from a TokenRequest to a connected external system.
//!
//! 1. Create the request (or, with `--refresh`, replace it; an existing one is reused) and wait
//!    for its token.
//! 2. Fetch the info behind `status.url`, which uses the token up and names the `csrUrl`, the
//!    api URLs and the certificate subject.
//! 3. Generate an RSA-2048 key and a CSR with that subject; send it; receive the certificates.
//! 4. Write key (0600), client certificate, CA certificate, chain and `connection.yaml` into the
//!    output directory: each to a temp file in that directory first, then all renamed, so a
//!    failure leaves no half-written file.
//! 5. Prove the result: call management info over mTLS with the new certificate and report the
//!    client identity the service saw.
//!
//! Nothing here prints a token: URLs in messages are shown without their query.

use std::io::Write as _;
use std::os::unix::fs::{DirBuilderExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};
use std::time::Duration;

use kube::api::PostParams;
use serde::Serialize;
use tokio::time::Instant;

use super::create::{FIELD_MANAGER, create_once, delete_existing, identified_request};
use super::{Session, namespaced_api, print};
use crate::cli::{ConnectArgs, ConnectorTlsArgs};
use crate::client::Connection;
use crate::connector::{
    ApiUrls, ConnectionInfo, ConnectorClient, DEFAULT_CALL_TIMEOUT, TlsOptions,
    generate_key_and_csr, redact,
};
use crate::error::Error;
use crate::output;
use crate::tokenrequest::{TokenRequest, validate_name};
use crate::wait::wait_for_token;

/// File names in the output directory.
pub const KEY_FILE: &str = "client.key";
pub const CERTIFICATE_FILE: &str = "client.crt";
pub const CA_FILE: &str = "ca.crt";
pub const CHAIN_FILE: &str = "chain.crt";
pub const CONFIG_FILE: &str = "connection.yaml";
const ALL_FILES: [&str; 5] = [KEY_FILE, CERTIFICATE_FILE, CA_FILE, CHAIN_FILE, CONFIG_FILE];

impl From<&ConnectorTlsArgs> for TlsOptions {
    fn from(args: &ConnectorTlsArgs) -> Self {
        TlsOptions {
            certificate_authority: args.certificate_authority.clone(),
            insecure_skip_verify: args.insecure_skip_tls_verify_connector,
        }
    }
}

pub async fn run(
    connection: &Connection,
    args: ConnectArgs,
    request_timeout: Duration,
    session: &Session,
) -> Result<(), Error> {
    validate_name(&args.app).map_err(Error::InvalidInput)?;
    let namespace = connection.namespace.as_str();
    let app = args.app.as_str();
    let call_timeout = if request_timeout.is_zero() {
        DEFAULT_CALL_TIMEOUT
    } else {
        request_timeout
    };
    let tls = TlsOptions::from(&args.tls);
    let refresh_hint = format!(
        "Request a fresh one with: kubectl tokenrequest connect {app} -n {namespace} --refresh"
    );
    let connector_error =
        |action: String, error| Error::connector(action, error, refresh_hint.as_str());
    // Everything that can be checked before a token is spent is checked first: the CA file and
    // the output directory.
    let client = ConnectorClient::new(&tls, call_timeout)
        .map_err(|e| connector_error("setting up the Connector Service client".into(), e))?;
    let out_dir = args.out_dir.clone().unwrap_or_else(|| PathBuf::from(app));
    let out_dir = std::path::absolute(&out_dir).map_err(|e| Error::ConnectionFiles {
        action: format!("resolving the output directory {}", out_dir.display()),
        message: e.to_string(),
    })?;
    refuse_existing_files(&out_dir, args.force)?;

    let request = ready_request(connection, &args, session).await?;
    let info_url =
        output::connection_url(&request, jiff::Timestamp::now()).map_err(|e| Error::Output {
            context: format!("reading the URL of TokenRequest {namespace}/{app}"),
            message: e.to_string(),
        })?;

    let info = client.info(info_url).await.map_err(|e| {
        connector_error(
            format!("fetching the connection info from {}", redact(info_url)),
            e,
        )
    })?;
    let subject = info.certificate.subject.clone();
    if info.certificate.key_algorithm != "rsa2048" {
        eprintln!(
            "Warning: the Connector Service asks for key algorithm {:?}; this tool makes RSA-2048 \
             keys, which the service may refuse",
            info.certificate.key_algorithm
        );
    }
    let key_and_csr = tokio::task::spawn_blocking(move || generate_key_and_csr(&subject))
        .await
        .map_err(|e| Error::ConnectionFiles {
            action: "generating the private key".into(),
            message: e.to_string(),
        })?
        .map_err(|e| connector_error("generating the key and the CSR".into(), e))?;
    let issued = client
        .request_certificate(&info.csr_url, &key_and_csr)
        .await
        .map_err(|e| {
            connector_error(
                format!(
                    "requesting the client certificate at {}",
                    redact(&info.csr_url)
                ),
                e,
            )
        })?;

    let paths = |name: &str| out_dir.join(name);
    let config = ConnectionConfig {
        application: app.to_string(),
        namespace: namespace.to_string(),
        api: info.api.clone(),
        certificate: CertificateSummary {
            subject: key_and_csr.subject.clone(),
            key_algorithm: "rsa2048".into(),
        },
        files: FilePaths {
            private_key: paths(KEY_FILE),
            certificate: paths(CERTIFICATE_FILE),
            ca_certificate: paths(CA_FILE),
            certificate_chain: paths(CHAIN_FILE),
        },
    };
    let config_yaml = serde_saphyr::to_string(&config).map_err(|e| Error::ConnectionFiles {
        action: format!("writing {CONFIG_FILE}"),
        message: e.to_string(),
    })?;
    write_files(
        &out_dir,
        &[
            (KEY_FILE, key_and_csr.key_pem.as_bytes(), 0o600),
            (CERTIFICATE_FILE, issued.client_pem.as_bytes(), 0o644),
            (CA_FILE, issued.ca_pem.as_bytes(), 0o644),
            (CHAIN_FILE, issued.chain_pem.as_bytes(), 0o644),
            (CONFIG_FILE, config_yaml.as_bytes(), 0o644),
        ],
        args.force,
    )?;

    // The proof: the service takes the new certificate for this application.
    let proof_action = format!(
        "checking the new certificate with management info at {} (the files in {} are written)",
        redact(&info.api.info_url),
        out_dir.display()
    );
    let identity = ConnectorClient::with_identity(
        &tls,
        &issued.chain_pem,
        key_and_csr.private_key(),
        call_timeout,
    )
    .map_err(|e| connector_error(proof_action.clone(), e))?
    .management_info(&info.api.info_url)
    .await
    .map_err(|e| connector_error(proof_action.clone(), e))?;
    let seen = identity.client_identity.application.unwrap_or_default();
    if seen != app {
        return Err(Error::InvalidInput(format!(
            "{proof_action}: the service took the certificate for application {seen:?}, not \
             {app:?}"
        )));
    }
    print(&summary(app, &out_dir, &info, &seen))
}

/// The request with a usable token: a fresh one, a replaced one (`--refresh`) or the existing
/// one, whose token may already be used up (the info call then says so).
async fn ready_request(
    connection: &Connection,
    args: &ConnectArgs,
    session: &Session,
) -> Result<TokenRequest, Error> {
    let api = namespaced_api(connection);
    let namespace = connection.namespace.as_str();
    let app = args.app.as_str();
    if args.refresh {
        delete_existing(&api, namespace, app).await?;
    }
    let params = PostParams {
        dry_run: false,
        field_manager: Some(FIELD_MANAGER.to_string()),
    };
    let deadline = Some(Instant::now() + args.wait.timeout);
    let fresh = identified_request(app, None);
    let request = match create_once(&api, &params, &fresh, namespace, deadline).await {
        Ok(created) => {
            session.note_created(namespace, app);
            created
        }
        // Someone else's request of that name: use it (its token may be used up already; the
        // info call then says so and suggests --refresh).
        Err(Error::AlreadyExists { .. }) => api
            .get(app)
            .await
            .map_err(|e| Error::api(format!("getting TokenRequest {namespace}/{app}"), e))?,
        Err(error) => return Err(error),
    };
    let ready = wait_for_token(&api, request, args.wait.timeout).await;
    session.forget_created();
    ready
}

/// `-o config`: the configuration behind a ready request's URL. Uses the token up.
pub(super) async fn fetch_configuration(
    request: &TokenRequest,
    tls: &ConnectorTlsArgs,
) -> Result<ConnectionInfo, Error> {
    let (namespace, name) = (request.namespace(), request.name());
    let url =
        output::connection_url(request, jiff::Timestamp::now()).map_err(|e| Error::Output {
            context: format!(
                "fetching the connection configuration of TokenRequest {namespace}/{name}"
            ),
            message: e.to_string(),
        })?;
    let refresh_hint = format!(
        "Request a fresh one with: kubectl tokenrequest create {name} -n {namespace} --refresh -o config"
    );
    let action = format!("fetching the connection configuration from {}", redact(url));
    let client = ConnectorClient::new(&TlsOptions::from(tls), DEFAULT_CALL_TIMEOUT)
        .map_err(|e| Error::connector(action.clone(), e, &refresh_hint))?;
    client
        .info(url)
        .await
        .map_err(|e| Error::connector(action, e, &refresh_hint))
}

/// `connection.yaml`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ConnectionConfig {
    application: String,
    /// Namespace of the TokenRequest.
    namespace: String,
    api: ApiUrls,
    certificate: CertificateSummary,
    files: FilePaths,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CertificateSummary {
    subject: String,
    key_algorithm: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FilePaths {
    private_key: PathBuf,
    certificate: PathBuf,
    ca_certificate: PathBuf,
    certificate_chain: PathBuf,
}

/// Before any token is spent: files of an earlier connect stay unless `--force`.
fn refuse_existing_files(dir: &Path, force: bool) -> Result<(), Error> {
    if force {
        return Ok(());
    }
    let existing: Vec<&str> = ALL_FILES
        .into_iter()
        .filter(|name| dir.join(name).symlink_metadata().is_ok())
        .collect();
    if existing.is_empty() {
        return Ok(());
    }
    Err(Error::ConnectionFiles {
        action: format!("preparing {}", dir.display()),
        message: format!(
            "it already holds {}; pass --force to replace them, or choose another --out-dir",
            existing.join(", ")
        ),
    })
}

/// Writes every file to a temp file in `dir` (created with the file's mode, so the key is
/// never readable by others, not even empty), then renames them all into place. Without
/// `force` no existing file is replaced, even one that appeared meanwhile. On any failure the
/// files renamed so far are removed again and the temp files vanish with their handles.
fn write_files(dir: &Path, files: &[(&str, &[u8], u32)], force: bool) -> Result<(), Error> {
    let fail = |action: String, error: &dyn std::fmt::Display| Error::ConnectionFiles {
        action,
        message: error.to_string(),
    };
    if !dir.is_dir() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| fail(format!("creating the directory {}", dir.display()), &e))?;
    }
    let mut staged = Vec::with_capacity(files.len());
    for (name, contents, mode) in files {
        let action = || format!("writing {}", dir.join(name).display());
        let mut file = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .permissions(std::fs::Permissions::from_mode(*mode))
            .tempfile_in(dir)
            .map_err(|e| fail(action(), &e))?;
        file.write_all(contents)
            .and_then(|()| file.as_file().sync_all())
            .map_err(|e| fail(action(), &e))?;
        staged.push((dir.join(name), file));
    }
    let mut placed: Vec<PathBuf> = Vec::with_capacity(staged.len());
    for (path, file) in staged.into_iter() {
        let result = if force {
            file.persist(&path).map(drop)
        } else {
            file.persist_noclobber(&path).map(drop)
        };
        if let Err(error) = result {
            for done in &placed {
                let _ = std::fs::remove_file(done);
            }
            let hint = if error.error.kind() == std::io::ErrorKind::AlreadyExists {
                "; it appeared meanwhile: pass --force to replace it"
            } else {
                ""
            };
            return Err(Error::ConnectionFiles {
                action: format!("writing {}", path.display()),
                message: format!(
                    "{}{hint}; the files written so far were removed again",
                    error.error
                ),
            });
        }
        placed.push(path);
    }
    Ok(())
}

fn summary(app: &str, dir: &Path, info: &ConnectionInfo, seen: &str) -> String {
    let path = |name: &str| dir.join(name).display().to_string();
    let mut text = format!(
        "Connected {app}: the Connector Service at {} knows the new certificate as application \
         {seen}.\n",
        redact(&info.api.info_url)
    );
    for (label, name) in [
        ("private key", KEY_FILE),
        ("client certificate", CERTIFICATE_FILE),
        ("CA certificate", CA_FILE),
        ("certificate chain", CHAIN_FILE),
        ("configuration", CONFIG_FILE),
    ] {
        text.push_str(&format!("  {label:<20}{}\n", path(name)));
    }
    if let Some(metadata) = &info.api.metadata_url {
        text.push_str(&format!("  {:<20}{metadata}\n", "metadata URL"));
    }
    if let Some(events) = &info.api.events_url {
        text.push_str(&format!("  {:<20}{events}\n", "events URL"));
    }
    text
}
