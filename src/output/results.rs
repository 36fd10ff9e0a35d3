//! What a run over several Applications (`create A B C`, `connect -f`) prints at its end: a
//! summary table (one row per Application: what happened, state, expiry or directory, the
//! error in a few words), or the results as a `List` for scripts (`-o json|yaml`, jsonpath), or
//! one name a line (`-o name`).

use serde::Serialize;
use serde_json::Value;

use super::table::{StateColor, TableRow};
use super::tabwriter::TabWriter;
use super::value::{to_json, to_yaml};
use super::{OutputError, OutputFormat};
use crate::tokenrequest::RESOURCE_NAME;

/// What happened to one Application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The request was created and has its token (`create`).
    Ready,
    /// The request was created; the run did not wait (`--no-wait`, `--timeout 0`).
    Created,
    /// A dry run: what would have been created.
    DryRun,
    /// The certificate was issued, written and proven (`connect`).
    Connected,
    /// Its directory holds a certificate the service accepts and that is not due: left alone.
    AlreadyConnected,
    /// The request was deleted (`delete`).
    Deleted,
    /// The certificate was renewed and the files replaced (`renew`).
    Renewed,
    /// More than `--before` is left: nothing was changed (`renew`).
    NotDue,
    /// The certificate was revoked and the files marked (`revoke`), or had been already.
    Revoked,
    /// Something failed: see `error`.
    Failed,
}

impl Outcome {
    fn text(self) -> &'static str {
        match self {
            Outcome::Ready => "ready",
            Outcome::Created => "created",
            Outcome::DryRun => "created (dry run)",
            Outcome::Connected => "connected",
            Outcome::AlreadyConnected => "already connected",
            Outcome::Deleted => "deleted",
            Outcome::Renewed => "renewed",
            Outcome::NotDue => "not due",
            Outcome::Revoked => "revoked",
            Outcome::Failed => "failed",
        }
    }
}

/// One Application's result, as the table shows it and `-o json` writes it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemResult {
    pub name: String,
    pub namespace: String,
    pub outcome: Outcome,
    /// The exit code the command would have had for this Application alone.
    pub exit_code: i32,
    /// Where the Application came from: `APP` on the command line, or `FILE, document N`.
    pub origin: String,
    /// The request's status as the controller wrote it (`create`; it holds the token, which
    /// only `-o json|yaml|jsonpath` print: the table shows state and expiry).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Value>,
    /// The connection's files (`connect`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub files: Option<Files>,
    /// When the client certificate expires (`connect`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate_expires: Option<jiff::Timestamp>,
    /// What went wrong, in full.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// What went wrong, in a few words (the summary table's ERROR column).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// What a run made, which decides the summary's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Made {
    /// TokenRequests (`create`): their state and token expiry.
    Requests,
    /// Connections (`connect`): their certificate's expiry and directory.
    Connections,
}

impl ItemResult {
    /// `name` in `namespace` came to `outcome` (exit code 0, nothing else said yet).
    pub fn new(name: &str, namespace: &str, outcome: Outcome, origin: &str) -> Self {
        ItemResult {
            name: name.to_string(),
            namespace: namespace.to_string(),
            outcome,
            exit_code: 0,
            origin: origin.to_string(),
            status: None,
            files: None,
            certificate_expires: None,
            error: None,
            reason: None,
        }
    }
}

/// The files a connection is made of.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Files {
    pub directory: String,
    pub private_key: String,
    pub certificate: String,
    pub ca_certificate: String,
    pub certificate_chain: String,
    pub configuration: String,
}

/// The results in `format`: the summary table by default (`Human`, `Wide`), the `List` for
/// `-o json|yaml|jsonpath*`, names for `-o name`. The credentials formats never get here (the
/// commands refuse them for more than one Application).
pub fn render_results(
    results: &[ItemResult],
    made: Made,
    format: &OutputFormat,
    color: bool,
) -> Result<String, OutputError> {
    let list = || -> Result<Value, OutputError> {
        let items = serde_json::to_value(results).map_err(|err| OutputError::Serialize {
            format: "JSON",
            reason: err.to_string(),
        })?;
        Ok(serde_json::json!({"apiVersion": "v1", "kind": "List", "items": items}))
    };
    match format {
        OutputFormat::Json => to_json(&list()?).map(|text| text + "\n"),
        OutputFormat::Yaml => to_yaml(&list()?),
        OutputFormat::JsonPath(template) => template.render(&list()?),
        OutputFormat::JsonPathAsJson(template) => template.render_json(&list()?),
        OutputFormat::Name => Ok(results
            .iter()
            .map(|result| format!("{RESOURCE_NAME}/{}\n", result.name))
            .collect()),
        _ => Ok(summary(results, made, color)),
    }
}

