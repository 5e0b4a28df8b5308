//! `exceptions/` CRUD (exceptions are normally created by extraction).

use crate::api::filters::{
    Param, ParamType, CODES, CREATED_AFTER, CREATED_BEFORE, END_TIME, FRUITS, HANDLED, HARV_IDS,
    IS_EMULATOR, LOCATIONS, START_TIME, TRACEBACK, TZ, UUIDS,
};
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Deserialize;
use utoipa::ToSchema;

use super::filters::{self, FROM};
use crate::api::body::{Body, Db};
use crate::api::envelope::Ctx;
use crate::api::filters::{datetime_error, parse_datetime, Query};
use crate::api::sql::{list_page, one, Listing, Where};
use crate::error::{AppError, AppResult};
use crate::schema::{exception_codes, exceptions};

audited! {
pub struct Exception {
    pub id: i64,
    pub service: Option<String>,
    pub node: Option<i32>,
    pub robot: Option<i32>,
    pub traceback: Option<String>,
    pub info: Option<String>,
    pub timestamp: Option<String>,
    pub handled: bool,
    pub primary: Option<bool>,
    pub code: Option<super::codes::ExceptionCode>,
    /// Error report id.
    pub report: Option<i64>,
}
}

/// `code` is the numeric exception code (not the row id). JSON and form bodies both work (D16).
#[derive(Deserialize, ToSchema, Debug)]
pub struct ExceptionInput {
    pub code: Option<i32>,
    pub service: Option<String>,
    pub node: Option<i32>,
    pub robot: Option<i32>,
    pub traceback: Option<String>,
    pub info: Option<String>,
    /// ISO-8601 / RFC 3339.
    pub timestamp: Option<String>,
    pub report: Option<i64>,
    pub handled: Option<bool>,
    pub primary: Option<bool>,
}

impl crate::api::body::Input for ExceptionInput {
    const COLUMNS: &'static [(&'static str, &'static str)] = &[("service", "exceptions.service")];
}

/// Filters of the exception list and the pareto (applied by `filters::apply`).
pub const FILTERS: &[Param] = &[
    CREATED_AFTER,
    CREATED_BEFORE,
    Param::new(
        "datetime_range",
        ParamType::TimeRange,
        "Timestamp within `start,end`.",
    ),
    HANDLED,
    Param::new("primary", ParamType::Bool, "Primary (or secondary) ones."),
    CODES,
    TRACEBACK,
    HARV_IDS,
    LOCATIONS,
    FRUITS,
    UUIDS,
    START_TIME,
    END_TIME,
    IS_EMULATOR,
    Param::new("code__code", ParamType::Int, "Of this code."),
    Param::new("node", ParamType::Int, "On this node."),
    Param::new("robot", ParamType::Int, "On this robot."),
    Param::new(
        "report__harvester__harv_id",
        ParamType::Int,
        "From this harvester.",
    ),
    Param::new("code__name", ParamType::Text, "Of the code with this name."),
    Param::new("code__team", ParamType::Text, "Of codes of this team."),
    Param::new("service", ParamType::Text, "From this service."),
    Param::new(
        "report__harvester__location__ranch",
        ParamType::Text,
        "At this ranch.",
    ),
    Param::new(
        "code__cycle",
        ParamType::Bool,
        "Of codes that cycle the robot (or not).",
    ),
    TZ,
];

/// Names `ordering` accepts on the list, with the column each sorts by.
pub const ORDERINGS: &[(&str, &str)] = &[
    ("id", "x.id"),
    ("timestamp", "x.\"timestamp\""),
    ("created", "x.created"),
];

fn json() -> String {
    super::json::exception("x")
}

pub async fn list(ctx: Ctx, req: HttpRequest, mut db: Db) -> AppResult<HttpResponse> {
    let q = Query::parse(req.query_string());
    let mut w = Where::default();
    filters::apply(&q, &mut w)?;
    let j = json();
    let l = Listing {
        from: FROM,
        json: &j,
        id: "x.id",
        orderings: ORDERINGS,
        default_order: "x.id",
    };
    Ok(ctx.ok(list_page(&mut db, &req, &l, &w).await?))
}

