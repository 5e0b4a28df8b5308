//! Storing a batch of reports in one transaction: harvesters, replays by ingest key, events
//! and pick sessions, the reports with their tags and secondary events, then the create
//! answers' representations (see `batch.rs` for how batches form).

use std::collections::HashMap;

use diesel::sql_types::{BigInt, Json, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::Value;

use super::batch::{Stored, Submission};
use super::harvesters::HarvesterCache;
use super::read::{self, Harvester, HarvesterRef};
use super::statements::Statements;
use super::ReportKind;
use crate::api::sql::{cached_rows, Bind};
use crate::apps::event::link;
use crate::apps::tags;
use crate::error::{AppError, AppResult};

/// What a writer stores into: the kind, its statements and the harvester cache.
pub(super) struct Target<'a> {
    pub(super) kind: &'static ReportKind,
    pub(super) statements: &'a Statements,
    pub(super) harvesters: &'a HarvesterCache,
}

/// A stored report's id by its ingest key.
#[derive(diesel::QueryableByName)]
struct KeyedId {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    ingest_key: String,
}

/// A report of the batch on its way to the database.
struct Row<'a> {
    sub: &'a Submission,
    harvester: Harvester,
    key: String,
    event_uuid: String,
    pick_session_uuid: String,
}

/// Stores a batch in one transaction. The outer error means "nothing was stored, retry one by
/// one"; an inner error is one report's own answer (e.g. an unknown harvester).
pub(super) async fn store_batch(
    conn: &mut AsyncPgConnection,
    target: &Target<'_>,
    subs: &[Submission],
) -> AppResult<Vec<AppResult<Stored>>> {
    let refs: Vec<&HarvesterRef> = subs.iter().map(|s| &s.parsed.harvester).collect();
    let harvesters = target.harvesters.resolve(conn, &refs).await?;
    let kind = target.kind;
    let mut results: Vec<Option<AppResult<Stored>>> = (0..subs.len()).map(|_| None).collect();
    let mut rows: Vec<(usize, Row)> = Vec::new();
    for (i, sub) in subs.iter().enumerate() {
        match harvesters.get(&sub.parsed.harvester) {
            None => results[i] = Some(Err(read::harvester_missing())),
            Some(&harvester) => rows.push((
                i,
                Row {
                    sub,
                    harvester,
                    key: read::ingest_key(
                        kind.key_prefix,
                        &sub.identity,
                        &sub.parsed,
                        harvester.id,
                    ),
                    event_uuid: sub.parsed.uuid.clone().unwrap_or_else(link::new_uuid),
                    pick_session_uuid: sub
                        .parsed
                        .pick_session_uuid
                        .clone()
                        .unwrap_or_else(link::new_uuid),
                },
            )),
        }
    }

    // Redeliveries answer with the stored row and create nothing (D23).
    let keys: Vec<String> = rows.iter().map(|(_, r)| r.key.clone()).collect();
    let known = ids_by_key(conn, target.statements, &keys).await?;
    let mut new_rows: Vec<&Row> = Vec::new();
    let mut first_of_key: HashMap<&str, usize> = HashMap::new();
    let mut same_as: Vec<(usize, &str)> = Vec::new();
    for (i, row) in &rows {
        if let Some(&id) = known.get(&row.key) {
            if let Some(source) = &row.sub.source {
                record_source(conn, target.statements, id, source).await?;
            }
            results[*i] = Some(Ok(replayed(id)));
        } else if first_of_key.contains_key(row.key.as_str()) {
            // The same report twice in one batch: the second is a redelivery of the first.
            same_as.push((*i, row.key.as_str()));
        } else {
            first_of_key.insert(&row.key, *i);
            new_rows.push(row);
        }
    }

    let (inserted, mut detail_of) = if new_rows.is_empty() {
        (HashMap::new(), HashMap::new())
    } else {
        let inserted = conn
            .transaction::<_, AppError, _>(async |conn| {
                let absorbed = match kind.absorbs_repeats {
                    true => absorb_repeats(conn, kind, &new_rows).await?,
                    false => HashMap::new(),
                };
                let fresh: Vec<&Row> = new_rows
                    .iter()
                    .filter(|r| !absorbed.contains_key(&r.key))
                    .copied()
                    .collect();
                let mut out = HashMap::new();
                if !fresh.is_empty() {
                    let links = link_uuids(conn, kind, &fresh).await?;
                    if kind.owns_pick_session || kind.session_span.is_some() {
                        fill_pick_sessions(conn, &fresh, &links).await?;
                    }
                    out = insert_rows(conn, target, &fresh, &links).await?;
                }
                out.extend(absorbed.into_iter().map(|(key, id)| (key, (id, false))));
                Ok(out)
            })
            .await?;
        // The answers' representations are read after the commit: the transaction (and the
        // locks on pick sessions that reports arriving together share) ends sooner.
        let created: Vec<i64> = inserted
            .values()
            .filter(|(_, created)| *created)
            .map(|(id, _)| *id)
            .collect();
        let details = details(conn, target.statements, &created).await?;
        (inserted, details)
    };
    for (key, &i) in &first_of_key {
        let &(id, created) = inserted
            .get(*key)
            .ok_or_else(|| AppError::internal("a batched report was neither stored nor found"))?;
        results[i] = Some(Ok(match created {
            true => Stored {
                id,
                created,
                detail: detail_of.remove(&id),
            },
            false => replayed(id),
        }));
    }
    for (i, key) in same_as {
        let &(id, _) = inserted
            .get(key)
            .ok_or_else(|| AppError::internal("a batched report was neither stored nor found"))?;
        results[i] = Some(Ok(replayed(id)));
    }
    Ok(results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(AppError::internal("a batched report got no answer"))))
        .collect())
}

