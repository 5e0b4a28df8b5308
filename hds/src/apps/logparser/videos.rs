//! Videos of a log session (docs/api-design.md#log-sessions): each `.avi` + `.json` pair of the
//! zip converted to MP4 by ffmpeg (a subprocess with a timeout), uploaded, with its JSON-lines
//! metadata read.

use std::path::Path;

use serde_json::Value;

use super::extract::{unpack, Failure, LogsCtx};
use super::names;

/// The largest `.json` metadata member read.
const MAX_META_BYTES: u64 = 16 << 20;

/// A converted video, ready to record.
pub(super) struct Video {
    pub(super) file_name: String,
    pub(super) robot: Option<i32>,
    pub(super) category: String,
    pub(super) meta: Value,
    pub(super) key: String,
    pub(super) etag: String,
    pub(super) size: i64,
}

/// Converts one `.avi` to MP4, uploads it, reads its metadata.
pub(super) async fn video(
    ctx: &LogsCtx,
    dir: &Path,
    zip: &Path,
    avi: usize,
    meta: usize,
    names_in_zip: &[String],
    uuid: &str,
) -> Result<Video, Failure> {
    let avi_name = names::base_name(&names_in_zip[avi]).to_string();
    let stem = names::stem(&avi_name).to_string();
    let (avi_path, mp4_path, meta_path) = (
        dir.join(format!("v{avi}.avi")),
        dir.join(format!("v{avi}.mp4")),
        dir.join(format!("v{avi}.json")),
    );
    let (zip2, avi2, meta2, cap) = (
        zip.to_path_buf(),
        avi_path.clone(),
        meta_path.clone(),
        ctx.limits.max_total,
    );
    tokio::task::spawn_blocking(move || -> Result<(), Failure> {
        unpack(&zip2, avi, &avi2, cap)?;
        unpack(&zip2, meta, &meta2, MAX_META_BYTES)?;
        Ok(())
    })
    .await
    .map_err(Failure::passing)??;
    let text = tokio::fs::read(&meta_path).await?;
    let meta_lines: Vec<Value> = String::from_utf8_lossy(&text)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| Value::String(l.to_string())))
        .collect();
    convert(ctx, &avi_path, &mp4_path)
        .await
        .map_err(|e| Failure::permanent(format!("{avi_name}: {e}")))?;
    let key = format!(
        "logsessions/{uuid}/videos/{}.mp4",
        crate::storage::sanitize_filename(&stem)
    );
    let (etag, size) = ctx
        .storage
        .put_file(&key, &mp4_path, "video/mp4")
        .await
        .map_err(|e| Failure::passing(format!("storing {avi_name}: {e}")))?;
    let mut file_name = avi_name.clone();
    file_name.truncate(100);
    let mut category = names::service(&stem);
    category.truncate(100);
    Ok(Video {
        file_name,
        robot: names::robot(&avi_name),
        category,
        meta: Value::Array(meta_lines),
        key,
        etag,
        size,
    })
}

/// `ffmpeg` AVI → MP4 (H.264, streamable), killed at the timeout.
async fn convert(ctx: &LogsCtx, avi: &Path, mp4: &Path) -> Result<(), String> {
    let child = tokio::process::Command::new(&ctx.ffmpeg)
        .args(["-nostdin", "-y", "-loglevel", "error", "-i"])
        .arg(avi)
        .args([
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            "-movflags",
            "+faststart",
        ])
        .arg(mp4)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("ffmpeg ({}) could not be started: {e}", ctx.ffmpeg))?;
    let out = tokio::time::timeout(ctx.ffmpeg_timeout, child.wait_with_output())
        .await
        .map_err(|_| format!("ffmpeg took more than {} s", ctx.ffmpeg_timeout.as_secs()))?
        .map_err(|e| format!("ffmpeg: {e}"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let err: String = err.trim().chars().take(500).collect();
        return Err(format!("ffmpeg failed ({}): {err}", out.status));
    }
    Ok(())
}
