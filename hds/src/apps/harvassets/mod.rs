//! Physical assets (arms, grippers, gantries, tray changers): asset reports, the assets the
//! worker extracts from them with their history, `harvassets/` and the asset gauges
//! (docs/api-design.md#report-kinds; docs/compatibility.md#d14, docs/compatibility.md#d15).

pub mod assets;
pub mod gauges;
pub mod kind;
pub mod manifest;

use serde_json::Value;

use crate::apps::event::json::Event;
use crate::apps::json::NestedHarvester;

audited! {
/// An asset report: the assets a harvester says it carries. Kept after extraction (D14).
pub struct AssetReport {
    pub id: i64,
    pub tags: Vec<String>,
    #[serde(rename = "reportTime")]
    pub report_time: Option<String>,
    /// The report as received: `data` is a list of `{asset, index, asset-tag, version}`.
    pub report: Value,
    /// Location id.
    pub location: Option<i64>,
    pub harvester: Option<NestedHarvester>,
    pub event: Event,
}
}

audited! {
/// A kind of asset (`gripper`, `arm`, …).
pub struct AssetType {
    pub id: i64,
    pub name: String,
}
}

audited! {
/// An asset: unique by type and serial number; on a harvester at an index, or on none.
pub struct Asset {
    pub id: i64,
    pub asset: AssetType,
    /// Harvester id (null: not on a harvester).
    pub harvester: Option<i64>,
    pub index: i32,
    pub serial_number: String,
    pub version: Option<String>,
}
}
