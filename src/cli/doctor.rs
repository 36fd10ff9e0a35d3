//! The flags of `doctor`.

use std::time::Duration;

use clap::Args;

use super::duration::parse_duration;
use super::formats;
use crate::output::OutputFormat;

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// An Application to check: that it exists, before a token is requested for it
    #[arg(value_name = "APP")]
    pub app: Option<String>,

    /// Also create a probe TokenRequest (generated name doctor-probe-…, never APP), wait for
    /// the controller's answer and delete it again
    #[arg(long)]
    pub probe: bool,

    /// How long the whole diagnosis may take, the probe's wait included (e.g. 30s, 2m)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, allow_hyphen_values = true, default_value = "30s")]
    pub timeout: Duration,

    /// Output format (default: one line per check)
    #[arg(short = 'o', long, value_name = "FORMAT", value_parser = formats::ListOutputParser(formats::DOCTOR))]
    pub output: Option<OutputFormat>,
}
