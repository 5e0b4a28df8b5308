//! Failed-login throttle (docs/api-design.md#users): a sliding window of failures per
//! username (any case) and per client address (`api::proxies::client_ip`). Past
//! `HDS_LOGIN_USER_FAILURES` or `HDS_LOGIN_CLIENT_FAILURES` failures within
//! `HDS_LOGIN_WINDOW_SECS`, a login is answered 429 with `Retry-After` (the seconds until the
//! oldest failure leaves the window) before any password is checked. A successful login
//! clears its username's failures. In memory, per server process: the limits are per
//! process, which bounds guessing well enough for a handful of API servers.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::config::Config;

/// Keys kept before expired ones are swept; beyond `MAX_KEYS` no new usernames are tracked
/// (the per-client limit still holds a spraying client back).
const SWEEP_AT: usize = 10_000;
const MAX_KEYS: usize = 100_000;

#[derive(Debug)]
struct Window<K> {
    max: usize,
    failures: HashMap<K, VecDeque<Instant>>,
}

impl<K: Hash + Eq + Clone> Window<K> {
    fn new(max: usize) -> Self {
        Window {
            max,
            failures: HashMap::new(),
        }
    }

    /// Seconds to wait when `key` has `max` failures within `window`.
    fn wait(&mut self, key: &K, now: Instant, window: Duration) -> Option<u64> {
        let q = self.failures.get_mut(key)?;
        while q.front().is_some_and(|t| now.duration_since(*t) >= window) {
            q.pop_front();
        }
        if q.len() < self.max {
            return None;
        }
        let oldest = *q.front()?;
        let left = window.saturating_sub(now.duration_since(oldest));
        Some(left.as_secs_f64().ceil().max(1.0) as u64)
    }

    fn record(&mut self, key: K, now: Instant, window: Duration) {
        if self.failures.len() >= SWEEP_AT && !self.failures.contains_key(&key) {
            self.failures
                .retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) < window));
            if self.failures.len() >= MAX_KEYS {
                return;
            }
        }
        let q = self.failures.entry(key).or_default();
        q.push_back(now);
        // Only the newest `max` matter.
        while q.len() > self.max {
            q.pop_front();
        }
    }
}

#[derive(Debug)]
pub struct LoginThrottle {
    window: Duration,
    users: Mutex<Window<String>>,
    clients: Mutex<Window<IpAddr>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl LoginThrottle {
    pub fn new(config: &Config) -> Self {
        LoginThrottle {
            window: Duration::from_secs(config.login_window_secs),
            users: Mutex::new(Window::new(config.login_user_failures)),
            clients: Mutex::new(Window::new(config.login_client_failures)),
        }
    }

    /// `Err(seconds)` when this username or client has failed too often lately.
    pub fn check(&self, username: &str, client: Option<IpAddr>) -> Result<(), u64> {
        let now = Instant::now();
        let user = lock(&self.users).wait(&username.to_lowercase(), now, self.window);
        let client = client.and_then(|c| lock(&self.clients).wait(&c, now, self.window));
        match user.max(client) {
            Some(secs) => Err(secs),
            None => Ok(()),
        }
    }

    pub fn failed(&self, username: &str, client: Option<IpAddr>) {
        let now = Instant::now();
        lock(&self.users).record(username.to_lowercase(), now, self.window);
        if let Some(c) = client {
            lock(&self.clients).record(c, now, self.window);
        }
    }

    pub fn succeeded(&self, username: &str) {
        lock(&self.users).failures.remove(&username.to_lowercase());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_slide_out_of_the_window() {
        let mut w = Window::new(3);
        let t0 = Instant::now();
        let window = Duration::from_secs(60);
        for i in 0..3 {
            assert_eq!(w.wait(&"a", t0 + Duration::from_secs(i), window), None);
            w.record("a", t0 + Duration::from_secs(i), window);
        }
        assert_eq!(w.wait(&"a", t0 + Duration::from_secs(10), window), Some(50));
        assert_eq!(w.wait(&"b", t0 + Duration::from_secs(10), window), None);
        assert_eq!(
            w.wait(&"a", t0 + Duration::from_millis(59_500), window),
            Some(1)
        );
        // The first failure leaves the window at 60 s: one more attempt is allowed.
        assert_eq!(w.wait(&"a", t0 + Duration::from_secs(60), window), None);
    }
}
