//! `harvesters/`: CRUD with history, one emulator per fruit, unique `harv_id` (D22).

use crate::api::filters::{
    Param, ParamType, CREATED_AFTER, CREATED_BEFORE, HARV_IDS, IS_EMULATOR, LOCATIONS, TZ,
};
use actix_web::http::Method;
use actix_web::{web, HttpRequest, HttpResponse};
use std::sync::atomic::Ordering;

use chrono::Utc;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::api::body::{Body, Db};
use crate::api::envelope::Ctx;
use crate::api::filters::Query;
use crate::api::sql::{json_rows, list_page, one, Bind, Listing, Where};
use crate::apps::{fk_field, json, required};
use crate::error::{AppError, AppResult};
use crate::schema::harvesters;

audited! {
/// A harvester as `harvesters/` shows it: the nested form
/// ([`NestedHarvester`](crate::apps::json::NestedHarvester)) and its newest error report.
pub struct Harvester {
    pub id: i64,
    pub harv_id: i32,
    pub name: Option<String>,
    pub is_emulator: bool,
    #[serde(rename = "thingName")]
    pub thing_name: Option<String>,
    pub fruit: crate::apps::json::Fruit,
    pub location: crate::apps::json::Location,
    /// The release it should run.
    pub release: Option<crate::apps::harvdeploy::Release>,
    pub harvester_history: String,
    pub version_history: String,
    pub assets: String,
    pub config: String,
    /// The latest version report.
    pub version: Option<crate::apps::harvdeploy::VersionReport>,
    /// The newest error report and its primary exception (`error`), or null.
    pub last_report: Option<LastReport>,
}
}

#[derive(serde::Serialize, serde::Deserialize, utoipa::ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct LastReport {
    id: i64,
    #[serde(rename = "reportTime")]
    report_time: Option<String>,
    error: Option<LastError>,
}

#[derive(serde::Serialize, serde::Deserialize, utoipa::ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct LastError {
    code: Option<i32>,
    name: Option<String>,
    service: Option<String>,
    robot: Option<i32>,
}

#[derive(Deserialize, ToSchema, Debug)]
pub struct HarvesterInput {
    pub harv_id: Option<i32>,
    /// Fruit id.
    pub fruit: Option<i64>,
    /// Location id.
    pub location: Option<i64>,
    pub name: Option<String>,
    pub is_emulator: Option<bool>,
    #[serde(rename = "thingName")]
    pub thing_name: Option<String>,
    /// Release id: the code the harvester should run.
    pub release: Option<i64>,
}

impl crate::api::body::Input for HarvesterInput {
    const COLUMNS: &'static [(&'static str, &'static str)] = &[
        ("name", "harvesters.name"),
        ("thingName", "harvesters.thing_name"),
    ];
}

const FROM: &str = "harvesters h";

fn json() -> String {
    json::harvester_with_last_report("h")
}

/// Appends a history row (`+` created, `~` changed, `-` deleted) from the current row.
pub async fn record_history(
    conn: &mut AsyncPgConnection,
    id: i64,
    kind: &str,
    user: Option<i64>,
) -> AppResult<()> {
    diesel::sql_query(
        "INSERT INTO harvester_history (id, harv_id, fruit_id, location_id, name, is_emulator, release_id, \
         thing_name, creator_id, modified_by_id, created, last_modified, history_type, history_user_id) \
         SELECT id, harv_id, fruit_id, location_id, name, is_emulator, release_id, thing_name, creator_id, \
         modified_by_id, created, last_modified, $2, $3 FROM harvesters WHERE id = $1",
    )
    .bind::<BigInt, _>(id)
    .bind::<Text, _>(kind)
    .bind::<Nullable<BigInt>, _>(user)
    .execute(conn)
    .await?;
    crate::reports::harvesters::HARVESTERS_CHANGED.fetch_add(1, Ordering::Release);
    Ok(())
}

/// Unique-index violations in the reference's words.
fn constraint_error(err: diesel::result::Error) -> AppError {
    use diesel::result::{DatabaseErrorKind, Error};
    match &err {
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
            match info.constraint_name() {
                Some("harvesters_one_emulator_per_fruit") => {
                    AppError::bad_request("There can only be one emulator per fruit")
                }
                Some("harvesters_harv_id_real_uniq") => AppError::validation_field(
                    "harv_id",
                    "A harvester with this harv_id already exists.",
                ),
                _ => err.into(),
            }
        }
        Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, info) => {
            let constraint = info.constraint_name().unwrap_or("");
            let field = if constraint.contains("fruit") {
                "fruit"
            } else if constraint.contains("release") {
                "release"
            } else {
                "location"
            };
            fk_field(err, field)
        }
        _ => err.into(),
    }
}

