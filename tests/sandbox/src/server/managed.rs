//! `metadata.managedFields`: which fields a create set, in the FieldsV1 form the apiserver
//! records (`application-create`, `create-with-context-kept`, `controller-deployment-create`).

use serde_json::{Map, Value, json};

use super::Query;

/// Metadata fields a manager owns; the rest (name, uid, resourceVersion...) are identity or
/// the server's own.
const OWNED_METADATA: &[&str] = &[
    "annotations",
    "finalizers",
    "generateName",
    "labels",
    "ownerReferences",
];

/// The manager of a write: `fieldManager`, else `unknown` (as the recordings show).
pub fn manager(query: &Query) -> String {
    query
        .get("fieldManager")
        .filter(|manager| !manager.is_empty())
        .unwrap_or("unknown")
        .to_string()
}

/// A node of the field set. Maps carry `"."` (they exist as a field of their own) unless
/// `structs` names their path: typed objects' plain struct fields do not. Lists are atomic
/// unless `keyed` gives the key of their items (`containers` by `name`).
struct Shape<'a> {
    structs: &'a [&'a str],
    atomic: &'a [&'a str],
    keyed: &'a [(&'a str, &'a str)],
}

impl Shape<'_> {
    fn node(&self, path: &str, value: &Value) -> Value {
        match value {
            Value::Object(map) if !map.is_empty() && !self.atomic.contains(&path) => {
                let mut fields = Map::new();
                if !self.structs.contains(&path) {
                    fields.insert(".".into(), json!({}));
                }
                for (key, child) in map {
                    let child_path = format!("{path}.{key}");
                    fields.insert(format!("f:{key}"), self.node(&child_path, child));
                }
                Value::Object(fields)
            }
            Value::Array(items) => match self.keyed.iter().find(|(list, _)| *list == path) {
                Some((_, key)) => {
                    let mut fields = Map::new();
                    for item in items {
                        let id = json!({ *key: item.get(*key).cloned().unwrap_or(Value::Null) });
                        fields.insert(format!("k:{id}"), self.node(&format!("{path}[]"), item));
                    }
                    Value::Object(fields)
                }
                None => json!({}),
            },
            _ => json!({}),
        }
    }

    /// The FieldsV1 of a whole object: everything but apiVersion, kind and the metadata the
    /// manager does not own.
    fn fields(&self, object: &Value) -> Map<String, Value> {
        let mut fields = Map::new();
        let Some(map) = object.as_object() else {
            return fields;
        };
        for (key, value) in map {
            match key.as_str() {
                "apiVersion" | "kind" => {}
                "metadata" => {
                    let mut metadata = Map::new();
                    for owned in OWNED_METADATA {
                        if let Some(value) = value.get(*owned) {
                            let path = format!("metadata.{owned}");
                            metadata.insert(format!("f:{owned}"), self.node(&path, value));
                        }
                    }
                    if !metadata.is_empty() {
                        fields.insert("f:metadata".into(), Value::Object(metadata));
                    }
                }
                key => {
                    fields.insert(format!("f:{key}"), self.node(key, value));
                }
            }
        }
        fields
    }
}

/// The managedFields of a custom resource just created (unstructured: every map is a field).
pub fn for_custom_resource(object: &Value, api_version: &str, manager: &str, time: &str) -> Value {
    let shape = Shape {
        structs: &[],
        atomic: &[],
        keyed: &[],
    };
    entries(shape.fields(object), api_version, manager, time)
}

/// The managedFields of an apps/v1 Deployment just created (typed: struct fields carry no
/// `"."`; the selector is atomic; containers are keyed by name).
pub fn for_deployment(object: &Value, manager: &str, time: &str) -> Value {
    let shape = Shape {
        structs: &[
            "spec",
            "spec.strategy",
            "spec.template",
            "spec.template.metadata",
            "spec.template.spec",
            "spec.template.spec.containers[].resources",
        ],
        atomic: &["spec.selector"],
        keyed: &[
            ("spec.template.spec.containers", "name"),
            ("spec.template.spec.initContainers", "name"),
        ],
    };
    let mut object = object.clone();
    // Written by the status subresource only.
    object.as_object_mut().map(|map| map.remove("status"));
    entries(shape.fields(&object), "apps/v1", manager, time)
}

fn entries(fields: Map<String, Value>, api_version: &str, manager: &str, time: &str) -> Value {
    if fields.is_empty() {
        return json!([]);
    }
    json!([{
        "apiVersion": api_version,
        "fieldsType": "FieldsV1",
        "fieldsV1": fields,
        "manager": manager,
        "operation": "Update",
        "time": time,
    }])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_resources_own_every_map_and_generate_name() {
        let object = json!({
            "apiVersion": "g/v1", "kind": "K",
            "metadata": {"name": "n", "generateName": "n-", "labels": {"a": "b"}},
            "spec": {"description": "d", "services": [{"x": 1}]},
        });
        let fields = &for_custom_resource(&object, "g/v1", "unknown", "t")[0]["fieldsV1"];
        assert_eq!(
            *fields,
            json!({
                "f:metadata": {"f:generateName": {}, "f:labels": {".": {}, "f:a": {}}},
                "f:spec": {".": {}, "f:description": {}, "f:services": {}},
            })
        );
        let bare = json!({"apiVersion": "g/v1", "kind": "K", "metadata": {"name": "n"}});
        assert_eq!(
            for_custom_resource(&bare, "g/v1", "unknown", "t"),
            json!([])
        );
    }
}
