//! TokenRequest manifests for `create -f` and `connect -f`: read from files or stdin, one YAML
//! document or several (`---`), JSON, or a `List`; every document checked before anything is
//! sent, and refused naming the file, the document and (when the parser gives one) the line.
//! Kept of each: name, namespace, labels, annotations and `context`; what the API server and
//! the controller set on a stored request (`status`, `uid`, `resourceVersion`, ...) is
//! ignored, with a note. A pure parser besides the reading of the files: it knows nothing of
//! the cluster, the command line or the output.

mod document;
mod error;
mod input;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use crate::text::quote_for_message;
use crate::tokenrequest::ClusterContext;
pub use error::{ManifestError, Place};

/// One TokenRequest a manifest asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    pub name: String,
    /// `metadata.namespace`, when it names one.
    pub namespace: Option<String>,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub context: Option<ClusterContext>,
    pub place: Place,
    /// What the server or the controller sets, found here and ignored (`status`,
    /// `metadata.uid`, ...).
    pub ignored: Vec<String>,
}

/// What the `-f` files hold, in their order, and the notes to show before anything is sent.
#[derive(Debug, Default)]
pub struct Manifests {
    pub manifests: Vec<Manifest>,
    pub notes: Vec<String>,
}

/// Reads and checks every file of `-f` (`-` is stdin, read once): the first problem is the
/// error. Blocking: call it off the async runtime.
pub fn read(files: &[PathBuf]) -> Result<Manifests, ManifestError> {
    read_with(files, || {
        let mut bytes = Vec::new();
        std::io::stdin().lock().read_to_end(&mut bytes)?;
        Ok(bytes)
    })
}

/// [`read`], with stdin read by `stdin`.
pub fn read_with(
    files: &[PathBuf],
    mut stdin: impl FnMut() -> std::io::Result<Vec<u8>>,
) -> Result<Manifests, ManifestError> {
    let mut read = Manifests::default();
    let mut stdin_read = false;
    for file in &in_directories(files)? {
        let is_stdin = file.as_os_str() == "-";
        let label = if is_stdin {
            "stdin".to_string()
        } else {
            file.display().to_string()
        };
        let place = Place::file(&label);
        let bytes = if is_stdin {
            if std::mem::replace(&mut stdin_read, true) {
                return Err(ManifestError::new(
                    &place,
                    "-f - is given twice: stdin is read once; give -f - once",
                ));
            }
            stdin().map_err(|e| ManifestError::new(&place, format!("cannot read it: {e}")))?
        } else {
            read_file(file, &place)?
        };
        let manifests = parse(&label, &bytes)?;
        read.notes.extend(ignored_note(&label, &manifests));
        read.manifests.extend(manifests);
    }
    Ok(read)
}

/// The extensions kubectl reads from a directory given to `-f` (its `FileExtensions`).
const EXTENSIONS: [&str; 3] = ["json", "yaml", "yml"];

/// `files` with each directory replaced by its files ending in .json, .yaml or .yml, sorted
/// by name and not recursing, as `kubectl create -f DIR` reads it.
fn in_directories(files: &[PathBuf]) -> Result<Vec<PathBuf>, ManifestError> {
    let mut expanded = Vec::new();
    for file in files {
        if file.as_os_str() == "-" || !file.is_dir() {
            expanded.push(file.clone());
            continue;
        }
        let place = Place::file(&file.display().to_string());
        let entries = std::fs::read_dir(file)
            .map_err(|e| ManifestError::new(&place, format!("cannot read the directory: {e}")))?;
        let mut found = Vec::new();
        for entry in entries {
            let path = entry
                .map_err(|e| ManifestError::new(&place, format!("cannot read the directory: {e}")))?
                .path();
            let manifest = path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| EXTENSIONS.contains(&e));
            if manifest && !path.is_dir() {
                found.push(path);
            }
        }
        if found.is_empty() {
            return Err(ManifestError::new(
                &place,
                "a directory with no manifest in it: -f reads its files ending in .json, .yaml \
                 or .yml (not those of the directories in it)",
            ));
        }
        found.sort();
        expanded.extend(found);
    }
    Ok(expanded)
}

fn read_file(file: &Path, place: &Place) -> Result<Vec<u8>, ManifestError> {
    std::fs::read(file).map_err(|e| ManifestError::new(place, format!("cannot read it: {e}")))
}

/// The manifests of one file's bytes; `file` names it in messages.
pub fn parse(file: &str, bytes: &[u8]) -> Result<Vec<Manifest>, ManifestError> {
    let mut manifests = Vec::new();
    for document in input::documents(file, bytes)? {
        manifests.extend(document::manifests_of(document)?);
    }
    Ok(manifests)
}

/// One note per file for what its manifests carry that a new request does not take.
fn ignored_note(file: &str, manifests: &[Manifest]) -> Option<String> {
    let mut fields: Vec<&str> = Vec::new();
    let mut carrying = 0;
    for manifest in manifests.iter().filter(|m| !m.ignored.is_empty()) {
        carrying += 1;
        for field in &manifest.ignored {
            if !fields.contains(&field.as_str()) {
                fields.push(field);
            }
        }
    }
    let of = match carrying {
        0 => return None,
        1 => "1 manifest".to_string(),
        n => format!("{n} manifests"),
    };
    Some(format!(
        "Note: {file}: ignoring {} (in {of}): the API server and the controller set them on \
         each new request",
        fields.join(", ")
    ))
}

impl Manifest {
    /// The namespace the request is made in: its own, else `current`. A namespace of its own
    /// that differs from an explicit `-n` (`given`) is refused, as kubectl refuses it.
    pub fn namespace_in(
        &self,
        current: &str,
        given: Option<&str>,
    ) -> Result<String, ManifestError> {
        match (&self.namespace, given) {
            (Some(own), Some(given)) if own != given => Err(ManifestError::new(
                &self.place,
                format!(
                    "the namespace from the provided object \"{own}\" does not match the \
                     namespace \"{given}\". You must pass '--namespace={own}' to perform this \
                     operation."
                ),
            )),
            (Some(own), _) => Ok(own.clone()),
            (None, _) => Ok(current.to_string()),
        }
    }

    /// Its labels with `-l`'s added; a key of its own with another value is refused.
    pub fn labels_with(
        &self,
        given: &BTreeMap<String, String>,
    ) -> Result<BTreeMap<String, String>, ManifestError> {
        let mut labels = self.labels.clone();
        for (key, value) in given {
            match labels.insert(key.clone(), value.clone()) {
                Some(own) if own != *value => {
                    return Err(ManifestError::new(
                        &self.place,
                        format!(
                            "label {key} is {} here and {} in -l: give it one value",
                            quote_for_message(&own),
                            quote_for_message(value)
                        ),
                    ));
                }
                _ => {}
            }
        }
        Ok(labels)
    }
}