/// Filters of the harvester list.
pub const FILTERS: &[Param] = &[
    CREATED_AFTER,
    CREATED_BEFORE,
    Param::new("harv_id", ParamType::Int, "With this serial number."),
    HARV_IDS,
    Param::new("fruit__name", ParamType::Text, "Picking this fruit."),
    LOCATIONS,
    IS_EMULATOR,
    TZ,
];

/// Names `ordering` accepts on the list, with the column each sorts by.
pub const ORDERINGS: &[(&str, &str)] = &[
    ("id", "h.id"),
    ("harv_id", "h.harv_id"),
    ("name", "h.name"),
    ("created", "h.created"),
];

pub async fn list(ctx: Ctx, req: HttpRequest, mut db: Db) -> AppResult<HttpResponse> {
    let q = Query::parse(req.query_string());
    let mut w = Where::default();
    w.created(&q, "h")?;
    if let Some(id) = q.int("harv_id")? {
        w.add("h.harv_id = ?", [Bind::Int(id)]);
    }
    if let Some(ids) = q.int_list("harv_ids")? {
        w.add("h.harv_id = ANY(?)", [Bind::Ints(ids)]);
    }
    if let Some(name) = q.get("fruit__name") {
        w.add(
            "h.fruit_id IN (SELECT id FROM fruits WHERE name = ?)",
            [Bind::Text(name.to_string())],
        );
    }
    if let Some(ranches) = q.str_list("locations") {
        w.add(
            "h.location_id IN (SELECT id FROM locations WHERE ranch = ANY(?))",
            [Bind::Texts(ranches)],
        );
    }
    if let Some(e) = q.bool("is_emulator")? {
        w.add("h.is_emulator = ?", [Bind::Bool(e)]);
    }
    let j = json();
    let l = Listing {
        from: FROM,
        json: &j,
        id: "h.id",
        orderings: ORDERINGS,
        default_order: "h.id DESC",
    };
    Ok(ctx.ok(list_page(&mut db, &req, &l, &w).await?))
}

pub async fn retrieve(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    Ok(ctx.ok(one(&mut db, FROM, &json(), "h.id", *id, "Harvester").await?))
}

pub async fn create(
    ctx: Ctx,
    mut db: Db,
    Body(input): Body<HarvesterInput>,
) -> AppResult<HttpResponse> {
    let harv_id = required(input.harv_id, "harv_id")?;
    let fruit = required(input.fruit, "fruit")?;
    let location = required(input.location, "location")?;
    let me = ctx.caller()?.user_id;
    let conn: &mut AsyncPgConnection = &mut db;
    let id = conn
        .transaction::<i64, AppError, _>(async move |conn| {
            let id: i64 = diesel::insert_into(harvesters::table)
                .values((
                    harvesters::harv_id.eq(harv_id),
                    harvesters::fruit_id.eq(fruit),
                    harvesters::location_id.eq(location),
                    harvesters::name.eq(input.name),
                    harvesters::is_emulator.eq(input.is_emulator.unwrap_or(false)),
                    harvesters::thing_name.eq(input.thing_name),
                    harvesters::release_id.eq(input.release),
                    harvesters::creator_id.eq(me),
                ))
                .returning(harvesters::id)
                .get_result(conn)
                .await
                .map_err(constraint_error)?;
            record_history(conn, id, "+", Some(me)).await?;
            Ok(id)
        })
        .await?;
    Ok(ctx.ok(one(&mut db, FROM, &json(), "h.id", id, "Harvester").await?))
}

#[derive(AsChangeset)]
#[diesel(table_name = harvesters)]
struct Changes {
    harv_id: Option<i32>,
    fruit_id: Option<i64>,
    location_id: Option<i64>,
    name: Option<Option<String>>,
    is_emulator: Option<bool>,
    thing_name: Option<Option<String>>,
    release_id: Option<Option<i64>>,
    modified_by_id: Option<i64>,
    last_modified: chrono::DateTime<Utc>,
}

