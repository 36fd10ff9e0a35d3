//! When the client certificates the Connector Service signs are valid. Upstream signs each
//! from the moment of signing for a fixed time; a test may also ask for a window that lies in
//! the past (a certificate issued already expired) or starts later, so expiry is tested
//! without waiting for it.

use std::time::Duration;

use jiff::SignedDuration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CertificateValidity {
    /// notBefore relative to the moment of signing: zero as upstream, negative in the past.
    pub not_before: SignedDuration,
    /// notAfter minus notBefore.
    pub lifetime: Duration,
}

impl CertificateValidity {
    /// From the moment of signing for `lifetime`, as upstream.
    pub const fn lasting(lifetime: Duration) -> CertificateValidity {
        CertificateValidity {
            not_before: SignedDuration::ZERO,
            lifetime,
        }
    }

    /// Valid for `lifetime`, which ended `ago` before the certificate is signed.
    pub fn expired(ago: Duration, lifetime: Duration) -> CertificateValidity {
        let span = SignedDuration::try_from(ago + lifetime).unwrap_or(SignedDuration::MAX);
        CertificateValidity {
            not_before: -span,
            lifetime,
        }
    }

    /// notBefore and notAfter of a certificate signed now, in the `time` types rcgen takes.
    pub(crate) fn window(&self) -> (time::OffsetDateTime, time::OffsetDateTime) {
        let offset = time::Duration::new(self.not_before.as_secs(), self.not_before.subsec_nanos());
        let not_before = time::OffsetDateTime::now_utc().saturating_add(offset);
        let lifetime = time::Duration::try_from(self.lifetime).unwrap_or(time::Duration::MAX);
        (not_before, not_before.saturating_add(lifetime))
    }
}

/// A lifetime alone: from the moment of signing, as upstream.
impl From<Duration> for CertificateValidity {
    fn from(lifetime: Duration) -> CertificateValidity {
        CertificateValidity::lasting(lifetime)
    }
}
