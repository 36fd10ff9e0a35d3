//! Builds the kube client the way kubectl resolves its configuration.

use std::time::Duration;

use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};

use super::RetryPolicy;
use crate::cli::ConnectionArgs;
use crate::error::Error;
use crate::text::error_chain;

/// A client, the namespace commands act in, and the retry policy `--request-timeout` sets.
#[derive(Clone)]
pub struct Connection {
    pub client: Client,
    pub namespace: String,
    pub policy: RetryPolicy,
    /// `--request-timeout` (0: none), which bounds Connector Service calls too.
    pub request_timeout: Duration,
}

/// `--kubeconfig` names one file; otherwise kube merges `KUBECONFIG` (or reads
/// `~/.kube/config`) itself. In-cluster configuration is only tried when no flag names a
/// kubeconfig entry, like kubectl.
pub async fn connect(args: &ConnectionArgs) -> Result<Connection, Error> {
    let mut config = load_config(args).await?;
    if args.insecure_skip_tls_verify {
        config.accept_invalid_certs = true;
    }
    if args.request_timeout > Duration::ZERO {
        config.connect_timeout = Some(args.request_timeout);
        config.read_timeout = Some(args.request_timeout);
        config.write_timeout = Some(args.request_timeout);
        config.reset_reader_on_write = true;
    }
    let namespace = args
        .namespace
        .clone()
        .unwrap_or_else(|| config.default_namespace.clone());
    let client = Client::try_from(config).map_err(|e| Error::Kubeconfig {
        path: None,
        message: format!("building the API client: {}", error_chain(&e)),
    })?;
    Ok(Connection {
        client,
        namespace,
        policy: RetryPolicy::new(args.request_timeout),
        request_timeout: args.request_timeout,
    })
}

async fn load_config(args: &ConnectionArgs) -> Result<Config, Error> {
    let options = KubeConfigOptions {
        context: args.context.clone(),
        cluster: args.cluster.clone(),
        user: args.user.clone(),
    };
    if let Some(path) = &args.kubeconfig {
        let shown = path.display().to_string();
        let fail = |message: String| Error::Kubeconfig {
            path: Some(shown.clone()),
            message,
        };
        if !path.exists() {
            return Err(fail("the file does not exist; check --kubeconfig".into()));
        }
        let kubeconfig = Kubeconfig::read_from(path)
            .map_err(|e| fail(format!("{}; is it a kubeconfig file?", error_chain(&e))))?;
        return Config::from_custom_kubeconfig(kubeconfig, &options)
            .await
            .map_err(|e| fail(config_hint(&error_chain(&e))));
    }
    let named = options.context.is_some() || options.cluster.is_some() || options.user.is_some();
    let from_env = || std::env::var("KUBECONFIG").ok().filter(|v| !v.is_empty());
    let fail = |message: String| Error::Kubeconfig {
        path: from_env().map(|v| format!("(KUBECONFIG={v})")),
        message,
    };
    if named {
        Config::from_kubeconfig(&options)
            .await
            .map_err(|e| fail(config_hint(&error_chain(&e))))
    } else {
        Config::infer().await.map_err(|e| {
            fail(format!(
                "{}; set KUBECONFIG or pass --kubeconfig",
                error_chain(&e)
            ))
        })
    }
}

/// kube's messages for a missing context, cluster or user, with the flag that chose it.
fn config_hint(message: &str) -> String {
    if message.contains("context") {
        format!("{message}; check --context (kubectl config get-contexts lists them)")
    } else if message.contains("cluster") {
        format!("{message}; check --cluster")
    } else if message.contains("user") || message.contains("auth") {
        format!("{message}; check --user")
    } else {
        message.to_string()
    }
}
