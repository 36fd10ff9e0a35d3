//! kubectl's `-o custom-columns=HEADER:PATH,...`: each column a header and a relaxed JSONPath
//! (`.metadata.name` or `{.metadata.name}`); a value that is not there prints `<none>`, several
//! values are joined with commas, and values print as Go's `fmt.Sprint` prints them
//! (`map[key:value]`, `[a b]`), so scripts written against kubectl read the same text.

use serde_json::Value;

use super::{JsonPathTemplate, OutputError};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomColumn {
    header: String,
    template: JsonPathTemplate,
}

impl CustomColumn {
    pub fn header(&self) -> &str {
        &self.header
    }

    /// The cell for `document` (the object, or with `--output-watch-events` the event).
    pub(super) fn cell(&self, document: &Value) -> String {
        let values: Vec<Value> = self
            .template
            .results(document)
            .unwrap_or_default()
            .into_iter()
            .flatten()
            .collect();
        if values.is_empty() {
            return "<none>".to_string();
        }
        values.iter().map(go_sprint).collect::<Vec<_>>().join(",")
    }
}

/// Parses the spec after `custom-columns=`, as kubectl does: split at commas, each part
/// `HEADER:PATH` split at its first colon.
pub fn parse_custom_columns(spec: &str) -> Result<Vec<CustomColumn>, OutputError> {
    if spec.is_empty() {
        return Err(OutputError::MissingColumns);
    }
    spec.split(',')
        .map(|part| {
            let Some((header, path)) = part.split_once(':') else {
                return Err(OutputError::InvalidColumns {
                    part: part.to_string(),
                });
            };
            Ok(CustomColumn {
                header: header.to_string(),
                template: JsonPathTemplate::relaxed(path)?,
            })
        })
        .collect()
}

/// A JSON value as Go's `fmt.Sprint` prints the `interface{}` kubectl decoded it into.
fn go_sprint(value: &Value) -> String {
    match value {
        Value::Null => "<nil>".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (_, Some(u), _) => u.to_string(),
            (_, _, Some(f)) => go_float(f),
            _ => n.to_string(),
        },
        Value::String(s) => s.clone(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(go_sprint).collect::<Vec<_>>().join(" ")
        ),
        // serde_json keeps keys sorted, as Go prints maps.
        Value::Object(map) => format!(
            "map[{}]",
            map.iter()
                .map(|(k, v)| format!("{k}:{}", go_sprint(v)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    }
}

/// Go's `%v` of a float64: the shortest text that reads back, with an exponent below 1e-4
/// and from 1e21 (`1e+21`, `1e-05`).
fn go_float(f: f64) -> String {
    let magnitude = f.abs();
    if f == 0.0 || (1e-4..1e21).contains(&magnitude) {
        return format!("{f}");
    }
    let text = format!("{f:e}");
    match text.split_once('e') {
        Some((mantissa, exponent)) => {
            let (sign, digits) = match exponent.strip_prefix('-') {
                Some(digits) => ('-', digits),
                None => ('+', exponent),
            };
            format!("{mantissa}e{sign}{digits:0>2}")
        }
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn specs_are_read_like_kubectls() {
        let columns = parse_custom_columns("N:.metadata.name,S:{.status.state},X:x.y").unwrap();
        let headers: Vec<&str> = columns.iter().map(CustomColumn::header).collect();
        assert_eq!(headers, ["N", "S", "X"]);
        let doc = json!({"metadata": {"name": "a"}, "status": {"state": "OK"}});
        let cells: Vec<String> = columns.iter().map(|c| c.cell(&doc)).collect();
        assert_eq!(cells, ["a", "OK", "<none>"]);
        assert!(matches!(
            parse_custom_columns(""),
            Err(OutputError::MissingColumns)
        ));
        let err = parse_custom_columns("N:.metadata.name,BROKEN").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unexpected custom-columns spec: BROKEN, expected <header>:<json-path-expr>"
        );
    }

    #[test]
    fn values_print_as_go_prints_them() {
        let doc = json!({
            "labels": {"b": "2", "a": "1"},
            "list": ["x", 1, true, null, {"k": [1.5]}],
            "items": [{"n": "a"}, {"n": "b"}],
            "small": 0.00001,
            "big": 1e21,
            "plain": 123.25,
        });
        let cell = |path: &str| parse_custom_columns(&format!("C:{path}")).unwrap()[0].cell(&doc);
        assert_eq!(cell(".labels"), "map[a:1 b:2]");
        assert_eq!(cell(".list"), "[x 1 true <nil> map[k:[1.5]]]");
        assert_eq!(cell(".items[*].n"), "a,b");
        assert_eq!(cell(".small"), "1e-05");
        assert_eq!(cell(".big"), "1e+21");
        assert_eq!(cell(".plain"), "123.25");
    }
}
