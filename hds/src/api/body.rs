//! Request bodies: JSON or form-encoded, size-limited, with DRF-like field errors.

use actix_web::dev::Payload as DevPayload;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::api::state::AppState;
use crate::db::DbConn;
use crate::error::AppError;

/// Per-resource override of the body size limit (report ingestion routes).
#[derive(Clone, Copy, Debug)]
pub struct BodyLimit(pub usize);

/// A request body type: which of its text fields are stored in which `varchar(n)` column, so the
/// shared layer checks their lengths against the schema before the handler runs (a longer
/// value is a 400 naming the field; docs/api-design.md#request-bodies). Every type read with
/// [`Body`] declares its columns, even when it has none.
pub trait Input: DeserializeOwned {
    /// `(path, "table.column")`: `"username"`, `"profile.slack_id"`, `"tags[]"` (each item).
    /// A path listed twice (a type shared by two tables) is checked against both.
    const COLUMNS: &'static [(&'static str, &'static str)] = &[];
}

/// A free-form body: the handler checks what it stores ([`crate::api::columns::check`]).
impl Input for Value {}

/// A parsed request body. JSON (`application/json`, or no content type) and
/// `application/x-www-form-urlencoded` are accepted everywhere a body is. Checked here, for
/// every route: the size limit, JSON's nesting limit, no NUL character in any string or key, and
/// the declared columns' lengths; then serde's field errors.
pub struct Body<T>(pub T);

impl<T: Input + 'static> FromRequest for Body<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut DevPayload) -> Self::Future {
        let read = read_limited(req, payload);
        Box::pin(async move {
            let (bytes, is_form) = read.await?;
            let value = if is_form {
                parse_form_input(&bytes)?
            } else {
                parse_json_input(&bytes)?
            };
            Ok(Body(value))
        })
    }
}

/// A JSON body as `T`, after the checks every body gets (see [`Body`]).
pub fn parse_json_input<T: Input>(bytes: &[u8]) -> Result<T, AppError> {
    let value: Value = parse_json(bytes)?;
    refuse_nul(&value, &mut String::new())?;
    crate::api::columns::check(&value, T::COLUMNS)?;
    let parsed: Result<T, _> = serde_path_to_error::deserialize(value);
    parsed.map_err(|err| {
        let path = err.path().to_string();
        field_error(&path, &err.into_inner().to_string())
    })
}

/// A form body as `T`, after the checks every body gets (see [`Body`]).
fn parse_form_input<T: Input>(bytes: &[u8]) -> Result<T, AppError> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_bytes(bytes).map_err(|e| field_error(".", &e.to_string()))?;
    let mut fields = serde_json::Map::new();
    for (key, value) in pairs {
        if key.contains('\0') || value.contains('\0') {
            return Err(nul_error(&key.replace('\0', "\\0")));
        }
        fields.insert(key, Value::String(value));
    }
    crate::api::columns::check(&Value::Object(fields), T::COLUMNS)?;
    parse_form(bytes)
}

const NUL_MESSAGE: &str = "Null characters are not allowed.";

fn nul_error(field: &str) -> AppError {
    let field = if field.is_empty() {
        "non_field_errors"
    } else {
        field
    };
    AppError::validation_field(field, NUL_MESSAGE)
}

