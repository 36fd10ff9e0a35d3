//! `tokenrequest-sandbox`: a loopback fake Kubernetes API server for Kyma TokenRequests with a
//! TokenRequest controller (`serve`, or `exec` for the length of one command), or that
//! controller alone against any cluster (`controller`).

use std::ffi::OsString;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand, ValueEnum};
use jiff::SignedDuration;
use tokenrequest_sandbox::connector::CertificateValidity;
use tokenrequest_sandbox::{
    ConnectorConfig, ControllerConfig, ControllerMode, Sandbox, SandboxConfig, SandboxFiles,
    SchemaVersion, ServerConfig, User, controller, exec,
    server::{ControllerDeployment, FaultConfig, Verbs},
};

mod logging;

#[derive(Parser)]
#[command(
    name = "tokenrequest-sandbox",
    version,
    about = "A loopback Kubernetes API server for Kyma TokenRequests, with a TokenRequest controller",
    long_about = "A loopback Kubernetes API server for Kyma TokenRequests \
        (tokenrequests.applicationconnector.kyma-project.io/v1alpha1), with a controller that \
        behaves like Kyma's connection-token-handler: it fills status.token, url, expireAfter, \
        application and state, and deletes a TokenRequest at the first resync after it expired.\n\n\
        `serve` runs both (on https, with a CA of its own) and writes a kubeconfig for kubectl; \
        `exec` runs one command against a fresh sandbox; `controller` runs only the controller \
        against any cluster that has the TokenRequest CRD."
)]
struct Cli {
    /// Also log debug events (never tokens), from the libraries too.
    #[arg(long, short, global = true)]
    verbose: bool,
    /// Append the log to FILE instead of writing it to stderr. Without it, exec logs only the
    /// sandbox's own warnings, one line each, as COMMAND's stderr is exec's.
    #[arg(long, global = true, value_name = "FILE")]
    log: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API on 127.0.0.1 with a controller, write a kubeconfig, and run until
    /// SIGINT or SIGTERM.
    ///
    /// Once the server accepts requests and the kubeconfig is written, prints one line
    /// `ready url=<URL> kubeconfig=<FILE>` on stdout, followed by ` ca=<FILE>` over https and
    /// ` connector=<URL> connector-ca=<FILE>` when the Connector Service runs.
    Serve(ServeArgs),
    /// Run COMMAND against a fresh sandbox, then shut the sandbox down and exit with COMMAND's
    /// status (128+N if signal N ended it).
    ///
    /// The sandbox's files live in a new temporary directory, removed afterwards. COMMAND gets
    /// KUBECONFIG (the sandbox's kubeconfig), TOKENREQUEST_SANDBOX_URL, TOKENREQUEST_SANDBOX_CA
    /// (the API server's CA file; not with --http), TOKENREQUEST_SANDBOX_CONNECTOR_URL and
    /// TOKENREQUEST_SANDBOX_CONNECTOR_CA (the Connector Service's CA file, for the plugin's
    /// --certificate-authority; not with --no-connector), TOKENREQUEST_SANDBOX_DIR (the
    /// directory), and PATH with this binary's directory first if a kubectl-tokenrequest lies
    /// there. SIGINT, SIGTERM and SIGHUP are passed on to COMMAND. Exits 126 or 127 if COMMAND
    /// cannot be run, 1 if the sandbox cannot start.
    #[command(
        after_help = "Example:\n  tokenrequest-sandbox exec -- sh -c 'kubectl-tokenrequest create my-app -o env'"
    )]
    Exec(ExecArgs),
    /// Run only the controller, against the cluster of a kubeconfig, until SIGINT or SIGTERM.
    Controller(ControllerArgs),
}

