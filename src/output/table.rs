//! Table cells and rows: the columns of `list` (`-o wide`, `-L`, `--show-labels`,
//! `-o custom-columns`) and the colour of the STATE cell. [`super::tabwriter`] lays them out.

use std::borrow::Cow;

use jiff::Timestamp;
use serde_json::Value;

use super::custom_columns::CustomColumn;
use super::value::{or_none, printable};
use super::{ListLayout, ListOptions, OutputFormat, human_duration};
use crate::tokenrequest::{Phase, TokenRequest};

/// The EXPIRES column: `in 4m12s`, `expired 2m ago`, `<pending>` (no answer yet), `<none>`
/// (answered without an expiry) or `<invalid>` (not a timestamp).
pub fn expires_text(tr: &TokenRequest, now: Timestamp) -> String {
    match tr.expire_after() {
        None if tr.phase() == Phase::Pending => "<pending>".to_string(),
        None => "<none>".to_string(),
        Some(Err(_)) => "<invalid>".to_string(),
        Some(Ok(at)) if at < now => {
            format!("expired {} ago", human_duration(now.duration_since(at)))
        }
        Some(Ok(at)) => format!("in {}", human_duration(at.duration_since(now))),
    }
}

/// The AGE column, as kubectl prints it; `<unknown>` without a creation time.
pub fn age_text(created: Option<Timestamp>, now: Timestamp) -> String {
    match created {
        Some(created) => human_duration(now.duration_since(created)),
        None => "<unknown>".to_string(),
    }
}

/// A table column: its header and its cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Column {
    Namespace,
    Name,
    State,
    Expires,
    Age,
    Application,
    Tenant,
    Group,
    UrlHost,
    /// `-L KEY`: the label's value, empty without it.
    Label(String),
    /// `--show-labels`: every label, `key=value` joined with commas.
    Labels,
    /// `-o custom-columns=HEADER:PATH`.
    Custom(CustomColumn),
}

impl Column {
    pub(super) fn header(&self) -> Cow<'_, str> {
        Cow::Borrowed(match self {
            Column::Namespace => "NAMESPACE",
            Column::Name => "NAME",
            Column::State => "STATE",
            Column::Expires => "EXPIRES",
            Column::Age => "AGE",
            Column::Application => "APPLICATION",
            Column::Tenant => "TENANT",
            Column::Group => "GROUP",
            Column::UrlHost => "URL-HOST",
            // kubectl names the column after the key's last part: -L app.kubernetes.io/name
            // is NAME.
            Column::Label(key) => {
                let name = key.rsplit('/').next().unwrap_or(key);
                return Cow::Owned(name.to_uppercase());
            }
            Column::Labels => "LABELS",
            Column::Custom(column) => return Cow::Borrowed(column.header()),
        })
    }

    /// The cell text. Never the token: the URL column shows only the host (a custom column
    /// shows what the user's path names).
    fn cell(&self, tr: &TokenRequest, document: Option<&Value>, now: Timestamp) -> String {
        let context = tr.context.as_ref();
        let labels = tr.metadata.labels.as_ref();
        let text = match self {
            Column::Namespace => tr.namespace().to_string(),
            Column::Name => tr.name().to_string(),
            Column::State => tr.phase().label().to_string(),
            Column::Expires => expires_text(tr, now),
            Column::Age => age_text(tr.created_at(), now),
            Column::Application => tr.application().to_string(),
            Column::Tenant => context.and_then(|c| c.tenant.clone()).unwrap_or_default(),
            Column::Group => context.and_then(|c| c.group.clone()).unwrap_or_default(),
            Column::UrlHost => url_host(tr),
            Column::Label(key) => {
                let value = labels.and_then(|l| l.get(key)).cloned().unwrap_or_default();
                return shorten_for_table(printable(&value).into_owned());
            }
            Column::Labels => labels
                .map(|labels| {
                    labels
                        .iter()
                        .map(|(key, value)| format!("{key}={value}"))
                        .collect::<Vec<_>>()
                        .join(",")
                })
                .unwrap_or_default(),
            Column::Custom(column) => {
                let cell = document.map(|d| column.cell(d)).unwrap_or_default();
                return shorten_for_table(printable(&cell).into_owned());
            }
        };
        shorten_for_table(or_none(&text).into_owned())
    }
}

