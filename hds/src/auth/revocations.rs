//! Listens to PostgreSQL's announcements of authentication changes (channel `hds_auth`,
//! migration `000020_auth_notify`) and empties this process's cache of authenticated callers
//! (`auth::cache`) when one arrives. A revocation made by another server, the CLI or psql then
//! takes effect here as soon as it commits, not after the cache's short fallback lifetime.

use std::time::Duration;

use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use futures_util::StreamExt;

use super::cache;

pub const CHANNEL: &str = "hds_auth";

/// Runs for the life of the process: listens, and after a lost connection reconnects (every
/// second) with the cache in its short-lived mode meanwhile.
pub async fn listen(database_url: String) {
    loop {
        if let Err(err) = listen_once(&database_url).await {
            tracing::warn!(error = %err, "authentication change listener lost its connection");
        }
        cache::set_listening(false);
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

async fn listen_once(database_url: &str) -> anyhow::Result<()> {
    let mut conn = AsyncPgConnection::establish(database_url).await?;
    diesel::sql_query(format!("LISTEN {CHANNEL}"))
        .execute(&mut conn)
        .await?;
    // Listening from here on; whatever changed before is forgotten with the cache.
    cache::set_listening(true);
    let mut notifications = std::pin::pin!(conn.notifications_stream());
    while let Some(notification) = notifications.next().await {
        notification?;
        cache::accounts_changed();
    }
    anyhow::bail!("the connection closed")
}
