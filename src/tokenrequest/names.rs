//! Kubernetes' naming rules, checked before a name or namespace becomes part of a URL, with
//! messages that say what is wrong.

use crate::text::quote_for_message;

/// Checks a name the way the API server will (a lowercase RFC 1123 subdomain), so a bad name
/// is refused before any request, with a message that says what is wrong.
pub fn validate_name(name: &str) -> Result<(), String> {
    const RULE: &str = "a TokenRequest name (the Application name) must be a lowercase RFC 1123 subdomain: \
         lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, \
         at most 253 characters";
    let problem = if name.is_empty() {
        Some("it is empty".to_string())
    } else if name.len() > 253 {
        Some(format!("it is {} characters long", name.len()))
    } else if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '.'))
    {
        Some(format!("it contains {}", describe_char(c)))
    } else if let Some(label) = name
        .split('.')
        .find(|label| label.is_empty() || label.starts_with('-') || label.ends_with('-'))
    {
        if label.is_empty() {
            Some("it has an empty part between dots".to_string())
        } else {
            Some(format!("its part {label:?} starts or ends with '-'"))
        }
    } else {
        None
    };
    match problem {
        None => Ok(()),
        Some(problem) => Err(format!(
            "invalid name {}: {problem}; {RULE}",
            quote_for_message(name)
        )),
    }
}

/// Checks a namespace the way the API server will (an RFC 1123 label), so `-n 'Bad NS'` is
/// refused before it becomes part of a URL.
pub fn validate_namespace(namespace: &str) -> Result<(), String> {
    const RULE: &str = "a namespace must be a lowercase RFC 1123 label: at most 63 lowercase \
         letters, digits and '-', starting and ending with a letter or digit";
    let problem = if namespace.len() > 63 {
        Some(format!("it is {} characters long", namespace.len()))
    } else if let Some(c) = namespace
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        Some(format!("it contains {}", describe_char(c)))
    } else if namespace.starts_with('-') || namespace.ends_with('-') {
        Some("it starts or ends with '-'".to_string())
    } else {
        None
    };
    match problem {
        None => Ok(()),
        Some(problem) => Err(format!(
            "invalid namespace {}: {problem}; {RULE}",
            quote_for_message(namespace)
        )),
    }
}

fn describe_char(c: char) -> String {
    if c.is_ascii_uppercase() {
        format!(
            "the uppercase letter {c:?} (use {:?})",
            c.to_ascii_lowercase()
        )
    } else if c.is_control() {
        format!("the control character {:?}", c.escape_default().to_string())
    } else {
        format!("the character {c:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked_like_the_api_server() {
        for good in ["a", "my-app", "app.v2", "0x1", &"a".repeat(253)] {
            assert_eq!(validate_name(good), Ok(()), "{good}");
        }
        let cases = [
            ("", "it is empty"),
            ("Test_App", "uppercase letter 'T'"),
            ("my_app", "the character '_'"),
            ("-app", "starts or ends with '-'"),
            ("app.", "empty part"),
            ("a;rm -rf", "the character ';'"),
            ("a\nb", "control character"),
        ];
        for (bad, why) in cases {
            let err = validate_name(bad).unwrap_err();
            assert!(err.contains(why), "{bad:?}: {err}");
            assert!(err.contains("RFC 1123"), "{err}");
        }
        for good in ["default", "kyma-integration", "a1", &"n".repeat(63)] {
            assert_eq!(validate_namespace(good), Ok(()), "{good}");
        }
        for (bad, why) in [
            ("Bad NS", "uppercase letter 'B'"),
            ("a.b", "the character '.'"),
            ("-x", "starts or ends"),
            (&"n".repeat(64), "64 characters"),
        ] {
            let err = validate_namespace(bad).unwrap_err();
            assert!(err.contains(why), "{bad:?}: {err}");
        }
        let long = "a".repeat(254);
        assert!(validate_name(&long).unwrap_err().contains("254 characters"));
    }
}
