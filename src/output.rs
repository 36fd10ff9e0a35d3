//! Everything the plugin prints on stdout: `-o` parsing, one request (`create`, `get NAME`),
//! lists (`list`, streamed page by page), and watch lines (`list -w`).
//!
//! Pure functions over [`TokenRequest`] and a given `now`, so every format is tested to the
//! byte. Formats follow kubectl (`get`'s tables, `-o json|yaml|name|jsonpath`) because CI
//! scripts treat them as an API. Two rules hold everywhere: the bare token appears only in
//! `-o token`, `-o env`, `-o json|yaml|jsonpath` and the human view's URL (what the user asked
//! for) and never in a table cell or an error message; text from the server is shown with
//! control characters escaped, so a hostile status cannot drive the terminal.

mod duration;
mod jsonpath;

use std::borrow::Cow;
use std::io::{self, Write};
use std::str::FromStr;

use comfy_table::{Cell, CellAlignment, Color, ContentArrangement, Table, presets};
use jiff::Timestamp;
use serde::Serialize;
use serde_json::Value;
use serde_json::ser::PrettyFormatter;
use shell_quote::Sh;

use crate::tokenrequest::{
    self, CONTROLLER_NAME, KIND, Phase, RESOURCE_NAME, TokenRequest, quote_for_message,
};

pub use duration::human_duration;
pub use jsonpath::JsonPathTemplate;

/// What `-o` accepts, as listed in error messages and help (sorted like kubectl's list).
pub const FORMAT_NAMES: &[&str] = &[
    "config",
    "config-json",
    "env",
    "json",
    "jsonpath",
    "name",
    "token",
    "url",
    "wide",
    "yaml",
];

/// The `-o` flag.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum OutputFormat {
    /// No `-o`: a table for lists, a describe-like block for one request.
    #[default]
    Human,
    /// `-o wide`: more table columns; one request shows as [`OutputFormat::Human`].
    Wide,
    Json,
    Yaml,
    /// `TYPE/name`, for piping into other commands.
    Name,
    JsonPath(JsonPathTemplate),
    /// The bare token, for `TOKEN=$(kubectl tokenrequest create app -o token)`.
    Token,
    /// The bare URL (it carries the token).
    Url,
    /// Shell assignments for `eval "$(kubectl tokenrequest get app -o env)"`.
    Env,
    /// The connection configuration behind the URL (csrUrl, api URLs, certificate subject), as
    /// YAML. Fetching it uses the token up, so the command fetches it and renders it with
    /// [`render_connection_config`]; [`render_one`] refuses it.
    Config,
    /// [`OutputFormat::Config`] as JSON.
    ConfigJson,
}

impl OutputFormat {
    /// Token, URL and env describe one request's credentials: refused for lists.
    fn single_request_only(&self) -> Option<&'static str> {
        match self {
            OutputFormat::Token => Some("token"),
            OutputFormat::Url => Some("url"),
            OutputFormat::Env => Some("env"),
            OutputFormat::Config => Some("config"),
            OutputFormat::ConfigJson => Some("config-json"),
            _ => None,
        }
    }

    /// `-o config` and `-o config-json`: the command must call the Connector Service first.
    pub fn is_connection_config(&self) -> bool {
        matches!(self, OutputFormat::Config | OutputFormat::ConfigJson)
    }
}

impl FromStr for OutputFormat {
    type Err = OutputError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Ok(match value {
            "" => OutputFormat::Human,
            "wide" => OutputFormat::Wide,
            "json" => OutputFormat::Json,
            "yaml" => OutputFormat::Yaml,
            "name" => OutputFormat::Name,
            "token" => OutputFormat::Token,
            "url" => OutputFormat::Url,
            "env" => OutputFormat::Env,
            "config" => OutputFormat::Config,
            "config-json" => OutputFormat::ConfigJson,
            "jsonpath" => return Err(OutputError::MissingTemplate),
            other => match other.strip_prefix("jsonpath=").map(strip_quotes) {
                Some("") => return Err(OutputError::MissingTemplate),
                Some(template) => OutputFormat::JsonPath(JsonPathTemplate::parse(template)?),
                None => {
                    return Err(OutputError::UnknownFormat {
                        given: other.to_string(),
                    });
                }
            },
        })
    }
}

