//! `-o` values: what each name means and how `jsonpath=TEMPLATE` is read. Which names a
//! command accepts, and the list its errors give, is the command's (`cli::formats`), not here.

use std::str::FromStr;

use super::custom_columns::{CustomColumn, parse_custom_columns};
use super::{JsonPathTemplate, OutputError};

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
    /// `jsonpath=TEMPLATE`, and `jsonpath-file=FILE` once the file is read.
    JsonPath(JsonPathTemplate),
    /// `jsonpath-as-json=TEMPLATE`: each action's results as a JSON array.
    JsonPathAsJson(JsonPathTemplate),
    /// `custom-columns=HEADER:PATH,...`: a table of those columns.
    CustomColumns(Vec<CustomColumn>),
    /// The bare token, for `TOKEN=$(kubectl tokenrequest create app -o token)`.
    Token,
    /// The bare URL (it carries the token).
    Url,
    /// Shell assignments for `env=$(kubectl tokenrequest get app -o env) && eval "$env"`.
    Env,
}

impl OutputFormat {
    /// kubectl's `--allow-missing-template-keys` applied to a jsonpath template; other
    /// formats are returned as they are (custom columns always allow missing keys).
    pub fn allow_missing_keys(self, allow: bool) -> Self {
        match self {
            OutputFormat::JsonPath(t) => OutputFormat::JsonPath(t.allow_missing_keys(allow)),
            OutputFormat::JsonPathAsJson(t) => {
                OutputFormat::JsonPathAsJson(t.allow_missing_keys(allow))
            }
            other => other,
        }
    }

    /// The formats that print a table, where `--no-headers` and colour apply.
    pub fn is_table(&self) -> bool {
        matches!(
            self,
            OutputFormat::Human | OutputFormat::Wide | OutputFormat::CustomColumns(_)
        )
    }

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
            "jsonpath" | "jsonpath-as-json" => return Err(OutputError::MissingTemplate),
            "custom-columns" => return Err(OutputError::MissingColumns),
            other => {
                if let Some(template) = other.strip_prefix("jsonpath=").map(strip_quotes) {
                    OutputFormat::JsonPath(template_of(template)?)
                } else if let Some(template) =
                    other.strip_prefix("jsonpath-as-json=").map(strip_quotes)
                {
                    OutputFormat::JsonPathAsJson(template_of(template)?)
                } else if let Some(spec) = other.strip_prefix("custom-columns=") {
                    OutputFormat::CustomColumns(parse_custom_columns(spec)?)
                } else {
                    return Err(OutputError::UnknownFormat {
                        given: other.to_string(),
                    });
                }
            }
        })
    }
}

fn template_of(text: &str) -> Result<JsonPathTemplate, OutputError> {
    match text {
        "" => Err(OutputError::MissingTemplate),
        text => JsonPathTemplate::parse(text),
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
