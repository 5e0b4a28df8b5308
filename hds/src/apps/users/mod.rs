//! Users, profiles, credentials (docs/api-design.md#users, docs/compatibility.md#d1,
//! docs/compatibility.md#d2, docs/compatibility.md#d24).

pub mod handlers;
pub mod models;
pub mod repo;
pub mod session;
