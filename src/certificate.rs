//! What a client certificate says, read with x509-parser: subject, serial, issuer, validity and
//! SHA-256 fingerprint, and whether a private key belongs to it (the certificate's
//! subjectPublicKey bits against the key's public key).

use jiff::{SignedDuration, Timestamp};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject as _;
use x509_parser::certificate::X509Certificate;
use x509_parser::oid_registry as oid;
use x509_parser::prelude::FromDer as _;
use x509_parser::x509::X509Name;

/// The facts of one certificate. Holds no secret.
#[derive(Debug, Clone)]
pub struct CertificateFacts {
    /// In the service's notation: `O=…,OU=…,L=…,ST=…,C=…,CN=…`, in the certificate's order.
    pub subject: String,
    /// The CN: the application the certificate speaks for.
    pub common_name: Option<String>,
    pub issuer: String,
    /// Hex bytes, colon-separated, as openssl prints them (`02`).
    pub serial: String,
    pub not_before: Timestamp,
    pub not_after: Timestamp,
    /// SHA-256 of the DER certificate, upper-case hex bytes, colon-separated (openssl's
    /// `-fingerprint -sha256`).
    pub fingerprint: String,
    public_key: Vec<u8>,
}

impl CertificateFacts {
    /// The first certificate of a PEM text (a client certificate, or a chain that starts with
    /// one).
    pub fn from_pem(pem: &str) -> Result<Self, String> {
        let der = CertificateDer::from_pem_slice(pem.as_bytes())
            .map_err(|e| format!("holds no PEM certificate ({e})"))?;
        Self::from_der(&der)
    }

    fn from_der(der: &[u8]) -> Result<Self, String> {
        let (_, certificate) = X509Certificate::from_der(der)
            .map_err(|e| format!("is not an X.509 certificate ({e})"))?;
        let validity = certificate.validity();
        let time = |seconds: i64| {
            Timestamp::from_second(seconds).map_err(|e| format!("has an odd validity ({e})"))
        };
        let digest = ring::digest::digest(&ring::digest::SHA256, der);
        Ok(CertificateFacts {
            subject: name(certificate.subject()),
            common_name: certificate
                .subject()
                .iter_common_name()
                .next()
                .and_then(|cn| cn.as_str().ok())
                .map(str::to_string),
            issuer: name(certificate.issuer()),
            serial: certificate.raw_serial_as_string(),
            not_before: time(validity.not_before.timestamp())?,
            not_after: time(validity.not_after.timestamp())?,
            fingerprint: hex_bytes(digest.as_ref()),
            public_key: certificate.public_key().subject_public_key.data.to_vec(),
        })
    }

    /// How long the certificate is still valid at `now` (negative once it has expired).
    pub fn time_left(&self, now: Timestamp) -> SignedDuration {
        self.not_after.duration_since(now)
    }

    /// Whether the certificate is still valid `span` after `now` (`renew --before`,
    /// `inspect --min-validity`); a span too long to reckon with is never left.
    pub fn lasts(&self, span: std::time::Duration, now: Timestamp) -> bool {
        SignedDuration::try_from(span).is_ok_and(|span| self.time_left(now) >= span)
    }

    pub fn is_expired(&self, now: Timestamp) -> bool {
        now >= self.not_after
    }

    /// Whether the certificate carries this public key (see [`public_key_of`]).
    pub fn matches_key(&self, public_key: &[u8]) -> bool {
        self.public_key == public_key
    }
}

/// The public key bits of a PKCS#8 private key (PEM), as a certificate for it carries them.
pub fn public_key_of(key_pem: &str) -> Result<Vec<u8>, String> {
    // rcgen (ring) reads RSA and ECDSA keys alike; the error never shows the key.
    let key = rcgen::KeyPair::from_pem(key_pem)
        .map_err(|_| "is not a PKCS#8 private key (PEM, PRIVATE KEY) ring can use".to_string())?;
    Ok(key.public_key_raw().to_vec())
}

/// Checks what the certificate or renewal call issued before anything is written: the client
/// certificate carries `public_key`, speaks for `application`, is valid `now`, and the chain
/// starts with it.
pub fn check_issued(
    client_pem: &str,
    chain_pem: &str,
    public_key: &[u8],
    application: &str,
    now: Timestamp,
) -> Result<CertificateFacts, String> {
    let facts = CertificateFacts::from_pem(client_pem)
        .map_err(|e| format!("the issued client certificate {e}"))?;
    if !facts.matches_key(public_key) {
        return Err(format!(
            "the issued certificate (serial {}) is not for the private key the CSR was made \
             with",
            facts.serial
        ));
    }
    if facts.common_name.as_deref() != Some(application) {
        return Err(format!(
            "the issued certificate is for CN {:?}, not {application:?}",
            facts.common_name.as_deref().unwrap_or("")
        ));
    }
    if facts.is_expired(now) || facts.not_before > now + SignedDuration::from_mins(5) {
        return Err(format!(
            "the issued certificate is valid from {} until {}, not now",
            facts.not_before, facts.not_after
        ));
    }
    let chain_first = CertificateFacts::from_pem(chain_pem)
        .map_err(|e| format!("the issued certificate chain {e}"))?;
    if chain_first.fingerprint != facts.fingerprint {
        return Err("the issued chain does not start with the client certificate".to_string());
    }
    Ok(facts)
}

