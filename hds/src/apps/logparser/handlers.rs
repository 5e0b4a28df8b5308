//! `logsessions/`, `logfiles/`, `logvideos/`: lists, details and deletion
//! (docs/api-design.md#log-sessions). The upload is in `upload.rs`, the entry windows in
//! `entries.rs`.

use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::Value;

use crate::api::body::Db;
use crate::api::envelope::Ctx;
use crate::api::filters::{Param, ParamType, Query, CREATED_AFTER, CREATED_BEFORE, TAGS, TZ};
use crate::api::sql::{list_page, list_page_values, one, Bind, Listing, Where};
use crate::api::state::AppState;
use crate::apps::json::{audit, tag_names};
use crate::error::AppResult;

/// A session's representation (`LogSession`).
pub fn session_repr(s: &str) -> String {
    format!(
        "json_build_object('id', {s}.id, {audit}, 'name', {s}.name, 'date_time', hds_ts({s}.date_time), \
         'harv', {s}.harvester_id, '_zip_file', {s}.zip_file_id, 'tags', {tags}, \
         'logs', json_build_object(\
            'harv_id', (SELECT h.harv_id FROM harvesters h WHERE h.id = {s}.harvester_id), \
            'robots', COALESCE((SELECT json_agg(DISTINCT lf.robot ORDER BY lf.robot) FROM log_files lf \
                WHERE lf.log_session_id = {s}.id AND lf.robot IS NOT NULL), '[]'::json), \
            'services', COALESCE((SELECT json_agg(json_build_object('id', lf.id, 'service', lf.service, 'robot', lf.robot) \
                ORDER BY lf.service, lf.robot, lf.id) FROM log_files lf WHERE lf.log_session_id = {s}.id), '[]'::json), \
            'videos', COALESCE((SELECT json_agg(json_build_object('id', lv.id, 'category', lv.category, 'robot', lv.robot) \
                ORDER BY lv.category, lv.robot, lv.id) FROM log_videos lv WHERE lv.log_session_id = {s}.id), '[]'::json)), \
         'status', {s}.status, 'progress', json_build_object('done', {s}.progress_done, 'total', {s}.progress_total), \
         'failure_reason', {s}.failure_reason)",
        audit = audit(s),
        tags = tag_names("log_session_tags", "log_session_id", &format!("{s}.id")),
    )
}

fn file_repr(f: &str) -> String {
    format!(
        "json_build_object('id', {f}.id, {audit}, 'file_name', {f}.file_name, 'service', {f}.service, \
         'robot', {f}.robot, 'logfile_type', {f}.logfile_type, 'line_count', {f}.line_count, \
         'log_session', (SELECT {sj} FROM log_sessions fs WHERE fs.id = {f}.log_session_id))",
        audit = audit(f),
        sj = session_repr("fs"),
    )
}

/// The video's `video_avi` is `{bucket, key}` here and signed per request.
fn video_repr(v: &str) -> String {
    format!(
        "json_build_object('id', {v}.id, {audit}, 'file_name', {v}.file_name, 'robot', {v}.robot, \
         'category', {v}.category, 'meta', {v}.meta, 'log_session', {v}.log_session_id, \
         'deleted', COALESCE((SELECT vf.deleted FROM s3_files vf WHERE vf.id = {v}.video_file_id), true), \
         'video_avi', (SELECT json_build_object('bucket', vf.bucket, 'key', vf.\"key\") FROM s3_files vf \
            WHERE vf.id = {v}.video_file_id))",
        audit = audit(v),
    )
}

/// `log_session_id`.
pub const SESSION_ID: Param = Param::new("log_session_id", ParamType::Int, "Of this log session.");

