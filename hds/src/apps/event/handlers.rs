//! `events/` and `picksessions/`.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::json as repr;
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel_async::RunQueryDsl;

use crate::api::body::{Body, Db};
use crate::api::envelope::Ctx;
use crate::api::filters::{
    Param, ParamType, Query, CREATED_AFTER, CREATED_BEFORE, END_TIME, HARV_IDS, LOCATIONS,
    START_TIME, TAGS, TZ, UUIDS,
};
use crate::api::sql::{list_page_values, one, Bind, Listing, Sql, Where};
use crate::api::state::AppState;
use crate::apps::{required, tags};
use crate::error::{AppError, AppResult};

/// Body of create/update of an event or a pick session.
#[derive(Deserialize, ToSchema, Debug)]
pub struct UuidInput {
    #[serde(rename = "UUID")]
    pub uuid: Option<String>,
}

impl crate::api::body::Input for UuidInput {
    const COLUMNS: &'static [(&'static str, &'static str)] =
        &[("UUID", "events.uuid"), ("UUID", "pick_sessions.uuid")];
}

pub async fn event_tags(ctx: Ctx, mut db: Db) -> AppResult<HttpResponse> {
    let tags = tags::used(&mut db, "event_tags").await?;
    Ok(ctx.message("Event tags", tags::TagNames { tags }))
}

pub async fn picksession_tags(ctx: Ctx, mut db: Db) -> AppResult<HttpResponse> {
    let tags = tags::used(&mut db, "pick_session_tags").await?;
    Ok(ctx.message("Event tags", tags::TagNames { tags }))
}

const UUID_UPPER: Param = Param::new(
    "UUID",
    ParamType::Texts,
    "With this UUID (or any of a list).",
);
const UUID_LOWER: Param = UUIDS;

/// `UUID` (exact, or a comma list) and `uuid` (comma list) filters.
fn uuid_filter(q: &Query, w: &mut Where, alias: &'static str) {
    for key in ["UUID", "uuid"] {
        if let Some(list) = q.str_list(key) {
            w.add(Sql::new(alias).then(".uuid = ANY(?)"), [Bind::Texts(list)]);
        }
    }
}

/// A table of rows keyed by a client UUID (events, pick sessions): one set of CRUD handlers
/// serves both.
pub trait UuidTable: 'static {
    const TABLE: &'static str;
    /// `table alias`, e.g. `events e`.
    const FROM: &'static str;
    const ALIAS: &'static str;
    /// The id column and the default order, with the alias.
    const ID: &'static str;
    const NEWEST_FIRST: &'static str;
    const INSERT: &'static str;
    const UPDATE: &'static str;
    /// Model name in messages.
    const MODEL: &'static str;
    /// Names `ordering` accepts, with the column each sorts by.
    const ORDERINGS: &'static [(&'static str, &'static str)];
    /// The filters [`filters`](Self::filters) and the shared ones read.
    const FILTERS: &'static [Param];
    /// The representation's SQL.
    fn json() -> String;
    /// Filters beyond `created_*` and `UUID`/`uuid`.
    fn filters(q: &Query, w: &mut Where) -> AppResult<()>;
}

pub struct Events;
impl UuidTable for Events {
    const TABLE: &'static str = "events";
    const FROM: &'static str = "events e";
    const ALIAS: &'static str = "e";
    const ID: &'static str = "e.id";
    const NEWEST_FIRST: &'static str = "e.id DESC";
    const INSERT: &'static str =
        "INSERT INTO events (uuid, creator_id) VALUES ($1, $2) RETURNING id";
    const UPDATE: &'static str =
        "UPDATE events SET uuid = $1, modified_by_id = $2, last_modified = now() WHERE id = $3";
    const MODEL: &'static str = "Event";
    const ORDERINGS: &'static [(&'static str, &'static str)] =
        &[("id", "e.id"), ("created", "e.created")];
    const FILTERS: &'static [Param] = &[
        CREATED_AFTER,
        CREATED_BEFORE,
        UUID_UPPER,
        UUID_LOWER,
        TAGS,
        TZ,
    ];
    fn json() -> String {
        repr::event("e")
    }
    fn filters(q: &Query, w: &mut Where) -> AppResult<()> {
        event_filters(q, w)
    }
}

