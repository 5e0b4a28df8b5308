//! Fruits, harvesters and the harvester history (docs/api-design.md#fruits-and-harvesters,
//! docs/compatibility.md#d8, docs/compatibility.md#d22).

pub mod harvesters;
pub mod history;

pub use harvesters::record_history;
