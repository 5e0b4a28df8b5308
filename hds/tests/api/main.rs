//! Integration tests through the HTTP layer against real PostgreSQL.

mod support;

mod conventions;
mod loaddata;
mod operations;
mod roles;
mod users;
