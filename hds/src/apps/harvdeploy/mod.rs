//! Version reports: what code each host of a harvester runs (docs/api-design.md#report-kinds),
//! and the code releases harvesters should run (their API arrives with the jobs work; the
//! table, the harvester's `release` and version-report `conflicts` are here).

pub mod kind;
pub mod pareto;
pub mod releases;
pub mod rollouts;

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

/// A wave of a rollout: its harvesters and their install jobs by status.
#[derive(serde::Serialize, serde::Deserialize, utoipa::ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct RolloutWave {
    pub wave: i32,
    /// The harvesters' `harv_id`s.
    pub harvesters: Vec<i64>,
    /// Install jobs by status (`{"Success": 3, "Pending": 1}`).
    pub jobs: Value,
}

audited! {
/// A staged rollout of a release: install jobs in waves, halted when the updated harvesters
/// report errors markedly more often than on their previous release.
pub struct ReleaseRollout {
    pub id: i64,
    /// Release id.
    pub release: i64,
    /// The install_release job schema used.
    pub schema: i64,
    /// `running`, `halted`, `done` or `cancelled`.
    pub status: String,
    /// Waves started so far.
    pub current_wave: i32,
    pub halt_ratio: f64,
    pub min_reports: i32,
    pub wave_minutes: i32,
    pub wave_started_at: Option<String>,
    pub halt_reason: Option<String>,
    /// The last comparison of error reports: `updated_harvesters`, `reports_on_release`,
    /// `reports_before`.
    pub evaluation: Option<Value>,
    pub waves: Vec<RolloutWave>,
}
}