/// No string or key of `value` holds a NUL character: PostgreSQL's `text` and `jsonb` cannot
/// store one, so it is refused here, naming where it is (`a.b[2]`), instead of failing there.
fn refuse_nul(value: &Value, path: &mut String) -> Result<(), AppError> {
    match value {
        Value::String(s) if s.contains('\0') => Err(nul_error(path)),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                refuse_nul(item, path)?;
                path.truncate(len);
            }
            Ok(())
        }
        Value::Object(map) => {
            for (key, item) in map {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&key.replace('\0', "\\0"));
                if key.contains('\0') {
                    return Err(nul_error(path));
                }
                refuse_nul(item, path)?;
                path.truncate(len);
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Whether JSON text holds a `\u0000` escape (not an escaped backslash before `u0000`): how a
/// NUL character appears in JSON, which has no raw control characters in strings.
pub fn has_nul_escape(json: &str) -> bool {
    json.match_indices("\\u0000").any(|(at, _)| {
        let backslashes = json[..=at]
            .bytes()
            .rev()
            .take_while(|&b| b == b'\\')
            .count();
        backslashes % 2 == 1
    })
}

/// A JSON body as the text it arrived as, not parsed: a 20 KB report is stored and echoed as
/// it came and read only in part. Checked here: UTF-8 and serde_json's nesting limit; the
/// handler's parse checks the rest and answers malformed JSON with [`json_text_error`]. An
/// empty body is `{}`; a form-encoded body's text is its JSON form.
pub struct JsonText {
    pub text: String,
}

impl FromRequest for JsonText {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut DevPayload) -> Self::Future {
        let read = read_limited(req, payload);
        Box::pin(async move {
            let (bytes, is_form) = read.await?;
            if is_form {
                let value: Value = parse_form_input(&bytes)?;
                return Ok(JsonText {
                    text: value.to_string(),
                });
            }
            let well_formed = std::str::from_utf8(&bytes).ok().filter(|text| {
                !text.trim().is_empty() && !nests_deeper_than(text.as_bytes(), MAX_NESTING)
            });
            if well_formed.is_some_and(has_nul_escape) {
                return Err(AppError::validation_msg(
                    "The body contains a NUL character (\\u0000), which cannot be stored.",
                ));
            }
            match well_formed {
                Some(text) => Ok(JsonText {
                    text: text.to_string(),
                }),
                // The full parser's answer: its error messages, and `{}` for an empty body.
                None => parse_json::<Value>(&bytes).map(|value| JsonText {
                    text: value.to_string(),
                }),
            }
        })
    }
}

/// The error a malformed [`JsonText`] gets: what the full parser says about it.
pub fn json_text_error(text: &str) -> AppError {
    match parse_json::<Value>(text.as_bytes()) {
        Err(err) => err,
        Ok(_) => AppError::internal("JSON refused by a partial parse but not by the full one"),
    }
}

/// serde_json's nesting limit (127 levels), which it does not apply to values it skips.
const MAX_NESTING: usize = 127;

/// Whether JSON text opens more than `limit` arrays/objects inside one another.
fn nests_deeper_than(json: &[u8], limit: usize) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &b in json {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// Whether a request comes with a body to read: a non-zero `Content-Length`, or a
/// `Transfer-Encoding` (chunked). HTTP/1.1 requests without either have none.
pub fn expects_body(headers: &actix_web::http::header::HeaderMap) -> bool {
    let declared = headers
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim() != "0");
    declared.unwrap_or_else(|| headers.contains_key(actix_web::http::header::TRANSFER_ENCODING))
}

/// Reads a routed request's whole body (within `limit`, by `deadline`) and puts it back as the
/// request's payload, so the handler's extractors find it complete. The route middleware runs
/// this before the handler takes a pooled connection: a client that trickles its body holds a
/// socket until the deadline (408), never a database connection
/// (docs/api-design.md#request-bodies).
pub async fn buffer(
    req: &mut actix_web::dev::ServiceRequest,
    limit: usize,
    deadline: std::time::Instant,
    timeout_secs: u64,
) -> Result<(), AppError> {
    let declared = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(AppError::PayloadTooLarge(limit));
    }
    let mut payload = req.take_payload();
    let read = async move {
        let mut bytes = web::BytesMut::with_capacity(declared.unwrap_or(0).min(limit));
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|e| {
                // The client's stream broke off (it closed the connection mid-body): nobody
                // will read the answer (docs/api-design.md#metrics).
                crate::metrics::METRICS
                    .unanswered
                    .with_label_values(&["client_gone"])
                    .inc();
                AppError::bad_request(format!("reading body: {e}"))
            })?;
            if bytes.len() + chunk.len() > limit {
                return Err(AppError::PayloadTooLarge(limit));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes.freeze())
    };
    let bytes = tokio::time::timeout_at(tokio::time::Instant::from_std(deadline), read)
        .await
        .map_err(|_| AppError::RequestTimeout(timeout_secs))??;
    req.set_payload(actix_web::dev::Payload::from(bytes));
    Ok(())
}

