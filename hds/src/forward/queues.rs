//! The nine queues (the reference's `sqs.yml`): where each delivers and how.

use crate::config::Config;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueSpec {
    pub name: &'static str,
    pub env: &'static str,
    /// API path the payload is POSTed to.
    pub path: &'static str,
    /// Download the S3 object and POST its JSON (else POST the raw SQS message).
    pub s3_event_payload: bool,
    /// Delete the S3 object once ingested.
    pub s3_delete: bool,
    /// Key prefixes accepted on this queue.
    pub prefixes: &'static [&'static str],
}

pub const QUEUES: &[QueueSpec] = &[
    QueueSpec {
        name: "errorreports",
        env: "ERRORREPORTS_QUEUE_URL",
        path: "/api/v1/errorreports/",
        s3_event_payload: true,
        s3_delete: true,
        prefixes: &["errorreport/"],
    },
    QueueSpec {
        name: "sessclip",
        env: "SESSCLIP_QUEUE_URL",
        path: "/api/v1/sessclip/",
        s3_event_payload: false,
        s3_delete: false,
        prefixes: &["sessclip/"],
    },
    QueueSpec {
        name: "s3files",
        env: "S3FILES_QUEUE_URL",
        path: "/api/v1/s3files/",
        s3_event_payload: false,
        s3_delete: false,
        prefixes: &["hdsfiles/"],
    },
    QueueSpec {
        name: "harvversion",
        env: "HARVVERSION_QUEUE_URL",
        path: "/api/v1/harvversion/",
        s3_event_payload: true,
        s3_delete: true,
        prefixes: &["versions/"],
    },
    QueueSpec {
        name: "jobresults",
        env: "JOBRESULTS_QUEUE_URL",
        path: "/api/v1/jobresults/",
        s3_event_payload: true,
        s3_delete: true,
        prefixes: &["jobresults/"],
    },
    QueueSpec {
        name: "autodiagnostics",
        env: "AUTODIAGNOSTICS_QUEUE_URL",
        path: "/api/v1/autodiagnostics/",
        s3_event_payload: true,
        s3_delete: true,
        prefixes: &["autodiagnostics/"],
    },
    QueueSpec {
        name: "aftconfigs",
        env: "AFTCONFIGS_QUEUE_URL",
        path: "/api/v1/aftconfigs/",
        s3_event_payload: true,
        s3_delete: true,
        prefixes: &["aftconfigs/"],
    },
    QueueSpec {
        name: "gripreports",
        env: "GRIPREPORT_QUEUE_URL",
        path: "/api/v1/gripreports/",
        s3_event_payload: true,
        s3_delete: true,
        prefixes: &["gripreports/"],
    },
    QueueSpec {
        name: "harvassetreport",
        env: "ASSET_QUEUE_URL",
        path: "/api/v1/harvassetreport/",
        s3_event_payload: true,
        s3_delete: true,
        prefixes: &["assets/"],
    },
];

pub fn spec(name: &str) -> Option<&'static QueueSpec> {
    QUEUES.iter().find(|q| q.name == name)
}

/// The configured URL of queue `name`.
pub fn queue_url(config: &Config, name: &str) -> Option<String> {
    let spec = spec(name)?;
    config
        .queue_urls
        .iter()
        .find(|(var, _)| var == spec.env)
        .and_then(|(_, url)| url.clone())
}

/// Rule 5: only configured buckets and prefixes; no traversal, absolute or control-character keys.
pub fn key_allowed(
    spec: &QueueSpec,
    bucket: &str,
    allowed_bucket: &str,
    key: &str,
) -> Result<(), String> {
    if bucket != allowed_bucket {
        return Err(format!("bucket {bucket:?} is not {allowed_bucket:?}"));
    }
    if key.is_empty() || key.len() > 1024 {
        return Err("empty or overlong key".into());
    }
    if key.starts_with('/')
        || key.split('/').any(|seg| seg == "..")
        || key.chars().any(char::is_control)
    {
        return Err(format!("unsafe key {key:?}"));
    }
    if !spec.prefixes.iter().any(|p| key.starts_with(p)) {
        return Err(format!("key {key:?} is outside {:?}", spec.prefixes));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_guarded() {
        let q = spec("errorreports").unwrap();
        assert!(key_allowed(q, "b", "b", "errorreport/x_1.json").is_ok());
        assert!(key_allowed(q, "other", "b", "errorreport/x.json").is_err());
        assert!(key_allowed(q, "b", "b", "errorreport/../secrets").is_err());
        assert!(key_allowed(q, "b", "b", "/errorreport/x").is_err());
        assert!(key_allowed(q, "b", "b", "errorreport/x\n").is_err());
        assert!(key_allowed(q, "b", "b", "hdsfiles/x").is_err());
        assert_eq!(QUEUES.len(), 9);
    }
}