#[derive(Args)]
struct ServeArgs {
    /// Where to write the kubeconfig (mode 0600). Its contexts: `sandbox` (current, user
    /// admin), `sandbox-nobody` (may do nothing), `sandbox-nowatch` (may do all but watch),
    /// `sandbox-certuser` (may do everything, logs in with a client certificate; not with
    /// --http), and `sandbox-NAME` for each --user.
    #[arg(long, value_name = "FILE")]
    kubeconfig_out: PathBuf,
    /// Where to write the API server's CA certificate (PEM; it is in the kubeconfig too);
    /// default: ca.crt beside the kubeconfig. Not written with --http.
    #[arg(long, value_name = "FILE")]
    ca_out: Option<PathBuf>,
    /// Where to write the Connector Service's CA certificate (PEM); default: connector-ca.crt
    /// beside the kubeconfig.
    #[arg(long, value_name = "FILE", help_heading = "Connector Service")]
    connector_ca_out: Option<PathBuf>,
    #[command(flatten)]
    sandbox: SandboxArgs,
}

#[derive(Args)]
struct ExecArgs {
    #[command(flatten)]
    sandbox: SandboxArgs,
    /// The command to run and its arguments, after `--`.
    #[arg(last = true, required = true, value_name = "COMMAND")]
    command: Vec<OsString>,
}

/// What `serve` and `exec` share: how the sandbox behaves.
#[derive(Args)]
struct SandboxArgs {
    /// Port on 127.0.0.1; 0 picks a free one.
    #[arg(long, value_name = "N", default_value_t = 0)]
    port: u16,
    /// Serve plain http instead of https: no CA, no client certificates, and kubectl then sends
    /// no credentials at all (see --anonymous).
    #[arg(long)]
    http: bool,
    /// Which CRD to imitate: kyma2 (apiextensions v1, prunes the undeclared `context`) or
    /// kyma1 (v1beta1, keeps it).
    #[arg(long, value_enum, default_value_t = SchemaArg::Kyma2)]
    schema: SchemaArg,
    /// Do not serve the TokenRequest group, as on a cluster without Kyma's CRDs: every request
    /// under it answers 404 (Applications too), and no CRD object is there.
    #[arg(long)]
    no_group: bool,
    /// Let requests without credentials in, with every permission. kubectl sends no
    /// credentials to an http:// server, so with --http it needs this.
    #[arg(long)]
    anonymous: bool,
    /// Namespace of the kubeconfig's contexts.
    #[arg(long, value_name = "NAME", default_value = tokenrequest_sandbox::DEFAULT_NAMESPACE)]
    namespace: String,
    /// Faults to inject from the start, as JSON, e.g. '{"errorRatio":0.1,"seed":7}' (fields:
    /// see FaultConfig in tests/sandbox/README.md). Change them while running with
    /// `curl --cacert CA -H "Authorization: Bearer sandbox-admin-token" -d JSON URL/sandbox/faults`.
    #[arg(long, value_name = "JSON", value_parser = parse_faults)]
    faults: Option<Box<FaultConfig>>,
    /// Add a user NAME (token sandbox-NAME-token, context sandbox-NAME) with VERBS on every
    /// resource, then per-resource overrides: e.g. 'ci=create,get,list,delete' or
    /// 'blind=*;deployments='. Verbs: get, list, watch, create, update, patch, delete,
    /// deletecollection, or *; resources: tokenrequests, applications,
    /// customresourcedefinitions (crds), deployments, namespaces. Repeatable.
    #[arg(long = "user", value_name = "NAME=VERBS[;RESOURCE=VERBS]", value_parser = User::parse_spec)]
    users: Vec<User>,
    /// Applications (cluster-scoped) that exist from the start, comma-separated.
    #[arg(long, value_name = "NAME,...", value_delimiter = ',')]
    applications: Vec<String>,
    /// Do not serve the Application CRD (applications.applicationconnector.kyma-project.io).
    #[arg(long, conflicts_with = "applications")]
    no_applications: bool,
    /// The controller's Deployment kyma-integration/connection-token-handler; default: ready
    /// while the controller runs, absent with --mode off.
    #[arg(long, value_enum, value_name = "STATE")]
    controller_deployment: Option<DeploymentArg>,
    #[command(flatten)]
    knobs: ControllerKnobs,
    #[command(flatten)]
    connector: ConnectorKnobs,
}

#[derive(Clone, Copy, ValueEnum)]
enum DeploymentArg {
    /// No Deployment (and no namespace kyma-integration).
    Absent,
    /// The Deployment with no replica available.
    Unready,
    /// The Deployment available.
    Ready,
}

