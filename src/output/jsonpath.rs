//! kubectl's `-o jsonpath=TEMPLATE`.
//!
//! A template is literal text with `{...}` actions: a path (`{.status.url}`), a string literal
//! (`{"\n"}`), or `{range PATH}...{end}`. Only this splitting, and rewriting kubectl's path
//! dialect (`.name`, `\.` escapes, optional `$`/`@`) into RFC 9535 syntax, is written here;
//! the paths themselves are parsed and evaluated by the `jsonpath-rust` crate.
//!
//! Output follows kubectl's `PrintResults`: the results of one action are joined with
//! spaces, strings are printed raw, objects and arrays as compact JSON. A missing field prints
//! nothing, as kubectl's default `--allow-missing-template-keys=true` does; with
//! [`JsonPathTemplate::allow_missing_keys`] `(false)` a field that is absent where its parent
//! exists is an error (`status is not found`), so a script never mistakes "no value" for an
//! empty one; a wildcard over an empty list is never an error.

use std::fmt;
use std::str::FromStr;

use jsonpath_rust::parser::model::{JpQuery, Segment, Selector};
use jsonpath_rust::parser::parse_json_path;
use jsonpath_rust::query::js_path_process;
use serde_json::Value;

use super::OutputError;
use super::value::to_json;

/// A parsed `-o jsonpath=` template. Malformed templates are refused by [`JsonPathTemplate::parse`],
/// before any request reaches the cluster.
#[derive(Clone, Debug)]
pub struct JsonPathTemplate {
    source: String,
    nodes: Vec<Node>,
    allow_missing_keys: bool,
}

#[derive(Clone, Debug)]
enum Node {
    Text(String),
    Path(Path),
    Range { over: Path, body: Vec<Node> },
}

/// One path expression: as the user wrote it (for messages) and as jsonpath-rust parsed it.
#[derive(Clone, Debug)]
struct Path {
    written: String,
    query: JpQuery,
}

impl JsonPathTemplate {
    pub fn parse(source: &str) -> Result<Self, OutputError> {
        let nodes = parse_template(source).map_err(|reason| OutputError::InvalidJsonPath {
            template: source.to_string(),
            reason,
        })?;
        Ok(JsonPathTemplate {
            source: source.to_string(),
            nodes,
            allow_missing_keys: true,
        })
    }

    /// kubectl's `--allow-missing-template-keys`: print nothing for a missing field (the
    /// default), or fail naming it.
    pub fn allow_missing_keys(mut self, allow: bool) -> Self {
        self.allow_missing_keys = allow;
        self
    }

    /// The template as the user wrote it.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Applies the template to a JSON document.
    pub fn render(&self, document: &Value) -> Result<String, OutputError> {
        let mut out = String::new();
        render_nodes(&self.nodes, document, self.allow_missing_keys, &mut out).map_err(
            |reason| OutputError::JsonPathExecution {
                template: self.source.clone(),
                reason,
            },
        )?;
        Ok(out)
    }
}

impl JsonPathTemplate {
    /// kubectl's relaxed path of `--sort-by` and `-o custom-columns`: `{.a.b}`, `.a.b` or `a.b`
    /// all mean `{.a.b}`. Missing keys are allowed (kubectl's rule for both).
    pub fn relaxed(expression: &str) -> Result<Self, OutputError> {
        let inner = expression
            .strip_prefix('{')
            .and_then(|rest| rest.strip_suffix('}'))
            .unwrap_or(expression);
        let inner = inner.strip_prefix('.').unwrap_or(inner);
        if inner.is_empty() || inner.contains(['{', '}']) {
            return Err(OutputError::InvalidJsonPath {
                template: expression.to_string(),
                reason: "unexpected path string, expected a 'name1.name2' or '.name1.name2' or \
                         '{name1.name2}' or '{.name1.name2}'"
                    .to_string(),
            });
        }
        Ok(Self::parse(&format!("{{.{inner}}}"))?.allow_missing_keys(true))
    }

    /// What each action of the template yields, as kubectl's `FindResults`: one list per
    /// action (literal text yields itself), a range's body once per item.
    pub fn results(&self, document: &Value) -> Result<Vec<Vec<Value>>, OutputError> {
        let mut results = Vec::new();
        collect_results(&self.nodes, document, self.allow_missing_keys, &mut results).map_err(
            |reason| OutputError::JsonPathExecution {
                template: self.source.clone(),
                reason,
            },
        )?;
        Ok(results)
    }

