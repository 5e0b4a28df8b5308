//! `hds loaddata FILE…`: Django `loaddata` fixtures (`[{"model","pk","fields"}]`).
//!
//! Entries of every file are loaded together in dependency order inside one transaction,
//! upserted by primary key (re-running updates, never duplicates), and every sequence is moved
//! past the loaded keys. Unknown models or fields fail with file and entry named, or are
//! skipped and reported with `--skip-unknown`.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::auth::tokens::sha256_hex;
use crate::auth::Role;
use crate::config::Config;
use crate::schema::{api_tokens, user_profiles, users};

#[derive(Deserialize)]
struct RawEntry {
    model: String,
    pk: Value,
    #[serde(default)]
    fields: Map<String, Value>,
}

struct Entry {
    file: PathBuf,
    index: usize,
    model: Model,
    pk: Value,
    fields: Map<String, Value>,
}

/// Every model `loaddata` understands. Users, profiles and tokens need their own logic; the
/// rest are plain tables described by a [`TableSpec`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Model {
    User,
    Profile,
    Token,
    Table(&'static TableSpec),
}

impl Model {
    fn parse(name: &str) -> Option<Model> {
        let name = name.to_ascii_lowercase();
        Some(match name.as_str() {
            "auth.user" => Model::User,
            "common.userprofile" => Model::Profile,
            "authtoken.token" => Model::Token,
            other => Model::Table(
                super::fixture_tables::TABLES
                    .iter()
                    .find(|t| t.model == other)?,
            ),
        })
    }

    /// Load order: referenced rows first.
    fn rank(self) -> u8 {
        match self {
            Model::User => 0,
            Model::Profile => 1,
            Model::Token => 2,
            Model::Table(t) => t.rank,
        }
    }

    fn fields(self) -> Vec<&'static str> {
        match self {
            Model::User => vec![
                "password",
                "last_login",
                "is_superuser",
                "username",
                "first_name",
                "last_name",
                "email",
                "is_staff",
                "is_active",
                "date_joined",
                "groups",
                "user_permissions",
            ],
            Model::Profile => vec!["user", "slack_id", "role"],
            Model::Token => vec!["user", "created"],
            Model::Table(t) => t
                .columns
                .iter()
                .map(|c| c.0)
                .chain(t.m2m.iter().map(|m| m.0))
                .collect(),
        }
    }
}

pub use super::fixture_tables::{Kind, TableSpec};

/// Reads a typed field; `Err` names the field.
struct Fields<'a>(&'a Map<String, Value>);

impl Fields<'_> {
    fn str(&self, k: &str) -> Result<String, String> {
        match self.0.get(k) {
            Some(Value::String(s)) => Ok(s.clone()),
            None | Some(Value::Null) => Ok(String::new()),
            Some(other) => Err(format!("field {k:?} must be a string, got {other}")),
        }
    }
    fn opt_str(&self, k: &str) -> Result<Option<String>, String> {
        match self.0.get(k) {
            Some(Value::String(s)) => Ok(Some(s.clone())),
            None | Some(Value::Null) => Ok(None),
            Some(other) => Err(format!("field {k:?} must be a string or null, got {other}")),
        }
    }
    fn bool(&self, k: &str, default: bool) -> Result<bool, String> {
        match self.0.get(k) {
            Some(Value::Bool(b)) => Ok(*b),
            None | Some(Value::Null) => Ok(default),
            Some(other) => Err(format!("field {k:?} must be a boolean, got {other}")),
        }
    }
    fn int(&self, k: &str) -> Result<i64, String> {
        self.0
            .get(k)
            .and_then(Value::as_i64)
            .ok_or_else(|| format!("field {k:?} must be an integer id"))
    }
    fn datetime(&self, k: &str) -> Result<Option<DateTime<Utc>>, String> {
        match self.0.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => DateTime::parse_from_rfc3339(s)
                .map(|d| Some(d.with_timezone(&Utc)))
                .map_err(|e| format!("field {k:?}: {s:?} is not an ISO-8601 datetime ({e})")),
            Some(other) => Err(format!(
                "field {k:?} must be a datetime string, got {other}"
            )),
        }
    }
}

pub(super) fn pk_int(pk: &Value) -> Result<i64, String> {
    pk.as_i64()
        .or_else(|| pk.as_str().and_then(|s| s.parse().ok()))
        .ok_or_else(|| format!("pk {pk} must be an integer"))
}

