//! Plain tables `loaddata` fills from Django fixtures: which fixture field goes to which
//! column, typed, and the many-to-many fields that become join rows.

use chrono::{DateTime, Utc};
use diesel::sql_types::{BigInt, Bool, Double, Integer, Jsonb, Nullable, Text, Timestamptz};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::{Map, Value};

use super::loaddata::pk_int;

/// How a fixture value becomes a column value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Int,
    BigInt,
    Float,
    Text,
    Bool,
    Time,
    Json,
    /// Django duration text (`HH:MM:SS.ffffff`, optionally `D HH:…`) → microseconds.
    DurationUs,
    /// Accepted and not stored (e.g. the reference's release link before releases exist).
    Ignore,
}

#[derive(Debug, PartialEq, Eq)]
pub struct TableSpec {
    pub model: &'static str,
    pub table: &'static str,
    /// Column the fixture `pk` goes to; `None` for join rows keyed by their columns.
    pub pk: Option<&'static str>,
    /// Conflict target for the upsert.
    pub conflict: &'static str,
    pub rank: u8,
    pub columns: &'static [(&'static str, &'static str, Kind)],
    /// `(field, join table, this side's column, other side's column)`.
    pub m2m: &'static [(&'static str, &'static str, &'static str, &'static str)],
    /// Columns set to fixed SQL values on insert (e.g. loaded reports need no extraction).
    pub constants: &'static [(&'static str, &'static str)],
}

const AUDIT: [(&str, &str, Kind); 4] = [
    ("creator", "creator_id", Kind::BigInt),
    ("modifiedBy", "modified_by_id", Kind::BigInt),
    ("created", "created", Kind::Time),
    ("lastModified", "last_modified", Kind::Time),
];

macro_rules! cols {
    ($($f:literal => $c:literal : $k:ident),* $(,)?) => {
        &[AUDIT[0], AUDIT[1], AUDIT[2], AUDIT[3], $(($f, $c, Kind::$k)),*]
    };
}

