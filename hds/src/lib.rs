//! HDS, the Harvester Data Store: the API server, its commands, workers and
//! forwarders. See ARCHITECTURE.md for the processes and how data flows.

// `clippy::unwrap_used` is denied for the workspace (Cargo.toml); unit tests may unwrap.
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod api;
pub mod apps;
pub mod auth;
pub mod bench;
pub mod cli;
pub mod commands;
pub mod config;
pub mod db;
pub mod error;
pub mod forward;
pub mod jobs;
pub mod metrics;
pub mod reports;
/// Diesel table definitions: `diesel print-schema` of the migrated database (diesel.toml),
/// checked against the migrations by scripts/check-schema.
#[rustfmt::skip]
pub mod schema;
pub mod settings;
pub mod slack;
pub mod storage;
pub mod telemetry;
pub mod worker;
