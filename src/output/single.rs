//! One request, as `create` and `get NAME` print it: the describe-like view, bare token or
//! URL, shell assignments, and the object as JSON, YAML, name or jsonpath.

use std::borrow::Cow;

use jiff::Timestamp;
use shell_quote::Sh;

use super::table::{TableRow, columns, expires_text, table_row};
use super::tabwriter::TabWriter;
use super::value::{name_line, object_value, or_none, printable, to_json, to_yaml};
use super::{ListLayout, ListOptions, OutputError, OutputFormat, human_duration};
use crate::text::quote_for_message;
use crate::tokenrequest::{CONTROLLER_NAME, Phase, TokenRequest, Unusable};

/// Whether the human view shows the URL whole (it carries the token) or with its secrets
/// masked. The caller decides: whole only where a person reads it (stdout is a terminal).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlView {
    Whole,
    Masked,
}

/// Renders one request, for `create` and `get NAME`.
pub fn render_one(
    tr: &TokenRequest,
    format: &OutputFormat,
    now: Timestamp,
    url: UrlView,
) -> Result<String, OutputError> {
    match format {
        OutputFormat::Human | OutputFormat::Wide => Ok(describe(tr, now, url)),
        OutputFormat::Json => Ok(to_json(&object_value(tr)?)? + "\n"),
        OutputFormat::Yaml => to_yaml(&object_value(tr)?),
        OutputFormat::Name => Ok(name_line(tr)),
        OutputFormat::JsonPath(template) => template.render(&object_value(tr)?),
        OutputFormat::JsonPathAsJson(template) => template.render_json(&object_value(tr)?),
        OutputFormat::CustomColumns(_) => {
            let opts = ListOptions {
                all_namespaces: false,
                now,
                color: false,
            };
            let columns = columns(format, &opts, &ListLayout::default()).unwrap_or_default();
            let rows = [
                TableRow::header(&columns, false),
                table_row(tr, &columns, Some(&object_value(tr)?), None, now),
            ];
            Ok(TabWriter::default().block(&rows, false))
        }
        OutputFormat::Token => Ok(format!("{}\n", credentials(tr, "token", now)?.0)),
        OutputFormat::Url => Ok(format!("{}\n", credentials(tr, "URL", now)?.1)),
        OutputFormat::Env => env_lines(tr, now),
    }
}

/// The human view: a `kubectl describe`-like block. It shows the URL (what the user came
/// for) but not the bare token; with [`UrlView::Masked`] the URL without its token (and
/// [`describe_notes`] says how to get it).
fn describe(tr: &TokenRequest, now: Timestamp, view: UrlView) -> String {
    let status = tr.status.as_ref();
    let phase = tr.phase();
    let mut fields: Vec<(&str, Cow<str>)> = vec![
        ("Name", printable(tr.name())),
        ("Namespace", or_none(tr.namespace())),
        ("Application", printable(tr.application())),
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
    let url = status.and_then(|s| s.url.as_deref()).unwrap_or_default();
    let shown = match view {
        UrlView::Whole => Cow::Borrowed(url),
        UrlView::Masked => Cow::Owned(tr.masked_url().unwrap_or_default()),
    };
    fields.push(("URL", Cow::Owned(or_none(&shown).into_owned())));

    let mut text = String::new();
    for (label, value) in fields {
        text.push_str(&format!("{:<14}{value}\n", format!("{label}:")));
    }
    text
}

/// What the human view of `tr` has to say besides its fields, for stderr (a script that keeps
/// the block keeps none of it): that the URL's token is hidden, and a hint for its state.
pub fn describe_notes(tr: &TokenRequest, now: Timestamp, view: UrlView) -> Vec<String> {
    let url = tr.status.as_ref().and_then(|s| s.url.as_deref());
    let masked = view == UrlView::Masked && tr.masked_url().as_deref() != url;
    let mut notes = Vec::new();
    if masked {
        notes.push(
            "Note: the token in the URL is hidden because stdout is not a terminal; -o url \
             prints the whole URL."
                .to_string(),
        );
    }
    if let Some(hint) = hint(tr, now) {
        notes.push(format!("Hint: {hint}"));
    }
    notes
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

/// Token and URL of a usable request; otherwise an error that says why (and holds no
/// token).
fn credentials<'a>(
    tr: &'a TokenRequest,
    what: &'static str,
    now: Timestamp,
) -> Result<(&'a str, &'a str), OutputError> {
    match tr.usable_at(now) {
        Ok(credentials) => Ok((credentials.token, credentials.url)),
        Err(Unusable::Expired { at }) => Err(OutputError::Expired {
            name: tr.name().to_string(),
            expired_at: at,
            ago: human_duration(now.duration_since(at)),
        }),
        Err(reason) => Err(OutputError::NotReady {
            name: tr.name().to_string(),
            what,
            reason: reason.to_string(),
        }),
    }
}

/// `export NAME=value` lines, each value quoted for POSIX sh (also right for bash, dash and
/// zsh), so `eval "$env"` (after `env=$(... -o env)`) assigns exactly the server's bytes whatever they hold, and
/// the programs the shell starts afterwards see them.
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
            "export {variable}={}\n",
            String::from_utf8_lossy(&quoted)
        ));
    }
    Ok(text)
}