    /// kubectl's `-o jsonpath-as-json`: each action's results as an indented JSON array.
    pub fn render_json(&self, document: &Value) -> Result<String, OutputError> {
        let mut text = String::new();
        for values in self.results(document)? {
            text.push_str(&to_json(&Value::Array(values))?);
            text.push('\n');
        }
        Ok(text)
    }
}

fn collect_results(
    nodes: &[Node],
    document: &Value,
    allow_missing_keys: bool,
    out: &mut Vec<Vec<Value>>,
) -> Result<(), String> {
    for node in nodes {
        match node {
            Node::Text(text) => out.push(vec![Value::String(text.clone())]),
            Node::Path(path) => out.push(
                path.find(document, allow_missing_keys)?
                    .into_iter()
                    .cloned()
                    .collect(),
            ),
            Node::Range { over, body } => {
                for item in over.find(document, allow_missing_keys)? {
                    collect_results(body, item, allow_missing_keys, out)?;
                }
            }
        }
    }
    Ok(())
}

/// Two templates are the same when they were written the same.
impl PartialEq for JsonPathTemplate {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source && self.allow_missing_keys == other.allow_missing_keys
    }
}

impl Eq for JsonPathTemplate {}

impl FromStr for JsonPathTemplate {
    type Err = OutputError;
    fn from_str(source: &str) -> Result<Self, Self::Err> {
        JsonPathTemplate::parse(source)
    }
}

impl fmt::Display for JsonPathTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

/// An open `{range}` while parsing: what it iterates over, where it started, and its body.
struct OpenRange {
    over: Path,
    offset: usize,
    body: Vec<Node>,
}

fn parse_template(source: &str) -> Result<Vec<Node>, String> {
    let mut top = Vec::new();
    let mut open: Vec<OpenRange> = Vec::new();
    let mut offset = 0;
    while offset < source.len() {
        let rest = &source[offset..];
        let Some(start) = rest.find('{') else {
            current(&mut top, &mut open).push(Node::Text(rest.to_string()));
            break;
        };
        if start > 0 {
            current(&mut top, &mut open).push(Node::Text(rest[..start].to_string()));
        }
        let action_offset = offset + start;
        let action_len = action_len(&rest[start..]).ok_or_else(|| {
            format!(
                "unclosed action at offset {action_offset}: {:?} has no closing '}}'",
                &rest[start..]
            )
        })?;
        let inner = rest[start + 1..start + action_len - 1].trim();
        offset = action_offset + action_len;
        let at = |problem: String| format!("{problem} in {{{inner}}} at offset {action_offset}");

        if inner.is_empty() {
            return Err(format!("empty action {{}} at offset {action_offset}"));
        } else if inner.starts_with(['"', '\'']) {
            let text = unquote(inner).map_err(at)?;
            current(&mut top, &mut open).push(Node::Text(text));
        } else if inner == "end" {
            let Some(finished) = open.pop() else {
                return Err(format!(
                    "{{end}} at offset {action_offset} has no matching {{range}}"
                ));
            };
            current(&mut top, &mut open).push(Node::Range {
                over: finished.over,
                body: finished.body,
            });
        } else if let Some(over) = inner
            .strip_prefix("range")
            .filter(|rest| rest.starts_with(char::is_whitespace))
        {
            open.push(OpenRange {
                over: compile_path(over.trim()).map_err(at)?,
                offset: action_offset,
                body: Vec::new(),
            });
        } else {
            let path = compile_path(inner).map_err(at)?;
            current(&mut top, &mut open).push(Node::Path(path));
        }
    }
    if let Some(unclosed) = open.last() {
        return Err(format!(
            "{{range {}}} at offset {} has no {{end}}",
            unclosed.over.written, unclosed.offset
        ));
    }
    Ok(top)
}

/// Where parsed nodes go: the body of the innermost open range, or the top level.
fn current<'a>(top: &'a mut Vec<Node>, open: &'a mut [OpenRange]) -> &'a mut Vec<Node> {
    match open.last_mut() {
        Some(range) => &mut range.body,
        None => top,
    }
}

/// Length of the action starting at `text[0] == '{'`, up to and including its `}`. A `}`
/// inside a quoted string (`{"}"}`, `[?(@.a=="}")]`) does not close it.
fn action_len(text: &str) -> Option<usize> {
    let mut quote = None;
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        match quote {
            Some(_) if escaped => escaped = false,
            Some(_) if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '}' => return Some(i + 1),
            None => {}
        }
    }
    None
}

