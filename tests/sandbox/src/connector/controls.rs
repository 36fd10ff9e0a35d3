//! The test controls of a running Connector Service: tokens, certificate lifetimes, the
//! revocation list, renewal faults and the log of requests.

use std::time::Duration;

use super::faults::RenewalFault;
use super::validity::CertificateValidity;
use super::{ConnectorHandle, State, lock};

/// One request the https or internal listener answered. The query (which may hold a token) is
/// not kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectorRequest {
    pub method: String,
    /// e.g. `/v1/applications/certificates/renewals`.
    pub path: String,
    pub status: u16,
    /// The SHA-256 hash (as on the revocation list) of the client certificate presented.
    pub client_certificate: Option<String>,
}

impl State {
    pub(super) fn record(&self, request: ConnectorRequest) {
        lock(&self.requests).push(request);
    }
}

impl ConnectorHandle {
    /// Issues a token as the internal API does: `(token, info URL)`.
    pub fn issue_token(&self, application: &str) -> anyhow::Result<(String, String)> {
        self.state.issue_token(application)
    }

    /// Changes the lifetime of tokens issued from now on.
    pub fn set_token_ttl(&self, ttl: Duration) {
        self.state.tokens.set_ttl(ttl);
    }

    /// Lets every token issued so far expire.
    pub fn expire_tokens(&self) {
        self.state.tokens.expire_all();
    }

    /// Changes the validity of client certificates issued or renewed from now on: a lifetime
    /// from the moment of signing, or any [`CertificateValidity`] (one already expired too).
    pub fn set_certificate_validity(&self, validity: impl Into<CertificateValidity>) {
        *lock(&self.state.certificate_validity) = validity.into();
    }

    /// The revocation list: SHA-256 hashes (lowercase hex of the DER certificate's digest, see
    /// [`certificate_hash`](super::certificate_hash)) in the order they were revoked.
    pub fn revoked(&self) -> Vec<String> {
        self.state.revocations.hashes()
    }

    /// Revokes a certificate (PEM; the first one of a chain) as an operator would by adding
    /// its hash to upstream's ConfigMap, without a call to the service. Returns the hash.
    pub fn revoke(&self, certificate_pem: &str) -> anyhow::Result<String> {
        let hash = super::certificate_hash(certificate_pem)?;
        self.state.revocations.insert(hash.clone());
        Ok(hash)
    }

    /// The next `count` renewal requests take `fault`, one each (replacing faults still queued;
    /// `count` 0 clears them). [`RenewalFault::Status`] answers at once, whatever the request
    /// carries; the certificate faults change what an otherwise successful renewal signs (a
    /// request refused for another reason uses its fault up all the same).
    pub fn fail_next_renewals(&self, count: usize, fault: RenewalFault) {
        self.state.renewal_faults.set(count, fault);
    }

    /// How many renewal requests will still meet a fault.
    pub fn pending_renewal_faults(&self) -> usize {
        self.state.renewal_faults.pending()
    }

    /// Every request answered so far, oldest first.
    pub fn requests(&self) -> Vec<ConnectorRequest> {
        lock(&self.state.requests).clone()
    }
}
