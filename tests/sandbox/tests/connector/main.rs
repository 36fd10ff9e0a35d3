//! The sandbox Connector Service (`docs/kyma-tokenrequest-spec.md` §4), one test binary: the
//! token-guarded calls, the mTLS management endpoints (renewal, revocation, expiry) with their test
//! controls, and the `serve`/`exec` flag for certificate lifetimes.

mod client;
mod mtls;
mod serve_flag;
#[path = "../support/mod.rs"]
mod support;
mod token_calls;
