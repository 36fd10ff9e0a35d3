//! The sandbox Connector Service (the compatibility spec §4), one test binary: the
//! token-guarded calls, the mTLS management endpoints (renewal, revocation, expiry) with their
//! test controls, and the `serve` flag for certificate lifetimes.

mod client;
mod mtls;
mod serve_flag;
mod token_calls;
