//! Cross-origin requests: the web app (ours or the original) may be served from another origin
//! than the API (docs/api-design.md#cors).
//!
//! Allowed origins are `HDS_CORS_ORIGINS` (comma-separated; `*` admits any origin). An allowed
//! origin gets its preflight answered here (cached for a day) and `Access-Control-Allow-Origin`
//! with credentials on every answer; any other origin gets no CORS headers, so browsers refuse
//! to show it the answers.

use std::sync::Arc;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::HttpResponse;

/// Methods and headers a cross-origin caller may use.
const METHODS: &str = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
const HEADERS: &str = "authorization, content-type, x-request-id, x-hds-source-object";
/// How long a browser may reuse a preflight's answer (seconds).
const MAX_AGE: &str = "86400";

/// The origins admitted.
#[derive(Clone, Debug, Default)]
pub struct Origins {
    any: bool,
    listed: Vec<String>,
}

impl Origins {
    pub fn new(configured: &[String]) -> Origins {
        Origins {
            any: configured.iter().any(|o| o == "*"),
            listed: configured
                .iter()
                .map(|o| o.trim_end_matches('/').to_string())
                .filter(|o| !o.is_empty() && o != "*")
                .collect(),
        }
    }

    fn admits(&self, origin: &str) -> bool {
        self.any || self.listed.iter().any(|o| o == origin)
    }
}

fn allowed_origin(origins: &Origins, headers: &HeaderMap) -> Option<HeaderValue> {
    let origin = headers.get(header::ORIGIN)?;
    origins
        .admits(origin.to_str().ok()?)
        .then(|| origin.clone())
}

fn add_common(headers: &mut HeaderMap, origin: HeaderValue) {
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
        HeaderValue::from_static("true"),
    );
    headers.append(header::VARY, HeaderValue::from_static("Origin"));
}

/// The middleware (outermost but for observation, so errors get the headers too).
pub async fn cors<B: MessageBody + 'static>(
    origins: Arc<Origins>,
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    let origin = allowed_origin(&origins, req.headers());
    let preflight = *req.method() == Method::OPTIONS
        && req
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    if let (true, Some(origin)) = (preflight, origin.clone()) {
        let mut answer = HttpResponse::Ok().finish();
        let h = answer.headers_mut();
        add_common(h, origin);
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static(METHODS),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static(HEADERS),
        );
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static(MAX_AGE),
        );
        return Ok(req.into_response(answer).map_into_right_body());
    }
    let mut res = next.call(req).await?.map_into_left_body();
    if let Some(origin) = origin {
        let h = res.headers_mut();
        add_common(h, origin);
        h.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("x-request-id, content-disposition"),
        );
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_listed_or_any() {
        let listed = Origins::new(&["https://hds.example.org/".into()]);
        assert!(listed.admits("https://hds.example.org"));
        assert!(!listed.admits("https://evil.example.org"));
        assert!(Origins::new(&["*".into()]).admits("http://localhost:3000"));
        assert!(!Origins::new(&[]).admits("http://localhost:3000"));
    }
}
