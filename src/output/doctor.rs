//! `doctor`'s report: one line per check (mark, name, what was found) with the advice below
//! it, and a summary; or, for `-o json`, the checks as a stable array for CI.

use serde::Serialize;
use serde_json::Value;

use super::OutputError;
use super::value::{printable, to_json};

/// What a check concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    Ok,
    Warn,
    Fail,
    /// Not checked; the message says why.
    Skip,
}

impl CheckStatus {
    fn mark(self) -> &'static str {
        match self {
            CheckStatus::Ok => "ok",
            CheckStatus::Warn => "warn",
            CheckStatus::Fail => "fail",
            CheckStatus::Skip => "skip",
        }
    }
}

/// One check's result; the field names are the `-o json` keys.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// Stable, for scripts: `connection`, `identity`, `tokenrequest-api`, `permissions`,
    /// `controller`, `application`, `probe`.
    pub name: &'static str,
    pub status: CheckStatus,
    /// What was found.
    pub message: String,
    /// What to do, for anything not ok (`null` otherwise).
    pub hint: Option<String>,
    /// What was found, as data (an object; its keys depend on the check).
    pub details: Value,
}

/// Width of the name column: the longest name and a space.
const NAME_WIDTH: usize = 17;
/// Width of the mark column.
const MARK_WIDTH: usize = 6;

/// The report as lines, or as a JSON array.
pub fn render_checks(checks: &[Check], json: bool) -> Result<String, OutputError> {
    if json {
        // The struct's field order: name, status, message, hint, details.
        return Ok(to_json(checks)? + "\n");
    }
    let mut text = String::new();
    for check in checks {
        text.push_str(&format!(
            "{:<MARK_WIDTH$}{:<NAME_WIDTH$}{}\n",
            check.status.mark(),
            check.name,
            printable(&check.message)
        ));
        if let Some(hint) = &check.hint {
            text.push_str(&format!(
                "{:indent$}hint: {}\n",
                "",
                printable(hint),
                indent = MARK_WIDTH + NAME_WIDTH
            ));
        }
    }
    let count = |status| checks.iter().filter(|c| c.status == status).count();
    text.push_str(&format!(
        "\n{} ok, {} warn, {} fail, {} skip\n",
        count(CheckStatus::Ok),
        count(CheckStatus::Warn),
        count(CheckStatus::Fail),
        count(CheckStatus::Skip)
    ));
    Ok(text)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn checks() -> Vec<Check> {
        vec![
            Check {
                name: "connection",
                status: CheckStatus::Ok,
                message: "the API server answers: Kubernetes v1.36.2".into(),
                hint: None,
                details: json!({"version": "v1.36.2"}),
            },
            Check {
                name: "tokenrequest-api",
                status: CheckStatus::Fail,
                message: "not served\u{1b}[31m".into(),
                hint: Some("install it".into()),
                details: json!({"served": false}),
            },
        ]
    }

    #[test]
    fn lines_have_a_mark_a_name_and_the_advice_below() {
        assert_eq!(
            render_checks(&checks(), false).unwrap(),
            "ok    connection       the API server answers: Kubernetes v1.36.2\n\
             fail  tokenrequest-api not served\\u{1b}[31m\n\
             \x20                      hint: install it\n\
             \n\
             1 ok, 0 warn, 1 fail, 0 skip\n"
        );
    }

    #[test]
    fn json_is_an_array_of_the_five_fields() {
        let text = render_checks(&checks(), true).unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            value,
            json!([
                {"name": "connection", "status": "ok",
                 "message": "the API server answers: Kubernetes v1.36.2", "hint": null,
                 "details": {"version": "v1.36.2"}},
                {"name": "tokenrequest-api", "status": "fail", "message": "not served\u{1b}[31m",
                 "hint": "install it", "details": {"served": false}},
            ])
        );
        assert!(!text.contains('\u{1b}'), "escaped in JSON too");
        let keys: Vec<usize> = [
            "\"name\"",
            "\"status\"",
            "\"message\"",
            "\"hint\"",
            "\"details\"",
        ]
        .iter()
        .map(|key| text.find(key).unwrap())
        .collect();
        assert!(keys.is_sorted(), "fields in their documented order: {text}");
    }
}
