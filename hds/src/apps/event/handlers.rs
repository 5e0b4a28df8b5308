//! `events/` and `picksessions/`.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::json as repr;
use crate::api::body::Db;
use crate::api::envelope::Ctx;
use crate::api::filters::Query;
use crate::api::sql::{Bind, Where};
use crate::apps::tags;
use crate::error::AppResult;

/// `{url, object}`: `url` is a web-app route (e.g. `/errorreports/3/`), not an API path.
#[allow(dead_code)]
#[derive(ToSchema, Serialize)]
pub struct RelatedObject {
    url: String,
    object: String,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct Event {
    id: i64,
    tags: Vec<String>,
    created: String,
    #[schema(rename = "lastModified")]
    last_modified: String,
    #[schema(rename = "UUID")]
    uuid: String,
    creator: Option<i64>,
    #[schema(rename = "modifiedBy")]
    modified_by: Option<i64>,
    secondary_events: Vec<i64>,
    related_objects: Vec<RelatedObject>,
    related_files: Vec<serde_json::Value>,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct PickSession {
    id: i64,
    tags: Vec<String>,
    #[schema(rename = "UUID")]
    uuid: String,
    start_time: Option<String>,
    /// `HH:MM:SS.ffffff`
    session_length: Option<String>,
    harvester: serde_json::Value,
    location: serde_json::Value,
    related_objects: Vec<RelatedObject>,
}

#[derive(Deserialize, ToSchema, Debug)]
pub struct EventInput {
    #[serde(rename = "UUID")]
    pub uuid: Option<String>,
}

#[derive(Deserialize, ToSchema, Debug)]
pub struct PickSessionInput {
    #[serde(rename = "UUID")]
    pub uuid: Option<String>,
}

pub async fn event_tags(ctx: Ctx, mut db: Db) -> AppResult<HttpResponse> {
    let names = tags::used(&mut db, "event_tags").await?;
    Ok(ctx.message("Event tags", json!({ "tags": names })))
}

pub async fn picksession_tags(ctx: Ctx, mut db: Db) -> AppResult<HttpResponse> {
    let names = tags::used(&mut db, "pick_session_tags").await?;
    Ok(ctx.message("Event tags", json!({ "tags": names })))
}

/// `UUID` (exact, or a comma list) and `uuid` (comma list) filters.
fn uuid_filter(q: &Query, w: &mut Where, alias: &str) {
    for key in ["UUID", "uuid"] {
        if let Some(list) = q.str_list(key) {
            w.add(&format!("{alias}.uuid = ANY(?)"), [Bind::Texts(list)]);
        }
    }
}

/// Generates the CRUD handlers of a UUID-keyed table.
macro_rules! uuid_resource {
    ($name:ident, $table:literal, $alias:literal, $model:literal, $json:path, $input:ty, $filters:path) => {
        pub mod $name {
            use super::*;
            use crate::api::body::Body;
            use crate::api::sql::{list_page_values, one, Listing};
            use crate::apps::required;
            use crate::error::AppError;
            use diesel::sql_types::{BigInt, Nullable, Text};
            use diesel_async::RunQueryDsl;

            const FROM: &str = concat!($table, " ", $alias);

            pub async fn list(ctx: Ctx, req: HttpRequest, state: web::Data<crate::api::state::AppState>, mut db: Db) -> AppResult<HttpResponse> {
                let q = Query::parse(req.query_string());
                let mut w = Where::default();
                w.created(&q, $alias)?;
                uuid_filter(&q, &mut w, $alias);
                $filters(&q, &mut w)?;
                let j = $json($alias);
                let l = Listing {
                    from: FROM,
                    json: &j,
                    id: concat!($alias, ".id"),
                    orderings: &[("id", concat!($alias, ".id")), ("created", concat!($alias, ".created"))],
                    default_order: concat!($alias, ".id DESC"),
                };
                let mut page = list_page_values(&mut db, &req, &l, &w).await?;
                for r in &mut page.results {
                    crate::apps::s3file::links::sign_event(&state.storage, r).await;
                }
                Ok(ctx.ok(page))
            }

            pub async fn retrieve(ctx: Ctx, state: web::Data<crate::api::state::AppState>, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
                let mut v = one(&mut db, FROM, &$json($alias), concat!($alias, ".id"), *id, $model).await?;
                crate::apps::s3file::links::sign_event(&state.storage, &mut v).await;
                Ok(ctx.ok(v))
            }

            pub async fn create(ctx: Ctx, mut db: Db, Body(input): Body<$input>) -> AppResult<HttpResponse> {
                let uuid = required(input.uuid, "UUID")?;
                #[derive(diesel::QueryableByName)]
                struct Id {
                    #[diesel(sql_type = BigInt)]
                    id: i64,
                }
                let row: Id = diesel::sql_query(concat!("INSERT INTO ", $table, " (uuid, creator_id) VALUES ($1, $2) RETURNING id"))
                    .bind::<Text, _>(&uuid)
                    .bind::<Nullable<BigInt>, _>(Some(ctx.caller()?.user_id))
                    .get_result(&mut db)
                    .await?;
                Ok(ctx.ok(one(&mut db, FROM, &$json($alias), concat!($alias, ".id"), row.id, $model).await?))
            }

            pub async fn update(ctx: Ctx, mut db: Db, id: web::Path<i64>, Body(input): Body<$input>) -> AppResult<HttpResponse> {
                if let Some(uuid) = input.uuid {
                    let n = diesel::sql_query(concat!("UPDATE ", $table, " SET uuid = $1, modified_by_id = $2, last_modified = now() WHERE id = $3"))
                        .bind::<Text, _>(&uuid)
                        .bind::<Nullable<BigInt>, _>(Some(ctx.caller()?.user_id))
                        .bind::<BigInt, _>(*id)
                        .execute(&mut db)
                        .await?;
                    if n == 0 {
                        return Err(AppError::not_found($model));
                    }
                }
                Ok(ctx.ok(one(&mut db, FROM, &$json($alias), concat!($alias, ".id"), *id, $model).await?))
            }

            pub async fn destroy(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
                let n = diesel::sql_query(concat!("DELETE FROM ", $table, " WHERE id = $1"))
                    .bind::<BigInt, _>(*id)
                    .execute(&mut db)
                    .await
                    .map_err(|e| match e {
                        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::ForeignKeyViolation, _) => {
                            AppError::bad_request(concat!("This ", $model, " is referenced by reports; it cannot be deleted."))
                        }
                        other => other.into(),
                    })?;
                if n == 0 {
                    return Err(AppError::not_found($model));
                }
                Ok(ctx.deleted())
            }
        }
    };
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

uuid_resource!(
    events,
    "events",
    "e",
    "Event",
    repr::event,
    EventInput,
    event_filters
);
uuid_resource!(
    picksessions,
    "pick_sessions",
    "p",
    "PickSession",
    repr::pick_session,
    PickSessionInput,
    picksession_filters
);
