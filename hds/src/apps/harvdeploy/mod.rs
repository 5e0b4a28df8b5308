//! Version reports: what code each host of a harvester runs (docs/api-design.md#report-kinds),
//! and the code releases harvesters should run (their API arrives with the jobs work; the
//! table, the harvester's `release` and version-report `conflicts` are here).

pub mod kind;
pub mod releases;

use serde_json::Value;

use crate::apps::json::{audit, fruit, tag_names, Fruit};

/// A code release, as nested in harvesters: manifest, tags and fruit.
pub fn release(x: &str) -> String {
    let f = format!("{x}_f");
    format!(
        "json_build_object('id', {x}.id, 'tags', {tags}, {audit}, 'version', {x}.version, \
         'release', {x}.release, 'fruit', (SELECT {fj} FROM fruits {f} WHERE {f}.id = {x}.fruit_id))",
        tags = tag_names("release_tags", "release_id", &format!("{x}.id")),
        audit = audit(x),
        fj = fruit(&f),
    )
}

audited! {
/// A code release: the manifest CI posted (`release`), its version, fruit and tags.
pub struct Release {
    pub id: i64,
    pub tags: Vec<String>,
    pub version: String,
    /// The release manifest (per host type its version and packages).
    pub release: Value,
    pub fruit: Fruit,
}
}

audited! {
/// A version report: per host (`master`, `aft-robot01`, …) its version or the error reading it.
pub struct VersionReport {
    pub id: i64,
    pub tags: Vec<String>,
    #[serde(rename = "reportTime")]
    pub report_time: Option<String>,
    /// The report as received.
    pub report: Value,
    /// Some host has uncommitted changes.
    pub is_dirty: bool,
    /// Some host has unexpected files.
    pub has_unexpected: bool,
    /// Location id.
    pub location: Option<i64>,
    /// Harvester id.
    pub harvester: Option<i64>,
    /// `{"error": "No release"}` when the harvester has no release; else the hosts whose
    /// version differs from the release's or that report an error.
    pub conflicts: Value,
}
}
