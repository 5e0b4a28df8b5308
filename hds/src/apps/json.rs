//! SQL fragments that render representations shared by several apps. Each function takes the
//! alias of the row in the surrounding query and returns a `json_build_object(…)` expression.

/// `created, lastModified, creator, modifiedBy` of any audited row.
pub fn audit(a: &str) -> String {
    format!(
        "'created', hds_ts({a}.created), 'lastModified', hds_ts({a}.last_modified), \
         'creator', {a}.creator_id, 'modifiedBy', {a}.modified_by_id"
    )
}

pub fn distributor(a: &str) -> String {
    format!(
        "json_build_object('id', {a}.id, {}, 'name', {a}.name)",
        audit(a)
    )
}

pub fn fruit(a: &str) -> String {
    format!(
        "json_build_object('id', {a}.id, {}, 'name', {a}.name)",
        audit(a)
    )
}

/// A location with its distributor nested.
pub fn location(a: &str) -> String {
    let d = format!("{a}_d");
    format!(
        "json_build_object('id', {a}.id, {audit}, 'ranch', {a}.ranch, 'country', {a}.country, \
         'region', {a}.region, 'site_channel', {a}.site_channel, \
         'distributor', (SELECT {dj} FROM distributors {d} WHERE {d}.id = {a}.distributor_id))",
        audit = audit(a),
        dj = distributor(&d)
    )
}

/// A harvester with fruit and location nested (docs/api-design.md#fruits-and-harvesters).
pub fn harvester(a: &str) -> String {
    let (f, l, v, x) = (
        format!("{a}_f"),
        format!("{a}_l"),
        format!("{a}_v"),
        format!("{a}_x"),
    );
    format!(
        "json_build_object('id', {a}.id, {audit}, 'harv_id', {a}.harv_id, 'name', {a}.name, \
         'is_emulator', {a}.is_emulator, 'thingName', {a}.thing_name, \
         'fruit', (SELECT {fj} FROM fruits {f} WHERE {f}.id = {a}.fruit_id), \
         'location', (SELECT {lj} FROM locations {l} WHERE {l}.id = {a}.location_id), \
         'release', (SELECT {xj} FROM harvester_code_releases {x} WHERE {x}.id = {a}.release_id), \
         'harvester_history', '/harvesterhistory/?harv_id=' || {a}.harv_id, \
         'version_history', 'versions/', 'assets', 'assets/', 'config', 'config/', \
         'version', (SELECT {vj} FROM version_reports {v} WHERE {v}.harvester_id = {a}.id \
           ORDER BY {v}.report_time DESC, {v}.id DESC LIMIT 1))",
        audit = audit(a),
        fj = fruit(&f),
        lj = location(&l),
        vj = crate::apps::harvdeploy::kind::representation(&v, &format!("{v}.report")),
        xj = crate::apps::harvdeploy::release(&x),
    )
}

/// Tag names of a row: `join_table(fk, tag_id)`.
pub fn tag_names(join_table: &str, fk: &str, id_expr: &str) -> String {
    format!(
        "COALESCE((SELECT json_agg(t.name ORDER BY t.name) FROM {join_table} jt JOIN tags t ON t.id = jt.tag_id \
         WHERE jt.{fk} = {id_expr}), '[]'::json)"
    )
}

/// What the reference renders for a missing nested harvester/location on pick sessions.
pub const EMPTY_HARVESTER: &str =
    "json_build_object('harv_id', NULL, 'name', '', 'is_emulator', false, \
     'thingName', '', 'fruit', NULL, 'location', NULL, 'release', NULL)";
pub const EMPTY_LOCATION: &str =
    "json_build_object('ranch', '', 'country', '', 'region', '', 'site_channel', '', 'distributor', NULL)";

/// A harvester as `harvesters/` shows it: the nested form plus its newest error report and
/// that report's primary exception (one index probe on `(harvester_id, report_time)`).
pub fn harvester_with_last_report(a: &str) -> String {
    let r = format!("{a}_lr");
    format!(
        "(({base})::jsonb || jsonb_build_object('last_report', (SELECT jsonb_build_object('id', {r}.id, \
         'reportTime', hds_ts({r}.report_time), 'error', (SELECT jsonb_build_object('code', c.code, 'name', c.name, \
         'service', x.service, 'robot', x.robot) FROM exceptions x LEFT JOIN exception_codes c ON c.id = x.code_id \
         WHERE x.report_id = {r}.id AND x.\"primary\" LIMIT 1)) FROM error_reports {r} \
         WHERE {r}.harvester_id = {a}.id ORDER BY {r}.report_time DESC NULLS LAST LIMIT 1)))::json",
        base = harvester(a)
    )
}

// ── Output types of the shared fragments above ──────────────────────────────────────────
// Each declares what its SQL renders (docs/api-design.md#one-source-of-truth); the test suite
// checks every answer against them, both ways.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

audited! {
/// A distributor ([`distributor`]).
pub struct Distributor {
    pub id: i64,
    pub name: String,
}
}

audited! {
/// A fruit ([`fruit`]).
pub struct Fruit {
    pub id: i64,
    pub name: String,
}
}

audited! {
/// A location with its distributor ([`location`]).
pub struct Location {
    pub id: i64,
    pub ranch: Option<String>,
    pub country: Option<String>,
    pub region: Option<String>,
    pub site_channel: String,
    pub distributor: Distributor,
}
}

audited! {
/// A harvester nested in another representation ([`harvester`]): fruit and location nested,
/// the history, versions, assets and config as links; `release` and `version` are null until
/// releases are recorded.
pub struct NestedHarvester {
    pub id: i64,
    pub harv_id: i32,
    pub name: Option<String>,
    pub is_emulator: bool,
    #[serde(rename = "thingName")]
    pub thing_name: Option<String>,
    pub fruit: Fruit,
    pub location: Location,
    pub release: Option<crate::apps::harvdeploy::Release>,
    pub harvester_history: String,
    pub version_history: String,
    pub assets: String,
    pub config: String,
    /// The latest version report.
    pub version: Option<crate::apps::harvdeploy::VersionReport>,
}
}

/// What a pick session without a harvester shows in its place ([`EMPTY_HARVESTER`]).
#[derive(Serialize, Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct EmptyHarvester {
    pub harv_id: Option<i32>,
    pub name: String,
    pub is_emulator: bool,
    #[serde(rename = "thingName")]
    pub thing_name: String,
    pub fruit: Option<Value>,
    pub location: Option<Value>,
    pub release: Option<Value>,
}

/// What a pick session without a location shows in its place ([`EMPTY_LOCATION`]).
#[derive(Serialize, Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct EmptyLocation {
    pub ranch: String,
    pub country: String,
    pub region: String,
    pub site_channel: String,
    pub distributor: Option<Value>,
}
