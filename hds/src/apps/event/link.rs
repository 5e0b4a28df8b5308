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
    get_or_create_tagged(conn, EVENTS, uuid, creator, tag).await
}

/// `(table, join_table, fk)` of a UUID-keyed table and its tags.
type Tables = (&'static str, &'static str, &'static str);
const EVENTS: Tables = ("events", "event_tags", "event_id");
const PICK_SESSIONS: Tables = ("pick_sessions", "pick_session_tags", "pick_session_id");

/// A row got or created by [`get_or_create_sql`].
#[derive(diesel::QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    uuid: String,
    #[diesel(sql_type = BigInt)]
    tag_known: i64,
}

/// CTEs `{p}_rows(id, uuid)` and `{p}_tag(id)`: the `table` rows with the UUIDs in parameter
/// `$uuids` (parameter `$creators[i]` creates `$uuids[i]`), tagged with the tag named in
/// parameter `$tag`. Sorted so concurrent batches take conflicting rows in the same order.
fn get_or_create_sql(
    (table, join_table, fk): Tables,
    p: &str,
    uuids: u8,
    creators: u8,
    tag: u8,
) -> String {
    format!(
        "{p}_input AS (SELECT DISTINCT ON (u) u, c FROM unnest(${uuids}::text[], ${creators}::bigint[]) \
           AS i(u, c) ORDER BY u), \
         {p}_created AS (INSERT INTO {table} (uuid, creator_id) SELECT u, c FROM {p}_input ORDER BY u \
           ON CONFLICT (uuid) DO NOTHING RETURNING id, uuid), \
         {p}_found AS (SELECT t.id, t.uuid FROM {table} t JOIN {p}_input ON t.uuid = {p}_input.u), \
         {p}_rows AS (SELECT id, uuid FROM {p}_created UNION ALL SELECT id, uuid FROM {p}_found), \
         {p}_tag AS (SELECT id FROM tags WHERE name = ${tag}), \
         {p}_linked AS (INSERT INTO {join_table} ({fk}, tag_id) SELECT {p}_rows.id, {p}_tag.id \
           FROM {p}_rows, {p}_tag ORDER BY {p}_rows.id ON CONFLICT DO NOTHING)"
    )
}

/// What one statement found or created for `tables`, completed: rows another transaction
/// committed after the statement's snapshot are read now, and rows are tagged one by one
/// when the tag did not exist yet. Returns UUID → id.
async fn complete(
    conn: &mut AsyncPgConnection,
    (table, join_table, fk): Tables,
    uuids: &[String],
    rows: Vec<Row>,
    tag: &str,
) -> AppResult<HashMap<String, i64>> {
    let tag_known = rows.iter().any(|r| r.tag_known > 0);
    let mut ids: HashMap<String, i64> = rows.into_iter().map(|r| (r.uuid, r.id)).collect();
    let mut untagged: Vec<i64> = match tag_known {
        true => Vec::new(),
        false => ids.values().copied().collect(),
    };
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
                "SELECT '' AS kind, id, uuid::text AS uuid, 0::bigint AS tag_known FROM {table} \
                 WHERE uuid = ANY($1)"
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
    get_or_create_many(conn, EVENTS, uuids, creators, tag).await
}

/// Pick sessions by UUID, created where new and tagged `tag`.
pub async fn pick_sessions_by_uuid(
    conn: &mut AsyncPgConnection,
    uuids: &[String],
    creators: &[i64],
    tag: &str,
) -> AppResult<HashMap<String, i64>> {
    get_or_create_many(conn, PICK_SESSIONS, uuids, creators, tag).await
}

async fn get_or_create_many(
    conn: &mut AsyncPgConnection,
    tables: Tables,
    uuids: &[String],
    creators: &[i64],
    tag: &str,
) -> AppResult<HashMap<String, i64>> {
    let sql = format!(
        "WITH {} SELECT '' AS kind, id, uuid::text AS uuid, (SELECT count(*) FROM t_tag) AS tag_known \
         FROM t_rows",
        get_or_create_sql(tables, "t", 1, 2, 3)
    );
    let binds = [
        Bind::Texts(uuids.to_vec()),
        Bind::Ints(creators.to_vec()),
        Bind::Text(tag.to_string()),
    ];
    let rows: Vec<Row> = cached_rows(conn, &sql, &binds).await?;
    complete(conn, tables, uuids, rows, tag).await
}

/// A batch of reports' events and pick sessions (UUID → id each), got or created and tagged
/// `event_tag` / `session_tag` in one statement (`creators[i]` creates the i-th of each).
pub async fn events_and_pick_sessions(
    conn: &mut AsyncPgConnection,
    (event_uuids, session_uuids): (&[String], &[String]),
    creators: &[i64],
    (event_tag, session_tag): (&str, &str),
) -> AppResult<(HashMap<String, i64>, HashMap<String, i64>)> {
    let sql = format!(
        "WITH {}, {} \
         SELECT 'e' AS kind, id, uuid::text AS uuid, (SELECT count(*) FROM e_tag) AS tag_known FROM e_rows \
         UNION ALL \
         SELECT 'p', id, uuid::text, (SELECT count(*) FROM p_tag) FROM p_rows",
        get_or_create_sql(EVENTS, "e", 1, 2, 3),
        get_or_create_sql(PICK_SESSIONS, "p", 4, 2, 5),
    );
    let binds = [
        Bind::Texts(event_uuids.to_vec()),
        Bind::Ints(creators.to_vec()),
        Bind::Text(event_tag.to_string()),
        Bind::Texts(session_uuids.to_vec()),
        Bind::Text(session_tag.to_string()),
    ];
    let rows: Vec<Row> = cached_rows(conn, &sql, &binds).await?;
    let (events, sessions): (Vec<Row>, Vec<Row>) = rows.into_iter().partition(|r| r.kind == "e");
    let events = complete(conn, EVENTS, event_uuids, events, event_tag).await?;
    let sessions = complete(conn, PICK_SESSIONS, session_uuids, sessions, session_tag).await?;
    Ok((events, sessions))
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
