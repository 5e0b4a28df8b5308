//! The asset gauges of `/metrics`, read from the database when it is scraped (the original's
//! `refresh_asset_gauges`, never stale).

use diesel_async::AsyncPgConnection;
use serde_json::Value;

use crate::api::sql::json_rows;
use crate::error::AppResult;

/// `hds_asset_harvester_id` (the harvester number, −1 when on none) and
/// `harvester_asset_robot_id` (the index, −1 when on none) per asset, as the original exports
/// them; read from the assets table when `/metrics` is scraped, so they are never stale.
pub async fn gauges(conn: &mut AsyncPgConnection) -> AppResult<String> {
    let rows = json_rows(
        conn,
        "SELECT json_build_object('type', t.name, 'sn', a.serial_number, 'rev', COALESCE(a.version, ''), \
           'fruit', COALESCE(f.name, ''), 'harv_id', COALESCE(h.harv_id, -1), \
           'index', CASE WHEN h.id IS NULL THEN -1 ELSE a.\"index\" END) AS data \
         FROM assets a JOIN asset_types t ON t.id = a.asset_type_id \
         LEFT JOIN harvesters h ON h.id = a.harvester_id LEFT JOIN fruits f ON f.id = h.fruit_id \
         ORDER BY t.name, a.serial_number"
            .to_string(),
        &[],
    )
    .await?;
    let mut harv = String::from(
        "# HELP hds_asset_harvester_id Harvester number an asset is on (-1: none)\n# TYPE hds_asset_harvester_id gauge\n",
    );
    let mut robot = String::from(
        "# HELP harvester_asset_robot_id Index an asset is at on its harvester (-1: none)\n# TYPE harvester_asset_robot_id gauge\n",
    );
    for r in rows {
        let label = |k: &str| {
            r.get(k)
                .and_then(Value::as_str)
                .unwrap_or("")
                .replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('\n', "\\n")
        };
        let labels = format!(
            "asset_type=\"{}\",serial_number=\"{}\",revision=\"{}\",fruit=\"{}\"",
            label("type"),
            label("sn"),
            label("rev"),
            label("fruit")
        );
        let num = |k: &str| r.get(k).and_then(Value::as_i64).unwrap_or(-1);
        harv.push_str(&format!(
            "hds_asset_harvester_id{{{labels}}} {}\n",
            num("harv_id")
        ));
        robot.push_str(&format!(
            "harvester_asset_robot_id{{{labels}}} {}\n",
            num("index")
        ));
    }
    // Entries of each harvester's latest asset report that name no serial number.
    let missing = json_rows(
        conn,
        "SELECT json_build_object('harv_id', h.harv_id, 'index', COALESCE(e ->> 'index', ''), \
           'type', COALESCE(e ->> 'asset', ''), \
           'missing', NOT jsonb_exists(e, 'asset-tag') OR e -> 'asset-tag' = 'null'::jsonb) AS data \
         FROM (SELECT DISTINCT ON (harvester_id) harvester_id, report FROM asset_reports \
               ORDER BY harvester_id, report_time DESC, id DESC) r \
         JOIN harvesters h ON h.id = r.harvester_id, \
         jsonb_array_elements(CASE WHEN jsonb_typeof(r.report -> 'data') = 'array' \
           THEN r.report -> 'data' ELSE '[]'::jsonb END) e \
         WHERE jsonb_typeof(e) = 'object' ORDER BY 1::text"
            .to_string(),
        &[],
    )
    .await?;
    let mut sn = String::from(
        "# HELP hds_asset_missing_sn Whether the harvester's latest asset report names no serial number at this index (1) or does (0)\n# TYPE hds_asset_missing_sn gauge\n",
    );
    for r in missing {
        let label = |k: &str| match r.get(k) {
            Some(Value::String(s)) => s
                .replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('\n', "\\n"),
            Some(v) => v.to_string(),
            None => String::new(),
        };
        let flag = r.get("missing").and_then(Value::as_bool).unwrap_or(false);
        sn.push_str(&format!(
            "hds_asset_missing_sn{{harv_id=\"{}\",index=\"{}\",asset_type=\"{}\"}} {}\n",
            label("harv_id"),
            label("index"),
            label("type"),
            u8::from(flag)
        ));
    }
    Ok(harv + &robot + &sn)
}