/// Longest cell a table shows. Names are at most 253 characters, but status strings come from
/// whoever wrote the object, and one huge cell would pad every other line of the table to its
/// width. `-o json|yaml` show values whole.
const MAX_CELL_CHARS: usize = 1024;

fn shorten_for_table(text: String) -> String {
    match text.char_indices().nth(MAX_CELL_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// The columns of a table: kubectl's default ones (NAMESPACE first with `-A`; `-o wide` adds
/// its columns after them, AGE staying last of those), then `-L` columns, then LABELS; or
/// exactly the custom columns. `None` for formats that are not tables.
pub(super) fn columns(
    format: &OutputFormat,
    opts: &ListOptions,
    layout: &ListLayout,
) -> Option<Vec<Column>> {
    let mut columns = Vec::new();
    match format {
        OutputFormat::CustomColumns(custom) => {
            return Some(custom.iter().cloned().map(Column::Custom).collect());
        }
        OutputFormat::Human | OutputFormat::Wide => {}
        _ => return None,
    }
    if opts.all_namespaces {
        columns.push(Column::Namespace);
    }
    columns.extend([Column::Name, Column::State, Column::Expires, Column::Age]);
    if *format == OutputFormat::Wide {
        columns.extend([
            Column::Application,
            Column::Tenant,
            Column::Group,
            Column::UrlHost,
        ]);
    }
    columns.extend(layout.label_columns.iter().cloned().map(Column::Label));
    if layout.show_labels {
        columns.push(Column::Labels);
    }
    Some(columns)
}

/// `host[:port]` of `status.url`: where the token is to be used, without the query that
/// carries the token (or user info that could). `<invalid>` when it is not a URL.
fn url_host(tr: &TokenRequest) -> String {
    let Some(url) = tr
        .status
        .as_ref()
        .and_then(|s| s.url.as_deref())
        .filter(|u| !u.is_empty())
    else {
        return String::new();
    };
    match url.parse::<http::Uri>() {
        Ok(uri) => match (uri.host(), uri.port_u16()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_string(),
            (None, _) => "<invalid>".to_string(),
        },
        Err(_) => "<invalid>".to_string(),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum StateColor {
    Green,
    Red,
    Yellow,
}

impl StateColor {
    fn of(phase: Phase<'_>) -> Self {
        match phase {
            Phase::Ready { .. } => StateColor::Green,
            Phase::Failed => StateColor::Red,
            Phase::Pending | Phase::IssuedWithoutToken | Phase::Unknown(_) => StateColor::Yellow,
        }
    }
}

/// One table row: only display strings, never the object (so never its token unless a custom
/// column asks for it).
pub(super) struct TableRow {
    pub(super) cells: Vec<String>,
    pub(super) state_column: Option<usize>,
    pub(super) state_color: StateColor,
}

impl TableRow {
    /// The header line of `columns`, with an EVENT column first for `--output-watch-events`.
    pub(super) fn header(columns: &[Column], event: bool) -> TableRow {
        let cells = event
            .then(|| "EVENT".to_string())
            .into_iter()
            .chain(columns.iter().map(|c| c.header().into_owned()))
            .collect();
        TableRow {
            cells,
            state_column: None,
            state_color: StateColor::Yellow,
        }
    }
}

/// `tr` as a row of `columns`; with `event`, an EVENT cell first, padded as kubectl pads it.
/// `document` is the object (or watch event) custom columns read; the others ignore it.
pub(super) fn table_row(
    tr: &TokenRequest,
    columns: &[Column],
    document: Option<&Value>,
    event: Option<&str>,
    now: Timestamp,
) -> TableRow {
    let offset = usize::from(event.is_some());
    let cells = event
        .map(|kind| format!("{kind:<8}"))
        .into_iter()
        .chain(columns.iter().map(|c| c.cell(tr, document, now)))
        .collect();
    TableRow {
        cells,
        state_column: columns
            .iter()
            .position(|c| *c == Column::State)
            .map(|i| i + offset),
        state_color: StateColor::of(tr.phase()),
    }
}

/// Whether a row of `columns` reads the object as JSON (custom columns do).
pub(super) fn needs_document(columns: &[Column]) -> bool {
    columns.iter().any(|c| matches!(c, Column::Custom(_)))
}
