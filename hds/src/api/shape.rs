//! Declared request and response types of a route, and the check that an answer has its
//! declared shape.
//!
//! Representations are rendered by SQL and passed through as JSON text (that is the speed), so
//! nothing in the server ties a response to its Rust type. The route table declares the type
//! instead, and [`Answer::check`] is the contract test: the integration-test harness runs it on
//! every response the suite receives. A type is checked both ways: deserializing with unknown
//! fields denied finds a key the type does not know, and serializing the result again finds a
//! key the type promises that the answer lacks. The same types generate the OpenAPI document and,
//! from it, the web app's TypeScript types (docs/api-design.md#one-source-of-truth).

use std::borrow::Cow;

use actix_web::http::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use utoipa::openapi::{RefOr, Schema};
use utoipa::ToSchema;

pub type Components = Vec<(String, RefOr<Schema>)>;

/// A type as the API documents and checks it.
#[derive(Clone, Copy)]
pub struct Shape {
    name: fn() -> Cow<'static, str>,
    register: fn(&mut Components),
    schema: fn() -> RefOr<Schema>,
    check: fn(&Value) -> Result<(), String>,
    /// Written out where it is used instead of as a named component (free-form JSON, a string).
    inline: bool,
    /// A request body's fields stored in `varchar` columns ([`crate::api::body::Input`]).
    columns: fn() -> &'static [(&'static str, &'static str)],
}

impl std::fmt::Debug for Shape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&(self.name)())
    }
}

impl PartialEq for Shape {
    fn eq(&self, other: &Self) -> bool {
        (self.name)() == (other.name)()
    }
}

fn register<T: ToSchema>(c: &mut Components) {
    T::schemas(c);
    c.push((T::name().into_owned(), T::schema()));
}

fn check_as<T: DeserializeOwned + Serialize>(value: &Value) -> Result<(), String> {
    let typed: T = serde_path_to_error::deserialize(value)
        .map_err(|e| format!("at `{}`: {}", e.path(), e.inner()))?;
    let again = serde_json::to_value(&typed).map_err(|e| e.to_string())?;
    promised_keys_present(value, &again, "")
}

/// Every key `typed` (the answer read as its type and written again) has must be in `answer`.
fn promised_keys_present(answer: &Value, typed: &Value, path: &str) -> Result<(), String> {
    match (answer, typed) {
        (Value::Object(a), Value::Object(t)) => {
            for (key, tv) in t {
                let here = format!("{path}.{key}");
                match a.get(key) {
                    Some(av) => promised_keys_present(av, tv, &here)?,
                    None => return Err(format!("`{here}` is declared but missing")),
                }
            }
            Ok(())
        }
        (Value::Array(a), Value::Array(t)) => {
            a.iter().zip(t).enumerate().try_for_each(|(i, (av, tv))| {
                promised_keys_present(av, tv, &format!("{path}[{i}]"))
            })
        }
        _ => Ok(()),
    }
}

impl Shape {
    /// A representation: documented as a component, checked with unknown fields denied.
    pub fn of<T: ToSchema + DeserializeOwned + Serialize + 'static>() -> Shape {
        Shape {
            name: T::name,
            register: register::<T>,
            schema: T::schema,
            check: check_as::<T>,
            inline: false,
            columns: || &[],
        }
    }

    /// A type written out where it is used (no component): free-form JSON, a string.
    pub fn inline<T: ToSchema + DeserializeOwned + Serialize + 'static>() -> Shape {
        Shape {
            name: T::name,
            register: |_| {},
            schema: T::schema,
            check: check_as::<T>,
            inline: true,
            columns: || &[],
        }
    }

    /// A request body (documented; requests are checked by their extractors).
    pub fn input<T: ToSchema + crate::api::body::Input + 'static>() -> Shape {
        Shape {
            name: T::name,
            register: register::<T>,
            schema: T::schema,
            check: |_| Ok(()),
            inline: false,
            columns: || T::COLUMNS,
        }
    }

    /// A request body's fields stored in `varchar` columns: `(path, "table.column")`.
    pub fn columns(&self) -> &'static [(&'static str, &'static str)] {
        (self.columns)()
    }

    pub fn name(&self) -> Cow<'static, str> {
        (self.name)()
    }

    pub fn register(&self, components: &mut Components) {
        (self.register)(components)
    }

    /// The schema to put where this type is used: a `$ref`, or the schema itself when inline.
    pub fn schema_ref(&self) -> Value {
        if self.inline {
            serde_json::to_value((self.schema)()).unwrap_or_default()
        } else {
            serde_json::json!({ "$ref": format!("#/components/schemas/{}", self.name()) })
        }
    }

    pub fn check(&self, value: &Value) -> Result<(), String> {
        (self.check)(value).map_err(|e| format!("not a {}: {e}", self.name()))
    }
}

/// What a route answers on success.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Answer {
    /// Not declared yet: the route table refuses to mount such a route.
    Undeclared,
    /// `data` is one object of this type.
    Object(Shape),
    /// Report ingestion: 201 with the stored report of this type, or 200 with a string saying
    /// why the report was accepted but deliberately not stored (the magic gripper).
    Ingested(Shape),
    /// `data` is a `{count,next,previous,results}` page of this type.
    Page(Shape),
    /// `data` is a list of this type.
    List(Shape),
    /// Double envelope (login/logout/csrf/change-password) around this type.
    Double(Shape),
    /// 204 with no body.
    NoContent,
    /// Not enveloped (health check, OpenAPI document).
    Raw,
}

