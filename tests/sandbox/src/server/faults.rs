//! Faults injected into deletes, for tests of clients under pressure: the next N deletes
//! answer 429 (with `Retry-After`) or a 5xx instead of deleting, a hook can change an object
//! just before its delete is handled (a refresh racing a cleanup), and every delete is logged
//! with when it came and what it was answered.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use http::{HeaderValue, StatusCode, header};
use hyper::Response;

use super::resource::Target;
use super::responses::{ApiError, Body};
use crate::store::Store;

/// Runs against the store just before one delete is handled.
type BeforeDelete = Box<dyn FnOnce(&Store) + Send>;

#[derive(Default)]
pub(super) struct Faults {
    /// Answers for the next deletes, whatever object they name, oldest first.
    next_deletes: Mutex<VecDeque<InjectedAnswer>>,
    /// `(namespace, name, hook)`: run once, before the first delete of that object.
    before_delete: Mutex<Vec<(String, String, BeforeDelete)>>,
    deletes: Mutex<Vec<DeleteRequest>>,
}

#[derive(Debug, Clone, Copy)]
struct InjectedAnswer {
    code: StatusCode,
    retry_after: Option<Duration>,
}

/// One delete the server received.
#[derive(Debug, Clone)]
pub struct DeleteRequest {
    pub at: Instant,
    pub namespace: String,
    pub name: String,
    /// The HTTP status it was answered with.
    pub code: u16,
    /// Whether that answer was an injected fault.
    pub injected: bool,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl Faults {
    pub(super) fn fail_next_deletes(
        &self,
        count: usize,
        code: StatusCode,
        retry_after: Option<Duration>,
    ) {
        let mut queue = lock(&self.next_deletes);
        queue.extend(std::iter::repeat_n(
            InjectedAnswer { code, retry_after },
            count,
        ));
    }

    pub(super) fn before_delete_of(&self, namespace: &str, name: &str, hook: BeforeDelete) {
        lock(&self.before_delete).push((namespace.to_string(), name.to_string(), hook));
    }

    /// An injected answer for this delete, if one is queued; otherwise runs the object's hook
    /// (if any) and lets the delete proceed.
    pub(super) fn intercept_delete(
        &self,
        target: &Target,
        store: &Store,
    ) -> Option<Response<Body>> {
        let namespace = target.namespace.as_deref().unwrap_or("");
        let name = target.name.as_deref().unwrap_or("");
        if let Some(answer) = lock(&self.next_deletes).pop_front() {
            self.record(namespace, name, answer.code.as_u16(), true);
            return Some(answer.response());
        }
        let hook = {
            let mut hooks = lock(&self.before_delete);
            hooks
                .iter()
                .position(|(ns, n, _)| ns == namespace && n == name)
                .map(|index| hooks.remove(index).2)
        };
        if let Some(hook) = hook {
            hook(store);
        }
        None
    }

    pub(super) fn record(&self, namespace: &str, name: &str, code: u16, injected: bool) {
        lock(&self.deletes).push(DeleteRequest {
            at: Instant::now(),
            namespace: namespace.to_string(),
            name: name.to_string(),
            code,
            injected,
        });
    }

    pub(super) fn deletes(&self) -> Vec<DeleteRequest> {
        lock(&self.deletes).clone()
    }
}

impl InjectedAnswer {
    fn response(self) -> Response<Body> {
        let (reason, message) = match self.code {
            StatusCode::TOO_MANY_REQUESTS => (
                "TooManyRequests",
                "the server has received too many requests and has asked us to try again later",
            ),
            StatusCode::SERVICE_UNAVAILABLE => ("ServiceUnavailable", "the server is unavailable"),
            _ => ("InternalError", "Internal error occurred: injected fault"),
        };
        let mut response = ApiError {
            code: self.code,
            reason,
            message: message.to_string(),
            details: None,
        }
        .into_response();
        if let Some(retry_after) = self.retry_after {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(retry_after.as_secs()),
            );
        }
        response
    }
}
