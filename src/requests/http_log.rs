//! kubectl's `-v=6` line for every API request: method, URL, status and how long it took
//! (`GET https://host:6443/apis/…?limit=500 200 OK in 4 milliseconds`). kube's own trace
//! events carry the URL and the status but no time. Logged at debug (`-v=4` to `-v=6`), through
//! the redacting writer like every log line; API URLs carry no token anyway.

use std::fmt::Display;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use futures::future::BoxFuture;
use http::{Request, Response};
use tower::{Layer, Service};

/// Wraps kube's client stack; `base` is the cluster URL the stack prepends to every path.
#[derive(Clone)]
pub struct LogLayer {
    pub base: Arc<str>,
}

impl<S> Layer<S> for LogLayer {
    type Service = Log<S>;

    fn layer(&self, inner: S) -> Log<S> {
        Log {
            inner,
            base: self.base.clone(),
        }
    }
}

#[derive(Clone)]
pub struct Log<S> {
    inner: S,
    base: Arc<str>,
}

impl<S, RequestBody, ResponseBody> Service<Request<RequestBody>> for Log<S>
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
        let url = format!("{}{}", self.base.trim_end_matches('/'), request.uri());
        let started = Instant::now();
        let answer = self.inner.call(request);
        Box::pin(async move {
            let result = answer.await;
            let took = started.elapsed().as_millis();
            match &result {
                Ok(response) => {
                    tracing::debug!(
                        "{method} {url} {} in {took} milliseconds",
                        response.status()
                    )
                }
                Err(error) => {
                    tracing::debug!("{method} {url} failed in {took} milliseconds: {error}")
                }
            }
            result
        })
    }
}
