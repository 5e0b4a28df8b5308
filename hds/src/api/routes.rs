//! The machinery behind the route table (`api/router/`): route specs, mounting with one ACL
//! middleware per path, and the permission check.
//!
//! Every route carries its rule and its declared answer; mounting refuses a route whose answer is
//! not declared and a method/path registered twice. The collected [`RouteSpec`]s drive the
//! OpenAPI document, the role-matrix test and the response-shape check of the test suite.

use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderValue, ALLOW, AUTHORIZATION, VARY};
use actix_web::http::Method;
use actix_web::middleware::{from_fn, Next};
use actix_web::{web, Handler, HttpMessage, Responder, Route};
use serde::de::DeserializeOwned;
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::body::{self, BodyLimit, StashedConn};
use crate::api::envelope::RequestCtx;
use crate::api::filters::Param;
use crate::api::shape::{Answer, Components, Shape};
use crate::api::state::AppState;
use crate::auth::cache::TokenCache;
use crate::auth::{self, authenticate, Caller, Rule};
use crate::error::AppError;

#[derive(Clone, Debug)]
pub struct RouteSpec {
    pub method: Method,
    /// Relative to `/api/v1/`, as a client writes it, e.g. `users/profiles/{id}/`.
    pub path: &'static str,
    /// The resource's name in messages, metrics and operation ids (DRF's basename).
    pub basename: &'static str,
    /// The action (DRF's name): `list`, `retrieve`, `create`, … or a custom one.
    pub action: &'static str,
    pub rule: Rule,
    pub summary: &'static str,
    pub answer: Answer,
    /// Type of the request body, if any.
    pub request: Option<Shape>,
    /// Larger body limit (report ingestion).
    pub large_body: bool,
    /// The handler reads the body itself, as a stream (log-session uploads): the middleware
    /// neither buffers it nor keeps a pooled connection, and the request's deadline is
    /// `HDS_LOG_UPLOAD_TIMEOUT_SECS` (docs/api-design.md#request-bodies).
    pub streamed: bool,
    /// Answers 201 (`Ctx::ok` to a POST): `create`, and custom actions declared with
    /// [`creates`](Self::creates).
    pub creates: bool,
    /// Answers 202: the work was queued, not done (declared with [`accepted`](Self::accepted)).
    pub accepted: bool,
    /// Query filters a list reads.
    pub filters: Vec<Param>,
    /// Names `ordering` accepts (with the column each sorts by).
    pub orderings: &'static [(&'static str, &'static str)],
}

impl RouteSpec {
    pub fn full_path(&self) -> String {
        format!("/api/v1/{}", self.path)
    }

    /// The actix pattern: `{id}` segments match digits only, so `profiles/undefined/` is
    /// "no such route" (404) before authentication is considered.
    fn pattern(&self) -> String {
        format!("/api/v1/{}", self.path.replace("{id}", r"{id:\d+}"))
    }

