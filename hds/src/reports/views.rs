//! The reads every report kind shares: list (the report filters plus the kind's own), detail,
//! delete and `getschema/` (docs/api-design.md#report-kinds). Error reports have lists of their
//! own (a lean list item, exception filters).

use actix_web::{web, HttpRequest, HttpResponse};

use super::{Kind, ReportKind};
use crate::api::body::Db;
use crate::api::envelope::Ctx;
use crate::api::filters::{
    Param, ParamType, Query, CREATED_AFTER, CREATED_BEFORE, END_TIME, FRUITS, HARV_IDS, LOCATIONS,
    START_TIME, TAGS, TZ, UUIDS,
};
use crate::api::sql::{list_page, one, Listing, Sql, Where};
use crate::api::state::AppState;
use crate::error::{AppError, AppResult};

/// The filters of every report list (the original's ReportFilterset, with `start_time`/`end_time`
/// as the error-report list has them).
pub const REPORT_FILTERS: &[Param] = &[
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
    TZ,
];

/// Kinds linked to events also filter by the event's UUID.
pub const EVENT_FILTERS: &[Param] = &[
    UUIDS,
    Param::new(
        "event__UUID",
        ParamType::Text,
        "Of the event with this UUID.",
    ),
];

/// The exact harvester/ranch filters the original's smaller report lists have.
pub const EXACT_FILTERS: &[Param] = &[
    Param::new(
        "harvester__harv_id",
        ParamType::Int,
        "From the harvester with this number.",
    ),
    Param::new("location__ranch", ParamType::Text, "At this ranch."),
];

/// Names `ordering` accepts on every report list.
pub const ORDERINGS: &[(&str, &str)] = &[
    ("reportTime", "r.report_time"),
    ("id", "r.id"),
    ("created", "r.created"),
    ("lastModified", "r.last_modified"),
];

/// The report filters on `<table> r` and the kind's own.
pub fn report_filters(kind: &ReportKind, q: &Query, w: &mut Where) -> AppResult<()> {
    common_report_filters(kind, q, w)?;
    if kind.event_tag.is_some() {
        let mut uuids = q.str_list("uuid").unwrap_or_default();
        uuids.extend(q.get("event__UUID").map(str::to_string));
        if !uuids.is_empty() {
            w.add(
                "r.event_id = ANY(ARRAY(SELECT id FROM events WHERE uuid = ANY(?)))",
                [crate::api::sql::Bind::Texts(uuids)],
            );
        }
    }
    (kind.filters)(q, w)
}

/// What every report list filters on (`<table> r`): created and report time, harvesters,
/// ranches, fruits and tags (error reports add theirs in `errorreport/filters.rs`).
pub fn common_report_filters(kind: &ReportKind, q: &Query, w: &mut Where) -> AppResult<()> {
    w.created(q, "r")?;
    if let Some(ids) = q.int_list("harv_ids")? {
        w.add(
            "r.harvester_id = ANY(ARRAY(SELECT id FROM harvesters WHERE harv_id = ANY(?)))",
            [crate::api::sql::Bind::Ints(ids)],
        );
    }
    if let Some(ranches) = q.str_list("locations") {
        w.add(
            "r.location_id = ANY(ARRAY(SELECT id FROM locations WHERE ranch = ANY(?)))",
            [crate::api::sql::Bind::Texts(ranches)],
        );
    }
    if let Some(fruits) = q.str_list("fruits") {
        w.add(
            "r.harvester_id = ANY(ARRAY(SELECT h.id FROM harvesters h JOIN fruits f ON f.id = h.fruit_id WHERE f.name = ANY(?)))",
            [crate::api::sql::Bind::Texts(fruits)],
        );
    }
    let (tag_table, tag_fk) = kind.tags;
    w.tags(q, tag_table, tag_fk, "r.id");
    for (param, op) in [
        ("start_time", ">="),
        ("reporttime_after", ">="),
        ("end_time", "<="),
        ("reporttime_before", "<="),
    ] {
        if let Some(t) = q.datetime(param)? {
            w.add(
                Sql::new("r.report_time ").then(op).then(" ?"),
                [crate::api::sql::Bind::Time(t)],
            );
        }
    }
    Ok(())
}

/// `harvester__harv_id` and `location__ranch` (exact).
pub fn exact_filters(q: &Query, w: &mut Where) -> AppResult<()> {
    if let Some(harv_id) = q.int("harvester__harv_id")? {
        w.add(
            "r.harvester_id = ANY(ARRAY(SELECT id FROM harvesters WHERE harv_id = ?))",
            [crate::api::sql::Bind::Int(harv_id)],
        );
    }
    if let Some(ranch) = q.get("location__ranch") {
        w.add(
            "r.location_id = ANY(ARRAY(SELECT id FROM locations WHERE ranch = ?))",
            [crate::api::sql::Bind::Text(ranch.to_string())],
        );
    }
    Ok(())
}

fn from(kind: &ReportKind) -> String {
    format!("{} r", kind.table)
}

pub async fn list<K: Kind>(ctx: Ctx, req: HttpRequest, mut db: Db) -> AppResult<HttpResponse> {
    let kind = K::KIND;
    let q = Query::parse(req.query_string());
    let mut w = Where::default();
    report_filters(kind, &q, &mut w)?;
    let (from, json) = (from(kind), (kind.representation)("r", "r.report"));
    let l = Listing {
        from: &from,
        json: &json,
        id: "r.id",
        orderings: ORDERINGS,
        default_order: "r.report_time DESC NULLS LAST, r.id DESC",
    };
    Ok(ctx.ok(list_page(&mut db, &req, &l, &w).await?))
}

pub async fn retrieve<K: Kind>(
    ctx: Ctx,
    state: web::Data<AppState>,
    mut db: Db,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let kind = K::KIND;
    let json = (kind.representation)("r", "r.report");
    let mut v = one(&mut db, &from(kind), &json, "r.id", *id, kind.model).await?;
    if let Some(event) = v.get_mut("event").filter(|e| e.is_object()) {
        crate::apps::s3file::links::sign_event(&state.storage, event).await;
    }
    Ok(ctx.ok(v))
}

pub async fn destroy<K: Kind>(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let kind = K::KIND;
    crate::apps::delete_row(&mut db, kind.table, *id, kind.model).await?;
    Ok(ctx.deleted())
}

pub async fn get_schema<K: Kind>(ctx: Ctx) -> AppResult<HttpResponse> {
    let kind = K::KIND;
    let schema = kind
        .schema
        .ok_or_else(|| AppError::internal(format!("{} declares no schema", kind.name)))?;
    Ok(ctx.message(
        &format!("{} schema retrieved", kind.schema_name),
        &schema().document,
    ))
}
