//! What every ingest path does with UUIDs: get-or-create the event / pick session, tag it,
//! and link secondary events.

use diesel::sql_types::{BigInt, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::apps::tags;
use crate::error::AppResult;

#[derive(diesel::QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// A fresh UUID for reports that carry none (time-based, like the reference's uuid1).
pub fn new_uuid() -> String {
    uuid::Uuid::now_v1(&rand::random::<[u8; 6]>()).to_string()
}

async fn get_or_create(
    conn: &mut AsyncPgConnection,
    table: &str,
    uuid: &str,
    creator: Option<i64>,
) -> AppResult<i64> {
    let row: Id = diesel::sql_query(format!(
        "INSERT INTO {table} (uuid, creator_id) VALUES ($1, $2) \
         ON CONFLICT (uuid) DO UPDATE SET uuid = EXCLUDED.uuid RETURNING id"
    ))
    .bind::<Text, _>(uuid)
    .bind::<Nullable<BigInt>, _>(creator)
    .get_result(conn)
    .await?;
    Ok(row.id)
}

/// The event with this UUID (created if new), tagged with `tag`.
pub async fn event(
    conn: &mut AsyncPgConnection,
    uuid: &str,
    creator: Option<i64>,
    tag: &[&str],
) -> AppResult<i64> {
    let id = get_or_create(conn, "events", uuid, creator).await?;
    tags::add(conn, "event_tags", "event_id", id, tag).await?;
    Ok(id)
}

/// The pick session with this UUID (created if new), tagged with `tag`.
pub async fn pick_session(
    conn: &mut AsyncPgConnection,
    uuid: &str,
    creator: Option<i64>,
    tag: &[&str],
) -> AppResult<i64> {
    let id = get_or_create(conn, "pick_sessions", uuid, creator).await?;
    tags::add(conn, "pick_session_tags", "pick_session_id", id, tag).await?;
    Ok(id)
}

/// Links each aux UUID's event (created if new, tagged `secondary`, D6) to `event_id`, both
/// directions. Idempotent.
pub async fn secondary_events(
    conn: &mut AsyncPgConnection,
    event_id: i64,
    aux_uuids: &[String],
    creator: Option<i64>,
) -> AppResult<()> {
    for aux in aux_uuids {
        let other = event(conn, aux, creator, &["secondary"]).await?;
        if other == event_id {
            continue;
        }
        diesel::sql_query(
            "INSERT INTO event_secondary_events (from_event_id, to_event_id) VALUES ($1, $2), ($2, $1) \
             ON CONFLICT DO NOTHING",
        )
        .bind::<BigInt, _>(event_id)
        .bind::<BigInt, _>(other)
        .execute(conn)
        .await?;
    }
    Ok(())
}
