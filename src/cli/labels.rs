//! `create -l/--labels key=value,...`: the labels a new request carries, checked as the API
//! server checks them, so a bad one is refused (exit 2) before any request.

use std::collections::BTreeMap;

use crate::text::quote_for_message;

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
        check_key(key)
            .map_err(|why| format!("invalid label key {}: {why}", quote_for_message(key)))?;
        check_value(value)
            .map_err(|why| format!("invalid label value {}: {why}", quote_for_message(value)))?;
        labels.insert(key.to_string(), value.to_string());
    }
    Ok(labels)
}

const NAME_RULE: &str = "must be 63 characters or less, begin and end with a letter or digit, \
                         and contain only letters, digits, '-', '_' and '.'";

/// `[prefix/]name`: the prefix a DNS subdomain, the name as a label value but not empty.
fn check_key(key: &str) -> Result<(), String> {
    let (prefix, name) = match key.rsplit_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, key),
    };
    if let Some(prefix) = prefix {
        let subdomain = !prefix.is_empty()
            && prefix.len() <= 253
            && prefix.split('.').all(|part| {
                !part.is_empty()
                    && part.len() <= 63
                    && part
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    && !part.starts_with('-')
                    && !part.ends_with('-')
            });
        if !subdomain {
            return Err("its prefix (before '/') must be a lowercase DNS subdomain".to_string());
        }
    }
    if name.is_empty() {
        return Err("its name (after any prefix) must not be empty".to_string());
    }
    check_value(name)
}

fn check_value(value: &str) -> Result<(), String> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    let ends_ok = |c: Option<char>| c.is_none_or(|c| c.is_ascii_alphanumeric());
    if value.len() > 63
        || !value.chars().all(allowed)
        || !ends_ok(value.chars().next())
        || !ends_ok(value.chars().last())
    {
        return Err(NAME_RULE.to_string());
    }
    Ok(())
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
