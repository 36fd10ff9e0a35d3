//! The flags of the commands that look after a connection `connect` wrote: `inspect`, `renew`,
//! `revoke`. They read no cluster: the connection lives in DIR's `connection.yaml`.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::args::ConnectorTlsArgs;
use super::duration::parse_duration_with_days;
use super::formats;
use crate::output::OutputFormat;

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The directory connect wrote (connection.yaml, client.key, client.crt, ...)
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// Only read the files; do not ask the Connector Service whether it accepts the certificate
    #[arg(long)]
    pub offline: bool,

    /// Exit 1 when less than this is left of the certificate's validity (e.g. 30d, 12h), so a
    /// scheduled job notices in time
    #[arg(long, value_name = "DURATION", value_parser = parse_duration_with_days, allow_hyphen_values = true)]
    pub min_validity: Option<Duration>,

    /// Output format (default: a summary)
    #[arg(short = 'o', long, value_name = "FORMAT", value_parser = formats::ListOutputParser(formats::INSPECT))]
    pub output: Option<OutputFormat>,

    #[command(flatten)]
    pub tls: ConnectorTlsArgs,
}

#[derive(Debug, Args)]
pub struct RenewArgs {
    /// The directory connect wrote; its files are replaced by the renewed ones
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// Keep the private key and have only the certificate renewed (default: a new RSA-2048 key)
    #[arg(long)]
    pub reuse_key: bool,

    /// Renew only when less than this is left (e.g. 30d); otherwise say "not due" and exit 0
    #[arg(long, value_name = "DURATION", value_parser = parse_duration_with_days, allow_hyphen_values = true)]
    pub before: Option<Duration>,

    /// Output format (default: a summary); json and yaml say what was done, for scripts
    #[arg(short = 'o', long, value_name = "FORMAT", value_parser = formats::ListOutputParser(formats::RENEW))]
    pub output: Option<OutputFormat>,

    #[command(flatten)]
    pub tls: ConnectorTlsArgs,
}

#[derive(Debug, Args)]
pub struct RevokeArgs {
    /// The directory connect wrote; its files are renamed to *.revoked afterwards
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// Do not ask for confirmation (needed when stdin is not a terminal)
    #[arg(long)]
    pub yes: bool,

    /// Output format (default: a summary); json and yaml say what was done, for scripts
    #[arg(short = 'o', long, value_name = "FORMAT", value_parser = formats::ListOutputParser(formats::REVOKE))]
    pub output: Option<OutputFormat>,

    #[command(flatten)]
    pub tls: ConnectorTlsArgs,
}
