//! Authentications reused for a while, so neither a busy machine account (the forwarders post
//! thousands of reports a minute) nor a browser session costs a database round trip per
//! request. API tokens are keyed by their hash; a JWT is verified first (signature and expiry,
//! no database) and keyed by its session, so the database is asked only whether the session and
//! its user are still valid, and only when the cache does not know.
//!
//! Every change that can end or alter an authentication empties the cache at once:
//! - changes made through this server (logout, deactivation, role changes, user deletion,
//!   token revocation) bump [`AUTH_CHANGED`] directly;
//! - changes made anywhere (another server, the CLI, psql) are announced by PostgreSQL on
//!   channel `hds_auth` (migration `000020_auth_notify`), which `auth::revocations` listens to.
//!
//! While that listener is connected an entry lives [`TTL_LISTENING`]; without it (not started,
//! or its connection lost) [`TTL`], the longest a change made elsewhere can go unseen.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::{tokens, Caller};

const TTL: Duration = Duration::from_secs(5);
/// With the listener connected, changes arrive as they commit; the bound only limits how long
/// an idle entry keeps memory and protects against a missed announcement.
const TTL_LISTENING: Duration = Duration::from_secs(60);
/// More distinct tokens than this within [`TTL`] empties the cache (a bound on memory).
const MAX_ENTRIES: usize = 4096;

pub static AUTH_CHANGED: AtomicU64 = AtomicU64::new(0);
/// Whether `auth::revocations` is listening to PostgreSQL's announcements right now.
static LISTENING: AtomicBool = AtomicBool::new(false);

/// The listener connected (true) or lost its connection (false). Either way the cache is
/// emptied: what changed while nobody listened is unknown.
pub fn set_listening(on: bool) {
    LISTENING.store(on, Ordering::Release);
    accounts_changed();
}

pub fn is_listening() -> bool {
    LISTENING.load(Ordering::Acquire)
}

fn ttl() -> Duration {
    if LISTENING.load(Ordering::Acquire) {
        TTL_LISTENING
    } else {
        TTL
    }
}

/// Accounts or credentials changed: forget every cached authentication.
pub fn accounts_changed() {
    AUTH_CHANGED.fetch_add(1, Ordering::AcqRel);
}

/// The change count to hand back to [`TokenCache::put`]: read it before the database.
pub fn generation() -> u64 {
    AUTH_CHANGED.load(Ordering::Acquire)
}

#[derive(Default)]
pub struct TokenCache {
    inner: Mutex<Entries>,
}

#[derive(Default)]
struct Entries {
    /// SHA-256 of the token (never the token) → who it authenticates, and since when.
    callers: HashMap<String, (Caller, Instant)>,
    generation: u64,
}

impl TokenCache {
    /// The cache key of an `Authorization` header: an API token's hash, or a valid JWT's
    /// session and user. `None` for anything else (an invalid or expired JWT, another
    /// scheme), which then goes to the database and fails there as it should.
    pub fn key(header: &str, jwt: &tokens::JwtKeys) -> Option<String> {
        let (scheme, value) = header.trim().split_once(' ')?;
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        let is_bearer = scheme.eq_ignore_ascii_case("bearer");
        if !is_bearer && !scheme.eq_ignore_ascii_case("token") {
            return None;
        }
        if is_bearer || tokens::looks_like_jwt(value) {
            let (user_id, session_id) = jwt.verify(value)?;
            return Some(format!("jwt:{session_id}:{user_id}"));
        }
        Some(format!("token:{}", tokens::sha256_hex(value)))
    }

    pub fn get(&self, key: &str) -> Option<Caller> {
        let mut entries = self.entries();
        entries.forget_if_changed(generation());
        match entries.callers.get(key) {
            Some((caller, at)) if at.elapsed() < ttl() => Some(caller.clone()),
            _ => None,
        }
    }

    /// Remembers a caller read from the database when `generation()` was `seen`.
    pub fn put(&self, key: String, caller: Caller, seen: u64) {
        let mut entries = self.entries();
        entries.forget_if_changed(generation());
        if seen != entries.generation {
            return; // accounts changed while this one was being read
        }
        if entries.callers.len() >= MAX_ENTRIES {
            entries.callers.clear();
        }
        entries.callers.insert(key, (caller, Instant::now()));
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Entries {
    fn forget_if_changed(&mut self, now: u64) {
        if now != self.generation {
            self.callers.clear();
            self.generation = now;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{Credential, Role};

    fn caller() -> Caller {
        Caller {
            user_id: 1,
            username: "sqs".into(),
            is_superuser: false,
            is_staff: false,
            role: Role::Sqs,
            credential: Credential::ApiToken { token_id: 1 },
        }
    }

    #[test]
    fn api_tokens_and_valid_jwts_are_keys() {
        let keys = tokens::JwtKeys::new("k1");
        assert!(TokenCache::key("Token abc123", &keys).is_some());
        assert!(TokenCache::key("token abc123", &keys).is_some());
        assert_eq!(TokenCache::key("Token ", &keys), None);
        assert_eq!(TokenCache::key("Basic abc123", &keys), None);
        assert_eq!(TokenCache::key("Bearer abc123", &keys), None, "not a JWT");
        assert_eq!(
            TokenCache::key("Token aaa.bbb.ccc", &keys),
            None,
            "a bad JWT"
        );
        assert!(
            !TokenCache::key("Token abc123", &keys)
                .unwrap()
                .contains("abc123"),
            "hashed"
        );
        let sid = uuid::Uuid::new_v4();
        let jwt = keys.issue(7, sid, chrono::Utc::now() + chrono::Duration::minutes(15));
        let key = TokenCache::key(&format!("Bearer {jwt}"), &keys).unwrap();
        assert_eq!(key, format!("jwt:{sid}:7"));
        assert_eq!(TokenCache::key(&format!("Token {jwt}"), &keys), Some(key));
        let expired = keys.issue(7, sid, chrono::Utc::now() - chrono::Duration::minutes(1));
        assert_eq!(TokenCache::key(&format!("Bearer {expired}"), &keys), None);
        let foreign = tokens::JwtKeys::new("k2").issue(
            7,
            sid,
            chrono::Utc::now() + chrono::Duration::minutes(1),
        );
        assert_eq!(TokenCache::key(&format!("Bearer {foreign}"), &keys), None);
    }

    #[test]
    fn a_change_to_accounts_forgets_every_caller() {
        let cache = TokenCache::default();
        let key = TokenCache::key("Token abc123", &tokens::JwtKeys::new("k1")).unwrap();
        cache.put(key.clone(), caller(), generation());
        assert_eq!(cache.get(&key).map(|c| c.user_id), Some(1));
        accounts_changed();
        assert!(cache.get(&key).is_none());
        // Read before the change, stored after it: not kept.
        let seen = generation();
        accounts_changed();
        cache.put(key.clone(), caller(), seen);
        assert!(cache.get(&key).is_none());
    }
}
