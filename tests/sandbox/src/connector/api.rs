//! What every Connector Service handler shares: upstream's error body, JSON answers with
//! upstream's content type, and reading the `{"csr": base64(PEM)}` body of the certificate and
//! renewal calls, whose answers have the same shape too.

use base64::Engine as _;
use bytes::Bytes;
use http::{HeaderValue, StatusCode, header};
use http_body_util::{BodyExt as _, Full, Limited};
use hyper::Response;
use hyper::body::Incoming;
use serde::{Deserialize, Serialize};

use super::State;

/// Upstream's content type on every answer.
const JSON: &str = "application/json;charset=UTF-8";
/// Larger bodies are refused; a CSR is a few kilobytes.
const BODY_LIMIT: usize = 1 << 20;

pub(super) type Answer = Result<Response<Full<Bytes>>, ApiError>;

/// Upstream's error body: `{"code": <status>, "error": "<message>"}`.
#[derive(Debug)]
pub(super) struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    pub(super) fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }

    pub(super) fn forbidden(message: &str) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, message)
    }

    pub(super) fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    pub(super) fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    pub(super) fn into_response(self) -> Response<Full<Bytes>> {
        json(
            self.status,
            &ErrorBody {
                code: self.status.as_u16(),
                error: self.message,
            },
        )
    }
}

#[derive(Serialize)]
struct ErrorBody {
    code: u16,
    error: String,
}

pub(super) fn json(status: StatusCode, body: &impl Serialize) -> Response<Full<Bytes>> {
    let bytes = serde_json::to_vec(body).expect("response bodies serialise");
    let mut response = Response::new(Full::new(Bytes::from(bytes)));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON));
    response
}

#[derive(Deserialize)]
struct CsrRequest {
    csr: String,
}

/// The body `{"csr": "<base64 of the PEM>"}`, decoded to the PEM bytes.
pub(super) async fn read_csr(body: Incoming) -> Result<Vec<u8>, ApiError> {
    let body = Limited::new(body, BODY_LIMIT)
        .collect()
        .await
        .map_err(|_| ApiError::bad_request("Error while reading the request body."))?
        .to_bytes();
    let body: CsrRequest = serde_json::from_slice(&body)
        .map_err(|_| ApiError::bad_request("Error while parsing the request body."))?;
    base64::engine::general_purpose::STANDARD
        .decode(body.csr.as_bytes())
        .map_err(|_| {
            ApiError::bad_request(
                "There was an error while parsing the base64 content. An incorrect value was provided.",
            )
        })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CertificateResponse {
    crt: String,
    client_crt: String,
    ca_crt: String,
}

/// 201 `{crt, clientCrt, caCrt}`: the chain (client certificate, then the CA), the client
/// certificate and the CA, each base64 of PEM.
pub(super) fn issued(state: &State, client_pem: &str) -> Response<Full<Bytes>> {
    let base64 = base64::engine::general_purpose::STANDARD;
    let ca_pem = state.authority.ca_pem();
    json(
        StatusCode::CREATED,
        &CertificateResponse {
            crt: base64.encode(format!("{client_pem}{ca_pem}")),
            client_crt: base64.encode(client_pem),
            ca_crt: base64.encode(&ca_pem),
        },
    )
}

/// An answer without a body, as upstream's `Respond`: status and content type only.
pub(super) fn empty(status: StatusCode) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON));
    response
}
