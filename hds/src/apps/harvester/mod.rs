//! Fruits, harvesters and the harvester history (contract §4.6, D8, D22).

pub mod harvesters;
pub mod history;

pub use harvesters::record_history;
