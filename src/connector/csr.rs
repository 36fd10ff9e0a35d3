//! The external system's key and certificate signing request.
//!
//! ## Why `rsa`, given RUSTSEC-2023-0071
//!
//! The service asks for `rsa2048`. ring, the crypto provider everywhere else in this tree, can
//! sign with RSA keys but cannot generate them, so the key comes from the `rsa` crate, the
//! pure-Rust RSA implementation of RustCrypto. Its advisory (the Marvin attack) is a timing side
//! channel in its *private-key operations* (decryption and signing), exploitable by an attacker
//! who can measure many such operations, e.g. against a long-running server. Here `rsa` only
//! generates the key, once, on the user's machine; the one signature (the CSR's) is made by ring
//! from the PKCS#8 key, and TLS client authentication later uses ring through rustls too. No
//! `rsa` private-key operation ever runs, let alone one an attacker can time. aws-lc-rs could
//! generate the key as well but would add a C toolchain build for a single call.

use rcgen::{CertificateParams, DistinguishedName, DnType, DnValue, KeyPair, PKCS_RSA_SHA256};
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::text::quote_for_message;

use super::ConnectorError;

/// Bits of the key the service asks for with `key-algorithm: rsa2048`.
const RSA_BITS: usize = 2048;

/// A private key and a CSR for it. The key is a secret: not `Debug`.
pub struct KeyAndCsr {
    /// PKCS#8 DER.
    key_der: Vec<u8>,
    /// PKCS#8 PEM (`PRIVATE KEY`), what openssl writes.
    pub key_pem: String,
    pub csr_pem: String,
    /// The subject the CSR carries, in the service's notation.
    pub subject: String,
    /// The key's subjectPublicKey bits, as a certificate for it carries them.
    public_key: Vec<u8>,
}

impl KeyAndCsr {
    pub fn private_key(&self) -> PrivateKeyDer<'static> {
        PrivatePkcs8KeyDer::from(self.key_der.clone()).into()
    }

    /// The public key bits a certificate for this key must carry.
    pub fn public_key(&self) -> &[u8] {
        &self.public_key
    }
}

fn crypto(what: &str, error: &dyn std::fmt::Display) -> ConnectorError {
    ConnectorError::Crypto(format!("{what}: {error}"))
}

/// A fresh RSA-2048 key and a CSR for `subject` (the service's `O=…,OU=…,…,CN=…`), signed
/// with SHA-256 by ring. CPU-bound for a moment: call it from a blocking task.
pub fn generate_key_and_csr(subject: &str) -> Result<KeyAndCsr, ConnectorError> {
    // A subject the CSR cannot carry fails before the key is made.
    parse_subject(subject)?;
    csr_for(generate_pkcs8()?.as_bytes().to_vec(), subject)
}

/// A fresh RSA-2048 key, PKCS#8 PEM, for a CSR made later with [`csr_for_existing_key`]:
/// `connect` makes the key before it spends the token, and learns the subject only then.
/// CPU-bound for a moment: call it from a blocking task.
pub fn generate_key_pem() -> Result<String, ConnectorError> {
    Ok(key_pair(generate_pkcs8()?.as_bytes())?.serialize_pem())
}

fn generate_pkcs8() -> Result<rsa::pkcs8::SecretDocument, ConnectorError> {
    use rsa::pkcs8::EncodePrivateKey as _;
    let private_key = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, RSA_BITS)
        .map_err(|e| crypto("generating the RSA-2048 key", &e))?;
    private_key
        .to_pkcs8_der()
        .map_err(|e| crypto("encoding the key as PKCS#8", &e))
}

/// A CSR for `subject` with an existing key (`renew --reuse-key`): PKCS#8 PEM, RSA as the
/// service asks for.
pub fn csr_for_existing_key(key_pem: &str, subject: &str) -> Result<KeyAndCsr, ConnectorError> {
    let key = PrivatePkcs8KeyDer::from_pem_slice(key_pem.as_bytes())
        .map_err(|e| crypto("reading the private key (PKCS#8 PEM, PRIVATE KEY)", &e))?;
    csr_for(key.secret_pkcs8_der().to_vec(), subject)
}

