//! `hds forward --queue <name>`: moves messages from one SQS queue into the API, exactly once in
//! effect (docs/api-design.md#forwarders).
//!
//! A message is deleted (and, where configured, its S3 object) only after the API answered 2xx.
//! Transient failures (network, 5xx, 429) leave it to come back with backoff; permanent ones
//! (bad JSON, rejected keys, 4xx) are recorded in the failed-ingest log and, after the queue's
//! redrive limit, end in its dead-letter queue.

pub mod metrics;
mod process;
pub mod queues;
mod run;

pub use queues::{queue_url, QueueSpec, QUEUES};
pub use run::{run, ForwarderConfig, QueueChoice};
