//! Users, profiles, credentials (contract §4.1, deviations D1, D2, D24).

pub mod handlers;
pub mod models;
pub mod repo;
pub mod session;
