//! Which harvester a report is from, for the report writers: a short-lived cache in front of
//! one query per batch. Most batches name the same few harvesters.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use diesel::sql_types::{BigInt, Text};
use diesel_async::AsyncPgConnection;

use super::read::{Harvester, HarvesterRef};
use crate::api::sql::{cached_rows, Bind};
use crate::error::AppResult;

/// How long a resolution (serial number → id and location) is reused.
const TTL: Duration = Duration::from_secs(2);

/// Bumped by every harvester create/update/delete on this server, so the writers resolve
/// harvesters afresh at once instead of after [`TTL`] (other servers see a change within it).
pub static HARVESTERS_CHANGED: AtomicU64 = AtomicU64::new(0);

/// Found harvesters only: an unknown serial number is looked up again, so a harvester created
/// after a refused report is found at once.
#[derive(Default)]
pub struct HarvesterCache {
    inner: Mutex<Entries>,
}

#[derive(Default)]
struct Entries {
    resolved: HashMap<HarvesterRef, Harvester>,
    /// When the entries were started, and the change count they are valid for.
    since: Option<(Instant, u64)>,
}

impl Entries {
    fn fresh(&mut self) -> &mut HashMap<HarvesterRef, Harvester> {
        let changes = HARVESTERS_CHANGED.load(Ordering::Acquire);
        match self.since {
            Some((at, seen)) if seen == changes && at.elapsed() < TTL => {}
            _ => {
                self.resolved.clear();
                self.since = Some((Instant::now(), changes));
            }
        }
        &mut self.resolved
    }
}

impl HarvesterCache {
    pub fn clear(&self) {
        self.entries().since = None;
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, Entries> {
        // The entries stay consistent even if a holder panicked: each is one insert.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The harvesters these references name (unknown ones are absent): cached ones, the rest
    /// in one query.
    pub async fn resolve(
        &self,
        conn: &mut AsyncPgConnection,
        refs: &[&HarvesterRef],
    ) -> AppResult<HashMap<HarvesterRef, Harvester>> {
        let mut out = HashMap::new();
        let mut serials: Vec<i64> = Vec::new();
        let mut fruits: Vec<String> = Vec::new();
        {
            let mut entries = self.entries();
            let cached = entries.fresh();
            for &who in refs {
                if let Some(&h) = cached.get(who) {
                    out.insert(who.clone(), h);
                    continue;
                }
                match who {
                    HarvesterRef::Serial(n) if i32::try_from(*n).is_ok() => serials.push(*n),
                    HarvesterRef::Serial(_) => {}
                    HarvesterRef::EmulatorOf(fruit) => fruits.push(fruit.clone()),
                }
            }
        }
        if serials.is_empty() && fruits.is_empty() {
            return Ok(out);
        }
        let found = lookup(conn, serials, fruits).await?;
        let mut entries = self.entries();
        let cached = entries.fresh();
        for (who, h) in found {
            cached.entry(who.clone()).or_insert(h);
            out.entry(who).or_insert(h);
        }
        Ok(out)
    }
}

async fn lookup(
    conn: &mut AsyncPgConnection,
    serials: Vec<i64>,
    fruits: Vec<String>,
) -> AppResult<Vec<(HarvesterRef, Harvester)>> {
    #[derive(diesel::QueryableByName)]
    struct Found {
        #[diesel(sql_type = BigInt)]
        serial: i64,
        #[diesel(sql_type = Text)]
        fruit: String,
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = BigInt)]
        location_id: i64,
    }
    let found: Vec<Found> = cached_rows(
        conn,
        "SELECT harv_id::bigint AS serial, '' AS fruit, id, location_id FROM harvesters \
         WHERE NOT is_emulator AND harv_id = ANY($1::bigint[]) \
         UNION ALL \
         SELECT 0, f.name, h.id, h.location_id FROM harvesters h JOIN fruits f ON f.id = h.fruit_id \
         WHERE h.is_emulator AND f.name = ANY($2)",
        &[Bind::Ints(serials), Bind::Texts(fruits)],
    )
    .await?;
    Ok(found
        .into_iter()
        .map(|f| {
            let who = match f.fruit.is_empty() {
                true => HarvesterRef::Serial(f.serial),
                false => HarvesterRef::EmulatorOf(f.fruit),
            };
            let h = Harvester {
                id: f.id,
                location_id: f.location_id,
            };
            (who, h)
        })
        .collect())
}
