//! What every ingest path does with UUIDs: get-or-create the event / pick session, tag it,
//! and link secondary events.

use std::collections::HashMap;

use diesel::sql_types::{BigInt, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::api::sql::{cached_row, cached_rows, Bind};
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

/// Gets or creates the `table` rows with these UUIDs (`creators[i]` creates `uuids[i]`) and
/// tags them all with `tag`, in one statement whatever their number; returns UUID → id.
async fn get_or_create_many(
    conn: &mut AsyncPgConnection,
    (table, join_table, fk): (&str, &str, &str),
    uuids: &[String],
    creators: &[i64],
    tag: &str,
) -> AppResult<HashMap<String, i64>> {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = Text)]
        uuid: String,
        #[diesel(sql_type = BigInt)]
        tag_known: i64,
    }
    // Sorted so concurrent batches take conflicting rows in the same order (no deadlock).
    let sql = format!(
        "WITH input AS (SELECT DISTINCT ON (u) u, c FROM unnest($1::text[], $2::bigint[]) AS i(u, c) ORDER BY u), \
         created AS (INSERT INTO {table} (uuid, creator_id) SELECT u, c FROM input ORDER BY u \
           ON CONFLICT (uuid) DO NOTHING RETURNING id, uuid), \
         found AS (SELECT t.id, t.uuid FROM {table} t JOIN input ON t.uuid = input.u), \
         rows AS (SELECT id, uuid FROM created UNION ALL SELECT id, uuid FROM found), \
         tag AS (SELECT id FROM tags WHERE name = $3), \
         linked AS (INSERT INTO {join_table} ({fk}, tag_id) SELECT rows.id, tag.id FROM rows, tag \
           ORDER BY rows.id ON CONFLICT DO NOTHING) \
         SELECT id, uuid::text AS uuid, (SELECT count(*) FROM tag) AS tag_known FROM rows"
    );
    let binds = [
        Bind::Texts(uuids.to_vec()),
        Bind::Ints(creators.to_vec()),
        Bind::Text(tag.to_string()),
    ];
    let rows: Vec<Row> = cached_rows(conn, &sql, &binds).await?;
    let tag_known = rows.iter().any(|r| r.tag_known > 0);
    let mut ids: HashMap<String, i64> = rows.into_iter().map(|r| (r.uuid, r.id)).collect();
    let mut untagged: Vec<i64> = match tag_known {
        true => Vec::new(),
        false => ids.values().copied().collect(),
    };
    // Rows another transaction committed after this statement's snapshot: read them now.
    let mut missing: Vec<String> = uuids
        .iter()
        .filter(|u| !ids.contains_key(*u))
        .cloned()
        .collect();
    missing.sort();
    missing.dedup();
    if !missing.is_empty() {
        // Same row shape as above; these are tagged one by one below whatever `tag_known` says.
        let found: Vec<Row> = cached_rows(
            conn,
            &format!(
                "SELECT id, uuid::text AS uuid, 0::bigint AS tag_known FROM {table} WHERE uuid = ANY($1)"
            ),
            &[Bind::Texts(missing)],
        )
        .await?;
        for f in found {
            untagged.push(f.id);
            ids.insert(f.uuid, f.id);
        }
    }
    for id in untagged {
        tags::add(conn, join_table, fk, id, &[tag]).await?;
    }
    Ok(ids)
}

/// Events by UUID, created where new and tagged `tag`.
pub async fn events_by_uuid(
    conn: &mut AsyncPgConnection,
    uuids: &[String],
    creators: &[i64],
    tag: &str,
) -> AppResult<HashMap<String, i64>> {
    let tables = ("events", "event_tags", "event_id");
    get_or_create_many(conn, tables, uuids, creators, tag).await
}

/// Pick sessions by UUID, created where new and tagged `tag`.
pub async fn pick_sessions_by_uuid(
    conn: &mut AsyncPgConnection,
    uuids: &[String],
    creators: &[i64],
    tag: &str,
) -> AppResult<HashMap<String, i64>> {
    let tables = ("pick_sessions", "pick_session_tags", "pick_session_id");
    get_or_create_many(conn, tables, uuids, creators, tag).await
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
