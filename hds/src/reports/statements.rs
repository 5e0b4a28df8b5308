//! The statements a kind's writers run, built once from its `ReportKind`: table and column
//! names come from the declaration (code, never a request); values are bound.

use super::ReportKind;

/// A kind's statements, built once from its declaration (trusted text only: table and column
/// names come from the `ReportKind`, values are bound).
pub(super) struct Statements {
    pub(super) insert: String,
    pub(super) ids_by_key: String,
    pub(super) record_source: String,
    pub(super) details: String,
    pub(super) report_text: String,
    pub(super) update: String,
}

impl Statements {
    pub(super) fn of(kind: &ReportKind) -> Statements {
        let mut columns = vec![
            "location_id",
            "harvester_id",
            "report_time",
            "report",
            "ingest_key",
            "creator_id",
            "source_object",
        ];
        let mut values: Vec<String> = ["l", "h", "t", "j::jsonb", "k", "c", "s"]
            .iter()
            .map(|v| v.to_string())
            .collect();
        let mut arrays = vec![
            "bigint",
            "bigint",
            "timestamptz",
            "text",
            "text",
            "bigint",
            "text",
        ];
        let mut names: Vec<String> = ["l", "h", "t", "j", "k", "c", "s"]
            .iter()
            .map(|v| v.to_string())
            .collect();
        for (linked, column, name) in [
            (kind.event_tag.is_some(), "event_id", "e"),
            (kind.pick_session_tag.is_some(), "pick_session_id", "p"),
        ] {
            if linked {
                columns.push(column);
                values.push(name.into());
                arrays.push("bigint");
                names.push(name.into());
            }
        }
        for (i, c) in kind.columns.iter().enumerate() {
            columns.push(c.name);
            values.push(format!("x{i}::{}", c.sql_type));
            arrays.push("text");
            names.push(format!("x{i}"));
        }
        let unnest = arrays
            .iter()
            .enumerate()
            .map(|(i, t)| format!("${}::{t}[]", i + 1))
            .collect::<Vec<_>>()
            .join(", ");
        Statements {
            // Sorted by key so concurrent batches meet conflicting rows in the same order.
            insert: format!(
                "INSERT INTO {table} ({columns}) SELECT {values} FROM unnest({unnest}) AS i({names}) \
                 ORDER BY k ON CONFLICT (ingest_key) DO NOTHING RETURNING id, ingest_key",
                table = kind.table,
                columns = columns.join(", "),
                values = values.join(", "),
                names = names.join(", "),
            ),
            ids_by_key: format!(
                "SELECT id, ingest_key FROM {} WHERE ingest_key = ANY($1)",
                kind.table
            ),
            record_source: format!(
                "UPDATE {} SET source_object = $2 WHERE id = $1 AND source_object IS NULL RETURNING id",
                kind.table
            ),
            details: (kind.details_sql)(),
            report_text: format!("SELECT id, report::text AS text FROM {} WHERE id = $1", kind.table),
            update: update_sql(kind),
        }
    }
}

/// `$1` id, `$2` harvester, `$3` location, `$4` time, `$5` body, `$6` modifier, then the
/// event (when linked) and the columns (each a one-element text array, cast to its type).
fn update_sql(kind: &ReportKind) -> String {
    let mut sets = vec![
        "harvester_id = $2".to_string(),
        "location_id = $3".into(),
        "report_time = $4".into(),
        "report = $5::jsonb".into(),
        "modified_by_id = $6".into(),
        "last_modified = now()".into(),
    ];
    let mut n = 6;
    if kind.event_tag.is_some() {
        n += 1;
        sets.push(format!("event_id = ${n}"));
    }
    for c in kind.columns {
        n += 1;
        sets.push(format!("{} = (${n}::text[])[1]::{}", c.name, c.sql_type));
    }
    format!(
        "UPDATE {} SET {} WHERE id = $1 RETURNING id",
        kind.table,
        sets.join(", ")
    )
}