pub async fn update(
    ctx: Ctx,
    mut db: Db,
    id: web::Path<i64>,
    Body(input): Body<HarvesterInput>,
) -> AppResult<HttpResponse> {
    if ctx.method == Method::PUT {
        required(input.harv_id, "harv_id")?;
        required(input.fruit, "fruit")?;
        required(input.location, "location")?;
    }
    let me = ctx.caller()?.user_id;
    let id = *id;
    let changes = Changes {
        harv_id: input.harv_id,
        fruit_id: input.fruit,
        location_id: input.location,
        name: input.name.map(Some),
        is_emulator: input.is_emulator,
        thing_name: input.thing_name.map(Some),
        release_id: input.release.map(Some),
        modified_by_id: Some(me),
        last_modified: Utc::now(),
    };
    let conn: &mut AsyncPgConnection = &mut db;
    conn.transaction::<(), AppError, _>(async move |conn| {
        let n = diesel::update(harvesters::table.find(id))
            .set(&changes)
            .execute(conn)
            .await
            .map_err(constraint_error)?;
        AppError::unless_none(n, "Harvester")?;
        record_history(conn, id, "~", Some(me)).await
    })
    .await?;
    Ok(ctx.ok(one(&mut db, FROM, &json(), "h.id", id, "Harvester").await?))
}

pub async fn destroy(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let me = ctx.caller()?.user_id;
    let id = *id;
    let conn: &mut AsyncPgConnection = &mut db;
    conn.transaction::<(), AppError, _>(async move |conn| {
        record_history(conn, id, "-", Some(me)).await?;
        let n = diesel::delete(harvesters::table.find(id))
            .execute(conn)
            .await
            .map_err(|e| match e {
                diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::ForeignKeyViolation,
                    _,
                ) => AppError::bad_request("This harvester has reports; it cannot be deleted."),
                other => other.into(),
            })?;
        AppError::unless_none(n, "Harvester")?;
        Ok(())
    })
    .await?;
    Ok(ctx.deleted())
}

async fn harv_id_of(db: &mut Db, id: i64) -> AppResult<i32> {
    harvesters::table
        .find(id)
        .select(harvesters::harv_id)
        .first(&mut **db)
        .await
        .optional()?
        .ok_or_else(|| AppError::not_found("Harvester"))
}

/// `versions/`: the harvester's version reports, newest first (from the (harvester, time) index).
pub async fn versions(
    ctx: Ctx,
    req: HttpRequest,
    mut db: Db,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let harv_id = harv_id_of(&mut db, *id).await?;
    let mut w = Where::default();
    w.add("v.harvester_id = ?", [Bind::Int(*id)]);
    let json = crate::apps::harvdeploy::kind::representation("v", "v.report");
    let l = Listing {
        from: "version_reports v",
        json: &json,
        id: "v.id",
        orderings: &[],
        default_order: "v.report_time DESC, v.id DESC",
    };
    Ok(ctx.message(
        &format!("Harvester {harv_id} version history"),
        list_page(&mut db, &req, &l, &w).await?,
    ))
}

/// `assets/`: the assets on the harvester.
pub async fn assets(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let harv_id = harv_id_of(&mut db, *id).await?;
    let rows = json_rows(
        &mut db,
        format!(
            "SELECT {} AS data FROM assets a WHERE a.harvester_id = $1 ORDER BY a.asset_type_id, a.\"index\", a.id",
            crate::apps::harvassets::assets::representation("a")
        ),
        &[Bind::Int(*id)],
    )
    .await?;
    Ok(ctx.message(&format!("Harvester {harv_id} assets retrieved"), rows))
}

/// `config/`: the harvester's latest configuration report (by report time).
pub async fn config(
    ctx: Ctx,
    state: web::Data<crate::api::state::AppState>,
    mut db: Db,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let harv_id = harv_id_of(&mut db, *id).await?;
    let rows = json_rows(
        &mut db,
        format!(
            "SELECT {} AS data FROM config_reports c WHERE c.harvester_id = $1 \
             ORDER BY c.report_time DESC, c.id DESC LIMIT 1",
            crate::apps::aftconfigs::kind::representation("c", "c.report")
        ),
        &[Bind::Int(*id)],
    )
    .await?;
    let mut latest = rows.into_iter().next().ok_or_else(|| {
        AppError::DoesNotExist("ConfigReport matching query does not exist.".into())
    })?;
    if let Some(event) = latest.get_mut("event") {
        crate::apps::s3file::links::sign_event(&state.storage, event).await;
    }
    Ok(ctx.message(&format!("Harvester {harv_id} config"), latest))
}