fn csr_for(key_der: Vec<u8>, subject: &str) -> Result<KeyAndCsr, ConnectorError> {
    let distinguished_name = parse_subject(subject)?;
    let key_pair = key_pair(&key_der)?;
    let mut params = CertificateParams::default();
    params.distinguished_name = distinguished_name;
    let csr = params
        .serialize_request(&key_pair)
        .and_then(|request| request.pem())
        .map_err(|e| crypto("making the certificate signing request", &e))?;
    Ok(KeyAndCsr {
        key_pem: key_pair.serialize_pem(),
        public_key: key_pair.public_key_raw().to_vec(),
        key_der,
        csr_pem: csr,
        subject: subject.to_string(),
    })
}

fn key_pair(key_der: &[u8]) -> Result<KeyPair, ConnectorError> {
    KeyPair::from_pkcs8_der_and_sign_algo(&PrivatePkcs8KeyDer::from(key_der), &PKCS_RSA_SHA256)
        .map_err(|e| crypto("loading the RSA key into ring", &e))
}

/// `O=Organization,OU=OrgUnit,L=Waldorf,ST=Waldorf,C=DE,CN=app` (Go's `pkix.Name` notation,
/// `\,` escapes a comma) into a distinguished name in the same order.
pub fn parse_subject(subject: &str) -> Result<DistinguishedName, ConnectorError> {
    let invalid = |reason: String| {
        ConnectorError::Crypto(format!(
            "the certificate subject {} the Connector Service asked for {reason}",
            quote_for_message(subject)
        ))
    };
    let mut name = DistinguishedName::new();
    for part in split_unescaped(subject) {
        let (key, value) = part
            .split_once('=')
            .ok_or_else(|| invalid(format!("has a part without '=': {part}")))?;
        let kind = match key.trim() {
            "CN" => DnType::CommonName,
            "C" => DnType::CountryName,
            "O" => DnType::OrganizationName,
            "OU" => DnType::OrganizationalUnitName,
            "L" => DnType::LocalityName,
            "ST" => DnType::StateOrProvinceName,
            other => {
                return Err(invalid(format!(
                    "has an attribute this tool does not know: {other}"
                )));
            }
        };
        let value = value.to_string();
        // X.520 wants countries as PrintableString; the rest may be UTF-8.
        let value = match kind {
            DnType::CountryName => rcgen::string::PrintableString::try_from(value.clone())
                .map(DnValue::PrintableString)
                .unwrap_or(DnValue::Utf8String(value)),
            _ => DnValue::Utf8String(value),
        };
        name.push(kind, value);
    }
    if name.get(&DnType::CommonName).is_none() {
        return Err(invalid("has no CN".to_string()));
    }
    Ok(name)
}

/// Splits at commas not preceded by a backslash and drops the escapes.
fn split_unescaped(text: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    parts.last_mut().expect("never empty").push(next);
                }
            }
            ',' => parts.push(String::new()),
            c => parts.last_mut().expect("never empty").push(c),
        }
    }
    parts
        .into_iter()
        .filter(|part| !part.trim().is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_made_first_is_the_key_its_csr_carries() {
        let key_pem = generate_key_pem().unwrap();
        let request = csr_for_existing_key(&key_pem, "O=Org,CN=my-app").unwrap();
        // connect reserves the PEM's length before the CSR exists: it is what gets written.
        assert_eq!(request.key_pem, key_pem);
        assert!(
            key_pem.starts_with("-----BEGIN PRIVATE KEY-----"),
            "not PKCS#8 PEM"
        );
    }

    #[test]
    fn subject_keeps_order_and_escapes() {
        let name =
            parse_subject(r"O=Org\, Inc.,OU=OrgUnit,L=Waldorf,ST=Waldorf,C=DE,CN=my-app").unwrap();
        let kinds: Vec<DnType> = name.iter().map(|(kind, _)| kind.clone()).collect();
        assert_eq!(
            kinds,
            [
                DnType::OrganizationName,
                DnType::OrganizationalUnitName,
                DnType::LocalityName,
                DnType::StateOrProvinceName,
                DnType::CountryName,
                DnType::CommonName
            ]
        );
        assert_eq!(
            name.get(&DnType::OrganizationName),
            Some(&DnValue::Utf8String("Org, Inc.".to_string()))
        );
        assert!(
            parse_subject("O=x")
                .unwrap_err()
                .to_string()
                .contains("no CN")
        );
        assert!(
            parse_subject("X=1,CN=a")
                .unwrap_err()
                .to_string()
                .contains("X")
        );
    }
}
