//! Text for messages: user input quoted safely (for a message or a shell), error chains joined. A leaf module, so that
//! every other one may use it.

/// Quotes user input for an error message, escaping control characters and cutting very long
/// input so a hostile name cannot forge or flood the terminal.
pub fn quote_for_message(input: &str) -> String {
    const MAX: usize = 80;
    let escaped: String = input.chars().flat_map(char::escape_debug).collect();
    if escaped.chars().count() > MAX {
        let cut: String = escaped.chars().take(MAX).collect();
        format!("\"{cut}…\"")
    } else {
        format!("\"{escaped}\"")
    }
}

/// `text` as one POSIX shell word, quoted only when it needs to be (for commands a message
/// suggests).
pub fn shell_word(text: &str) -> String {
    // Quoting valid UTF-8 only adds ASCII quotes and backslashes: the result is UTF-8.
    String::from_utf8_lossy(&shell_quote::Sh::quote_vec(text)).into_owned()
}

/// The error and its sources joined, as anyhow prints them.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// The first error of type `T` behind `error`, looking into sources and into what an
/// `io::Error` wraps (whose `source()` skips the error it wraps; hyper, hyper-rustls and
/// tokio-rustls nest them so).
pub fn find_cause<'a, T: std::error::Error + 'static>(
    error: &'a (dyn std::error::Error + 'static),
) -> Option<&'a T> {
    if let Some(found) = error.downcast_ref::<T>() {
        return Some(found);
    }
    let wrapped = error
        .downcast_ref::<std::io::Error>()
        .and_then(|io| io.get_ref())
        .and_then(|inner| find_cause::<T>(inner));
    wrapped.or_else(|| error.source().and_then(find_cause::<T>))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_input_is_escaped_and_cut() {
        assert_eq!(quote_for_message("a\u{1b}[31m"), "\"a\\u{1b}[31m\"");
        assert!(quote_for_message(&"x".repeat(500)).ends_with("…\""));
    }

    #[derive(Debug, thiserror::Error)]
    #[error("{0}")]
    struct Wrapped(&'static str, #[source] Option<Box<Wrapped>>);

    #[test]
    fn chains_join_sources_once() {
        let refused = Wrapped("connection refused", None);
        let connect = Wrapped("connecting to 127.0.0.1:1", Some(Box::new(refused)));
        assert_eq!(
            error_chain(&connect),
            "connecting to 127.0.0.1:1: connection refused"
        );
        // A source already contained in the message is not repeated.
        let repeated = Wrapped("error: refused", Some(Box::new(Wrapped("refused", None))));
        assert_eq!(error_chain(&repeated), "error: refused");
    }
}
