//! The nine queues (the original's `sqs.yml`): where each delivers and how. This list is the
//! one declaration of them: the configuration reads each queue's URL and key prefixes from it,
//! and a test checks the local setup (`scripts/services`, `scripts/aws_setup.py`) against it.

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
    /// Key prefixes accepted on this queue unless `<QUEUE>_KEY_PREFIXES` (see
    /// [`prefixes_var`](Self::prefixes_var)) says otherwise. `errorreport/` and `hdsfiles/`
    /// are the original deployment's; the others follow its naming.
    pub default_prefixes: &'static [&'static str],
    /// Port of its forwarder's Prometheus metrics in the supervisor configs (one process per
    /// queue; `hds forward --all` serves all on the one port it is given).
    pub metrics_port: u16,
}

impl QueueSpec {
    /// The variable that overrides the key prefixes (comma-separated): `ERRORREPORTS_QUEUE_URL`
    /// → `ERRORREPORTS_KEY_PREFIXES`.
    pub fn prefixes_var(&self) -> String {
        format!("{}_KEY_PREFIXES", self.env.trim_end_matches("_QUEUE_URL"))
    }
}

pub const QUEUES: &[QueueSpec] = &[
    QueueSpec {
        name: "errorreports",
        env: "ERRORREPORTS_QUEUE_URL",
        path: "/api/v1/errorreports/",
        s3_event_payload: true,
        s3_delete: true,
        metrics_port: 9104,
        default_prefixes: &["errorreport/"],
    },
    QueueSpec {
        name: "sessclip",
        env: "SESSCLIP_QUEUE_URL",
        path: "/api/v1/sessclip/",
        s3_event_payload: false,
        s3_delete: false,
        metrics_port: 9106,
        default_prefixes: &["sessclip/"],
    },
    QueueSpec {
        name: "s3files",
        env: "S3FILES_QUEUE_URL",
        path: "/api/v1/s3files/",
        s3_event_payload: false,
        s3_delete: false,
        metrics_port: 9105,
        default_prefixes: &["hdsfiles/"],
    },
    QueueSpec {
        name: "harvversion",
        env: "HARVVERSION_QUEUE_URL",
        path: "/api/v1/harvversion/",
        s3_event_payload: true,
        s3_delete: true,
        metrics_port: 9107,
        default_prefixes: &["versions/"],
    },
    QueueSpec {
        name: "jobresults",
        env: "JOBRESULTS_QUEUE_URL",
        path: "/api/v1/jobresults/",
        s3_event_payload: true,
        s3_delete: true,
        metrics_port: 9108,
        default_prefixes: &["jobresults/"],
    },
    QueueSpec {
        name: "autodiagnostics",
        env: "AUTODIAGNOSTICS_QUEUE_URL",
        path: "/api/v1/autodiagnostics/",
        s3_event_payload: true,
        s3_delete: true,
        metrics_port: 9109,
        default_prefixes: &["autodiagnostics/"],
    },
    QueueSpec {
        name: "aftconfigs",
        env: "AFTCONFIGS_QUEUE_URL",
        path: "/api/v1/aftconfigs/",
        s3_event_payload: true,
        s3_delete: true,
        metrics_port: 9110,
        default_prefixes: &["aftconfigs/"],
    },
    QueueSpec {
        name: "gripreports",
        env: "GRIPREPORT_QUEUE_URL",
        path: "/api/v1/gripreports/",
        s3_event_payload: true,
        s3_delete: true,
        metrics_port: 9111,
        default_prefixes: &["gripreports/"],
    },
    QueueSpec {
        name: "harvassetreport",
        env: "ASSET_QUEUE_URL",
        path: "/api/v1/harvassetreport/",
        s3_event_payload: true,
        s3_delete: true,
        metrics_port: 9112,
        default_prefixes: &["assets/"],
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

/// The key prefixes accepted on queue `name` (configured, else the defaults).
pub fn prefixes(config: &Config, name: &str) -> Vec<String> {
    config
        .queue_prefixes
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, p)| p.clone())
        .unwrap_or_default()
}