async fn load_entry(conn: &mut AsyncPgConnection, e: &Entry) -> Result<(), String> {
    let f = Fields(&e.fields);
    let db = |err: diesel::result::Error| format!("database: {err}");
    match e.model {
        Model::User => {
            let id = pk_int(&e.pk)?;
            let username = f.str("username")?;
            if username.is_empty() {
                return Err("field \"username\" is required".into());
            }
            let values = (
                users::id.eq(id),
                users::password.eq(f.str("password")?),
                users::last_login.eq(f.datetime("last_login")?),
                users::is_superuser.eq(f.bool("is_superuser", false)?),
                users::username.eq(username),
                users::first_name.eq(f.str("first_name")?),
                users::last_name.eq(f.str("last_name")?),
                users::email.eq(f.str("email")?),
                users::is_staff.eq(f.bool("is_staff", false)?),
                users::is_active.eq(f.bool("is_active", true)?),
                users::date_joined.eq(f.datetime("date_joined")?.unwrap_or_else(Utc::now)),
            );
            diesel::insert_into(users::table)
                .values(values.clone())
                .on_conflict(users::id)
                .do_update()
                .set(values)
                .execute(conn)
                .await
                .map_err(db)?;
            // Every user has a profile (D2); an explicit profile entry may refine it.
            diesel::insert_into(user_profiles::table)
                .values((
                    user_profiles::user_id.eq(id),
                    user_profiles::role.eq("support"),
                ))
                .on_conflict(user_profiles::user_id)
                .do_nothing()
                .execute(conn)
                .await
                .map_err(db)?;
        }
        Model::Profile => {
            let id = pk_int(&e.pk)?;
            let user = f.int("user")?;
            let role = f.opt_str("role")?.unwrap_or_else(|| "support".into());
            if Role::parse(&role).is_none() {
                return Err(format!("field \"role\": unknown role {role:?}"));
            }
            let slack = f.opt_str("slack_id")?;
            // The user's automatic profile (created above) is replaced by this one.
            diesel::delete(
                user_profiles::table
                    .filter(user_profiles::user_id.eq(user))
                    .filter(user_profiles::id.ne(id)),
            )
            .execute(conn)
            .await
            .map_err(db)?;
            let values = (
                user_profiles::id.eq(id),
                user_profiles::user_id.eq(user),
                user_profiles::slack_id.eq(slack),
                user_profiles::role.eq(role),
            );
            diesel::insert_into(user_profiles::table)
                .values(values.clone())
                .on_conflict(user_profiles::id)
                .do_update()
                .set(values)
                .execute(conn)
                .await
                .map_err(db)?;
        }
        Model::Token => {
            let key = e.pk.as_str().ok_or("token pk must be the key string")?;
            let user = f.int("user")?;
            let created = f.datetime("created")?.unwrap_or_else(Utc::now);
            diesel::insert_into(api_tokens::table)
                .values((
                    api_tokens::user_id.eq(user),
                    api_tokens::key_hash.eq(sha256_hex(key)),
                    api_tokens::key_prefix.eq(&key[..key.len().min(8)]),
                    api_tokens::name.eq("fixture"),
                    api_tokens::created.eq(created),
                ))
                .on_conflict(api_tokens::key_hash)
                .do_update()
                .set(api_tokens::user_id.eq(user))
                .execute(conn)
                .await
                .map_err(db)?;
        }
        Model::Table(spec) => super::fixture_tables::load(conn, spec, &e.pk, &e.fields).await?,
    }
    Ok(())
}

/// What a load did.
#[derive(Debug, Default)]
pub struct Report {
    pub loaded: usize,
    pub skipped: Vec<String>,
}

