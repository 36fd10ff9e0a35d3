//! A file's bytes into documents: UTF-8 text, then JSON (one or several values, when it starts
//! with `{` or `[`, as kubectl decides) or YAML documents split at `---` lines, as kubectl
//! splits them. Empty documents are skipped and not counted.

use serde_json::Value;
use serde_saphyr::MessageFormatter as _;

use super::error::{ManifestError, Place};

/// One document and where it is.
pub(super) struct Document {
    pub place: Place,
    pub value: Value,
}

pub(super) fn documents(file: &str, bytes: &[u8]) -> Result<Vec<Document>, ManifestError> {
    let text = std::str::from_utf8(bytes).map_err(|error| {
        let at = error.valid_up_to();
        let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
        ManifestError::new(
            &Place::file(file),
            format!(
                "not UTF-8 text (byte 0x{:02x} on line {line} is not UTF-8): manifests are YAML \
                 or JSON, which are UTF-8",
                bytes[at]
            ),
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let documents = if text.trim_start().starts_with(['{', '[']) {
        json_documents(file, text)?
    } else {
        yaml_documents(file, text)?
    };
    if documents.is_empty() {
        let what = if text.trim().is_empty() {
            "the file is empty"
        } else {
            "it holds only comments or empty documents"
        };
        return Err(ManifestError::new(
            &Place::file(file),
            format!("no TokenRequest in it: {what}"),
        ));
    }
    Ok(documents)
}

/// Concatenated JSON values, each a document.
fn json_documents(file: &str, text: &str) -> Result<Vec<Document>, ManifestError> {
    let mut documents = Vec::new();
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    loop {
        let place = Place::document(file, documents.len() + 1);
        match stream.next() {
            None => return Ok(documents),
            Some(Ok(value)) => documents.push(Document { place, value }),
            Some(Err(error)) => {
                let text = error.to_string();
                // serde_json ends its message with the position, which the place says.
                let message = text.rsplit_once(" at line ").map_or(&*text, |(m, _)| m);
                let place = place.at_line(error.line() as u64, error.column() as u64);
                return Err(ManifestError::new(
                    &place,
                    format!("not valid JSON: {message}"),
                ));
            }
        }
    }
}

/// YAML documents, split before every line that starts with `---` (the marker stays with its
/// document, so line numbers are the file's).
fn yaml_documents(file: &str, text: &str) -> Result<Vec<Document>, ManifestError> {
    let mut documents = Vec::new();
    for (first_line, chunk) in chunks(text) {
        let place = Place::document(file, documents.len() + 1);
        let options = serde_saphyr::options! { with_snippet: false };
        match serde_saphyr::from_str_with_options::<Option<Value>>(chunk, options) {
            Ok(None | Some(Value::Null)) => {}
            Ok(Some(value)) => documents.push(Document { place, value }),
            Err(error) => {
                let error = error.without_snippet();
                let message = serde_saphyr::UserMessageFormatter.format_message(error);
                let place = match error.location() {
                    Some(at) => place.at_line(at.line() + first_line - 1, at.column()),
                    None => place,
                };
                return Err(ManifestError::new(
                    &place,
                    format!("not valid YAML: {message}"),
                ));
            }
        }
    }
    Ok(documents)
}

/// `text` cut before each document marker line, with the 1-based line each piece starts on.
fn chunks(text: &str) -> Vec<(u64, &str)> {
    let mut chunks = Vec::new();
    let (mut start, mut start_line, mut line) = (0, 1, 1);
    let mut offset = 0;
    for piece in text.split_inclusive('\n') {
        let marker = piece
            .strip_prefix("---")
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(char::is_whitespace));
        if marker && offset > start {
            chunks.push((start_line, &text[start..offset]));
            (start, start_line) = (offset, line);
        }
        offset += piece.len();
        line += 1;
    }
    if offset > start {
        chunks.push((start_line, &text[start..]));
    }
    chunks
}