pub static TABLES: &[TableSpec] = &[
    TableSpec {
        model: "taggit.tag",
        table: "tags",
        pk: Some("id"),
        conflict: "id",
        rank: 0,
        columns: &[("name", "name", Kind::Text), ("slug", "slug", Kind::Text)],
        m2m: &[],
        constants: &[],
    },
    TableSpec {
        model: "harvester.fruit",
        table: "fruits",
        pk: Some("id"),
        conflict: "id",
        rank: 3,
        columns: cols!("name" => "name": Text),
        m2m: &[],
        constants: &[],
    },
    TableSpec {
        model: "location.distributor",
        table: "distributors",
        pk: Some("id"),
        conflict: "id",
        rank: 3,
        columns: cols!("name" => "name": Text),
        m2m: &[],
        constants: &[],
    },
    TableSpec {
        model: "location.location",
        table: "locations",
        pk: Some("id"),
        conflict: "id",
        rank: 4,
        columns: cols!("distributor" => "distributor_id": BigInt, "ranch" => "ranch": Text, "country" => "country": Text,
            "region" => "region": Text, "site_channel" => "site_channel": Text),
        m2m: &[],
        constants: &[],
    },
    TableSpec {
        model: "harvester.harvester",
        table: "harvesters",
        pk: Some("id"),
        conflict: "id",
        rank: 5,
        columns: cols!("harv_id" => "harv_id": Int, "fruit" => "fruit_id": BigInt, "location" => "location_id": BigInt,
            "name" => "name": Text, "is_emulator" => "is_emulator": Bool, "thingName" => "thing_name": Text,
            "release" => "release_id": BigInt),
        m2m: &[],
        constants: &[],
    },
    TableSpec {
        model: "harvester.historicalharvester",
        table: "harvester_history",
        pk: Some("history_id"),
        conflict: "history_id",
        rank: 6,
        columns: cols!("id" => "id": BigInt, "harv_id" => "harv_id": Int, "fruit" => "fruit_id": BigInt,
            "location" => "location_id": BigInt, "name" => "name": Text, "is_emulator" => "is_emulator": Bool,
            "thingName" => "thing_name": Text, "release" => "release_id": BigInt, "history_date" => "history_date": Time,
            "history_change_reason" => "history_change_reason": Text, "history_type" => "history_type": Text,
            "history_user" => "history_user_id": BigInt),
        m2m: &[],
        constants: &[],
    },
    TableSpec {
        model: "event.event",
        table: "events",
        pk: Some("id"),
        conflict: "id",
        rank: 6,
        columns: cols!("UUID" => "uuid": Text),
        m2m: &[(
            "secondary_events",
            "event_secondary_events",
            "from_event_id",
            "to_event_id",
        )],
        constants: &[],
    },
    TableSpec {
        model: "event.eventtag",
        table: "event_tags",
        pk: None,
        conflict: "event_id, tag_id",
        rank: 7,
        columns: &[
            ("content_object", "event_id", Kind::BigInt),
            ("tag", "tag_id", Kind::BigInt),
        ],
        m2m: &[],
        constants: &[],
    },
    TableSpec {
        model: "event.picksession",
        table: "pick_sessions",
        pk: Some("id"),
        conflict: "id",
        rank: 6,
        columns: cols!("UUID" => "uuid": Text, "harvester" => "harvester_id": BigInt, "location" => "location_id": BigInt,
            "start_time" => "start_time": Time, "session_length" => "session_length_us": DurationUs),
        m2m: &[],
        constants: &[],
    },
    TableSpec {
        model: "event.picksessiontag",
        table: "pick_session_tags",
        pk: None,
        conflict: "pick_session_id, tag_id",
        rank: 7,
        columns: &[
            ("content_object", "pick_session_id", Kind::BigInt),
            ("tag", "tag_id", Kind::BigInt),
        ],
        m2m: &[],
        constants: &[],
    },
    TableSpec {
        model: "exceptions.aftexceptioncodemanifest",
        table: "exception_code_manifests",
        pk: Some("id"),
        conflict: "id",
        rank: 3,
        columns: cols!("version" => "version": Text, "manifest" => "manifest": Json),
        m2m: &[],
        constants: &[("applied_at", "now()")],
    },
    TableSpec {
        model: "exceptions.aftexceptioncode",
        table: "exception_codes",
        pk: Some("id"),
        conflict: "id",
        rank: 4,
        columns: cols!("code" => "code": Int, "name" => "name": Text, "msg" => "msg": Text, "team" => "team": Text,
            "cycle" => "cycle": Bool, "operator_msg" => "operator_msg": Text, "manifest" => "manifest_id": BigInt),
        m2m: &[],
        constants: &[],
    },
    TableSpec {
        model: "errorreport.errorreport",
        table: "error_reports",
        pk: Some("id"),
        conflict: "id",
        rank: 8,
        columns: cols!("reportTime" => "report_time": Time, "report" => "report": Json, "event" => "event_id": BigInt,
            "location" => "location_id": BigInt, "harvester" => "harvester_id": BigInt, "githash" => "githash": Text,
            "gitbranch" => "gitbranch": Text, "pick_session" => "pick_session_id": BigInt),
        m2m: &[],
        // Loaded reports come with their exceptions; nothing to extract or announce.
        constants: &[("extraction_status", "'done'"), ("notified_at", "now()")],
    },
    TableSpec {
        model: "exceptions.aftexception",
        table: "exceptions",
        pk: Some("id"),
        conflict: "id",
        rank: 9,
        columns: cols!("code" => "code_id": BigInt, "service" => "service": Text, "node" => "node": Int, "robot" => "robot": Int,
            "traceback" => "traceback": Text, "info" => "info": Text, "timestamp" => "\"timestamp\"": Time,
            "report" => "report_id": BigInt, "handled" => "handled": Bool, "primary" => "\"primary\"": Bool),
        m2m: &[],
        constants: &[],
    },
    TableSpec {
        model: "notifications.notification",
        table: "notifications",
        pk: Some("id"),
        conflict: "id",
        rank: 8,
        columns: cols!("trigger_on" => "trigger_on": Text, "criteria" => "criteria": Json),
        m2m: &[(
            "recipients",
            "notification_recipients",
            "notification_id",
            "user_id",
        )],
        constants: &[],
    },
    TableSpec {
        model: "s3file.s3file",
        table: "s3_files",
        pk: Some("id"),
        conflict: "id",
        rank: 7,
        // `file` is the original's storage path, the same as `key` for S3 objects.
        columns: cols!("event" => "event_id": BigInt, "key" => "\"key\"": Text, "filetype" => "filetype": Text,
            "file" => "file": Ignore),
        m2m: &[],
        constants: &[],
    },
    // ── the other report kinds, assets, releases and jobs ─────────────────────────────────
    TableSpec {
        model: "harvdeploy.harvestercoderelease",
        table: "harvester_code_releases",
        pk: Some("id"),
        conflict: "id",
        rank: 4,
        columns: cols!("version" => "version": Text, "release" => "release": Json, "fruit" => "fruit_id": BigInt),
        m2m: &[],
        constants: &[],
    },
    TableSpec {
        model: "harvdeploy.harvesterversionreport",
        table: "version_reports",
        pk: Some("id"),
        conflict: "id",
        rank: 8,
        columns: cols!("reportTime" => "report_time": Time, "report" => "report": Json,
            "location" => "location_id": BigInt, "harvester" => "harvester_id": BigInt,
            "is_dirty" => "is_dirty": Bool, "has_unexpected" => "has_unexpected": Bool),
        m2m: &[],
        constants: &[],
    },
    TableSpec {
        model: "harvjobs.jobtype",
        table: "job_types",
        pk: Some("id"),
        conflict: "id",
        rank: 3,
        columns: cols!("name" => "name": Text),
        m2m: &[],
        constants: &[],
    },
    TableSpec {
        model: "harvjobs.jobschema",
        table: "job_schemas",
        pk: Some("id"),
        conflict: "id",
        rank: 4,
        columns: cols!("jobtype" => "job_type_id": BigInt, "schema" => "schema": Json,
            "version" => "version": Text, "comment" => "comment": Text),
        m2m: &[],
        constants: &[],
    },
    TableSpec {
        model: "harvjobs.job",
        table: "jobs",
        pk: Some("id"),
        conflict: "id",
        rank: 8,
        columns: cols!("event" => "event_id": BigInt, "schema" => "schema_id": BigInt,
            "target" => "target_id": BigInt, "payload" => "payload": Json, "jobstatus" => "jobstatus": Text),
        m2m: &[],
        constants: &[],
    },
    TableSpec {
        model: "harvjobs.historicaljob",
        table: "job_history",
        pk: Some("history_id"),
        conflict: "history_id",
        rank: 9,
        columns: cols!("id" => "id": BigInt, "event" => "event_id": BigInt, "schema" => "schema_id": BigInt,
            "target" => "target_id": BigInt, "payload" => "payload": Json, "jobstatus" => "jobstatus": Text,
            "history_date" => "history_date": Time, "history_change_reason" => "history_change_reason": Text,
            "history_type" => "history_type": Text, "history_user" => "history_user_id": BigInt),
        m2m: &[],
        constants: &[],
    },
    TableSpec {
        model: "harvjobs.jobresults",
        table: "job_results",
        pk: Some("id"),
        conflict: "id",
        rank: 9,
        columns: cols!("reportTime" => "report_time": Time, "report" => "report": Json, "event" => "event_id": BigInt,
            "job" => "job_id": BigInt, "location" => "location_id": BigInt, "harvester" => "harvester_id": BigInt),
        m2m: &[],
        // Loaded results come with their host results.
        constants: &[("extraction_status", "'done'")],
    },
    TableSpec {
        model: "harvjobs.jobhostresult",
        table: "job_host_results",
        pk: Some("id"),
        conflict: "id",
        rank: 10,
        columns: cols!("parent" => "parent_id": BigInt, "host" => "host": Text, "result" => "result": Text,
            "details" => "details": Json, "timestamp" => "\"timestamp\"": Time),
        m2m: &[],
        constants: &[],
    },
    TableSpec {
        model: "harvassets.harvesterassettype",
        table: "asset_types",
        pk: Some("id"),
        conflict: "id",
        rank: 3,
        columns: cols!("name" => "name": Text),
        m2m: &[],
        constants: &[],
    },
    TableSpec {
        model: "harvassets.harvesterasset",
        table: "assets",
        pk: Some("id"),
        conflict: "id",
        rank: 6,
        columns: cols!("asset" => "asset_type_id": BigInt, "harvester" => "harvester_id": BigInt,
            "index" => "\"index\"": Int, "serial_number" => "serial_number": Text, "version" => "version": Text),
        m2m: &[],
        constants: &[],
    },
    TableSpec {
        model: "harvassets.historicalharvesterasset",
        table: "asset_history",
        pk: Some("history_id"),
        conflict: "history_id",
        rank: 7,
        columns: cols!("id" => "id": BigInt, "asset" => "asset_type_id": BigInt, "harvester" => "harvester_id": BigInt,
            "index" => "\"index\"": Int, "serial_number" => "serial_number": Text, "version" => "version": Text,
            "history_date" => "history_date": Time, "history_change_reason" => "history_change_reason": Text,
            "history_type" => "history_type": Text, "history_user" => "history_user_id": BigInt),
        m2m: &[],
        constants: &[],
    },
    TableSpec {
        model: "autodiagnostics.autodiagnosticsreport",
        table: "autodiagnostics_reports",
        pk: Some("id"),
        conflict: "id",
        rank: 8,
        columns: cols!("reportTime" => "report_time": Time, "report" => "report": Json, "event" => "event_id": BigInt,
            "pick_session" => "pick_session_id": BigInt, "location" => "location_id": BigInt,
            "harvester" => "harvester_id": BigInt, "result" => "result": Bool, "robot" => "robot": Int,
            "gripper_sn" => "gripper_sn": BigInt),
        m2m: &[],
        // Loaded reports come with their runs.
        constants: &[("extraction_status", "'done'")],
    },
    TableSpec {
        model: "autodiagnostics.autodiagnosticsrun",
        table: "autodiagnostics_runs",
        pk: Some("id"),
        conflict: "id",
        rank: 9,
        columns: cols!("report" => "report_id": BigInt, "gripper" => "gripper_id": BigInt, "robot_id" => "robot_id": Int,
            "run_timestamp" => "run_timestamp": Time, "ball_found_result" => "ball_found_result": Bool,
            "result" => "result": Bool, "template_match_result" => "template_match_result": Bool,
            "min_vac" => "min_vac": Float, "finger_open_value" => "finger_open_value": Float,
            "finger_closed_value" => "finger_closed_value": Float, "finger_delta" => "finger_delta": Float,
            "nominal_touch_force" => "nominal_touch_force": Float, "max_touch_force" => "max_touch_force": Float,
            "template_match_y_error" => "template_match_y_error": Float, "sensors" => "sensors": Json),
        m2m: &[],
        constants: &[],
    },
    TableSpec {
        model: "aftconfigs.configreport",
        table: "config_reports",
        pk: Some("id"),
        conflict: "id",
        rank: 8,
        columns: cols!("reportTime" => "report_time": Time, "report" => "report": Json, "event" => "event_id": BigInt,
            "location" => "location_id": BigInt, "harvester" => "harvester_id": BigInt),
        m2m: &[],
        constants: &[],
    },
];

