//! The TokenRequest CRD schema as Kyma installed it, applied to `serde_json::Value`s the way a
//! kube-apiserver does: pruning of undeclared fields (apiextensions v1 only), dropping of nulls,
//! OpenAPI validation into `StatusCause`s, and object-name validation.

use serde_json::{Map, Value};

/// Which CRD flavour the server serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SchemaVersion {
    /// apiextensions v1 (Kyma 2.0–2.2): structural, undeclared fields such as `context` pruned.
    #[default]
    Kyma2,
    /// apiextensions v1beta1 (Kyma 1.x): validated, but nothing pruned.
    Kyma1,
}

impl SchemaVersion {
    pub fn prunes(self) -> bool {
        matches!(self, SchemaVersion::Kyma2)
    }
}

/// One `details.causes[]` entry of a 422 `Status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusCause {
    pub reason: &'static str,
    pub field: String,
    /// The message without the field, e.g. `Required value`.
    pub message: String,
}

impl StatusCause {
    fn required(field: impl Into<String>, detail: Option<&str>) -> Self {
        let message = match detail {
            Some(detail) => format!("Required value: {detail}"),
            None => "Required value".to_string(),
        };
        StatusCause {
            reason: "FieldValueRequired",
            field: field.into(),
            message,
        }
    }

    fn invalid(field: impl Into<String>, value: &str, detail: &str) -> Self {
        StatusCause {
            reason: "FieldValueInvalid",
            field: field.into(),
            message: format!("Invalid value: {}: {detail}", quote(value)),
        }
    }

    fn type_invalid(field: &str, actual: &str, expected: &str) -> Self {
        StatusCause {
            reason: "FieldValueTypeInvalid",
            field: field.to_string(),
            message: format!(
                "Invalid value: {}: {field} in body must be of type {expected}: {}",
                quote(actual),
                quote(actual)
            ),
        }
    }

    /// `field: message`, as the Status message lists causes.
    pub fn summary(&self) -> String {
        format!("{}: {}", self.field, self.message)
    }
}

/// Go's `%q` for the plain strings that appear in messages.
fn quote(text: &str) -> String {
    Value::String(text.to_string()).to_string()
}

const DNS1123_SUBDOMAIN_MAX: usize = 253;
const DNS1123_SUBDOMAIN_ERROR: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

fn is_dns1123_subdomain(value: &str) -> bool {
    let alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    !value.is_empty()
        && value.split('.').all(|label| {
            let bytes = label.as_bytes();
            !bytes.is_empty()
                && alnum(bytes[0])
                && alnum(bytes[bytes.len() - 1])
                && bytes.iter().all(|&c| alnum(c) || c == b'-')
        })
}

/// The messages `IsDNS1123Subdomain` gives for `value`; empty when it is valid.
pub fn dns1123_subdomain_errors(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if value.len() > DNS1123_SUBDOMAIN_MAX {
        errors.push(format!(
            "must be no more than {DNS1123_SUBDOMAIN_MAX} characters"
        ));
    }
    if !is_dns1123_subdomain(value) {
        errors.push(DNS1123_SUBDOMAIN_ERROR.to_string());
    }
    errors
}

/// Validates `metadata.name` / `metadata.generateName` as `ValidateObjectMeta` does for a
/// namespaced object whose name was already generated.
pub fn validate_object_name(name: &str, generate_name: &str) -> Vec<StatusCause> {
    let mut causes = Vec::new();
    if !generate_name.is_empty() {
        // A generateName prefix may end in '-': the generated suffix follows it.
        let prefix = generate_name.strip_suffix('-').unwrap_or(generate_name);
        for error in dns1123_subdomain_errors(prefix) {
            causes.push(StatusCause::invalid(
                "metadata.generateName",
                generate_name,
                &error,
            ));
        }
    }
    if name.is_empty() {
        causes.push(StatusCause::required(
            "metadata.name",
            Some("name or generateName is required"),
        ));
    } else {
        for error in dns1123_subdomain_errors(name) {
            causes.push(StatusCause::invalid("metadata.name", name, &error));
        }
    }
    causes
}

