//! Table cells and rows: the columns of `list` (and `-o wide`), kubectl's layout, colour of
//! the STATE cell, and the fixed-width lines of `list -w`.

use std::borrow::Cow;

use comfy_table::{Cell, CellAlignment, Color, ContentArrangement, Table, presets};
use jiff::Timestamp;

use super::value::or_none;
use super::{OutputFormat, human_duration};
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

/// A table column: its header and its width in `list -w` lines, where rows are printed one
/// at a time and cannot be measured together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
}

impl Column {
    pub(super) fn header(self) -> &'static str {
        match self {
            Column::Namespace => "NAMESPACE",
            Column::Name => "NAME",
            Column::State => "STATE",
            Column::Expires => "EXPIRES",
            Column::Age => "AGE",
            Column::Application => "APPLICATION",
            Column::Tenant => "TENANT",
            Column::Group => "GROUP",
            Column::UrlHost => "URL-HOST",
        }
    }

    fn watch_width(self) -> usize {
        match self {
            Column::Namespace | Column::Tenant | Column::Group => 16,
            Column::Name | Column::Application => 30,
            Column::State => 9,
            Column::Expires => 16,
            Column::Age | Column::UrlHost => 9,
        }
    }

    /// The cell text. Never the token: the URL column shows only the host.
    fn cell(self, tr: &TokenRequest, now: Timestamp) -> String {
        let context = tr.context.as_ref();
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
        };
        shorten_for_table(or_none(&text).into_owned())
    }
}

/// Longest cell a table shows. Names are at most 253 characters, but status strings come from
/// whoever wrote the object; comfy-table wraps anything wider than 65,535 columns onto extra
/// lines, which would break one-row-per-request for scripts. `-o json|yaml` show values whole.
const MAX_CELL_CHARS: usize = 1024;

fn shorten_for_table(text: String) -> String {
    match text.char_indices().nth(MAX_CELL_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// Where `-o wide` columns go: after kubectl's default ones, AGE staying last of those.
pub(super) fn columns(format: &OutputFormat, all_namespaces: bool) -> Vec<Column> {
    let mut columns = Vec::new();
    if all_namespaces {
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
    columns
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

    fn table_color(self) -> Color {
        match self {
            StateColor::Green => Color::Green,
            StateColor::Red => Color::Red,
            StateColor::Yellow => Color::Yellow,
        }
    }

    fn ansi(self) -> &'static str {
        match self {
            StateColor::Green => "\x1b[32m",
            StateColor::Red => "\x1b[31m",
            StateColor::Yellow => "\x1b[33m",
        }
    }
}

const ANSI_RESET: &str = "\x1b[0m";
/// kubectl's tabwriter puts 3 spaces between columns.
const COLUMN_GAP: usize = 3;

/// One table row: only display strings, never the object (so never its token).
pub(super) struct TableRow {
    pub(super) cells: Vec<String>,
    pub(super) state_column: Option<usize>,
    pub(super) state_color: StateColor,
}

pub(super) fn table_row(tr: &TokenRequest, columns: &[Column], now: Timestamp) -> TableRow {
    TableRow {
        cells: columns.iter().map(|c| c.cell(tr, now)).collect(),
        state_column: columns.iter().position(|c| *c == Column::State),
        state_color: StateColor::of(tr.phase()),
    }
}

pub(super) fn watch_widths(columns: &[Column]) -> Vec<usize> {
    std::iter::once(8) // EVENT: "MODIFIED"
        .chain(columns.iter().map(|c| c.watch_width()))
        .collect()
}

/// Cells padded to fixed widths (longer ones push the rest right, never cut), 3 spaces
/// apart, no trailing spaces; the state cell coloured when asked.
pub(super) fn padded_line(
    widths: &[usize],
    cells: &[Cow<str>],
    state: Option<(usize, StateColor)>,
    color: bool,
) -> String {
    let mut line = String::new();
    for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
        let last = i + 1 == cells.len();
        let padding = if last {
            0
        } else {
            (width + COLUMN_GAP)
                .saturating_sub(cell.chars().count())
                .max(COLUMN_GAP)
        };
        match state {
            Some((column, state_color)) if color && column == i => {
                line.push_str(state_color.ansi());
                line.push_str(cell);
                line.push_str(ANSI_RESET);
            }
            _ => line.push_str(cell),
        }
        line.push_str(&" ".repeat(padding));
    }
    line.push('\n');
    line
}

/// A kubectl-style table: no borders, left-aligned, 3 spaces between columns, no trailing
/// spaces. comfy-table is told there is no terminal and not to wrap, so a script piping the
/// output gets full values and no escape codes unless `color` asks for them.
pub(super) fn render_table(columns: &[Column], rows: &[TableRow], color: bool) -> String {
    let mut table = Table::new();
    table
        .load_preset(presets::NOTHING)
        .force_no_tty()
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(columns.iter().map(|c| c.header()));
    if color {
        table.enforce_styling();
        table.style_text_only();
    }
    for row in rows {
        table.add_row(row.cells.iter().enumerate().map(|(i, text)| {
            let cell = Cell::new(text).set_alignment(CellAlignment::Left);
            match row.state_column {
                Some(column) if color && column == i => cell.fg(row.state_color.table_color()),
                _ => cell,
            }
        }));
    }
    let last = columns.len().saturating_sub(1);
    for (i, column) in table.column_iter_mut().enumerate() {
        let gap = if i == last { 0 } else { COLUMN_GAP as u16 };
        column.set_padding((0, gap));
    }
    table
        .lines()
        .map(|line| format!("{}\n", line.trim_end()))
        .collect()
}
