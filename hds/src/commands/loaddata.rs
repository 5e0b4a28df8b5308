//! `hds loaddata FILE…`: Django `loaddata` fixtures (`[{"model","pk","fields"}]`).
//!
//! Files are read one entry at a time and spilled, by dependency rank, to temporary files
//! (memory stays bounded for a multi-gigabyte `dumpdata`); then every entry is loaded in
//! dependency order inside one transaction,
//! upserted by primary key (re-running updates, never duplicates), and every sequence is moved
//! past the loaded keys. Unknown models or fields fail with file and entry named, or are
//! skipped and reported with `--skip-unknown`.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::auth::tokens::sha256_hex;
use crate::auth::Role;
use crate::config::Config;
use crate::schema::{api_tokens, user_profiles, users};

#[derive(Deserialize, Serialize)]
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

/// Reads the entries of `file` one at a time (a fixture of gigabytes is never held whole) and
/// hands each with its index to `each`.
fn stream_entries(
    file: &Path,
    mut each: impl FnMut(usize, RawEntry) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    use serde::de::{Deserializer as _, Error as _, SeqAccess, Visitor};

    /// The callback's own error is kept aside: the parser would only carry its text.
    struct Entries<'a, F>(&'a mut F, &'a mut Option<anyhow::Error>);
    impl<'de, F: FnMut(usize, RawEntry) -> anyhow::Result<()>> Visitor<'de> for Entries<'_, F> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a list of fixture entries")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            let mut index = 0;
            while let Some(entry) = seq.next_element::<RawEntry>()? {
                if let Err(e) = (self.0)(index, entry) {
                    *self.1 = Some(e);
                    return Err(A::Error::custom("stopped"));
                }
                index += 1;
            }
            Ok(())
        }
    }
    let reader = std::io::BufReader::with_capacity(
        1 << 20,
        std::fs::File::open(file).with_context(|| format!("reading {}", file.display()))?,
    );
    let mut de = serde_json::Deserializer::from_reader(reader);
    let mut stopped = None;
    let parsed = de.deserialize_seq(Entries(&mut each, &mut stopped));
    if let Some(e) = stopped {
        return Err(e);
    }
    parsed.with_context(|| {
        format!(
            "{}: not a fixture (expected [{{\"model\", \"pk\", \"fields\"}}, …])",
            file.display()
        )
    })?;
    de.end()
        .with_context(|| format!("{}: text after the fixture list", file.display()))
}

/// An entry on its way from a fixture file to the database, spilled to a file of its rank.
#[derive(Serialize, Deserialize)]
struct Spilled {
    file: usize,
    index: usize,
    model: String,
    pk: Value,
    fields: Map<String, Value>,
}

/// The entries of every file, checked and sorted by rank into spill files (one JSON line per
/// entry) in `dir`: memory stays bounded by the largest entry, however large the files.
fn spill_entries(
    files: &[PathBuf],
    skip_unknown: bool,
    report: &mut Report,
    dir: &Path,
) -> anyhow::Result<std::collections::BTreeMap<u8, PathBuf>> {
    use std::io::Write;
    let mut spills: std::collections::BTreeMap<u8, (PathBuf, std::io::BufWriter<std::fs::File>)> =
        std::collections::BTreeMap::new();
    for (file_no, file) in files.iter().enumerate() {
        stream_entries(file, |index, r| {
            let where_ = format!(
                "{}: entry {index} ({} pk={})",
                file.display(),
                r.model,
                r.pk
            );
            let Some(model) = Model::parse(&r.model) else {
                if skip_unknown {
                    report.skipped.push(format!("{where_}: unknown model"));
                    return Ok(());
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
                    return Ok(());
                }
                bail!("{msg} (use --skip-unknown to skip the entry)");
            }
            let rank = model.rank();
            let (_, out) = match spills.entry(rank) {
                std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::btree_map::Entry::Vacant(e) => {
                    let path = dir.join(format!("rank-{rank:03}.jsonl"));
                    let out = std::io::BufWriter::new(std::fs::File::create(&path)?);
                    e.insert((path, out))
                }
            };
            let line = Spilled {
                file: file_no,
                index,
                model: r.model,
                pk: r.pk,
                fields: r.fields,
            };
            serde_json::to_writer(&mut *out, &line)?;
            out.write_all(b"\n")?;
            Ok(())
        })?;
    }
    let mut paths = std::collections::BTreeMap::new();
    for (rank, (path, mut out)) in spills {
        out.flush()?;
        paths.insert(rank, path);
    }
    Ok(paths)
}

/// Loads `files` through `conn` in one transaction, in dependency order (rank by rank, each
/// rank's entries in file order).
pub async fn load(
    conn: &mut AsyncPgConnection,
    files: &[PathBuf],
    skip_unknown: bool,
) -> anyhow::Result<Report> {
    use std::io::BufRead;
    let mut report = Report::default();
    let dir = std::env::temp_dir().join(format!(
        "hds-loaddata-{}-{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::create_dir_all(&dir)?;
    // Removed however the load ends.
    struct Cleanup(PathBuf);
    impl Drop for Cleanup {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
    let _cleanup = Cleanup(dir.clone());
    let spills = spill_entries(files, skip_unknown, &mut report, &dir)?;
    let loaded = conn
        .transaction::<usize, anyhow::Error, _>(async move |conn| {
            // Assets and jobs are loaded with their own history (`asset_history`,
            // `job_history` entries): the triggers that record changes would add a second,
            // made-up one.
            for (table, trigger) in HISTORY_TRIGGERS {
                diesel::sql_query(format!("ALTER TABLE {table} DISABLE TRIGGER {trigger}"))
                    .execute(conn)
                    .await?;
            }
            let mut loaded = 0;
            for path in spills.values() {
                let reader = std::io::BufReader::new(std::fs::File::open(path)?);
                for line in reader.lines() {
                    let s: Spilled = serde_json::from_str(&line?)?;
                    let model = Model::parse(&s.model)
                        .ok_or_else(|| anyhow::anyhow!("unknown model {:?}", s.model))?;
                    let e = Entry {
                        file: files.get(s.file).cloned().unwrap_or_default(),
                        index: s.index,
                        model,
                        pk: s.pk,
                        fields: s.fields,
                    };
                    load_entry(conn, &e).await.map_err(|msg| {
                        anyhow::anyhow!(
                            "{}: entry {} ({:?} pk={}): {msg}",
                            e.file.display(),
                            e.index,
                            e.model,
                            e.pk
                        )
                    })?;
                    loaded += 1;
                }
            }
            for (table, trigger) in HISTORY_TRIGGERS {
                diesel::sql_query(format!("ALTER TABLE {table} ENABLE TRIGGER {trigger}"))
                    .execute(conn)
                    .await?;
            }
            reset_sequences(conn).await?;
            Ok(loaded)
        })
        .await?;
    report.loaded = loaded;
    Ok(report)
}

/// The tables whose history a trigger writes, and the trigger: fixtures bring that history.
const HISTORY_TRIGGERS: [(&str, &str); 2] =
    [("assets", "assets_history"), ("jobs", "jobs_history")];

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