/// Fields `ObjectMeta` knows; anything else under `metadata` is unknown and dropped.
pub(crate) const OBJECT_META_FIELDS: &[&str] = &[
    "annotations",
    "creationTimestamp",
    "deletionGracePeriodSeconds",
    "deletionTimestamp",
    "finalizers",
    "generateName",
    "generation",
    "labels",
    "managedFields",
    "name",
    "namespace",
    "ownerReferences",
    "resourceVersion",
    "selfLink",
    "uid",
];
const TOP_LEVEL_FIELDS: &[&str] = &["apiVersion", "kind", "metadata", "status"];
/// `status.required` in the order the CRD lists it; causes follow this order.
pub const STATUS_REQUIRED: &[&str] = &["token", "url", "expireAfter", "application", "state"];

/// Prunes what the schema does not declare (Kyma2 only) and drops nulls of non-nullable fields,
/// as the apiserver's decoding does. Returns the pruned paths (`context`, `status.foo`), which
/// are the "unknown fields" of `fieldValidation`.
pub fn prune(schema: SchemaVersion, object: &mut Value) -> Vec<String> {
    let mut unknown = Vec::new();
    let Some(root) = object.as_object_mut() else {
        return unknown;
    };
    if schema.prunes() {
        remove_undeclared(root, TOP_LEVEL_FIELDS, "", &mut unknown);
        if let Some(Value::Object(metadata)) = root.get_mut("metadata") {
            remove_undeclared(metadata, OBJECT_META_FIELDS, "metadata.", &mut unknown);
        }
        if let Some(Value::Object(status)) = root.get_mut("status") {
            remove_undeclared(status, STATUS_REQUIRED, "status.", &mut unknown);
        }
    }
    // Non-nullable fields holding null are dropped before validation, so a null required
    // field reads as "Required value" (update-status-null-expire).
    if root.get("status").is_some_and(Value::is_null) {
        root.remove("status");
    }
    if let Some(Value::Object(status)) = root.get_mut("status") {
        status.retain(|_, value| !value.is_null());
    }
    unknown
}

pub(crate) fn remove_undeclared(
    map: &mut Map<String, Value>,
    declared: &[&str],
    prefix: &str,
    unknown: &mut Vec<String>,
) {
    let undeclared: Vec<String> = map
        .keys()
        .filter(|key| !declared.contains(&key.as_str()))
        .cloned()
        .collect();
    for key in undeclared {
        map.remove(&key);
        unknown.push(format!("{prefix}{key}"));
    }
}

/// The JSON type name OpenAPI validation reports for a value.
fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(number) if number.is_i64() || number.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn is_date_time(text: &str) -> bool {
    text.parse::<jiff::Timestamp>().is_ok()
}

