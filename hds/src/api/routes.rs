//! Route registration with permissions as data.
//!
//! Each app declares its permission table (`(basename, action) → Rule`) and registers its
//! handlers through [`AppRoutes`]; registering a route whose `(basename, action)` has no row in
//! the table panics at startup. One middleware enforces the rule for every route, and the
//! collected [`RouteSpec`]s drive the OpenAPI document and the role-matrix test.

use std::sync::Arc;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::AUTHORIZATION;
use actix_web::http::Method;
use actix_web::middleware::{from_fn, Next};
use actix_web::{web, Handler, HttpMessage, Responder, Route};

use crate::api::body::{BodyLimit, StashedConn};
use crate::api::envelope::RequestCtx;
use crate::api::state::AppState;
use crate::auth::cache::TokenCache;
use crate::auth::roles::Permission;
use crate::auth::{self, authenticate, Caller, Rule};
use crate::error::AppError;

/// The shape of a route's successful answer, for the API docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Doc {
    /// `data` is one object of this schema.
    Object(&'static str),
    /// `data` is a `{count,next,previous,results}` page of this schema.
    Page(&'static str),
    /// `data` is a list of this schema.
    List(&'static str),
    /// Double envelope (login/logout/csrf/change-password) around this schema.
    Double(&'static str),
    /// 204 with no body.
    NoContent,
    /// Any JSON, enveloped.
    Any,
    /// Not enveloped (health check, OpenAPI).
    Raw,
}

#[derive(Clone, Debug)]
pub struct RouteSpec {
    pub method: Method,
    /// Relative to `/api/v1/`, e.g. `users/profiles/{id}/`.
    pub path: &'static str,
    pub basename: &'static str,
    pub action: &'static str,
    pub rule: Rule,
    pub summary: &'static str,
    pub doc: Doc,
    /// Schema of the request body, if any.
    pub request: Option<&'static str>,
    /// Larger body limit (report ingestion).
    pub large_body: bool,
}

impl RouteSpec {
    pub fn full_path(&self) -> String {
        format!("/api/v1/{}", self.path)
    }
}

struct Endpoint {
    spec: RouteSpec,
    route: Route,
}

/// Collects every API route before they are mounted.
#[derive(Default)]
pub struct ApiBuilder {
    endpoints: Vec<Endpoint>,
}

/// Registration handle for one app and its permission table.
pub struct AppRoutes<'a> {
    builder: &'a mut ApiBuilder,
    table: &'static [Permission],
}

impl ApiBuilder {
    pub fn app(&mut self, table: &'static [Permission]) -> AppRoutes<'_> {
        AppRoutes {
            builder: self,
            table,
        }
    }

    pub fn specs(&self) -> Vec<RouteSpec> {
        self.endpoints.iter().map(|e| e.spec.clone()).collect()
    }

    /// Mounts every route under `/api/v1/`, one resource per path, each wrapped by the ACL.
    pub fn mount(self, cfg: &mut web::ServiceConfig, report_body_limit: usize) {
        let mut paths: Vec<&'static str> = Vec::new();
        for e in &self.endpoints {
            if !paths.contains(&e.spec.path) {
                paths.push(e.spec.path);
            }
        }
        let mut endpoints: Vec<Option<Endpoint>> = self.endpoints.into_iter().map(Some).collect();
        for path in paths {
            let mut resource = web::resource(format!("/api/v1/{path}"));
            let mut acl = Vec::new();
            let mut large = false;
            for slot in endpoints.iter_mut() {
                if slot.as_ref().is_some_and(|e| e.spec.path == path) {
                    let e = slot.take().expect("checked above");
                    large |= e.spec.large_body;
                    acl.push(e.spec);
                    resource = resource.route(e.route);
                }
            }
            if large {
                resource = resource.app_data(BodyLimit(report_body_limit));
            }
            let acl = Arc::new(acl);
            resource = resource.default_service(web::to(method_not_allowed));
            cfg.service(resource.wrap(from_fn(move |req, next| enforce(acl.clone(), req, next))));
        }
    }
}

impl AppRoutes<'_> {
    /// Registers `handler` for `method path`, guarded by the table's rule for
    /// `(basename, action)`. Returns the spec to document it further.
    pub fn route<F, Args>(
        &mut self,
        method: Method,
        path: &'static str,
        basename: &'static str,
        action: &'static str,
        handler: F,
    ) -> &mut RouteSpec
    where
        F: Handler<Args>,
        Args: actix_web::FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        let rule = self
            .table
            .iter()
            .find(|p| p.basename == basename && p.action == action)
            .map(|p| p.rule)
            .unwrap_or_else(|| panic!("no permission entry for {basename}.{action}"));
        let route = web::route().method(method.clone()).to(handler);
        self.builder.endpoints.push(Endpoint {
            spec: RouteSpec {
                method,
                path,
                basename,
                action,
                rule,
                summary: "",
                doc: Doc::Any,
                request: None,
                large_body: false,
            },
            route,
        });
        &mut self.builder.endpoints.last_mut().expect("just pushed").spec
    }
}

impl RouteSpec {
    pub fn summary(&mut self, summary: &'static str) -> &mut Self {
        self.summary = summary;
        self
    }
    pub fn doc(&mut self, doc: Doc) -> &mut Self {
        self.doc = doc;
        self
    }
    pub fn request(&mut self, schema: &'static str) -> &mut Self {
        self.request = Some(schema);
        self
    }
    pub fn large_body(&mut self) -> &mut Self {
        self.large_body = true;
        self
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

async fn enforce<B: MessageBody + 'static>(
    acl: Arc<Vec<RouteSpec>>,
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    let Some(spec) = acl.iter().find(|s| s.method == *req.method()) else {
        // → 405 from the resource's default service
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body);
    };
    req.extensions_mut().insert(RouteBasename(spec.basename));
    match authorize(spec, &req).await {
        Ok(ctx) => {
            req.extensions_mut().insert(ctx);
            let changes_accounts = spec.basename == "user" && !spec.method.is_safe();
            let response = next.call(req).await;
            if changes_accounts {
                // Logout, deactivation, role changes: no cached authentication outlives them.
                auth::cache::accounts_changed();
            }
            response.map(ServiceResponse::map_into_left_body)
        }
        // Rendered here, inside the request's scope, so it is logged and counted with its id.
        Err(err) => Ok(req.error_response(err).map_into_right_body()),
    }
}

async fn authorize(spec: &RouteSpec, req: &ServiceRequest) -> Result<RequestCtx, AppError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| AppError::internal("application state missing"))?;
    let header = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let caller = match header {
        Some(h) => {
            let key = TokenCache::key(&h);
            match key.as_deref().and_then(|k| state.tokens.get(k)) {
                Some(cached) => Some(cached),
                None => {
                    let seen = auth::cache::generation();
                    let mut conn = state.pool.get().await?;
                    let caller = authenticate(Some(&h), &mut conn, &state.jwt).await?;
                    req.extensions_mut().insert(StashedConn(conn));
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
