//! `POST logsessions/` (multipart, field `zip_upload`): the zip streams to S3 as it arrives
//! (D19, docs/api-design.md#log-sessions), a part of 8 MiB at a time, never whole in memory.
//! The route is declared `streamed()`: the route middleware authenticates and authorizes, but
//! neither reads the body nor keeps a pooled connection, and this handler reads the body with
//! a deadline per chunk (`HDS_BODY_TIMEOUT_SECS`) and one for the whole upload
//! (`HDS_LOG_UPLOAD_TIMEOUT_SECS`). A database connection is taken only once the zip is stored
//! and checked.

use std::time::{Duration, Instant};

use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;

use super::{names, zipcheck};
use crate::api::envelope::Ctx;
use crate::api::sql::{first_id, json_rows, Bind};
use crate::api::state::AppState;
use crate::error::{AppError, AppResult};
use crate::storage::{Storage, Upload};

const FIELD: &str = "zip_upload";

/// Ranged reads of the stored upload, for the central-directory checks.
struct Stored<'a> {
    storage: &'a Storage,
    bucket: &'a str,
    key: &'a str,
}

impl zipcheck::RangeRead for Stored<'_> {
    async fn read(&self, start: u64, len: u64) -> anyhow::Result<Vec<u8>> {
        self.storage
            .read_range(self.bucket, self.key, start, len)
            .await
    }
}

fn field_error(msg: impl Into<String>) -> AppError {
    AppError::validation_field(FIELD, msg)
}

/// The uploaded file's name as stored: its last path segment, letters, digits, `.-_` only,
/// short enough for the session's name (`<name>-<uuid4>`, 255 characters).
fn clean_name(raw: Option<&str>) -> String {
    let base = names::base_name(
        raw.unwrap_or("upload.zip")
            .rsplit('\\')
            .next()
            .unwrap_or(""),
    );
    let mut clean = crate::storage::sanitize_filename(base);
    clean.truncate(200);
    clean
}

pub async fn create(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    let creator = ctx.caller()?.user_id;
    let config = &state.config;
    let started = Instant::now();
    let limit = config.log_upload_limit;
    let declared = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    // Room for the multipart framing around the file.
    if declared.is_some_and(|n| n > limit + 64 * 1024) {
        return Err(AppError::PayloadTooLarge(limit as usize));
    }
    let is_multipart = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("multipart/form-data"));
    if !is_multipart {
        return Err(field_error(
            "Send the zip as multipart/form-data in the field zip_upload.",
        ));
    }
    let chunk_timeout = Duration::from_secs(config.body_timeout_secs);
    let deadline = started + Duration::from_secs(config.log_upload_timeout_secs);
    let next_within = |d: Instant| {
        let until = d.min(Instant::now() + chunk_timeout);
        tokio::time::Instant::from_std(until)
    };
    let mut form = actix_multipart::Multipart::new(req.headers(), payload.into_inner());
    let mut field = loop {
        let next = tokio::time::timeout_at(next_within(deadline), form.next())
            .await
            .map_err(|_| AppError::RequestTimeout(config.body_timeout_secs))?;
        match next {
            None => return Err(field_error("This field is required.")),
            Some(Err(e)) => return Err(field_error(format!("Unreadable form: {e}"))),
            Some(Ok(f)) if f.name() == Some(FIELD) => break f,
            // Another form field: read and dropped, within the small body limit.
            Some(Ok(mut other)) => {
                let mut n = 0usize;
                while let Some(chunk) = tokio::time::timeout_at(next_within(deadline), other.next())
                    .await
                    .map_err(|_| AppError::RequestTimeout(config.body_timeout_secs))?
                {
                    n += chunk
                        .map_err(|e| field_error(format!("Unreadable form: {e}")))?
                        .len();
                    if n > config.body_limit {
                        return Err(AppError::PayloadTooLarge(config.body_limit));
                    }
                }
            }
        }
    };
    let file_name = clean_name(field.content_disposition().and_then(|cd| cd.get_filename()));
    let uuid = uuid::Uuid::new_v4().to_string();
    let name = format!("{file_name}-{uuid}");
    let key = format!("logsessions/{uuid}/{file_name}");
    let mut upload = state
        .storage
        .begin_upload(&key, "application/zip")
        .await
        .map_err(|e| AppError::Unavailable(format!("storage: {e}")))?;
    let streamed: Result<(), AppError> = async {
        loop {
            let next = tokio::time::timeout_at(next_within(deadline), field.next())
                .await
                .map_err(|_| AppError::RequestTimeout(config.body_timeout_secs))?;
            let Some(chunk) = next else { break };
            let chunk = chunk.map_err(|e| field_error(format!("Unreadable upload: {e}")))?;
            if upload.size + chunk.len() as u64 > limit {
                return Err(AppError::PayloadTooLarge(limit as usize));
            }
            upload
                .write(&chunk)
                .await
                .map_err(|e| AppError::Unavailable(format!("storage: {e}")))?;
        }
        Ok(())
    }
    .await;
    if let Err(err) = streamed {
        upload.abort().await;
        return Err(err);
    }
    let bucket = upload.bucket().to_string();
    let size = finish(upload).await?;
    crate::metrics::async_upload("sessclip_zip", size);
    match store(&state, &ctx, creator, &name, &bucket, &key, size, &uuid).await {
        Ok(resp) => Ok(resp),
        Err(err) => {
            // Nothing is left behind: the object goes with the refused session.
            if let Err(e) = state.storage.delete(&bucket, &key).await {
                tracing::warn!(%key, error = %e, "deleting a refused upload failed");
            }
            Err(err)
        }
    }
}

