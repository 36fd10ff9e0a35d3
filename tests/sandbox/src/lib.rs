//! A loopback Kubernetes API server that serves Kyma's TokenRequest resource the way a real
//! kube-apiserver v1.36 does (see `tests/fixtures/kube-apiserver-v1.36/`), plus a TokenRequest
//! controller that behaves like Kyma's connection-token-handler.
//!
//! The server judges objects by the CRD schema it serves (`schema`), never by the plugin's Rust
//! type, so a mistake in the plugin cannot hide itself in its own test bed.
//!
//! Module ownership while the sandbox is being built:
//! - `schema`, `store`, `server`: the API server.
//! - `controller`, `kubeconfig`, this facade and `main.rs`: the controller and the CLI.

pub mod controller;
pub mod kubeconfig;
pub mod schema;
pub mod server;
pub mod store;