    pub fn summary(&mut self, summary: &'static str) -> &mut Self {
        self.summary = summary;
        self
    }
    /// The request body's type.
    pub fn input<T: ToSchema + crate::api::body::Input + 'static>(&mut self) -> &mut Self {
        self.request = Some(Shape::input::<T>());
        self
    }
    /// Answers one `T`.
    pub fn object<T: Output>(&mut self) -> &mut Self {
        self.answer = Answer::Object(Shape::of::<T>());
        self
    }
    /// Report ingestion: 201 with one `T`, or 200 with a string when a report is deliberately
    /// not stored.
    pub fn ingested<T: Output>(&mut self) -> &mut Self {
        self.answer = Answer::Ingested(Shape::of::<T>());
        self
    }
    /// Answers a page of `T`.
    pub fn page<T: Output>(&mut self) -> &mut Self {
        self.answer = Answer::Page(Shape::of::<T>());
        self
    }
    /// Answers a list of `T`.
    pub fn list<T: Output>(&mut self) -> &mut Self {
        self.answer = Answer::List(Shape::of::<T>());
        self
    }
    /// Answers `T` inside the double envelope.
    pub fn double<T: Output>(&mut self) -> &mut Self {
        self.answer = Answer::Double(Shape::of::<T>());
        self
    }
    /// Answers a stored JSON document of no fixed shape.
    pub fn free_form(&mut self) -> &mut Self {
        self.answer = Answer::Object(Shape::inline::<serde_json::Value>());
        self
    }
    /// Answers a page of JSON documents of no fixed shape (yet).
    pub fn page_free_form(&mut self) -> &mut Self {
        self.answer = Answer::Page(Shape::inline::<serde_json::Value>());
        self
    }
    /// Answers a list of JSON documents of no fixed shape (yet).
    pub fn list_free_form(&mut self) -> &mut Self {
        self.answer = Answer::List(Shape::inline::<serde_json::Value>());
        self
    }
    /// Answers a string.
    pub fn text(&mut self) -> &mut Self {
        self.answer = Answer::Object(Shape::inline::<String>());
        self
    }
    /// Answers 204 without a body.
    pub fn no_content(&mut self) -> &mut Self {
        self.answer = Answer::NoContent;
        self
    }
    /// Answers outside the envelope.
    pub fn raw(&mut self) -> &mut Self {
        self.answer = Answer::Raw;
        self
    }
    /// A custom POST action that creates something and answers 201.
    pub fn creates(&mut self) -> &mut Self {
        self.creates = true;
        self
    }
    /// A custom action that queues work and answers 202.
    pub fn accepted(&mut self) -> &mut Self {
        self.accepted = true;
        self
    }
    /// The status of a success: 204 for deletes, 201 for creates, 202 for queued work, else 200.
    pub fn success_status(&self) -> u16 {
        match self.answer {
            Answer::NoContent => 204,
            _ if self.creates => 201,
            _ if self.accepted => 202,
            _ => 200,
        }
    }
    pub fn large_body(&mut self) -> &mut Self {
        self.large_body = true;
        self
    }
    /// The handler streams the body (see [`RouteSpec::streamed`]).
    pub fn streamed(&mut self) -> &mut Self {
        self.streamed = true;
        self
    }
    /// Filters the route reads from the query string (added to those declared before).
    pub fn filters(&mut self, filters: &[Param]) -> &mut Self {
        self.filters.extend_from_slice(filters);
        self
    }
    /// The names `ordering` accepts.
    pub fn orderings(&mut self, orderings: &'static [(&'static str, &'static str)]) -> &mut Self {
        self.orderings = orderings;
        self
    }
}

/// A response type: documented (ToSchema), rendered (Serialize) and checked (Deserialize).
pub trait Output: ToSchema + DeserializeOwned + Serialize + 'static {}
impl<T: ToSchema + DeserializeOwned + Serialize + 'static> Output for T {}

/// Whether a request path (under `/api/v1/`) is `pattern`'s; `{id}` matches digits.
pub fn path_matches(pattern: &str, path: &str) -> bool {
    let mut want = pattern.split('/');
    let mut got = path.split('/');
    loop {
        match (want.next(), got.next()) {
            (None, None) => return true,
            (Some("{id}"), Some(seg))
                if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) => {}
            (Some(w), Some(g)) if w == g => {}
            _ => return false,
        }
    }
}

struct Endpoint {
    spec: RouteSpec,
    route: Route,
}

/// Every API route, in the order they are matched (see `api/router/`).
#[derive(Default)]
pub struct RouteTable {
    endpoints: Vec<Endpoint>,
}

