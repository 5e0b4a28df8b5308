//! Column lengths, read once from the schema (`schema.rs`, the `diesel print-schema` output of
//! the migrations, with `#[max_length = n]` on every `varchar(n)`): text headed for such a column
//! is checked against `n` before it reaches PostgreSQL, and a longer value is a 400 naming the
//! field (docs/api-design.md#request-bodies). Request body types declare which of their fields
//! go to which column ([`Input`](crate::api::body::Input)); report kinds declare their columns
//! already.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde_json::Value;

use crate::error::{AppError, AppResult};

/// table → column → the column's `varchar` length.
static LENGTHS: LazyLock<HashMap<String, HashMap<String, usize>>> =
    LazyLock::new(|| parse(include_str!("../schema.rs")));

fn parse(schema: &str) -> HashMap<String, HashMap<String, usize>> {
    let mut out: HashMap<String, HashMap<String, usize>> = HashMap::new();
    let (mut table, mut max) = (None::<String>, None::<usize>);
    for line in schema.lines() {
        let trimmed = line.trim();
        if let Some(rest) = trimmed.strip_prefix("#[max_length = ") {
            max = rest.trim_end_matches(']').trim().parse().ok();
        } else if let Some((name, _)) = trimmed.split_once(" -> ") {
            if let (Some(t), Some(n)) = (&table, max.take()) {
                out.entry(t.clone())
                    .or_default()
                    .insert(name.trim().to_string(), n);
            }
        } else if trimmed.ends_with('{') && !trimmed.starts_with("diesel::") {
            // `table_name (primary key) {`
            table = trimmed.split_whitespace().next().map(str::to_string);
            max = None;
        }
    }
    out
}

/// The `varchar` length of `table.column`, if it has one.
pub fn max_len(table_column: &str) -> Option<usize> {
    let (table, column) = table_column.split_once('.')?;
    max_len_of(table, column)
}

/// The `varchar` length of `column` in `table`, if it has one.
pub fn max_len_of(table: &str, column: &str) -> Option<usize> {
    LENGTHS.get(table)?.get(column).copied()
}

/// Every `table.column` the schema gives a length.
pub fn known() -> Vec<String> {
    LENGTHS
        .iter()
        .flat_map(|(t, cs)| cs.keys().map(move |c| format!("{t}.{c}")))
        .collect()
}

/// `value`, headed for `table_column`, fits it; else a 400 naming `field`.
pub fn check_len(field: &str, value: &str, table_column: &str) -> AppResult<()> {
    fits(field, value, max_len(table_column))
}

/// `value`, headed for `column` of `table`, fits it; else a 400 naming `field`.
pub fn check_len_of(field: &str, value: &str, table: &str, column: &str) -> AppResult<()> {
    fits(field, value, max_len_of(table, column))
}

fn fits(field: &str, value: &str, max: Option<usize>) -> AppResult<()> {
    match max {
        // Bytes bound characters from above: most values are decided without counting.
        Some(n) if value.len() > n && value.chars().count() > n => Err(AppError::validation_field(
            field,
            format!("Ensure this field has no more than {n} characters."),
        )),
        _ => Ok(()),
    }
}

/// Checks the fields of a body against their columns: `(path, "table.column")`, where a path is
/// `name`, `profile.slack_id` (nested) or `tags[]` (every item of a list).
pub fn check(body: &Value, columns: &[(&str, &str)]) -> AppResult<()> {
    for (path, column) in columns {
        let (path, items) = match path.strip_suffix("[]") {
            Some(p) => (p, true),
            None => (*path, false),
        };
        let mut at = Some(body);
        for key in path.split('.') {
            at = at.and_then(|v| v.get(key));
        }
        match at {
            Some(Value::String(s)) if !items => check_len(path, s, column)?,
            Some(Value::Array(list)) if items => {
                for s in list.iter().filter_map(Value::as_str) {
                    check_len(path, s, column)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lengths_come_from_the_schema() {
        assert_eq!(max_len("users.username"), Some(150));
        assert_eq!(max_len("user_profiles.slack_id"), Some(64));
        assert_eq!(max_len("s3_files.key"), Some(1024));
        assert_eq!(max_len("users.nope"), None);
        assert_eq!(max_len("error_reports.report"), None, "not a varchar");
        assert!(known().len() > 40, "{:?}", known());
    }

    #[test]
    fn long_values_are_400s_naming_the_field() {
        let cols = [
            ("username", "users.username"),
            ("profile.slack_id", "user_profiles.slack_id"),
            ("tags[]", "tags.name"),
        ];
        assert!(check(&json!({"username": "a".repeat(150)}), &cols).is_ok());
        let err = check(&json!({"username": "é".repeat(151)}), &cols).unwrap_err();
        assert!(err.to_string().contains("username"), "{err}");
        let err = check(&json!({"profile": {"slack_id": "x".repeat(65)}}), &cols).unwrap_err();
        assert!(err.to_string().contains("profile.slack_id"), "{err}");
        let err = check(&json!({"tags": ["ok", "t".repeat(101)]}), &cols).unwrap_err();
        assert!(err.to_string().contains("tags"), "{err}");
        assert!(
            check(&json!({"username": 5, "tags": "x"}), &cols).is_ok(),
            "types are serde's"
        );
    }
}
