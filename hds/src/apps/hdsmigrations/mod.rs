//! Migrations run from the API (`migrations/`, basename `hdsmigrations`;
//! docs/api-design.md#migrations): a manager's `GET migrations/migrate/` records a pending
//! [`MigrationLog`] and queues it; the worker ([`execute`]) applies the embedded migrations
//! (`db::migrate`, which holds the migration advisory lock, so two runs never apply migrations
//! at the same time) and records the outcome on the log. `migrations/applied/` lists the
//! schema migrations this binary knows and when each was applied.

pub mod handlers;

use chrono::Utc;
use diesel::migration::MigrationSource;
use diesel::pg::Pg;
use serde_json::Value;

use crate::api::sql::{json_rows, one, Bind};
use crate::apps::json::audit;
use crate::error::{AppError, AppResult};
use diesel_async::AsyncPgConnection;

/// The commit this server runs: `GITHASH` from the environment, else the commit the binary was
/// built from (`build.rs`), else `UNKNOWN` (§4.16). At most 40 characters (its column).
pub fn githash() -> String {
    let hash = std::env::var("GITHASH")
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| env!("HDS_BUILD_GITHASH").to_string());
    hash.chars().take(40).collect()
}

/// `result` of a log: `pending` until the worker has run it.
pub const RESULTS: &[&str] = &["failed", "pending", "success"];

audited! {
/// A run of the migrations ([`repr`]). `startTime`/`endTime` are spelled as the reference's
/// model fields.
pub struct MigrationLog {
    pub id: i64,
    /// `pending`, `success` or `failed`.
    pub result: String,
    #[serde(rename = "startTime")]
    pub start_time: Option<String>,
    #[serde(rename = "endTime")]
    pub end_time: Option<String>,
    /// What the run did: the last successful githash before it (or `INITIAL`), then each
    /// migration applied, or the error.
    pub output: Option<String>,
    /// The commit of the server that queued the run.
    pub githash: String,
    /// Names of the migrations this run applied (beyond the reference).
    pub applied: Vec<String>,
}
}

/// `migrations/migrate/`: the log the run is recorded on.
#[derive(serde::Serialize, serde::Deserialize, utoipa::ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct MigrationQueued {
    pub id: i64,
}

/// One schema migration (`migrations/applied/`, beyond the reference).
#[derive(serde::Serialize, serde::Deserialize, utoipa::ToSchema, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SchemaMigration {
    /// Diesel's version: the directory name's date and number without dashes.
    pub version: String,
    /// The directory under `hds/migrations/`; `null` for a migration applied by a build that
    /// this one does not know.
    pub name: Option<String>,
    /// When it was applied; `null` while it is pending.
    pub run_on: Option<String>,
}

pub const FROM: &str = "migration_logs m";

pub fn repr(m: &str) -> String {
    format!(
        "json_build_object('id', {m}.id, {audit}, 'result', {m}.result, \
         'startTime', hds_ts({m}.start_time), 'endTime', hds_ts({m}.end_time), \
         'output', {m}.output, 'githash', {m}.githash, 'applied', to_json({m}.applied))",
        audit = audit(m)
    )
}

pub async fn get(conn: &mut AsyncPgConnection, id: i64) -> AppResult<Value> {
    one(conn, FROM, &repr("m"), "m.id", id, "MigrationLog").await
}

/// `(version, name)` of every migration embedded in this binary, oldest first.
pub fn embedded() -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = MigrationSource::<Pg>::migrations(&crate::db::MIGRATIONS)
        .map(|ms| {
            ms.iter()
                .map(|m| (m.name().version().to_string(), m.name().to_string()))
                .collect()
        })
        .unwrap_or_default();
    all.sort();
    all
}

