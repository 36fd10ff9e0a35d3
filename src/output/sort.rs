//! kubectl's `--sort-by=JSONPATH`: the list ordered by one field of each request, as kubectl
//! 1.32 orders unstructured objects: numbers numerically, strings byte by byte (so `x10`
//! before `x9`), the sort stable. A field no request has is an error; requests without it come
//! first, in the order they were listed (kubectl's order among them is an accident of its
//! sort algorithm).

use std::cmp::Ordering;

use serde_json::Value;

use super::value::object_value;
use super::{JsonPathTemplate, OutputError};
use crate::tokenrequest::TokenRequest;

/// A parsed `--sort-by`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SortBy {
    template: JsonPathTemplate,
}

/// Reads `--sort-by` (`{.metadata.name}`, `.metadata.name` or `metadata.name`).
pub fn parse_sort_by(text: &str) -> Result<SortBy, String> {
    JsonPathTemplate::relaxed(text)
        .map(|template| SortBy { template })
        .map_err(|e| e.to_string())
}

/// The key a request sorts by: the first value the path finds.
#[derive(Debug)]
enum Key {
    Missing,
    Number(f64),
    Text(String),
}

impl SortBy {
    /// Sorts `items` in place; on error they are left as they were.
    pub fn sort(&self, items: &mut Vec<TokenRequest>) -> Result<(), OutputError> {
        let path = || self.template.as_str().to_string();
        let keys = items
            .iter()
            .map(|item| self.key(item))
            .collect::<Result<Vec<Key>, _>>()?;
        if !keys.is_empty() && keys.iter().all(|key| matches!(key, Key::Missing)) {
            return Err(OutputError::SortFieldMissing { path: path() });
        }
        let mut mixed = false;
        let mut order: Vec<usize> = (0..keys.len()).collect();
        order.sort_by(|&a, &b| match (&keys[a], &keys[b]) {
            (Key::Missing, Key::Missing) => Ordering::Equal,
            (Key::Missing, _) => Ordering::Less,
            (_, Key::Missing) => Ordering::Greater,
            (Key::Number(a), Key::Number(b)) => a.total_cmp(b),
            (Key::Text(a), Key::Text(b)) => a.as_bytes().cmp(b.as_bytes()),
            _ => {
                mixed = true;
                Ordering::Equal
            }
        });
        if mixed {
            return Err(OutputError::Unsortable {
                path: path(),
                reason: "its values are numbers for some requests and text for others".into(),
            });
        }
        let mut slots: Vec<Option<TokenRequest>> = items.drain(..).map(Some).collect();
        items.extend(order.into_iter().filter_map(|i| slots[i].take()));
        Ok(())
    }

    fn key(&self, item: &TokenRequest) -> Result<Key, OutputError> {
        let document = object_value(item)?;
        let first = self
            .template
            .results(&document)?
            .into_iter()
            .flatten()
            .next();
        Ok(match first {
            None => Key::Missing,
            Some(Value::Number(n)) => Key::Number(n.as_f64().unwrap_or_default()),
            Some(Value::String(s)) => Key::Text(s),
            Some(other) => {
                let kind = match other {
                    Value::Bool(_) => "a boolean",
                    Value::Array(_) => "a list",
                    Value::Object(_) => "an object",
                    _ => "null",
                };
                return Err(OutputError::Unsortable {
                    path: self.template.as_str().to_string(),
                    reason: format!(
                        "the field of {} is {kind}; sort by a field that is a number or text",
                        item.name()
                    ),
                });
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labelled(name: &str, label: Option<&str>) -> TokenRequest {
        let mut tr = TokenRequest::new(name, None);
        if let Some(label) = label {
            tr.metadata.labels = Some([("s".to_string(), label.to_string())].into());
        }
        tr
    }

    fn names(items: &[TokenRequest]) -> Vec<&str> {
        items.iter().map(TokenRequest::name).collect()
    }

    #[test]
    fn text_sorts_byte_by_byte_and_missing_fields_come_first() {
        // What kubectl 1.32 printed for these labels against the sandbox.
        let mut items = vec![
            labelled("m1", Some("x10")),
            labelled("m2", Some("x9")),
            labelled("none-1", None),
            labelled("m3", Some("x09")),
            labelled("m4", Some("X1")),
            labelled("m5", Some("x1a")),
            labelled("m6", Some("10")),
            labelled("none-2", None),
        ];
        parse_sort_by(".metadata.labels.s")
            .unwrap()
            .sort(&mut items)
            .unwrap();
        assert_eq!(
            names(&items),
            ["none-1", "none-2", "m6", "m4", "m3", "m1", "m5", "m2"]
        );
    }

    #[test]
    fn numbers_sort_numerically() {
        let mut items: Vec<TokenRequest> = [("a", 10), ("b", 9), ("c", 100)]
            .into_iter()
            .map(|(name, generation)| {
                let mut tr = TokenRequest::new(name, None);
                tr.metadata.generation = Some(generation);
                tr
            })
            .collect();
        parse_sort_by("{.metadata.generation}")
            .unwrap()
            .sort(&mut items)
            .unwrap();
        assert_eq!(names(&items), ["b", "a", "c"]);
    }

    #[test]
    fn a_field_nobody_has_or_that_cannot_be_ordered_is_an_error() {
        let mut items = vec![labelled("a", None), labelled("b", None)];
        let err = parse_sort_by(".nope")
            .unwrap()
            .sort(&mut items)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "couldn't find any field with path \"{.nope}\" in the list of objects"
        );
        assert_eq!(names(&items), ["a", "b"], "left as they were");
        let mut empty = Vec::new();
        parse_sort_by(".nope").unwrap().sort(&mut empty).unwrap();
        let mut items = vec![labelled("a", Some("x"))];
        let err = parse_sort_by(".metadata.labels")
            .unwrap()
            .sort(&mut items)
            .unwrap_err();
        assert!(err.to_string().contains("is an object"), "{err}");
        assert!(parse_sort_by("{.a}{.b}").is_err());
    }
}
