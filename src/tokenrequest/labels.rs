//! Kubernetes' label rules: keys and values as the API server checks them, and label
//! selectors as kubectl parses them before sending one, so a bad one is refused before any
//! request.

use crate::text::quote_for_message;

/// Checks a label selector as kubectl parses it before sending it (apimachinery's
/// `labels.Parse`): requirements separated by commas, each `key`, `!key`, `key=value`,
/// `key==value`, `key!=value`, `key in (v1,v2)`, `key notin (v1,v2)`, `key>N` or `key<N`, with
/// keys and values held to the label rules. Written here: the grammar is a few lines, and no
/// crate of the tree parses it.
pub fn check_selector(text: &str) -> Result<(), String> {
    let fail = |why: String| format!("invalid label selector {}: {why}", quote_for_message(text));
    // As kubectl: an empty selector selects everything.
    if text.trim().is_empty() {
        return Ok(());
    }
    let mut tokens = Tokens::new(text);
    loop {
        requirement(&mut tokens).map_err(fail)?;
        match tokens.next() {
            None => return Ok(()),
            Some(Token::Comma) => {}
            Some(other) => {
                return Err(fail(format!(
                    "found {}, expected ',' or the end",
                    other.shown()
                )));
            }
        }
    }
}

fn requirement(tokens: &mut Tokens<'_>) -> Result<(), String> {
    let negated = tokens.peek() == Some(Token::Bang);
    if negated {
        tokens.next();
    }
    let key = match tokens.next() {
        Some(Token::Word(key)) => key,
        other => {
            return Err(format!(
                "found {}, expected a label key",
                other.map_or("the end".to_string(), |t| t.shown())
            ));
        }
    };
    check_label_key(key).map_err(|why| format!("key {}: {why}", quote_for_message(key)))?;
    if negated {
        return Ok(());
    }
    match tokens.peek() {
        None | Some(Token::Comma) => Ok(()),
        Some(Token::Equals | Token::DoubleEquals | Token::NotEquals) => {
            tokens.next();
            match tokens.peek() {
                Some(Token::Word(value)) => {
                    tokens.next();
                    check_label_value(value)
                        .map_err(|why| format!("value {}: {why}", quote_for_message(value)))
                }
                // `key=` selects an empty value.
                _ => Ok(()),
            }
        }
        Some(Token::Word(op @ ("in" | "notin"))) => {
            tokens.next();
            if tokens.next() != Some(Token::Open) {
                return Err(format!("expected '(' after {op}"));
            }
            loop {
                match tokens.next() {
                    Some(Token::Word(value)) => check_label_value(value)
                        .map_err(|why| format!("value {}: {why}", quote_for_message(value)))?,
                    other => {
                        return Err(format!(
                            "found {}, expected a value in the ({op}) list",
                            other.map_or("the end".to_string(), |t| t.shown())
                        ));
                    }
                }
                match tokens.next() {
                    Some(Token::Comma) => {}
                    Some(Token::Close) => return Ok(()),
                    other => {
                        return Err(format!(
                            "found {}, expected ',' or ')'",
                            other.map_or("the end".to_string(), |t| t.shown())
                        ));
                    }
                }
            }
        }
        Some(Token::Greater | Token::Less) => {
            tokens.next();
            match tokens.next() {
                Some(Token::Word(number)) if number.parse::<i64>().is_ok() => Ok(()),
                other => Err(format!(
                    "found {}, expected a whole number after '>' or '<'",
                    other.map_or("the end".to_string(), |t| t.shown())
                )),
            }
        }
        Some(other) => Err(format!(
            "found {} after key {}, expected an operator (=, ==, !=, in, notin, >, <), ',' or \
             the end",
            other.shown(),
            quote_for_message(key)
        )),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    Word(&'a str),
    Bang,
    Equals,
    DoubleEquals,
    NotEquals,
    Greater,
    Less,
    Open,
    Close,
    Comma,
}

impl Token<'_> {
    fn shown(&self) -> String {
        match self {
            Token::Word(word) => quote_for_message(word),
            Token::Bang => "'!'".into(),
            Token::Equals => "'='".into(),
            Token::DoubleEquals => "'=='".into(),
            Token::NotEquals => "'!='".into(),
            Token::Greater => "'>'".into(),
            Token::Less => "'<'".into(),
            Token::Open => "'('".into(),
            Token::Close => "')'".into(),
            Token::Comma => "','".into(),
        }
    }
}

/// The selector's tokens, whitespace between them skipped.
struct Tokens<'a> {
    rest: &'a str,
}

impl<'a> Tokens<'a> {
    fn new(text: &'a str) -> Self {
        Tokens { rest: text }
    }

    fn peek(&self) -> Option<Token<'a>> {
        Tokens { rest: self.rest }.next()
    }

    fn next(&mut self) -> Option<Token<'a>> {
        self.rest = self.rest.trim_start();
        let special = |c: char| c.is_whitespace() || "!=<>(),".contains(c);
        let (token, len) = match self.rest.chars().next()? {
            '!' if self.rest.starts_with("!=") => (Token::NotEquals, 2),
            '!' => (Token::Bang, 1),
            '=' if self.rest.starts_with("==") => (Token::DoubleEquals, 2),
            '=' => (Token::Equals, 1),
            '>' => (Token::Greater, 1),
            '<' => (Token::Less, 1),
            '(' => (Token::Open, 1),
            ')' => (Token::Close, 1),
            ',' => (Token::Comma, 1),
            _ => {
                let len = self.rest.find(special).unwrap_or(self.rest.len());
                (Token::Word(&self.rest[..len]), len)
            }
        };
        self.rest = &self.rest[len..];
        Some(token)
    }
}

const NAME_RULE: &str = "must be 63 characters or less, begin and end with a letter or digit, \
                         and contain only letters, digits, '-', '_' and '.'";

/// A label key: `[prefix/]name`, the prefix a DNS subdomain, the name as a label value but
/// not empty.
pub fn check_label_key(key: &str) -> Result<(), String> {
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
    check_label_value(name)
}

/// A label value: at most 63 letters, digits, `-`, `_` and `.`, beginning and ending with a
/// letter or digit, or empty.
pub fn check_label_value(value: &str) -> Result<(), String> {
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
    fn selectors_kubectl_takes_pass_as_given() {
        for text in [
            "app=my-app",
            "app==my-app,team!=payments",
            "app",
            "!app",
            "team in (a,b),tier notin (x)",
            " team in ( a , b ) , env = ci ",
            "example.com/tier=,app",
            "replicas>3,replicas<10",
            "kubectl-tokenrequest/doctor-probe=true",
            "",
        ] {
            assert_eq!(check_selector(text), Ok(()), "{text:?}");
        }
    }

    #[test]
    fn bad_selectors_are_refused_with_what_was_expected() {
        for (text, why) in [
            ("team in (a,b", "found the end, expected ',' or ')'"),
            ("team in a", "expected '(' after in"),
            ("team in ()", "expected a value in the (in) list"),
            ("bad key=x", "expected an operator"),
            ("a=b c", "expected ',' or the end"),
            ("Bad_Prefix/a=v", "lowercase DNS subdomain"),
            ("a=-v", "begin and end"),
            ("a>x", "whole number"),
            ("a,,b", "expected a label key"),
        ] {
            let error = check_selector(text).unwrap_err();
            assert!(error.contains(why), "{text:?}: {error}");
            assert!(error.starts_with("invalid label selector"), "{error}");
        }
    }
}