/// Drops one pair of quotes around the whole template: `-o jsonpath='{.a}'` reaches us
/// quoted where the shell does not remove single quotes (Windows `cmd.exe`), and the quotes
/// would otherwise be printed around every value.
fn strip_quotes(template: &str) -> &str {
    for quote in ['\'', '"'] {
        if let Some(inner) = template
            .strip_prefix(quote)
            .and_then(|rest| rest.strip_suffix(quote))
        {
            return inner;
        }
    }
    template
}

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(
        "unable to match a printer suitable for the output format {}, allowed formats are: {}",
        quote_for_message(.given),
        FORMAT_NAMES.join(",")
    )]
    UnknownFormat { given: String },
    #[error("template format specified but no template given: use -o jsonpath=TEMPLATE")]
    MissingTemplate,
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
    /// A caller rendered `-o config` without fetching the configuration first.
    #[error("-o {format} needs the configuration fetched from the Connector Service first")]
    ConfigNotFetched { format: &'static str },
    #[error("cannot write the TokenRequest as {format}: {reason}")]
    Serialize {
        format: &'static str,
        reason: String,
    },
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Renders one request, for `create` and `get NAME`.
pub fn render_one(
    tr: &TokenRequest,
    format: &OutputFormat,
    now: Timestamp,
) -> Result<String, OutputError> {
    match format {
        OutputFormat::Human | OutputFormat::Wide => Ok(describe(tr, now)),
        OutputFormat::Json => Ok(to_json(&object_value(tr)?)? + "\n"),
        OutputFormat::Yaml => to_yaml(&object_value(tr)?),
        OutputFormat::Name => Ok(name_line(tr)),
        OutputFormat::JsonPath(template) => template.render(&object_value(tr)?),
        OutputFormat::Token => Ok(format!("{}\n", credentials(tr, "token", now)?.0)),
        OutputFormat::Url => Ok(format!("{}\n", credentials(tr, "URL", now)?.1)),
        OutputFormat::Env => env_lines(tr, now),
        OutputFormat::Config => Err(OutputError::ConfigNotFetched { format: "config" }),
        OutputFormat::ConfigJson => Err(OutputError::ConfigNotFetched {
            format: "config-json",
        }),
    }
}

/// The URL of a Ready, unexpired request (it carries the token); otherwise an error that says
/// why. For `-o config` and `connect`, which call it.
pub fn connection_url(tr: &TokenRequest, now: Timestamp) -> Result<&str, OutputError> {
    credentials(tr, "URL", now).map(|(_, url)| url)
}

/// A connection configuration fetched for `-o config` (YAML) or `-o config-json`.
pub fn render_connection_config(
    config: &impl Serialize,
    format: &OutputFormat,
) -> Result<String, OutputError> {
    let value = serde_json::to_value(config).map_err(|err| OutputError::Serialize {
        format: "JSON",
        reason: err.to_string(),
    })?;
    match format {
        OutputFormat::ConfigJson => Ok(to_json(&value)? + "\n"),
        _ => to_yaml(&value),
    }
}

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

/// The message kubectl prints on stderr when a list is empty, for the formats where kubectl
/// prints it; `None` for json/yaml/jsonpath, whose empty `List` is the answer.
pub fn empty_message(
    format: &OutputFormat,
    all_namespaces: bool,
    namespace: &str,
) -> Option<String> {
    match format {
        OutputFormat::Human | OutputFormat::Wide | OutputFormat::Name => Some(if all_namespaces {
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

/// Prints a list as its pages arrive, so memory stays flat however many requests there are
/// (except tables, which need every row to size columns, and jsonpath, which applies to the
/// whole `List`).
pub trait ListPrinter {
    fn item(&mut self, tr: &TokenRequest) -> Result<(), OutputError>;
    /// Writes what only the end can tell (table, closing brackets). Call it also for an
    /// empty list: json/yaml then print an empty `List`.
    fn finish(self: Box<Self>) -> Result<(), OutputError>;
}

pub fn list_printer<'a>(
    format: &OutputFormat,
    opts: ListOptions,
    out: Box<dyn Write + 'a>,
) -> Result<Box<dyn ListPrinter + 'a>, OutputError> {
    if let Some(format) = format.single_request_only() {
        return Err(OutputError::NotForLists { format });
    }
    Ok(match format {
        OutputFormat::Human | OutputFormat::Wide => Box::new(TablePrinter {
            out,
            opts,
            columns: columns(format, opts.all_namespaces),
            rows: Vec::new(),
        }),
        OutputFormat::Name => Box::new(NamePrinter { out }),
        OutputFormat::Json => Box::new(JsonListPrinter { out, items: 0 }),
        OutputFormat::Yaml => Box::new(YamlListPrinter { out, items: 0 }),
        OutputFormat::JsonPath(template) => Box::new(JsonPathListPrinter {
            out,
            template: template.clone(),
            items: Vec::new(),
        }),
        OutputFormat::Token
        | OutputFormat::Url
        | OutputFormat::Env
        | OutputFormat::Config
        | OutputFormat::ConfigJson => {
            unreachable!("refused above")
        }
    })
}

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

// ---------------------------------------------------------------------------------------
// One request

/// The human view: a `kubectl describe`-like block. It shows the URL (what the user came
/// for) but not the bare token.
fn describe(tr: &TokenRequest, now: Timestamp) -> String {
    let status = tr.status.as_ref();
    let phase = tr.phase();
    let mut fields: Vec<(&str, Cow<str>)> = vec![
        ("Name", printable(tr.name())),
        ("Namespace", or_none(tr.namespace())),
        ("Application", printable(application(tr))),
        ("State", printable(phase.label())),
    ];
    if let Some(context) = &tr.context {
        if let Some(tenant) = &context.tenant {
            fields.push(("Tenant", printable(tenant)));
        }
        if let Some(group) = &context.group {
            fields.push(("Group", printable(group)));
        }
    }
    fields.push(("Expires", Cow::Owned(expiry_detail(tr, now))));
    fields.push((
        "URL",
        or_none(status.and_then(|s| s.url.as_deref()).unwrap_or_default()),
    ));

    let mut text = String::new();
    for (label, value) in fields {
        text.push_str(&format!("{:<14}{value}\n", format!("{label}:")));
    }
    if let Some(hint) = hint(tr, now) {
        text.push_str(&format!("\nHint: {hint}\n"));
    }
    text
}

/// `2026-11-27T18:41:26Z (in 4m12s)`, or the placeholder of [`expires_text`]; a malformed
/// value is shown (escaped) so the user sees what the controller wrote.
fn expiry_detail(tr: &TokenRequest, now: Timestamp) -> String {
    match tr.expire_after() {
        Some(Ok(at)) => format!("{at} ({})", expires_text(tr, now)),
        Some(Err(raw)) => format!("<invalid: {}>", quote_for_message(raw)),
        None => expires_text(tr, now),
    }
}

fn hint(tr: &TokenRequest, now: Timestamp) -> Option<String> {
    Some(match tr.phase() {
        Phase::Pending => {
            format!("the {CONTROLLER_NAME} controller has not processed this request yet.")
        }
        Phase::IssuedWithoutToken => format!(
            "the controller reported OK without a token: its call to the Connector Service failed and the {CONTROLLER_NAME} controller retries. Check again shortly, or read its logs."
        ),
        Phase::Failed => format!(
            "the controller could not get a token from the Connector Service; read the {CONTROLLER_NAME} logs."
        ),
        Phase::Unknown(_) => format!(
            "this state is not one the {CONTROLLER_NAME} controller documents; check the Kyma version."
        ),
        Phase::Ready { .. } if tr.is_expired_at(now) => {
            "the token has expired; delete this request and create a new one.".to_string()
        }
        Phase::Ready { .. } => return None,
    })
}

/// The Application the token is for: the controller copies it into the status; until then
/// the request's name, which is the Application's name by contract.
fn application(tr: &TokenRequest) -> &str {
    tr.status
        .as_ref()
        .and_then(|s| s.application.as_deref())
        .filter(|a| !a.is_empty())
        .unwrap_or(tr.name())
}

fn name_line(tr: &TokenRequest) -> String {
    format!("{RESOURCE_NAME}/{}\n", tr.name())
}

/// Token and URL of a Ready, unexpired request; otherwise an error that says why (and
/// holds no token).
fn credentials<'a>(
    tr: &'a TokenRequest,
    what: &'static str,
    now: Timestamp,
) -> Result<(&'a str, &'a str), OutputError> {
    let reason = match tr.phase() {
        Phase::Ready { token, url } => {
            return match tr.expire_after() {
                Some(Ok(at)) if at < now => Err(OutputError::Expired {
                    name: tr.name().to_string(),
                    expired_at: at,
                    ago: human_duration(now.duration_since(at)),
                }),
                _ => Ok((token, url)),
            };
        }
        Phase::Pending => format!("the {CONTROLLER_NAME} controller has not answered yet"),
        Phase::IssuedWithoutToken => {
            "the controller reported OK without a token and will retry".to_string()
        }
        Phase::Failed => "the controller reported state Error".to_string(),
        Phase::Unknown(state) => format!("its state {} is unknown", quote_for_message(state)),
    };
    Err(OutputError::NotReady {
        name: tr.name().to_string(),
        what,
        reason,
    })
}

/// `NAME=value` lines, each value quoted for POSIX sh (also right for bash, dash and zsh),
/// so `eval "$(... -o env)"` assigns exactly the server's bytes whatever they hold.
fn env_lines(tr: &TokenRequest, now: Timestamp) -> Result<String, OutputError> {
    let (token, url) = credentials(tr, "token and URL", now)?;
    let expire_after = tr
        .status
        .as_ref()
        .and_then(|s| s.expire_after.as_deref())
        .unwrap_or_default();
    let phase = tr.phase();
    let variables = [
        ("TOKENREQUEST_NAME", tr.name()),
        ("TOKENREQUEST_NAMESPACE", tr.namespace()),
        ("TOKENREQUEST_TOKEN", token),
        ("TOKENREQUEST_URL", url),
        ("TOKENREQUEST_EXPIRE_AFTER", expire_after),
        ("TOKENREQUEST_STATE", phase.label()),
    ];
    let mut text = String::new();
    for (variable, value) in variables {
        // Quoting valid UTF-8 only adds ASCII quotes and backslashes: the result is UTF-8.
        let quoted = Sh::quote_vec(value);
        text.push_str(&format!(
            "{variable}={}\n",
            String::from_utf8_lossy(&quoted)
        ));
    }
    Ok(text)
}

/// The object as kubectl prints it: apiVersion and kind always set (list items may come
/// without them), `metadata.managedFields` left out (kubectl's default), no null status
/// fields, keys sorted (Go's encoding of unstructured objects).
fn object_value(tr: &TokenRequest) -> Result<Value, OutputError> {
    let mut value = serde_json::to_value(tr).map_err(|err| OutputError::Serialize {
        format: "JSON",
        reason: err.to_string(),
    })?;
    if let Value::Object(object) = &mut value {
        object
            .entry("apiVersion")
            .or_insert_with(|| format!("{}/{}", tokenrequest::GROUP, tokenrequest::VERSION).into());
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
fn list_value(items: Vec<Value>) -> Value {
    serde_json::json!({
        "apiVersion": "v1",
        "items": items,
        "kind": "List",
        "metadata": {"resourceVersion": ""},
    })
}

/// Pretty JSON with kubectl's 4-space indentation, without a final newline.
fn to_json(value: &Value) -> Result<String, OutputError> {
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
fn to_yaml(value: &Value) -> Result<String, OutputError> {
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
fn printable(text: &str) -> Cow<'_, str> {
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

fn or_none(text: &str) -> Cow<'_, str> {
    if text.is_empty() {
        Cow::Borrowed("<none>")
    } else {
        printable(text)
    }
}

// ---------------------------------------------------------------------------------------
// Tables

/// A table column: its header and its width in `list -w` lines, where rows are printed one
/// at a time and cannot be measured together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
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
    fn header(self) -> &'static str {
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
            Column::Application => application(tr).to_string(),
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
fn columns(format: &OutputFormat, all_namespaces: bool) -> Vec<Column> {
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
enum StateColor {
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
struct TableRow {
    cells: Vec<String>,
    state_column: Option<usize>,
    state_color: StateColor,
}

fn table_row(tr: &TokenRequest, columns: &[Column], now: Timestamp) -> TableRow {
    TableRow {
        cells: columns.iter().map(|c| c.cell(tr, now)).collect(),
        state_column: columns.iter().position(|c| *c == Column::State),
        state_color: StateColor::of(tr.phase()),
    }
}

fn watch_widths(columns: &[Column]) -> Vec<usize> {
    std::iter::once(8) // EVENT: "MODIFIED"
        .chain(columns.iter().map(|c| c.watch_width()))
        .collect()
}

/// Cells padded to fixed widths (longer ones push the rest right, never cut), 3 spaces
/// apart, no trailing spaces; the state cell coloured when asked.
fn padded_line(
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

struct TablePrinter<'a> {
    out: Box<dyn Write + 'a>,
    opts: ListOptions,
    columns: Vec<Column>,
    rows: Vec<TableRow>,
}

impl ListPrinter for TablePrinter<'_> {
    fn item(&mut self, tr: &TokenRequest) -> Result<(), OutputError> {
        self.rows.push(table_row(tr, &self.columns, self.opts.now));
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<(), OutputError> {
        if self.rows.is_empty() {
            return Ok(()); // kubectl prints no header; the caller prints `empty_message`.
        }
        let text = render_table(&self.columns, &self.rows, self.opts.color);
        self.out.write_all(text.as_bytes())?;
        self.out.flush()?;
        Ok(())
    }
}

/// A kubectl-style table: no borders, left-aligned, 3 spaces between columns, no trailing
/// spaces. comfy-table is told there is no terminal and not to wrap, so a script piping the
/// output gets full values and no escape codes unless `color` asks for them.
fn render_table(columns: &[Column], rows: &[TableRow], color: bool) -> String {
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

// ---------------------------------------------------------------------------------------
// Streamed lists

struct NamePrinter<'a> {
    out: Box<dyn Write + 'a>,
}

impl ListPrinter for NamePrinter<'_> {
    fn item(&mut self, tr: &TokenRequest) -> Result<(), OutputError> {
        self.out.write_all(name_line(tr).as_bytes())?;
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<(), OutputError> {
        self.out.flush()?;
        Ok(())
    }
}

/// kubectl's `List` in JSON, written item by item: the same bytes as serializing the whole
/// `List` at once (a test holds the two together).
struct JsonListPrinter<'a> {
    out: Box<dyn Write + 'a>,
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
    out: Box<dyn Write + 'a>,
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
    out: Box<dyn Write + 'a>,
    template: JsonPathTemplate,
    items: Vec<Value>,
}

impl ListPrinter for JsonPathListPrinter<'_> {
    fn item(&mut self, tr: &TokenRequest) -> Result<(), OutputError> {
        self.items.push(object_value(tr)?);
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<(), OutputError> {
        let items = std::mem::take(&mut self.items);
        let text = self.template.render(&list_value(items))?;
        self.out.write_all(text.as_bytes())?;
        self.out.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
