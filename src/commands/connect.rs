//! `kubectl tokenrequest connect APP`: from a TokenRequest to a connected external system.
//!
//! 1. Before anything is spent: generate the RSA-2048 key, and check that the output directory
//!    has room for the files (`connection_files::check_room`).
//! 2. Create the request (or, with `--refresh`, replace it; an existing one is reused) and wait
//!    for its token.
//! 3. Fetch the info behind `status.url`, which uses the token up and names the `csrUrl`, the
//!    api URLs and the certificate subject. From here on every failure says the token is gone,
//!    whether a certificate was issued, and the command that gets a fresh token.
//! 4. Make a CSR for the key with that subject; send it; receive the certificates.
//! 5. Write key (0600), client certificate, CA certificate, chain and `connection.yaml` into the
//!    output directory as `renew` does (`connection_files::replace`): with `--force` the earlier
//!    connection is kept until the new one is in place, and any failure leaves it as it was.
//! 6. Prove the result: call management info over mTLS with the new certificate and report the
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
    ConnectorTrust, Existing, FilePaths, KEY_FILE, Replacement, check_room, refuse_existing_files,
    replace_files,
};
use crate::connector::{
    CallLimits, ConnectionInfo, ConnectorClient, csr_for_existing_key, generate_key_pem, redact,
};
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
        refresh_command(&args, namespace, args.force)
    );
    let connector_error =
        |action: String, error| Error::connector(action, error, refresh_hint.as_str());
    // Everything that can be checked before a token is spent is checked first: the CA file,
    // the output directory (with the key made, room for the files) and the Application.
    let client = ConnectorClient::new(&tls, limits)
        .map_err(|e| connector_error("setting up the Connector Service client".into(), e))?;
    let out_dir = args.out_dir.clone().unwrap_or_else(|| PathBuf::from(app));
    let out_dir = std::path::absolute(&out_dir).map_err(|source| Error::ConnectionFiles {
        action: format!("resolving the output directory {}", out_dir.display()),
        source,
        outcome: String::new(),
    })?;
    refuse_existing_files(&out_dir, args.force)?;
    let key_pem = tokio::task::spawn_blocking(generate_key_pem)
        .await
        .map_err(|source| Error::Task {
            action: "generating the private key".into(),
            source,
        })?
        .map_err(|e| connector_error("generating the private key".into(), e))?;
    check_room(&out_dir, key_pem.len())?;
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
    // The token is used up: a failure from here on says so, and how to get a fresh one.
    let spent = |error, certificate: &str| {
        token_spent(
            error,
            certificate,
            &refresh_command(&args, namespace, args.force),
        )
    };
    let spent_connector = |action: String, error| spent(Error::connector(action, error, ""), NONE);
    if info.certificate.key_algorithm != "rsa2048" {
        eprintln!(
            "Warning: the Connector Service asks for key algorithm {:?}; this tool makes RSA-2048 \
             keys, which the service may refuse",
            info.certificate.key_algorithm
        );
    }
    let key_and_csr = csr_for_existing_key(&key_pem, &info.certificate.subject)
        .map_err(|e| spent_connector("making the CSR".into(), e))?;
    let issued = client
        .request_certificate(&info.csr_url, &key_and_csr)
        .await
        .map_err(|e| {
            spent_connector(
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
    .map_err(|problem| {
        let error = Error::CertificateRejected {
            action: format!("checking the certificate from {}", redact(&info.csr_url)),
            problem: format!("{problem}; nothing was written"),
        };
        spent(error, NOT_KEPT)
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
    let config_yaml = config.to_yaml().map_err(|e| spent(e, NOT_KEPT))?;
    let existing = if args.force {
        Existing::Replace
    } else {
        Existing::Refuse
    };
    replace_files(
        &out_dir,
        &Replacement {
            key_pem: Some(&key_and_csr.key_pem),
            certificate_pem: &issued.client_pem,
            ca_pem: &issued.ca_pem,
            chain_pem: &issued.chain_pem,
            config_yaml: &config_yaml,
        },
        existing,
    )
    .map_err(|e| spent(e, NOT_KEPT))?;

    // The proof: the service takes the new certificate for this application. The files are
    // written, so getting a fresh one means replacing them.
    let unproven = |error| {
        let certificate = format!(
            "a certificate was issued and written to {}, but the service did not confirm it \
             (`kubectl tokenrequest inspect {}` checks it again)",
            out_dir.display(),
            shell_quote(&out_dir)
        );
        token_spent(
            error,
            &certificate,
            &refresh_command(&args, namespace, true),
        )
    };
    let proof_action = format!(
        "checking the new certificate with management info at {}",
        redact(&info.api.info_url)
    );
    let key = key_and_csr.private_key();
    ConnectorClient::prove(
        &tls,
        &issued.chain_pem,
        key,
        limits,
        &info.api.info_url,
        app,
    )
    .await
    .map_err(|e| unproven(Error::connector(proof_action, e, "")))?;
    progress.finish();
    let expires = expiry_text(certificate.not_after, jiff::Timestamp::now());
    print(&summary(app, &out_dir, &info, &expires))
}

/// What a failure after the info call, which used the token up, is missing: that the token is
/// gone, what became of the certificate, and the command that gets a fresh one.
fn token_spent(error: Error, certificate: &str, refresh: &str) -> Error {
    Error::TokenSpent {
        source: Box::new(error),
        certificate: certificate.to_string(),
        refresh: refresh.to_string(),
    }
}

/// What became of the certificate, for [`token_spent`].
const NONE: &str = "no certificate was issued";
const NOT_KEPT: &str = "a certificate was issued, but it was not kept";

/// A path quoted for a POSIX shell. (shell-quote 0.8 quotes an `OsStr` on unix only;
/// elsewhere the path is quoted as text.)
fn shell_quote(path: &Path) -> String {
    #[cfg(unix)]
    let quoted = Sh::quote_vec(path.as_os_str());
    #[cfg(not(unix))]
    let quoted = Sh::quote_vec(path.to_string_lossy().as_ref());
    String::from_utf8_lossy(&quoted).into_owned()
}

/// This very command again with `--refresh` (and `--force` if `force`): the user's directory
/// and Connector Service trust included, so following the advice works.
fn refresh_command(args: &ConnectArgs, namespace: &str, force: bool) -> String {
    let mut command = format!(
        "kubectl tokenrequest connect {} -n {namespace} --refresh",
        args.app
    );
    if let Some(dir) = &args.out_dir {
        command.push_str(&format!(" --out-dir {}", shell_quote(dir)));
    }
    if let Some(ca) = &args.tls.certificate_authority {
        command.push_str(&format!(" --certificate-authority {}", shell_quote(ca)));
    }
    if args.tls.insecure_skip_tls_verify_connector {
        command.push_str(" --insecure-skip-tls-verify-connector");
    }
    if force {
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

fn summary(app: &str, dir: &Path, info: &ConnectionInfo, expires: &str) -> String {
    let path = |name: &str| dir.join(name).display().to_string();
    let mut text = format!(
        "Connected {app}: the Connector Service at {} knows the new certificate as application \
         {app}.\n",
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
