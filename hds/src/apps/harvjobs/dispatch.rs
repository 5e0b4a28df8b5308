//! Sending jobs to the harvester job server (`schedule_job`, §4.9; docs/api-design.md#jobs).
//!
//! PostgreSQL holds what is still to send (`jobs.dispatch_status = 'pending'`); the queue only
//! starts it sooner and the worker's sweep finds what the queue lost. A worker takes a job with
//! a lease (so two workers rarely send it twice; a worker killed mid-send leaves it to the next
//! once the lease ends) and holds no database connection while it talks to the job server.
//! Delivery is at least once; the job is recorded sent once.

use std::time::Duration;

use chrono::Utc;
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel_async::AsyncPgConnection;
use serde_json::{json, Value};

use crate::api::sql::{cached_rows, Bind};
use crate::error::AppResult;

/// How long a worker holds a job it is sending: longer than every attempt with its backoff.
const LEASE_SECONDS: i64 = 60;
/// Per request, as the original.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
/// Retries after the first attempt on 500/502/503/504, timeouts and refused connections.
const RETRIES: u32 = 4;
/// The first retry's wait; doubled for each further one.
const BACKOFF: Duration = Duration::from_millis(100);

/// The job server's client.
#[derive(Clone)]
pub struct JobServer {
    client: reqwest::Client,
    url: String,
}

/// Why a job could not be sent: the class the Slack message names and the detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendError {
    pub class: String,
    pub detail: String,
}

impl JobServer {
    /// `base` is `JOB_SERVER_ADDRESS`; jobs go to `<base>/job`.
    pub fn new(base: &str) -> anyhow::Result<JobServer> {
        let client = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .connect_timeout(REQUEST_TIMEOUT)
            .build()?;
        Ok(JobServer {
            client,
            url: format!("{}/job", base.trim_end_matches('/')),
        })
    }

    /// POSTs `body`, retrying what may pass on a second try.
    pub async fn send(&self, body: &Value) -> Result<(), SendError> {
        let mut attempt = 0;
        loop {
            let outcome = self.client.post(&self.url).json(body).send().await;
            let (retryable, error) = match outcome {
                Ok(r) if r.status().is_success() => return Ok(()),
                Ok(r) => {
                    let status = r.status();
                    let text: String = r
                        .text()
                        .await
                        .unwrap_or_default()
                        .chars()
                        .take(300)
                        .collect();
                    (
                        matches!(status.as_u16(), 500 | 502 | 503 | 504),
                        SendError {
                            class: format!("HTTPError {}", status.as_u16()),
                            detail: text,
                        },
                    )
                }
                Err(e) => (
                    e.is_timeout() || e.is_connect() || e.is_request(),
                    SendError {
                        class: match (e.is_timeout(), e.is_connect()) {
                            (true, _) => "Timeout".into(),
                            (_, true) => "ConnectionError".into(),
                            _ => "RequestError".into(),
                        },
                        detail: e.to_string(),
                    },
                ),
            };
            if !retryable || attempt >= RETRIES {
                return Err(error);
            }
            tokio::time::sleep(BACKOFF * 2u32.pow(attempt)).await;
            attempt += 1;
        }
    }
}

/// A job taken for sending, with what its message needs.
#[derive(diesel::QueryableByName, Debug)]
pub struct ToSend {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Nullable<Text>)]
    pub thing_name: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub harv_id: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    pub harvester: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub operator: Option<String>,
    #[diesel(sql_type = Text)]
    pub payload: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub uuid: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub slack_id: Option<String>,
}

/// Takes job `id` for sending if its dispatch is pending and no other worker holds it.
pub async fn take(conn: &mut AsyncPgConnection, id: i64) -> AppResult<Option<ToSend>> {
    let rows: Vec<ToSend> = cached_rows(
        conn,
        "WITH c AS (UPDATE jobs SET dispatch_lease = now() + make_interval(secs => $2), \
           dispatch_attempts = dispatch_attempts + 1 \
           WHERE id = $1 AND dispatch_status = 'pending' \
             AND (dispatch_lease IS NULL OR dispatch_lease < now()) \
           RETURNING id, target_id, creator_id, payload, event_id) \
         SELECT c.id, h.thing_name, h.harv_id::bigint AS harv_id, h.name AS harvester, \
           u.username AS operator, c.payload::text AS payload, e.uuid, p.slack_id \
         FROM c LEFT JOIN harvesters h ON h.id = c.target_id LEFT JOIN users u ON u.id = c.creator_id \
         LEFT JOIN events e ON e.id = c.event_id LEFT JOIN user_profiles p ON p.user_id = c.creator_id",
        &[Bind::Int(id), Bind::Float(LEASE_SECONDS as f64)],
    )
    .await?;
    Ok(rows.into_iter().next())
}

