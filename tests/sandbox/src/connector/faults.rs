//! Faults a test can make the next renewals meet, so a client's renewal can be seen failing at
//! each step: the call refused, a certificate that does not fit the key, a certificate that the
//! service itself then refuses.

use std::collections::VecDeque;
use std::sync::Mutex;

use super::lock;

/// What one renewal request meets instead of an ordinary answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenewalFault {
    /// Answer this status (e.g. 403, 500, 503) with an upstream-shaped error body; nothing is
    /// signed.
    Status(u16),
    /// Answer 201 with a certificate for the right subject, signed by the CA, but for a key
    /// nobody holds: it does not match the CSR's key.
    MismatchedCertificate,
    /// Answer 201 with a proper certificate for the CSR's key that is on the revocation list
    /// already, so management info (and every other mTLS call) refuses it.
    RevokedCertificate,
}

/// The queue of faults the next renewal requests take, one each, in order.
#[derive(Default)]
pub struct RenewalFaults {
    queue: Mutex<VecDeque<RenewalFault>>,
}

impl RenewalFaults {
    /// The next `count` renewal requests meet `fault` (replacing what was queued).
    pub fn set(&self, count: usize, fault: RenewalFault) {
        let mut queue = lock(&self.queue);
        queue.clear();
        queue.extend(std::iter::repeat_n(fault, count));
    }

    /// The fault the current renewal request meets, if any.
    pub fn take(&self) -> Option<RenewalFault> {
        lock(&self.queue).pop_front()
    }

    /// How many renewal requests will still meet a fault.
    pub fn pending(&self) -> usize {
        lock(&self.queue).len()
    }
}