/// The body's bytes within the route's size limit, and whether it is form-encoded.
fn read_limited(
    req: &HttpRequest,
    payload: &mut DevPayload,
) -> impl std::future::Future<Output = Result<(web::BytesMut, bool), AppError>> + 'static {
    let limit = req
        .app_data::<BodyLimit>()
        .map(|l| l.0)
        .or_else(|| {
            req.app_data::<web::Data<AppState>>()
                .map(|s| s.config.body_limit)
        })
        .unwrap_or(1024 * 1024);
    let is_form = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    let declared = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let mut payload = payload.take();
    async move {
        if declared.is_some_and(|n| n > limit) {
            return Err(AppError::PayloadTooLarge(limit));
        }
        let mut bytes = web::BytesMut::with_capacity(declared.unwrap_or(0).min(limit));
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|e| AppError::bad_request(format!("reading body: {e}")))?;
            if bytes.len() + chunk.len() > limit {
                return Err(AppError::PayloadTooLarge(limit));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok((bytes, is_form))
    }
}

fn parse_form<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    serde_urlencoded::from_bytes(bytes).map_err(|e| field_error(".", &e.to_string()))
}

/// Parses JSON with serde_json's nesting limit (128 levels) and reports the failing field.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let bytes: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        bytes
    };
    // Well-formed bodies take the direct path; only a failure is parsed again with path
    // tracking, which would otherwise cost every 20 KB report a tenth of its parse time.
    if let Ok(v) = serde_json::from_slice::<T>(bytes) {
        return Ok(v);
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let parsed: Result<T, _> = serde_path_to_error::deserialize(&mut de);
    match parsed {
        Ok(v) => {
            de.end().map_err(|e| json_error(&e))?;
            Ok(v)
        }
        Err(err) => {
            let path = err.path().to_string();
            let inner = err.into_inner();
            if inner.is_syntax() || inner.is_eof() {
                return Err(json_error(&inner));
            }
            Err(field_error(&path, &inner.to_string()))
        }
    }
}

fn json_error(err: &serde_json::Error) -> AppError {
    let msg = err.to_string();
    if msg.contains("recursion limit exceeded") {
        return AppError::Validation(json!("JSON parse error - nesting deeper than 128 levels"));
    }
    AppError::Validation(Value::String(format!("JSON parse error - {msg}")))
}

/// `{"field": ["message"]}` like DRF; a missing field names itself.
fn field_error(path: &str, msg: &str) -> AppError {
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        let full = if path == "." {
            field.to_string()
        } else {
            format!("{path}.{field}")
        };
        return AppError::Validation(json!({ full: ["This field is required."] }));
    }
    let clean = msg.split(" at line ").next().unwrap_or(msg).to_string();
    if path == "." || path.is_empty() {
        AppError::Validation(json!({ "non_field_errors": [clean] }))
    } else {
        AppError::Validation(json!({ path: [clean] }))
    }
}

/// A pooled database connection. The ACL middleware leaves the connection it authenticated
/// with in the request, so a request normally checks out one connection only.
pub struct Db(pub DbConn);

pub struct StashedConn(pub DbConn);

impl FromRequest for Db {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut DevPayload) -> Self::Future {
        let stashed = req.extensions_mut().remove::<StashedConn>();
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            if let Some(StashedConn(conn)) = stashed {
                return Ok(Db(conn));
            }
            let state = state.ok_or_else(|| AppError::internal("application state missing"))?;
            Ok(Db(state.pool.get().await?))
        })
    }
}

impl std::ops::Deref for Db {
    type Target = DbConn;
    fn deref(&self) -> &DbConn {
        &self.0
    }
}