/// The body the job server takes (§4.9).
pub fn message(job: &ToSend, now: chrono::DateTime<Utc>) -> Value {
    let hv_name = job
        .thing_name
        .clone()
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| format!("hv-{:03}", job.harv_id.unwrap_or_default()));
    json!({
        "hv_name": hv_name,
        "operator": job.operator.clone().unwrap_or_default(),
        "hv_subsystem": "http://localhost:5000",
        "job_payload": job.payload,
        "valid_until": (now + chrono::Duration::hours(1)).format("%Y-%m-%d %H:%M:%S").to_string(),
    })
}

#[derive(diesel::QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    #[allow(dead_code)]
    id: i64,
}

/// Records the job sent.
pub async fn record_sent(conn: &mut AsyncPgConnection, id: i64) -> AppResult<()> {
    let _: Vec<Id> = cached_rows(
        conn,
        "UPDATE jobs SET dispatch_status = 'sent', dispatched_at = now(), dispatch_lease = NULL, \
           dispatch_error = NULL WHERE id = $1 AND dispatch_status = 'pending' RETURNING id",
        &[Bind::Int(id)],
    )
    .await?;
    Ok(())
}

/// Records the job failed to send (status `Failed to send` unless results already gave it
/// another); true if this call recorded it (so its Slack message is sent once).
pub async fn record_failed(
    conn: &mut AsyncPgConnection,
    id: i64,
    error: &SendError,
) -> AppResult<bool> {
    let rows: Vec<Id> = cached_rows(
        conn,
        "UPDATE jobs SET dispatch_status = 'failed', dispatch_lease = NULL, dispatch_error = $2, \
           jobstatus = CASE WHEN jobstatus = 'Pending' THEN 'Failed to send' ELSE jobstatus END, \
           last_modified = now() \
         WHERE id = $1 AND dispatch_status = 'pending' RETURNING id",
        &[
            Bind::Int(id),
            Bind::Text(format!("{}: {}", error.class, error.detail)),
        ],
    )
    .await?;
    Ok(!rows.is_empty())
}

/// Jobs whose dispatch is pending and held by no worker, older than `grace` (the sweep's).
pub async fn pending(conn: &mut AsyncPgConnection, grace: chrono::Duration) -> AppResult<Vec<i64>> {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = BigInt)]
        id: i64,
    }
    let rows: Vec<Row> = cached_rows(
        conn,
        "SELECT id FROM jobs WHERE dispatch_status = 'pending' \
           AND (dispatch_lease IS NULL OR dispatch_lease < now()) AND last_modified < $1 \
         ORDER BY id LIMIT 500",
        &[Bind::Time(Utc::now() - grace)],
    )
    .await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// The "Job Failed to send" message: harvester, UUID, why, link, and the creator.
pub fn failure_text(job: &ToSend, error: &SendError, frontend_url: &str) -> String {
    let mut text = format!(
        "*Job Failed to send*\n\tHARVESTER: {}\n\tUUID: {}\n\tERROR: {}\n\tURL: {}/jobs/{}/\n",
        job.harvester.as_deref().unwrap_or(""),
        job.uuid.as_deref().unwrap_or(""),
        error.class,
        frontend_url.trim_end_matches('/'),
        job.id
    );
    super::status::mention(&mut text, job.slack_id.as_deref());
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn job() -> ToSend {
        ToSend {
            id: 3,
            thing_name: None,
            harv_id: Some(7),
            harvester: Some("harv007".into()),
            operator: Some("ops".into()),
            payload: "{\"id\":\"u\"}".into(),
            uuid: Some("u".into()),
            slack_id: None,
        }
    }

    #[test]
    fn the_message_is_the_job_servers_format() {
        let now = Utc.with_ymd_and_hms(2026, 12, 5, 10, 0, 0).unwrap();
        let m = message(&job(), now);
        assert_eq!(
            m,
            json!({"hv_name": "hv-007", "operator": "ops", "hv_subsystem": "http://localhost:5000",
                   "job_payload": "{\"id\":\"u\"}", "valid_until": "2026-12-05 11:00:00"})
        );
        let named = ToSend {
            thing_name: Some("dev-dev001".into()),
            ..job()
        };
        assert_eq!(message(&named, now)["hv_name"], "dev-dev001");
    }

    #[test]
    fn failures_name_the_error_and_the_link() {
        let e = SendError {
            class: "HTTPError 503".into(),
            detail: String::new(),
        };
        let t = failure_text(&job(), &e, "http://app");
        assert!(t.starts_with("*Job Failed to send*\n\tHARVESTER: harv007\n"));
        assert!(t.contains("ERROR: HTTPError 503") && t.ends_with("URL: http://app/jobs/3/\n"));
    }
}