/// Rule 5: only the configured bucket and the queue's prefixes; no traversal, absolute or
/// control-character keys. The one check of an announced object, shared with the API's
/// `s3files/` and `sessclip/` (`apps::s3file::parse::check_object`).
pub fn key_allowed(
    prefixes: &[String],
    bucket: &str,
    allowed_bucket: &str,
    key: &str,
) -> Result<(), String> {
    crate::apps::s3file::parse::check_object(prefixes, bucket, allowed_bucket, key)
        .map_err(|(_, why)| why)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_guarded() {
        let q = &spec("errorreports")
            .unwrap()
            .default_prefixes
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>();
        assert!(key_allowed(q, "b", "b", "errorreport/x_1.json").is_ok());
        assert!(key_allowed(q, "other", "b", "errorreport/x.json").is_err());
        assert!(key_allowed(q, "b", "b", "errorreport/../secrets").is_err());
        assert!(key_allowed(q, "b", "b", "/errorreport/x").is_err());
        assert!(key_allowed(q, "b", "b", "errorreport/x\n").is_err());
        assert!(key_allowed(q, "b", "b", "hdsfiles/x").is_err());
        assert_eq!(QUEUES.len(), 9);
        assert_eq!(QUEUES[0].prefixes_var(), "ERRORREPORTS_KEY_PREFIXES");
    }

    /// The local setup creates exactly these queues with these prefixes (the same list, kept
    /// in two other languages): `scripts/aws_setup.py` and `scripts/services`.
    #[test]
    fn the_local_setup_matches_this_list() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let setup = std::fs::read_to_string(root.join("scripts/aws_setup.py")).unwrap();
        let services = std::fs::read_to_string(root.join("scripts/services")).unwrap();
        for q in QUEUES {
            let line = setup
                .lines()
                .find(|l| l.contains(&format!("(\"{}\"", q.env)))
                .unwrap_or_else(|| panic!("aws_setup.py lacks {}", q.env));
            for prefix in q.default_prefixes {
                assert!(
                    line.contains(&format!("\"{prefix}\"")),
                    "{line} lacks {prefix}"
                );
            }
            assert!(services.contains(q.env), "scripts/services lacks {}", q.env);
        }
        let listed = |text: &str| text.matches("_QUEUE_URL").count();
        assert_eq!(
            listed(&setup),
            QUEUES.len(),
            "aws_setup.py lists other queues"
        );
        assert_eq!(
            listed(&services),
            QUEUES.len(),
            "scripts/services lists other queues"
        );
    }

    /// Both supervisor configs run one forwarder per queue on its metrics port, and README
    /// lists the ports.
    #[test]
    fn the_supervisor_configs_run_every_queue() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
        for conf in [
            "supervisor/supervisord.conf",
            "supervisor/supervisord.local.conf",
        ] {
            let text = std::fs::read_to_string(root.join(conf)).unwrap();
            for q in QUEUES {
                let header = format!("[program:forward-{}]", q.name);
                let block = text
                    .split("\n[")
                    .find(|b| format!("[{b}").starts_with(&header) || b.starts_with(&header))
                    .unwrap_or_else(|| panic!("{conf} lacks {header}"));
                assert!(
                    block.contains(&format!("--queue {} ", q.name))
                        && block.contains(&format!("--metrics-port {}", q.metrics_port)),
                    "{conf}: {header} runs another queue or port"
                );
                assert!(
                    readme.contains(&format!("`{}` | {}", q.name, q.metrics_port)),
                    "README lacks the port of {}",
                    q.name
                );
            }
            assert_eq!(
                text.matches("[program:forward-").count(),
                QUEUES.len(),
                "{conf} runs other forwarders"
            );
        }
        let mut ports: Vec<u16> = QUEUES.iter().map(|q| q.metrics_port).collect();
        ports.sort_unstable();
        ports.dedup();
        assert_eq!(ports.len(), QUEUES.len(), "one port per queue");
    }
}