/// The table: NAMESPACE (when there are several), NAME, RESULT, then STATE and EXPIRES (the
/// token's) of requests or EXPIRES (the certificate's) and DIRECTORY of connections, and
/// ERROR (in a few words).
fn summary(results: &[ItemResult], made: Made, color: bool) -> String {
    let several_namespaces = results
        .windows(2)
        .any(|pair| pair[0].namespace != pair[1].namespace);
    let mut header = vec!["NAME", "RESULT"];
    header.extend(match made {
        Made::Requests => ["STATE", "EXPIRES"],
        Made::Connections => ["EXPIRES", "DIRECTORY"],
    });
    header.push("ERROR");
    if several_namespaces {
        header.insert(0, "NAMESPACE");
    }
    let mut rows = vec![TableRow {
        cells: header.iter().map(|cell| cell.to_string()).collect(),
        state_column: None,
        state_color: StateColor::Yellow,
    }];
    for result in results {
        let field = |name: &str| {
            result
                .status
                .as_ref()
                .and_then(|status| status.get(name))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let mut cells = vec![result.name.clone(), result.outcome.text().to_string()];
        match made {
            Made::Requests => cells.extend([field("state"), field("expireAfter")]),
            Made::Connections => cells.extend([
                result
                    .certificate_expires
                    .map(|at| at.to_string())
                    .unwrap_or_default(),
                result
                    .files
                    .as_ref()
                    .map(|files| files.directory.clone())
                    .unwrap_or_default(),
            ]),
        }
        cells.push(result.reason.clone().unwrap_or_default());
        if several_namespaces {
            cells.insert(0, result.namespace.clone());
        }
        rows.push(TableRow {
            cells: cells
                .into_iter()
                .map(|cell| if cell.is_empty() { "-".into() } else { cell })
                .collect(),
            state_column: Some(usize::from(several_namespaces) + 1),
            state_color: match result.outcome {
                Outcome::Failed => StateColor::Red,
                Outcome::Created | Outcome::DryRun => StateColor::Yellow,
                _ => StateColor::Green,
            },
        });
    }
    TabWriter::default().block(&rows, color)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(name: &str, outcome: Outcome, error: Option<&str>) -> ItemResult {
        ItemResult {
            name: name.to_string(),
            namespace: "ns".to_string(),
            outcome,
            exit_code: if error.is_some() { 3 } else { 0 },
            origin: name.to_string(),
            status: (outcome == Outcome::Ready).then(|| {
                serde_json::json!({"state": "OK", "expireAfter": "2026-12-02T10:05:00Z",
                                   "token": "SECRET"})
            }),
            files: None,
            certificate_expires: None,
            error: error.map(str::to_string),
            reason: error.map(|e| e.split(". ").next().unwrap_or(e).to_string()),
        }
    }

    #[test]
    fn the_summary_shows_each_outcome_without_the_token() {
        let results = [
            result("a", Outcome::Ready, None),
            result(
                "b",
                Outcome::Failed,
                Some(
                    "the controller reported state \"Error\" for b: the Connector Service could not issue a token. Check the logs",
                ),
            ),
        ];
        let text = render_results(&results, Made::Requests, &OutputFormat::Human, false).unwrap();
        assert!(!text.contains("SECRET"), "{text}");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(
            lines[0].starts_with("NAME") && lines[0].ends_with("ERROR"),
            "{text}"
        );
        assert!(
            lines[1].starts_with("a ") && lines[1].contains("ready"),
            "{text}"
        );
        assert!(lines[1].contains("2026-12-02T10:05:00Z"), "{text}");
        assert!(lines[2].contains("failed"), "{text}");
        assert!(
            lines[2].ends_with("the Connector Service could not issue a token"),
            "in a few words: {text}"
        );
    }

    #[test]
    fn scripts_get_a_list_with_the_outcome_and_exit_code_of_each() {
        let results = [
            result("a", Outcome::Ready, None),
            result("b", Outcome::Failed, Some("x")),
        ];
        let json = render_results(&results, Made::Requests, &OutputFormat::Json, false).unwrap();
        let value: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["kind"], "List");
        assert_eq!(value["items"][0]["outcome"], "ready");
        assert_eq!(value["items"][0]["exitCode"], 0);
        assert_eq!(
            value["items"][0]["status"]["token"], "SECRET",
            "-o json asks for it"
        );
        assert_eq!(value["items"][1]["outcome"], "failed");
        assert_eq!(value["items"][1]["exitCode"], 3);
        assert_eq!(value["items"][1]["error"], "x");
        assert!(value["items"][1].get("status").is_none());
        let names = render_results(&results, Made::Requests, &OutputFormat::Name, false).unwrap();
        assert_eq!(names, format!("{RESOURCE_NAME}/a\n{RESOURCE_NAME}/b\n"));
    }
}
