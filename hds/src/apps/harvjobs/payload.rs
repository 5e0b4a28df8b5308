//! A job's payload: augmented as the harvester expects it (`id`, `job_type`, `timeout`) and
//! checked against its job schema, failures answered in the original's shapes
//! (docs/api-design.md#jobs).

use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::{json, Map, Value};

use crate::error::{AppError, AppResult};

/// The job timeout a payload gets when it names none (seconds, as the harvester reads it).
pub const DEFAULT_TIMEOUT: i64 = 6000;

/// The payload sent for job `uuid` of type `job_type`: the caller's payload with `id`,
/// `job_type` and (when absent) `timeout` added.
pub fn augment(payload: &Value, uuid: &str, job_type: &str) -> AppResult<Value> {
    let mut map: Map<String, Value> = match payload {
        Value::Object(m) => m.clone(),
        Value::Null => Map::new(),
        _ => {
            return Err(AppError::validation_field(
                "payload",
                "The payload is a JSON object.",
            ))
        }
    };
    map.insert("id".into(), Value::String(uuid.to_string()));
    map.insert("job_type".into(), Value::String(job_type.to_string()));
    map.entry("timeout").or_insert(json!(DEFAULT_TIMEOUT));
    Ok(Value::Object(map))
}

/// A compiled job schema.
pub struct PayloadSchema {
    validator: jsonschema::Validator,
    document: Value,
}

impl PayloadSchema {
    /// Compiles a stored job schema (checked when it was posted; one edited in the database
    /// by hand that no longer compiles is the 400 of the job that uses it).
    pub fn new(document: &Value) -> AppResult<PayloadSchema> {
        let validator = jsonschema::validator_for(document).map_err(|e| {
            AppError::validation_field("schema", format!("The job schema does not compile: {e}"))
        })?;
        Ok(PayloadSchema {
            validator,
            document: document.clone(),
        })
    }

    /// `Ok` when `payload` conforms, else 400 `{"detail": {"validation error": …}}`: for
    /// missing members `{"required": [the schema's], "missing": ["'x' is a required
    /// property"]}`, for a wrong type `{"path": [...], "error": "Must be <type>"}`, else the
    /// message.
    pub fn check(&self, payload: &Value) -> AppResult<()> {
        let errors: Vec<_> = self.validator.iter_errors(payload).collect();
        let Some(first) = errors.first() else {
            return Ok(());
        };
        let missing: Vec<String> = errors
            .iter()
            .filter_map(|e| match e.kind() {
                ValidationErrorKind::Required { property } => Some(format!(
                    "'{}' is a required property",
                    property
                        .as_str()
                        .map_or_else(|| property.to_string(), str::to_string)
                )),
                _ => None,
            })
            .collect();
        let detail = if !missing.is_empty() {
            json!({ "required": self.document.get("required").cloned().unwrap_or(json!([])),
                    "missing": missing })
        } else {
            let path: Vec<Value> = first
                .instance_path()
                .into_iter()
                .map(|segment| match segment {
                    jsonschema::paths::LocationSegment::Property(p) => json!(p.to_string()),
                    jsonschema::paths::LocationSegment::Index(i) => json!(i),
                })
                .collect();
            match first.kind() {
                ValidationErrorKind::Type { kind } => {
                    json!({ "path": path, "error": format!("Must be {}", type_names(kind)) })
                }
                _ => json!(first.to_string()),
            }
        };
        Err(AppError::Validation(json!({ "validation error": detail })))
    }
}

fn type_names(kind: &TypeKind) -> String {
    match kind {
        TypeKind::Single(t) => t.to_string(),
        TypeKind::Multiple(set) => set
            .iter()
            .map(|t| t.to_string())
            .collect::<Vec<_>>()
            .join(" or "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> PayloadSchema {
        PayloadSchema::new(&json!({
            "type": "object",
            "properties": {
                "id": {"type": "string"}, "job_type": {"type": "string"},
                "requiredArg": {"type": "string"}, "optionalArg": {"type": "integer"},
                "targets": {"type": "array", "items": {"type": "string", "pattern": "^(master|((robot|stereo)\\d+))$"}}
            },
            "required": ["id", "job_type", "requiredArg", "targets"]
        }))
        .unwrap()
    }

    fn detail(e: AppError) -> Value {
        match e {
            AppError::Validation(v) => v["validation error"].clone(),
            other => panic!("not a validation error: {other}"),
        }
    }

    #[test]
    fn payloads_are_augmented_as_the_harvester_reads_them() {
        let p = augment(&json!({"targets": ["master"], "timeout": 5}), "u-1", "test").unwrap();
        assert_eq!(
            p,
            json!({"targets": ["master"], "timeout": 5, "id": "u-1", "job_type": "test"})
        );
        let p = augment(&json!({"id": "theirs"}), "u-2", "test").unwrap();
        assert_eq!(p["id"], "u-2", "the server's id wins");
        assert_eq!(p["timeout"], DEFAULT_TIMEOUT);
        assert!(augment(&json!([1]), "u", "t").is_err());
    }

    #[test]
    fn violations_answer_in_the_original_shapes() {
        let s = schema();
        let ok = json!({"id": "u", "job_type": "test", "requiredArg": "x", "targets": ["robot1"]});
        assert!(s.check(&ok).is_ok());

        let missing = json!({"id": "u", "job_type": "test", "targets": ["master"]});
        let d = detail(s.check(&missing).unwrap_err());
        assert_eq!(
            d["missing"],
            json!(["'requiredArg' is a required property"])
        );
        assert_eq!(d["required"][2], "requiredArg");

        let wrong = json!({"id": "u", "job_type": "test", "requiredArg": 5, "targets": ["master"]});
        let d = detail(s.check(&wrong).unwrap_err());
        assert_eq!(
            d,
            json!({"path": ["requiredArg"], "error": "Must be string"})
        );

        let pattern =
            json!({"id": "u", "job_type": "test", "requiredArg": "x", "targets": ["gantry"]});
        let d = detail(s.check(&pattern).unwrap_err());
        assert!(d.as_str().unwrap().contains("gantry"), "{d}");
    }
}