pub const SESSION_FILTERS: &[Param] = &[
    CREATED_AFTER,
    CREATED_BEFORE,
    Param::new(
        "harv__harv_id",
        ParamType::Int,
        "Of this harvester (serial number).",
    ),
    TAGS,
    Param::new(
        "status",
        ParamType::Text,
        "In this extraction state: pending, extracting, done or failed.",
    ),
    TZ,
];
pub const FILE_FILTERS: &[Param] = &[CREATED_AFTER, CREATED_BEFORE, SESSION_ID, TZ];
pub const VIDEO_FILTERS: &[Param] = &[
    CREATED_AFTER,
    CREATED_BEFORE,
    SESSION_ID,
    Param::new("category", ParamType::Text, "Of this category."),
    Param::new("robot", ParamType::Int, "Of this robot."),
    Param::new(
        "log_session__harv__harv_id",
        ParamType::Int,
        "Of sessions of this harvester (serial number).",
    ),
    TZ,
];

pub const SESSION_ORDERINGS: &[(&str, &str)] = &[
    ("created", "s.created"),
    ("id", "s.id"),
    ("date_time", "s.date_time"),
    ("name", "s.name"),
];
pub const FILE_ORDERINGS: &[(&str, &str)] = &[("created", "f.created"), ("id", "f.id")];
pub const VIDEO_ORDERINGS: &[(&str, &str)] = &[("created", "v.created"), ("id", "v.id")];

pub async fn list_sessions(ctx: Ctx, req: HttpRequest, mut db: Db) -> AppResult<HttpResponse> {
    let q = Query::parse(req.query_string());
    let mut w = Where::default();
    w.created(&q, "s")?;
    if let Some(harv_id) = q.int("harv__harv_id")? {
        w.add(
            "s.harvester_id = ANY(ARRAY(SELECT id FROM harvesters WHERE harv_id = ?))",
            [Bind::Int(harv_id)],
        );
    }
    w.tags(&q, "log_session_tags", "log_session_id", "s.id");
    // Like the other text filters: a state no session is in matches nothing.
    if let Some(status) = q.get("status") {
        w.add("s.status = ?", [Bind::Text(status.to_string())]);
    }
    let j = session_repr("s");
    let l = Listing {
        from: "log_sessions s",
        json: &j,
        id: "s.id",
        orderings: SESSION_ORDERINGS,
        default_order: "s.created DESC, s.id DESC",
    };
    Ok(ctx.ok(list_page(&mut db, &req, &l, &w).await?))
}

pub async fn session(conn: &mut diesel_async::AsyncPgConnection, id: i64) -> AppResult<Value> {
    one(
        conn,
        "log_sessions s",
        &session_repr("s"),
        "s.id",
        id,
        "LogSession",
    )
    .await
}

pub async fn retrieve_session(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    Ok(ctx.ok(session(&mut db, *id).await?))
}

/// Deletes the session with its files, entries and videos; the uploaded zip's object and the
/// videos' objects are deleted from S3 after the rows.
pub async fn destroy_session(
    ctx: Ctx,
    state: web::Data<AppState>,
    mut db: Db,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let objects = crate::api::sql::json_rows(
        &mut db,
        "SELECT json_build_object('bucket', f.bucket, 'key', f.\"key\") AS data FROM log_videos v \
         JOIN s3_files f ON f.id = v.video_file_id WHERE v.log_session_id = $1 \
         UNION ALL SELECT json_build_object('bucket', s.upload_bucket, 'key', s.upload_key) \
         FROM log_sessions s WHERE s.id = $1"
            .to_string(),
        &[Bind::Int(*id)],
    )
    .await?;
    // The video and zip S3 file rows go with the session (their objects are gone).
    crate::api::sql::json_rows(
        &mut db,
        "WITH s AS (DELETE FROM log_sessions WHERE id = $1 RETURNING id, zip_file_id), \
         v AS (DELETE FROM s3_files WHERE id IN (SELECT video_file_id FROM log_videos \
               WHERE log_session_id = $1)), \
         z AS (DELETE FROM s3_files WHERE id IN (SELECT c.file_id FROM sess_clips c JOIN s ON c.id = s.zip_file_id)) \
         SELECT json_build_object('id', id) AS data FROM s"
            .to_string(),
        &[Bind::Int(*id)],
    )
    .await
    .and_then(|rows| crate::error::AppError::unless_none(rows.len(), "LogSession"))?;
    for o in objects {
        let (Some(bucket), Some(key)) = (o["bucket"].as_str(), o["key"].as_str()) else {
            continue;
        };
        if let Err(err) = state.storage.delete(bucket, key).await {
            tracing::warn!(%bucket, %key, error = %err, "deleting a log session's object failed");
        }
    }
    Ok(ctx.deleted())
}

