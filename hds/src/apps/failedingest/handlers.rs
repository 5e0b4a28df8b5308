//! `failedingests/`.

use crate::api::filters::{Param, ParamType, TZ};
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::api::body::{Body, Db};
use crate::api::envelope::Ctx;
use crate::api::filters::Query;
use crate::api::sql::{list_page, one, Bind, Listing, Where};
use crate::api::state::AppState;
use crate::apps::required;
use crate::error::{AppError, AppResult};
use crate::schema::failed_ingests;

#[derive(serde::Serialize, serde::Deserialize, utoipa::ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct FailedIngest {
    id: i64,
    queue: String,
    message_id: String,
    bucket: Option<String>,
    key: Option<String>,
    http_status: Option<i32>,
    /// e.g. `invalid_json`, `object_missing`, `too_large`, `rejected`.
    reason: String,
    detail: String,
    body_excerpt: String,
    receive_count: i32,
    first_seen: String,
    last_seen: String,
    /// The raw SQS message (`MessageId`, `Body`).
    message: Option<Value>,
    resolved_at: Option<String>,
    /// User id.
    resolved_by: Option<i64>,
    redriven_at: Option<String>,
    redrive_count: i32,
}

#[derive(Deserialize, ToSchema, Debug)]
pub struct FailedIngestInput {
    pub queue: Option<String>,
    pub message_id: Option<String>,
    pub bucket: Option<String>,
    pub key: Option<String>,
    pub http_status: Option<i32>,
    pub reason: Option<String>,
    pub detail: Option<String>,
    pub body_excerpt: Option<String>,
    /// The raw SQS message (`Body` is what a redrive sends again).
    pub message: Option<Value>,
    pub receive_count: Option<i32>,
}

impl crate::api::body::Input for FailedIngestInput {
    const COLUMNS: &'static [(&'static str, &'static str)] = &[
        ("queue", "failed_ingests.queue"),
        ("message_id", "failed_ingests.message_id"),
        ("bucket", "failed_ingests.bucket"),
        ("key", "failed_ingests.key"),
        ("reason", "failed_ingests.reason"),
    ];
}

#[derive(Deserialize, ToSchema, Debug)]
pub struct IdsInput {
    pub ids: Vec<i64>,
}

impl crate::api::body::Input for IdsInput {}

const FROM: &str = "failed_ingests fi";

fn repr() -> &'static str {
    "json_build_object('id', fi.id, 'queue', fi.queue, 'message_id', fi.message_id, 'bucket', fi.bucket, \
     'key', fi.\"key\", 'http_status', fi.http_status, 'reason', fi.reason, 'detail', fi.detail, \
     'body_excerpt', fi.body_excerpt, 'message', fi.message, 'receive_count', fi.receive_count, \
     'first_seen', hds_ts(fi.first_seen), 'last_seen', hds_ts(fi.last_seen), \
     'resolved_at', hds_ts(fi.resolved_at), 'resolved_by', fi.resolved_by_id, \
     'redriven_at', hds_ts(fi.redriven_at), 'redrive_count', fi.redrive_count)"
}

fn clip(s: Option<String>, n: usize) -> String {
    let s = s.unwrap_or_default();
    s.chars().take(n).collect()
}

/// Filters of the failed-ingest list.
pub const FILTERS: &[Param] = &[
    Param::new("queue", ParamType::Texts, "From these queues."),
    Param::new("reason", ParamType::Texts, "With these reasons."),
    Param::new("resolved", ParamType::Bool, "Resolved ones, or open ones."),
    Param::new("since", ParamType::Time, "Last seen at or after this time."),
    Param::new(
        "until",
        ParamType::Time,
        "Last seen at or before this time.",
    ),
    TZ,
];

/// Names `ordering` accepts on the list, with the column each sorts by.
pub const ORDERINGS: &[(&str, &str)] = &[
    ("last_seen", "fi.last_seen"),
    ("first_seen", "fi.first_seen"),
    ("id", "fi.id"),
];

pub async fn list(ctx: Ctx, req: HttpRequest, mut db: Db) -> AppResult<HttpResponse> {
    let q = Query::parse(req.query_string());
    let mut w = Where::default();
    if let Some(queues) = q.str_list("queue") {
        w.add("fi.queue = ANY(?)", [Bind::Texts(queues)]);
    }
    if let Some(reasons) = q.str_list("reason") {
        w.add("fi.reason = ANY(?)", [Bind::Texts(reasons)]);
    }
    if let Some(resolved) = q.bool("resolved")? {
        w.add(
            if resolved {
                "(fi.resolved_at IS NOT NULL) = ?"
            } else {
                "(fi.resolved_at IS NULL) = ?"
            },
            [Bind::Bool(true)],
        );
    }
    if let Some(t) = q.datetime("since")? {
        w.add("fi.last_seen >= ?", [Bind::Time(t)]);
    }
    if let Some(t) = q.datetime("until")? {
        w.add("fi.last_seen <= ?", [Bind::Time(t)]);
    }
    let l = Listing {
        from: FROM,
        json: repr(),
        id: "fi.id",
        orderings: ORDERINGS,
        default_order: "fi.last_seen DESC, fi.id DESC",
    };
    Ok(ctx.ok(list_page(&mut db, &req, &l, &w).await?))
}

