//! The one error type of the API, rendered in the error shape of docs/api-design.md#errors:
//! `{"status":"error","errors":{…}}`.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde_json::{json, Value};

use crate::telemetry::current_request_id;

/// Label attached to error responses so the metrics middleware can count
/// `hds_total_error{exception, basename}` without knowing about error internals.
#[derive(Clone, Debug)]
pub struct ErrorLabel(pub &'static str);

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Field-level validation failure: `{"detail": {"field": ["msg"]}}` or `{"detail": ["msg"]}`.
    #[error("validation error: {0}")]
    Validation(Value),
    /// Bad input described by a message: `{"exception": "msg"}`.
    #[error("{0}")]
    BadRequest(String),
    /// A referenced object (e.g. the report's harvester) does not exist: 400 `{"exception": "msg"}`.
    #[error("{0}")]
    DoesNotExist(String),
    #[error("{0}")]
    Unauthenticated(String),
    #[error("Permission denied for user.")]
    Forbidden,
    #[error("{0}")]
    NotFound(String),
    #[error("Method \"{0}\" not allowed.")]
    MethodNotAllowed(String),
    #[error("request body too large (limit {0} bytes)")]
    PayloadTooLarge(usize),
    /// The client did not send its request in time (docs/api-design.md#request-bodies).
    #[error("request not received within {0} s")]
    RequestTimeout(u64),
    /// One client has too many requests in progress (docs/api-design.md#request-bodies).
    #[error("too many requests in progress from one client")]
    TooManyRequests,
    /// Too many failed logins for a username or from a client lately: retry after this many
    /// seconds (docs/api-design.md#users).
    #[error("too many failed logins; retry in {0} s")]
    LoginThrottled(u64),
    #[error("service temporarily unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn validation_field(field: &str, msg: impl Into<String>) -> Self {
        AppError::Validation(json!({ field: [msg.into()] }))
    }

    pub fn validation_msg(msg: impl Into<String>) -> Self {
        AppError::Validation(json!([msg.into()]))
    }

    pub fn bad_request(msg: impl Into<String>) -> Self {
        AppError::BadRequest(msg.into())
    }

    /// `Ok` when a statement touched a row, else the 404 of `model` (for updates and deletes
    /// by id).
    pub fn unless_none(rows: usize, model: &str) -> AppResult<()> {
        match rows {
            0 => Err(AppError::not_found(model)),
            _ => Ok(()),
        }
    }

    pub fn not_found(what: &str) -> Self {
        AppError::NotFound(format!("No {what} matches the given query."))
    }

    pub fn internal(msg: impl std::fmt::Display) -> Self {
        AppError::Internal(anyhow::anyhow!("{msg}"))
    }

    /// Short class name used as the `exception` label in metrics.
    pub fn label(&self) -> &'static str {
        match self {
            AppError::Validation(_) => "ValidationError",
            AppError::BadRequest(_) => "BadRequest",
            AppError::DoesNotExist(_) => "DoesNotExist",
            AppError::Unauthenticated(_) => "NotAuthenticated",
            AppError::Forbidden => "PermissionDenied",
            AppError::NotFound(_) => "NotFound",
            AppError::MethodNotAllowed(_) => "MethodNotAllowed",
            AppError::PayloadTooLarge(_) => "PayloadTooLarge",
            AppError::RequestTimeout(_) => "RequestTimeout",
            AppError::TooManyRequests | AppError::LoginThrottled(_) => "Throttled",
            AppError::Unavailable(_) => "ServiceUnavailable",
            AppError::Internal(_) => "InternalError",
        }
    }

    fn errors(&self) -> Value {
        match self {
            AppError::Validation(detail) => json!({ "detail": detail }),
            AppError::BadRequest(msg) | AppError::DoesNotExist(msg) => json!({ "exception": msg }),
            AppError::Unauthenticated(msg) => json!({ "detail": msg }),
            AppError::Forbidden => json!({ "exception": "Permission denied for user." }),
            AppError::NotFound(msg) => json!({ "exception": msg }),
            AppError::MethodNotAllowed(m) => {
                json!({ "detail": format!("Method \"{m}\" not allowed.") })
            }
            AppError::PayloadTooLarge(limit) => json!({
                "detail": format!("Request body is too large (limit {limit} bytes).")
            }),
            AppError::RequestTimeout(secs) => json!({
                "detail": format!("Request not received within {secs} s.")
            }),
            AppError::TooManyRequests => json!({
                "detail": "Too many requests in progress from this client; retry shortly."
            }),
            AppError::LoginThrottled(secs) => json!({
                "detail": format!("Too many failed logins; retry in {secs} s."),
                "retry_after": secs,
            }),
            AppError::Unavailable(_) => json!({
                "detail": "Service temporarily unavailable, retry shortly.",
                "request_id": current_request_id(),
            }),
            // Never leak internals: the detail is logged under the request id.
            AppError::Internal(_) => json!({
                "exception": "internal server error",
                "request_id": current_request_id(),
            }),
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::Validation(_) | AppError::BadRequest(_) | AppError::DoesNotExist(_) => {
                StatusCode::BAD_REQUEST
            }
            AppError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            AppError::TooManyRequests | AppError::LoginThrottled(_) => {
                StatusCode::TOO_MANY_REQUESTS
            }
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::Internal(err) => {
                tracing::error!(error = ?err, "unexpected failure");
            }
            AppError::Unavailable(why) => tracing::warn!(reason = %why, "answering 503"),
            _ => tracing::debug!(error = %self, "request rejected"),
        }
        let mut resp = HttpResponse::build(self.status_code());
        match self {
            AppError::Unauthenticated(_) => {
                resp.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"hds\", Token"));
            }
            AppError::Unavailable(_) | AppError::TooManyRequests => {
                resp.insert_header((header::RETRY_AFTER, "1"));
            }
            AppError::LoginThrottled(secs) => {
                resp.insert_header((header::RETRY_AFTER, secs.to_string()));
            }
            // The rest of a body that did not arrive in time is not waited for.
            AppError::RequestTimeout(_) => {
                resp.force_close();
            }
            _ => {}
        }
        let mut out = resp.json(json!({ "status": "error", "errors": self.errors() }));
        out.extensions_mut().insert(ErrorLabel(self.label()));
        out
    }
}

