//! The sandbox Connector Service (the compatibility spec §4), one test binary: the
//! token-guarded calls, and the mTLS management endpoints (renewal, revocation, expiry).

mod client;
mod mtls;
mod token_calls;