pub async fn retrieve(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    Ok(ctx.ok(one(&mut db, FROM, repr(), "fi.id", *id, "FailedIngest").await?))
}

/// Records (or refreshes) a failure; a failure after a redrive reopens the row.
pub async fn create(
    ctx: Ctx,
    mut db: Db,
    Body(input): Body<FailedIngestInput>,
) -> AppResult<HttpResponse> {
    let queue = required(input.queue, "queue")?;
    let message_id = required(input.message_id, "message_id")?;
    let reason = required(input.reason, "reason")?;
    let receive_count = input.receive_count.unwrap_or(1).max(1);
    let id: i64 = diesel::insert_into(failed_ingests::table)
        .values((
            failed_ingests::queue.eq(&queue),
            failed_ingests::message_id.eq(&message_id),
            failed_ingests::bucket.eq(&input.bucket),
            failed_ingests::key.eq(&input.key),
            failed_ingests::http_status.eq(input.http_status),
            failed_ingests::reason.eq(&reason),
            failed_ingests::detail.eq(clip(input.detail.clone(), 4000)),
            failed_ingests::body_excerpt.eq(clip(input.body_excerpt.clone(), 2000)),
            failed_ingests::message.eq(&input.message),
            failed_ingests::receive_count.eq(receive_count),
        ))
        .on_conflict((failed_ingests::queue, failed_ingests::message_id))
        .do_update()
        .set((
            failed_ingests::http_status.eq(input.http_status),
            failed_ingests::reason.eq(&reason),
            failed_ingests::detail.eq(clip(input.detail, 4000)),
            failed_ingests::receive_count.eq(receive_count),
            failed_ingests::last_seen.eq(Utc::now()),
            failed_ingests::resolved_at.eq(None::<chrono::DateTime<Utc>>),
        ))
        .returning(failed_ingests::id)
        .get_result(&mut db)
        .await?;
    Ok(ctx.ok(one(&mut db, FROM, repr(), "fi.id", id, "FailedIngest").await?))
}

/// Sends a stored message's body to its queue again and marks the row resolved; if it fails
/// again the forwarder reopens it.
async fn redrive(state: &AppState, conn: &mut AsyncPgConnection, id: i64) -> AppResult<()> {
    let row: Option<(String, Option<Value>)> = failed_ingests::table
        .find(id)
        .select((failed_ingests::queue, failed_ingests::message))
        .first(conn)
        .await
        .optional()?;
    let (queue, message) = row.ok_or_else(|| AppError::not_found("FailedIngest"))?;
    let body = message
        .as_ref()
        .and_then(|m| m.get("Body"))
        .map(|b| match b {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .ok_or_else(|| {
            AppError::bad_request("This failure has no stored message to send again.")
        })?;
    let url = crate::forward::queue_url(&state.config, &queue)
        .ok_or_else(|| AppError::bad_request(format!("Queue {queue:?} is not configured here.")))?;
    crate::storage::sqs_client(&state.config)
        .await
        .send_message()
        .queue_url(url)
        .message_body(body)
        .send()
        .await
        .map_err(|e| AppError::Unavailable(format!("SQS: {e}")))?;
    diesel::update(failed_ingests::table.find(id))
        .set((
            failed_ingests::redriven_at.eq(Utc::now()),
            failed_ingests::redrive_count.eq(failed_ingests::redrive_count + 1),
            failed_ingests::resolved_at.eq(Utc::now()),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn redrive_one(
    ctx: Ctx,
    state: web::Data<AppState>,
    mut db: Db,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    redrive(&state, &mut db, *id).await?;
    Ok(ctx.message(
        "Message sent to its queue again",
        one(&mut db, FROM, repr(), "fi.id", *id, "FailedIngest").await?,
    ))
}

pub async fn redrive_many(
    ctx: Ctx,
    state: web::Data<AppState>,
    mut db: Db,
    Body(input): Body<IdsInput>,
) -> AppResult<HttpResponse> {
    let mut done = Vec::new();
    let mut failed = std::collections::BTreeMap::new();
    for id in input.ids {
        match redrive(&state, &mut db, id).await {
            Ok(()) => done.push(id),
            Err(e) => {
                failed.insert(id.to_string(), e.to_string());
            }
        }
    }
    Ok(ctx.message(
        "Messages sent to their queues again",
        RedriveOutcome {
            redriven: done,
            failed,
        },
    ))
}

pub async fn resolve(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let n = diesel::update(failed_ingests::table.find(*id))
        .set((
            failed_ingests::resolved_at.eq(Utc::now()),
            failed_ingests::resolved_by_id.eq(ctx.caller()?.user_id),
        ))
        .execute(&mut db)
        .await?;
    AppError::unless_none(n, "FailedIngest")?;
    Ok(ctx.message(
        "Marked as resolved",
        one(&mut db, FROM, repr(), "fi.id", *id, "FailedIngest").await?,
    ))
}

/// `failedingests/redrive/`: the ids sent again, and why the others were not (by id).
#[derive(serde::Serialize, serde::Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct RedriveOutcome {
    pub redriven: Vec<i64>,
    pub failed: std::collections::BTreeMap<String, String>,
}
