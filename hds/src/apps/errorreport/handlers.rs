//! `errorreports/` handlers.

use actix_web::{web, HttpMessage, HttpRequest, HttpResponse};
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use std::sync::Arc;

use super::batch::Submission;
use super::{filters, ingest, json as repr, schema, shallow};
use crate::api::body::{json_text_error, Body, Db, JsonText, StashedConn};
use crate::api::envelope::Ctx;
use crate::api::filters::Query;
use crate::api::sql::{list_page, one, Listing, Where};
use crate::api::state::AppState;
use crate::apps::{notifications, tags};
use crate::error::{AppError, AppResult};
use crate::schema::error_reports;

const FROM: &str = "error_reports r";

/// Set by forwarders: the S3 object (`bucket/key@etag`) the report was read from.
pub const SOURCE_HEADER: &str = "x-hds-source-object";
const ORDERINGS: &[(&str, &str)] = &[
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

pub async fn create(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    body: JsonText,
) -> AppResult<HttpResponse> {
    // The writers bring their own connections: hold none while waiting for them (the one
    // authentication used, if it was not cached, goes back to the pool now).
    drop(req.extensions_mut().remove::<StashedConn>());
    let creator = ctx.caller()?.user_id;
    let value = shallow::parse(&body.text).map_err(|_| json_text_error(&body.text))?;
    let parsed = ingest::read(&value)?;
    ingest::check_storable(&body.text)?;
    let identity = match &parsed.uuid {
        Some(uuid) => uuid.clone(),
        // Without a uuid the whole content identifies the report: parse all of it.
        None => {
            let full: Value = serde_json::from_str(&body.text)
                .map_err(|e| AppError::bad_request(e.to_string()))?;
            ingest::identity(&full, &parsed)
        }
    };
    let source = req
        .headers()
        .get(SOURCE_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let text: Arc<str> = body.text.into();
    let stored = state
        .reports
        .submit(Submission {
            text: text.clone(),
            identity,
            parsed,
            creator,
            source,
        })
        .await?;
    // A replay answers like the first delivery (201, same id) so forwarders delete the message;
    // it shows the stored report, a first delivery the body it just stored.
    if stored.created {
        state.jobs.extract_report(stored.id).await;
    } else {
        tracing::info!(
            report = stored.id,
            "error report already ingested; returning the existing row"
        );
    }
    let mut detail = match stored.detail {
        Some(detail) if stored.created => detail,
        // A replay, or a new report whose representation could not be rendered with its
        // batch: read it back.
        _ => {
            let mut conn = state.pool.get().await?;
            return Ok(ctx.ok(report_detail(&state, &mut conn, stored.id).await?));
        }
    };
    if let Some(event) = detail.get_mut("event") {
        crate::apps::s3file::links::sign_event(&state.storage, event).await;
    }
    Ok(ctx.ok_serialized(&with_report_text(detail, &text)))
}

/// A created report's detail with `report` spliced in as the text it arrived as (valid JSON:
/// it was parsed), so 20 KB are not serialized again.
fn with_report_text(mut detail: Value, report: &str) -> String {
    if let Some(fields) = detail.as_object_mut() {
        fields.shift_remove("report");
    }
    let rest = detail.to_string();
    let Some(fields) = rest.strip_prefix('{') else {
        return rest;
    };
    let mut out = String::with_capacity(report.len() + rest.len() + 16);
    out.push_str("{\"report\":");
    out.push_str(report);
    if fields != "}" {
        out.push(',');
    }
    out.push_str(fields);
    out
}

/// Re-reads a full report body (harvester, time, git info, event, pick session); the
/// exceptions are left as extracted.
pub async fn update(
    ctx: Ctx,
    state: web::Data<AppState>,
    mut db: Db,
    id: web::Path<i64>,
    Body(body): Body<Value>,
) -> AppResult<HttpResponse> {
    let id = *id;
    let me = ctx.caller()?.user_id;
    let parsed = ingest::read(&body)?;
    ingest::storable_text(&body)?;
    let harvester = ingest::resolve(&mut db, &parsed.harvester).await?;
    let conn: &mut AsyncPgConnection = &mut db;
    conn.transaction::<(), AppError, _>(async move |conn| {
        let uuid = parsed
            .uuid
            .clone()
            .unwrap_or_else(crate::apps::event::link::new_uuid);
        let event_id =
            crate::apps::event::link::event(conn, &uuid, Some(me), &["ErrorReport"]).await?;
        let n = diesel::update(error_reports::table.find(id))
            .set((
                error_reports::harvester_id.eq(harvester.id),
                error_reports::location_id.eq(harvester.location_id),
                error_reports::report_time.eq(parsed.report_time),
                error_reports::report.eq(&body),
                error_reports::githash.eq(&parsed.githash),
                error_reports::gitbranch.eq(&parsed.gitbranch),
                error_reports::event_id.eq(event_id),
                error_reports::modified_by_id.eq(me),
                error_reports::last_modified.eq(Utc::now()),
            ))
            .execute(conn)
            .await?;
        if n == 0 {
            return Err(AppError::not_found("ErrorReport"));
        }
        tags::add(
            conn,
            "error_report_tags",
            "error_report_id",
            id,
            &parsed.tags,
        )
        .await
    })
    .await?;
    Ok(ctx.ok(report_detail(&state, &mut db, id).await?))
}

pub async fn destroy(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let n = diesel::delete(error_reports::table.find(*id))
        .execute(&mut db)
        .await?;
    if n == 0 {
        return Err(AppError::not_found("ErrorReport"));
    }
    Ok(ctx.deleted())
}

pub async fn get_schema(ctx: Ctx) -> HttpResponse {
    ctx.message("error schema retrieved", schema::error_report_schema())
}

#[derive(Deserialize, ToSchema, Debug)]
pub struct CreateNotificationInput {
    /// User ids to mention.
    #[serde(default)]
    pub recipients: Vec<i64>,
}

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
