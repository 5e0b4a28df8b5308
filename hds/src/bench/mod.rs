//! Benchmark tooling behind `hds gendata` and `hds loadtest` (driven by `scripts/bench`):
//! a dataset generator and an HTTP load generator that reports throughput and percentiles.

pub mod gendata;
pub mod load;
pub mod scenarios;