/// The error shape for an answer that did not come from an [`AppError`]: actix's own (an
/// extractor's or a service's error, a failure below the app's middleware), rendered by the
/// outermost middleware so every error a client sees has the one shape
/// (docs/api-design.md#errors). Only the status's reason is said: the plain text it replaces
/// may name internals.
pub fn shaped_status(status: StatusCode) -> HttpResponse {
    let reason = status.canonical_reason().unwrap_or("Error");
    let (errors, label) = if status.is_server_error() {
        (
            json!({ "exception": "internal server error", "request_id": current_request_id() }),
            "InternalError",
        )
    } else {
        (json!({ "detail": format!("{reason}.") }), "ClientError")
    };
    let mut out = HttpResponse::build(status).json(json!({ "status": "error", "errors": errors }));
    out.extensions_mut().insert(ErrorLabel(label));
    out
}

impl From<diesel::result::Error> for AppError {
    fn from(err: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match err {
            Error::NotFound => AppError::NotFound("No object matches the given query.".into()),
            // No answer from PostgreSQL at all (the connection broke): transient.
            Error::DatabaseError(
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
                info,
            ) => AppError::Unavailable(info.message().to_string()),
            // Two requests taking one username (in any case) at once: the loser's answer
            // is the one a sequential request gets.
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info)
                if matches!(
                    info.constraint_name(),
                    Some("users_username_lower_key" | "users_username_key")
                ) =>
            {
                AppError::validation_field("username", "A user with that username already exists.")
            }
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                AppError::Validation(json!({
                    "non_field_errors": [format!("An object with these values already exists ({}).",
                        info.constraint_name().unwrap_or("unique constraint"))]
                }))
            }
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, info) => {
                AppError::Validation(json!({
                    "non_field_errors": [format!("A referenced object does not exist ({}).",
                        info.constraint_name().unwrap_or("foreign key"))]
                }))
            }
            Error::DatabaseError(DatabaseErrorKind::NotNullViolation, info) => {
                let field = info.column_name().unwrap_or("non_field_errors");
                AppError::Validation(json!({ field: ["This field may not be null."] }))
            }
            Error::DatabaseError(DatabaseErrorKind::SerializationFailure, info) => {
                AppError::Unavailable(info.message().to_string())
            }
            Error::DatabaseError(kind, info) => match classify(info.message()) {
                Some(Class::Transient) => AppError::Unavailable(info.message().to_string()),
                Some(Class::BadValue) => {
                    // Input the shared checks should have refused (docs/api-design.md#errors):
                    // still the client's mistake, never a 500; logged so the check gets added.
                    tracing::warn!(message = info.message(), "a value PostgreSQL refused");
                    AppError::Validation(Value::String(format!(
                        "Invalid value: {}.",
                        info.message()
                    )))
                }
                None => AppError::Internal(Error::DatabaseError(kind, info).into()),
            },
            other => AppError::Internal(other.into()),
        }
    }
}

