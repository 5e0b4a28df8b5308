//! One SQS message: read, fetch, deliver, then delete — or classify the failure.

use std::time::Duration;

use aws_sdk_sqs::types::{Message, MessageSystemAttributeName};
use serde_json::{json, Value};

use super::queues::{key_allowed, QueueSpec};
use super::run::Shared;
use crate::apps::s3file::parse;

/// How a message ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Delivered (or nothing to deliver, e.g. `s3:TestEvent`): delete the message.
    Done,
    /// Try again later; `slow_down` when the API asked for it (429/503).
    Transient { reason: String, slow_down: bool },
    /// Will never work as is: recorded in the failed-ingest log.
    Permanent {
        reason: &'static str,
        detail: String,
        http_status: Option<u16>,
        bucket: Option<String>,
        key: Option<String>,
        excerpt: String,
    },
}

fn permanent(reason: &'static str, detail: impl Into<String>) -> Outcome {
    Outcome::Permanent {
        reason,
        detail: detail.into(),
        http_status: None,
        bucket: None,
        key: None,
        excerpt: String::new(),
    }
}

fn excerpt(bytes: &[u8]) -> String {
    String::from_utf8_lossy(&bytes[..bytes.len().min(500)]).into_owned()
}

pub fn receive_count(m: &Message) -> i32 {
    m.attributes()
        .and_then(|a| a.get(&MessageSystemAttributeName::ApproximateReceiveCount))
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
}

/// `bucket/key@etag`, the identity of an S3 object version.
fn object_id(rec: &parse::S3Object) -> String {
    format!("{}/{}@{}", rec.bucket, rec.key, rec.etag)
}

/// Whether the API already holds a report read from this object (only error reports record
/// it); `None` when the API could not say (unreachable, 5xx): nothing may be concluded then.
async fn already_ingested(sh: &Shared, spec: &QueueSpec, rec: &parse::S3Object) -> Option<bool> {
    if spec.name != "errorreports" {
        return Some(false);
    }
    let resp = sh
        .http
        .get(format!(
            "{}/api/v1/errorreports/ingested/?{}",
            sh.api_url,
            serde_urlencoded::to_string([("object", object_id(rec))]).unwrap_or_default()
        ))
        .header("Authorization", format!("Token {}", sh.token))
        .send()
        .await;
    match resp {
        Ok(r) if r.status().is_success() => r
            .json::<Value>()
            .await
            .ok()
            .and_then(|v| v["data"]["ingested"].as_bool()),
        _ => None,
    }
}

/// POSTs `body` to the API and classifies the answer.
async fn deliver(sh: &Shared, spec: &QueueSpec, body: &[u8], source: Option<&str>) -> Outcome {
    let mut req = sh.http.post(format!("{}{}", sh.api_url, spec.path));
    if let Some(s) = source {
        req = req.header(crate::reports::handlers::SOURCE_HEADER, s);
    }
    let resp = req
        .header("Authorization", format!("Token {}", sh.token))
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .body(body.to_vec())
        .send()
        .await;
    match resp {
        Err(e) => Outcome::Transient {
            reason: format!("API unreachable: {e}"),
            slow_down: false,
        },
        Ok(r) if r.status().is_success() => Outcome::Done,
        Ok(r) => {
            let status = r.status().as_u16();
            let text = r.text().await.unwrap_or_default();
            match status {
                408 | 429 | 500..=599 => Outcome::Transient {
                    reason: format!("API answered {status}"),
                    slow_down: status == 429 || status == 503,
                },
                _ => Outcome::Permanent {
                    reason: "rejected",
                    detail: text.chars().take(2000).collect(),
                    http_status: Some(status),
                    bucket: None,
                    key: None,
                    excerpt: excerpt(body),
                },
            }
        }
    }
}

/// Reads the S3 object a record points at, within the size limit.
async fn fetch(
    sh: &Shared,
    bucket: &str,
    key: &str,
    size: Option<i64>,
    receives: i32,
) -> Result<Vec<u8>, Outcome> {
    let limit = sh.max_object_bytes;
    let too_large = |n: i64| Outcome::Permanent {
        reason: "too_large",
        detail: format!("object is {n} bytes; the limit is {limit}"),
        http_status: None,
        bucket: Some(bucket.into()),
        key: Some(key.into()),
        excerpt: String::new(),
    };
    if let Some(n) = size.filter(|n| *n as u64 > limit as u64) {
        return Err(too_large(n));
    }
    let obj = match sh.s3.get_object().bucket(bucket).key(key).send().await {
        Ok(o) => o,
        Err(e) => {
            let missing = e.as_service_error().is_some_and(|s| s.is_no_such_key());
            // A missing object may still be on its way (or deleted after a delivered duplicate).
            return Err(if missing && receives >= 3 {
                Outcome::Permanent {
                    reason: "object_missing",
                    detail: "NoSuchKey".into(),
                    http_status: None,
                    bucket: Some(bucket.into()),
                    key: Some(key.into()),
                    excerpt: String::new(),
                }
            } else if missing {
                Outcome::Transient {
                    reason: "object_missing".into(),
                    slow_down: false,
                }
            } else {
                Outcome::Transient {
                    reason: format!("S3: {e}"),
                    slow_down: false,
                }
            });
        }
    };
    if let Some(n) = obj.content_length().filter(|n| *n as u64 > limit as u64) {
        return Err(too_large(n));
    }
    match obj.body.collect().await {
        Ok(data) => Ok(data.into_bytes().to_vec()),
        Err(e) => Err(Outcome::Transient {
            reason: format!("S3 read: {e}"),
            slow_down: false,
        }),
    }
}

