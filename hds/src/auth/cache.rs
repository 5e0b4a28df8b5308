//! API-token authentications reused for a few seconds, so a busy machine account (the
//! forwarders post thousands of reports a minute) does not cost a database round trip per
//! request. Only API tokens: JWT sessions are verified against the database every time.
//!
//! Changes to accounts made through this server (logout, deactivation, role changes, user
//! deletion) take effect at once: every write to the `user` routes and every token revocation
//! bumps [`AUTH_CHANGED`], which empties the cache. Changes made elsewhere (another server,
//! the CLI) take effect within [`TTL`].

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::{tokens, Caller};

const TTL: Duration = Duration::from_secs(5);
/// More distinct tokens than this within [`TTL`] empties the cache (a bound on memory).
const MAX_ENTRIES: usize = 4096;

pub static AUTH_CHANGED: AtomicU64 = AtomicU64::new(0);

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
    /// The cache key of an `Authorization` header holding an API token (not a JWT).
    pub fn key(header: &str) -> Option<String> {
        let (scheme, value) = header.trim().split_once(' ')?;
        let value = value.trim();
        let is_api_token = scheme.eq_ignore_ascii_case("token")
            && !value.is_empty()
            && !tokens::looks_like_jwt(value);
        is_api_token.then(|| tokens::sha256_hex(value))
    }

    pub fn get(&self, key: &str) -> Option<Caller> {
        let mut entries = self.entries();
        entries.forget_if_changed(generation());
        match entries.callers.get(key) {
            Some((caller, at)) if at.elapsed() < TTL => Some(caller.clone()),
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
    fn only_api_tokens_are_keys() {
        assert!(TokenCache::key("Token abc123").is_some());
        assert!(TokenCache::key("token abc123").is_some());
        assert_eq!(TokenCache::key("Token "), None);
        assert_eq!(TokenCache::key("Bearer abc123"), None);
        assert_eq!(TokenCache::key("Token aaa.bbb.ccc"), None, "a JWT");
        assert_ne!(TokenCache::key("Token abc123").unwrap(), "abc123", "hashed");
    }

    #[test]
    fn a_change_to_accounts_forgets_every_caller() {
        let cache = TokenCache::default();
        let key = TokenCache::key("Token abc123").unwrap();
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
