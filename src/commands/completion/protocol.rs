//! Cobra's completion protocol, which kubectl speaks with plugins: one candidate per line
//! (optionally `value<TAB>description`), then a `:<directive>` line.

/// Cobra's `ShellCompDirective` bits.
pub mod directive {
    /// Complete file names (the shell's default).
    pub const DEFAULT: u32 = 0;
    /// Do not add a space after the candidate (`jsonpath=` is followed by the template).
    pub const NO_SPACE: u32 = 2;
    /// Do not fall back to file names when there are no candidates.
    pub const NO_FILE_COMP: u32 = 4;
    /// Complete directory names only.
    pub const FILTER_DIRS: u32 = 16;
}

/// One completion candidate: the value and an optional one-line description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub value: String,
    pub help: Option<String>,
}

impl Candidate {
    pub fn plain(value: impl Into<String>) -> Self {
        Candidate {
            value: value.into(),
            help: None,
        }
    }
}

/// The answer to one `__complete` call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub candidates: Vec<Candidate>,
    pub directive: u32,
}

impl Completion {
    pub fn new(candidates: Vec<Candidate>, directive: u32) -> Self {
        Completion {
            candidates,
            directive,
        }
    }

    /// Cobra's wire format: `value[\tdescription]` per line, then `:<directive>`.
    pub fn render(&self) -> String {
        let mut text = String::new();
        for candidate in &self.candidates {
            // A newline or tab inside a value or description would break the protocol.
            let clean = |s: &str| s.replace(['\n', '\r', '\t'], " ");
            text.push_str(&clean(&candidate.value));
            if let Some(help) = candidate.help.as_deref().filter(|h| !h.is_empty()) {
                text.push('\t');
                text.push_str(&clean(help));
            }
            text.push('\n');
        }
        text.push_str(&format!(":{}\n", self.directive));
        text
    }
}
