//! Notifications: "tell these people when an error report matching these filters arrives"
//! (docs/api-design.md#notifications, docs/compatibility.md#d12, docs/compatibility.md#d13).

pub mod handlers;
pub mod matching;

use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde_json::{Map, Value};

use crate::api::filters::Query;
use crate::api::sql::one;
use crate::apps::json::audit;
use crate::error::{AppError, AppResult};
use crate::schema::{notification_recipients, notifications};

audited! {
/// A notification ([`repr`]).
pub struct Notification {
    pub id: i64,
    pub trigger_on: String,
    /// Error-report list filters, e.g. `{"harv_ids": "11,100", "codes": "1"}`.
    pub criteria: Value,
    /// Usernames.
    pub recipients: Vec<String>,
}
}

pub const FROM: &str = "notifications n";

pub fn repr(n: &str) -> String {
    format!(
        "json_build_object('id', {n}.id, {audit}, 'trigger_on', {n}.trigger_on, 'criteria', {n}.criteria, \
         'recipients', COALESCE((SELECT json_agg(u.username ORDER BY u.username) FROM notification_recipients nr \
            JOIN users u ON u.id = nr.user_id WHERE nr.notification_id = {n}.id), '[]'::json))",
        audit = audit(n)
    )
}

pub async fn get(conn: &mut AsyncPgConnection, id: i64) -> AppResult<Value> {
    one(conn, FROM, &repr("n"), "n.id", id, "Notification").await
}

pub async fn create(
    conn: &mut AsyncPgConnection,
    creator: i64,
    criteria: Value,
    recipients: &[i64],
) -> AppResult<i64> {
    let recipients = recipients.to_vec();
    conn.transaction::<i64, AppError, _>(async move |conn| {
        let id: i64 = diesel::insert_into(notifications::table)
            .values((
                notifications::trigger_on.eq("ErrorReport"),
                notifications::criteria.eq(criteria),
                notifications::creator_id.eq(creator),
            ))
            .returning(notifications::id)
            .get_result(conn)
            .await?;
        for user in recipients {
            diesel::insert_into(notification_recipients::table)
                .values((
                    notification_recipients::notification_id.eq(id),
                    notification_recipients::user_id.eq(user),
                ))
                .on_conflict_do_nothing()
                .execute(conn)
                .await
                .map_err(|e| crate::apps::fk_field(e, "recipients"))?;
        }
        Ok(id)
    })
    .await
}

/// Reference notifications stored ORM lookups; they are read as the equivalent filters.
const LEGACY_KEYS: &[(&str, &str)] = &[
    ("harvester__harv_id__in", "harv_ids"),
    ("harvester__harv_id", "harv_ids"),
    ("location__ranch", "locations"),
    ("location__ranch__in", "locations"),
    ("harvester__fruit__name__in", "fruits"),
    ("harvester__fruit__name", "fruits"),
    ("exceptions__code__code__in", "codes"),
    ("exceptions__traceback", "traceback"),
    ("harvester__is_emulator", "is_emulator"),
    ("exceptions__handled", "handled"),
    ("exceptions__primary", "primary"),
];

/// The criteria as an error-report filter query.
pub fn criteria_query(criteria: &Value) -> Query {
    let empty = Map::new();
    let pairs: Vec<(String, String)> = criteria
        .as_object()
        .unwrap_or(&empty)
        .iter()
        .map(|(k, v)| {
            let key = LEGACY_KEYS
                .iter()
                .find(|(old, _)| old == k)
                .map(|(_, new)| *new)
                .unwrap_or(k);
            let value = match v {
                Value::Array(items) => items
                    .iter()
                    .map(|i| {
                        i.as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| i.to_string())
                    })
                    .collect::<Vec<_>>()
                    .join(","),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (key.to_string(), value)
        })
        .collect();
    Query::parse(&serde_urlencoded::to_string(pairs).unwrap_or_default())
}
