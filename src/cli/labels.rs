//! `create -l/--labels key=value,...`: the labels a new request carries, checked as the API
//! server checks them, so a bad one is refused (exit 2) before any request.

use std::collections::BTreeMap;

use crate::text::quote_for_message;
use crate::tokenrequest::{check_label_key, check_label_value};

/// Parses `key=value,key2=value2` (kubectl's `--labels`); an empty text means no labels.
pub fn parse_labels(text: &str) -> Result<BTreeMap<String, String>, String> {
    let mut labels = BTreeMap::new();
    for spec in text.split(',').filter(|spec| !spec.is_empty()) {
        let Some((key, value)) = spec.split_once('=') else {
            return Err(format!(
                "invalid label spec {}: expected key=value",
                quote_for_message(spec)
            ));
        };
        check_label_key(key)
            .map_err(|why| format!("invalid label key {}: {why}", quote_for_message(key)))?;
        check_label_value(value)
            .map_err(|why| format!("invalid label value {}: {why}", quote_for_message(value)))?;
        labels.insert(key.to_string(), value.to_string());
    }
    Ok(labels)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_parsed_like_kubectls() {
        let labels = parse_labels("app=my-app,team=payments,example.com/tier=,x=a.b_c").unwrap();
        assert_eq!(
            labels.into_iter().collect::<Vec<_>>(),
            [
                ("app".to_string(), "my-app".to_string()),
                ("example.com/tier".to_string(), String::new()),
                ("team".to_string(), "payments".to_string()),
                ("x".to_string(), "a.b_c".to_string()),
            ]
        );
        assert!(parse_labels("").unwrap().is_empty());
    }

    #[test]
    fn bad_labels_are_refused_with_the_reason() {
        for (text, why) in [
            ("app", "expected key=value"),
            ("=v", "must not be empty"),
            ("-a=v", "begin and end with a letter"),
            ("a=v w", "contain only letters"),
            ("a=-v", "begin and end"),
            ("Bad_Prefix/a=v", "lowercase DNS subdomain"),
            ("/a=v", "lowercase DNS subdomain"),
            (&format!("a={}", "v".repeat(64)), "63 characters"),
            ("a=v\nx", "contain only letters"),
        ] {
            let err = parse_labels(text).unwrap_err();
            assert!(err.contains(why), "{text:?}: {err}");
        }
    }
}
