//! The Kyma `TokenRequest` type and the rules that read it.
//!
//! The CRD has no `spec`, so `#[derive(CustomResource)]` does not fit: the struct and its
//! `kube::Resource` impl are written by hand. Status fields are kept as the server sent them
//! (strings, possibly missing or malformed) and judged by the methods below, so an odd object
//! from the server is shown as it is instead of failing to parse.

use std::borrow::Cow;
use std::fmt;

use jiff::Timestamp;
use k8s_openapi::NamespaceResourceScope;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::core::TypeMeta;
use serde::{Deserialize, Deserializer, Serialize};

use crate::text::quote_for_message;

mod labels;
mod names;

pub use labels::{check_label_key, check_label_value, check_selector};
pub use names::{validate_name, validate_namespace};

pub const GROUP: &str = "applicationconnector.kyma-project.io";
pub const VERSION: &str = "v1alpha1";
/// `GROUP/VERSION`, as objects carry it.
pub const API_VERSION: &str = "applicationconnector.kyma-project.io/v1alpha1";
pub const KIND: &str = "TokenRequest";
pub const PLURAL: &str = "tokenrequests";
/// `kubectl`'s name for the resource type: `TYPE/name` in `-o name` and in mutation messages.
pub const RESOURCE_NAME: &str = "tokenrequest.applicationconnector.kyma-project.io";
/// The CRD's full name, as users find it with `kubectl get crd`.
pub const CRD_NAME: &str = "tokenrequests.applicationconnector.kyma-project.io";
/// The Kyma component whose controller fills in the status.
pub const CONTROLLER_NAME: &str = "connection-token-handler";

/// A TokenRequest as the API server stores it.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct TokenRequest {
    #[serde(flatten, default)]
    pub types: Option<TypeMeta>,
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Tenant and group for the Connector Service's central mode. Pruned by the Kyma 2.x schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<ClusterContext>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<TokenRequestStatus>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct ClusterContext {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

impl ClusterContext {
    /// Whether `value` is taken as a tenant or group: non-empty, no control characters. One
    /// rule for `--tenant`/`--group` and a manifest's `context` alike.
    pub fn takes(value: &str) -> bool {
        !value.is_empty() && !value.chars().any(char::is_control)
    }
}

/// The status the controller writes. Every field is optional and a non-string value is kept
/// as its JSON text, so malformed objects can still be listed and judged.
#[derive(Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct TokenRequestStatus {
    #[serde(default, deserialize_with = "lenient_string")]
    pub token: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub expire_after: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub application: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub state: Option<String>,
}

/// Debug output never shows the token or the URL (which carries the token): Debug ends up in
/// logs and error chains.
impl fmt::Debug for TokenRequestStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |v: &Option<String>| v.as_ref().map(|_| "<redacted>");
        f.debug_struct("TokenRequestStatus")
            .field("token", &redacted(&self.token))
            .field("url", &redacted(&self.url))
            .field("expire_after", &self.expire_after)
            .field("application", &self.application)
            .field("state", &self.state)
            .finish()
    }
}

fn lenient_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(match serde_json::Value::deserialize(deserializer)? {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s),
        other => Some(other.to_string()),
    })
}

impl kube::Resource for TokenRequest {
    type DynamicType = ();
    type Scope = NamespaceResourceScope;

    fn kind(_: &()) -> Cow<'_, str> {
        KIND.into()
    }
    fn group(_: &()) -> Cow<'_, str> {
        GROUP.into()
    }
    fn version(_: &()) -> Cow<'_, str> {
        VERSION.into()
    }
    fn plural(_: &()) -> Cow<'_, str> {
        PLURAL.into()
    }
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn meta_mut(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
}

impl TokenRequest {
    /// The object `create` sends: apiVersion, kind, metadata.name and, only when both are
    /// given, the context. Never a status (a partial status fails the CRD's validation).
    pub fn new(name: &str, context: Option<ClusterContext>) -> Self {
        TokenRequest {
            types: Some(TypeMeta {
                api_version: API_VERSION.to_string(),
                kind: KIND.to_string(),
            }),
            metadata: ObjectMeta {
                name: Some(name.to_string()),
                ..ObjectMeta::default()
            },
            context,
            status: None,
        }
    }

    pub fn name(&self) -> &str {
        self.metadata.name.as_deref().unwrap_or_default()
    }

