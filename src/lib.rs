//! `kubectl tokenrequest`: create Kyma TokenRequests, wait for the controller, print the token,
//! the URL or a connection configuration. `main.rs` only parses, runs and maps errors to exit
//! codes; everything else lives here so tests can drive it without a cluster.
#![forbid(unsafe_code)]

pub mod cli;
pub mod client;
pub mod commands;
pub mod connector;
pub mod error;
pub mod logging;
pub mod output;
pub mod tokenrequest;
pub mod wait;