/// Processes one message; on `Done` the caller deletes it. Returns the S3 objects to delete.
pub async fn process(
    sh: &Shared,
    spec: &QueueSpec,
    m: &Message,
) -> (Outcome, Vec<(String, String)>) {
    let body = m.body().unwrap_or_default();
    if !spec.s3_event_payload {
        // The API reads the S3 event from the raw message (`ReceiptHandle` stays here).
        let raw =
            json!({ "MessageId": m.message_id(), "MD5OfBody": m.md5_of_body(), "Body": body });
        if let Ok(event) = serde_json::from_str::<Value>(body) {
            if event.get("Event").and_then(Value::as_str) == Some("s3:TestEvent") {
                return (Outcome::Done, vec![]);
            }
            for rec in parse::records(&event) {
                if let Err(why) = key_allowed(&sh.prefixes, &rec.bucket, &sh.bucket, &rec.key) {
                    return (
                        Outcome::Permanent {
                            reason: "rejected_key",
                            detail: why,
                            http_status: None,
                            bucket: Some(rec.bucket),
                            key: Some(rec.key),
                            excerpt: excerpt(body.as_bytes()),
                        },
                        vec![],
                    );
                }
            }
        }
        let bytes = serde_json::to_vec(&raw).unwrap_or_default();
        return (deliver(sh, spec, &bytes, None).await, vec![]);
    }
    let event: Value = match serde_json::from_str(body) {
        Ok(v) => v,
        Err(e) => {
            return (
                Outcome::Permanent {
                    reason: "invalid_message",
                    detail: e.to_string(),
                    http_status: None,
                    bucket: None,
                    key: None,
                    excerpt: excerpt(body.as_bytes()),
                },
                vec![],
            )
        }
    };
    if event.get("Event").and_then(Value::as_str) == Some("s3:TestEvent") {
        return (Outcome::Done, vec![]);
    }
    let records = parse::records(&event);
    if records.is_empty() {
        return (
            permanent("no_records", "the message holds no S3 record"),
            vec![],
        );
    }
    let receives = receive_count(m);
    let mut delete = Vec::new();
    for rec in records {
        if let Err(why) = key_allowed(&sh.prefixes, &rec.bucket, &sh.bucket, &rec.key) {
            return (
                Outcome::Permanent {
                    reason: "rejected_key",
                    detail: why,
                    http_status: None,
                    bucket: Some(rec.bucket),
                    key: Some(rec.key),
                    excerpt: String::new(),
                },
                vec![],
            );
        }
        let bytes = match fetch(sh, &rec.bucket, &rec.key, rec.size, receives).await {
            Ok(b) => b,
            Err(outcome) => match already_ingested(sh, spec, &rec).await {
                // Gone because an earlier delivery of the same object succeeded: a duplicate.
                Some(true) => continue,
                Some(false) => return (outcome, vec![]),
                // The API could not say (restarting, database down): a duplicate of an
                // ingested object must not be logged as missing on that, so ask again later.
                None => {
                    return (
                        Outcome::Transient {
                            reason: "could not ask the API whether the object was ingested".into(),
                            slow_down: false,
                        },
                        vec![],
                    )
                }
            },
        };
        // Parse here (nesting limit included) so poison never reaches the API.
        if let Err(e) = serde_json::from_slice::<Value>(&bytes) {
            let reason = if e.to_string().contains("recursion limit") {
                "too_deep"
            } else {
                "invalid_json"
            };
            return (
                Outcome::Permanent {
                    reason,
                    detail: e.to_string(),
                    http_status: None,
                    bucket: Some(rec.bucket),
                    key: Some(rec.key),
                    excerpt: excerpt(&bytes),
                },
                vec![],
            );
        }
        match deliver(sh, spec, &bytes, Some(&object_id(&rec))).await {
            Outcome::Done => {
                if spec.s3_delete {
                    delete.push((rec.bucket, rec.key));
                }
            }
            Outcome::Permanent {
                reason,
                detail,
                http_status,
                excerpt,
                ..
            } => {
                return (
                    Outcome::Permanent {
                        reason,
                        detail,
                        http_status,
                        bucket: Some(rec.bucket),
                        key: Some(rec.key),
                        excerpt,
                    },
                    vec![],
                );
            }
            other => return (other, vec![]),
        }
    }
    (Outcome::Done, delete)
}

/// Tells the API about a permanent failure (the failed-ingest log).
pub async fn record_failure(
    sh: &Shared,
    spec: &QueueSpec,
    m: &Message,
    outcome: &Outcome,
) -> anyhow::Result<()> {
    let Outcome::Permanent {
        reason,
        detail,
        http_status,
        bucket,
        key,
        excerpt,
    } = outcome
    else {
        return Ok(());
    };
    let payload = json!({
        "queue": spec.name,
        "message_id": m.message_id().unwrap_or("unknown"),
        "bucket": bucket, "key": key,
        "http_status": http_status,
        "reason": reason,
        "detail": detail,
        "body_excerpt": excerpt,
        "message": { "MessageId": m.message_id(), "Body": m.body() },
        "receive_count": receive_count(m),
    });
    let resp = sh
        .http
        .post(format!("{}/api/v1/failedingests/", sh.api_url))
        .header("Authorization", format!("Token {}", sh.token))
        .timeout(Duration::from_secs(10))
        .json(&payload)
        .send()
        .await?;
    if !resp.status().is_success() {
        anyhow::bail!("failed-ingest log answered {}", resp.status());
    }
    Ok(())
}
