//! AFT exception codes, code manifests, extracted exceptions and the pareto
//! (docs/api-design.md#exceptions).

pub mod codes;
pub mod filters;
pub mod handlers;
pub mod json;
pub mod manifest;
pub mod pareto;
pub mod rollup;