fn read_entries(
    files: &[PathBuf],
    skip_unknown: bool,
    report: &mut Report,
) -> anyhow::Result<Vec<Entry>> {
    let mut entries = Vec::new();
    for file in files {
        let text =
            std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
        let raw: Vec<RawEntry> = serde_json::from_str(&text).with_context(|| {
            format!(
                "{}: not a fixture (expected [{{\"model\", \"pk\", \"fields\"}}, …])",
                file.display()
            )
        })?;
        for (index, r) in raw.into_iter().enumerate() {
            let where_ = format!(
                "{}: entry {index} ({} pk={})",
                file.display(),
                r.model,
                r.pk
            );
            let Some(model) = Model::parse(&r.model) else {
                if skip_unknown {
                    report.skipped.push(format!("{where_}: unknown model"));
                    continue;
                }
                bail!(
                    "{where_}: unknown model {:?} (use --skip-unknown to skip it)",
                    r.model
                );
            };
            let unknown: Vec<&String> = r
                .fields
                .keys()
                .filter(|k| !model.fields().contains(&k.as_str()))
                .collect();
            if !unknown.is_empty() {
                let msg = format!("{where_}: unknown field(s) {unknown:?}");
                if skip_unknown {
                    report.skipped.push(msg);
                    continue;
                }
                bail!("{msg} (use --skip-unknown to skip the entry)");
            }
            entries.push(Entry {
                file: file.clone(),
                index,
                model,
                pk: r.pk,
                fields: r.fields,
            });
        }
    }
    entries.sort_by_key(|e| e.model.rank());
    Ok(entries)
}

/// Loads `files` through `conn` in one transaction.
pub async fn load(
    conn: &mut AsyncPgConnection,
    files: &[PathBuf],
    skip_unknown: bool,
) -> anyhow::Result<Report> {
    let mut report = Report::default();
    let entries = read_entries(files, skip_unknown, &mut report)?;
    let loaded = conn
        .transaction::<usize, anyhow::Error, _>(async move |conn| {
            for e in &entries {
                load_entry(conn, e).await.map_err(|msg| {
                    anyhow::anyhow!(
                        "{}: entry {} ({:?} pk={}): {msg}",
                        e.file.display(),
                        e.index,
                        e.model,
                        e.pk
                    )
                })?;
            }
            reset_sequences(conn).await?;
            Ok(entries.len())
        })
        .await?;
    report.loaded = loaded;
    Ok(report)
}

/// Moves every sequence owned by a column (ids, `history_id`, join tables' ids) past the
/// largest value stored in it, so rows created after a load never collide with loaded keys.
/// All of them, not only the tables loaded: a load also writes join and history rows.
async fn reset_sequences(conn: &mut AsyncPgConnection) -> anyhow::Result<()> {
    diesel::sql_query(
        "DO $$ DECLARE s record; BEGIN \
           FOR s IN SELECT format('%I.%I', sn.nspname, seq.relname) AS seq, \
                           format('%I.%I', tn.nspname, tab.relname) AS tab, \
                           quote_ident(col.attname) AS col \
                    FROM pg_class seq \
                    JOIN pg_namespace sn ON sn.oid = seq.relnamespace \
                    JOIN pg_depend d ON d.objid = seq.oid AND d.deptype IN ('a', 'i') \
                    JOIN pg_class tab ON tab.oid = d.refobjid \
                    JOIN pg_namespace tn ON tn.oid = tab.relnamespace \
                    JOIN pg_attribute col ON col.attrelid = tab.oid AND col.attnum = d.refobjsubid \
                    WHERE seq.relkind = 'S' AND sn.nspname = current_schema() LOOP \
             EXECUTE format('SELECT setval(%L, COALESCE((SELECT max(%s) FROM %s), 1), \
                             (SELECT max(%s) FROM %s) IS NOT NULL)', \
                             s.seq, s.col, s.tab, s.col, s.tab); \
           END LOOP; END $$",
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn run(config: &Config, files: &[PathBuf], skip_unknown: bool) -> anyhow::Result<()> {
    let mut conn = AsyncPgConnection::establish(&config.database_url)
        .await
        .with_context(|| format!("connecting to {}", crate::db::redact(&config.database_url)))?;
    let report = load(&mut conn, files, skip_unknown).await?;
    for s in &report.skipped {
        eprintln!("skipped {s}");
    }
    println!(
        "Installed {} object(s) from {} fixture(s){}",
        report.loaded,
        files.len(),
        if report.skipped.is_empty() {
            String::new()
        } else {
            format!(", skipped {}", report.skipped.len())
        }
    );
    Ok(())
}

/// For callers holding a path (tests).
pub fn paths(files: &[&Path]) -> Vec<PathBuf> {
    files.iter().map(|p| p.to_path_buf()).collect()
}