/// A string literal action such as `{"\n"}` or `{'-'}`, with Go's common escapes.
fn unquote(literal: &str) -> Result<String, String> {
    let mut chars = literal.chars();
    let quote = chars.next().unwrap_or('"');
    let mut text = String::new();
    let mut closed = false;
    while let Some(c) = chars.next() {
        if closed {
            return Err(format!("unexpected text after the string {literal}"));
        }
        match c {
            '\\' => text.push(match chars.next() {
                Some('n') => '\n',
                Some('t') => '\t',
                Some('r') => '\r',
                Some('0') => '\0',
                Some(c @ ('\\' | '"' | '\'')) => c,
                Some(other) => return Err(format!("unknown escape \\{other}")),
                None => return Err("unterminated quoted string".to_string()),
            }),
            c if c == quote => closed = true,
            c => text.push(c),
        }
    }
    if closed {
        Ok(text)
    } else {
        Err("unterminated quoted string".to_string())
    }
}

/// Turns a kubectl path (`.metadata.name`, `$.items[*].status`, `@`, `..name`,
/// `.metadata.labels.app\.kubernetes\.io/name`) into RFC 9535 syntax for jsonpath-rust:
/// field names become `['name']`, because kubectl allows `-`, `/` and escaped dots in them
/// where RFC 9535's `.name` shorthand does not. Bracket selectors (`[*]`, `[0]`, `[1:3]`,
/// `['key']`, `[?(@.a=="b")]`) are already written the same way in both and are kept.
fn compile_path(written: &str) -> Result<Path, String> {
    let rfc = to_rfc9535(written)?;
    let query = parse_json_path(&rfc).map_err(|err| {
        let detail = err.to_string();
        let detail = detail.lines().last().unwrap_or_default().trim();
        format!("invalid path {written:?} (read as {rfc:?}: {detail})")
    })?;
    Ok(Path {
        written: written.to_string(),
        query,
    })
}

fn to_rfc9535(written: &str) -> Result<String, String> {
    let body = written
        .strip_prefix(['$', '@'])
        .unwrap_or(written)
        .trim_start();
    let mut out = String::from("$");
    if body == "." {
        return Ok(out);
    }
    let mut i = 0;
    while i < body.len() {
        let rest = &body[i..];
        if rest.starts_with('[') {
            let len = bracket_len(rest).ok_or_else(|| format!("unclosed '[' in {written:?}"))?;
            out.push_str(&rest[..len]);
            i += len;
        } else if rest.starts_with('.') {
            let descent = rest.starts_with("..");
            i += if descent { 2 } else { 1 };
            if descent {
                out.push_str("..");
            }
            let after = &body[i..];
            if after.starts_with('*') {
                out.push_str(if descent { "*" } else { "[*]" });
                i += 1;
            } else if !after.starts_with('[') {
                let (name, consumed) = field_name(after);
                if name.is_empty() {
                    return Err(format!("missing field name after '.' in {written:?}"));
                }
                out.push_str("['");
                out.push_str(&name.replace('\\', "\\\\").replace('\'', "\\'"));
                out.push_str("']");
                i += consumed;
            }
        } else if rest.starts_with(char::is_whitespace) {
            i += rest.chars().next().map_or(1, char::len_utf8);
        } else {
            return Err(format!(
                "unexpected {:?} in {written:?}; paths start with '.', '[' or '$'",
                rest.chars().next().unwrap_or_default()
            ));
        }
    }
    Ok(out)
}

/// A field name up to the next unescaped `.`, `[` or space; `\x` stands for `x`.
fn field_name(text: &str) -> (String, usize) {
    let mut name = String::new();
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, escaped)) => name.push(escaped),
                None => return (name, text.len()),
            },
            '.' | '[' => return (name, i),
            c if c.is_whitespace() => return (name, i),
            c => name.push(c),
        }
    }
    (name, text.len())
}

/// Length of the bracket selector at `text[0] == '['`, up to its matching `]`; filters can
/// nest brackets and quote them.
fn bracket_len(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match quote {
            Some(_) if escaped => escaped = false,
            Some(_) if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '[' => depth += 1,
            None if c == ']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            None => {}
        }
    }
    None
}

fn render_nodes(
    nodes: &[Node],
    document: &Value,
    allow_missing_keys: bool,
    out: &mut String,
) -> Result<(), String> {
    for node in nodes {
        match node {
            Node::Text(text) => out.push_str(text),
            Node::Path(path) => {
                let found = path.find(document, allow_missing_keys)?;
                for (i, value) in found.into_iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    match value {
                        Value::String(text) => out.push_str(text),
                        other => out.push_str(&other.to_string()),
                    }
                }
            }
            Node::Range { over, body } => {
                for item in over.find(document, allow_missing_keys)? {
                    render_nodes(body, item, allow_missing_keys, out)?;
                }
            }
        }
    }
    Ok(())
}

