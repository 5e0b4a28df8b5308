//! The failed-ingest log (beyond the reference): every message a forwarder received but could
//! not ingest, with why; managers redrive or resolve them.

pub mod handlers;