/// What a PostgreSQL error without a kind of its own says about the request.
#[derive(Debug, PartialEq, Eq)]
enum Class {
    /// The database is busy or going away: 503 with `Retry-After`, the client retries.
    Transient,
    /// A value the database cannot store or compare (SQLSTATE class 22, data exception): 400.
    BadValue,
}

/// Reads the class of a PostgreSQL error from its message (diesel-async passes on the message,
/// not the SQLSTATE; the server's messages are in English, `lc_messages` is never set).
fn classify(message: &str) -> Option<Class> {
    const TRANSIENT: &[&str] = &[
        // statement_timeout, lock_timeout, pg_cancel_backend (57014, 55P03)
        "canceling statement due to",
        // pg_terminate_backend, shutdown (57P01-57P03)
        "terminating connection",
        "the database system is",
        "deadlock detected",
        "could not serialize access",
        "too many connections",
    ];
    const BAD_VALUE: &[&str] = &[
        "value too long for type",
        "invalid byte sequence for encoding",
        "unsupported Unicode escape sequence",
        "out of range",
        "invalid input syntax for type",
        "numeric field overflow",
        "character with byte sequence",
        "invalid input value for enum",
    ];
    if TRANSIENT.iter().any(|p| message.starts_with(p)) {
        Some(Class::Transient)
    } else if BAD_VALUE.iter().any(|p| message.contains(p)) {
        Some(Class::BadValue)
    } else {
        None
    }
}

impl From<crate::db::PoolError> for AppError {
    fn from(err: crate::db::PoolError) -> Self {
        AppError::Unavailable(format!("database pool: {err}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_failures_are_classified_by_what_the_client_can_do() {
        for transient in [
            "canceling statement due to statement timeout",
            "canceling statement due to lock timeout",
            "terminating connection due to administrator command",
            "the database system is shutting down",
            "deadlock detected",
        ] {
            assert_eq!(classify(transient), Some(Class::Transient), "{transient}");
        }
        for bad in [
            "value too long for type character varying(150)",
            "invalid byte sequence for encoding \"UTF8\": 0x00",
            "unsupported Unicode escape sequence",
            "timestamp out of range: \"-5000-01-01\"",
            "bigint out of range",
            "date/time field value out of range: \"2024-13-01\"",
            "invalid input syntax for type uuid: \"x\"",
        ] {
            assert_eq!(classify(bad), Some(Class::BadValue), "{bad}");
        }
        assert_eq!(classify("relation \"nope\" does not exist"), None);
    }

    #[test]
    fn a_statement_timeout_is_503_with_retry_after_never_500() {
        let err: AppError = diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::Unknown,
            Box::new("canceling statement due to statement timeout".to_string()),
        )
        .into();
        assert_eq!(err.status_code(), StatusCode::SERVICE_UNAVAILABLE);
        let res = err.error_response();
        assert_eq!(res.headers().get(header::RETRY_AFTER).unwrap(), "1");
        let err: AppError = diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::Unknown,
            Box::new("value too long for type character varying(63)".to_string()),
        )
        .into();
        assert_eq!(err.status_code(), StatusCode::BAD_REQUEST);
    }
}
