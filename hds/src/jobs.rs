//! Background work handed from the API to `hds worker`.
//!
//! The work itself is recorded in PostgreSQL in the same transaction as the row it concerns
//! (`error_reports.extraction_status`, `exception_code_manifests.applied_at`,
//! `migration_logs.result`); the queue only
//! makes it start sooner. If the queue is unreachable the worker's sweep finds the pending rows.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// A unit of background work.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "job", rename_all = "snake_case")]
pub enum Job {
    ExtractReport {
        report_id: i64,
    },
    ApplyManifest {
        manifest_id: i64,
    },
    /// The background work of a report of another kind (named by its basename).
    Extract {
        kind: String,
        report_id: i64,
    },
    /// Send a job to the harvester job server.
    Dispatch {
        job_id: i64,
    },
    /// Apply the pending schema migrations, recorded on migration log `log_id`.
    Migrate {
        log_id: i64,
    },
    /// Extract an uploaded log session (docs/api-design.md#log-sessions).
    ExtractLogSession {
        session_id: i64,
    },
}

/// Where jobs go.
pub trait JobSink: Send + Sync {
    fn push(&self, job: Job) -> futures_util::future::BoxFuture<'_, anyhow::Result<()>>;
}

/// The API's handle to the queue. Pushing never fails a request: the database already holds
/// the work.
#[derive(Clone, Default)]
pub struct Jobs {
    sink: Option<Arc<dyn JobSink>>,
}

impl Jobs {
    /// No queue: work waits for the worker's sweep (tests drive the worker functions directly).
    pub fn none() -> Self {
        Jobs { sink: None }
    }

    pub fn with_sink(sink: Arc<dyn JobSink>) -> Self {
        Jobs { sink: Some(sink) }
    }

    pub async fn push(&self, job: Job) {
        let Some(sink) = &self.sink else { return };
        if let Err(err) = sink.push(job.clone()).await {
            tracing::warn!(?job, error = %err, "could not queue background job; the sweep will pick it up");
        }
    }

    pub async fn extract_report(&self, report_id: i64) {
        self.push(Job::ExtractReport { report_id }).await;
    }

    pub async fn apply_manifest(&self, manifest_id: i64) {
        self.push(Job::ApplyManifest { manifest_id }).await;
    }
}
