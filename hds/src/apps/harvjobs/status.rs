//! A job's status from its results (`job_status_update`, §5.5 with D9): the host results of a
//! job result decide it; "Job complete" goes to Slack once per result, after the commit.

use diesel::sql_types::{BigInt, Nullable, Text};
use diesel_async::AsyncPgConnection;

use crate::api::sql::{cached_rows, Bind};
use crate::error::AppResult;

/// The Slack channel of job messages.
pub const JOBS_CHANNEL: &str = "hds-jobs";

/// The job status a set of host results gives (`canceled` first, then failures and errors).
const STATUS_OF_RESULTS: &str = "CASE WHEN bool_or(x.result = 'canceled') THEN 'canceled' \
     WHEN bool_or(x.result = 'Failed') AND bool_or(x.result = 'Error') THEN 'Failed and errors' \
     WHEN bool_or(x.result = 'Failed') THEN 'Failed' \
     WHEN bool_or(x.result = 'Error') THEN 'Error' ELSE 'Success' END";

#[derive(diesel::QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    #[allow(dead_code)]
    id: i64,
}

/// Sets the status of the job of result `result_id` from the result's host results (nothing
/// when the result has no job yet or no host results). The history trigger records the change.
pub async fn update_from_result(conn: &mut AsyncPgConnection, result_id: i64) -> AppResult<()> {
    let _: Vec<Id> = cached_rows(
        conn,
        &format!(
            "WITH r AS (SELECT job_id, creator_id FROM job_results WHERE id = $1 AND job_id IS NOT NULL), \
             s AS (SELECT {STATUS_OF_RESULTS} AS status FROM job_host_results x WHERE x.parent_id = $1 \
               HAVING count(*) > 0) \
             UPDATE jobs j SET jobstatus = s.status, modified_by_id = r.creator_id, last_modified = now() \
             FROM r, s WHERE j.id = r.job_id AND j.jobstatus IS DISTINCT FROM s.status RETURNING j.id"
        ),
        &[Bind::Int(result_id)],
    )
    .await?;
    Ok(())
}

/// Links results stored before their job existed (D9) to the new jobs of `event_ids`, and sets
/// those jobs' status from them.
pub async fn link_waiting_results(
    conn: &mut AsyncPgConnection,
    event_ids: &[i64],
) -> AppResult<()> {
    let linked: Vec<Id> = cached_rows(
        conn,
        "UPDATE job_results r SET job_id = j.id FROM jobs j \
         WHERE j.event_id = ANY($1) AND r.event_id = j.event_id AND r.job_id IS NULL RETURNING r.id",
        &[Bind::Ints(event_ids.to_vec())],
    )
    .await?;
    for r in linked {
        update_from_result(conn, r.id).await?;
    }
    Ok(())
}

/// What the "Job complete" message names.
#[derive(diesel::QueryableByName, Debug)]
pub struct Completed {
    #[diesel(sql_type = BigInt)]
    pub job_id: i64,
    #[diesel(sql_type = Nullable<Text>)]
    pub harvester: Option<String>,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub uuid: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub slack_id: Option<String>,
}

/// Claims result `result_id`'s "Job complete" message (once: the result is marked notified
/// in the same statement); `None` when it has no job, is not extracted yet or was claimed.
pub async fn claim_completion(
    conn: &mut AsyncPgConnection,
    result_id: i64,
) -> AppResult<Option<Completed>> {
    let rows: Vec<Completed> = cached_rows(
        conn,
        "WITH claimed AS (UPDATE job_results SET notified_at = now() WHERE id = $1 \
           AND job_id IS NOT NULL AND notified_at IS NULL AND extraction_status = 'done' \
           RETURNING job_id) \
         SELECT j.id AS job_id, h.name AS harvester, j.jobstatus AS status, e.uuid, p.slack_id \
         FROM claimed c JOIN jobs j ON j.id = c.job_id \
         LEFT JOIN harvesters h ON h.id = j.target_id LEFT JOIN events e ON e.id = j.event_id \
         LEFT JOIN user_profiles p ON p.user_id = j.creator_id",
        &[Bind::Int(result_id)],
    )
    .await?;
    Ok(rows.into_iter().next())
}

/// Results whose "Job complete" message is still to send (the sweep's).
pub async fn unnotified(
    conn: &mut AsyncPgConnection,
    grace: chrono::Duration,
) -> AppResult<Vec<i64>> {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = BigInt)]
        id: i64,
    }
    let rows: Vec<Row> = cached_rows(
        conn,
        "SELECT id FROM job_results WHERE job_id IS NOT NULL AND notified_at IS NULL \
           AND extraction_status = 'done' AND created < $1 ORDER BY id LIMIT 500",
        &[Bind::Time(chrono::Utc::now() - grace)],
    )
    .await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// The "Job complete" message as the original words it.
pub fn completion_text(c: &Completed, frontend_url: &str) -> String {
    let mut text = format!(
        "*Job Complete*\n\tHARVESTER: {}\n\tRESULT: {}\n\tUUID: {}\n\tURL: {}/jobs/{}/\n",
        c.harvester.as_deref().unwrap_or(""),
        c.status,
        c.uuid.as_deref().unwrap_or(""),
        frontend_url.trim_end_matches('/'),
        c.job_id
    );
    mention(&mut text, c.slack_id.as_deref());
    text
}

/// Ends a job message with `<@slack_id>` of the job's creator, when they have one.
pub fn mention(text: &mut String, slack_id: Option<&str>) {
    if let Some(m) = slack_id.and_then(crate::slack::mention) {
        text.push_str(&m);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completion_is_worded_as_the_original_and_names_the_creator() {
        let c = Completed {
            job_id: 7,
            harvester: Some("harv011".into()),
            status: "Success".into(),
            uuid: Some("u-1".into()),
            slack_id: Some("U123".into()),
        };
        assert_eq!(
            completion_text(&c, "http://app/"),
            "*Job Complete*\n\tHARVESTER: harv011\n\tRESULT: Success\n\tUUID: u-1\n\tURL: http://app/jobs/7/\n<@U123>"
        );
    }
}
