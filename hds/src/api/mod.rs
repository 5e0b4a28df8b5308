//! The HTTP layer: the app factory, cross-cutting middleware and the shared conventions
//! (envelope, errors, pagination, filters, bodies, permissions, OpenAPI).

pub mod body;
pub mod clients;
pub mod columns;
pub mod cors;
pub mod envelope;
pub mod filters;
pub mod openapi;
pub mod pagination;
pub mod proxies;
pub mod router;
pub mod routes;
pub mod serde_fmt;
pub mod shape;
pub mod sql;
pub mod state;

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue, CONTENT_TYPE, LOCATION};
use actix_web::http::Method;
use actix_web::middleware::{from_fn, Next};
use actix_web::{web, App, HttpMessage, HttpRequest, HttpResponse, ResponseError};
use tracing::Instrument;

use crate::error::{shaped_status, AppError, ErrorLabel};
use crate::metrics::METRICS;
use routes::{RouteSpec, RouteTable};
use state::AppState;

/// The generated OpenAPI document, built once per process.
pub struct ApiDoc {
    pub openapi: serde_json::Value,
    pub json: String,
    pub yaml: String,
}

/// Every API route of every app (used by the server, the docs and the role-matrix test).
pub fn api_routes() -> RouteTable {
    router::table()
}

pub fn route_specs() -> Vec<RouteSpec> {
    api_routes().specs()
}

/// The route a request to `method path` (a full path, `/api/v1/…`) is answered by.
pub fn route_for(method: &Method, path: &str) -> Option<RouteSpec> {
    static SPECS: OnceLock<Vec<RouteSpec>> = OnceLock::new();
    let specs = SPECS.get_or_init(route_specs);
    let rest = path.strip_prefix("/api/v1/")?;
    specs
        .iter()
        .find(|s| s.method == *method && routes::path_matches(s.path, rest))
        .cloned()
}

/// Checks an answer against the declared answer of the route that gave it (the test suite
/// runs this on every response it receives; docs/api-design.md#one-source-of-truth). Paths
/// outside the route table are only checked for the error shape.
pub fn check_answer(
    method: &Method,
    path: &str,
    status: actix_web::http::StatusCode,
    body: &serde_json::Value,
) -> Result<(), String> {
    let answer = match route_for(method, path) {
        Some(spec) => {
            // A success must be the one the OpenAPI document declares (201 for routes that
            // create, 202 for queued work, 204 for deletes, else 200; ingestion may also
            // answer 200).
            let declared = match &spec.answer {
                shape::Answer::Ingested(_) => None,
                _ => Some(spec.success_status()),
            };
            if let Some(code) = declared {
                if status.is_success() && status.as_u16() != code {
                    return Err(format!(
                        "{method} {path} answered {status}; its route declares {code}"
                    ));
                }
            }
            spec.answer
        }
        None if path.starts_with("/api/") && status.is_client_error() => shape::Answer::Raw,
        None => return Ok(()),
    };
    answer.check(method, status, body)
}

pub fn api_doc() -> Arc<ApiDoc> {
    static DOC: OnceLock<Arc<ApiDoc>> = OnceLock::new();
    DOC.get_or_init(|| {
        let table = api_routes();
        let openapi = openapi::document(&table.specs(), table.components());
        let json = serde_json::to_string_pretty(&openapi).expect("OpenAPI serialises to JSON");
        let yaml = yaml_serde::to_string(&openapi).expect("OpenAPI serialises to YAML");
        Arc::new(ApiDoc {
            openapi,
            json,
            yaml,
        })
    })
    .clone()
}

pub(crate) async fn serve_openapi(req: HttpRequest, doc: web::Data<ApiDoc>) -> HttpResponse {
    let wants_json = pagination::form_pairs(req.query_string())
        .iter()
        .any(|(k, v)| k == "format" && (v == "openapi-json" || v == "json"));
    if wants_json {
        HttpResponse::Ok()
            .content_type("application/vnd.oai.openapi+json")
            .body(doc.json.clone())
    } else {
        HttpResponse::Ok()
            .content_type("application/vnd.oai.openapi")
            .body(doc.yaml.clone())
    }
}

/// The process's metrics, then the gauges read from the database (assets); a database that
/// does not answer leaves those out rather than failing the scrape.
async fn serve_metrics(state: web::Data<AppState>) -> HttpResponse {
    let mut body = crate::metrics::render(&state.pool);
    match state.pool.get().await {
        Ok(mut conn) => match crate::apps::harvassets::gauges::gauges(&mut conn).await {
            Ok(gauges) => body.push_str(&gauges),
            Err(err) => tracing::warn!(error = %err, "asset gauges left out of /metrics"),
        },
        Err(err) => tracing::warn!(error = %err, "asset gauges left out of /metrics"),
    }
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(body)
}

