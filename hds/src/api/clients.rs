//! How many requests one client may have in progress at once (`HDS_CLIENT_MAX_REQUESTS`):
//! beyond that a request is answered 429 with `Retry-After` before any work is done for it
//! (docs/api-design.md#request-bodies).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// Requests in progress per client address.
#[derive(Debug)]
pub struct ClientSlots {
    max: usize,
    in_progress: Mutex<HashMap<IpAddr, usize>>,
}

/// One request in progress; its slot is given back when it is dropped (answered, failed or
/// abandoned by its client).
#[derive(Debug)]
pub struct Slot {
    slots: Arc<ClientSlots>,
    client: IpAddr,
}

impl ClientSlots {
    pub fn new(max: usize) -> Arc<ClientSlots> {
        Arc::new(ClientSlots {
            max,
            in_progress: Mutex::new(HashMap::new()),
        })
    }

    /// A slot for one more request of `client`, or `None` when it has `max` in progress.
    pub fn acquire(self: &Arc<Self>, client: IpAddr) -> Option<Slot> {
        let mut map = self
            .in_progress
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let n = map.entry(client).or_insert(0);
        if *n >= self.max {
            return None;
        }
        *n += 1;
        Some(Slot {
            slots: self.clone(),
            client,
        })
    }

    /// Requests of `client` in progress.
    pub fn in_progress(&self, client: IpAddr) -> usize {
        self.in_progress
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&client)
            .copied()
            .unwrap_or(0)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut map = self
            .slots
            .in_progress
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(n) = map.get_mut(&self.client) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                map.remove(&self.client);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_counted_per_client_and_given_back() {
        let slots = ClientSlots::new(2);
        let a: IpAddr = [10, 0, 0, 1].into();
        let b: IpAddr = [10, 0, 0, 2].into();
        let first = slots.acquire(a).expect("first");
        let second = slots.acquire(a).expect("second");
        assert!(slots.acquire(a).is_none(), "a third at once is refused");
        assert!(slots.acquire(b).is_some(), "another client is not affected");
        drop(first);
        assert_eq!(slots.in_progress(a), 1);
        assert!(slots.acquire(a).is_some());
        drop(second);
        assert_eq!(slots.in_progress(b), 0, "a dropped slot is given back");
    }
}