fn parse_duration_us(s: &str) -> Option<i64> {
    let (days, rest) = match s.split_once(' ') {
        Some((d, r)) => (d.trim().parse::<i64>().ok()?, r),
        None => (0, s),
    };
    let mut parts = rest.split(':');
    let (h, m, sec) = (parts.next()?, parts.next()?, parts.next()?);
    let secs: f64 = sec.parse().ok()?;
    Some(
        ((days * 86_400 + h.parse::<i64>().ok()? * 3600 + m.parse::<i64>().ok()? * 60) as f64 * 1e6
            + secs * 1e6)
            .round() as i64,
    )
}

enum Val {
    I32(Option<i32>),
    I64(Option<i64>),
    F64(Option<f64>),
    Text(Option<String>),
    Bool(Option<bool>),
    Time(Option<DateTime<Utc>>),
    Json(Value),
}

fn convert(field: &str, kind: Kind, v: &Value) -> Result<Option<Val>, String> {
    let bad = |what: &str| format!("field {field:?} must be {what}, got {v}");
    if v.is_null() && kind != Kind::Json && kind != Kind::Ignore {
        return Ok(Some(match kind {
            Kind::Int => Val::I32(None),
            Kind::BigInt | Kind::DurationUs => Val::I64(None),
            Kind::Float => Val::F64(None),
            Kind::Text => Val::Text(None),
            Kind::Bool => Val::Bool(None),
            _ => Val::Time(None),
        }));
    }
    Ok(Some(match kind {
        Kind::Ignore => return Ok(None),
        Kind::Int => Val::I32(Some(
            v.as_i64()
                .and_then(|i| i32::try_from(i).ok())
                .ok_or_else(|| bad("an integer"))?,
        )),
        Kind::BigInt => Val::I64(Some(v.as_i64().ok_or_else(|| bad("an integer id"))?)),
        Kind::Float => Val::F64(Some(v.as_f64().ok_or_else(|| bad("a number"))?)),
        Kind::Text => Val::Text(Some(v.as_str().ok_or_else(|| bad("a string"))?.to_string())),
        Kind::Bool => Val::Bool(Some(v.as_bool().ok_or_else(|| bad("a boolean"))?)),
        Kind::Time => {
            let s = v.as_str().ok_or_else(|| bad("a datetime string"))?;
            Val::Time(Some(
                DateTime::parse_from_rfc3339(s)
                    .map_err(|_| bad("an ISO-8601 datetime"))?
                    .with_timezone(&Utc),
            ))
        }
        Kind::Json => Val::Json(v.clone()),
        Kind::DurationUs => Val::I64(Some(
            v.as_str()
                .and_then(parse_duration_us)
                .ok_or_else(|| bad("a duration HH:MM:SS"))?,
        )),
    }))
}