/// Unknown routes. A GET on an API path without its trailing slash is redirected to the
/// slashed path when that exists (the web app calls `errorreports/{id}` this way); other
/// non-API paths fall back to the web app's `index.html` so client routes work.
async fn not_found(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let path = req.path();
    let is_api = path.starts_with("/api/") || path == "/metrics";
    if is_api {
        if matches!(*req.method(), Method::GET | Method::HEAD) && !path.ends_with('/') {
            let slashed = format!("{path}/");
            if req.resource_map().has_resource(&slashed) {
                let location = match req.query_string() {
                    "" => slashed,
                    q => format!("{slashed}?{q}"),
                };
                return HttpResponse::MovedPermanently()
                    .insert_header((LOCATION, location))
                    .finish();
            }
        }
        return AppError::NotFound("Not found.".into()).error_response();
    }
    let index = std::path::Path::new(&state.config.frontend_dir).join("index.html");
    match std::fs::read(&index) {
        Ok(html) if matches!(*req.method(), Method::GET | Method::HEAD) => HttpResponse::Ok()
            .insert_header((CONTENT_TYPE, "text/html; charset=utf-8"))
            .body(html),
        _ => AppError::NotFound("Not found.".into()).error_response(),
    }
}

fn request_id(req: &ServiceRequest) -> String {
    req.headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string())
}

/// The client a request counts against: the connection's peer address, or the client a
/// trusted proxy names (`proxies::client_ip`; no address in in-process tests, which are not
/// limited).
fn client_address(req: &ServiceRequest) -> Option<std::net::IpAddr> {
    proxies::client_ip(req.request())
}

/// Runs the request within the per-client limit (`HDS_CLIENT_MAX_REQUESTS`;
/// docs/api-design.md#request-bodies).
async fn bounded(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let slots = req
        .app_data::<web::Data<AppState>>()
        .map(|s| s.clients.clone());
    let _slot = match (slots, client_address(&req)) {
        (Some(slots), Some(client)) => match slots.acquire(client) {
            Some(slot) => Some(slot),
            None => {
                let res = AppError::TooManyRequests.error_response();
                return Ok(req.into_response(res));
            }
        },
        _ => None,
    };
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}

/// The basename of the route that answered (`none` outside the route table).
fn basename_of(res: &ServiceResponse<BoxBody>) -> &'static str {
    res.request()
        .extensions()
        .get::<routes::RouteBasename>()
        .map(|c| c.0)
        .unwrap_or("none")
}

/// An error answer actix made (plain text, or empty) rewritten in the error shape, keeping its
/// status and headers (`Allow`, `Retry-After`, …) but not its body.
fn in_error_shape(res: ServiceResponse<BoxBody>) -> ServiceResponse<BoxBody> {
    let status = res.status();
    let keep: Vec<(HeaderName, HeaderValue)> = res
        .headers()
        .iter()
        .filter(|(k, _)| *k != CONTENT_TYPE && *k != actix_web::http::header::CONTENT_LENGTH)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let (http, _) = res.into_parts();
    let mut shaped = shaped_status(status);
    for (k, v) in keep {
        shaped.headers_mut().append(k, v);
    }
    ServiceResponse::new(http, shaped)
}

/// Counts, when dropped before [`Unanswered::answered`], a request that ended without an
/// answer (`hds_http_requests_unanswered_total{reason}`: `panic` when a handler panicked,
/// `dropped` when the server dropped it unanswered, e.g. at shutdown). A client that closes
/// its connection mid-body is `client_gone` (`body::buffer`); one that goes away while its
/// answer is being made is not seen here (actix finishes the request and its write fails).
struct Unanswered {
    done: bool,
    quiet: bool,
}

impl Unanswered {
    fn new(path: &str) -> Self {
        Unanswered {
            done: false,
            quiet: path == "/metrics",
        }
    }

    fn answered(&mut self) {
        self.done = true;
    }
}

impl Drop for Unanswered {
    fn drop(&mut self) {
        if self.done || self.quiet {
            return;
        }
        let reason = if std::thread::panicking() {
            "panic"
        } else {
            "dropped"
        };
        METRICS.unanswered.with_label_values(&[reason]).inc();
    }
}