/// The migrations this binary embeds and those the database records, by version: applied ones
/// with their time, pending ones with none.
pub async fn schema_migrations(conn: &mut AsyncPgConnection) -> AppResult<Vec<SchemaMigration>> {
    let rows = json_rows(
        conn,
        "SELECT json_build_object('version', version, 'run_on', hds_ts(run_on::timestamptz)) AS data \
         FROM __diesel_schema_migrations"
            .to_string(),
        &[],
    )
    .await?;
    let mut applied: std::collections::BTreeMap<String, Option<String>> = rows
        .into_iter()
        .filter_map(|r| {
            let v = r.get("version")?.as_str()?.to_string();
            Some((v, r.get("run_on").and_then(Value::as_str).map(String::from)))
        })
        .collect();
    let mut out: Vec<SchemaMigration> = embedded()
        .into_iter()
        .map(|(version, name)| SchemaMigration {
            run_on: applied.remove(&version).flatten(),
            version,
            name: Some(name),
        })
        .collect();
    out.extend(
        applied
            .into_iter()
            .map(|(version, run_on)| SchemaMigration {
                version,
                name: None,
                run_on,
            }),
    );
    out.sort_by(|a, b| a.version.cmp(&b.version));
    Ok(out)
}

/// How long a worker running a log holds it; one that died leaves it to the next after this.
/// Two workers that both take it do not run migrations together: `db::migrate` waits for the
/// migration lock, and only the first outcome is recorded.
const LEASE_SECONDS: f64 = 15.0 * 60.0;
/// Runs of one log before it is recorded failed (a worker died during each).
pub const MAX_ATTEMPTS: i32 = 3;

/// Records a pending run by `creator`; the caller queues it.
pub async fn create(conn: &mut AsyncPgConnection, creator: i64) -> AppResult<i64> {
    let rows = json_rows(
        conn,
        "INSERT INTO migration_logs (githash, creator_id) VALUES ($1, $2) \
         RETURNING json_build_object('id', id) AS data"
            .to_string(),
        &[Bind::Text(githash()), Bind::Int(creator)],
    )
    .await?;
    crate::api::sql::first_id(&rows).ok_or_else(|| AppError::internal("no id returned"))
}

/// Takes pending log `id` for a run (start time, lease); `None` when it is not pending or
/// another worker holds it. Returns the last successful githash before it, or `INITIAL`.
pub async fn take(conn: &mut AsyncPgConnection, id: i64) -> AppResult<Option<String>> {
    let rows = json_rows(
        conn,
        "WITH c AS (UPDATE migration_logs SET lease = now() + make_interval(secs => $2), \
           attempts = attempts + 1, start_time = now(), last_modified = now() \
           WHERE id = $1 AND result = 'pending' AND attempts < $3 \
             AND (lease IS NULL OR lease < now()) RETURNING id) \
         SELECT json_build_object('id', c.id, 'previous', COALESCE((SELECT p.githash \
            FROM migration_logs p WHERE p.result = 'success' AND p.id <> c.id \
            ORDER BY p.end_time DESC NULLS LAST, p.id DESC LIMIT 1), 'INITIAL')) AS data FROM c"
            .to_string(),
        &[
            Bind::Int(id),
            Bind::Float(LEASE_SECONDS),
            Bind::Int(MAX_ATTEMPTS.into()),
        ],
    )
    .await?;
    Ok(rows
        .first()
        .and_then(|r| r.get("previous"))
        .and_then(Value::as_str)
        .map(String::from))
}

/// Records the outcome of a run, if the log is still pending (the first outcome wins).
pub async fn finish(
    conn: &mut AsyncPgConnection,
    id: i64,
    success: bool,
    output: &str,
    applied: Vec<String>,
) -> AppResult<bool> {
    let rows = json_rows(
        conn,
        "UPDATE migration_logs SET result = $2, end_time = now(), output = $3, applied = $4, \
           lease = NULL, last_modified = now() \
         WHERE id = $1 AND result = 'pending' RETURNING json_build_object('id', id) AS data"
            .to_string(),
        &[
            Bind::Int(id),
            Bind::Text(if success { "success" } else { "failed" }.into()),
            Bind::Text(output.to_string()),
            Bind::Texts(applied),
        ],
    )
    .await?;
    Ok(!rows.is_empty())
}

