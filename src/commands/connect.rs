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
//!    client identity the service saw, and when the certificate expires.
//!
//! Nothing here prints a token: URLs in messages are shown without their query.

use std::path::{Path, PathBuf};

use std::sync::Arc;

use shell_quote::Sh;

use crate::certificate::check_issued;
use crate::cli::ConnectArgs;
use crate::connection_files::{
    CA_FILE, CERTIFICATE_FILE, CHAIN_FILE, CONFIG_FILE, CertificateSummary, ConnectionConfig,
    ConnectorTrust, FilePaths, KEY_FILE, KEY_MODE, PUBLIC_MODE, refuse_existing_files, write_files,
};
use crate::connector::{CallLimits, ConnectionInfo, ConnectorClient, generate_key_and_csr, redact};
use crate::error::Error;
use crate::output::expiry_text;
use crate::progress::Progress;
use crate::requests::{Connection, Created, Deadline, Requests};
use crate::session::Session;
use crate::terminal::print;
use crate::tokenrequest::{TokenRequest, validate_name};

pub async fn run(
    connection: &Connection,
    args: ConnectArgs,
    deadline: Deadline,
    session: &Session,
) -> Result<(), Error> {
    validate_name(&args.app).map_err(Error::InvalidName)?;
    if args.wait.timeout.is_zero() {
        return Err(Error::Usage(
            "connect needs the controller's token, so it needs the wait for it: --timeout 0 \
             waits for nothing; give it time (e.g. --timeout 60s, the default)"
                .to_string(),
        ));
    }
    let progress = Arc::new(Progress::spinner(format!(
        "creating TokenRequest {}/{}",
        connection.namespace(),
        args.app
    )));
    let requests = Requests::new(&connection.observed_by(progress.clone()));
    let namespace = requests.namespace();
    let app = args.app.as_str();
    let limits = CallLimits::new(connection.request_timeout(), deadline.at());
    let tls = args.tls.tls();
    let refresh_hint = format!(
        "Request a fresh one with: {}",
        refresh_command(&args, namespace)
    );
    let connector_error =
        |action: String, error| Error::connector(action, error, refresh_hint.as_str());
    // Everything that can be checked before a token is spent is checked first: the CA file,
    // the output directory and the Application.
    let client = ConnectorClient::new(&tls, limits)
        .map_err(|e| connector_error("setting up the Connector Service client".into(), e))?;
    let out_dir = args.out_dir.clone().unwrap_or_else(|| PathBuf::from(app));
    let out_dir = std::path::absolute(&out_dir).map_err(|e| Error::ConnectionFiles {
        action: format!("resolving the output directory {}", out_dir.display()),
        message: e.to_string(),
    })?;
    refuse_existing_files(&out_dir, args.force)?;
    crate::applications::preflight(
        connection,
        app,
        args.application.require_application,
        deadline,
        session,
    )
    .await?;

    let request = ready_request(&requests, &args, deadline, session).await?;
    progress.set_message(format!("connecting {app} through the Connector Service"));
    let info_url = request
        .usable_at(jiff::Timestamp::now())
        .map_err(|source| Error::not_usable("reading the connection URL", &request, source))?
        .url;

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
        .map_err(|source| Error::Task {
            action: "generating the private key".into(),
            source,
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

    let certificate = check_issued(
        &issued.client_pem,
        &issued.chain_pem,
        key_and_csr.public_key(),
        app,
        jiff::Timestamp::now(),
    )
    .map_err(|problem| Error::CertificateRejected {
        action: format!("checking the certificate from {}", redact(&info.csr_url)),
        problem: format!("{problem}; nothing was written"),
    })?;

    let config = ConnectionConfig {
        application: app.to_string(),
        namespace: namespace.to_string(),
        api: info.api.clone(),
        certificate: CertificateSummary {
            subject: key_and_csr.subject.clone(),
            key_algorithm: "rsa2048".into(),
            not_after: Some(certificate.not_after),
        },
        files: FilePaths::in_dir(&out_dir),
        connector_trust: ConnectorTrust::record(&tls),
        revoked_at: None,
    };
    let config_yaml = config.to_yaml()?;
    write_files(
        &out_dir,
        &[
            (KEY_FILE, key_and_csr.key_pem.as_bytes(), KEY_MODE),
            (CERTIFICATE_FILE, issued.client_pem.as_bytes(), PUBLIC_MODE),
            (CA_FILE, issued.ca_pem.as_bytes(), PUBLIC_MODE),
            (CHAIN_FILE, issued.chain_pem.as_bytes(), PUBLIC_MODE),
            (CONFIG_FILE, config_yaml.as_bytes(), PUBLIC_MODE),
        ],
        args.force,
    )?;

    // The proof: the service takes the new certificate for this application.
    let proof_action = format!(
        "checking the new certificate with management info at {} (the files in {} are written)",
        redact(&info.api.info_url),
        out_dir.display()
    );
    let identity =
        ConnectorClient::with_identity(&tls, &issued.chain_pem, key_and_csr.private_key(), limits)
            .map_err(|e| connector_error(proof_action.clone(), e))?
            .management_info(&info.api.info_url)
            .await
            .map_err(|e| connector_error(proof_action.clone(), e))?;
    let seen = identity.client_identity.application.unwrap_or_default();
    if seen != app {
        return Err(Error::WrongApplication {
            action: proof_action,
            seen,
            expected: app.to_string(),
        });
    }
    progress.finish();
    let expires = expiry_text(certificate.not_after, jiff::Timestamp::now());
    print(&summary(app, &out_dir, &info, &seen, &expires))
}

/// This very command again with `--refresh`: the user's directory and Connector Service trust
/// included, so following the advice works. Paths are quoted for a POSIX shell.
fn refresh_command(args: &ConnectArgs, namespace: &str) -> String {
    // shell-quote 0.8 quotes an `OsStr` on unix only; elsewhere the path is quoted as text.
    #[cfg(unix)]
    let quote =
        |path: &Path| String::from_utf8_lossy(&Sh::quote_vec(path.as_os_str())).into_owned();
    #[cfg(not(unix))]
    let quote = |path: &Path| {
        String::from_utf8_lossy(&Sh::quote_vec(path.to_string_lossy().as_ref())).into_owned()
    };
    let mut command = format!(
        "kubectl tokenrequest connect {} -n {namespace} --refresh",
        args.app
    );
    if let Some(dir) = &args.out_dir {
        command.push_str(&format!(" --out-dir {}", quote(dir)));
    }
    if let Some(ca) = &args.tls.certificate_authority {
        command.push_str(&format!(" --certificate-authority {}", quote(ca)));
    }
    if args.tls.insecure_skip_tls_verify_connector {
        command.push_str(" --insecure-skip-tls-verify-connector");
    }
    if args.force {
        command.push_str(" --force");
    }
    command
}

/// The request with a usable token: a fresh one, a replaced one (`--refresh`) or the existing
/// one, whose token may already be used up (the info call then says so and suggests
/// `--refresh`).
async fn ready_request(
    requests: &Requests,
    args: &ConnectArgs,
    deadline: Deadline,
    session: &Session,
) -> Result<TokenRequest, Error> {
    let app = args.app.as_str();
    if args.refresh {
        requests.delete_existing(app, deadline, false).await?;
    }
    let fresh = Requests::new_request(app, None);
    let request = match requests.create_once(&fresh, false, deadline).await? {
        Created::New(created) => {
            session.note_created(requests.namespace(), app);
            created
        }
        Created::Existing(existing) => existing,
    };
    let ready = requests.wait_for_token(request, deadline).await;
    session.forget_created();
    Ok(ready?)
}

fn summary(app: &str, dir: &Path, info: &ConnectionInfo, seen: &str, expires: &str) -> String {
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
    text.push_str(&format!("  {:<20}{expires}\n", "certificate expires"));
    if let Some(metadata) = &info.api.metadata_url {
        text.push_str(&format!("  {:<20}{metadata}\n", "metadata URL"));
    }
    if let Some(events) = &info.api.events_url {
        text.push_str(&format!("  {:<20}{events}\n", "events URL"));
    }
    text
}
