//! The receive loop: long polls, bounded concurrency, visibility handling, graceful shutdown.

use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_sdk_sqs::types::{Message, MessageSystemAttributeName};
use futures_util::stream::{self, StreamExt};

use super::metrics::ForwarderMetrics;
use super::process::{process, receive_count, record_failure, Outcome};
use super::queues::{self, QueueSpec};
use crate::config::Config;

/// Which queues a forwarder process serves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueueChoice {
    /// One queue (one process per queue, as the original deploys them).
    One(String),
    /// Every queue whose URL is configured, in one process (small deployments).
    All,
}

/// What `hds forward` needs besides the queue.
#[derive(Clone, Debug)]
pub struct ForwarderConfig {
    pub queues: QueueChoice,
    pub api_url: String,
    pub token: String,
    pub concurrency: usize,
    pub metrics_port: Option<u16>,
    /// Seconds a received message stays invisible while being processed.
    pub visibility_seconds: i32,
    /// Long-poll wait (≤ 20 s).
    pub wait_seconds: i32,
}

/// Shared by every message task.
pub struct Shared {
    pub http: reqwest::Client,
    pub s3: aws_sdk_s3::Client,
    pub sqs: aws_sdk_sqs::Client,
    pub api_url: String,
    pub token: String,
    pub bucket: String,
    pub max_object_bytes: usize,
    pub queue_url: String,
    /// Key prefixes accepted on this queue.
    pub prefixes: Vec<String>,
    pub metrics: ForwarderMetrics,
}

fn backoff_seconds(receives: i32) -> i32 {
    (5 * 2_i32.pow(receives.clamp(1, 6) as u32 - 1)).min(120)
}

async fn set_visibility(sh: &Shared, m: &Message, seconds: i32) {
    if let Some(handle) = m.receipt_handle() {
        if let Err(e) = sh
            .sqs
            .change_message_visibility()
            .queue_url(&sh.queue_url)
            .receipt_handle(handle)
            .visibility_timeout(seconds)
            .send()
            .await
        {
            tracing::warn!(error = %e, "could not change message visibility");
        }
    }
}

/// Handles one message end to end; returns true when the API asked us to slow down.
async fn handle(sh: Arc<Shared>, spec: &'static QueueSpec, m: Message) -> bool {
    let started = Instant::now();
    sh.metrics.in_flight.inc();
    let (outcome, objects) = process(&sh, spec, &m).await;
    tracing::debug!(queue = spec.name, message = ?m.message_id(), ?outcome, "processed");
    let mut slow = false;
    match &outcome {
        Outcome::Done => {
            sh.metrics.delivered.with_label_values(&[spec.name]).inc();
            // Rule 2: delete only after the API committed.
            if let Some(handle) = m.receipt_handle() {
                match sh
                    .sqs
                    .delete_message()
                    .queue_url(&sh.queue_url)
                    .receipt_handle(handle)
                    .send()
                    .await
                {
                    Ok(_) => sh.metrics.deleted.with_label_values(&[spec.name]).inc(),
                    Err(e) => {
                        tracing::warn!(error = %e, "delete failed; the redelivery will be a no-op")
                    }
                }
            }
            for (bucket, key) in objects {
                match sh.s3.delete_object().bucket(&bucket).key(&key).send().await {
                    Ok(_) => sh.metrics.s3_deleted.with_label_values(&[spec.name]).inc(),
                    Err(e) => tracing::warn!(%key, error = %e, "could not delete the S3 object"),
                }
            }
            sh.metrics
                .latency
                .with_label_values(&[spec.name])
                .observe(started.elapsed().as_secs_f64());
        }
        Outcome::Transient { reason, slow_down } => {
            slow = *slow_down;
            sh.metrics
                .failed
                .with_label_values(&[spec.name, "transient", "transient"])
                .inc();
            // A missing object is re-checked soon (it may still be arriving); anything else backs off.
            let wait = if reason == "object_missing" {
                2
            } else {
                backoff_seconds(receive_count(&m))
            };
            tracing::warn!(message = ?m.message_id(), %reason, retry_in = wait, "delivery failed; will retry");
            set_visibility(&sh, &m, wait).await;
        }
        Outcome::Permanent { reason, detail, .. } => {
            sh.metrics
                .failed
                .with_label_values(&[spec.name, reason, "permanent"])
                .inc();
            tracing::error!(message = ?m.message_id(), %reason, %detail, "message cannot be ingested; logged");
            match record_failure(&sh, spec, &m, &outcome).await {
                // Back soon, so the redrive policy moves it to the dead-letter queue quickly.
                Ok(()) => set_visibility(&sh, &m, 1).await,
                Err(e) => {
                    tracing::warn!(error = %e, "could not record the failure; will retry");
                    set_visibility(&sh, &m, backoff_seconds(receive_count(&m))).await;
                }
            }
        }
    }
    sh.metrics.in_flight.dec();
    slow
}

fn metrics_server(metrics: ForwarderMetrics, port: u16) -> std::io::Result<actix_web::dev::Server> {
    use actix_web::{web, App, HttpResponse, HttpServer};
    Ok(HttpServer::new(move || {
        let m = metrics.clone();
        App::new().route(
            "/metrics",
            web::get().to(move || {
                let body = m.render();
                async move {
                    HttpResponse::Ok()
                        .content_type("text/plain; version=0.0.4")
                        .body(body)
                }
            }),
        )
    })
    .workers(1)
    .disable_signals()
    .bind(("0.0.0.0", port))?
    .run())
}