impl RouteTable {
    /// Adds `method path`, named `basename.action`, allowed by `rule`, answered by `handler`.
    pub fn add<F, Args>(
        &mut self,
        method: Method,
        path: &'static str,
        name: &'static str,
        rule: Rule,
        handler: F,
    ) -> &mut RouteSpec
    where
        F: Handler<Args>,
        Args: actix_web::FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        let (basename, action) = name
            .split_once('.')
            .unwrap_or_else(|| panic!("route name {name:?} is not basename.action"));
        let route = web::route().method(method.clone()).to(handler);
        self.endpoints.push(Endpoint {
            spec: RouteSpec {
                method,
                path,
                basename,
                action,
                rule,
                summary: "",
                answer: Answer::Undeclared,
                request: None,
                large_body: false,
                streamed: false,
                creates: action == "create",
                accepted: false,
                filters: Vec::new(),
                orderings: &[],
            },
            route,
        });
        &mut self.endpoints.last_mut().expect("just pushed").spec
    }

    pub fn specs(&self) -> Vec<RouteSpec> {
        self.endpoints.iter().map(|e| e.spec.clone()).collect()
    }

    /// Refuses a table with an undeclared answer, a route registered twice, or one
    /// `basename.action` under two different rules (a permission is one thing).
    pub fn validate(&self) -> Result<(), String> {
        for (i, a) in self.endpoints.iter().map(|e| &e.spec).enumerate() {
            if a.answer == Answer::Undeclared {
                return Err(format!("{} {} declares no answer", a.method, a.path));
            }
            for b in self.endpoints[..i].iter().map(|e| &e.spec) {
                if a.method == b.method && a.path == b.path {
                    return Err(format!("{} {} is registered twice", a.method, a.path));
                }
                if a.basename == b.basename && a.action == b.action && a.rule != b.rule {
                    return Err(format!(
                        "{}.{} has two rules ({:?} on {}, {:?} on {})",
                        a.basename, a.action, b.rule, b.path, a.rule, a.path
                    ));
                }
            }
        }
        Ok(())
    }

    /// The schemas every route's request and answer refer to.
    pub fn components(&self) -> Components {
        let mut c = Components::new();
        for spec in self.endpoints.iter().map(|e| &e.spec) {
            if let Some(r) = spec.request {
                r.register(&mut c);
            }
            match spec.answer {
                Answer::Object(s)
                | Answer::Ingested(s)
                | Answer::Page(s)
                | Answer::List(s)
                | Answer::Double(s) => s.register(&mut c),
                Answer::Undeclared | Answer::NoContent | Answer::Raw => {}
            }
        }
        c
    }

    /// Mounts every route under `/api/v1/`, one resource per path, each wrapped by the ACL.
    /// Panics on a table [`validate`](Self::validate) refuses: that is a startup failure.
    pub fn mount(self, cfg: &mut web::ServiceConfig, report_body_limit: usize) {
        if let Err(e) = self.validate() {
            panic!("route table: {e}");
        }
        let mut paths: Vec<&'static str> = Vec::new();
        for e in &self.endpoints {
            if !paths.contains(&e.spec.path) {
                paths.push(e.spec.path);
            }
        }
        let mut endpoints: Vec<Option<Endpoint>> = self.endpoints.into_iter().map(Some).collect();
        for path in paths {
            let mut resource = None;
            let mut acl = Vec::new();
            let mut large = false;
            for slot in endpoints.iter_mut() {
                if slot.as_ref().is_some_and(|e| e.spec.path == path) {
                    let Some(e) = slot.take() else { continue };
                    large |= e.spec.large_body;
                    let r = resource.unwrap_or_else(|| web::resource(e.spec.pattern()));
                    resource = Some(r.route(e.route));
                    acl.push(e.spec);
                }
            }
            let Some(mut resource) = resource else {
                continue;
            };
            if large {
                resource = resource.app_data(BodyLimit(report_body_limit));
            }
            let acl = Arc::new(Acl::new(acl, large));
            let meta = acl.clone();
            resource = resource
                .route(
                    web::route()
                        .method(Method::OPTIONS)
                        .to(move || std::future::ready(meta.options())),
                )
                .default_service(web::to(method_not_allowed));
            cfg.service(resource.wrap(from_fn(move |req, next| enforce(acl.clone(), req, next))));
        }
    }
}

async fn method_not_allowed(req: actix_web::HttpRequest) -> actix_web::HttpResponse {
    use actix_web::ResponseError;
    AppError::MethodNotAllowed(req.method().to_string()).error_response()
}

