//! Assets: extracted from asset reports by the worker, read and corrected through
//! `harvassets/`, exported as gauges on `/metrics`. Every change is kept in `asset_history` by a
//! trigger (migration `report_kinds`).

use actix_web::{web, HttpRequest, HttpResponse};
use diesel_async::AsyncPgConnection;
use futures_util::future::BoxFuture;
use futures_util::FutureExt;
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::api::body::{Body, Db};
use crate::api::envelope::Ctx;
use crate::api::filters::{Param, ParamType, Query, CREATED_AFTER, CREATED_BEFORE};
use crate::api::sql::{cached_rows, json_rows, list_page, one, Bind, Listing, Where};
use crate::apps::json::audit;
use crate::error::{AppError, AppResult};
use crate::reports::extraction::StoredReport;
use crate::reports::read::text_of;

pub fn representation(a: &str) -> String {
    let t = format!("{a}_t");
    format!(
        "json_build_object('id', {a}.id, {audit}, 'asset', (SELECT json_build_object('id', {t}.id, {taudit}, \
           'name', {t}.name) FROM asset_types {t} WHERE {t}.id = {a}.asset_type_id), \
         'harvester', {a}.harvester_id, 'index', {a}.\"index\", 'serial_number', {a}.serial_number, \
         'version', {a}.version)",
        audit = audit(a),
        taudit = audit(&t),
    )
}

#[derive(diesel::QueryableByName)]
struct Id {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    #[allow(dead_code)]
    id: i64,
}

/// One entry of an asset report, as stored.
#[derive(Debug, PartialEq)]
pub struct Entry {
    pub asset_type: String,
    pub index: i32,
    pub serial_number: String,
    pub version: Option<String>,
}

/// The entries of an asset report's `data`; entries without an `asset-tag` (serial number) or a
/// readable index are skipped (and logged).
pub fn entries(report: &Value) -> Vec<Entry> {
    let Some(list) = report.get("data").and_then(Value::as_array) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|e| {
            let asset_type = e
                .get("asset")
                .and_then(Value::as_str)?
                .chars()
                .take(31)
                .collect();
            let index = e
                .get("index")
                .and_then(|v| {
                    v.as_i64()
                        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
                })
                .and_then(|i| i32::try_from(i).ok())?;
            let Some(serial_number) = text_of(e.get("asset-tag")) else {
                tracing::info!(asset = %asset_type, index, "asset without a serial number skipped");
                return None;
            };
            Some(Entry {
                asset_type,
                index,
                serial_number: serial_number.chars().take(63).collect(),
                version: text_of(e.get("version")).map(|v| v.chars().take(31).collect()),
            })
        })
        .collect()
}

/// Places each asset of a claimed report on its harvester at its index (`hds_place_assets`,
/// one statement for the report): whatever asset of that type was there is taken off, the
/// asset is created or moved, its version updated when given. Idempotent: unchanged assets are
/// not written again. One harvester's reports are placed one at a time, and a report older
/// than one already placed changes nothing (docs/api-design.md#report-kinds).
pub fn extract<'a>(
    conn: &'a mut AsyncPgConnection,
    row: &'a StoredReport,
) -> BoxFuture<'a, AppResult<()>> {
    async move {
        let entries = entries(&row.report);
        if entries.is_empty() {
            return Ok(());
        }
        let (mut types, mut indexes, mut serials, mut versions) = (vec![], vec![], vec![], vec![]);
        for e in entries {
            types.push(e.asset_type);
            indexes.push(i64::from(e.index));
            serials.push(e.serial_number);
            versions.push(e.version);
        }
        let _: Vec<Id> = cached_rows(
            conn,
            "SELECT 0::bigint AS id FROM hds_place_assets($1, $2, $3, $4::text[], $5::integer[], $6::text[], $7::text[])",
            &[
                Bind::Int(row.id),
                Bind::OptInt(row.harvester_id),
                Bind::OptInt(row.creator_id),
                Bind::Texts(types),
                Bind::Ints(indexes),
                Bind::Texts(serials),
                Bind::OptTexts(versions),
            ],
        )
        .await?;
        Ok(())
    }
    .boxed()
}

/// Filters of `harvassets/`.
pub const FILTERS: &[Param] = &[
    CREATED_AFTER,
    CREATED_BEFORE,
    Param::new("asset__name", ParamType::Text, "Of this type (`gripper`)."),
    Param::new(
        "harvester__harv_id",
        ParamType::Int,
        "On the harvester with this number.",
    ),
    Param::new(
        "harvester__location__ranch",
        ParamType::Text,
        "On harvesters at this ranch.",
    ),
    Param::new("serial_number", ParamType::Text, "With this serial number."),
];

pub const ORDERINGS: &[(&str, &str)] = &[
    ("id", "a.id"),
    ("index", "a.\"index\""),
    ("serial_number", "a.serial_number"),
    ("created", "a.created"),
    ("lastModified", "a.last_modified"),
];

fn apply(q: &Query, w: &mut Where) -> AppResult<()> {
    w.created(q, "a")?;
    if let Some(name) = q.get("asset__name") {
        w.add(
            "a.asset_type_id = ANY(ARRAY(SELECT id FROM asset_types WHERE name = ?))",
            [Bind::Text(name.to_string())],
        );
    }
    if let Some(harv_id) = q.int("harvester__harv_id")? {
        w.add(
            "a.harvester_id = ANY(ARRAY(SELECT id FROM harvesters WHERE harv_id = ?))",
            [Bind::Int(harv_id)],
        );
    }
    if let Some(ranch) = q.get("harvester__location__ranch") {
        w.add(
            "a.harvester_id = ANY(ARRAY(SELECT h.id FROM harvesters h JOIN locations l ON l.id = h.location_id WHERE l.ranch = ?))",
            [Bind::Text(ranch.to_string())],
        );
    }
    if let Some(sn) = q.get("serial_number") {
        w.add("a.serial_number = ?", [Bind::Text(sn.to_string())]);
    }
    Ok(())
}

