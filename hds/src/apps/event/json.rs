//! Event and pick-session representations.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::apps::json::{
    audit, harvester, location, tag_names, EmptyHarvester, EmptyLocation, Location,
    NestedHarvester, EMPTY_HARVESTER, EMPTY_LOCATION,
};

/// `[{url, object}]` for report rows whose `<fk>` (`event_id` or `pick_session_id`) is in
/// `ids_sql` (a subquery or a single id), over every report kind that links it.
fn related_union(fk: &str, ids_sql: &str, rank: u8) -> String {
    // Jobs share their event with their results (§4.2: `/jobs/`, "Job").
    let jobs = (fk == "event_id").then_some(("jobs", "/jobs/", "Job"));
    crate::reports::kinds()
        .into_iter()
        .filter(|k| match fk {
            "event_id" => k.event_tag.is_some(),
            _ => k.pick_session_tag.is_some(),
        })
        .filter_map(|k| k.related.as_ref().map(|r| (k.table, r.route, r.label)))
        .chain(jobs)
        .map(|(table, url, label)| {
            format!(
                "SELECT {rank} AS rank, x.id, json_build_object('url', '{url}' || x.id || '/', 'object', '{label}') AS o \
                 FROM {table} x WHERE x.{fk} IN ({ids_sql})",
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ")
}

/// Related objects of event `e`, then those of its secondary events (one level).
pub fn event_related_objects(e: &str) -> String {
    let own = related_union("event_id", &format!("{e}.id"), 0);
    let secondary = related_union(
        "event_id",
        &format!("SELECT to_event_id FROM event_secondary_events WHERE from_event_id = {e}.id"),
        1,
    );
    format!("COALESCE((SELECT json_agg(r.o ORDER BY r.rank, r.id) FROM ({own} UNION ALL {secondary}) r), '[]'::json)")
}

/// Files of event `e` and of its secondary events. `url` is `{bucket, key}` here; the handler
/// replaces it with a presigned link after the permission check (see `s3file::links`). The
/// event ids are one array so the `event_id` index applies (an `OR` with a subquery read every
/// file: 7 ms per event at 100,000 files).
pub fn event_related_files(e: &str) -> String {
    format!(
        "COALESCE((SELECT json_agg(json_build_object('url', json_build_object('bucket', f.bucket, 'key', f.\"key\"), \
         'filetype', f.filetype) ORDER BY f.event_id <> {e}.id, f.id) FROM s3_files f \
         WHERE NOT f.deleted AND f.event_id = ANY(ARRAY(SELECT {e}.id UNION ALL \
           SELECT to_event_id FROM event_secondary_events WHERE from_event_id = {e}.id))), '[]'::json)"
    )
}

pub fn event(e: &str) -> String {
    format!(
        "json_build_object('id', {e}.id, 'tags', {tags}, {audit}, 'UUID', {e}.uuid, \
         'secondary_events', COALESCE((SELECT json_agg(s.to_event_id ORDER BY s.to_event_id) \
            FROM event_secondary_events s WHERE s.from_event_id = {e}.id), '[]'::json), \
         'related_objects', {objects}, 'related_files', {files})",
        tags = tag_names("event_tags", "event_id", &format!("{e}.id")),
        audit = audit(e),
        objects = event_related_objects(e),
        files = event_related_files(e),
    )
}

pub fn pick_session(p: &str) -> String {
    let (h, l) = (format!("{p}_h"), format!("{p}_l"));
    let objects = related_union("pick_session_id", &format!("{p}.id"), 0);
    format!(
        "json_build_object('id', {p}.id, 'tags', {tags}, {audit}, 'UUID', {p}.uuid, \
         'start_time', hds_ts({p}.start_time), 'session_length', hds_duration({p}.session_length_us), \
         'harvester', COALESCE((SELECT {hj} FROM harvesters {h} WHERE {h}.id = {p}.harvester_id), {EMPTY_HARVESTER}), \
         'location', COALESCE((SELECT {lj} FROM locations {l} WHERE {l}.id = {p}.location_id), {EMPTY_LOCATION}), \
         'related_objects', COALESCE((SELECT json_agg(r.o ORDER BY r.rank, r.id) FROM ({objects}) r), '[]'::json))",
        tags = tag_names("pick_session_tags", "pick_session_id", &format!("{p}.id")),
        audit = audit(p),
        hj = harvester(&h),
        lj = location(&l),
    )
}

/// `{url, object}`: `url` is a web-app route (e.g. `/errorreports/3/`), not an API path.
#[derive(Serialize, Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct RelatedObject {
    pub url: String,
    pub object: String,
}

/// A file of an event: `url` is a presigned download link (null if it could not be made).
#[derive(Serialize, Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct RelatedFile {
    pub url: Option<String>,
    pub filetype: String,
}

audited! {
/// An event ([`event`]).
pub struct Event {
    pub id: i64,
    pub tags: Vec<String>,
    #[serde(rename = "UUID")]
    pub uuid: String,
    /// Ids of the events this one links to.
    pub secondary_events: Vec<i64>,
    pub related_objects: Vec<RelatedObject>,
    pub related_files: Vec<RelatedFile>,
}
}

/// A pick session's harvester, or the empty stand-in when it has none.
#[derive(Serialize, Deserialize, ToSchema, Debug)]
#[serde(untagged)]
pub enum PickSessionHarvester {
    Harvester(Box<NestedHarvester>),
    Missing(Box<EmptyHarvester>),
}

/// A pick session's location, or the empty stand-in when it has none.
#[derive(Serialize, Deserialize, ToSchema, Debug)]
#[serde(untagged)]
pub enum PickSessionLocation {
    Location(Box<Location>),
    Missing(EmptyLocation),
}

audited! {
/// A pick session ([`pick_session`]).
pub struct PickSession {
    pub id: i64,
    pub tags: Vec<String>,
    #[serde(rename = "UUID")]
    pub uuid: String,
    pub start_time: Option<String>,
    /// `HH:MM:SS.ffffff`
    pub session_length: Option<String>,
    pub harvester: PickSessionHarvester,
    pub location: PickSessionLocation,
    pub related_objects: Vec<RelatedObject>,
}
}
