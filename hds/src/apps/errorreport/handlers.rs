//! `errorreports/` handlers.

use crate::api::filters::{
    Param, ParamType, CODES, CREATED_AFTER, CREATED_BEFORE, END_TIME, FRUITS, HANDLED, HARV_IDS,
    IS_EMULATOR, LOCATIONS, START_TIME, TAGS, TRACEBACK, TZ, UUIDS,
};
use actix_web::{web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::{filters, json as repr, schema};
use crate::api::body::{Body, Db};
use crate::api::envelope::Ctx;
use crate::api::filters::Query;
use crate::api::sql::{list_page, one, Listing, Where};
use crate::api::state::AppState;
use crate::apps::notifications;
use crate::error::{AppError, AppResult};
use crate::schema::error_reports;

const FROM: &str = "error_reports r";

/// Filters of the error-report list (applied by `filters::apply`; docs/api-design.md#error-report-filters).
pub const FILTERS: &[Param] = &[
    CREATED_AFTER,
    CREATED_BEFORE,
    HARV_IDS,
    LOCATIONS,
    FRUITS,
    TAGS,
    START_TIME,
    Param::new("reporttime_after", ParamType::Time, "Same as start_time."),
    END_TIME,
    Param::new("reporttime_before", ParamType::Time, "Same as end_time."),
    TRACEBACK,
    IS_EMULATOR,
    HANDLED,
    CODES,
    Param::new(
        "primary",
        ParamType::Bool,
        "With `codes`: only where the code is the primary exception's.",
    ),
    UUIDS,
    Param::new(
        "generic",
        ParamType::Text,
        "JSON path conditions into the report (`path__to__key=value`, comma-separated).",
    ),
    TZ,
];

/// Names `ordering` accepts on the list, with the column each sorts by.
pub const ORDERINGS: &[(&str, &str)] = &[
    ("reportTime", "r.report_time"),
    ("id", "r.id"),
    ("created", "r.created"),
    ("githash", "r.githash"),
    ("gitbranch", "r.gitbranch"),
];

pub async fn list(ctx: Ctx, req: HttpRequest, mut db: Db) -> AppResult<HttpResponse> {
    let q = Query::parse(req.query_string());
    let mut w = Where::default();
    filters::apply(&q, &mut w)?;
    let j = repr::list_item("r");
    let l = Listing {
        from: FROM,
        json: &j,
        id: "r.id",
        orderings: ORDERINGS,
        default_order: "r.report_time DESC NULLS LAST, r.id DESC",
    };
    Ok(ctx.ok(list_page(&mut db, &req, &l, &w).await?))
}

/// The detail representation with the event's file links signed.
async fn report_detail(
    state: &AppState,
    conn: &mut AsyncPgConnection,
    id: i64,
) -> AppResult<Value> {
    let mut v = one(conn, FROM, &repr::detail("r"), "r.id", id, "ErrorReport").await?;
    if let Some(event) = v.get_mut("event") {
        crate::apps::s3file::links::sign_event(&state.storage, event).await;
    }
    Ok(v)
}

pub async fn retrieve(
    ctx: Ctx,
    state: web::Data<AppState>,
    mut db: Db,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    Ok(ctx.ok(report_detail(&state, &mut db, *id).await?))
}

pub async fn destroy(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    crate::apps::delete_row(&mut db, "error_reports", *id, "ErrorReport").await?;
    Ok(ctx.deleted())
}

pub async fn get_schema(ctx: Ctx) -> HttpResponse {
    ctx.message(
        "error schema retrieved",
        &schema::error_report_schema().document,
    )
}

#[derive(Deserialize, ToSchema, Debug)]
pub struct CreateNotificationInput {
    /// User ids to mention.
    #[serde(default)]
    pub recipients: Vec<i64>,
}

impl crate::api::body::Input for CreateNotificationInput {}

/// D12: the notification's criteria are the error-report filters of this request's query
/// string, validated now and evaluated in SQL whenever a report arrives.
pub async fn create_notification(
    ctx: Ctx,
    req: HttpRequest,
    mut db: Db,
    Body(input): Body<CreateNotificationInput>,
) -> AppResult<HttpResponse> {
    let mut criteria = Map::new();
    for (k, v) in crate::api::pagination::form_pairs(req.query_string()) {
        if matches!(k.as_str(), "limit" | "offset" | "ordering") || v.is_empty() {
            continue;
        }
        if !filters::CRITERIA_KEYS.contains(&k.as_str()) {
            return Err(AppError::validation_field(
                "criteria",
                format!(
                    "{k:?} cannot be used in a notification; use: {}.",
                    filters::CRITERIA_KEYS.join(", ")
                ),
            ));
        }
        criteria.insert(k, Value::String(v));
    }
    // Parse once now so a bad value is refused at creation, not at matching time.
    filters::apply(
        &notifications::criteria_query(&Value::Object(criteria.clone())),
        &mut Where::default(),
    )?;
    let id = notifications::create(
        &mut db,
        ctx.caller()?.user_id,
        Value::Object(criteria),
        &input.recipients,
    )
    .await?;
    let data = notifications::get(&mut db, id).await?;
    Ok(ctx.message("Notification created", data))
}

/// `GET errorreports/ingested/?object=bucket/key@etag`: whether a report was read from that
/// object (forwarders ask when an object is gone, to tell a duplicate from a loss).
pub async fn ingested(ctx: Ctx, req: HttpRequest, mut db: Db) -> AppResult<HttpResponse> {
    let q = Query::parse(req.query_string());
    let object = q
        .get("object")
        .ok_or_else(|| AppError::validation_field("object", "This field is required."))?;
    let found: Option<i64> = error_reports::table
        .filter(error_reports::source_object.eq(object))
        .select(error_reports::id)
        .first(&mut db)
        .await
        .optional()?;
    Ok(ctx.message(
        "Ingested object lookup",
        IngestedLookup {
            ingested: found.is_some(),
            id: found,
        },
    ))
}

/// `errorreports/ingested/`: whether the object was ingested, and the report's id.
#[derive(serde::Serialize, serde::Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct IngestedLookup {
    pub ingested: bool,
    pub id: Option<i64>,
}