/// The page wrapper of list answers (checked around each result).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Page {
    count: i64,
    next: Option<String>,
    previous: Option<String>,
    results: Vec<Value>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope {
    status: String,
    message: String,
    data: Value,
}

/// `{"status":"error","errors":{…}}` (docs/api-design.md#errors).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ErrorBody {
    status: String,
    errors: serde_json::Map<String, Value>,
}

fn envelope(body: &Value) -> Result<Value, String> {
    let e: Envelope = serde_json::from_value(body.clone())
        .map_err(|e| format!("not the success envelope: {e}"))?;
    if e.status != "success" {
        return Err(format!("envelope status {:?}", e.status));
    }
    let _ = e.message;
    Ok(e.data)
}

impl Answer {
    /// Checks one answer of a route declared with this shape. `body` is the parsed body
    /// (`Value::Null` when empty or not JSON).
    pub fn check(&self, method: &Method, status: StatusCode, body: &Value) -> Result<(), String> {
        if status.is_redirection() || *method == Method::HEAD || *method == Method::OPTIONS {
            return Ok(());
        }
        if status.is_client_error() || status.is_server_error() {
            // Error answers of the framework's own (e.g. 405 before routing) are JSON too.
            let e: ErrorBody = serde_json::from_value(body.clone())
                .map_err(|e| format!("{status} is not the error shape: {e}"))?;
            if e.status != "error" || e.errors.is_empty() {
                return Err(format!("{status}: error shape with status {:?}", e.status));
            }
            return Ok(());
        }
        match self {
            Answer::Undeclared => Err("the route declares no answer".into()),
            Answer::Raw => Ok(()),
            Answer::NoContent => match status {
                StatusCode::NO_CONTENT if body.is_null() => Ok(()),
                other => Err(format!("expected 204 without a body, got {other}")),
            },
            Answer::Object(shape) => shape.check(&envelope(body)?),
            Answer::Ingested(shape) => match (status, envelope(body)?) {
                (StatusCode::OK, Value::String(_)) => Ok(()),
                (StatusCode::OK, other) => {
                    Err(format!("a 200 ingest answer is a string, got {other}"))
                }
                (_, data) => shape.check(&data),
            },
            Answer::Double(shape) => shape.check(&envelope(&envelope(body)?)?),
            Answer::List(shape) => match envelope(body)? {
                Value::Array(items) => items.iter().try_for_each(|i| shape.check(i)),
                other => Err(format!("expected a list, got {other}")),
            },
            Answer::Page(shape) => {
                let page: Page = serde_json::from_value(envelope(body)?)
                    .map_err(|e| format!("not a page: {e}"))?;
                let _ = (page.count, page.next, page.previous);
                page.results.iter().try_for_each(|r| shape.check(r))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Serialize, Deserialize, ToSchema)]
    #[serde(deny_unknown_fields)]
    struct Thing {
        id: i64,
        #[serde(rename = "lastModified")]
        last_modified: Option<String>,
        inner: Inner,
    }

    #[derive(Serialize, Deserialize, ToSchema)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        name: String,
    }

    fn ok(data: Value) -> Value {
        json!({"status": "success", "message": "thing retrieved successfully", "data": data})
    }

    #[test]
    fn an_answer_of_the_declared_type_passes() {
        let a = Answer::Object(Shape::of::<Thing>());
        let thing = json!({"id": 1, "lastModified": null, "inner": {"name": "x"}});
        a.check(&Method::GET, StatusCode::OK, &ok(thing)).unwrap();
    }

    #[test]
    fn an_unknown_key_fails_even_when_nested() {
        let a = Answer::Object(Shape::of::<Thing>());
        let thing = json!({"id": 1, "lastModified": null, "inner": {"name": "x", "extra": 1}});
        let err = a
            .check(&Method::GET, StatusCode::OK, &ok(thing))
            .unwrap_err();
        assert!(err.contains("inner") && err.contains("extra"), "{err}");
    }

    #[test]
    fn a_missing_optional_key_fails() {
        let a = Answer::Object(Shape::of::<Thing>());
        let thing = json!({"id": 1, "inner": {"name": "x"}});
        let err = a
            .check(&Method::GET, StatusCode::OK, &ok(thing))
            .unwrap_err();
        assert!(err.contains("lastModified"), "{err}");
    }

    #[test]
    fn a_wrong_type_fails() {
        let a = Answer::Page(Shape::of::<Thing>());
        let page = json!({"count": 1, "next": null, "previous": null,
            "results": [{"id": "1", "lastModified": null, "inner": {"name": "x"}}]});
        assert!(a.check(&Method::GET, StatusCode::OK, &ok(page)).is_err());
    }

    #[test]
    fn errors_must_have_the_error_shape() {
        let a = Answer::Object(Shape::of::<Thing>());
        let good = json!({"status": "error", "errors": {"detail": "Not found."}});
        a.check(&Method::GET, StatusCode::NOT_FOUND, &good).unwrap();
        let bad = json!({"detail": "Not found."});
        assert!(a.check(&Method::GET, StatusCode::NOT_FOUND, &bad).is_err());
        assert!(a
            .check(&Method::GET, StatusCode::NOT_FOUND, &Value::Null)
            .is_err());
    }

    #[test]
    fn no_content_means_no_body() {
        Answer::NoContent
            .check(&Method::DELETE, StatusCode::NO_CONTENT, &Value::Null)
            .unwrap();
        assert!(Answer::NoContent
            .check(&Method::DELETE, StatusCode::OK, &json!({}))
            .is_err());
    }
}
