//! The handlers every report kind shares: `POST <kind>/` (ingest) and `PUT`/`PATCH
//! <kind>/{id}/` (re-read a corrected body).

use std::sync::Arc;

use actix_web::{web, HttpMessage, HttpRequest, HttpResponse};
use serde_json::Value;

use super::batch::Submission;
use super::{read, shallow, Kind};
use crate::api::body::{json_text_error, Body, Db, JsonText, StashedConn};
use crate::api::envelope::Ctx;
use crate::api::state::AppState;
use crate::apps::event::link;
use crate::apps::tags;
use crate::error::{AppError, AppResult};

/// Set by forwarders: the S3 object (`bucket/key@etag`) the report was read from.
pub const SOURCE_HEADER: &str = "x-hds-source-object";

/// Ingests a report of kind `K`. Idempotent: a redelivery answers like the first delivery
/// (201, same id) so forwarders delete the message (docs/compatibility.md#d23).
pub async fn create<K: Kind>(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    body: JsonText,
) -> AppResult<HttpResponse> {
    let kind = K::KIND;
    // The writers bring their own connections: hold none while waiting for them (the one
    // authentication used, if it was not cached, goes back to the pool now).
    drop(req.extensions_mut().remove::<StashedConn>());
    let creator = ctx.caller()?.user_id;
    let value =
        shallow::parse(&body.text, kind.members).map_err(|_| json_text_error(&body.text))?;
    if let Some(ignore) = kind.ignore {
        if let Some(note) = ignore(&value)? {
            return Ok(ctx.ok_200(note));
        }
    }
    let parsed = read::read(kind, &value)?;
    read::check_storable(&body.text)?;
    let identity = match &parsed.uuid {
        Some(uuid) => uuid.clone(),
        // Without a uuid the whole content identifies the report: parse all of it.
        None => {
            let full: Value = serde_json::from_str(&body.text)
                .map_err(|e| AppError::bad_request(e.to_string()))?;
            read::identity(&full, &parsed)
        }
    };
    let source = req
        .headers()
        .get(SOURCE_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let text: Arc<str> = body.text.into();
    let writer = state.reports.of(kind)?;
    let stored = writer
        .submit(Submission {
            text: text.clone(),
            identity,
            parsed,
            creator,
            source,
        })
        .await?;
    if stored.created {
        if let Some(job) = kind.after_create {
            state.jobs.push(job(stored.id)).await;
        }
        if kind.extract.is_some() {
            let job = crate::jobs::Job::Extract {
                kind: kind.name.to_string(),
                report_id: stored.id,
            };
            state.jobs.push(job).await;
        }
    } else {
        tracing::info!(
            kind = kind.name,
            report = stored.id,
            "report already ingested; returning the existing row"
        );
    }
    // A first delivery shows the body it just stored; a replay (or a new report whose
    // representation could not be rendered with its batch) the stored one.
    let (mut detail, text) = match stored.detail {
        Some(detail) if stored.created => (detail, text.to_string()),
        _ => {
            let mut conn = state.pool.get().await?;
            writer.stored(&mut conn, stored.id).await?
        }
    };
    if let Some(event) = detail.get_mut("event") {
        crate::apps::s3file::links::sign_event(&state.storage, event).await;
    }
    Ok(ctx.ok_serialized(&with_report_text(detail, &text)))
}

/// Re-reads a full report body (harvester, time, columns, event); what was extracted from the
/// old body is left as it is.
pub async fn update<K: Kind>(
    ctx: Ctx,
    state: web::Data<AppState>,
    mut db: Db,
    id: web::Path<i64>,
    Body(body): Body<Value>,
) -> AppResult<HttpResponse> {
    let kind = K::KIND;
    let (id, me) = (*id, ctx.caller()?.user_id);
    let parsed = read::read(kind, &body)?;
    let text = read::storable_text(&body)?;
    let harvester = read::resolve(&mut db, &parsed.harvester).await?;
    let writer = state.reports.of(kind)?;
    let conn: &mut diesel_async::AsyncPgConnection = &mut db;
    use diesel_async::AsyncConnection;
    conn.transaction::<(), AppError, _>(async move |conn| {
        let event_id = match kind.event_tag {
            Some(tag) => {
                let uuid = parsed.uuid.clone().unwrap_or_else(link::new_uuid);
                Some(link::event(conn, &uuid, Some(me), &[tag]).await?)
            }
            None => None,
        };
        let updated = writer
            .update(conn, id, me, &parsed, harvester, &text, event_id)
            .await?;
        if !updated {
            return Err(AppError::not_found(kind.model));
        }
        let (tag_table, tag_fk) = kind.tags;
        tags::add(conn, tag_table, tag_fk, id, &parsed.tags).await
    })
    .await?;
    let (mut detail, text) = writer.stored(&mut db, id).await?;
    if let Some(event) = detail.get_mut("event") {
        crate::apps::s3file::links::sign_event(&state.storage, event).await;
    }
    Ok(ctx.ok_serialized(&with_report_text(detail, &text)))
}

/// A report's detail with `report` spliced in as the text it arrived as (valid JSON: it was
/// parsed), so 20 KB are not serialized again.
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
