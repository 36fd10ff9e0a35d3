//! One connection, from a TokenRequest to a connected external system:
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

use shell_quote::Sh;

use crate::applications::Missing;
use crate::batch::Target;
use crate::certificate::check_issued;
use crate::cli::ConnectArgs;
use crate::connection_files::{
    CA_FILE, CERTIFICATE_FILE, CHAIN_FILE, CONFIG_FILE, CertificateSummary, ConnectionConfig,
    ConnectorTrust, Existing, FilePaths, KEY_FILE, Replacement, check_room, refuse_existing_files,
    replace_files,
};
use crate::connector::{
    CallLimits, ConnectionInfo, ConnectorClient, TlsOptions, csr_for_existing_key,
    generate_key_pem, redact,
};
use crate::error::Error;
use crate::requests::{Connection, Created, Deadline, Requests, Sightings};
use crate::session::Session;
use crate::tokenrequest::TokenRequest;

/// What every connection of a run shares.
pub(super) struct Plan<'a> {
    pub args: &'a ConnectArgs,
    pub deadline: Deadline,
    pub session: &'a Session,
    /// How to trust the Connector Service (the flags).
    pub tls: TlsOptions,
    pub limits: CallLimits,
}

/// A connection made: where its files are, what the service said, when the certificate ends.
pub(super) struct Connected {
    /// Absolute.
    pub dir: PathBuf,
    pub info: ConnectionInfo,
    pub not_after: jiff::Timestamp,
}

/// Connects `target` into `dir`, step by step as the module says; `sightings` is the run's
/// watch of its namespace (none: a watch of its own).
pub(super) async fn connect_one(
    connection: &Connection,
    requests: &Requests,
    sightings: Option<&Sightings>,
    plan: &Plan<'_>,
    target: &Target,
    dir: &Path,
) -> Result<Connected, Error> {
    let (args, tls, limits) = (plan.args, &plan.tls, plan.limits);
    let (app, namespace) = (target.name.as_str(), requests.namespace());
    let refresh = |force: bool| refresh_command(args, app, namespace, dir, force);
    let refresh_hint = format!("Request a fresh one with: {}", refresh(args.force));
    let connector_error =
        |action: String, error| Error::connector(action, error, refresh_hint.as_str());
    // Everything that can be checked before a token is spent is checked first: the CA file,
    // the output directory (with the key made, room for the files) and the Application.
    let client = ConnectorClient::new(tls, limits)
        .map_err(|e| connector_error("setting up the Connector Service client".into(), e))?;
    let out_dir = std::path::absolute(dir).map_err(|source| Error::ConnectionFiles {
        action: format!("resolving the output directory {}", dir.display()),
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
    let application = &args.application;
    let missing = Missing::of(
        application.require_application,
        application.create_application,
        false,
    );
    crate::applications::preflight(connection, app, missing, plan.deadline, plan.session).await?;

    let request = ready_request(requests, sightings, plan, target).await?;
    connection
        .observer()
        .status(&format!("connecting {app} through the Connector Service"));
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
    let spent = |error, certificate: &str| token_spent(error, certificate, &refresh(args.force));
    let spent_connector = |action: String, error| spent(Error::connector(action, error, ""), NONE);
    if info.certificate.key_algorithm != "rsa2048" {
        connection.observer().note(&format!(
            "Warning: the Connector Service asks for key algorithm {:?} for {app}; this tool \
             makes RSA-2048 keys, which the service may refuse",
            info.certificate.key_algorithm
        ));
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
        connector_trust: ConnectorTrust::record(tls),
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
        token_spent(error, &certificate, &refresh(true))
    };
    let proof_action = format!(
        "checking the new certificate with management info at {}",
        redact(&info.api.info_url)
    );
    let key = key_and_csr.private_key();
    ConnectorClient::prove(tls, &issued.chain_pem, key, limits, &info.api.info_url, app)
        .await
        .map_err(|e| unproven(Error::connector(proof_action, e, "")))?;
    Ok(Connected {
        dir: out_dir,
        info,
        not_after: certificate.not_after,
    })
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

/// This command again for `app` alone, with `--refresh` (and `--force` if `force`): its
/// directory and the Connector Service trust included, so following the advice works.
fn refresh_command(
    args: &ConnectArgs,
    app: &str,
    namespace: &str,
    dir: &Path,
    force: bool,
) -> String {
    let mut command = format!("kubectl tokenrequest connect {app} -n {namespace} --refresh");
    // The default directory (./APP) needs no flag.
    if dir != Path::new(app) {
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
    sightings: Option<&Sightings>,
    plan: &Plan<'_>,
    target: &Target,
) -> Result<TokenRequest, Error> {
    let (app, deadline, session) = (target.name.as_str(), plan.deadline, plan.session);
    if plan.args.refresh {
        requests.delete_existing(app, deadline, false).await?;
    }
    let fresh = target.request();
    if let Some(sightings) = sightings {
        sightings.expect(app);
    }
    let request = match requests.create_once(&fresh, false, deadline).await? {
        Created::New(created) => {
            session.note_created(requests.namespace(), app);
            created
        }
        Created::Existing(existing) => existing,
    };
    let ready = match sightings {
        Some(sightings) => sightings.wait(request, deadline).await,
        None => requests.wait_for_token(request, deadline).await,
    };
    session.forget_created(requests.namespace(), app);
    Ok(ready?)
}

/// What one connection is, in prose.
pub(super) fn summary(app: &str, connected: &Connected, expires: &str) -> String {
    let (dir, info) = (&connected.dir, &connected.info);
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
