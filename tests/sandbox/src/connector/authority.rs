//! The Connector Service's certificate authority: a CA made at start, the HTTPS server's
//! certificate, and client certificates issued from CSRs the way upstream's
//! `certificates.go` does (subject checked field by field, DigitalSignature, ClientAuth, the
//! validity the service is configured with). The caller picks the serial: upstream's constant 2 for the certificate call, a
//! fresh one for each renewal (see `mod.rs`).
//!
//! Keys are ECDSA P-256 because ring (already in the tree) can generate those; upstream's CA is
//! RSA, which no client can tell from the outside except by looking at the certificate.

use std::time::Duration;

use rcgen::{
    BasicConstraints, CertificateParams, CertificateSigningRequestParams, CertifiedIssuer,
    DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose, SanType,
    SerialNumber,
};
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use super::validity::CertificateValidity;
use x509_parser::certification_request::X509CertificationRequest;
use x509_parser::prelude::{FromDer as _, X509Certificate, X509Name};

/// The subject fields upstream takes from its COUNTRY, ORGANIZATION, ORGANIZATIONALUNIT,
/// LOCALITY and PROVINCE environment variables; CN is the application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectFields {
    pub country: String,
    pub organization: String,
    pub organizational_unit: String,
    pub locality: String,
    pub province: String,
}

impl Default for SubjectFields {
    /// The chart's defaults.
    fn default() -> Self {
        Self {
            country: "DE".to_owned(),
            organization: "Organization".to_owned(),
            organizational_unit: "OrgUnit".to_owned(),
            locality: "Waldorf".to_owned(),
            province: "Waldorf".to_owned(),
        }
    }
}

impl SubjectFields {
    /// `O=…,OU=…,L=…,ST=…,C=…,CN=<app>`, in exactly upstream's order.
    pub fn subject_for(&self, application: &str) -> String {
        format!(
            "O={},OU={},L={},ST={},C={},CN={application}",
            self.organization, self.organizational_unit, self.locality, self.province, self.country
        )
    }
}

/// Why a CSR was refused; the message is upstream's, sent with 400.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CsrRefused(pub String);

pub struct Authority {
    issuer: CertifiedIssuer<'static, KeyPair>,
    server_certificate: CertificateDer<'static>,
    server_key: Vec<u8>,
}

impl Authority {
    /// A fresh CA and a server certificate for 127.0.0.1 and localhost signed by it.
    pub fn generate() -> anyhow::Result<Authority> {
        Self::generate_named(
            "tokenrequest-sandbox Connector Service CA",
            "connector-service.sandbox",
        )
    }

    /// As [`Authority::generate`], with the CA's and the server certificate's common names
    /// given (the API server has a CA of its own).
    pub fn generate_named(ca_name: &str, server_name: &str) -> anyhow::Result<Authority> {
        let mut ca_params = CertificateParams::default();
        ca_params.distinguished_name = DistinguishedName::new();
        ca_params
            .distinguished_name
            .push(DnType::CommonName, ca_name);
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let (not_before, not_after) = validity(Duration::from_secs(10 * 365 * 24 * 3600));
        ca_params.not_before = not_before;
        ca_params.not_after = not_after;
        let issuer = CertifiedIssuer::self_signed(ca_params, KeyPair::generate()?)?;

        let mut server_params = CertificateParams::new(vec!["localhost".to_owned()])?;
        server_params
            .subject_alt_names
            .push(SanType::IpAddress([127, 0, 0, 1].into()));
        server_params.distinguished_name = DistinguishedName::new();
        server_params
            .distinguished_name
            .push(DnType::CommonName, server_name);
        server_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        server_params.not_before = not_before;
        server_params.not_after = not_after;
        let server_key = KeyPair::generate()?;
        let server_certificate = server_params.signed_by(&server_key, &issuer)?;
        Ok(Authority {
            issuer,
            server_certificate: server_certificate.der().clone(),
            server_key: server_key.serialize_der(),
        })
    }

    /// The CA certificate, PEM.
    pub fn ca_pem(&self) -> String {
        self.issuer.pem()
    }

    pub fn ca_der(&self) -> CertificateDer<'static> {
        self.issuer.der().clone()
    }

    /// The HTTPS server's certificate chain (server certificate, then the CA) and key.
    pub fn server_identity(&self) -> (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>) {
        (
            vec![self.server_certificate.clone(), self.ca_der()],
            PrivatePkcs8KeyDer::from(self.server_key.clone()).into(),
        )
    }

    /// A fresh key and a client certificate (ClientAuth) for subject
    /// `O=<organization>,…,CN=<common_name>`, valid for `validity_period`:
    /// `(certificate PEM, PKCS#8 key PEM)`.
    pub fn issue_client(
        &self,
        common_name: &str,
        organizations: &[&str],
        validity_period: Duration,
    ) -> anyhow::Result<(String, String)> {
        let mut params = CertificateParams::default();
        params.distinguished_name = DistinguishedName::new();
        for organization in organizations {
            params
                .distinguished_name
                .push(DnType::OrganizationName, *organization);
        }
        params
            .distinguished_name
            .push(DnType::CommonName, common_name);
        let (not_before, not_after) = validity(validity_period);
        params.not_before = not_before;
        params.not_after = not_after;
        params.is_ca = IsCa::ExplicitNoCa;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        let key = KeyPair::generate()?;
        let certificate = params.signed_by(&key, &self.issuer)?;
        Ok((certificate.pem(), key.serialize_pem()))
    }

    /// Signs a checked CSR: the CSR's subject, `serial`, DigitalSignature, ClientAuth, valid
    /// as `validity` says. Returns the certificate PEM.
    pub fn sign(
        &self,
        csr: CheckedCsr,
        validity: CertificateValidity,
        serial: u64,
        key: SignedKey,
    ) -> Result<String, CsrRefused> {
        let mut request = csr.0;
        let (not_before, not_after) = validity.window();
        request.params.not_before = not_before;
        request.params.not_after = not_after;
        request.params.serial_number = Some(SerialNumber::from(serial));
        request.params.is_ca = IsCa::ExplicitNoCa;
        request.params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        request.params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        request.params.subject_alt_names.clear();
        let signed = match key {
            SignedKey::FromCsr => request.signed_by(&self.issuer),
            SignedKey::Unrelated => {
                let unrelated = KeyPair::generate().map_err(|error| {
                    CsrRefused(format!("Error while creating certificate: {error}"))
                })?;
                request.params.signed_by(&unrelated, &self.issuer)
            }
        };
        let certificate = signed
            .map_err(|error| CsrRefused(format!("Error while creating certificate: {error}")))?;
        Ok(certificate.pem())
    }
}