    pub fn namespace(&self) -> &str {
        self.metadata.namespace.as_deref().unwrap_or_default()
    }

    /// Where the request stands, judged from its status.
    pub fn phase(&self) -> Phase<'_> {
        let Some(status) = &self.status else {
            return Phase::Pending;
        };
        match status.state.as_deref() {
            None | Some("") => Phase::Pending,
            Some("OK") => match (non_empty(&status.token), non_empty(&status.url)) {
                (Some(token), Some(url)) => Phase::Ready { token, url },
                _ => Phase::IssuedWithoutToken,
            },
            // The code writes "Error"; Kyma's docs say "ERR". Both are failures.
            Some("Error") | Some("ERR") => Phase::Failed,
            Some(other) => Phase::Unknown(other),
        }
    }

    /// `status.expireAfter`: `None` when there is none yet, `Err` with the raw text when it is
    /// not an RFC 3339 timestamp.
    pub fn expire_after(&self) -> Option<Result<Timestamp, &str>> {
        let raw = self.status.as_ref()?.expire_after.as_deref()?;
        Some(raw.parse::<Timestamp>().map_err(|_| raw))
    }

    /// True only when the expiry is known and lies before `now`.
    pub fn is_expired_at(&self, now: Timestamp) -> bool {
        matches!(self.expire_after(), Some(Ok(t)) if t < now)
    }

    /// The Application the token is for: the controller copies it into the status; until then
    /// the request's name, which is the Application's name by contract.
    pub fn application(&self) -> &str {
        self.status
            .as_ref()
            .and_then(|s| s.application.as_deref())
            .filter(|a| !a.is_empty())
            .unwrap_or(self.name())
    }

    /// `status.url` with its secrets masked, for output that may end up in a log: every value
    /// of the query (the Connector Service puts the token there) and the token wherever else
    /// it appears become [`MASK`]. `None` without a URL.
    pub fn masked_url(&self) -> Option<String> {
        let status = self.status.as_ref()?;
        let url = non_empty(&status.url)?;
        let (base, rest) = match url.split_once('?') {
            Some((base, rest)) => (base, Some(rest)),
            None => (url, None),
        };
        let mut masked = base.to_string();
        if let Some(rest) = rest {
            let (query, fragment) = match rest.split_once('#') {
                Some((query, fragment)) => (query, Some(fragment)),
                None => (rest, None),
            };
            let pairs: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((key, _)) => format!("{key}={MASK}"),
                    None if pair.is_empty() => String::new(),
                    None => MASK.to_string(),
                })
                .collect();
            masked.push('?');
            masked.push_str(&pairs.join("&"));
            if let Some(fragment) = fragment {
                masked.push('#');
                masked.push_str(fragment);
            }
        }
        if let Some(token) = non_empty(&status.token) {
            masked = masked.replace(token, MASK);
        }
        Some(masked)
    }

    pub fn created_at(&self) -> Option<Timestamp> {
        self.metadata.creation_timestamp.as_ref().map(|t| t.0)
    }

    /// The token and URL, when the request is usable at `now`: the controller answered OK
    /// with both, and the expiry (if it can be read) has not passed. Otherwise why not.
    pub fn usable_at(&self, now: Timestamp) -> Result<Credentials<'_>, Unusable> {
        match self.phase() {
            Phase::Ready { token, url } => match self.expire_after() {
                Some(Ok(at)) if at < now => Err(Unusable::Expired { at }),
                _ => Ok(Credentials { token, url }),
            },
            Phase::Pending => Err(Unusable::Pending),
            Phase::IssuedWithoutToken => Err(Unusable::IssuedWithoutToken),
            Phase::Failed => Err(Unusable::Failed),
            Phase::Unknown(state) => Err(Unusable::UnknownState(state.to_string())),
        }
    }
}

/// What stands for a secret in output that hides it.
pub const MASK: &str = "<hidden>";

/// The secrets of a usable request. Not `Debug`: they must not reach a log.
#[derive(Clone, Copy)]
pub struct Credentials<'a> {
    pub token: &'a str,
    /// The Connector Service info URL; it carries the token.
    pub url: &'a str,
}

/// Why a request's token cannot be used now. Holds no secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unusable {
    Pending,
    IssuedWithoutToken,
    Failed,
    UnknownState(String),
    Expired { at: Timestamp },
}