/// A distinguished name in the service's notation (Go's `pkix.Name`, `,` between attributes,
/// `\,` inside a value), in the certificate's order.
fn name(name: &X509Name<'_>) -> String {
    let parts: Vec<String> = name
        .iter_attributes()
        .map(|attribute| {
            let kind = attribute.attr_type();
            let label = [
                (&oid::OID_X509_COMMON_NAME, "CN"),
                (&oid::OID_X509_COUNTRY_NAME, "C"),
                (&oid::OID_X509_ORGANIZATION_NAME, "O"),
                (&oid::OID_X509_ORGANIZATIONAL_UNIT, "OU"),
                (&oid::OID_X509_LOCALITY_NAME, "L"),
                (&oid::OID_X509_STATE_OR_PROVINCE_NAME, "ST"),
            ]
            .into_iter()
            .find(|(known, _)| *known == kind)
            .map_or_else(|| kind.to_id_string(), |(_, label)| label.to_string());
            let value = attribute.as_str().unwrap_or("<not a string>");
            let escaped = value.replace('\\', "\\\\").replace(',', "\\,");
            format!("{label}={escaped}")
        })
        .collect();
    parts.join(",")
}

fn hex_bytes(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|byte| format!("{byte:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connector::{generate_key_and_csr, parse_subject};

    const SUBJECT: &str = r"O=Org\, Inc.,OU=OrgUnit,L=Waldorf,ST=Waldorf,C=DE,CN=my-app";

    /// A self-signed certificate for `key_pem`, valid for `days`.
    fn certificate_for(key_pem: &str, days: i64) -> String {
        let key = rcgen::KeyPair::from_pem(key_pem).unwrap();
        let mut params = rcgen::CertificateParams::default();
        params.distinguished_name = parse_subject(SUBJECT).unwrap();
        params.serial_number = Some(rcgen::SerialNumber::from(0x0a1b_u64));
        let now = rcgen::date_time_ymd(2026, 1, 1);
        params.not_before = now;
        params.not_after = now + std::time::Duration::from_secs(days as u64 * 86_400);
        params.self_signed(&key).unwrap().pem()
    }

    #[test]
    fn facts_subject_serial_validity_and_key() {
        let request = generate_key_and_csr(SUBJECT).unwrap();
        let pem = certificate_for(&request.key_pem, 92);
        let facts = CertificateFacts::from_pem(&pem).unwrap();
        assert_eq!(
            facts.subject, SUBJECT,
            "the service's notation, commas escaped"
        );
        assert_eq!(facts.issuer, SUBJECT, "self-signed");
        assert_eq!(facts.common_name.as_deref(), Some("my-app"));
        assert_eq!(facts.serial, "0a:1b");
        assert_eq!(facts.not_before.to_string(), "2026-01-01T00:00:00Z");
        assert_eq!(facts.not_after.to_string(), "2026-04-03T00:00:00Z");
        assert_eq!(facts.fingerprint.len(), 32 * 3 - 1);
        let now: Timestamp = "2026-03-04T00:00:00Z".parse().unwrap();
        assert_eq!(facts.time_left(now), SignedDuration::from_hours(30 * 24));
        assert!(!facts.is_expired(now));
        assert!(facts.is_expired(facts.not_after));
        let days = |n: u64| std::time::Duration::from_secs(n * 24 * 3600);
        assert!(facts.lasts(days(30), now));
        assert!(!facts.lasts(days(31), now));
        assert!(!facts.lasts(std::time::Duration::MAX, now));

        assert_eq!(
            public_key_of(&request.key_pem).unwrap(),
            request.public_key()
        );
        assert!(facts.matches_key(request.public_key()));
        let other = generate_key_and_csr(SUBJECT).unwrap();
        assert!(!facts.matches_key(other.public_key()));
        assert!(public_key_of("not a key").is_err());
        assert!(CertificateFacts::from_pem("nothing").is_err());
    }

    #[test]
    fn issued_certificates_are_checked_before_they_are_written() {
        let request = generate_key_and_csr(SUBJECT).unwrap();
        let pem = certificate_for(&request.key_pem, 92);
        let now: Timestamp = "2026-01-02T00:00:00Z".parse().unwrap();
        let chain = format!("{pem}{pem}");
        let key = request.public_key();
        assert!(check_issued(&pem, &chain, key, "my-app", now).is_ok());
        let other = generate_key_and_csr(SUBJECT).unwrap();
        let error = check_issued(&pem, &chain, other.public_key(), "my-app", now).unwrap_err();
        assert!(error.contains("not for the private key"), "{error}");
        let error = check_issued(&pem, &chain, key, "other", now).unwrap_err();
        assert!(error.contains("CN \"my-app\""), "{error}");
        let later: Timestamp = "2026-05-01T00:00:00Z".parse().unwrap();
        assert!(check_issued(&pem, &chain, key, "my-app", later).is_err());
        let foreign = certificate_for(&other.key_pem, 92);
        let error = check_issued(&pem, &foreign, key, "my-app", now).unwrap_err();
        assert!(error.contains("chain does not start"), "{error}");
    }
}
