//! The shape of a JSON value, as tests hold the sandbox's answers to the recorded ones: which
//! fields are there, whatever their values.

use std::collections::BTreeSet;

use serde_json::Value;

/// Every key path of `value` (`.metadata.name`), arrays written as `[]`.
pub fn key_paths(value: &Value) -> BTreeSet<String> {
    let mut paths = BTreeSet::new();
    collect(value, "", &mut paths);
    paths
}

fn collect(value: &Value, prefix: &str, paths: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                let path = format!("{prefix}.{key}");
                paths.insert(path.clone());
                collect(value, &path, paths);
            }
        }
        Value::Array(items) => {
            for item in items {
                collect(item, &format!("{prefix}[]"), paths);
            }
        }
        _ => {}
    }
}