/// Validates the (already pruned) object against the CRD's OpenAPI schema.
pub fn validate_schema(object: &Value) -> Vec<StatusCause> {
    let mut causes = Vec::new();
    for field in ["apiVersion", "kind"] {
        if let Some(value) = object.get(field).filter(|value| !value.is_string()) {
            causes.push(StatusCause::type_invalid(field, json_type(value), "string"));
        }
    }
    let Some(status) = object.get("status") else {
        return causes;
    };
    let Some(status) = status.as_object() else {
        causes.push(StatusCause::type_invalid(
            "status",
            json_type(status),
            "object",
        ));
        return causes;
    };
    for field in STATUS_REQUIRED {
        if !status.contains_key(*field) {
            causes.push(StatusCause::required(format!("status.{field}"), None));
        }
    }
    for field in STATUS_REQUIRED {
        let path = format!("status.{field}");
        match status.get(*field) {
            Some(Value::String(text)) if *field == "expireAfter" && !is_date_time(text) => {
                causes.push(StatusCause::invalid(
                    path.clone(),
                    text,
                    &format!("{path} in body must be of type date-time: {}", quote(text)),
                ));
            }
            Some(value) if !value.is_string() => {
                causes.push(StatusCause::type_invalid(&path, json_type(value), "string"));
            }
            _ => {}
        }
    }
    causes
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn name_validation_matches_the_recorded_message() {
        let causes = validate_object_name("Test_App", "");
        assert_eq!(causes.len(), 1);
        assert_eq!(causes[0].reason, "FieldValueInvalid");
        assert_eq!(
            causes[0].summary(),
            "metadata.name: Invalid value: \"Test_App\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
        );
    }

    #[test]
    fn empty_name_is_required() {
        let causes = validate_object_name("", "");
        assert_eq!(
            causes[0].summary(),
            "metadata.name: Required value: name or generateName is required"
        );
        assert_eq!(causes[0].reason, "FieldValueRequired");
    }

    #[test]
    fn subdomain_rules() {
        for good in ["a", "test-app", "a.b-c.d", "0x", &"a".repeat(253)] {
            assert!(dns1123_subdomain_errors(good).is_empty(), "{good}");
        }
        for bad in ["", "-a", "a-", "A", "a..b", "a_b", ".a", "a."] {
            assert_eq!(dns1123_subdomain_errors(bad).len(), 1, "{bad}");
        }
        let long = "a".repeat(254);
        assert_eq!(
            dns1123_subdomain_errors(&long),
            vec!["must be no more than 253 characters".to_string()]
        );
        assert!(validate_object_name("gen-abcde", "gen-").is_empty());
        assert_eq!(validate_object_name("Gen-abcde", "Gen-").len(), 2);
    }

    #[test]
    fn kyma2_prunes_context_spec_and_unknown_status_fields() {
        let mut object = json!({
            "apiVersion": "v", "kind": "k", "metadata": {"name": "a", "bogus": 1},
            "context": {"tenant": "t"}, "spec": {"x": 1},
            "status": {"token": "t", "url": "u", "expireAfter": "2026-01-01T00:00:00Z",
                       "application": "a", "state": "OK", "extra": true}
        });
        let unknown = prune(SchemaVersion::Kyma2, &mut object);
        assert_eq!(
            unknown,
            vec!["context", "spec", "metadata.bogus", "status.extra"]
        );
        assert!(object.get("context").is_none());
        assert!(object["metadata"].get("bogus").is_none());
        assert!(object["status"].get("extra").is_none());
        assert!(validate_schema(&object).is_empty());
    }

    #[test]
    fn kyma1_keeps_everything() {
        let mut object = json!({"metadata": {"name": "a"}, "context": {"tenant": "t"}});
        assert!(prune(SchemaVersion::Kyma1, &mut object).is_empty());
        assert_eq!(object["context"]["tenant"], "t");
    }

    #[test]
    fn partial_status_lists_missing_fields_in_required_order() {
        let causes = validate_schema(&json!({"status": {"state": "OK"}}));
        let fields: Vec<_> = causes.iter().map(|cause| cause.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "status.token",
                "status.url",
                "status.expireAfter",
                "status.application"
            ]
        );
        assert!(causes.iter().all(|cause| cause.message == "Required value"));
    }

    #[test]
    fn null_expire_after_is_a_required_value() {
        let mut object = json!({"status": {"token": "", "url": "", "expireAfter": null,
                                           "application": "a", "state": "Error"}});
        prune(SchemaVersion::Kyma2, &mut object);
        let causes = validate_schema(&object);
        assert_eq!(causes.len(), 1);
        assert_eq!(causes[0].summary(), "status.expireAfter: Required value");
    }

    #[test]
    fn types_are_checked() {
        let causes = validate_schema(
            &json!({"status": {"token": 5, "url": "", "expireAfter": "soon",
                                                        "application": "a", "state": "OK"}}),
        );
        assert_eq!(causes.len(), 2);
        assert_eq!(causes[0].reason, "FieldValueTypeInvalid");
        assert_eq!(
            causes[0].message,
            "Invalid value: \"integer\": status.token in body must be of type string: \"integer\""
        );
        assert_eq!(causes[1].field, "status.expireAfter");
        assert_eq!(
            causes[1].message,
            "Invalid value: \"soon\": status.expireAfter in body must be of type date-time: \"soon\""
        );
        let causes = validate_schema(&json!({"status": "x"}));
        assert_eq!(causes[0].field, "status");
    }
}
