//! Upstream's revocation list (ConfigMap `revocations-config`): the SHA-256 hashes of revoked
//! client certificates, as the `Hash=` of `X-Forwarded-Client-Cert` gives them (lowercase hex
//! of the DER certificate's digest).

use std::sync::Mutex;

use anyhow::Context as _;
use tokio_rustls::rustls::pki_types::CertificateDer;
use tokio_rustls::rustls::pki_types::pem::PemObject as _;

use super::lock;

#[derive(Default)]
pub struct RevocationList {
    /// In the order they were revoked; no hash twice.
    hashes: Mutex<Vec<String>>,
}

impl RevocationList {
    pub fn insert(&self, hash: String) {
        let mut hashes = lock(&self.hashes);
        if !hashes.contains(&hash) {
            hashes.push(hash);
        }
    }

    pub fn contains(&self, hash: &str) -> bool {
        lock(&self.hashes).iter().any(|revoked| revoked == hash)
    }

    pub fn hashes(&self) -> Vec<String> {
        lock(&self.hashes).clone()
    }
}

/// Lowercase hex SHA-256 of a DER certificate, as Envoy's `Hash=`.
pub fn der_hash(certificate: &[u8]) -> String {
    ring::digest::digest(&ring::digest::SHA256, certificate)
        .as_ref()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The hash the revocation list keeps for the first certificate of a PEM text (a client
/// certificate, or a chain that starts with one).
pub fn certificate_hash(certificate_pem: &str) -> anyhow::Result<String> {
    let certificate = CertificateDer::from_pem_slice(certificate_pem.as_bytes())
        .context("no PEM certificate found")?;
    Ok(der_hash(&certificate))
}
