//! `s3files/` and `sessclip/` handlers (the same view logic, as in the reference).

use crate::api::filters::{Param, ParamType, CREATED_AFTER, CREATED_BEFORE, TAGS, TZ, UUIDS};
use actix_web::{web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde_json::{json, Value};

use super::{links, parse};
use crate::api::body::{Body, Db};
use crate::api::envelope::Ctx;
use crate::api::filters::Query;
use crate::api::sql::{list_page_values, one, Bind, Listing, Sql, Where};
use crate::api::state::AppState;
use crate::apps::event::json::event;
use crate::apps::event::link;
use crate::apps::exceptions::filters::escape_like;
use crate::apps::json::audit;
use crate::error::{AppError, AppResult};
use crate::schema::{s3_files, sess_clips};

const FROM: &str = "s3_files f";

fn repr() -> String {
    format!(
        "json_build_object('id', f.id, {audit}, 'file', json_build_object('bucket', f.bucket, 'key', f.\"key\"), \
         'filetype', f.filetype, 'key', f.\"key\", 'bucket', f.bucket, 'etag', f.etag, 'size', f.size_bytes, \
         'deleted', f.deleted, 'event', (SELECT {ej} FROM events fe WHERE fe.id = f.event_id))",
        audit = audit("f"),
        ej = event("fe")
    )
}

/// Filters of the file lists.
pub const FILTERS: &[Param] = &[
    CREATED_AFTER,
    CREATED_BEFORE,
    Param::new(
        "deleted",
        ParamType::Bool,
        "Deleted files instead of present ones.",
    ),
    Param::new("key", ParamType::Text, "Key contains this."),
    Param::new("filetype", ParamType::Text, "File type contains this."),
    TAGS,
    Param::new(
        "event__tags__name",
        ParamType::Text,
        "Its event has this tag.",
    ),
    UUIDS,
    TZ,
];

/// Names `ordering` accepts on the list, with the column each sorts by.
pub const ORDERINGS: &[(&str, &str)] = &[("created", "f.created"), ("id", "f.id")];

pub async fn list(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    mut db: Db,
) -> AppResult<HttpResponse> {
    let q = Query::parse(req.query_string());
    let mut w = Where::default();
    w.created(&q, "f")?;
    w.add(
        "f.deleted = ?",
        [Bind::Bool(q.bool("deleted")?.unwrap_or(false))],
    );
    if ctx.basename == "sessclip" {
        w.add(
            "EXISTS (SELECT 1 FROM sess_clips c WHERE c.file_id = f.id) = ?",
            [Bind::Bool(true)],
        );
    }
    for (param, col) in [("key", "f.\"key\""), ("filetype", "f.filetype")] {
        if let Some(v) = q.get(param) {
            w.add(
                Sql::new(col).then(" ILIKE ?"),
                [Bind::Text(format!("%{}%", escape_like(v)))],
            );
        }
    }
    w.tags(&q, "event_tags", "event_id", "f.event_id");
    if let Some(tag) = q.get("event__tags__name") {
        w.add("EXISTS (SELECT 1 FROM event_tags jt JOIN tags t ON t.id = jt.tag_id WHERE jt.event_id = f.event_id AND t.name = ?)", [Bind::Text(tag.to_string())]);
    }
    if let Some(uuids) = q.str_list("uuid") {
        w.add(
            "f.event_id IN (SELECT id FROM events WHERE uuid = ANY(?))",
            [Bind::Texts(uuids)],
        );
    }
    let j = repr();
    let l = Listing {
        from: FROM,
        json: &j,
        id: "f.id",
        orderings: ORDERINGS,
        default_order: "f.created DESC, f.id DESC",
    };
    let mut page = list_page_values(&mut db, &req, &l, &w).await?;
    for r in &mut page.results {
        links::sign_file(&state.storage, r).await;
    }
    Ok(ctx.ok(page))
}

async fn signed(state: &AppState, conn: &mut AsyncPgConnection, id: i64) -> AppResult<Value> {
    let mut v = one(conn, FROM, &repr(), "f.id", id, "S3File").await?;
    links::sign_file(&state.storage, &mut v).await;
    Ok(v)
}

pub async fn retrieve(
    ctx: Ctx,
    state: web::Data<AppState>,
    mut db: Db,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    Ok(ctx.ok(signed(&state, &mut db, *id).await?))
}

/// Stores one announced object (idempotent per bucket/key/ETag, D23) with its event and tags;
/// its id.
async fn store(
    conn: &mut AsyncPgConnection,
    object: &parse::S3Object,
    creator: i64,
    sessclip: bool,
) -> AppResult<i64> {
    let (filetype, uuid) = parse::filetype_and_uuid(&object.key);
    let mut tags = vec!["S3File", filetype.as_str()];
    if sessclip {
        tags.push("sessclip");
    }
    let event_id = link::event(conn, &uuid, Some(creator), &tags).await?;
    let inserted: Option<i64> = diesel::insert_into(s3_files::table)
        .values((
            s3_files::event_id.eq(event_id),
            s3_files::bucket.eq(&object.bucket),
            s3_files::key.eq(&object.key),
            s3_files::etag.eq(&object.etag),
            s3_files::size_bytes.eq(object.size),
            s3_files::filetype.eq(&filetype),
            s3_files::creator_id.eq(creator),
        ))
        .on_conflict((s3_files::bucket, s3_files::key, s3_files::etag))
        .do_nothing()
        .returning(s3_files::id)
        .get_result(conn)
        .await
        .optional()?;
    let id = match inserted {
        Some(id) => id,
        // D23: the same object announced again.
        None => {
            s3_files::table
                .filter(s3_files::bucket.eq(&object.bucket))
                .filter(s3_files::key.eq(&object.key))
                .filter(s3_files::etag.eq(&object.etag))
                .select(s3_files::id)
                .first(conn)
                .await?
        }
    };
    if sessclip {
        diesel::insert_into(sess_clips::table)
            .values(sess_clips::file_id.eq(id))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
    }
    Ok(id)
}

pub async fn create(
    ctx: Ctx,
    state: web::Data<AppState>,
    mut db: Db,
    Body(message): Body<Value>,
) -> AppResult<HttpResponse> {
    let objects = parse::objects_of_message(&message)?;
    let sessclip = ctx.basename == "sessclip";
    // The checks the forwarder applies, by the same function: an object posted here directly
    // passes exactly what one announced through the queue would (docs/api-design.md#s3-files).
    let queue = if sessclip { "sessclip" } else { "s3files" };
    let prefixes = crate::forward::queues::prefixes(&state.config, queue);
    for (i, object) in objects.iter().enumerate() {
        parse::check_object(&prefixes, &object.bucket, &state.config.bucket, &object.key)
            .map_err(|(field, why)| AppError::validation_field(&field.path(i), why))?;
    }
    let creator = ctx.caller()?.user_id;
    let conn: &mut AsyncPgConnection = &mut db;
    // Every record of the message is stored, in one transaction; the answer shows the first.
    let ids = conn
        .transaction::<Vec<i64>, AppError, _>(async move |conn| {
            let mut ids = Vec::with_capacity(objects.len());
            for object in &objects {
                ids.push(store(conn, object, creator, sessclip).await?);
            }
            Ok(ids)
        })
        .await?;
    let id = *ids
        .as_slice()
        .first()
        .ok_or_else(|| AppError::internal("no file stored"))?;
    Ok(ctx.ok(signed(&state, &mut db, id).await?))
}

pub async fn destroy(
    ctx: Ctx,
    state: web::Data<AppState>,
    mut db: Db,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let row: Option<(String, String)> = diesel::update(s3_files::table.find(*id))
        .set((
            s3_files::deleted.eq(true),
            s3_files::modified_by_id.eq(ctx.caller()?.user_id),
            s3_files::last_modified.eq(chrono::Utc::now()),
        ))
        .returning((s3_files::bucket, s3_files::key))
        .get_result(&mut db)
        .await
        .optional()?;
    let Some((bucket, key)) = row else {
        return Err(AppError::not_found("S3File"));
    };
    if let Err(err) = state.storage.delete(&bucket, &key).await {
        // The row is marked deleted either way; the object can be removed again later.
        tracing::warn!(%bucket, %key, error = %err, "deleting the S3 object failed");
    }
    Ok(ctx.message(
        &format!("{} deleted successfully", ctx.basename),
        json!(format!("{} deleted", ctx.basename)),
    ))
}