impl fmt::Display for Unusable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unusable::Pending => write!(f, "the {CONTROLLER_NAME} controller has not answered yet"),
            Unusable::IssuedWithoutToken => {
                f.write_str("the controller reported OK without a token and will retry")
            }
            Unusable::Failed => f.write_str("the controller reported state Error"),
            Unusable::UnknownState(state) => {
                write!(f, "its state {} is unknown", quote_for_message(state))
            }
            Unusable::Expired { at } => write!(f, "its token expired at {at}"),
        }
    }
}

impl std::error::Error for Unusable {}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|s| !s.is_empty())
}

/// Where a TokenRequest stands. Its `Debug` never shows the token or the URL.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Phase<'a> {
    /// No status yet: the controller has not answered.
    Pending,
    /// `state: OK` with a token and a URL.
    Ready { token: &'a str, url: &'a str },
    /// `state: OK` but no token: the Connector Service failed and the controller will retry.
    IssuedWithoutToken,
    /// `state: Error` (or the documented spelling `ERR`).
    Failed,
    /// A state nobody documented.
    Unknown(&'a str),
}

/// Debug output ends up in logs and error chains: the token and the URL (which carries the
/// token) are redacted, as in [`TokenRequestStatus`]'s.
impl fmt::Debug for Phase<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Phase::Pending => f.write_str("Pending"),
            Phase::Ready { .. } => f
                .debug_struct("Ready")
                .field("token", &"<redacted>")
                .field("url", &"<redacted>")
                .finish(),
            Phase::IssuedWithoutToken => f.write_str("IssuedWithoutToken"),
            Phase::Failed => f.write_str("Failed"),
            Phase::Unknown(state) => f.debug_tuple("Unknown").field(state).finish(),
        }
    }
}

