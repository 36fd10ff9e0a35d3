//! What is wrong with the manifests, and where: the file, the document, the List item, the line
//! when the parser gives one.

use std::fmt;

/// Where in the input something is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The file as given, or `stdin` for `-f -`.
    pub file: String,
    /// 1-based, counting the documents that are not empty.
    pub document: Option<usize>,
    /// 1-based, in a List's `items`.
    pub item: Option<usize>,
    /// 1-based line and column in the file.
    pub line: Option<(u64, u64)>,
}

impl Place {
    pub fn file(file: &str) -> Self {
        Place {
            file: file.to_string(),
            document: None,
            item: None,
            line: None,
        }
    }

    pub fn document(file: &str, document: usize) -> Self {
        Place {
            document: Some(document),
            ..Place::file(file)
        }
    }

    pub fn item(&self, item: usize) -> Self {
        Place {
            item: Some(item),
            ..self.clone()
        }
    }

    pub fn at_line(self, line: u64, column: u64) -> Self {
        Place {
            line: Some((line, column)),
            ..self
        }
    }
}

/// `FILE, document N[, item M][, line L, column C]`: how messages and the results name a
/// manifest.
impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(document) = self.document {
            write!(f, ", document {document}")?;
        }
        if let Some(item) = self.item {
            write!(f, ", item {item}")?;
        }
        if let Some((line, column)) = self.line {
            write!(f, ", line {line}, column {column}")?;
        }
        Ok(())
    }
}

/// A manifest refused: where, and what is wrong (with what to do).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{place}: {problem}")]
pub struct ManifestError {
    pub place: Place,
    pub problem: String,
}

impl ManifestError {
    pub fn new(place: &Place, problem: impl Into<String>) -> Self {
        ManifestError {
            place: place.clone(),
            problem: problem.into(),
        }
    }
}