/// Runs until `shutdown` resolves; then finishes in-flight messages (30 s at most) and makes
/// any unfinished ones visible again at once. With [`QueueChoice::All`] every configured queue
/// has its own receive loop in this process, sharing clients and the metrics port.
pub async fn run(
    config: &Config,
    fc: ForwarderConfig,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let specs: Vec<&'static QueueSpec> = match &fc.queues {
        QueueChoice::One(name) => vec![queues::spec(name).ok_or_else(|| {
            let names: Vec<&str> = queues::QUEUES.iter().map(|q| q.name).collect();
            anyhow::anyhow!("unknown queue {name:?}; one of {}", names.join(", "))
        })?],
        QueueChoice::All => queues::QUEUES
            .iter()
            .filter(|q| queues::queue_url(config, q.name).is_some())
            .collect(),
    };
    if specs.is_empty() {
        anyhow::bail!("no queue URL is configured (set <QUEUE>_QUEUE_URL; see hds describe)");
    }
    let metrics = ForwarderMetrics::new();
    if let Some(port) = fc.metrics_port {
        let server = metrics_server(metrics.clone(), port)?;
        tokio::spawn(async move {
            if let Err(e) = server.await {
                tracing::error!(port, error = %e, "forwarder metrics server failed");
            }
        });
    }
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?;
    let s3 = crate::storage::s3_client(config).await;
    let shutdown = futures_util::FutureExt::shared(futures_util::FutureExt::boxed(shutdown));
    let mut loops = Vec::new();
    for spec in specs {
        let queue_url = queues::queue_url(config, spec.name)
            .ok_or_else(|| anyhow::anyhow!("{} is not set", spec.env))?;
        let sh = Arc::new(Shared {
            http: http.clone(),
            s3: s3.clone(),
            // A client per queue: its long polls must not wait for another queue's connection.
            sqs: crate::storage::sqs_client(config).await,
            api_url: fc.api_url.trim_end_matches('/').to_string(),
            token: fc.token.clone(),
            bucket: config.bucket.clone(),
            max_object_bytes: config.report_body_limit,
            queue_url,
            prefixes: queues::prefixes(config, spec.name),
            metrics: metrics.clone(),
        });
        loops.push(forward_queue(sh, spec, fc.clone(), shutdown.clone()));
    }
    futures_util::future::join_all(loops).await;
    Ok(())
}

/// One queue's receive loop.
async fn forward_queue(
    sh: Arc<Shared>,
    spec: &'static QueueSpec,
    fc: ForwarderConfig,
    shutdown: impl std::future::Future<Output = ()>,
) {
    let queue_url = sh.queue_url.clone();
    tracing::info!(queue = spec.name, url = %queue_url, api = %sh.api_url, "forwarder started");
    tokio::pin!(shutdown);
    let mut pause = Duration::ZERO;
    loop {
        if !pause.is_zero() {
            tokio::select! { _ = &mut shutdown => break, _ = tokio::time::sleep(pause) => {} }
        }
        let receive = sh
            .sqs
            .receive_message()
            .queue_url(&queue_url)
            .max_number_of_messages(10)
            .wait_time_seconds(fc.wait_seconds.clamp(0, 20))
            .visibility_timeout(fc.visibility_seconds)
            .message_system_attribute_names(MessageSystemAttributeName::ApproximateReceiveCount)
            .send();
        tokio::pin!(receive);
        let batch = tokio::select! {
            _ = &mut shutdown => {
                // The long poll in flight may still be handed messages: wait for it and give
                // them back at once, or they would stay invisible for the visibility timeout.
                let wait = Duration::from_secs(fc.wait_seconds.clamp(0, 20) as u64 + 5);
                if let Ok(Ok(out)) = tokio::time::timeout(wait, &mut receive).await {
                    for m in out.messages.unwrap_or_default() {
                        set_visibility(&sh, &m, 0).await;
                    }
                }
                break;
            }
            r = &mut receive => r,
        };
        let messages = match batch {
            Ok(out) => out.messages.unwrap_or_default(),
            Err(e) => {
                tracing::warn!(queue = spec.name, error = %e, "receive failed; retrying");
                pause = Duration::from_secs(1);
                continue;
            }
        };
        if !messages.is_empty() {
            tracing::debug!(queue = spec.name, messages = messages.len(), "received");
        }
        sh.metrics
            .fetched
            .with_label_values(&[spec.name])
            .inc_by(messages.len() as u64);
        let handles: Vec<String> = messages
            .iter()
            .filter_map(|m| m.receipt_handle().map(str::to_owned))
            .collect();
        let work = stream::iter(messages)
            .map(|m| handle(sh.clone(), spec, m))
            .buffer_unordered(fc.concurrency.max(1))
            .collect::<Vec<bool>>();
        tokio::pin!(work);
        let slowed = tokio::select! {
            results = &mut work => results.into_iter().any(|s| s),
            _ = &mut shutdown => {
                // Finish what is in flight, within the deadline, then release the rest.
                if tokio::time::timeout(Duration::from_secs(30), &mut work).await.is_err() {
                    for h in &handles {
                        let _ = sh.sqs.change_message_visibility().queue_url(&queue_url).receipt_handle(h).visibility_timeout(0).send().await;
                    }
                }
                break;
            }
        };
        // Rule 6: the API asked us to slow down.
        pause = if slowed {
            (pause * 2).clamp(Duration::from_secs(1), Duration::from_secs(30))
        } else {
            Duration::ZERO
        };
    }
    tracing::info!(queue = spec.name, "forwarder stopped");
}