#[derive(Args)]
#[command(next_help_heading = "Connector Service")]
struct ConnectorKnobs {
    /// Do not run the Connector Service; status.url then points at --domain, which nothing
    /// serves.
    #[arg(long)]
    no_connector: bool,
    /// Port of the Connector Service's https listener on 127.0.0.1; 0 picks a free one.
    #[arg(long, value_name = "N", default_value_t = 0)]
    connector_port: u16,
    /// How long a Connector Service token lives (upstream: 5 minutes).
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    connector_token_ttl: u64,
    /// How long the client certificates it signs and renews are valid (upstream's chart: 92
    /// days).
    #[arg(long, value_name = "SECONDS", default_value_t = 92 * 24 * 3600,
          value_parser = clap::value_parser!(u64).range(1..))]
    connector_cert_validity: u64,
    /// When those certificates' validity starts, in seconds from the moment each is signed
    /// (upstream: 0); negative is in the past, so with `--connector-cert-validity 3600
    /// --connector-cert-not-before -7200` every certificate is issued expired an hour ago.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 0,
        allow_negative_numbers = true
    )]
    connector_cert_not_before: i64,
}

impl SandboxArgs {
    /// The sandbox these flags describe; an error if a --user repeats a user's name.
    fn config(&self) -> anyhow::Result<SandboxConfig> {
        let mut users = User::defaults();
        for user in &self.users {
            if users.iter().any(|known| known.name == user.name) {
                anyhow::bail!("--user {}: a user of that name exists already", user.name);
            }
            users.push(user.clone());
        }
        if self.anonymous {
            users.push(User::anonymous(Verbs::ALL));
        }
        Ok(SandboxConfig {
            server: ServerConfig {
                port: self.port,
                schema: match self.schema {
                    SchemaArg::Kyma2 => SchemaVersion::Kyma2,
                    SchemaArg::Kyma1 => SchemaVersion::Kyma1,
                },
                serve_group: !self.no_group,
                users,
                faults: self.faults.as_deref().cloned().unwrap_or_default(),
                https: !self.http,
                serve_applications: !self.no_applications,
                applications: self.applications.clone(),
                controller_deployment: self.controller_deployment.map(|state| match state {
                    DeploymentArg::Absent => ControllerDeployment::Absent,
                    DeploymentArg::Unready => ControllerDeployment::Unready,
                    DeploymentArg::Ready => ControllerDeployment::Ready,
                }),
            },
            controller: self.knobs.config(),
            connector: (!self.connector.no_connector).then(|| ConnectorConfig {
                port: self.connector.connector_port,
                token_ttl: Duration::from_secs(self.connector.connector_token_ttl),
                certificate_validity: CertificateValidity {
                    not_before: SignedDuration::from_secs(self.connector.connector_cert_not_before),
                    lifetime: Duration::from_secs(self.connector.connector_cert_validity),
                },
                ..ConnectorConfig::default()
            }),
        })
    }
}

#[derive(Args)]
struct ControllerArgs {
    /// The kubeconfig file to use; without it, KUBECONFIG or ~/.kube/config as kubectl does
    /// (or the in-cluster service account).
    #[arg(long, value_name = "FILE")]
    kubeconfig: Option<PathBuf>,
    /// The kubeconfig context to use instead of the current one.
    #[arg(long, value_name = "NAME")]
    context: Option<String>,
    #[command(flatten)]
    knobs: ControllerKnobs,
}