pub async fn retrieve(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    Ok(ctx.ok(one(
        &mut db,
        "exceptions x",
        &json(),
        "x.id",
        *id,
        "AFTException",
    )
    .await?))
}

async fn code_id(conn: &mut AsyncPgConnection, code: Option<i32>) -> AppResult<Option<i64>> {
    let Some(code) = code else { return Ok(None) };
    exception_codes::table
        .filter(exception_codes::code.eq(code))
        .select(exception_codes::id)
        .first(conn)
        .await
        .optional()?
        .map(Some)
        .ok_or_else(|| {
            AppError::validation_field("code", format!("Unknown exception code {code}."))
        })
}

fn timestamp(raw: Option<&str>) -> AppResult<Option<DateTime<Utc>>> {
    raw.map(|t| parse_datetime(t, chrono_tz::UTC).ok_or_else(|| datetime_error("timestamp", t)))
        .transpose()
}

pub async fn create(
    ctx: Ctx,
    mut db: Db,
    Body(input): Body<ExceptionInput>,
) -> AppResult<HttpResponse> {
    let code = code_id(&mut db, input.code).await?;
    let ts = timestamp(input.timestamp.as_deref())?;
    let id: i64 = diesel::insert_into(exceptions::table)
        .values((
            exceptions::code_id.eq(code),
            exceptions::service.eq(input.service),
            exceptions::node.eq(input.node),
            exceptions::robot.eq(input.robot),
            exceptions::traceback.eq(input.traceback),
            exceptions::info.eq(input.info),
            exceptions::timestamp.eq(ts),
            exceptions::report_id.eq(input.report),
            exceptions::handled.eq(input.handled.unwrap_or(false)),
            exceptions::primary.eq(input.primary),
            exceptions::creator_id.eq(ctx.caller()?.user_id),
        ))
        .returning(exceptions::id)
        .get_result(&mut db)
        .await
        .map_err(|e| crate::apps::fk_field(e, "report"))?;
    Ok(ctx.ok(one(&mut db, "exceptions x", &json(), "x.id", id, "AFTException").await?))
}

#[derive(AsChangeset)]
#[diesel(table_name = exceptions)]
struct Changes {
    code_id: Option<Option<i64>>,
    service: Option<Option<String>>,
    node: Option<Option<i32>>,
    robot: Option<Option<i32>>,
    traceback: Option<Option<String>>,
    info: Option<Option<String>>,
    timestamp: Option<Option<DateTime<Utc>>>,
    report_id: Option<Option<i64>>,
    handled: Option<bool>,
    primary: Option<Option<bool>>,
    modified_by_id: Option<i64>,
    last_modified: DateTime<Utc>,
}

pub async fn update(
    ctx: Ctx,
    mut db: Db,
    id: web::Path<i64>,
    Body(input): Body<ExceptionInput>,
) -> AppResult<HttpResponse> {
    let code = match input.code {
        Some(_) => Some(code_id(&mut db, input.code).await?),
        None => None,
    };
    let changes = Changes {
        code_id: code,
        service: input.service.map(Some),
        node: input.node.map(Some),
        robot: input.robot.map(Some),
        traceback: input.traceback.map(Some),
        info: input.info.map(Some),
        timestamp: timestamp(input.timestamp.as_deref())?.map(Some),
        report_id: input.report.map(Some),
        handled: input.handled,
        primary: input.primary.map(Some),
        modified_by_id: Some(ctx.caller()?.user_id),
        last_modified: Utc::now(),
    };
    let n = diesel::update(exceptions::table.find(*id))
        .set(&changes)
        .execute(&mut db)
        .await
        .map_err(|e| crate::apps::fk_field(e, "report"))?;
    AppError::unless_none(n, "AFTException")?;
    Ok(ctx.ok(one(
        &mut db,
        "exceptions x",
        &json(),
        "x.id",
        *id,
        "AFTException",
    )
    .await?))
}

pub async fn destroy(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    crate::apps::delete_row(&mut db, "exceptions", *id, "AFTException").await?;
    Ok(ctx.deleted())
}
