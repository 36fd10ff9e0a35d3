//! Everything the plugin prints on stdout, rendered and never fetched: what `-o` names mean
//! (`format`), one request (`single`), lists streamed page by page (`list`; tables: `table`
//! their cells, `tabwriter` the one layout, `custom_columns`; `sort`), watch lines (`watch`), objects as kubectl prints
//! them (`value`), and `doctor`'s report (`doctor`).
//!
//! Pure functions over [`TokenRequest`] and a given `now`, so every format is tested to the
//! byte. Formats follow kubectl (`get`'s tables, `-o json|yaml|name|jsonpath|custom-columns`)
//! because CI scripts treat them as an API. Two rules hold everywhere: the bare token appears
//! only in `-o token`, `-o env`, `-o json|yaml|jsonpath`, a custom column that names it and
//! the human view's URL on a terminal (what the user asked for), never in another table cell
//! or an error message; text from the server is shown with control characters escaped, so a
//! hostile status cannot drive the terminal.

mod custom_columns;
mod doctor;
mod duration;
mod format;
mod inspection;
mod jsonpath;
mod list;
mod results;
mod single;
mod sort;
mod table;
mod tabwriter;
mod value;
mod watch;

use std::io;

use jiff::Timestamp;

use crate::text::quote_for_message;

pub use doctor::{Check, CheckStatus, render_checks};
pub use duration::human_duration;
pub use format::OutputFormat;
pub use inspection::{
    CertificateView, Inspection, ServiceStatus, ServiceView, expiry_text, flag_duration_text,
};
pub use jsonpath::JsonPathTemplate;
pub use list::{ListPrinter, list_printer, list_printer_with};
pub use results::{Files, ItemResult, Made, Outcome, render_results};
pub use single::{UrlView, describe_notes, render_one};
pub use sort::{SortBy, parse_sort_by};
#[cfg(test)]
use table::{age_text, expires_text};
pub use value::render_connection_config;
pub use watch::WatchPrinter;

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A name no format has (each command's `-o` lists what it takes before this is met).
    #[error("unknown output format {}", quote_for_message(.given))]
    UnknownFormat { given: String },
    #[error("template format specified but no template given: use -o jsonpath=TEMPLATE")]
    MissingTemplate,
    #[error(
        "custom-columns format specified but no custom columns given: use -o \
         custom-columns=HEADER:PATH,..."
    )]
    MissingColumns,
    #[error("unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>")]
    InvalidColumns { part: String },
    /// `--sort-by` names a field no listed request has.
    #[error("couldn't find any field with path {} in the list of objects", quote_for_message(.path))]
    SortFieldMissing { path: String },
    /// `--sort-by` found values it cannot order (objects, booleans, or mixed types).
    #[error("cannot sort by {}: {reason}", quote_for_message(.path))]
    Unsortable { path: String, reason: String },
    #[error("error parsing jsonpath {}: {reason}", quote_for_message(.template))]
    InvalidJsonPath { template: String, reason: String },
    #[error("error executing jsonpath {}: {reason}", quote_for_message(.template))]
    JsonPathExecution { template: String, reason: String },
    /// `-o token|url|env` on a request without a usable token. Never holds the token.
    #[error("TokenRequest {} has no {what} yet: {reason}", quote_for_message(.name))]
    NotReady {
        name: String,
        what: &'static str,
        reason: String,
    },
    /// `-o token|url|env` on a request whose token has expired.
    #[error(
        "the token of TokenRequest {} expired at {expired_at} ({ago} ago); delete the request and create a new one",
        quote_for_message(.name)
    )]
    Expired {
        name: String,
        expired_at: Timestamp,
        ago: String,
    },
    #[error(
        "-o {format} prints one request's credentials and cannot print a list; use get NAME -o {format}"
    )]
    NotForLists { format: &'static str },
    #[error("cannot write the TokenRequest as {format}: {reason}")]
    Serialize {
        format: &'static str,
        reason: String,
    },
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// The message kubectl prints on stderr when a list is empty, for the formats where kubectl
/// 1.32 prints it (the default table and `-o wide`); `None` for the others, whose empty
/// output (or `List`, or custom-columns header) is the answer.
pub fn empty_message(
    format: &OutputFormat,
    all_namespaces: bool,
    namespace: &str,
) -> Option<String> {
    match format {
        OutputFormat::Human | OutputFormat::Wide => Some(if all_namespaces {
            "No resources found".to_string()
        } else {
            format!("No resources found in {namespace} namespace.")
        }),
        _ => None,
    }
}

/// How a list or watch is shown.
#[derive(Clone, Copy, Debug)]
pub struct ListOptions {
    /// `-A`: a NAMESPACE column first.
    pub all_namespaces: bool,
    pub now: Timestamp,
    /// Colour the STATE cell. The caller decides (stdout is a terminal, NO_COLOR unset);
    /// without it no escape code is ever written.
    pub color: bool,
}

/// kubectl's printing flags of `list` and `get`: which columns a table has beyond its own,
/// whether it has a header, and what a watch says.
#[derive(Clone, Debug, Default)]
pub struct ListLayout {
    /// `--no-headers`: tables without their header line.
    pub no_headers: bool,
    /// `--show-labels`: a LABELS column last.
    pub show_labels: bool,
    /// `-L KEY,...`: a column per label key.
    pub label_columns: Vec<String>,
    /// `--output-watch-events`: watches say what happened (EVENT column, event objects).
    pub watch_events: bool,
}

#[cfg(test)]
mod tests;