#[derive(Args)]
#[command(next_help_heading = "Controller")]
struct ControllerKnobs {
    /// Lifetime of an issued token: status.expireAfter = now + TTL.
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    ttl: u64,
    /// How often every TokenRequest is reconciled again; expired ones are deleted then, so
    /// deletion comes up to this long after expireAfter.
    #[arg(long, value_name = "SECONDS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..))]
    sync_period: u64,
    /// How long "asking the Connector Service" takes before a status is written.
    #[arg(long, value_name = "MILLISECONDS", default_value_t = 0)]
    delay: u64,
    /// How many TokenRequests are reconciled at once; upstream reconciles one at a time, so N
    /// new requests take at least N × --delay / WORKERS.
    #[arg(long, value_name = "N", default_value_t = 1,
          value_parser = clap::value_parser!(u16).range(1..))]
    workers: u16,
    /// Domain in status.url: https://connector-service.<DOMAIN>/v1/applications/signingRequests/info?token=...
    #[arg(long, value_name = "DOMAIN", default_value = "kyma.example.com")]
    domain: String,
    /// What the controller writes for a TokenRequest without a token.
    #[arg(long, value_enum, default_value_t = ModeArg::Ok)]
    mode: ModeArg,
    /// Ask this Connector Service internal API for tokens, as upstream's --connectorServiceURL
    /// (e.g. http://127.0.0.1:8080); `serve` uses its own Connector Service unless given.
    #[arg(long, value_name = "URL")]
    connector_url: Option<String>,
    /// Crash this many seconds after each start (losing watches and queue) and come back
    /// after --down-for.
    #[arg(long, value_name = "SECONDS")]
    crash_after: Option<u64>,
    /// How long a crashed controller stays away.
    #[arg(long, value_name = "MILLISECONDS", default_value_t = 1000)]
    down_for: u64,
}

#[derive(Clone, Copy, ValueEnum)]
enum SchemaArg {
    /// Kyma 2.0-2.2: apiextensions v1, structural; `context` is pruned.
    Kyma2,
    /// Kyma 1.x: apiextensions v1beta1; nothing is pruned.
    Kyma1,
}

#[derive(Clone, Copy, ValueEnum)]
enum ModeArg {
    /// A fresh 88-character token, url and expireAfter; state OK.
    Ok,
    /// state Error with empty token and url (and a valid expireAfter so it still expires).
    Error,
    /// state OK with empty token and url, as when the Connector Service answers an error body.
    EmptyToken,
    /// state OK with empty token and url first, a real token at the next reconcile.
    FlakyToken,
    /// No controller: TokenRequests never get a status.
    Off,
}

