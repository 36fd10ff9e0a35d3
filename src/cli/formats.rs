//! Which `-o` formats each command takes. One list per command, as the clap value parser of
//! its `-o`: the list is the help text (`possible_values`), the refusal (exit 2, before any
//! request is sent) and the completion candidates, so the three cannot disagree.

use std::ffi::OsStr;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::ErrorKind;

use crate::output::{JsonPathTemplate, OutputError, OutputFormat};
use crate::text::quote_for_message;

/// One `-o` name a command takes, with its line of help.
#[derive(Debug, Clone, Copy)]
pub struct Format {
    pub name: &'static str,
    pub help: &'static str,
    /// Accepted, but neither offered by completion nor listed in help.
    pub hidden: bool,
}

const fn format(name: &'static str, help: &'static str) -> Format {
    Format {
        name,
        help,
        hidden: false,
    }
}

const JSON: Format = format("json", "the object as JSON");
const YAML: Format = format("yaml", "the object as YAML");
const NAME: Format = format("name", "TYPE/NAME, for other commands");
const JSONPATH: Format = format("jsonpath", "jsonpath=TEMPLATE, as kubectl's");
const JSONPATH_FILE: Format = format("jsonpath-file", "jsonpath-file=FILE: the template in FILE");
const JSONPATH_AS_JSON: Format = format(
    "jsonpath-as-json",
    "jsonpath-as-json=TEMPLATE: each result as a JSON array",
);
const CUSTOM_COLUMNS: Format = format(
    "custom-columns",
    "custom-columns=HEADER:PATH,...: a table of those columns",
);
const WIDE: Format = format("wide", "more columns: application, tenant, group, URL host");
const RESULTS_JSON: Format = format(
    "json",
    "what was done, as a JSON List: name, namespace, outcome, exit code, files, error",
);
const RESULTS_YAML: Format = format("yaml", "the same as YAML");

const URL: Format = format("url", "the bare connection URL (it carries the token)");
const TOKEN: Format = format("token", "the bare token");
const ENV: Format = format(
    "env",
    "export lines for eval: name, namespace, token, URL, expiry, state",
);
const CONFIG: Format = format(
    "config",
    "the connection configuration behind the URL, as YAML (uses the token up)",
);
const CONFIG_JSON: Format = format(
    "config-json",
    "the connection configuration as JSON (uses the token up)",
);
// kubectl takes -o wide for one object too; it shows what the default shows.
const WIDE_HIDDEN: Format = Format {
    hidden: true,
    ..WIDE
};

/// What `-o` asks of a command that shows one request (`create`, `get NAME`).
const REQUEST_FORMATS: &[Format] = &[
    URL,
    TOKEN,
    ENV,
    JSON,
    YAML,
    NAME,
    JSONPATH,
    JSONPATH_FILE,
    JSONPATH_AS_JSON,
    CONFIG,
    CONFIG_JSON,
    WIDE_HIDDEN,
];

/// The `-o` formats of each command: one or more lists, in the order help shows them.
#[derive(Debug, Clone, Copy)]
pub struct Formats {
    command: &'static str,
    accepted: &'static [&'static [Format]],
}

pub const CREATE: Formats = Formats {
    command: "create",
    accepted: &[REQUEST_FORMATS],
};
/// `get` takes what `create` takes and, as it may print a table, custom columns.
pub const GET: Formats = Formats {
    command: "get",
    accepted: &[REQUEST_FORMATS, &[CUSTOM_COLUMNS]],
};
pub const LIST: Formats = Formats {
    command: "list",
    accepted: &[&[
        WIDE,
        JSON,
        YAML,
        NAME,
        JSONPATH,
        JSONPATH_FILE,
        JSONPATH_AS_JSON,
        CUSTOM_COLUMNS,
    ]],
};
/// `connect`'s results: one per Application.
pub const CONNECT: Formats = Formats {
    command: "connect",
    accepted: &[&[JSON, YAML, NAME, JSONPATH, JSONPATH_FILE, JSONPATH_AS_JSON]],
};
pub const DELETE: Formats = Formats {
    command: "delete",
    accepted: &[&[NAME, RESULTS_JSON, RESULTS_YAML]],
};
pub const CLEANUP: Formats = Formats {
    command: "cleanup",
    accepted: &[&[NAME, JSON, YAML]],
};
/// `renew` and `revoke`: what became of the connection.
pub const RENEW: Formats = Formats {
    command: "renew",
    accepted: &[&[RESULTS_JSON, RESULTS_YAML]],
};
pub const REVOKE: Formats = Formats {
    command: "revoke",
    accepted: &[&[RESULTS_JSON, RESULTS_YAML]],
};

