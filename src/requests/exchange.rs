//! What every exchange with the API server tells the client, seen from a layer around kube's
//! client stack: kubectl's `-v=6` line (`GET https://host:6443/apis/…?limit=500 200 OK in 4
//! milliseconds`, every answer, 429s included); whether the server has answered at all in
//! this run (until it has, a refused connection is final: see `retry.rs`); the `Retry-After`
//! of the last answer that asked the client to wait (kube's errors drop headers); and for how
//! long requests have been failing (no answer, 5xx, 429), which a timed-out wait reports.
//! Logged at debug (`-v=4` to `-v=6`), through the redacting writer like every log line; API
//! URLs carry no token anyway.

use std::fmt::Display;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::time::Instant;

use futures::future::BoxFuture;
use http::{Request, Response, StatusCode};
use tower::{Layer, Service};

/// What the exchanges of one connection have shown so far.
#[derive(Debug, Default)]
pub(super) struct Exchanges {
    answered: AtomicBool,
    retry_after: Mutex<Option<Duration>>,
    tally: Mutex<Tally>,
}

/// How requests have fared: counted, and since when they have all been failing.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    answered: u64,
    /// No answer, 5xx or 429.
    failed: u64,
    /// How many requests in a row have failed, up to the last.
    in_a_row: u64,
    /// When the current run of failures began, if the last request failed.
    failing_since: Option<Instant>,
}

/// The exchanges at one moment, to compare with a later one.
#[derive(Debug, Clone, Copy)]
pub(super) struct Snapshot {
    pub at: Instant,
    /// Requests that got an answer that is not a failure.
    pub answered: u64,
    /// Requests that failed: no answer, 5xx or 429.
    pub failed: u64,
    /// How many requests in a row had failed, up to the last.
    pub in_a_row: u64,
    /// When the current run of failures began, if the last request failed.
    pub failing_since: Option<Instant>,
}

impl Exchanges {
    pub(super) fn snapshot(&self) -> Snapshot {
        let tally = *self.tally.lock().unwrap_or_else(|e| e.into_inner());
        Snapshot {
            at: Instant::now(),
            answered: tally.answered,
            failed: tally.failed,
            in_a_row: tally.in_a_row,
            failing_since: tally.failing_since,
        }
    }

    /// A request failed (`true`), or got an answer that is not a failure.
    fn count(&self, failed: bool) {
        let mut tally = self.tally.lock().unwrap_or_else(|e| e.into_inner());
        if failed {
            tally.failed += 1;
            tally.in_a_row += 1;
            tally.failing_since.get_or_insert_with(Instant::now);
        } else {
            tally.answered += 1;
            tally.in_a_row = 0;
            tally.failing_since = None;
        }
    }

    /// Whether the server has answered any request of this run.
    pub(super) fn answered(&self) -> bool {
        self.answered.load(Ordering::Relaxed)
    }

    /// The `Retry-After` of the last 429 or 503 that carried one, taken so it is honoured once.
    pub(super) fn take_retry_after(&self) -> Option<Duration> {
        self.retry_after
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
    }

    fn saw<B>(&self, response: &Response<B>) {
        self.answered.store(true, Ordering::Relaxed);
        let status = response.status();
        self.count(status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS);
        let asks_to_wait = matches!(
            status,
            StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
        );
        // Seconds only: the HTTP-date form is not what API servers send.
        let seconds = response
            .headers()
            .get(http::header::RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<u64>().ok());
        if let (true, Some(seconds)) = (asks_to_wait, seconds) {
            *self.retry_after.lock().unwrap_or_else(|e| e.into_inner()) =
                Some(Duration::from_secs(seconds));
        }
    }
}

/// Wraps kube's client stack; `base` is the cluster URL the stack prepends to every path.
#[derive(Clone)]
pub(super) struct ExchangeLayer {
    pub base: Arc<str>,
    pub exchanges: Arc<Exchanges>,
}

impl<S> Layer<S> for ExchangeLayer {
    type Service = Exchange<S>;

    fn layer(&self, inner: S) -> Exchange<S> {
        Exchange {
            inner,
            layer: self.clone(),
        }
    }
}

#[derive(Clone)]
pub(super) struct Exchange<S> {
    inner: S,
    layer: ExchangeLayer,
}

impl<S, RequestBody, ResponseBody> Service<Request<RequestBody>> for Exchange<S>
where
    S: Service<Request<RequestBody>, Response = Response<ResponseBody>>,
    S::Future: Send + 'static,
    S::Error: Display,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<RequestBody>) -> Self::Future {
        let method = request.method().clone();
        let url = format!("{}{}", self.layer.base.trim_end_matches('/'), request.uri());
        let exchanges = self.layer.exchanges.clone();
        let started = Instant::now();
        let answer = self.inner.call(request);
        Box::pin(async move {
            let result = answer.await;
            let took = started.elapsed().as_millis();
            match &result {
                Ok(response) => {
                    exchanges.saw(response);
                    tracing::debug!(
                        "{method} {url} {} in {took} milliseconds",
                        response.status()
                    )
                }
                Err(error) => {
                    exchanges.count(true);
                    tracing::debug!("{method} {url} failed in {took} milliseconds: {error}")
                }
            }
            result
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, retry_after: Option<&str>) -> Response<()> {
        let mut response = Response::builder().status(status);
        if let Some(value) = retry_after {
            response = response.header(http::header::RETRY_AFTER, value);
        }
        response.body(()).unwrap()
    }

    #[test]
    fn retry_after_is_kept_from_answers_that_ask_to_wait_and_taken_once() {
        let exchanges = Exchanges::default();
        assert!(!exchanges.answered());
        exchanges.saw(&answer(200, Some("9")));
        assert!(exchanges.answered());
        assert_eq!(exchanges.take_retry_after(), None, "only 429 and 503 ask");
        exchanges.saw(&answer(429, Some("3")));
        assert_eq!(exchanges.take_retry_after(), Some(Duration::from_secs(3)));
        assert_eq!(exchanges.take_retry_after(), None);
        exchanges.saw(&answer(503, Some("Wed, 21 Oct 2015 07:28:00 GMT")));
        assert_eq!(exchanges.take_retry_after(), None);
    }

    #[tokio::test(start_paused = true)]
    async fn failures_are_counted_and_the_current_run_of_them_timed() {
        let exchanges = Exchanges::default();
        exchanges.saw(&answer(200, None));
        exchanges.saw(&answer(500, None));
        exchanges.count(true);
        exchanges.saw(&answer(404, None));
        let calm = exchanges.snapshot();
        assert_eq!((calm.answered, calm.failed), (2, 2));
        assert_eq!(calm.failing_since, None, "a 404 is an answer");
        exchanges.saw(&answer(429, None));
        let since = Instant::now();
        tokio::time::advance(Duration::from_secs(3)).await;
        exchanges.count(true);
        let failing = exchanges.snapshot();
        assert_eq!((failing.failed, failing.in_a_row), (4, 2));
        assert_eq!(
            failing.failing_since,
            Some(since),
            "from the first of the run"
        );
    }
}
