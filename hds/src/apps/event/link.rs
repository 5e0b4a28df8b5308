//! What every ingest path does with UUIDs: get-or-create the event / pick session, tag it,
//! and link secondary events.

use diesel::sql_types::{BigInt, Nullable};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::api::sql::{cached_row, Bind};
use crate::apps::tags;
use crate::error::AppResult;

/// A fresh UUID for reports that carry none (time-based, like the reference's uuid1).
pub fn new_uuid() -> String {
    uuid::Uuid::now_v1(&rand::random::<[u8; 6]>()).to_string()
}

#[derive(diesel::QueryableByName)]
struct Tagged {
    #[diesel(sql_type = Nullable<BigInt>)]
    id: Option<i64>,
    #[diesel(sql_type = BigInt)]
    known_tags: i64,
}

/// Gets or creates the `table` row with this UUID and links the existing tags among `tags`,
/// in one round trip; tags that do not exist yet are created and linked after. An existing row
/// is only read, never locked: many reports of one pick session arrive together.
async fn get_or_create_tagged(
    conn: &mut AsyncPgConnection,
    (table, join_table, fk): (&str, &str, &str),
    uuid: &str,
    creator: Option<i64>,
    tags: &[&str],
) -> AppResult<i64> {
    let names: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
    let sql = format!(
        "WITH found AS (SELECT id FROM {table} WHERE uuid = $1), \
         created AS (INSERT INTO {table} (uuid, creator_id) SELECT $1, $2 \
           WHERE NOT EXISTS (SELECT 1 FROM found) ON CONFLICT (uuid) DO NOTHING RETURNING id), \
         row AS (SELECT id FROM found UNION ALL SELECT id FROM created), \
         known AS (SELECT id FROM tags WHERE name = ANY($3)), \
         linked AS (INSERT INTO {join_table} ({fk}, tag_id) SELECT row.id, known.id FROM row, known \
           ON CONFLICT DO NOTHING) \
         SELECT (SELECT id FROM row) AS id, (SELECT count(*) FROM known) AS known_tags"
    );
    // A concurrent insert of the same UUID that commits after this statement's snapshot leaves
    // `row` empty; the next attempt sees it.
    for _ in 0..3 {
        let binds = [
            Bind::Text(uuid.to_string()),
            Bind::OptInt(creator),
            Bind::Texts(names.clone()),
        ];
        let row: Tagged = cached_row(conn, &sql, &binds).await?;
        if let Some(id) = row.id {
            if row.known_tags < names.len() as i64 {
                tags::add(conn, join_table, fk, id, tags).await?;
            }
            return Ok(id);
        }
    }
    Err(crate::error::AppError::internal(format!(
        "{table} {uuid}: neither found nor created"
    )))
}

/// The event with this UUID (created if new), tagged with `tag`.
pub async fn event(
    conn: &mut AsyncPgConnection,
    uuid: &str,
    creator: Option<i64>,
    tag: &[&str],
) -> AppResult<i64> {
    get_or_create_tagged(
        conn,
        ("events", "event_tags", "event_id"),
        uuid,
        creator,
        tag,
    )
    .await
}

/// The pick session with this UUID (created if new), tagged with `tag`.
pub async fn pick_session(
    conn: &mut AsyncPgConnection,
    uuid: &str,
    creator: Option<i64>,
    tag: &[&str],
) -> AppResult<i64> {
    get_or_create_tagged(
        conn,
        ("pick_sessions", "pick_session_tags", "pick_session_id"),
        uuid,
        creator,
        tag,
    )
    .await
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
