//! TLS to the Connector Service: rustls with ring (as kube's client), the system's CAs plus
//! `--certificate-authority`, an optional client certificate (mTLS), and what a failed
//! handshake says.

use std::error::Error as StdError;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

use super::ConnectorError;
use crate::text::{error_chain, find_cause};

/// How to trust the Connector Service's server certificate.
#[derive(Debug, Clone, Default)]
pub struct TlsOptions {
    /// A PEM file of CA certificates to trust besides the system's.
    pub certificate_authority: Option<PathBuf>,
    /// Accept any server certificate (insecure).
    pub insecure_skip_verify: bool,
}

/// TLS to an https proxy: the system's CAs, no client certificate.
pub(super) fn system_roots_config() -> Option<ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let roots = root_store(None).ok()?;
    let builder = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .ok()?;
    Some(builder.with_root_certificates(roots).with_no_client_auth())
}

/// The rustls configuration for one client: whom to trust and, for mTLS, the client
/// certificate chain (PEM) and its key.
pub(super) fn client_config(
    tls: &TlsOptions,
    identity: Option<(&str, PrivateKeyDer<'static>)>,
) -> Result<ClientConfig, ConnectorError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| ConnectorError::Crypto(format!("setting up TLS: {e}")))?;
    let builder = if tls.insecure_skip_verify {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AcceptAnyServer(provider)))
    } else {
        builder.with_root_certificates(root_store(tls.certificate_authority.as_deref())?)
    };
    match identity {
        Some((chain_pem, key)) => {
            let chain = CertificateDer::pem_slice_iter(chain_pem.as_bytes())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| {
                    ConnectorError::Crypto(format!("reading the issued certificates: {e}"))
                })?;
            builder
                .with_client_auth_cert(chain, key)
                .map_err(|e| ConnectorError::Crypto(format!("using the client certificate: {e}")))
        }
        None => Ok(builder.with_no_client_auth()),
    }
}

/// The system's CAs plus those in `extra` (a PEM file).
fn root_store(extra: Option<&Path>) -> Result<RootCertStore, ConnectorError> {
    let mut roots = RootCertStore::empty();
    // Unreadable system certificates are no reason to fail: the user may bring their own.
    let native = rustls_native_certs::load_native_certs();
    roots.add_parsable_certificates(native.certs);
    if let Some(path) = extra {
        let ca_error = |detail: String| ConnectorError::CaFile {
            path: path.to_path_buf(),
            detail,
        };
        let text = std::fs::read(path).map_err(|e| ca_error(format!("cannot read it: {e}")))?;
        let certificates = CertificateDer::pem_slice_iter(&text)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| ca_error(format!("not PEM certificates: {e}")))?;
        if certificates.is_empty() {
            return Err(ca_error(
                "holds no PEM certificate (-----BEGIN CERTIFICATE-----)".to_string(),
            ));
        }
        for certificate in certificates {
            roots
                .add(certificate)
                .map_err(|e| ca_error(format!("not a usable CA certificate: {e}")))?;
        }
    }
    Ok(roots)
}

/// `--insecure-skip-tls-verify-connector`: any server certificate is accepted, but handshake
/// signatures are still checked (rustls has no ready-made verifier for this).
#[derive(Debug)]
struct AcceptAnyServer(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAnyServer {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            certificate,
            signature,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            certificate,
            signature,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// A failed exchange: TLS (found anywhere in the error's sources) or the network.
pub(super) fn transport_error(host: &str, error: &(dyn StdError + 'static)) -> ConnectorError {
    use rustls::AlertDescription as Alert;
    match find_cause::<rustls::Error>(error) {
        // The server's verdict on our client certificate, not a problem with trusting it.
        Some(rustls::Error::AlertReceived(
            alert @ (Alert::BadCertificate
            | Alert::UnsupportedCertificate
            | Alert::CertificateRevoked
            | Alert::CertificateExpired
            | Alert::CertificateUnknown
            | Alert::UnknownCA
            | Alert::AccessDenied
            | Alert::CertificateRequired),
        )) => ConnectorError::CertificateRefused {
            host: host.to_string(),
            alert: format!("{alert:?}"),
        },
        Some(tls) => ConnectorError::Tls {
            host: host.to_string(),
            detail: tls.to_string(),
        },
        None => ConnectorError::Unreachable {
            host: host.to_string(),
            detail: error_chain(error),
        },
    }
}