/// Upserts one fixture entry into `spec.table` and its join rows.
pub async fn load(
    conn: &mut AsyncPgConnection,
    spec: &TableSpec,
    pk: &Value,
    fields: &Map<String, Value>,
) -> Result<(), String> {
    let mut cols: Vec<String> = Vec::new();
    let mut vals: Vec<Val> = Vec::new();
    let id = match spec.pk {
        Some(col) => {
            let id = pk_int(pk)?;
            cols.push(col.to_string());
            vals.push(Val::I64(Some(id)));
            Some(id)
        }
        None => None,
    };
    for (field, col, kind) in spec.columns {
        if let Some(v) = fields.get(*field) {
            if let Some(val) = convert(field, *kind, v)? {
                cols.push(col.to_string());
                vals.push(val);
            }
        }
    }
    let placeholders: Vec<String> = (1..=vals.len()).map(|i| format!("${i}")).collect();
    let mut all_cols = cols.clone();
    let mut all_vals = placeholders.clone();
    for (col, sql) in spec.constants {
        all_cols.push(col.to_string());
        all_vals.push(sql.to_string());
    }
    let updates: Vec<String> = cols
        .iter()
        .filter(|c| spec.pk != Some(c.as_str()))
        .map(|c| format!("{c} = EXCLUDED.{c}"))
        .collect();
    let action = if spec.pk.is_none() || updates.is_empty() {
        "DO NOTHING".to_string()
    } else {
        format!("DO UPDATE SET {}", updates.join(", "))
    };
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({}) ON CONFLICT ({}) {action}",
        spec.table,
        all_cols.join(", "),
        all_vals.join(", "),
        spec.conflict
    );
    let mut q = diesel::sql_query(sql).into_boxed();
    for v in vals {
        q = match v {
            Val::I32(v) => q.bind::<Nullable<Integer>, _>(v),
            Val::I64(v) => q.bind::<Nullable<BigInt>, _>(v),
            Val::F64(v) => q.bind::<Nullable<Double>, _>(v),
            Val::Text(v) => q.bind::<Nullable<Text>, _>(v),
            Val::Bool(v) => q.bind::<Nullable<Bool>, _>(v),
            Val::Time(v) => q.bind::<Nullable<Timestamptz>, _>(v),
            Val::Json(v) => q.bind::<Jsonb, _>(v),
        };
    }
    q.execute(conn)
        .await
        .map_err(|e| format!("database: {e}"))?;
    for (field, join, this, other) in spec.m2m {
        let Some(list) = fields.get(*field) else {
            continue;
        };
        let ids = list
            .as_array()
            .ok_or_else(|| format!("field {field:?} must be a list of ids"))?;
        for other_id in ids {
            let other_id = other_id
                .as_i64()
                .ok_or_else(|| format!("field {field:?} must be a list of ids"))?;
            // Django's symmetrical self-relations list each side; both directions are stored.
            let symmetric = spec.table == "events";
            let sql = if symmetric {
                format!("INSERT INTO {join} ({this}, {other}) VALUES ($1, $2), ($2, $1) ON CONFLICT DO NOTHING")
            } else {
                format!(
                    "INSERT INTO {join} ({this}, {other}) VALUES ($1, $2) ON CONFLICT DO NOTHING"
                )
            };
            diesel::sql_query(sql)
                .bind::<BigInt, _>(id.unwrap_or_default())
                .bind::<BigInt, _>(other_id)
                .execute(conn)
                .await
                .map_err(|e| format!("database ({field}): {e}"))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration_us("00:38:40.870794"), Some(2_320_870_794));
        assert_eq!(parse_duration_us("1 00:00:01"), Some(86_401_000_000));
        assert_eq!(parse_duration_us("soon"), None);
    }
}