pub async fn list_files(ctx: Ctx, req: HttpRequest, mut db: Db) -> AppResult<HttpResponse> {
    let q = Query::parse(req.query_string());
    let mut w = Where::default();
    w.created(&q, "f")?;
    if let Some(id) = q.int("log_session_id")? {
        w.add("f.log_session_id = ?", [Bind::Int(id)]);
    }
    let j = file_repr("f");
    let l = Listing {
        from: "log_files f",
        json: &j,
        id: "f.id",
        orderings: FILE_ORDERINGS,
        default_order: "f.created DESC, f.id DESC",
    };
    Ok(ctx.ok(list_page(&mut db, &req, &l, &w).await?))
}

pub async fn retrieve_file(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let v = one(
        &mut db,
        "log_files f",
        &file_repr("f"),
        "f.id",
        *id,
        "LogFile",
    )
    .await?;
    Ok(ctx.ok(v))
}

/// `video_avi` signed, the helper key dropped.
async fn sign_video(state: &AppState, v: &mut Value) {
    let deleted = v.get("deleted").and_then(Value::as_bool).unwrap_or(true);
    if let Some(obj) = v.as_object_mut() {
        obj.remove("deleted");
    }
    if let Some(slot) = v.get_mut("video_avi") {
        let link = match (
            deleted,
            slot.get("bucket").and_then(Value::as_str),
            slot.get("key").and_then(Value::as_str),
        ) {
            (false, Some(bucket), Some(key)) => state.storage.download_url(bucket, key).await.ok(),
            _ => None,
        };
        *slot = link.map(Value::String).unwrap_or(Value::Null);
    }
}

pub async fn list_videos(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    mut db: Db,
) -> AppResult<HttpResponse> {
    let q = Query::parse(req.query_string());
    let mut w = Where::default();
    w.created(&q, "v")?;
    if let Some(id) = q.int("log_session_id")? {
        w.add("v.log_session_id = ?", [Bind::Int(id)]);
    }
    if let Some(c) = q.get("category") {
        w.add("v.category = ?", [Bind::Text(c.to_string())]);
    }
    if let Some(r) = q.int("robot")? {
        w.add("v.robot = ?", [Bind::Int(r)]);
    }
    if let Some(harv_id) = q.int("log_session__harv__harv_id")? {
        w.add(
            "v.log_session_id IN (SELECT id FROM log_sessions WHERE harvester_id = ANY(ARRAY(SELECT id FROM harvesters WHERE harv_id = ?)))",
            [Bind::Int(harv_id)],
        );
    }
    let j = video_repr("v");
    let l = Listing {
        from: "log_videos v",
        json: &j,
        id: "v.id",
        orderings: VIDEO_ORDERINGS,
        default_order: "v.created DESC, v.id DESC",
    };
    let mut page = list_page_values(&mut db, &req, &l, &w).await?;
    for r in &mut page.results {
        sign_video(&state, r).await;
    }
    Ok(ctx.ok(page))
}

pub async fn retrieve_video(
    ctx: Ctx,
    state: web::Data<AppState>,
    mut db: Db,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let mut v = one(
        &mut db,
        "log_videos v",
        &video_repr("v"),
        "v.id",
        *id,
        "LogVideo",
    )
    .await?;
    sign_video(&state, &mut v).await;
    Ok(ctx.ok(v))
}
