//! Forwarder metrics, served on the forwarder's own port.

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, Opts, Registry, TextEncoder,
};

#[derive(Clone)]
pub struct ForwarderMetrics {
    pub registry: Registry,
    pub fetched: IntCounterVec,
    pub delivered: IntCounterVec,
    pub deleted: IntCounterVec,
    pub failed: IntCounterVec,
    pub s3_deleted: IntCounterVec,
    pub in_flight: IntGauge,
    pub latency: HistogramVec,
}

impl ForwarderMetrics {
    pub fn new() -> Self {
        let registry = Registry::new();
        let counter = |name: &str, help: &str, labels: &[&str]| {
            let c = IntCounterVec::new(Opts::new(name, help), labels).expect("metric");
            registry.register(Box::new(c.clone())).expect("register");
            c
        };
        let fetched = counter(
            "hds_forwarder_messages_fetched_total",
            "SQS messages received",
            &["queue"],
        );
        let delivered = counter(
            "hds_forwarder_messages_delivered_total",
            "Payloads the API accepted",
            &["queue"],
        );
        let deleted = counter(
            "hds_forwarder_messages_deleted_total",
            "SQS messages deleted after delivery",
            &["queue"],
        );
        let failed = counter(
            "hds_forwarder_messages_failed_total",
            "Failed deliveries by reason",
            &["queue", "reason", "kind"],
        );
        let s3_deleted = counter(
            "hds_forwarder_s3_objects_deleted_total",
            "S3 objects deleted after delivery",
            &["queue"],
        );
        let in_flight =
            IntGauge::new("hds_forwarder_in_flight", "Messages being processed").expect("metric");
        registry
            .register(Box::new(in_flight.clone()))
            .expect("register");
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "hds_forwarder_delivery_seconds",
                "Time from receive to delete",
            )
            .buckets(vec![
                0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
            ]),
            &["queue"],
        )
        .expect("metric");
        registry
            .register(Box::new(latency.clone()))
            .expect("register");
        ForwarderMetrics {
            registry,
            fetched,
            delivered,
            deleted,
            failed,
            s3_deleted,
            in_flight,
            latency,
        }
    }

    pub fn render(&self) -> String {
        let mut buf = Vec::new();
        TextEncoder::new()
            .encode(&self.registry.gather(), &mut buf)
            .expect("encode");
        String::from_utf8(buf).expect("utf-8")
    }
}

impl Default for ForwarderMetrics {
    fn default() -> Self {
        Self::new()
    }
}
