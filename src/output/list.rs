//! Lists printed as their pages arrive (`list`, `get` of several, `cleanup -o`), so memory
//! stays flat however many requests there are. Tables hold one block of rows at a time (a
//! page: the caller ends a block with [`ListPrinter::end_block`]) and lay each block out with
//! the widths of the blocks before it ([`super::tabwriter`]): columns are sized by the first
//! page and widen for later pages if needed; they never narrow. Only jsonpath, which applies
//! to the whole `List`, keeps every item until the end.

use std::io::Write;

use serde_json::Value;

use super::table::{Column, TableRow, columns, needs_document, table_row};
use super::tabwriter::TabWriter;
use super::value::{list_value, name_line, object_value, to_json, to_yaml};
use super::{JsonPathTemplate, ListLayout, ListOptions, OutputError, OutputFormat};
use crate::tokenrequest::TokenRequest;

/// Where a list printer writes: owned by the printer and `Send`, so a command can hold the
/// printer across an await (no stdout lock is held).
pub type ListOutput<'a> = Box<dyn Write + Send + 'a>;

/// A list printer: items in, text out.
pub trait ListPrinter: Send {
    fn item(&mut self, tr: &TokenRequest) -> Result<(), OutputError>;
    /// The items given since the last block form a block (a page of the list): a table lays
    /// them out with the widths so far, writes them and forgets them; every printer then
    /// flushes what it has written.
    fn end_block(&mut self) -> Result<(), OutputError>;
    /// Writes what only the end can tell (the last block, closing brackets) and flushes. Call
    /// it also for an empty list: json/yaml then print an empty `List`.
    fn finish(self: Box<Self>) -> Result<(), OutputError>;
}

/// A printer of `format` with kubectl's own layout.
pub fn list_printer<'a>(
    format: &OutputFormat,
    opts: ListOptions,
    out: ListOutput<'a>,
) -> Result<Box<dyn ListPrinter + 'a>, OutputError> {
    list_printer_with(format, opts, ListLayout::default(), out)
}

/// A printer of `format` with the layout the printing flags ask for.
pub fn list_printer_with<'a>(
    format: &OutputFormat,
    opts: ListOptions,
    layout: ListLayout,
    out: ListOutput<'a>,
) -> Result<Box<dyn ListPrinter + 'a>, OutputError> {
    Ok(match format {
        OutputFormat::Human | OutputFormat::Wide | OutputFormat::CustomColumns(_) => {
            Box::new(TablePrinter {
                out,
                columns: columns(format, &opts, &layout).unwrap_or_default(),
                headers: !layout.no_headers,
                // kubectl prints a custom-columns header even over no rows.
                header_alone: matches!(format, OutputFormat::CustomColumns(_)),
                opts,
                rows: Vec::new(),
                tabs: TabWriter::default(),
                printed: false,
            })
        }
        OutputFormat::Name => Box::new(NamePrinter { out }),
        OutputFormat::Json => Box::new(JsonListPrinter { out, items: 0 }),
        OutputFormat::Yaml => Box::new(YamlListPrinter { out, items: 0 }),
        OutputFormat::JsonPath(template) => Box::new(JsonPathListPrinter {
            out,
            template: template.clone(),
            as_json: false,
            items: Vec::new(),
        }),
        OutputFormat::JsonPathAsJson(template) => Box::new(JsonPathListPrinter {
            out,
            template: template.clone(),
            as_json: true,
            items: Vec::new(),
        }),
        OutputFormat::Token | OutputFormat::Url | OutputFormat::Env => {
            let format = format.single_request_only().unwrap_or_default();
            return Err(OutputError::NotForLists { format });
        }
    })
}

struct TablePrinter<'a> {
    out: ListOutput<'a>,
    opts: ListOptions,
    columns: Vec<Column>,
    /// The rows of the block being gathered.
    rows: Vec<TableRow>,
    tabs: TabWriter,
    headers: bool,
    /// Print the header even when there are no rows.
    header_alone: bool,
    /// Whether a block was written (the header goes with the first).
    printed: bool,
}

impl TablePrinter<'_> {
    /// Lays out and writes the gathered rows, under the header if they are the first.
    fn write_block(&mut self) -> Result<(), OutputError> {
        let first = !std::mem::replace(&mut self.printed, true);
        let header = (first && self.headers).then(|| TableRow::header(&self.columns, false));
        let rows: Vec<TableRow> = header.into_iter().chain(self.rows.drain(..)).collect();
        let text = self.tabs.block(&rows, self.opts.color);
        self.out.write_all(text.as_bytes())?;
        Ok(())
    }
}

