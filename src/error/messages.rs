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

/// What an interrupted run left: which requests it created, and one `delete` (a namespace)
/// that removes them all.
pub(super) fn left_behind_hint(left_behind: &[(String, String)]) -> String {
    match left_behind {
        [] => String::new(),
        [(namespace, name)] => format!(
            "; TokenRequest {namespace}/{name} was created and left in place. Delete it with: \
             kubectl tokenrequest delete {name} -n {namespace}"
        ),
        several => {
            // Sorted, so the same requests always give the same line whatever order the
            // concurrent creates finished in.
            let mut by_namespace: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
            for (namespace, name) in several {
                by_namespace.entry(namespace).or_default().push(name);
            }
            for names in by_namespace.values_mut() {
                names.sort_unstable();
            }
            let created: Vec<String> = several.iter().map(|(ns, n)| format!("{ns}/{n}")).collect();
            let commands: Vec<String> = by_namespace
                .iter()
                .map(|(namespace, names)| {
                    format!(
                        "kubectl tokenrequest delete {} -n {namespace}",
                        names.join(" ")
                    )
                })
                .collect();
            format!(
                "; {} TokenRequests were created and left in place ({}). Delete them with: {}",
                several.len(),
                created.join(", "),
                commands.join(" && ")
            )
        }
    }
}
