//! PostgreSQL access: the async connection pool and the embedded migrations.

use std::time::Duration;

use anyhow::Context;
use diesel::prelude::*;
use diesel_async::pooled_connection::deadpool::{Hook, HookError, Pool};
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use diesel_async::{AsyncConnection, AsyncMigrationHarness, AsyncPgConnection, RunQueryDsl};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use futures_util::FutureExt;

use crate::config::Config;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// A pooled connection is replaced after this many checkouts or this long.
const MAX_CHECKOUTS: usize = 10_000;
const MAX_AGE: Duration = Duration::from_secs(30 * 60);

pub type DbPool = Pool<AsyncPgConnection>;
pub type DbConn = diesel_async::pooled_connection::deadpool::Object<AsyncPgConnection>;
pub type PoolError = diesel_async::pooled_connection::deadpool::PoolError;

/// Builds the pool. Every connection gets a statement timeout so one slow query cannot hold a
/// connection forever; waiting for a free connection is bounded so overload answers 503.
pub fn build_pool(config: &Config, database_url: &str) -> anyhow::Result<DbPool> {
    let timeout_ms = config.db_statement_timeout_ms;
    let mut manager_config = ManagerConfig::<AsyncPgConnection>::default();
    // A checkout does not ping (`SELECT 1`, a round trip per request): a connection whose
    // socket closed is seen as broken and replaced, and a query on one that broke since fails
    // like any transient database error (503, retried by the client).
    manager_config.recycling_method = RecyclingMethod::Fast;
    manager_config.custom_setup = Box::new(move |url| {
        let url = url.to_string();
        async move {
            let mut conn = AsyncPgConnection::establish(&url).await?;
            diesel::sql_query(format!("SET statement_timeout = {timeout_ms}"))
                .execute(&mut conn)
                .await
                .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
            Ok(conn)
        }
        .boxed()
    });
    let manager = AsyncDieselConnectionManager::new_with_config(database_url, manager_config);
    Pool::builder(manager)
        .max_size(config.db_pool_size)
        .pre_recycle(Hook::<AsyncPgConnection>::sync_fn(|_, metrics| {
            // Each connection keeps its prepared statements (one per query shape); replacing
            // connections now and then bounds that cache.
            if metrics.recycle_count >= MAX_CHECKOUTS || metrics.age() >= MAX_AGE {
                return Err(HookError::Message("connection retired".into()));
            }
            Ok(())
        }))
        .wait_timeout(Some(Duration::from_millis(config.db_pool_timeout_ms)))
        .create_timeout(Some(Duration::from_secs(5)))
        .runtime(deadpool::Runtime::Tokio1)
        .build()
        .context("building the database pool")
}

/// Key of the advisory lock `migrate` holds ("hds_migr"). Processes that start together (the
/// container image's entry point in every API and worker task, a one-off `hds migrate`) apply
/// the migrations one at a time: the later ones wait, then find nothing pending.
const MIGRATION_LOCK: i64 = 0x6864_735f_6d69_6772;

/// Applies pending migrations, one process at a time (see [`MIGRATION_LOCK`]). The harness
/// blocks, so it runs on a blocking thread.
pub async fn migrate(database_url: &str) -> anyhow::Result<Vec<String>> {
    let mut conn = AsyncPgConnection::establish(database_url)
        .await
        .with_context(|| format!("connecting to {}", redact(database_url)))?;
    // A session lock: it is released when the harness drops the connection.
    diesel::sql_query("SELECT pg_advisory_lock($1)")
        .bind::<diesel::sql_types::BigInt, _>(MIGRATION_LOCK)
        .execute(&mut conn)
        .await
        .context("taking the migration lock")?;
    tokio::task::spawn_blocking(move || {
        let mut harness = AsyncMigrationHarness::new(conn);
        let applied = harness
            .run_pending_migrations(MIGRATIONS)
            .map_err(|e| anyhow::anyhow!("running migrations: {e}"))?;
        Ok(applied.iter().map(|v| v.to_string()).collect())
    })
    .await?
}

/// Reverts the most recent migration (used by tests to prove migrations are reversible).
pub async fn revert_all(database_url: &str) -> anyhow::Result<usize> {
    let conn = AsyncPgConnection::establish(database_url).await?;
    tokio::task::spawn_blocking(move || {
        let mut harness = AsyncMigrationHarness::new(conn);
        let reverted = harness
            .revert_all_migrations(MIGRATIONS)
            .map_err(|e| anyhow::anyhow!("reverting migrations: {e}"))?;
        Ok(reverted.len())
    })
    .await?
}

/// Creates the database named in `database_url` when it does not exist yet.
pub async fn ensure_database(database_url: &str) -> anyhow::Result<()> {
    let name = database_name(database_url);
    let admin_url = crate::config::replace_db_name(database_url, "postgres");
    let mut conn = AsyncPgConnection::establish(&admin_url)
        .await
        .with_context(|| format!("connecting to {}", redact(&admin_url)))?;
    #[derive(QueryableByName)]
    struct Exists {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        exists: bool,
    }
    let found: Exists =
        diesel::sql_query("SELECT EXISTS(SELECT 1 FROM pg_database WHERE datname = $1) AS exists")
            .bind::<diesel::sql_types::Text, _>(&name)
            .get_result(&mut conn)
            .await?;
    if !found.exists {
        let created = diesel::sql_query(format!("CREATE DATABASE {}", quote_ident(&name)))
            .execute(&mut conn)
            .await;
        if let Err(e) = created {
            // Another process starting at the same time may have created it first.
            let found: Exists = diesel::sql_query(
                "SELECT EXISTS(SELECT 1 FROM pg_database WHERE datname = $1) AS exists",
            )
            .bind::<diesel::sql_types::Text, _>(&name)
            .get_result(&mut conn)
            .await?;
            if !found.exists {
                return Err(e.into());
            }
        }
    }
    Ok(())
}

pub fn database_name(url: &str) -> String {
    let base = url.split('?').next().unwrap_or(url);
    let after_scheme = base.split_once("://").map(|(_, r)| r).unwrap_or(base);
    after_scheme
        .split_once('/')
        .map(|(_, db)| db.to_string())
        .filter(|db| !db.is_empty())
        .unwrap_or_else(|| "postgres".to_string())
}

pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..s + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_redaction() {
        assert_eq!(database_name("postgres://u@h:1/abc?x=1"), "abc");
        assert_eq!(database_name("postgres://u@h:1"), "postgres");
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
    }
}