impl ListPrinter for TablePrinter<'_> {
    fn item(&mut self, tr: &TokenRequest) -> Result<(), OutputError> {
        let document = needs_document(&self.columns)
            .then(|| object_value(tr))
            .transpose()?;
        self.rows.push(table_row(
            tr,
            &self.columns,
            document.as_ref(),
            None,
            self.opts.now,
        ));
        Ok(())
    }

    fn end_block(&mut self) -> Result<(), OutputError> {
        if !self.rows.is_empty() {
            self.write_block()?;
        }
        self.out.flush()?;
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<(), OutputError> {
        // Over no rows kubectl prints no header (the caller prints `empty_message`), but for
        // custom columns.
        if !self.rows.is_empty() || (!self.printed && self.header_alone) {
            self.write_block()?;
        }
        self.out.flush()?;
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// Streamed lists

struct NamePrinter<'a> {
    out: ListOutput<'a>,
}

impl ListPrinter for NamePrinter<'_> {
    fn item(&mut self, tr: &TokenRequest) -> Result<(), OutputError> {
        self.out.write_all(name_line(tr).as_bytes())?;
        Ok(())
    }

    fn end_block(&mut self) -> Result<(), OutputError> {
        self.out.flush()?;
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<(), OutputError> {
        self.end_block()
    }
}

/// kubectl's `List` in JSON, written item by item: the same bytes as serializing the whole
/// `List` at once (a test holds the two together).
struct JsonListPrinter<'a> {
    out: ListOutput<'a>,
    items: usize,
}

const JSON_LIST_OPEN: &str = "{\n    \"apiVersion\": \"v1\",\n    \"items\": [";
const JSON_LIST_CLOSE: &str =
    "    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n";

impl ListPrinter for JsonListPrinter<'_> {
    fn item(&mut self, tr: &TokenRequest) -> Result<(), OutputError> {
        let separator = if self.items == 0 { JSON_LIST_OPEN } else { "," };
        let json = to_json(&object_value(tr)?)?;
        let mut text = format!("{separator}\n");
        // JSON strings hold no raw newline, so indenting every line is safe.
        for line in json.lines() {
            text.push_str(&format!("{:8}{line}\n", ""));
        }
        text.pop();
        self.out.write_all(text.as_bytes())?;
        self.items += 1;
        Ok(())
    }

    fn end_block(&mut self) -> Result<(), OutputError> {
        self.out.flush()?;
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<(), OutputError> {
        let middle = if self.items == 0 {
            format!("{JSON_LIST_OPEN}],\n")
        } else {
            "\n    ],\n".to_string()
        };
        self.out.write_all(middle.as_bytes())?;
        self.out.write_all(JSON_LIST_CLOSE.as_bytes())?;
        self.out.flush()?;
        Ok(())
    }
}

/// kubectl's `List` in YAML, written item by item.
struct YamlListPrinter<'a> {
    out: ListOutput<'a>,
    items: usize,
}

const YAML_LIST_CLOSE: &str = "kind: List\nmetadata:\n  resourceVersion: \"\"\n";

impl ListPrinter for YamlListPrinter<'_> {
    fn item(&mut self, tr: &TokenRequest) -> Result<(), OutputError> {
        let yaml = to_yaml(&object_value(tr)?)?;
        let mut text = String::new();
        if self.items == 0 {
            text.push_str("apiVersion: v1\nitems:\n");
        }
        // A sequence entry: "- " before the first line, the rest indented to match. Block
        // scalars keep their relative indentation, so this is safe for multi-line values.
        for (i, line) in yaml.lines().enumerate() {
            let prefix = if i == 0 {
                "- "
            } else if line.is_empty() {
                ""
            } else {
                "  "
            };
            text.push_str(&format!("{prefix}{line}\n"));
        }
        self.out.write_all(text.as_bytes())?;
        self.items += 1;
        Ok(())
    }

    fn end_block(&mut self) -> Result<(), OutputError> {
        self.out.flush()?;
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<(), OutputError> {
        if self.items == 0 {
            self.out.write_all(b"apiVersion: v1\nitems: []\n")?;
        }
        self.out.write_all(YAML_LIST_CLOSE.as_bytes())?;
        self.out.flush()?;
        Ok(())
    }
}

/// jsonpath applies to the whole `List` (`{.items[*].metadata.name}`), so it keeps the
/// items until the end: the one list format whose memory grows with the list.
struct JsonPathListPrinter<'a> {
    out: ListOutput<'a>,
    template: JsonPathTemplate,
    /// `-o jsonpath-as-json`.
    as_json: bool,
    items: Vec<Value>,
}

impl ListPrinter for JsonPathListPrinter<'_> {
    fn item(&mut self, tr: &TokenRequest) -> Result<(), OutputError> {
        self.items.push(object_value(tr)?);
        Ok(())
    }

    fn end_block(&mut self) -> Result<(), OutputError> {
        Ok(()) // it needs the whole list
    }

    fn finish(mut self: Box<Self>) -> Result<(), OutputError> {
        let items = std::mem::take(&mut self.items);
        let list = list_value(items);
        let text = if self.as_json {
            self.template.render_json(&list)?
        } else {
            self.template.render(&list)?
        };
        self.out.write_all(text.as_bytes())?;
        self.out.flush()?;
        Ok(())
    }
}