impl Phase<'_> {
    /// The STATE column: the state as the server spells it, or `<pending>`.
    pub fn label(&self) -> &str {
        match self {
            Phase::Pending => "<pending>",
            Phase::Ready { .. } | Phase::IssuedWithoutToken => "OK",
            Phase::Failed => "Error",
            Phase::Unknown(state) => state,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_status(status: serde_json::Value) -> TokenRequest {
        serde_json::from_value(serde_json::json!({
            "apiVersion": "applicationconnector.kyma-project.io/v1alpha1",
            "kind": "TokenRequest",
            "metadata": {"name": "app", "namespace": "ns"},
            "status": status,
        }))
        .unwrap()
    }

    #[test]
    fn new_request_carries_only_type_name_and_context() {
        let json = serde_json::to_value(TokenRequest::new("my-app", None)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "apiVersion": "applicationconnector.kyma-project.io/v1alpha1",
                "kind": "TokenRequest",
                "metadata": {"name": "my-app"},
            })
        );
        let ctx = ClusterContext {
            tenant: Some("t".into()),
            group: Some("g".into()),
        };
        let json = serde_json::to_value(TokenRequest::new("my-app", Some(ctx))).unwrap();
        assert_eq!(
            json["context"],
            serde_json::json!({"tenant": "t", "group": "g"})
        );
        assert!(json.get("status").is_none());
    }

    #[test]
    fn phase_follows_the_controller_contract() {
        let ok = with_status(serde_json::json!({
            "state": "OK", "token": "tok", "url": "https://x/?token=tok",
            "expireAfter": "2026-11-27T18:41:26Z", "application": "app"}));
        assert_eq!(
            ok.phase(),
            Phase::Ready {
                token: "tok",
                url: "https://x/?token=tok"
            }
        );
        let empty = with_status(serde_json::json!({"state": "OK", "token": "", "url": ""}));
        assert_eq!(empty.phase(), Phase::IssuedWithoutToken);
        assert_eq!(
            with_status(serde_json::json!({"state": "Error"})).phase(),
            Phase::Failed
        );
        assert_eq!(
            with_status(serde_json::json!({"state": "ERR"})).phase(),
            Phase::Failed
        );
        assert_eq!(
            with_status(serde_json::json!({"state": "Weird"})).phase(),
            Phase::Unknown("Weird")
        );
        assert_eq!(TokenRequest::new("a", None).phase(), Phase::Pending);
    }

    #[test]
    fn malformed_status_is_kept_not_rejected() {
        let odd = with_status(serde_json::json!({"state": 7, "expireAfter": "tomorrow"}));
        assert_eq!(odd.phase(), Phase::Unknown("7"));
        assert_eq!(odd.expire_after(), Some(Err("tomorrow")));
        assert!(!odd.is_expired_at(Timestamp::now()));
    }

    #[test]
    fn usable_means_ok_with_token_and_url_and_not_expired() {
        let ok = with_status(serde_json::json!({
            "state": "OK", "token": "tok", "url": "https://x/?token=tok",
            "expireAfter": "2026-11-27T18:41:26Z"}));
        let before: Timestamp = "2026-11-27T18:41:25Z".parse().unwrap();
        let after: Timestamp = "2026-11-27T18:41:27Z".parse().unwrap();
        let credentials = ok.usable_at(before).unwrap();
        assert_eq!(
            (credentials.token, credentials.url),
            ("tok", "https://x/?token=tok")
        );
        let expired = ok.usable_at(after).err().unwrap();
        assert_eq!(
            expired,
            Unusable::Expired {
                at: "2026-11-27T18:41:26Z".parse().unwrap()
            }
        );
        assert_eq!(
            expired.to_string(),
            "its token expired at 2026-11-27T18:41:26Z"
        );
        let cases = [
            (TokenRequest::new("a", None), Unusable::Pending),
            (
                with_status(serde_json::json!({"state": "OK", "token": ""})),
                Unusable::IssuedWithoutToken,
            ),
            (
                with_status(serde_json::json!({"state": "Error"})),
                Unusable::Failed,
            ),
            (
                with_status(serde_json::json!({"state": "Odd"})),
                Unusable::UnknownState("Odd".into()),
            ),
        ];
        for (request, why) in cases {
            assert_eq!(request.usable_at(before).err(), Some(why));
        }
        // An unreadable expiry does not make a token unusable: the server decides.
        let odd = with_status(serde_json::json!({
            "state": "OK", "token": "t", "url": "u", "expireAfter": "soon"}));
        assert!(odd.usable_at(after).is_ok());
    }

    #[test]
    fn expiry_is_compared_with_now() {
        let tr = with_status(serde_json::json!({"expireAfter": "2026-11-27T18:41:26Z"}));
        let before: Timestamp = "2026-11-27T18:41:25Z".parse().unwrap();
        let after: Timestamp = "2026-11-27T18:41:27Z".parse().unwrap();
        assert!(!tr.is_expired_at(before));
        assert!(tr.is_expired_at(after));
    }

    #[test]
    fn masked_url_hides_every_query_value_and_the_token() {
        let masked = |status: serde_json::Value| with_status(status).masked_url();
        assert_eq!(
            masked(serde_json::json!({"token": "SECRET", "url": "https://h:8/info?token=SECRET"})),
            Some("https://h:8/info?token=<hidden>".to_string())
        );
        assert_eq!(
            masked(serde_json::json!({"token": "S3", "url": "https://h/S3/x?a=1&S3&b=#frag-S3"})),
            Some("https://h/<hidden>/x?a=<hidden>&<hidden>&b=<hidden>#frag-<hidden>".to_string())
        );
        assert_eq!(
            masked(serde_json::json!({"url": "https://h/x"})),
            Some("https://h/x".to_string())
        );
        assert_eq!(masked(serde_json::json!({"url": ""})), None);
        assert_eq!(TokenRequest::new("a", None).masked_url(), None);
    }

    #[test]
    fn debug_output_hides_token_and_url() {
        let tr =
            with_status(serde_json::json!({"token": "SECRET", "url": "https://h/?token=SECRET"}));
        let debug = format!("{tr:?}");
        assert!(!debug.contains("SECRET"), "{debug}");
        assert!(debug.contains("<redacted>"));

        let ready = with_status(serde_json::json!({
            "state": "OK", "token": "SECRET", "url": "https://h/?token=SECRET"
        }));
        let phase = ready.phase();
        assert!(matches!(
            phase,
            Phase::Ready {
                token: "SECRET",
                ..
            }
        ));
        let debug = format!("{phase:?} {phase:#?}");
        assert!(!debug.contains("SECRET"), "{debug}");
        assert_eq!(
            format!("{phase:?}"),
            r#"Ready { token: "<redacted>", url: "<redacted>" }"#
        );
        assert_eq!(format!("{:?}", Phase::Unknown("Odd")), r#"Unknown("Odd")"#);
    }
}
