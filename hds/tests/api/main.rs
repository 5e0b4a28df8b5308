//! Integration tests through the HTTP layer against real PostgreSQL.

mod data;
mod support;

mod conventions;
mod errorreports;
mod loaddata;
mod operations;
mod roles;
mod users;