/// Outermost middleware: request id (task-local, log span, response header), access log,
/// request metrics and the error counter.
async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let id = request_id(&req);
    let method = req.method().clone();
    let path = req.path().to_owned();
    let start = Instant::now();
    let span = tracing::info_span!("request", request_id = %id, %method, %path);
    // Route-level failures are already responses (the ACL middleware renders its own errors);
    // an error from below (an actix service or extractor) is rendered here in the error shape.
    let fut = async move {
        next.call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body)
    };
    // Counts a request whose answer never came: dropped unanswered by a panic or a shutdown
    // (docs/api-design.md#metrics).
    let mut unanswered = Unanswered::new(&path);
    let res = crate::telemetry::with_request_id(id.clone(), fut.instrument(span.clone())).await;
    unanswered.answered();
    let mut res = match res {
        Ok(res) => res,
        Err(err) => {
            // actix renders this itself (the request is gone by now): in the error shape.
            let status = err.as_response_error().status_code();
            span.in_scope(|| tracing::debug!(error = %err, "error from a service below the app"));
            if status.is_server_error() {
                METRICS.server_errors.with_label_values(&["none"]).inc();
            }
            let shaped = shaped_status(status);
            return Err(actix_web::error::InternalError::from_response(err, shaped).into());
        }
    };
    if (res.status().is_client_error() || res.status().is_server_error())
        && res.response().extensions().get::<ErrorLabel>().is_none()
    {
        res = in_error_shape(res);
    }
    let elapsed = start.elapsed();
    let route = res
        .request()
        .match_pattern()
        .unwrap_or_else(|| "unmatched".into());
    let status = res.status();
    let m = &*METRICS;
    m.requests
        .with_label_values(&[route.as_str(), method.as_str(), status.as_str()])
        .inc();
    m.latency
        .with_label_values(&[route.as_str(), method.as_str()])
        .observe(elapsed.as_secs_f64());
    if let Some(ErrorLabel(exception)) = res.response().extensions().get::<ErrorLabel>().cloned() {
        m.errors
            .with_label_values(&[exception, basename_of(&res)])
            .inc();
    }
    if status.is_server_error() {
        m.server_errors
            .with_label_values(&[basename_of(&res)])
            .inc();
    }
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut()
            .insert(HeaderName::from_static("x-request-id"), v);
    }
    let quiet = path == "/metrics" || path.starts_with("/api/v1/healthcheck");
    let ms = elapsed.as_secs_f64() * 1000.0;
    span.in_scope(|| {
        if status.is_server_error() {
            tracing::error!(status = status.as_u16(), ms, "request failed");
        } else if quiet {
            tracing::debug!(status = status.as_u16(), ms, "request");
        } else {
            tracing::info!(status = status.as_u16(), ms, "request");
        }
    });
    Ok(res)
}

/// The complete application: API, metrics, docs and the web app.
pub fn app(
    state: AppState,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let doc = api_doc();
    let report_limit = state.config.report_body_limit;
    let frontend_dir = state.config.frontend_dir.clone();
    let origins = Arc::new(cors::Origins::new(&state.config.cors_origins));
    let mut app = App::new()
        .app_data(web::Data::new(state))
        // actix's own extractors answer in the error shape too: a path id of digits that is
        // not an id (too large for one) is "no such row", a 404.
        .app_data(web::PathConfig::default().error_handler(|err, _| {
            tracing::debug!(error = %err, "path not read");
            AppError::NotFound("Not found.".into()).into()
        }))
        .app_data(web::Data::from(doc.clone()))
        .wrap(from_fn(move |req, next| {
            cors::cors(origins.clone(), req, next)
        }))
        .wrap(from_fn(bounded))
        .wrap(from_fn(observe))
        .route("/metrics", web::get().to(serve_metrics))
        .service(
            utoipa_swagger_ui::SwaggerUi::new("/api/v1/docs/{_:.*}")
                .external_url_unchecked("/api/v1/docs/openapi.json", doc.openapi.clone()),
        )
        .configure(|cfg| api_routes().mount(cfg, report_limit));
    if std::path::Path::new(&frontend_dir)
        .join("index.html")
        .is_file()
    {
        // Files answer reads only: any other method (a POST to a mistyped API path) falls
        // through to `not_found` and its JSON 404.
        app = app.service(
            actix_files::Files::new("/", frontend_dir)
                .index_file("index.html")
                .guard(actix_web::guard::Any(actix_web::guard::Get()).or(actix_web::guard::Head()))
                .default_handler(web::to(not_found)),
        );
    }
    app.default_service(web::to(not_found))
}
