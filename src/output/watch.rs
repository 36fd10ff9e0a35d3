//! `list -w`: the requests there are, then one line (or document) per change, as kubectl
//! 1.32's `get -w` prints them. Tables get one header, laid out with the requests there are as
//! one block sized by their content (or, when there are none, with the first change); each
//! change is then a block of its own, laid out with the widths so far, which it may widen but
//! never narrow (so later lines line up with earlier ones unless they are wider); an EVENT
//! column only with `--output-watch-events`. `-o json` prints one object per change,
//! `-o yaml` documents separated by `---`, and with `--output-watch-events` both print
//! kubectl's watch event (`{"type": "ADDED", "object": {...}}`), which jsonpath and custom
//! columns then read too.

use jiff::Timestamp;
use serde_json::{Value, json};

use super::table::{Column, TableRow, columns, needs_document, table_row};
use super::tabwriter::TabWriter;
use super::value::{name_line, object_value, to_json, to_yaml};
use super::{ListLayout, ListOptions, OutputError, OutputFormat};
use crate::tokenrequest::TokenRequest;

/// The printer of one watch: it remembers the header, the column widths and whether a YAML
/// document came before.
pub struct WatchPrinter {
    format: OutputFormat,
    opts: ListOptions,
    layout: ListLayout,
    /// The table's columns; `None` for formats that are not tables.
    columns: Option<Vec<Column>>,
    /// The EVENT column: `--output-watch-events` on a default or wide table.
    event_column: bool,
    tabs: TabWriter,
    header_pending: bool,
    documents: usize,
}

impl WatchPrinter {
    /// Refuses the formats that cannot print a list (`-o token|url|env`).
    pub fn new(
        format: &OutputFormat,
        opts: ListOptions,
        layout: ListLayout,
    ) -> Result<Self, OutputError> {
        if let Some(format) = format.single_request_only() {
            return Err(OutputError::NotForLists { format });
        }
        let columns = columns(format, &opts, &layout);
        let human = matches!(format, OutputFormat::Human | OutputFormat::Wide);
        let event_column = human && layout.watch_events;
        Ok(WatchPrinter {
            format: format.clone(),
            opts,
            layout,
            columns,
            event_column,
            tabs: TabWriter::default(),
            header_pending: true,
            documents: 0,
        })
    }

    /// The requests there are as the watch starts (kubectl's initial ADDED events), laid out
    /// together under the header.
    pub fn initial(&mut self, items: &[TokenRequest]) -> Result<String, OutputError> {
        let now = self.opts.now;
        let events: Vec<(&str, &TokenRequest)> = items.iter().map(|tr| ("ADDED", tr)).collect();
        self.print(&events, now)
    }

    /// One change: `kind` is ADDED, MODIFIED or DELETED; `now` dates the AGE column.
    pub fn event(
        &mut self,
        kind: &str,
        tr: &TokenRequest,
        now: Timestamp,
    ) -> Result<String, OutputError> {
        self.print(&[(kind, tr)], now)
    }

    fn print(
        &mut self,
        events: &[(&str, &TokenRequest)],
        now: Timestamp,
    ) -> Result<String, OutputError> {
        if events.is_empty() {
            return Ok(String::new());
        }
        let Some(columns) = &self.columns else {
            let mut text = String::new();
            for (kind, tr) in events {
                text.push_str(&self.document_text(kind, tr)?);
            }
            return Ok(text);
        };
        let mut rows = Vec::new();
        if std::mem::take(&mut self.header_pending) && !self.layout.no_headers {
            rows.push(TableRow::header(columns, self.event_column));
        }
        for (kind, tr) in events {
            let document = needs_document(columns)
                .then(|| self.document(kind, tr))
                .transpose()?;
            let event = self.event_column.then_some(*kind);
            rows.push(table_row(tr, columns, document.as_ref(), event, now));
        }
        Ok(self.tabs.block(&rows, self.opts.color))
    }

    /// What templates and custom columns read: the object, or the watch event around it.
    fn document(&self, kind: &str, tr: &TokenRequest) -> Result<Value, OutputError> {
        let object = object_value(tr)?;
        Ok(if self.layout.watch_events {
            json!({"type": kind, "object": object})
        } else {
            object
        })
    }

    fn document_text(&mut self, kind: &str, tr: &TokenRequest) -> Result<String, OutputError> {
        Ok(match &self.format {
            OutputFormat::Name => name_line(tr),
            OutputFormat::Json if self.layout.watch_events => {
                // kubectl prints the event compactly, "type" first.
                let object = object_value(tr)?;
                let compact =
                    serde_json::to_string(&object).map_err(|e| OutputError::Serialize {
                        format: "JSON",
                        reason: e.to_string(),
                    })?;
                format!("{{\"type\":{},\"object\":{compact}}}\n", json!(kind))
            }
            OutputFormat::Json => to_json(&object_value(tr)?)? + "\n",
            OutputFormat::Yaml => {
                let separator = if self.documents > 0 { "---\n" } else { "" };
                self.documents += 1;
                format!("{separator}{}", to_yaml(&self.document(kind, tr)?)?)
            }
            OutputFormat::JsonPath(template) => template.render(&self.document(kind, tr)?)?,
            OutputFormat::JsonPathAsJson(template) => {
                template.render_json(&self.document(kind, tr)?)?
            }
            // Tables are printed by `print`; credentials formats were refused by `new`.
            OutputFormat::Human
            | OutputFormat::Wide
            | OutputFormat::CustomColumns(_)
            | OutputFormat::Token
            | OutputFormat::Url
            | OutputFormat::Env => String::new(),
        })
    }
}
