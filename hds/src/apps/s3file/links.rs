//! Presigned download links, made per request after the permission check (never stored).
//! Only known paths are signed, so nothing inside a harvester's report can ask for a link.

use serde_json::Value;

use crate::storage::Storage;

async fn sign_url(storage: &Storage, slot: &mut Value) {
    let (Some(bucket), Some(key)) = (
        slot.get("bucket")
            .and_then(Value::as_str)
            .map(str::to_owned),
        slot.get("key").and_then(Value::as_str).map(str::to_owned),
    ) else {
        return;
    };
    *slot = match storage.download_url(&bucket, &key).await {
        Ok(url) => Value::String(url),
        Err(err) => {
            tracing::warn!(%bucket, %key, error = %err, "could not presign a download link");
            Value::Null
        }
    };
}

/// `event.related_files[*].url`.
pub async fn sign_event(storage: &Storage, event: &mut Value) {
    if let Some(files) = event.get_mut("related_files").and_then(Value::as_array_mut) {
        for f in files {
            if let Some(url) = f.get_mut("url") {
                sign_url(storage, url).await;
            }
        }
    }
}

/// An S3 file's `file` and its event's files.
pub async fn sign_file(storage: &Storage, file: &mut Value) {
    let deleted = file
        .get("deleted")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if let Some(slot) = file.get_mut("file") {
        if deleted {
            *slot = Value::Null;
        } else {
            sign_url(storage, slot).await;
        }
    }
    if let Some(event) = file.get_mut("event") {
        sign_event(storage, event).await;
    }
}

/// Every result of a page (`data.results[*]`) through `f`.
pub async fn sign_page<'a, F, Fut>(page: &'a mut Value, mut f: F)
where
    F: FnMut(&'a mut Value) -> Fut,
    Fut: std::future::Future<Output = ()> + 'a,
{
    if let Some(results) = page.get_mut("results").and_then(Value::as_array_mut) {
        for r in results.iter_mut() {
            f(r).await;
        }
    }
}