pub const INSPECT: Formats = Formats {
    command: "inspect",
    accepted: &[&[format("json", "the findings as JSON, for scripts")]],
};
pub const DOCTOR: Formats = Formats {
    command: "doctor",
    accepted: &[&[format(
        "json",
        "the checks as a JSON array: name, status, message, hint, details",
    )]],
};

/// Whether `-o name` prints one request's credentials: the renderings that do, and the
/// connection configuration.
fn is_credentials(name: &str) -> Option<&'static str> {
    match name {
        "config" => Some("config"),
        "config-json" => Some("config-json"),
        _ => name
            .parse::<OutputFormat>()
            .ok()
            .and_then(|format| format.single_request_only()),
    }
}

impl Formats {
    pub fn accepted(&self) -> impl Iterator<Item = &'static Format> + use<> {
        self.accepted.iter().flat_map(|formats| formats.iter())
    }

    /// The format `value` names, if this command takes it; otherwise the message to refuse it
    /// with.
    fn check<'v>(&self, value: &'v str) -> Result<&'v str, String> {
        let name = value.split_once('=').map_or(value, |(name, _)| name);
        if self.accepted().any(|format| format.name == name) {
            return Ok(name);
        }
        let known = GET
            .accepted()
            .chain(LIST.accepted())
            .any(|format| format.name == name);
        if let Some(format) = is_credentials(name).filter(|_| known) {
            return Err(OutputError::NotForLists { format }.to_string());
        }
        if known {
            let mut listed: Vec<String> =
                self.visible().map(|f| format!("-o {}", f.name)).collect();
            return Err(match listed.len() {
                1 => format!("{} supports only {}", self.command, listed[0]),
                _ => {
                    let last = listed.pop().unwrap_or_default();
                    format!(
                        "{} supports {} and {last} only",
                        self.command,
                        listed.join(", ")
                    )
                }
            });
        }
        let mut names: Vec<&str> = self.visible().map(|f| f.name).collect();
        names.sort_unstable();
        Err(format!(
            "unable to match a printer suitable for the output format {}, allowed formats are: \
             {}",
            quote_for_message(name),
            names.join(",")
        ))
    }

    fn visible(&self) -> impl Iterator<Item = &'static Format> + use<> {
        self.accepted().filter(|format| !format.hidden)
    }

    fn possible_values(&self) -> Box<dyn Iterator<Item = PossibleValue>> {
        Box::new(self.accepted().map(|format| {
            PossibleValue::new(format.name)
                .help(format.help)
                .hide(format.hidden)
        }))
    }
}

/// What `-o` asks of `create` and `get NAME`: a rendering, or the connection configuration,
/// which the command must first fetch from the Connector Service (using the token up).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestOutput {
    Render(OutputFormat),
    Config { json: bool },
}

impl Default for RequestOutput {
    fn default() -> Self {
        RequestOutput::Render(OutputFormat::Human)
    }
}

/// The `-o` of `create` and `get`.
#[derive(Debug, Clone, Copy)]
pub struct RequestOutputParser(pub Formats);

/// The `-o` of the commands that print lists (`list`, `delete`, `cleanup`).
#[derive(Debug, Clone, Copy)]
pub struct ListOutputParser(pub Formats);

fn usage_error(cmd: &clap::Command, message: String) -> clap::Error {
    clap::Error::raw(ErrorKind::InvalidValue, format!("{message}\n")).with_cmd(cmd)
}

fn rendering(cmd: &clap::Command, value: &str) -> Result<OutputFormat, clap::Error> {
    if let Some(path) = value.strip_prefix("jsonpath-file=") {
        return template_file(path).map_err(|m| usage_error(cmd, m));
    }
    if value == "jsonpath-file" {
        return Err(usage_error(cmd, OutputError::MissingTemplate.to_string()));
    }
    value
        .parse::<OutputFormat>()
        .map_err(|e| usage_error(cmd, e.to_string()))
}

/// `-o jsonpath-file=FILE`: the file's text is the template, as kubectl reads it (a final
/// newline is part of it, so it is printed).
fn template_file(path: &str) -> Result<OutputFormat, String> {
    if path.is_empty() {
        return Err(OutputError::MissingTemplate.to_string());
    }
    let template = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "error reading the jsonpath template file {}: {e}",
            quote_for_message(path)
        )
    })?;
    if template.is_empty() {
        return Err(OutputError::MissingTemplate.to_string());
    }
    JsonPathTemplate::parse(&template)
        .map(OutputFormat::JsonPath)
        .map_err(|e| e.to_string())
}

