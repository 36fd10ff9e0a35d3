//! End-to-end tests: the real `kubectl-tokenrequest` binary against an in-process sandbox
//! (API server + controller) started per test. Unix only: the tests run the plugin under
//! bash, send it signals with kill, and check file modes.
#![cfg(unix)]

mod harness;
mod streams;

mod auth;
mod batch;
mod cleanup;
mod client_layer;
mod completion;
mod connect;
mod create;
mod create_application;
mod credentials_output;
mod doctor;
mod full_disk;
mod kubectl_semantics;
mod kubectl_watch;
mod lifecycle;
mod manifests;
mod preflight;
mod read;
mod requests_layer;
mod resilience;
mod results;

mod faults;
mod hostile;
mod malformed;
mod networks;
mod process;
mod secrets;
mod soak;
mod trial;
