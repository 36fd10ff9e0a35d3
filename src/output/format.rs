//! `-o` values: what each name means and how `jsonpath=TEMPLATE` is read. Which names a
//! command accepts is decided by the command (`cli::formats`), not here.

use std::str::FromStr;

use super::{JsonPathTemplate, OutputError};

/// Every rendering `-o` names (sorted like kubectl's list); a command accepts some of them.
pub const FORMAT_NAMES: &[&str] = &[
    "env", "json", "jsonpath", "name", "token", "url", "wide", "yaml",
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
}

impl OutputFormat {
    /// Token, URL and env describe one request's credentials: refused for lists.
    pub fn single_request_only(&self) -> Option<&'static str> {
        match self {
            OutputFormat::Token => Some("token"),
            OutputFormat::Url => Some("url"),
            OutputFormat::Env => Some("env"),
            _ => None,
        }
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
pub(crate) fn strip_quotes(template: &str) -> &str {
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
