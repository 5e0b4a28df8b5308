//! Management commands.

pub mod fixture_tables;
pub mod jobserver;
pub mod loaddata;
pub mod serve;
pub mod users;
pub mod worker;

use crate::config::Config;

pub async fn migrate(config: &Config, revert_all: bool) -> anyhow::Result<()> {
    crate::db::ensure_database(&config.database_url).await?;
    if revert_all {
        let n = crate::db::revert_all(&config.database_url).await?;
        println!("reverted {n} migration(s)");
        return Ok(());
    }
    let applied = crate::db::migrate(&config.database_url).await?;
    if applied.is_empty() {
        println!("no pending migrations");
    }
    for v in applied {
        println!("applied {v}");
    }
    Ok(())
}