impl std::ops::DerefMut for Db {
    fn deref_mut(&mut self) -> &mut DbConn {
        &mut self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[test]
    fn nesting_is_counted_outside_strings_and_as_serde_json_counts_it() {
        let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(!nests_deeper_than(nested(127).as_bytes(), MAX_NESTING));
        assert!(parse_json::<Value>(nested(127).as_bytes()).is_ok());
        assert!(nests_deeper_than(nested(128).as_bytes(), MAX_NESTING));
        assert!(parse_json::<Value>(nested(128).as_bytes()).is_err());
        let in_string = format!(r#"{{"a": "{}", "b": "\\\"[["}}"#, "[".repeat(500));
        assert!(!nests_deeper_than(in_string.as_bytes(), 2));
    }

    #[allow(dead_code)]
    #[derive(Deserialize, Debug)]
    struct Login {
        username: String,
        n: Option<i64>,
    }

    fn detail(err: AppError) -> Value {
        match err {
            AppError::Validation(v) => v,
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn errors_name_the_field() {
        let e = detail(parse_json::<Login>(br#"{"n": 1}"#).unwrap_err());
        assert_eq!(e, json!({"username": ["This field is required."]}));
        let e = detail(parse_json::<Login>(br#"{"username": "a", "n": "x"}"#).unwrap_err());
        assert!(e["n"][0].as_str().unwrap().contains("invalid type"), "{e}");
        let e = detail(parse_json::<Login>(b"{not json").unwrap_err());
        assert!(e.as_str().unwrap().starts_with("JSON parse error"), "{e}");
    }

    #[test]
    fn deep_nesting_is_rejected() {
        let deep = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
        let e = detail(parse_json::<Value>(deep.as_bytes()).unwrap_err());
        assert!(e.as_str().unwrap().contains("128"), "{e}");
        let ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(parse_json::<Value>(ok.as_bytes()).is_ok());
    }

    #[test]
    fn forms_coerce_numbers() {
        let v: Login = parse_form_input(b"username=bob&n=5").unwrap();
        assert_eq!((v.username.as_str(), v.n), ("bob", Some(5)));
    }

    impl Input for Login {
        const COLUMNS: &'static [(&'static str, &'static str)] = &[("username", "users.username")];
    }

    #[test]
    fn nul_characters_are_refused_where_they_are() {
        let e = detail(parse_json_input::<Value>(br#"{"a": [1, {"b": "x\u0000y"}]}"#).unwrap_err());
        assert_eq!(e, json!({"a[1].b": ["Null characters are not allowed."]}));
        let e = detail(parse_json_input::<Value>(br#"{"k\u0000": 1}"#).unwrap_err());
        assert!(
            e.as_object()
                .unwrap()
                .keys()
                .next()
                .unwrap()
                .starts_with("k"),
            "{e}"
        );
        let e = detail(parse_json_input::<Value>(br#""\u0000""#).unwrap_err());
        assert_eq!(
            e,
            json!({"non_field_errors": ["Null characters are not allowed."]})
        );
        let e = detail(parse_form_input::<Login>(b"username=a%00b").unwrap_err());
        assert_eq!(e, json!({"username": ["Null characters are not allowed."]}));
        assert!(parse_json_input::<Value>(br#"{"a": "C:\\u0000 is a path"}"#).is_ok());
        assert!(has_nul_escape(r#"{"a":"\u0000"}"#));
        assert!(!has_nul_escape(r#"{"a":"\\u0000"}"#));
        assert!(has_nul_escape(r#"{"a":"\\\u0000"}"#));
    }

    #[test]
    fn declared_columns_are_checked_in_json_and_forms() {
        let long = "u".repeat(151);
        let e = detail(
            parse_json_input::<Login>(format!(r#"{{"username": "{long}"}}"#).as_bytes())
                .unwrap_err(),
        );
        assert!(e["username"][0].as_str().unwrap().contains("150"), "{e}");
        let e =
            detail(parse_form_input::<Login>(format!("username={long}").as_bytes()).unwrap_err());
        assert!(e["username"][0].as_str().unwrap().contains("150"), "{e}");
        let e = detail(parse_json_input::<Login>(br#"{"username": 5}"#).unwrap_err());
        assert!(
            e["username"][0].as_str().unwrap().contains("invalid type"),
            "{e}"
        );
    }
}