/// The serial upstream's `SignWithCA` gives every certificate.
pub const UPSTREAM_SERIAL: u64 = 2;

/// Whose public key a certificate carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedKey {
    /// The CSR's, as always upstream.
    FromCsr,
    /// A fresh key nobody holds: a certificate that does not match the CSR's key (a fault).
    Unrelated,
}

/// A CSR whose signature and subject passed upstream's checks, ready to be signed.
pub struct CheckedCsr(CertificateSigningRequestParams);

/// Upstream's CSR checks: the PEM block (label not checked), the CSR's signature, then the
/// subject (`CheckCSRValues`) against `application` and `expected`.
pub fn check_csr(
    csr_pem: &[u8],
    application: &str,
    expected: &SubjectFields,
) -> Result<CheckedCsr, CsrRefused> {
    let refuse = |message: &str| CsrRefused(message.to_owned());
    let (_, block) = x509_parser::pem::parse_x509_pem(csr_pem)
        .map_err(|_| refuse("Error while decoding pem block."))?;
    let (_, csr) = X509CertificationRequest::from_der(&block.contents)
        .map_err(|error| CsrRefused(format!("Error while parsing CSR: {error}")))?;
    csr.verify_signature()
        .map_err(|error| CsrRefused(format!("CSR signature invalid: {error}")))?;
    check_subject(
        &csr.certification_request_info.subject,
        application,
        expected,
    )?;
    CertificateSigningRequestParams::from_der(&block.contents.as_slice().into())
        .map(CheckedCsr)
        .map_err(|error| CsrRefused(format!("Error while parsing CSR: {error}")))
}

/// Upstream's `CheckCSRValues`: CN must equal the application; C, O, OU, L and ST must be
/// present and their first value must match.
fn check_subject(
    subject: &X509Name<'_>,
    application: &str,
    expected: &SubjectFields,
) -> Result<(), CsrRefused> {
    let first =
        |values: &mut dyn Iterator<Item = &x509_parser::x509::AttributeTypeAndValue<'_>>| {
            values
                .next()
                .map(|value| value.as_str().unwrap_or_default().to_owned())
        };
    if first(&mut subject.iter_common_name()).as_deref() != Some(application) {
        return Err(CsrRefused("CSR: Invalid common name provided.".to_owned()));
    }
    let fields: [(&str, Option<String>, &str); 5] = [
        (
            "country",
            first(&mut subject.iter_country()),
            &expected.country,
        ),
        (
            "organization",
            first(&mut subject.iter_organization()),
            &expected.organization,
        ),
        (
            "organizational unit",
            first(&mut subject.iter_organizational_unit()),
            &expected.organizational_unit,
        ),
        (
            "locality",
            first(&mut subject.iter_locality()),
            &expected.locality,
        ),
        (
            "province",
            first(&mut subject.iter_state_or_province()),
            &expected.province,
        ),
    ];
    for (name, given, wanted) in fields {
        match given {
            None => return Err(CsrRefused(format!("CSR: No {name} provided."))),
            Some(given) if given != wanted => {
                return Err(CsrRefused(format!("CSR: Invalid {name} provided.")));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// The application a client certificate speaks for: its subject's first CN.
pub fn client_application(certificate: &CertificateDer<'_>) -> Option<String> {
    let (_, certificate) = X509Certificate::from_der(certificate).ok()?;
    let common_name = certificate.subject().iter_common_name().next()?;
    common_name.as_str().ok().map(str::to_owned)
}

/// The subject of a client certificate in upstream's notation (its first values).
pub fn client_subject(certificate: &CertificateDer<'_>) -> Option<String> {
    let (_, certificate) = X509Certificate::from_der(certificate).ok()?;
    let subject = certificate.subject();
    let first =
        |values: &mut dyn Iterator<Item = &x509_parser::x509::AttributeTypeAndValue<'_>>| {
            values
                .next()
                .and_then(|value| value.as_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
    Some(
        SubjectFields {
            country: first(&mut subject.iter_country()),
            organization: first(&mut subject.iter_organization()),
            organizational_unit: first(&mut subject.iter_organizational_unit()),
            locality: first(&mut subject.iter_locality()),
            province: first(&mut subject.iter_state_or_province()),
        }
        .subject_for(&first(&mut subject.iter_common_name())),
    )
}

/// `now` to `now + period`, as upstream's `SignWithCA`.
fn validity(period: Duration) -> (time::OffsetDateTime, time::OffsetDateTime) {
    CertificateValidity::lasting(period).window()
}