pub struct PickSessions;
impl UuidTable for PickSessions {
    const TABLE: &'static str = "pick_sessions";
    const FROM: &'static str = "pick_sessions p";
    const ALIAS: &'static str = "p";
    const ID: &'static str = "p.id";
    const NEWEST_FIRST: &'static str = "p.id DESC";
    const INSERT: &'static str =
        "INSERT INTO pick_sessions (uuid, creator_id) VALUES ($1, $2) RETURNING id";
    const UPDATE: &'static str =
        "UPDATE pick_sessions SET uuid = $1, modified_by_id = $2, last_modified = now() WHERE id = $3";
    const MODEL: &'static str = "PickSession";
    const ORDERINGS: &'static [(&'static str, &'static str)] =
        &[("id", "p.id"), ("created", "p.created")];
    const FILTERS: &'static [Param] = &[
        CREATED_AFTER,
        CREATED_BEFORE,
        UUID_UPPER,
        UUID_LOWER,
        TAGS,
        HARV_IDS,
        LOCATIONS,
        START_TIME,
        END_TIME,
        TZ,
    ];
    fn json() -> String {
        repr::pick_session("p")
    }
    fn filters(q: &Query, w: &mut Where) -> AppResult<()> {
        picksession_filters(q, w)
    }
}

pub async fn list<T: UuidTable>(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    mut db: Db,
) -> AppResult<HttpResponse> {
    let q = Query::parse(req.query_string());
    let mut w = Where::default();
    w.created(&q, T::ALIAS)?;
    uuid_filter(&q, &mut w, T::ALIAS);
    T::filters(&q, &mut w)?;
    let j = T::json();
    let l = Listing {
        from: T::FROM,
        json: &j,
        id: T::ID,
        orderings: T::ORDERINGS,
        default_order: T::NEWEST_FIRST,
    };
    let mut page = list_page_values(&mut db, &req, &l, &w).await?;
    for r in &mut page.results {
        crate::apps::s3file::links::sign_event(&state.storage, r).await;
    }
    Ok(ctx.ok(page))
}

pub async fn retrieve<T: UuidTable>(
    ctx: Ctx,
    state: web::Data<AppState>,
    mut db: Db,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let mut v = one(&mut db, T::FROM, &T::json(), T::ID, *id, T::MODEL).await?;
    crate::apps::s3file::links::sign_event(&state.storage, &mut v).await;
    Ok(ctx.ok(v))
}

#[derive(diesel::QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

pub async fn create<T: UuidTable>(
    ctx: Ctx,
    mut db: Db,
    Body(input): Body<UuidInput>,
) -> AppResult<HttpResponse> {
    let uuid = required(input.uuid, "UUID")?;
    let row: Id = diesel::sql_query(T::INSERT)
        .bind::<Text, _>(&uuid)
        .bind::<Nullable<BigInt>, _>(Some(ctx.caller()?.user_id))
        .get_result(&mut db)
        .await?;
    Ok(ctx.ok(one(&mut db, T::FROM, &T::json(), T::ID, row.id, T::MODEL).await?))
}

pub async fn update<T: UuidTable>(
    ctx: Ctx,
    mut db: Db,
    id: web::Path<i64>,
    Body(input): Body<UuidInput>,
) -> AppResult<HttpResponse> {
    if let Some(uuid) = input.uuid {
        let n = diesel::sql_query(T::UPDATE)
            .bind::<Text, _>(&uuid)
            .bind::<Nullable<BigInt>, _>(Some(ctx.caller()?.user_id))
            .bind::<BigInt, _>(*id)
            .execute(&mut db)
            .await?;
        AppError::unless_none(n, T::MODEL)?;
    }
    Ok(ctx.ok(one(&mut db, T::FROM, &T::json(), T::ID, *id, T::MODEL).await?))
}

pub async fn destroy<T: UuidTable>(
    ctx: Ctx,
    mut db: Db,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    crate::apps::delete_row(&mut db, T::TABLE, *id, T::MODEL).await?;
    Ok(ctx.deleted())
}

fn event_filters(q: &Query, w: &mut Where) -> AppResult<()> {
    w.tags(q, "event_tags", "event_id", "e.id");
    Ok(())
}

fn picksession_filters(q: &Query, w: &mut Where) -> AppResult<()> {
    w.tags(q, "pick_session_tags", "pick_session_id", "p.id");
    if let Some(ids) = q.int_list("harv_ids")? {
        w.add(
            "p.harvester_id IN (SELECT id FROM harvesters WHERE harv_id = ANY(?))",
            [Bind::Ints(ids)],
        );
    }
    if let Some(ranches) = q.str_list("locations") {
        w.add(
            "p.location_id IN (SELECT id FROM locations WHERE ranch = ANY(?))",
            [Bind::Texts(ranches)],
        );
    }
    if let Some(t) = q.datetime("start_time")? {
        w.add("p.start_time >= ?", [Bind::Time(t)]);
    }
    if let Some(t) = q.datetime("end_time")? {
        w.add("p.start_time <= ?", [Bind::Time(t)]);
    }
    Ok(())
}
