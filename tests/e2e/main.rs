//! End-to-end tests: the real `kubectl-tokenrequest` binary against an in-process sandbox
//! (API server + controller) started per test.

mod harness;

mod cleanup;
mod completion;
mod connect;
mod create;
mod doctor;
mod preflight;
mod read;
mod requests_layer;
mod resilience;

mod faults;
mod hostile;
mod malformed;
mod secrets;
mod soak;