impl ControllerKnobs {
    fn config(&self) -> ControllerConfig {
        ControllerConfig {
            ttl: Duration::from_secs(self.ttl),
            sync_period: Duration::from_secs(self.sync_period),
            delay: Duration::from_millis(self.delay),
            domain: self.domain.clone(),
            mode: match self.mode {
                ModeArg::Ok => ControllerMode::Ok,
                ModeArg::Error => ControllerMode::Error,
                ModeArg::EmptyToken => ControllerMode::EmptyToken,
                ModeArg::FlakyToken => ControllerMode::FlakyToken,
                ModeArg::Off => ControllerMode::Off,
            },
            connector_url: self.connector_url.clone(),
            crash_after: self.crash_after.map(Duration::from_secs),
            down_for: Duration::from_millis(self.down_for),
            workers: self.workers,
            ..ControllerConfig::default()
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let file = match cli.log.as_deref().map(open_log).transpose() {
        Ok(file) => file,
        Err(error) => {
            eprintln!("tokenrequest-sandbox: {error:#}");
            return ExitCode::FAILURE;
        }
    };
    let _ = tracing::subscriber::set_global_default(logging::Log {
        verbose: cli.verbose,
        quiet: file.is_none() && matches!(cli.command, Command::Exec(_)),
        file: file.map(std::sync::Mutex::new),
    });
    let result = match cli.command {
        Command::Serve(args) => serve(args).await,
        Command::Exec(args) => return exec(args).await,
        Command::Controller(args) => run_controller(args).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("tokenrequest-sandbox: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let beside_kubeconfig = |name: &str| {
        args.kubeconfig_out
            .parent()
            .unwrap_or(std::path::Path::new("."))
            .join(name)
    };
    let files = SandboxFiles {
        kubeconfig: args.kubeconfig_out.clone(),
        ca: args
            .ca_out
            .clone()
            .unwrap_or_else(|| beside_kubeconfig("ca.crt")),
        connector_ca: args
            .connector_ca_out
            .clone()
            .unwrap_or_else(|| beside_kubeconfig("connector-ca.crt")),
    };
    let sandbox = Sandbox::start(args.sandbox.config()?).await?;
    if let Err(error) = sandbox.write_files(&files, &args.sandbox.namespace) {
        sandbox.shutdown().await;
        return Err(error);
    }
    let mut ready = format!(
        "ready url={} kubeconfig={}",
        sandbox.url(),
        files.kubeconfig.display()
    );
    if sandbox.ca_pem().is_some() {
        ready.push_str(&format!(" ca={}", files.ca.display()));
    }
    if let Some(connector) = sandbox.connector() {
        ready.push_str(&format!(
            " connector={} connector-ca={}",
            connector.url(),
            files.connector_ca.display()
        ));
    }
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{ready}")?;
    stdout.flush()?;
    drop(stdout);
    let signal = shutdown_signal().await;
    sandbox.shutdown().await;
    signal
}

async fn exec(args: ExecArgs) -> ExitCode {
    let config = match args.sandbox.config() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("tokenrequest-sandbox exec: {error:#}");
            return ExitCode::from(exec::FAILED as u8);
        }
    };
    let code = match exec::run(config, &args.sandbox.namespace, &args.command).await {
        Ok(code) => code,
        Err(error) => {
            eprintln!("tokenrequest-sandbox exec: {error}");
            error.code
        }
    };
    // Exit statuses beyond a byte exist on Windows only.
    u8::try_from(code).map_or_else(|_| std::process::exit(code), ExitCode::from)
}

async fn run_controller(args: ControllerArgs) -> anyhow::Result<()> {
    let options = kube::config::KubeConfigOptions {
        context: args.context.clone(),
        ..Default::default()
    };
    let config = match (&args.kubeconfig, &args.context) {
        (Some(path), _) => {
            let kubeconfig = kube::config::Kubeconfig::read_from(path)
                .with_context(|| format!("could not read the kubeconfig {}", path.display()))?;
            kube::Config::from_custom_kubeconfig(kubeconfig, &options).await?
        }
        (None, Some(_)) => kube::Config::from_kubeconfig(&options).await?,
        (None, None) => kube::Config::infer().await?,
    };
    eprintln!(
        "tokenrequest-sandbox: controller running against {}",
        config.cluster_url
    );
    let client = kube::Client::try_from(config)?;
    tokio::select! {
        result = controller::run(client, args.knobs.config()) => result,
        signal = shutdown_signal() => signal,
    }
}

fn open_log(path: &std::path::Path) -> anyhow::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("could not open the log file {}", path.display()))
}

/// Boxed: the switches would make `ServeArgs` far larger than `ControllerArgs`.
fn parse_faults(text: &str) -> Result<Box<FaultConfig>, String> {
    FaultConfig::from_json(text.as_bytes()).map(Box::new)
}

/// Resolves on SIGINT or SIGTERM.
async fn shutdown_signal() -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut terminate = signal(SignalKind::terminate()).context("cannot catch SIGTERM")?;
        tokio::select! {
            result = tokio::signal::ctrl_c() => result.context("cannot catch SIGINT")?,
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    tokio::signal::ctrl_c()
        .await
        .context("cannot catch Ctrl-C")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn controller_of(args: &[&str]) -> Result<ControllerConfig, clap::Error> {
        let cli = Cli::try_parse_from(
            [
                "tokenrequest-sandbox",
                "serve",
                "--kubeconfig-out",
                "kubeconfig",
            ]
            .iter()
            .chain(args),
        )?;
        let Command::Serve(serve) = cli.command else {
            unreachable!("parsed serve");
        };
        Ok(serve.sandbox.config().expect("a valid sandbox").controller)
    }

    #[test]
    fn workers_default_to_one_as_upstream_and_pass_down() {
        assert_eq!(controller_of(&[]).unwrap().workers, 1);
        let config = controller_of(&["--workers", "8", "--delay", "20"]).unwrap();
        assert_eq!(config.workers, 8);
        assert_eq!(config.delay, Duration::from_millis(20));
        // 0 would be kube-runtime's "no limit", which Kyma's controller never is.
        assert!(controller_of(&["--workers", "0"]).is_err());
    }
}
