//! The token-guarded calls (`docs/kyma-tokenrequest-spec.md` §4.1–4.3): the internal token API the
//! controller calls, the signing-request info behind `status.url`, and the certificate call.

use http::StatusCode;
use hyper::Request;
use hyper::body::Incoming;
use serde::Serialize;

use super::State;
use super::api::{self, Answer, ApiError, json};
use super::authority::{SignedKey, UPSTREAM_SERIAL, check_csr};

impl State {
    fn info_url(&self, token: &str) -> String {
        // Not URL-encoded, as upstream.
        format!(
            "{}/v1/applications/signingRequests/info?token={token}",
            self.base_url
        )
    }

    fn certificates_url(&self) -> String {
        format!("{}/v1/applications/certificates", self.base_url)
    }

    pub(super) fn application_urls(&self, application: &str) -> ApplicationUrls {
        let base = &self.base_url;
        ApplicationUrls {
            events_info_url: format!("{base}/{application}/v1/events/subscribed"),
            events_url: format!("{base}/{application}/v1/events"),
            metadata_url: format!("{base}/{application}/v1/metadata/services"),
        }
    }

    pub(super) fn certificate_info(&self, application: &str) -> CertificateInfo {
        CertificateInfo {
            subject: self.config.subject.subject_for(application),
            extensions: String::new(),
            key_algorithm: "rsa2048".to_owned(),
        }
    }

    /// Issues a token as the internal API does: `(token, info URL)`.
    pub(super) fn issue_token(&self, application: &str) -> anyhow::Result<(String, String)> {
        let token = self.tokens.mint(application)?;
        let url = self.info_url(&token);
        Ok((token, url))
    }
}

#[derive(Serialize)]
struct TokenResponse {
    url: String,
    token: String,
}

/// §4.1. Non-central mode: Tenant and Group are ignored.
pub(super) fn issue_token(state: &State, request: &Request<Incoming>) -> Answer {
    let application = request
        .headers()
        .get("Application")
        .and_then(|value| value.to_str().ok())
        .filter(|value| !value.trim().is_empty())
        .ok_or_else(|| {
            ApiError::bad_request("Required headers for ApplicationContext not specified.")
        })?;
    let (token, url) = state
        .issue_token(application)
        .map_err(|_| ApiError::internal("Failed to generate token."))?;
    tracing::info!(application, "connector: issued a token");
    Ok(json(StatusCode::CREATED, &TokenResponse { url, token }))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ApplicationUrls {
    events_info_url: String,
    events_url: String,
    metadata_url: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct InfoApi {
    #[serde(flatten)]
    application: ApplicationUrls,
    info_url: String,
    certificates_url: String,
}

#[derive(Serialize)]
pub(super) struct CertificateInfo {
    pub(super) subject: String,
    pub(super) extensions: String,
    #[serde(rename = "key-algorithm")]
    pub(super) key_algorithm: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct InfoResponse {
    csr_url: String,
    api: InfoApi,
    certificate: CertificateInfo,
}

/// The `token` query parameter of a token-guarded call, resolved to its application.
fn token_of(state: &State, request: &Request<Incoming>) -> Result<(String, String), ApiError> {
    let token = form_urlencoded::parse(request.uri().query().unwrap_or("").as_bytes())
        .find(|(key, _)| key == "token")
        .map(|(_, value)| value.into_owned())
        .filter(|token| !token.is_empty())
        .ok_or_else(|| ApiError::forbidden("Token not provided."))?;
    let application = state
        .tokens
        .resolve(&token)
        .ok_or_else(|| ApiError::forbidden("Invalid token."))?;
    Ok((token, application))
}

/// §4.2: the presented token is used up; a new one goes into `csrUrl`.
pub(super) fn signing_request_info(state: &State, request: &Request<Incoming>) -> Answer {
    let (token, application) = token_of(state, request)?;
    let new_token = state
        .tokens
        .mint(&application)
        .map_err(|_| ApiError::internal("Failed to resolve token."))?;
    state.tokens.consume(&token);
    tracing::info!(application, "connector: served signing request info");
    Ok(json(
        StatusCode::OK,
        &InfoResponse {
            csr_url: format!("{}?token={new_token}", state.certificates_url()),
            api: InfoApi {
                application: state.application_urls(&application),
                info_url: format!("{}/v1/applications/management/info", state.base_url),
                certificates_url: state.certificates_url(),
            },
            certificate: state.certificate_info(&application),
        },
    ))
}

/// §4.3: a 2xx uses the token up; a refused CSR (400) leaves it usable.
pub(super) async fn sign_certificate(state: &State, request: Request<Incoming>) -> Answer {
    let (token, application) = token_of(state, &request)?;
    let csr = api::read_csr(request.into_body()).await?;
    let csr = check_csr(&csr, &application, &state.config.subject)
        .map_err(|refused| ApiError::bad_request(refused.0))?;
    let client_pem = state
        .authority
        .sign(
            csr,
            state.certificate_validity(),
            UPSTREAM_SERIAL,
            SignedKey::FromCsr,
        )
        .map_err(|refused| ApiError::internal(refused.0))?;
    state.tokens.consume(&token);
    tracing::info!(application, "connector: issued a client certificate");
    Ok(api::issued(state, &client_pem))
}