/// The basename of the matched route, for error metrics (set before authorization).
#[derive(Clone, Copy, Debug)]
pub struct RouteBasename(pub &'static str);

/// Decides whether `caller` may use a route with `rule`; `path_id` is the `{id}` segment.
pub fn check(rule: Rule, caller: Option<&Caller>, path_id: Option<&str>) -> Result<(), AppError> {
    let need_login =
        || AppError::Unauthenticated("Authentication credentials were not provided.".into());
    match rule {
        Rule::Open => Ok(()),
        Rule::Authenticated => caller.map(|_| ()).ok_or_else(need_login),
        Rule::Roles(grants) => {
            let c = caller.ok_or_else(need_login)?;
            if c.grants().intersects(grants) {
                Ok(())
            } else {
                Err(AppError::Forbidden)
            }
        }
        Rule::RolesOrSelf(grants) => {
            let c = caller.ok_or_else(need_login)?;
            let is_self = path_id.is_some_and(|id| id == c.user_id.to_string());
            if is_self || c.grants().intersects(grants) {
                Ok(())
            } else {
                Err(AppError::Forbidden)
            }
        }
    }
}

/// The routes of one path, and what `OPTIONS` and the `Allow` header say of them.
struct Acl {
    specs: Vec<RouteSpec>,
    allow: HeaderValue,
    /// Report ingestion: the larger body limit (`HDS_REPORT_BODY_LIMIT`).
    large_body: bool,
}

impl Acl {
    fn new(specs: Vec<RouteSpec>, large_body: bool) -> Acl {
        // In the order Django lists them.
        let order = [
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ];
        let mut methods: Vec<&str> = order
            .iter()
            .filter(|m| specs.iter().any(|s| s.method == **m))
            .map(Method::as_str)
            .collect();
        methods.push("OPTIONS");
        let allow = HeaderValue::from_str(&methods.join(", "))
            .unwrap_or_else(|_| HeaderValue::from_static("OPTIONS"));
        Acl {
            specs,
            allow,
            large_body,
        }
    }

    /// `OPTIONS`, open on every path as it was in the original: the enveloped description of
    /// the view (docs/compatibility.md#d107).
    fn options(&self) -> actix_web::HttpResponse {
        let (basename, path, summary) = self
            .specs
            .first()
            .map(|s| (s.basename, s.path, s.summary))
            .unwrap_or_default();
        let mut name: String = basename
            .chars()
            .enumerate()
            .map(|(i, c)| if i == 0 { c.to_ascii_uppercase() } else { c })
            .collect();
        name.push_str(if path.contains("{id}") {
            " Instance"
        } else {
            " List"
        });
        let description = self
            .specs
            .iter()
            .map(|s| s.summary)
            .find(|s| !s.is_empty())
            .unwrap_or(summary);
        let data = serde_json::json!({
            "name": name,
            "description": description,
            "renders": ["application/json", "text/html"],
            "parses": ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"],
        });
        actix_web::HttpResponse::Ok()
            .insert_header((ALLOW, self.allow.clone()))
            .json(crate::api::envelope::success(
                &format!("{basename} OPTIONS completed successfully"),
                data,
            ))
    }
}

async fn enforce<B: MessageBody + 'static>(
    acl: Arc<Acl>,
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    let mut res = route_and_check(&acl, req, next).await?;
    // Like every answer of the original's views: which methods the path has.
    res.headers_mut().insert(ALLOW, acl.allow.clone());
    res.headers_mut()
        .append(VARY, HeaderValue::from_static("Accept"));
    Ok(res)
}

