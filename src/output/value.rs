//! Objects as kubectl prints them (JSON, YAML), and text from the server made safe for a
//! terminal.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::Value;
use serde_json::ser::PrettyFormatter;

use super::OutputError;
use crate::tokenrequest::{API_VERSION, KIND, RESOURCE_NAME, TokenRequest};

/// A connection configuration fetched for `-o config` (YAML) or `-o config-json`.
pub fn render_connection_config(
    config: &impl Serialize,
    json: bool,
) -> Result<String, OutputError> {
    let value = serde_json::to_value(config).map_err(|err| OutputError::Serialize {
        format: "JSON",
        reason: err.to_string(),
    })?;
    if json {
        Ok(to_json(&value)? + "\n")
    } else {
        to_yaml(&value)
    }
}

/// `TYPE/name`, kubectl's `-o name`.
pub(super) fn name_line(tr: &TokenRequest) -> String {
    format!("{RESOURCE_NAME}/{}\n", tr.name())
}

/// The object as kubectl prints it: apiVersion and kind always set (list items may come
/// without them), `metadata.managedFields` left out (kubectl's default), no null status
/// fields, keys sorted (Go's encoding of unstructured objects).
pub(super) fn object_value(tr: &TokenRequest) -> Result<Value, OutputError> {
    let mut value = serde_json::to_value(tr).map_err(|err| OutputError::Serialize {
        format: "JSON",
        reason: err.to_string(),
    })?;
    if let Value::Object(object) = &mut value {
        object
            .entry("apiVersion")
            .or_insert_with(|| API_VERSION.into());
        object.entry("kind").or_insert_with(|| KIND.into());
        if let Some(Value::Object(metadata)) = object.get_mut("metadata") {
            metadata.remove("managedFields");
        }
        if let Some(Value::Object(status)) = object.get_mut("status") {
            status.retain(|_, field| !field.is_null());
        }
    }
    value.sort_all_objects();
    Ok(value)
}

/// kubectl's `List` wrapper, in the key order Go prints it.
pub(super) fn list_value(items: Vec<Value>) -> Value {
    serde_json::json!({
        "apiVersion": "v1",
        "items": items,
        "kind": "List",
        "metadata": {"resourceVersion": ""},
    })
}

/// Pretty JSON with kubectl's 4-space indentation, without a final newline.
pub(super) fn to_json(value: &(impl Serialize + ?Sized)) -> Result<String, OutputError> {
    let mut bytes = Vec::new();
    let mut serializer =
        serde_json::Serializer::with_formatter(&mut bytes, PrettyFormatter::with_indent(b"    "));
    value
        .serialize(&mut serializer)
        .map_err(|err| OutputError::Serialize {
            format: "JSON",
            reason: err.to_string(),
        })?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// YAML ending with a newline. Long strings stay on one line, as kubectl prints them (the
/// default would fold a long URL into a `>-` block that `grep url:` no longer finds).
pub(super) fn to_yaml(value: &Value) -> Result<String, OutputError> {
    let mut options = serde_saphyr::SerializerOptions::default();
    options.prefer_block_scalars = false;
    let mut text = serde_saphyr::to_string_with_options(value, options).map_err(|err| {
        OutputError::Serialize {
            format: "YAML",
            reason: err.to_string(),
        }
    })?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

/// Server text for a terminal: control characters escaped (`\u{1b}`), the rest unchanged.
pub(super) fn printable(text: &str) -> Cow<'_, str> {
    if text.chars().any(char::is_control) {
        Cow::Owned(
            text.chars()
                .map(|c| {
                    if c.is_control() {
                        c.escape_default().to_string()
                    } else {
                        c.to_string()
                    }
                })
                .collect(),
        )
    } else {
        Cow::Borrowed(text)
    }
}

pub(super) fn or_none(text: &str) -> Cow<'_, str> {
    if text.is_empty() {
        Cow::Borrowed("<none>")
    } else {
        printable(text)
    }
}