pub async fn list(ctx: Ctx, req: HttpRequest, mut db: Db) -> AppResult<HttpResponse> {
    let q = Query::parse(req.query_string());
    let mut w = Where::default();
    apply(&q, &mut w)?;
    let json = representation("a");
    let l = Listing {
        from: "assets a",
        json: &json,
        id: "a.id",
        orderings: ORDERINGS,
        default_order: "a.id",
    };
    Ok(ctx.ok(list_page(&mut db, &req, &l, &w).await?))
}

pub async fn retrieve(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    Ok(ctx.ok(get(&mut db, *id).await?))
}

async fn get(conn: &mut AsyncPgConnection, id: i64) -> AppResult<Value> {
    one(
        conn,
        "assets a",
        &representation("a"),
        "a.id",
        id,
        "HarvesterAsset",
    )
    .await
}

/// A correction of an asset (superusers): the fields given change, the others stay.
#[derive(Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct AssetInput {
    /// Harvester id.
    pub harvester: Option<i64>,
    pub index: Option<i32>,
    pub serial_number: Option<String>,
    pub version: Option<String>,
}

impl crate::api::body::Input for AssetInput {
    const COLUMNS: &'static [(&'static str, &'static str)] = &[
        ("serial_number", "assets.serial_number"),
        ("version", "assets.version"),
    ];
}

pub async fn update(
    ctx: Ctx,
    mut db: Db,
    id: web::Path<i64>,
    Body(input): Body<AssetInput>,
) -> AppResult<HttpResponse> {
    let me = ctx.caller()?.user_id;
    if let Some(sn) = &input.serial_number {
        crate::apps::not_blank(sn, "serial_number")?;
        if sn.chars().count() > 63 {
            return Err(AppError::validation_field(
                "serial_number",
                "Ensure this field has no more than 63 characters.",
            ));
        }
    }
    let rows = json_rows(
        &mut db,
        "UPDATE assets SET harvester_id = COALESCE($2, harvester_id), \
           \"index\" = COALESCE($3::integer, \"index\"), serial_number = COALESCE(($4::text[])[1], serial_number), \
           version = COALESCE(($5::text[])[1], version), modified_by_id = $6, last_modified = now() \
         WHERE id = $1 RETURNING json_build_object('id', id) AS data"
            .to_string(),
        &[
            Bind::Int(*id),
            Bind::OptInt(input.harvester),
            Bind::OptInt(input.index.map(i64::from)),
            Bind::OptTexts(vec![input.serial_number.clone()]),
            Bind::OptTexts(vec![input.version.clone()]),
            Bind::Int(me),
        ],
    )
    .await?;
    if rows.is_empty() {
        return Err(AppError::not_found("HarvesterAsset"));
    }
    Ok(ctx.ok(get(&mut db, *id).await?))
}

/// `harvassets/{id}/history/`: every state the asset was in, newest first.
pub async fn history(
    ctx: Ctx,
    req: HttpRequest,
    mut db: Db,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    get(&mut db, *id).await?;
    let mut w = Where::default();
    w.add("x.id = ?", [Bind::Int(*id)]);
    let json = "json_build_object('history_id', x.history_id, 'history_date', hds_ts(x.history_date), \
         'history_type', x.history_type, 'history_user', x.history_user_id, 'id', x.id, \
         'harvester', x.harvester_id, 'harv_id', (SELECT h.harv_id FROM harvesters h WHERE h.id = x.harvester_id), \
         'index', x.\"index\", 'serial_number', x.serial_number, 'version', x.version)";
    let l = Listing {
        from: "asset_history x",
        json,
        id: "x.history_id",
        orderings: &[],
        default_order: "x.history_date DESC, x.history_id DESC",
    };
    Ok(ctx.message(
        &format!("Asset {} history", *id),
        list_page(&mut db, &req, &l, &w).await?,
    ))
}

/// One state of an asset (`harvassets/{id}/history/`).
#[derive(serde::Serialize, Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct AssetState {
    pub history_id: i64,
    pub history_date: String,
    /// `+` created, `~` changed, `-` deleted.
    pub history_type: String,
    /// Who made the change (user id).
    pub history_user: Option<i64>,
    /// The asset.
    pub id: i64,
    /// Harvester id then.
    pub harvester: Option<i64>,
    /// Its harvester number then.
    pub harv_id: Option<i32>,
    pub index: Option<i32>,
    pub serial_number: Option<String>,
    pub version: Option<String>,
}

pub async fn destroy(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    crate::apps::delete_row(&mut db, "assets", *id, "HarvesterAsset").await?;
    Ok(ctx.deleted())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn entries_read_serials_of_either_type_and_skip_untagged_ones() {
        let report = json!({"data": [
            {"asset": "arm", "index": 2, "asset-tag": "SA-040", "version": null},
            {"asset": "gripper", "index": "1", "asset-tag": 13, "version": "B01"},
            {"asset": "gantry", "index": 1},
            "not an entry"
        ]});
        assert_eq!(
            entries(&report),
            vec![
                Entry {
                    asset_type: "arm".into(),
                    index: 2,
                    serial_number: "SA-040".into(),
                    version: None
                },
                Entry {
                    asset_type: "gripper".into(),
                    index: 1,
                    serial_number: "13".into(),
                    version: Some("B01".into())
                },
            ]
        );
    }
}
