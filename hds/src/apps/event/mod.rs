//! Events and pick sessions: rows identified by a client UUID that link everything produced by
//! the same occurrence on a harvester (docs/api-design.md#events-and-uuids,
//! docs/api-design.md#events-and-pick-sessions, docs/compatibility.md#d6).

pub mod handlers;
pub mod json;
pub mod link;

/// The event representation (for other apps' documentation).
pub type EventDoc = json::Event;

pub use handlers::{Events, PickSessions, UuidInput};
