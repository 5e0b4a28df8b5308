//! The response envelope of docs/api-design.md#envelope, and the request context handlers answer
//! through.

use std::future::{ready, Ready};

use actix_web::http::{Method, StatusCode};
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse};
use serde::Serialize;

use crate::auth::Caller;
use crate::error::AppError;

/// `retrieved`/`created`/`updated`/`deleted`, or `<METHOD> completed`, as the reference says.
pub fn verb(method: &Method) -> String {
    match *method {
        Method::GET => "retrieved".into(),
        Method::POST => "created".into(),
        Method::PUT | Method::PATCH => "updated".into(),
        Method::DELETE => "deleted".into(),
        ref other => format!("{other} completed"),
    }
}

/// `{"status":"success","message":…,"data":…}`, serialized straight from `data` (building a
/// `Value` first copied every response, a 20 KB report included).
#[derive(Serialize)]
pub struct Success<'a, T> {
    status: &'static str,
    message: &'a str,
    data: T,
}

pub fn success<T: Serialize>(message: &str, data: T) -> Success<'_, T> {
    Success {
        status: "success",
        message,
        data,
    }
}

/// Set by the ACL middleware for every routed API request.
#[derive(Clone, Debug)]
pub struct RequestCtx {
    pub caller: Option<Caller>,
    pub basename: &'static str,
    pub action: &'static str,
}

/// What a handler needs to answer: who called, and the resource's basename for messages.
#[derive(Clone, Debug)]
pub struct Ctx {
    pub caller: Option<Caller>,
    pub basename: &'static str,
    pub action: &'static str,
    pub method: Method,
}

impl FromRequest for Ctx {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let ctx = req.extensions().get::<RequestCtx>().cloned();
        ready(match ctx {
            Some(c) => Ok(Ctx {
                caller: c.caller,
                basename: c.basename,
                action: c.action,
                method: req.method().clone(),
            }),
            None => Err(AppError::internal("route registered without an ACL entry")),
        })
    }
}

impl Ctx {
    /// The authenticated caller; routes whose rule admits anonymous callers must not use this.
    pub fn caller(&self) -> Result<&Caller, AppError> {
        self.caller.as_ref().ok_or_else(|| {
            AppError::Unauthenticated("Authentication credentials were not provided.".into())
        })
    }

    fn standard_message(&self) -> String {
        format!("{} {} successfully", self.basename, verb(&self.method))
    }

    /// 200 (201 for POST) with the standard message.
    pub fn ok(&self, data: impl Serialize) -> HttpResponse {
        let status = if self.method == Method::POST {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        };
        HttpResponse::build(status).json(success(&self.standard_message(), data))
    }

    /// [`ok`](Self::ok) for data already serialized; `data_json` must be one JSON value.
    pub fn ok_serialized(&self, data_json: &str) -> HttpResponse {
        let status = if self.method == Method::POST {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        };
        let message = serde_json::Value::String(self.standard_message()).to_string();
        let mut body = String::with_capacity(data_json.len() + message.len() + 40);
        body.push_str("{\"status\":\"success\",\"message\":");
        body.push_str(&message);
        body.push_str(",\"data\":");
        body.push_str(data_json);
        body.push('}');
        HttpResponse::build(status)
            .content_type(actix_web::http::header::ContentType::json())
            .body(body)
    }

    /// 200 with the standard message, whatever the method.
    pub fn ok_200(&self, data: impl Serialize) -> HttpResponse {
        HttpResponse::Ok().json(success(&self.standard_message(), data))
    }

    /// Custom actions: a single envelope with their own message.
    pub fn message(&self, message: &str, data: impl Serialize) -> HttpResponse {
        HttpResponse::Ok().json(success(message, data))
    }

    /// 202: the work was recorded and queued (`migrations/migrate/`), with its own message.
    pub fn accepted(&self, message: &str, data: impl Serialize) -> HttpResponse {
        HttpResponse::Accepted().json(success(message, data))
    }

    /// The reference double-wraps login/logout/csrf/change-password (clients read
    /// `data.data.token`): the outer message has an empty basename.
    pub fn double(&self, inner_message: &str, data: impl Serialize) -> HttpResponse {
        let outer = format!(" {} successfully", verb(&self.method));
        HttpResponse::Ok().json(success(&outer, success(inner_message, data)))
    }

    pub fn deleted(&self) -> HttpResponse {
        HttpResponse::NoContent().finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn verbs_match_the_reference() {
        assert_eq!(verb(&Method::GET), "retrieved");
        assert_eq!(verb(&Method::PATCH), "updated");
        assert_eq!(verb(&Method::OPTIONS), "OPTIONS completed");
        assert_eq!(
            serde_json::to_value(success("fruit created successfully", 1)).unwrap(),
            json!({"status":"success","message":"fruit created successfully","data":1})
        );
    }
}