/// Pending logs the queue may have lost (older than `grace`, not held by a worker), and
/// records as failed those that used up their attempts.
pub async fn pending(conn: &mut AsyncPgConnection, grace: chrono::Duration) -> AppResult<Vec<i64>> {
    json_rows(
        conn,
        "UPDATE migration_logs SET result = 'failed', end_time = now(), last_modified = now(), \
           lease = NULL, output = concat_ws(E'\\n', output, $1) \
         WHERE result = 'pending' AND attempts >= $2 AND lease < now() \
         RETURNING json_build_object('id', id) AS data"
            .to_string(),
        &[
            Bind::Text(format!(
                "Abandoned: no run finished in {MAX_ATTEMPTS} attempts (the worker stopped during each)."
            )),
            Bind::Int(MAX_ATTEMPTS.into()),
        ],
    )
    .await?;
    let rows = json_rows(
        conn,
        "SELECT json_build_object('id', id) AS data FROM migration_logs \
         WHERE result = 'pending' AND (lease IS NULL OR lease < now()) AND created < $1 \
         ORDER BY id LIMIT 100"
            .to_string(),
        &[Bind::Time(Utc::now() - grace)],
    )
    .await?;
    Ok(rows
        .iter()
        .filter_map(|r| r.get("id").and_then(Value::as_i64))
        .collect())
}

/// The output of a run: the last successful githash before it, then what happened.
pub fn output(previous: &str, outcome: &Result<Vec<String>, String>) -> String {
    let mut out = format!("Last successful migration githash: {previous}\n");
    match outcome {
        Ok(applied) if applied.is_empty() => out.push_str("No migrations to apply.\n"),
        Ok(applied) => {
            out.push_str("Applied:\n");
            for name in applied {
                out.push_str("  ");
                out.push_str(name);
                out.push('\n');
            }
            out.push_str(&format!("{} migration(s) applied.\n", applied.len()));
        }
        Err(e) => {
            out.push_str("Migration failed: ");
            out.push_str(e);
            out.push('\n');
        }
    }
    out
}

/// The names of the migrations `versions` (as `db::migrate` returns them).
pub fn names(versions: &[String]) -> Vec<String> {
    let known = embedded();
    versions
        .iter()
        .map(|v| {
            known
                .iter()
                .find(|(version, _)| version == v)
                .map(|(_, name)| name.clone())
                .unwrap_or_else(|| v.clone())
        })
        .collect()
}

/// Runs log `id` (the worker's `execute_migrations`): applies the pending migrations of
/// `database_url` and records the outcome. A run that fails is recorded `failed` with the
/// error, not retried: a failing migration fails again until a new build fixes it.
pub async fn execute(pool: &crate::db::DbPool, database_url: &str, id: i64) -> AppResult<()> {
    let mut conn = pool.get().await?;
    let Some(previous) = take(&mut conn, id).await? else {
        return Ok(());
    };
    drop(conn);
    tracing::info!(log = id, previous = %previous, "running migrations");
    let outcome = crate::db::migrate(database_url)
        .await
        .map(|versions| names(&versions))
        .map_err(|e| format!("{e:#}"));
    let text = output(&previous, &outcome);
    let mut conn = pool.get().await?;
    match outcome {
        Ok(applied) => {
            tracing::info!(log = id, applied = applied.len(), "migrations applied");
            finish(&mut conn, id, true, &text, applied).await?;
        }
        Err(error) => {
            tracing::warn!(log = id, %error, "migrations failed");
            crate::metrics::async_error("execute_migrations", "MigrationError", &error);
            finish(&mut conn, id, false, &text, Vec::new()).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_names_the_previous_githash_and_what_was_applied() {
        let ok = output("INITIAL", &Ok(vec!["2026-01-01-000001_a".into()]));
        assert!(ok.starts_with("Last successful migration githash: INITIAL\n"));
        assert!(ok.contains("  2026-01-01-000001_a\n1 migration(s) applied."));
        assert!(output("abc", &Ok(vec![])).contains("No migrations to apply."));
        assert!(output("abc", &Err("boom".into())).contains("Migration failed: boom"));
    }

    #[test]
    fn every_embedded_migration_has_a_version_and_a_name() {
        let all = embedded();
        assert!(all.len() >= 16);
        assert!(all
            .iter()
            .any(|(v, n)| v == "20261205000017" && n == "2026-12-05-000017_migration_logs"));
        assert_eq!(
            names(&["20261205000017".into()]),
            ["2026-12-05-000017_migration_logs"]
        );
        assert_eq!(githash().chars().count().min(40), githash().chars().count());
    }
}