async fn finish(upload: Upload) -> AppResult<u64> {
    upload
        .finish()
        .await
        .map_err(|e| AppError::Unavailable(format!("storage: {e}")))
}

/// Checks the stored zip and records the session.
#[allow(clippy::too_many_arguments)]
async fn store(
    state: &AppState,
    ctx: &Ctx,
    creator: i64,
    name: &str,
    bucket: &str,
    key: &str,
    size: u64,
    uuid: &str,
) -> AppResult<HttpResponse> {
    let config = &state.config;
    let limits = zipcheck::Limits {
        max_entries: config.zip_max_entries,
        max_total: config.zip_max_total,
        max_ratio: config.zip_max_ratio,
    };
    let src = Stored {
        storage: &state.storage,
        bucket,
        key,
    };
    let members = zipcheck::check(&src, size, limits)
        .await
        .map_err(|e| match e {
            zipcheck::CheckError::Refused(r) => field_error(r.0),
            zipcheck::CheckError::Read(e) => AppError::Unavailable(format!("storage: {e}")),
        })?;
    let first = zipcheck::first_file(&members)
        .map(|m| names::base_name(&m.name).to_string())
        .ok_or_else(|| field_error("The zip holds no file."))?;
    let total = super::extract::plan(&members).total();
    let date = names::session_date(&first);
    let harv_id = names::harv_id(&first);
    let mut db = state.pool.get().await?;
    let rows = json_rows(
        &mut db,
        "INSERT INTO log_sessions (name, date_time, harvester_id, upload_bucket, upload_key, upload_size, \
         uuid, progress_total, creator_id) \
         VALUES ($1, $2, (SELECT id FROM harvesters WHERE harv_id = $3 ORDER BY id LIMIT 1), $4, $5, $6, $7, $8, $9) \
         RETURNING json_build_object('id', id) AS data"
            .to_string(),
        &[
            Bind::Text(name.to_string()),
            Bind::OptTime(date),
            Bind::OptInt(harv_id.map(i64::from)),
            Bind::Text(bucket.to_string()),
            Bind::Text(key.to_string()),
            Bind::Int(size as i64),
            Bind::Text(uuid.to_string()),
            Bind::Int(total as i64),
            Bind::Int(creator),
        ],
    )
    .await?;
    let id = first_id(&rows).ok_or_else(|| AppError::internal("no id returned"))?;
    let session = super::handlers::session(&mut db, id).await?;
    drop(db);
    state
        .jobs
        .push(crate::jobs::Job::ExtractLogSession { session_id: id })
        .await;
    Ok(ctx.ok(session))
}
