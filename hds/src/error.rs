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
            AppError::TooManyRequests => "Throttled",
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
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
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

impl From<diesel::result::Error> for AppError {
    fn from(err: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match err {
            Error::NotFound => AppError::NotFound("No object matches the given query.".into()),
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                AppError::Unavailable(info.message().to_string())
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
            other => AppError::Internal(other.into()),
        }
    }
}

impl From<crate::db::PoolError> for AppError {
    fn from(err: crate::db::PoolError) -> Self {
        AppError::Unavailable(format!("database pool: {err}"))
    }
}