fn replayed(id: i64) -> Stored {
    Stored {
        id,
        created: false,
        detail: None,
    }
}

/// The event and pick session ids of the rows, in row order (empty when the kind does not
/// link them).
struct Links {
    events: Vec<i64>,
    sessions: Vec<i64>,
}

/// Gets or creates (and tags) the rows' events and pick sessions, as the kind links them.
async fn link_uuids(
    conn: &mut AsyncPgConnection,
    kind: &ReportKind,
    rows: &[&Row<'_>],
) -> AppResult<Links> {
    let creators: Vec<i64> = rows.iter().map(|r| r.sub.creator).collect();
    let event_uuids: Vec<String> = rows.iter().map(|r| r.event_uuid.clone()).collect();
    let session_uuids: Vec<String> = rows.iter().map(|r| r.pick_session_uuid.clone()).collect();
    let (events, sessions) = match (kind.event_tag, kind.pick_session_tag) {
        (Some(e), Some(p)) => {
            link::events_and_pick_sessions(conn, (&event_uuids, &session_uuids), &creators, (e, p))
                .await?
        }
        (Some(e), None) => (
            link::events_by_uuid(conn, &event_uuids, &creators, e).await?,
            HashMap::new(),
        ),
        (None, Some(p)) => (
            HashMap::new(),
            link::pick_sessions_by_uuid(conn, &session_uuids, &creators, p).await?,
        ),
        (None, None) => (HashMap::new(), HashMap::new()),
    };

    let lookup = |m: &HashMap<String, i64>, uuid: &str| {
        m.get(uuid)
            .copied()
            .ok_or_else(|| AppError::internal(format!("{uuid}: neither found nor created")))
    };
    let mut links = Links {
        events: Vec::new(),
        sessions: Vec::new(),
    };
    for r in rows {
        if kind.event_tag.is_some() {
            links.events.push(lookup(&events, &r.event_uuid)?);
        }
        if kind.pick_session_tag.is_some() {
            links
                .sessions
                .push(lookup(&sessions, &r.pick_session_uuid)?);
        }
    }
    Ok(links)
}

/// Rows whose `data` equals their harvester's previous report (by report time) are not stored:
/// the previous row is touched instead. Returns ingest key → the previous row's id.
async fn absorb_repeats(
    conn: &mut AsyncPgConnection,
    kind: &ReportKind,
    rows: &[&Row<'_>],
) -> AppResult<HashMap<String, i64>> {
    #[derive(diesel::QueryableByName)]
    struct Repeat {
        #[diesel(sql_type = BigInt)]
        n: i64,
        #[diesel(sql_type = BigInt)]
        id: i64,
    }
    let sql = format!(
        "WITH i AS (SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[]) \
           WITH ORDINALITY AS i(h, t, j, n)), \
         repeat AS (SELECT i.n, prev.id FROM i CROSS JOIN LATERAL (SELECT v.id, v.report -> 'data' AS data \
           FROM {table} v WHERE v.harvester_id = i.h AND v.report_time <= i.t \
           ORDER BY v.report_time DESC, v.id DESC LIMIT 1) prev \
           WHERE prev.data = (i.j::jsonb) -> 'data'), \
         touched AS (UPDATE {table} SET last_modified = now() WHERE id IN (SELECT id FROM repeat)) \
         SELECT n, id FROM repeat",
        table = kind.table
    );
    let binds = [
        Bind::Ints(rows.iter().map(|r| r.harvester.id).collect()),
        Bind::Times(rows.iter().map(|r| r.sub.parsed.report_time).collect()),
        Bind::Texts(rows.iter().map(|r| r.sub.text.to_string()).collect()),
    ];
    let repeats: Vec<Repeat> = cached_rows(conn, &sql, &binds).await?;
    Ok(repeats
        .into_iter()
        .filter_map(|r| {
            let row = rows.get(usize::try_from(r.n - 1).ok()?)?;
            Some((row.key.clone(), r.id))
        })
        .collect())
}

/// Fills the rows' pick sessions: harvester and location where empty, and the span where the
/// kind reads one.
async fn fill_pick_sessions(
    conn: &mut AsyncPgConnection,
    rows: &[&Row<'_>],
    links: &Links,
) -> AppResult<()> {
    #[derive(diesel::QueryableByName)]
    struct Filled {
        #[diesel(sql_type = BigInt)]
        #[allow(dead_code)]
        id: i64,
    }
    let span = |r: &Row<'_>| r.sub.parsed.session_span;
    let binds = [
        Bind::Ints(links.sessions.clone()),
        Bind::Ints(rows.iter().map(|r| r.harvester.id).collect()),
        Bind::Ints(rows.iter().map(|r| r.harvester.location_id).collect()),
        Bind::OptTexts(
            rows.iter()
                .map(|r| span(r).map(|(start, _)| start.to_rfc3339()))
                .collect(),
        ),
        Bind::OptTexts(
            rows.iter()
                .map(|r| {
                    span(r).and_then(|(start, end)| {
                        (end - start).num_microseconds().map(|us| us.to_string())
                    })
                })
                .collect(),
        ),
    ];
    let _: Vec<Filled> = cached_rows(
        conn,
        "UPDATE pick_sessions p SET harvester_id = COALESCE(p.harvester_id, i.h), \
           location_id = COALESCE(p.location_id, i.l), \
           start_time = COALESCE(i.s::timestamptz, p.start_time), \
           session_length_us = COALESCE(i.len::bigint, p.session_length_us), last_modified = now() \
         FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::text[]) AS i(p, h, l, s, len) \
         WHERE p.id = i.p RETURNING p.id",
        &binds,
    )
    .await?;
    Ok(())
}

/// The reports, their tags and secondary events; returns ingest key → (id, created now).
async fn insert_rows(
    conn: &mut AsyncPgConnection,
    target: &Target<'_>,
    rows: &[&Row<'_>],
    links: &Links,
) -> AppResult<HashMap<String, (i64, bool)>> {
    let kind = target.kind;
    let mut binds = vec![
        Bind::Ints(rows.iter().map(|r| r.harvester.location_id).collect()),
        Bind::Ints(rows.iter().map(|r| r.harvester.id).collect()),
        Bind::Times(rows.iter().map(|r| r.sub.parsed.report_time).collect()),
        Bind::Texts(rows.iter().map(|r| r.sub.text.to_string()).collect()),
        Bind::Texts(rows.iter().map(|r| r.key.clone()).collect()),
        Bind::Ints(rows.iter().map(|r| r.sub.creator).collect()),
        Bind::OptTexts(
            rows.iter()
                .map(|r| {
                    r.sub
                        .source
                        .as_ref()
                        .map(|s| s.chars().take(1300).collect())
                })
                .collect(),
        ),
    ];
    if kind.event_tag.is_some() {
        binds.push(Bind::Ints(links.events.clone()));
    }
    if kind.pick_session_tag.is_some() {
        binds.push(Bind::Ints(links.sessions.clone()));
    }
    for i in 0..kind.columns.len() {
        binds.push(Bind::OptTexts(
            rows.iter()
                .map(|r| r.sub.parsed.columns.get(i).cloned().flatten())
                .collect(),
        ));
    }
    let inserted: Vec<KeyedId> = cached_rows(conn, &target.statements.insert, &binds).await?;
    let mut out: HashMap<String, (i64, bool)> = inserted
        .into_iter()
        .map(|r| (r.ingest_key, (r.id, true)))
        .collect();

    // Lost races with concurrent deliveries of the same reports: answer with their rows.
    let raced: Vec<String> = rows
        .iter()
        .filter(|r| !out.contains_key(&r.key))
        .map(|r| r.key.clone())
        .collect();
    if !raced.is_empty() {
        for (key, id) in ids_by_key(conn, target.statements, &raced).await? {
            out.insert(key, (id, false));
        }
    }
    let (tag_table, tag_fk) = kind.tags;
    for (n, r) in rows.iter().enumerate() {
        let Some(&(id, true)) = out.get(&r.key) else {
            continue;
        };
        tags::add(conn, tag_table, tag_fk, id, &r.sub.parsed.tags).await?;
        if let (true, Some(&event_id)) = (kind.aux_events, links.events.get(n)) {
            link::secondary_events(conn, event_id, &r.sub.parsed.aux_uuids, Some(r.sub.creator))
                .await?;
        }
    }
    Ok(out)
}

async fn ids_by_key(
    conn: &mut AsyncPgConnection,
    statements: &Statements,
    keys: &[String],
) -> AppResult<HashMap<String, i64>> {
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<KeyedId> =
        cached_rows(conn, &statements.ids_by_key, &[Bind::Texts(keys.to_vec())]).await?;
    Ok(rows.into_iter().map(|r| (r.ingest_key, r.id)).collect())
}

/// Remembers which S3 object a report came from (first delivery wins).
async fn record_source(
    conn: &mut AsyncPgConnection,
    statements: &Statements,
    id: i64,
    source: &str,
) -> AppResult<()> {
    #[derive(diesel::QueryableByName)]
    struct Updated {
        #[diesel(sql_type = BigInt)]
        #[allow(dead_code)]
        id: i64,
    }
    let _: Vec<Updated> = cached_rows(
        conn,
        &statements.record_source,
        &[Bind::Int(id), Bind::Text(source.to_string())],
    )
    .await?;
    Ok(())
}

/// Detail representations (without the report body) of new reports, in one query.
pub(super) async fn details(
    conn: &mut AsyncPgConnection,
    statements: &Statements,
    ids: &[i64],
) -> AppResult<HashMap<i64, Value>> {
    #[derive(diesel::QueryableByName)]
    struct Detail {
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = Json)]
        data: Value,
    }
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<Detail> =
        cached_rows(conn, &statements.details, &[Bind::Ints(ids.to_vec())]).await?;
    Ok(rows.into_iter().map(|r| (r.id, r.data)).collect())
}
