//! The longer texts of [`super::Error`]: close names for a missing one, and what to do after
//! an interruption.

use crate::text::quote_for_message;

/// ` (did you mean "a", "b" or "c"?)` for names close to a missing one; empty without any.
pub(crate) fn did_you_mean(suggestions: &[String]) -> String {
    let quoted: Vec<String> = suggestions.iter().map(|s| quote_for_message(s)).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((only, [])) => format!(" (did you mean {only}?)"),
        Some((last, rest)) => format!(" (did you mean {} or {last}?)", rest.join(", ")),
    }
}

pub(super) fn left_behind_hint(left_behind: &Option<(String, String)>) -> String {
    match left_behind {
        Some((namespace, name)) => format!(
            "; TokenRequest {namespace}/{name} was created and left in place. Delete it with: \
             kubectl tokenrequest delete {name} -n {namespace}"
        ),
        None => String::new(),
    }
}
