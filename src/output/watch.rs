//! `list -w`: one line (or document) per event.

use std::borrow::Cow;

use super::single::render_one;
use super::table::{columns, padded_line, table_row, watch_widths};
use super::value::{object_value, printable, to_yaml};
use super::{ListOptions, OutputError, OutputFormat};
use crate::tokenrequest::TokenRequest;

/// The header line of `list -w` in human formats, `None` for the others.
pub fn watch_header(format: &OutputFormat, opts: &ListOptions) -> Option<String> {
    match format {
        OutputFormat::Human | OutputFormat::Wide => {
            let columns = columns(format, opts.all_namespaces);
            let header: Vec<Cow<str>> = std::iter::once(Cow::Borrowed("EVENT"))
                .chain(columns.iter().map(|c| Cow::Borrowed(c.header())))
                .collect();
            Some(padded_line(&watch_widths(&columns), &header, None, false))
        }
        _ => None,
    }
}

/// One line (or document) of `list -w` per event. Human rows have fixed column widths so
/// successive lines line up, and an EVENT column (ADDED, MODIFIED, DELETED) since a deleted
/// request would otherwise look alive. json and yaml print each object as `kubectl get -w`
/// does: JSON documents one after another, YAML documents each starting with `---`.
pub fn watch_line(
    event_type: &str,
    tr: &TokenRequest,
    format: &OutputFormat,
    opts: &ListOptions,
) -> Result<String, OutputError> {
    if let Some(format) = format.single_request_only() {
        return Err(OutputError::NotForLists { format });
    }
    match format {
        OutputFormat::Human | OutputFormat::Wide => {
            let columns = columns(format, opts.all_namespaces);
            let row = table_row(tr, &columns, opts.now);
            let cells: Vec<Cow<str>> = std::iter::once(printable(event_type))
                .chain(row.cells.iter().map(|c| Cow::Borrowed(c.as_str())))
                .collect();
            // The STATE cell sits one place right of its table position (after EVENT).
            let state = row.state_column.map(|i| (i + 1, row.state_color));
            Ok(padded_line(
                &watch_widths(&columns),
                &cells,
                state,
                opts.color,
            ))
        }
        OutputFormat::Yaml => Ok(format!("---\n{}", to_yaml(&object_value(tr)?)?)),
        _ => render_one(tr, format, opts.now),
    }
}