fn text<'v>(cmd: &clap::Command, value: &'v OsStr) -> Result<&'v str, clap::Error> {
    value.to_str().ok_or_else(|| {
        usage_error(
            cmd,
            format!(
                "invalid output format {}: not UTF-8",
                quote_for_message(&value.to_string_lossy())
            ),
        )
    })
}

impl TypedValueParser for RequestOutputParser {
    type Value = RequestOutput;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<Self::Value, clap::Error> {
        let value = text(cmd, value)?;
        match self.0.check(value).map_err(|m| usage_error(cmd, m))? {
            "config" => Ok(RequestOutput::Config { json: false }),
            "config-json" => Ok(RequestOutput::Config { json: true }),
            _ => rendering(cmd, value).map(RequestOutput::Render),
        }
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(self.0.possible_values())
    }
}

impl TypedValueParser for ListOutputParser {
    type Value = OutputFormat;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<Self::Value, clap::Error> {
        let value = text(cmd, value)?;
        self.0.check(value).map_err(|m| usage_error(cmd, m))?;
        rendering(cmd, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(self.0.possible_values())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(formats: Formats, value: &str) -> String {
        formats.check(value).unwrap_err()
    }

    #[test]
    fn each_command_takes_its_own_formats() {
        for value in [
            "json",
            "yaml",
            "name",
            "url",
            "token",
            "env",
            "config",
            "config-json",
        ] {
            assert_eq!(CREATE.check(value), Ok(value));
            assert_eq!(GET.check(value), Ok(value));
        }
        assert_eq!(GET.check("jsonpath={.a}"), Ok("jsonpath"));
        assert_eq!(GET.check("wide"), Ok("wide"), "accepted, as kubectl does");
        for value in ["wide", "json", "yaml", "name", "jsonpath={.items}"] {
            assert!(LIST.check(value).is_ok(), "{value}");
        }
        assert_eq!(
            refusal(LIST, "token"),
            "-o token prints one request's credentials and cannot print a list; use get NAME \
             -o token"
        );
        assert_eq!(
            refusal(DELETE, "wide"),
            "delete supports -o name, -o json and -o yaml only"
        );
        assert_eq!(
            refusal(CLEANUP, "wide"),
            "cleanup supports -o name, -o json and -o yaml only"
        );
        assert_eq!(DOCTOR.check("json"), Ok("json"));
        assert_eq!(refusal(DOCTOR, "yaml"), "doctor supports only -o json");
        assert_eq!(
            refusal(GET, "xml"),
            "unable to match a printer suitable for the output format \"xml\", allowed formats \
             are: config,config-json,custom-columns,env,json,jsonpath,jsonpath-as-json,\
             jsonpath-file,name,token,url,yaml"
        );
    }

    #[test]
    fn config_is_a_mode_of_create_and_get_not_a_rendering() {
        let command = clap::Command::new("test");
        let parse = |parser: RequestOutputParser, value: &str| {
            parser.parse_ref(&command, None, OsStr::new(value))
        };
        assert_eq!(
            parse(RequestOutputParser(GET), "config").unwrap(),
            RequestOutput::Config { json: false }
        );
        assert_eq!(
            parse(RequestOutputParser(CREATE), "config-json").unwrap(),
            RequestOutput::Config { json: true }
        );
        assert_eq!(
            parse(RequestOutputParser(GET), "url").unwrap(),
            RequestOutput::Render(OutputFormat::Url)
        );
        let refused = ListOutputParser(LIST)
            .parse_ref(&command, None, OsStr::new("config"))
            .unwrap_err();
        assert_eq!(refused.kind(), ErrorKind::InvalidValue);
        assert!(
            refused.to_string().contains("cannot print a list"),
            "{refused}"
        );
        let template = ListOutputParser(LIST)
            .parse_ref(&command, None, OsStr::new("jsonpath="))
            .unwrap_err();
        assert!(
            template.to_string().contains("no template given"),
            "{template}"
        );
    }

    #[test]
    fn help_and_completion_read_the_same_list() {
        let shown = |formats: Formats| -> Vec<String> {
            formats
                .possible_values()
                .filter(|v| !v.is_hide_set())
                .map(|v| v.get_name().to_string())
                .collect()
        };
        assert_eq!(shown(DELETE), ["name", "json", "yaml"]);
        assert_eq!(shown(CLEANUP), ["name", "json", "yaml"]);
        assert_eq!(shown(RENEW), ["json", "yaml"]);
        assert_eq!(shown(DOCTOR), ["json"]);
        assert!(!shown(GET).contains(&"wide".to_string()));
        assert!(shown(LIST).contains(&"wide".to_string()));
    }
}
