//! `kubectl tokenrequest`: create Kyma TokenRequests, wait for the controller, print the token,
//! the URL or a connection configuration. `main.rs` only parses, runs and maps errors to exit
//! codes; everything else lives here so tests can drive it without a cluster.
//!
//! The layers, top to bottom (see DESIGN.md): `cli` parses; `commands` says what each command
//! means; `requests` talks to the API server and `connector` to the Connector Service;
//! `tokenrequest` is the type and its rules; `output` renders.

pub(crate) mod applications;
pub(crate) mod batch;
pub(crate) mod certificate;
pub mod cli;
pub mod commands;
pub(crate) mod connection_files;
pub mod connector;
pub mod error;
pub(crate) mod listing;
pub mod logging;
pub(crate) mod manifests;
pub(crate) mod output;
pub(crate) mod present;
pub(crate) mod progress;
pub(crate) mod proxy;
pub(crate) mod requests;
pub mod session;
pub mod terminal;
pub(crate) mod text;
pub mod tokenrequest;
