//! The asset manifest: every asset by harvester and type, posted to Slack by
//! `hds asset-manifest` (the original's `send_asset_manifest`).

use diesel_async::AsyncPgConnection;
use serde_json::Value;

use crate::api::sql::json_rows;
use crate::error::AppResult;

/// The asset manifest the original posts to Slack: per harvester (`"Harvester <harv_id>"`) and
/// asset type its assets (`serial number`, `index`, `rev`), and under `"unused"` those on no
/// harvester.
pub async fn manifest(conn: &mut AsyncPgConnection) -> AppResult<Value> {
    let rows = json_rows(
        conn,
        "SELECT json_build_object('harv_id', h.harv_id, 'type', t.name, 'sn', a.serial_number, \
           'index', a.\"index\", 'rev', a.version) AS data \
         FROM assets a JOIN asset_types t ON t.id = a.asset_type_id \
         LEFT JOIN harvesters h ON h.id = a.harvester_id \
         ORDER BY h.harv_id NULLS LAST, t.name, a.\"index\", a.serial_number"
            .to_string(),
        &[],
    )
    .await?;
    let mut out = serde_json::Map::new();
    for r in rows {
        let group = match r.get("harv_id").and_then(Value::as_i64) {
            Some(harv_id) => format!("Harvester {harv_id}"),
            None => "unused".to_string(),
        };
        let kind = r
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let entry = serde_json::json!({
            "serial number": r.get("sn"), "index": r.get("index"), "rev": r.get("rev"),
        });
        let by_type = out
            .entry(group)
            .or_insert_with(|| Value::Object(serde_json::Map::new()));
        if let Some(by_type) = by_type.as_object_mut() {
            if let Some(list) = by_type
                .entry(kind)
                .or_insert_with(|| Value::Array(Vec::new()))
                .as_array_mut()
            {
                list.push(entry);
            }
        }
    }
    Ok(Value::Object(out))
}

/// Posts the [`manifest`] to `channel` (`hds asset-manifest`, run on a schedule).
pub async fn send_manifest(
    conn: &mut AsyncPgConnection,
    slack: &crate::slack::Slack,
    channel: &str,
) -> anyhow::Result<Value> {
    let manifest = manifest(conn).await?;
    let text = format!(
        "*Asset manifest*\n```{}```",
        serde_json::to_string_pretty(&manifest)?
    );
    slack
        .post(serde_json::json!({"channel": channel, "text": text}))
        .await?;
    Ok(manifest)
}
