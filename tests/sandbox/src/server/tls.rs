//! HTTPS for the API server, as a kube-apiserver serves it: a CA made at start (the same
//! rcgen/ring code as the Connector Service's, `connector::authority`), a server certificate for
//! 127.0.0.1 and localhost, and client certificates signed by that CA as a way to log in (the
//! certificate's CN is the user name; its O values name the user's groups as kube-apiserver
//! reads them, though the server takes a user's rights from its configuration by name).
//!
//! Client certificates are checked the way kube-apiserver's x509 authenticator does: the
//! handshake asks for one without requiring it, and a certificate the CA did not sign (or not
//! for client authentication) authenticates nobody, so the request falls back to its bearer
//! token (and is a 401 without one), instead of failing the handshake.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use tokio::net::TcpStream;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::client::danger::HandshakeSignatureValid;
use tokio_rustls::rustls::pki_types::{CertificateDer, UnixTime};
use tokio_rustls::rustls::server::WebPkiClientVerifier;
use tokio_rustls::rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use tokio_rustls::rustls::{
    self, DigitallySignedStruct, DistinguishedName, RootCertStore, SignatureScheme,
};

use crate::connector::authority::Authority;
use crate::connector::client_application;

/// How long the client certificates [`Tls::issue_client`] makes stay valid.
const CLIENT_CERTIFICATE_VALIDITY: Duration = Duration::from_secs(365 * 24 * 3600);

/// A client certificate and its private key (PKCS#8), PEM: what a kubeconfig's
/// `client-certificate-data` and `client-key-data` hold (base64-encoded there).
#[derive(Clone, PartialEq, Eq)]
pub struct ClientIdentity {
    pub certificate_pem: String,
    pub key_pem: String,
}

impl std::fmt::Debug for ClientIdentity {
    /// Without the key: it is a secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientIdentity")
            .field("certificate_pem", &self.certificate_pem)
            .field("key_pem", &"<redacted>")
            .finish()
    }
}

/// The user name of a verified client certificate, put into each request's extensions.
#[derive(Debug, Clone)]
pub(super) struct CertificateUser(pub String);

pub(super) struct Tls {
    authority: Authority,
    acceptor: TlsAcceptor,
    /// The strict check, run after the handshake on the certificate the client presented.
    verifier: Arc<dyn ClientCertVerifier>,
}

impl Tls {
    pub fn generate() -> anyhow::Result<Tls> {
        let authority = Authority::generate_named(
            "tokenrequest-sandbox API server CA",
            "tokenrequest-sandbox API server",
        )
        .context("generating the API server's CA")?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = RootCertStore::empty();
        roots.add(authority.ca_der())?;
        let verifier = WebPkiClientVerifier::builder_with_provider(roots.into(), provider.clone())
            .allow_unauthenticated()
            .build()?;
        let (chain, key) = authority.server_identity();
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_client_cert_verifier(Arc::new(RequestClientCertificate(verifier.clone())))
            .with_single_cert(chain, key)?;
        // hyper serves HTTP/1.1 only; kubectl offers h2 too and takes what is chosen.
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Tls {
            authority,
            acceptor: TlsAcceptor::from(Arc::new(config)),
            verifier,
        })
    }

    pub fn ca_pem(&self) -> String {
        self.authority.ca_pem()
    }

    pub fn ca_der(&self) -> CertificateDer<'static> {
        self.authority.ca_der()
    }

    /// A fresh key and a client certificate for `O=<group>,…,CN=<user>`, signed by the CA.
    pub fn issue_client(&self, user: &str, groups: &[&str]) -> anyhow::Result<ClientIdentity> {
        let (certificate_pem, key_pem) = self
            .authority
            .issue_client(user, groups, CLIENT_CERTIFICATE_VALIDITY)
            .with_context(|| format!("issuing a client certificate for {user:?}"))?;
        Ok(ClientIdentity {
            certificate_pem,
            key_pem,
        })
    }

    /// The handshake, and the user of the client certificate if the CA signed it for client
    /// authentication.
    pub async fn accept(
        &self,
        stream: TcpStream,
    ) -> std::io::Result<(
        tokio_rustls::server::TlsStream<TcpStream>,
        Option<CertificateUser>,
    )> {
        let stream = self.acceptor.accept(stream).await?;
        let user = stream
            .get_ref()
            .1
            .peer_certificates()
            .and_then(|chain| {
                let (end_entity, intermediates) = chain.split_first()?;
                self.verifier
                    .verify_client_cert(end_entity, intermediates, UnixTime::now())
                    .ok()?;
                client_application(end_entity)
            })
            .map(CertificateUser);
        Ok((stream, user))
    }
}

/// Lets any client certificate through the handshake; [`Tls::accept`] judges it afterwards.
/// The handshake signatures (proof that the client holds the certificate's key) are still
/// checked here.
#[derive(Debug)]
struct RequestClientCertificate(Arc<dyn ClientCertVerifier>);

impl ClientCertVerifier for RequestClientCertificate {
    fn offer_client_auth(&self) -> bool {
        true
    }

    fn client_auth_mandatory(&self) -> bool {
        false
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        self.0.root_hint_subjects()
    }

    fn verify_client_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        Ok(ClientCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}
