//! Which notifications a new error report triggers, and the messages that go to Slack
//! (docs/api-design.md#slack-messages, docs/api-design.md#notifications; docs/compatibility.md#d11,
//! docs/compatibility.md#d13).

use std::collections::HashMap;

use diesel::sql_types::{BigInt, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::Value;

use super::criteria_query;
use crate::api::sql::{json_rows, Bind, Where};
use crate::apps::errorreport::filters;
use crate::error::AppResult;

/// A notification that matched, with its recipients' Slack ids.
#[derive(Debug, Clone, PartialEq)]
pub struct Matched {
    pub notification_id: i64,
    pub slack_ids: Vec<String>,
}

#[derive(diesel::QueryableByName)]
struct NotificationRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = diesel::sql_types::Jsonb)]
    criteria: Value,
}

/// Notifications whose criteria match report `report_id`.
pub async fn matching(conn: &mut AsyncPgConnection, report_id: i64) -> AppResult<Vec<Matched>> {
    Ok(matching_many(conn, &[report_id])
        .await?
        .remove(&report_id)
        .unwrap_or_default())
}

/// The notifications each of `report_ids` matches (reports matching none are absent), in
/// notification order. One query per notification for the whole set, not one per report and
/// notification: extraction notifies its reports a batch at a time.
pub async fn matching_many(
    conn: &mut AsyncPgConnection,
    report_ids: &[i64],
) -> AppResult<HashMap<i64, Vec<Matched>>> {
    let mut out: HashMap<i64, Vec<Matched>> = HashMap::new();
    if report_ids.is_empty() {
        return Ok(out);
    }
    let rows: Vec<NotificationRow> = diesel::sql_query(
        "SELECT id, criteria FROM notifications WHERE trigger_on = 'ErrorReport' ORDER BY id",
    )
    .load(conn)
    .await?;
    for n in rows {
        let mut w = Where::default();
        if let Err(err) = filters::apply(&criteria_query(&n.criteria), &mut w) {
            tracing::warn!(notification = n.id, error = %err, "notification criteria unreadable; skipped");
            continue;
        }
        w.add("r.id = ANY(?)", [Bind::Ints(report_ids.to_vec())]);
        let matched: Vec<i64> = json_rows(
            conn,
            format!(
                "SELECT to_json(r.id) AS data FROM error_reports r{}",
                w.sql()?
            ),
            w.binds(),
        )
        .await?
        .into_iter()
        .filter_map(|v| v.as_i64())
        .collect();
        if matched.is_empty() {
            continue;
        }
        #[derive(diesel::QueryableByName)]
        struct Slack {
            #[diesel(sql_type = Nullable<Text>)]
            slack_id: Option<String>,
        }
        let slack: Vec<Slack> = diesel::sql_query(
            "SELECT p.slack_id FROM notification_recipients nr JOIN user_profiles p ON p.user_id = nr.user_id \
             WHERE nr.notification_id = $1 ORDER BY nr.user_id",
        )
        .bind::<BigInt, _>(n.id)
        .load(conn)
        .await?;
        let slack_ids: Vec<String> = slack
            .into_iter()
            .filter_map(|s| s.slack_id)
            .filter(|s| !s.is_empty())
            .collect();
        for report_id in matched {
            out.entry(report_id).or_default().push(Matched {
                notification_id: n.id,
                slack_ids: slack_ids.clone(),
            });
        }
    }
    Ok(out)
}

/// `"<@U1>, <@U2>\n<url>\n"` appended to the report text, as the reference's `notify`.
pub fn notify_text(report_text: &str, slack_ids: &[String], url: &str) -> String {
    let mentions: Vec<String> = slack_ids
        .iter()
        .filter_map(|id| crate::slack::mention(id))
        .collect();
    let mut msg = report_text.to_string();
    if !mentions.is_empty() {
        msg.push_str(&mentions.join(", "));
        msg.push('\n');
    }
    msg.push_str(url);
    msg.push('\n');
    msg
}