impl Path {
    fn find<'a>(
        &self,
        document: &'a Value,
        allow_missing_keys: bool,
    ) -> Result<Vec<&'a Value>, String> {
        let found = run(&self.query, document)?;
        if found.is_empty()
            && !allow_missing_keys
            && let Some(reason) = self.why_nothing_found(document)
        {
            return Err(reason);
        }
        Ok(found)
    }

    /// kubectl's rule: a field is "not found" when the values it is looked up in exist but
    /// none has it. Finds the first segment that turned something into nothing; a wildcard,
    /// slice or filter that selects nothing is a legitimate empty result.
    fn why_nothing_found(&self, document: &Value) -> Option<String> {
        let segments = &self.query.segments;
        for end in 1..=segments.len() {
            let prefix = JpQuery::new(segments[..end].to_vec());
            if run(&prefix, document).is_ok_and(|found| found.is_empty()) {
                return match &segments[end - 1] {
                    Segment::Selector(Selector::Name(name)) => Some(format!("{name} is not found")),
                    Segment::Selector(Selector::Index(index)) => {
                        Some(format!("array index out of bounds: index {index}"))
                    }
                    _ => None,
                };
            }
        }
        None
    }
}

fn run<'a>(query: &JpQuery, document: &'a Value) -> Result<Vec<&'a Value>, String> {
    js_path_process(query, document)
        .map(|found| found.into_iter().map(|r| r.val()).collect())
        .map_err(|err| err.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// As `--allow-missing-template-keys=false`: the strict rule most tests pin down.
    fn render(template: &str, document: &Value) -> Result<String, OutputError> {
        JsonPathTemplate::parse(template)?
            .allow_missing_keys(false)
            .render(document)
    }

    fn list() -> Value {
        json!({
            "kind": "List",
            "items": [
                {"metadata": {"name": "a", "labels": {"app.kubernetes.io/name": "x-1"}},
                 "status": {"url": "https://a", "state": "OK"}},
                {"metadata": {"name": "b"}, "status": {"state": "Error", "n": 3}},
            ],
        })
    }

    #[test]
    fn literal_text_and_paths() {
        let doc = list();
        assert_eq!(render("{.kind}", &doc).unwrap(), "List");
        assert_eq!(render("kind={.kind}!", &doc).unwrap(), "kind=List!");
        assert_eq!(render("{$.kind}", &doc).unwrap(), "List");
        assert_eq!(render("{ .kind }", &doc).unwrap(), "List");
        assert_eq!(
            render(
                r#"name={.items[0].metadata.name} url={.items[0].status.url}{"\n"}"#,
                &doc
            )
            .unwrap(),
            "name=a url=https://a\n"
        );
        assert_eq!(render(r#"{'\t'}{"\"}\""}"#, &doc).unwrap(), "\t\"}\"");
        assert_eq!(render("no actions", &doc).unwrap(), "no actions");
    }

    #[test]
    fn arrays_join_with_spaces_and_non_strings_print_as_json() {
        let doc = list();
        assert_eq!(render("{.items[*].metadata.name}", &doc).unwrap(), "a b");
        assert_eq!(render("{.items[1].status.n}", &doc).unwrap(), "3");
        assert_eq!(
            render("{.items[1].metadata}", &doc).unwrap(),
            r#"{"name":"b"}"#
        );
        assert_eq!(render("{.items[-1].metadata.name}", &doc).unwrap(), "b");
        assert_eq!(
            render(
                r#"{.items[?(@.status.state=="Error")].metadata.name}"#,
                &doc
            )
            .unwrap(),
            "b"
        );
        assert_eq!(render("{..name}", &doc).unwrap(), "a b");
    }

    #[test]
    fn field_names_may_hold_kubectl_characters() {
        let doc = list();
        assert_eq!(
            render(
                r"{.items[0].metadata.labels.app\.kubernetes\.io/name}",
                &doc
            )
            .unwrap(),
            "x-1"
        );
        assert_eq!(
            render(
                "{.items[0].metadata.labels['app.kubernetes.io/name']}",
                &doc
            )
            .unwrap(),
            "x-1"
        );
    }

    #[test]
    fn range_iterates_with_each_item_as_root() {
        let doc = list();
        assert_eq!(
            render(
                r#"{range .items[*]}{.metadata.name}={.status.state}{"\n"}{end}"#,
                &doc
            )
            .unwrap(),
            "a=OK\nb=Error\n"
        );
        let nested = json!({"items": [{"xs": [1, 2]}, {"xs": [3]}]});
        assert_eq!(
            render("{range .items[*]}[{range .xs[*]}<{@}>{end}]{end}", &nested).unwrap(),
            "[<1><2>][<3>]"
        );
        let empty = json!({"items": []});
        assert_eq!(
            render("{range .items[*]}x{end}done", &empty).unwrap(),
            "done"
        );
        assert_eq!(render("{.items[*].metadata.name}", &empty).unwrap(), "");
    }

    #[test]
    fn missing_key_is_an_error_like_kubectl() {
        let doc = list();
        let err = render("{.foo}", &doc).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"error executing jsonpath "{.foo}": foo is not found"#
        );
        let err = render("{.items[0].status.token}", &doc).unwrap_err();
        assert!(err.to_string().contains("token is not found"), "{err}");
        // One item having the field is enough, as in kubectl.
        assert_eq!(render("{.items[*].status.url}", &doc).unwrap(), "https://a");
        let err = render("{.items[5].metadata}", &doc).unwrap_err();
        assert!(
            err.to_string().contains("array index out of bounds"),
            "{err}"
        );
        let lenient = JsonPathTemplate::parse("[{.foo}]")
            .unwrap()
            .allow_missing_keys(true);
        assert_eq!(lenient.render(&doc).unwrap(), "[]");
    }

    #[test]
    fn missing_keys_print_nothing_by_default_like_kubectl() {
        let doc = list();
        let template = JsonPathTemplate::parse("[{.foo}{.items[0].status.token}]").unwrap();
        assert_eq!(template.render(&doc).unwrap(), "[]");
        assert_eq!(
            JsonPathTemplate::parse("{.items[5].metadata}")
                .unwrap()
                .render(&doc)
                .unwrap(),
            ""
        );
    }

    #[test]
    fn as_json_prints_each_actions_results_as_an_array() {
        let doc = list();
        let template = JsonPathTemplate::parse(
            "{.items[*].metadata.name}x{.nope}{range .items[*]}<{.status.n}>{end}",
        )
        .unwrap();
        assert_eq!(
            template.render_json(&doc).unwrap(),
            "[\n    \"a\",\n    \"b\"\n]\n[\n    \"x\"\n]\n[]\n[\n    \"<\"\n]\n[]\n[\n    \">\"\n]\n\
             [\n    \"<\"\n]\n[\n    3\n]\n[\n    \">\"\n]\n"
        );
        let strict = template.clone().allow_missing_keys(false);
        assert!(strict.render_json(&doc).is_err());
    }

    #[test]
    fn relaxed_paths_are_kubectls() {
        let doc = list();
        for written in ["{.kind}", ".kind", "kind", "{kind}"] {
            let template = JsonPathTemplate::relaxed(written).unwrap();
            assert_eq!(template.as_str(), "{.kind}", "{written}");
            assert_eq!(template.render(&doc).unwrap(), "List");
        }
        assert_eq!(
            JsonPathTemplate::relaxed(".nope")
                .unwrap()
                .render(&doc)
                .unwrap(),
            ""
        );
        for bad in ["", "{}", "{.a}{.b}", "."] {
            assert!(JsonPathTemplate::relaxed(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn malformed_templates_are_refused_with_the_place() {
        let cases = [
            ("{.status.url", "unclosed action at offset 0"),
            ("a {.x} {", "unclosed action at offset 7"),
            ("{}", "empty action {} at offset 0"),
            ("{end}", "has no matching {range}"),
            (
                "{range .items[*]}{.a}",
                "{range .items[*]} at offset 0 has no {end}",
            ),
            (r#"{"\q"}"#, r"unknown escape \q"),
            ("{.items[0}", "unclosed '['"),
            ("{.items[x]}", "invalid path \".items[x]\""),
            ("{status.url}", "paths start with '.', '[' or '$'"),
            ("{.a.}", "missing field name after '.'"),
        ];
        for (template, problem) in cases {
            let err = JsonPathTemplate::parse(template).unwrap_err();
            let message = err.to_string();
            assert!(
                message.starts_with(&format!("error parsing jsonpath {template:?}: ")),
                "{message}"
            );
            assert!(message.contains(problem), "{template}: {message}");
        }
    }
}