async fn route_and_check<B: MessageBody + 'static>(
    acl: &Acl,
    mut req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    let arrived = Instant::now();
    let Some(spec) = acl.specs.iter().find(|s| s.method == *req.method()) else {
        // OPTIONS is answered by its own route; any other method by the resource's default
        // service (405).
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body);
    };
    req.extensions_mut().insert(RouteBasename(spec.basename));
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        let err = AppError::internal("application state missing");
        return Ok(req.error_response(err).map_into_right_body());
    };
    // The body is read here, whole, before anything takes a pooled connection for the
    // handler: a client trickling its body holds a socket, never a database connection
    // (docs/api-design.md#request-bodies).
    let has_body = body::expects_body(req.headers());
    let prepared = async {
        let ctx = authorize(spec, &req, &state, !has_body).await?;
        req.extensions_mut().insert(ctx);
        crate::api::filters::check_query(req.query_string())?;
        // A streamed upload's handler reads the body under its own deadlines, holding no
        // pooled connection while it does (`authorize` was told there is a body).
        if has_body && !spec.streamed {
            let config = &state.config;
            let limit = if acl.large_body {
                config.report_body_limit
            } else {
                config.body_limit
            };
            let deadline = arrived + Duration::from_secs(config.body_timeout_secs);
            body::buffer(&mut req, limit, deadline, config.body_timeout_secs).await?;
        }
        Ok::<(), AppError>(())
    }
    .await;
    match prepared {
        Ok(()) => {
            let changes_accounts = spec.basename == "user" && !spec.method.is_safe();
            let http = req.request().clone();
            let secs = if spec.streamed {
                // The handler's own upload deadline, plus time to check the stored zip.
                state.config.log_upload_timeout_secs + 60
            } else {
                state.config.request_timeout_secs
            };
            let deadline = arrived + Duration::from_secs(secs);
            let answered =
                tokio::time::timeout_at(tokio::time::Instant::from_std(deadline), next.call(req))
                    .await;
            if changes_accounts {
                // Logout, deactivation, role changes: no cached authentication outlives them.
                auth::cache::accounts_changed();
            }
            match answered {
                Ok(response) => response.map(ServiceResponse::map_into_left_body),
                // The body was in (it has its own deadline, 408): what is late is the answer.
                Err(_) => {
                    crate::metrics::METRICS
                        .unanswered
                        .with_label_values(&["deadline"])
                        .inc();
                    let err = AppError::Unavailable(format!("no answer within {secs} s"));
                    let res = actix_web::ResponseError::error_response(&err);
                    Ok(ServiceResponse::new(http, res).map_into_right_body())
                }
            }
        }
        // Rendered here, inside the request's scope, so it is logged and counted with its id.
        Err(err) => {
            if matches!(err, AppError::RequestTimeout(_)) {
                crate::metrics::METRICS
                    .unanswered
                    .with_label_values(&["body_deadline"])
                    .inc();
            }
            Ok(req.error_response(err).map_into_right_body())
        }
    }
}

/// The caller and the route's rule. The connection used to authenticate is left for the
/// handler only when `keep_connection` (a request without a body, whose handler runs at
/// once); otherwise it goes back to the pool before the body is read.
async fn authorize(
    spec: &RouteSpec,
    req: &ServiceRequest,
    state: &AppState,
    keep_connection: bool,
) -> Result<RequestCtx, AppError> {
    let header = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let caller = match header {
        Some(h) => {
            let key = TokenCache::key(&h, &state.jwt);
            match key.as_deref().and_then(|k| state.tokens.get(k)) {
                Some(cached) => Some(cached),
                None => {
                    let seen = auth::cache::generation();
                    let mut conn = state.pool.get().await?;
                    let caller = authenticate(Some(&h), &mut conn, &state.jwt).await?;
                    if keep_connection {
                        req.extensions_mut().insert(StashedConn(conn));
                    }
                    if let (Some(key), Some(c)) = (key, &caller) {
                        state.tokens.put(key, c.clone(), seen);
                    }
                    caller
                }
            }
        }
        None => None,
    };
    check(spec.rule, caller.as_ref(), req.match_info().get("id"))?;
    Ok(RequestCtx {
        caller,
        basename: spec.basename,
        action: spec.action,
    })
}

#[cfg(test)]
mod tests {
    /// Every column a request body declares is a `varchar` column of the schema (a typo would
    /// silently check nothing).
    #[test]
    fn declared_body_columns_exist_in_the_schema() {
        let mut checked = 0;
        for spec in crate::api::route_specs() {
            for (path, column) in spec.request.map(|r| r.columns()).unwrap_or_default() {
                assert!(
                    crate::api::columns::max_len(column).is_some(),
                    "{} {}: {path} → {column} is not a varchar column",
                    spec.method,
                    spec.path
                );
                checked += 1;
            }
        }
        assert!(checked > 20, "{checked}");
    }
}
