//! Integration tests through the HTTP layer against real PostgreSQL.

// Tests may unwrap (`clippy::unwrap_used` is denied for the workspace's own code).
#![allow(clippy::unwrap_used)]

mod data;
mod support;

mod all_queues;
mod clients;
mod compat;
mod conventions;
mod errorreport_lists;
mod errorreport_writers;
mod errorreports;
mod events;
mod exceptions;
mod extraction_batches;
mod fleet;
mod hardening;
mod jobs;
mod loaddata;
mod logsessions;
mod migrations;
mod notifications;
mod operations;
mod pareto_rollup;
mod pipeline;
mod processes;
mod queue;
mod releases;
mod report_extraction;
mod report_kinds;
mod roles;
mod rollouts;
mod snapshots;
mod users;
