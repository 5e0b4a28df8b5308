//! Every environment variable the binary reads, declared once (docs/deploy.md#configuration).
//!
//! `hds describe` prints this list with the queues, so deployment files (Terraform task
//! definitions, supervisor configs) and the configuration reference are checked against it;
//! a test fails when the source reads a variable that is not declared here.

use serde::Serialize;

use crate::forward::QUEUES;

/// The processes a variable matters to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Process {
    /// `hds runserver` (and the one-off commands run next to it: migrate, loaddata, users).
    Api,
    /// `hds worker`.
    Worker,
    /// `hds forward`.
    Forward,
    /// Benchmarks and tooling only; never set in a deployment.
    Tooling,
}

use Process::{Api, Forward, Tooling, Worker};

#[derive(Clone, Debug, Serialize)]
pub struct Setting {
    pub name: String,
    /// What an unset variable means, as text (`None`: unset is a valid "off").
    pub default: Option<&'static str>,
    /// Credentials and keys: a deployment passes them from a secret store, never as plain
    /// environment in a task definition.
    pub secret: bool,
    pub processes: Vec<Process>,
    pub doc: String,
}

struct Declared {
    name: &'static str,
    default: Option<&'static str>,
    secret: bool,
    processes: &'static [Process],
    doc: &'static str,
}

const fn plain(
    name: &'static str,
    default: Option<&'static str>,
    processes: &'static [Process],
    doc: &'static str,
) -> Declared {
    Declared {
        name,
        default,
        secret: false,
        processes,
        doc,
    }
}

const fn secret(name: &'static str, processes: &'static [Process], doc: &'static str) -> Declared {
    Declared {
        name,
        default: None,
        secret: true,
        processes,
        doc,
    }
}

const SERVER: &[Process] = &[Api, Worker];
const ALL: &[Process] = &[Api, Worker, Forward];

const DECLARED: &[Declared] = &[
    plain("HDS_ENV", Some("development"), ALL, "`development` (or `test`) or `production`; production refuses unsafe settings (default secret key, open CORS); the default key serves only development on loopback."),
    plain("HDS_LOG_FORMAT", Some("json in production, pretty otherwise"), ALL, "`json` or `pretty`."),
    plain("HDS_LOG", Some("info,actix_server=warn"), ALL, "Log filter (`info`, `hds=debug,actix_web=warn`, …)."),
    plain("RUST_LOG", None, ALL, "Read when HDS_LOG is unset."),
    secret("HDS_SECRET_KEY", SERVER, "Signing key of access/refresh tokens; at least 32 characters in production."),
    secret("DJANGO_SECRET_KEY", SERVER, "Read when HDS_SECRET_KEY is unset (the original deployment's name)."),
    secret("DATABASE_URL", SERVER, "PostgreSQL URL (`postgres://user:password@host:5432/hds`); default `postgres://postgres@127.0.0.1:5432/hds`."),
    plain("HDS_DB_POOL_SIZE", Some("16"), SERVER, "Pooled PostgreSQL connections per process."),
    plain("HDS_DB_POOL_TIMEOUT_MS", Some("3000"), SERVER, "How long a request waits for a pooled connection before answering 503."),
    plain("HDS_DB_STATEMENT_TIMEOUT_MS", Some("30000"), SERVER, "Statement timeout of every pooled connection."),
    plain("HDS_INGEST_WRITERS", Some("2"), &[Api], "Report writers, each with its own connection, storing posted reports in batches."),
    secret("REDIS_URL", SERVER, "Redis URL of the job queue; default `redis://127.0.0.1:6379/0`."),
    plain("HDS_PORT", Some("8085"), &[Api], "Port of the API, web app, docs and `/metrics`."),
    plain("HDS_BIND", Some("127.0.0.1"), &[Api], "Address the API listens on (`0.0.0.0` in a container); anything but loopback needs `HDS_SECRET_KEY`."),
    plain("HDS_WORKERS", Some("2"), &[Api], "HTTP worker threads."),
    plain("HDS_ACCESS_TOKEN_MINUTES", Some("15"), &[Api], "Lifetime of an access token (1–60)."),
    plain("HDS_REFRESH_TOKEN_DAYS", Some("14"), &[Api], "Lifetime of a refresh token."),
    plain("HDS_SESSION_TOKEN_IDLE_DAYS", Some("14"), &[Api], "Days without use after which a login's session API token is refused."),
    plain("AWS_ENDPOINT_URL", None, ALL, "S3/SQS endpoint override (moto locally); unset on AWS."),
    plain("AWS_REGION", Some("us-west-1"), ALL, "AWS region of the bucket and queues."),
    plain("HDS_BUCKET", Some("hds-local"), ALL, "The S3 bucket harvesters upload to."),
    plain("AWS_STORAGE_BUCKET_NAME", None, ALL, "Read when HDS_BUCKET is unset (the original deployment's name)."),
    plain("GITHASH", None, SERVER, "Commit recorded in migration logs; unset: the commit the binary was built from (the image's build argument)."),
    plain("FRONTEND_URL", Some("http://localhost:8085"), SERVER, "Base URL of the web app, for links in Slack messages."),
    plain("HDS_FRONTEND_DIR", Some("frontend/dist"), &[Api], "Directory of the built web app served at `/`."),
    secret("SLACK_TOKEN", SERVER, "Slack bot token; unset: messages are logged, not sent."),
    plain("SLACK_API_URL", Some("https://slack.com/api"), SERVER, "Slack API base URL."),
    plain("JOB_SERVER_ADDRESS", Some("http://127.0.0.1:8090"), SERVER, "Base URL of the harvester job server."),
    plain("HDS_HEADER_TIMEOUT_SECS", Some("5"), &[Api], "Seconds a client has to send a request's headers (else 408 and the connection is closed)."),
    plain("HDS_BODY_TIMEOUT_SECS", Some("30"), &[Api], "Seconds a client has to send a request's body once its headers are in (else 408); no database connection is held meanwhile."),
    plain("HDS_REQUEST_TIMEOUT_SECS", Some("60"), &[Api], "Seconds a request may take from its headers to its answer (else 408 while its body is still arriving, 503 with `Retry-After` after)."),
    plain("HDS_CLIENT_MAX_REQUESTS", Some("256"), &[Api], "Requests one client address may have in progress at once; more are answered 429 with `Retry-After`."),
    plain("HDS_REPORT_BODY_LIMIT", Some("10485760"), &[Api], "Body limit (bytes) of report ingestion routes."),
    plain("HDS_BODY_LIMIT", Some("1048576"), &[Api], "Body limit (bytes) of every other route."),
    plain("HDS_LOG_UPLOAD_LIMIT", Some("2147483648"), &[Api], "Largest log-session zip accepted (bytes; streamed to S3, 413 above)."),
    plain("HDS_LOG_UPLOAD_TIMEOUT_SECS", Some("3600"), &[Api], "Seconds a log-session upload may take (each chunk still within HDS_BODY_TIMEOUT_SECS)."),
    plain("HDS_ZIP_MAX_ENTRIES", Some("10000"), SERVER, "Most members a log-session zip may hold."),
    plain("HDS_ZIP_MAX_TOTAL", Some("68719476736"), SERVER, "Most bytes a log-session zip may expand to, all members together."),
    plain("HDS_ZIP_MAX_RATIO", Some("200"), SERVER, "Most times a member over 1 MiB may expand (zip bombs)."),
    plain("HDS_FFMPEG", Some("ffmpeg"), &[Worker], "The ffmpeg that converts log-session videos to MP4."),
    plain("HDS_FFMPEG_TIMEOUT_SECS", Some("600"), &[Worker], "Seconds one video conversion may take."),
    plain("HDS_CORS_ORIGINS", Some("* in development, none in production"), &[Api], "Comma-separated origins whose pages may call the API."),
    plain("HDS_TRUSTED_PROXIES", Some("127.0.0.1/32,::1/128"), &[Api], "Comma-separated addresses or CIDR ranges of proxies (load balancers) whose `X-Forwarded-For`/`-Proto`/`-Host`, `Forwarded` and `Host` are believed, for the client's address and the links in answers; `none`: no proxy is trusted."),
    plain("HDS_PUBLIC_URL", None, &[Api], "Base URL (`https://hds.example.org`) of `next`/`previous` links in answers to requests not made through a trusted proxy; unset: the address the connection came in on."),
    plain("HDS_LOGIN_USER_FAILURES", Some("10"), &[Api], "Failed logins of one username within HDS_LOGIN_WINDOW_SECS after which its logins are answered 429 with `Retry-After`."),
    plain("HDS_LOGIN_CLIENT_FAILURES", Some("50"), &[Api], "Failed logins from one client address within HDS_LOGIN_WINDOW_SECS after which its logins are answered 429 with `Retry-After`."),
    plain("HDS_LOGIN_WINDOW_SECS", Some("900"), &[Api], "Sliding window (seconds) of the login throttle."),
    plain("HDS_WORKER_CONCURRENCY", Some("4"), &[Worker], "Background jobs run at once."),
    plain("HDS_SWEEP_SECONDS", Some("10"), &[Worker], "Seconds between sweeps of PostgreSQL for pending work."),
    plain("HDS_SWEEP_GRACE_SECONDS", Some("30"), &[Worker], "How old pending work must be before a sweep takes it."),
    plain("HDS_API_URL", Some("http://127.0.0.1:8085"), &[Forward], "Base URL of the API the forwarders post to."),
    secret("SQS_TOKEN", &[Forward], "API token of the `sqs` user the forwarders post with."),
    plain("HDS_FORWARD_CONCURRENCY", Some("8"), &[Forward], "Messages a forwarder processes at once."),
    plain("DJANGO_SUPERUSER_USERNAME", Some("aft"), &[Api], "Username of the superuser `hds initsuperuser` creates."),
    plain("DJANGO_SUPERUSER_EMAIL", Some(""), &[Api], "Email of that superuser."),
    secret("DJANGO_SUPERUSER_PASSWORD", &[Api], "Password of that superuser (required in production)."),
    secret("HDS_NEW_USER_PASSWORD", &[Tooling], "Password for `hds createuser` when not given as an option."),
    secret("HDS_BENCH_TOKEN", &[Tooling], "API token `hds loadtest` uses."),
];

/// Every variable, the declared ones followed by each queue's URL and key prefixes.
pub fn settings() -> Vec<Setting> {
    let mut all: Vec<Setting> = DECLARED
        .iter()
        .map(|d| Setting {
            name: d.name.to_string(),
            default: d.default,
            secret: d.secret,
            processes: d.processes.to_vec(),
            doc: d.doc.to_string(),
        })
        .collect();
    for q in QUEUES {
        all.push(Setting {
            name: q.env.to_string(),
            default: None,
            secret: false,
            processes: vec![Forward],
            doc: format!(
                "URL of the `{}` SQS queue; its forwarder does not start without it.",
                q.name
            ),
        });
        all.push(Setting {
            name: q.prefixes_var(),
            default: None,
            secret: false,
            processes: vec![Forward],
            doc: format!(
                "Comma-separated S3 key prefixes accepted on `{}` (default `{}`).",
                q.name,
                q.default_prefixes.join(",")
            ),
        });
    }
    all
}

/// What `hds describe` prints: the settings and the queues.
#[derive(Serialize)]
pub struct Description {
    pub settings: Vec<Setting>,
    pub queues: Vec<QueueDescription>,
}

#[derive(Serialize)]
pub struct QueueDescription {
    pub name: &'static str,
    pub url_variable: &'static str,
    pub prefixes_variable: String,
    pub default_prefixes: &'static [&'static str],
    pub api_path: &'static str,
    /// Whether the forwarder downloads the object (else it posts the S3 event itself).
    pub downloads_object: bool,
    /// Whether the forwarder deletes the object once ingested (needs `s3:DeleteObject`).
    pub deletes_object: bool,
}

pub fn describe() -> Description {
    Description {
        settings: settings(),
        queues: QUEUES
            .iter()
            .map(|q| QueueDescription {
                name: q.name,
                url_variable: q.env,
                prefixes_variable: q.prefixes_var(),
                default_prefixes: q.default_prefixes,
                api_path: q.path,
                downloads_object: q.s3_event_payload,
                deletes_object: q.s3_delete,
            })
            .collect(),
    }
}

/// The configuration reference as a Markdown table (docs/deploy.md#configuration).
pub fn markdown() -> String {
    let mut out = String::from(
        "| variable | default | secret | used by | meaning |\n|---|---|---|---|---|\n",
    );
    for s in settings() {
        let processes: Vec<String> = s
            .processes
            .iter()
            .map(|p| format!("{p:?}").to_lowercase())
            .collect();
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            s.name,
            s.default
                .map(|d| format!("`{d}`"))
                .unwrap_or_else(|| "unset".into()),
            if s.secret { "yes" } else { "" },
            processes.join(", "),
            s.doc.replace('|', "\\|"),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::path::Path;

    /// The names the source reads through `var("…")`, `var_or("…"`, `parse_or("…"`,
    /// `env("…")` or clap's `env = "…"`.
    fn names_read(dir: &Path, found: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                names_read(&path, found);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") || path.ends_with("settings.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for opener in [
                "var(\"",
                "var_or(\"",
                "parse_or(\"",
                "env(\"",
                "env = \"",
                ">(\"",
            ] {
                for (at, _) in text.match_indices(opener) {
                    let rest = &text[at + opener.len()..];
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
                        .collect();
                    if name.len() > 2 && rest[name.len()..].starts_with('"') {
                        found.insert(name);
                    }
                }
            }
        }
    }

    #[test]
    fn every_variable_the_source_reads_is_declared() {
        let mut read = BTreeSet::new();
        names_read(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut read,
        );
        assert!(
            read.contains("DATABASE_URL") && read.contains("SQS_TOKEN"),
            "{read:?}"
        );
        let declared: BTreeSet<String> = settings().into_iter().map(|s| s.name).collect();
        let missing: Vec<_> = read.difference(&declared).collect();
        assert!(
            missing.is_empty(),
            "read but not declared in settings.rs: {missing:?}"
        );
        let unread: Vec<_> = DECLARED
            .iter()
            .map(|d| d.name)
            .filter(|n| !read.contains(*n))
            .collect();
        assert!(unread.is_empty(), "declared but never read: {unread:?}");
    }

    #[test]
    fn names_are_unique() {
        let all = settings();
        let names: BTreeSet<_> = all.iter().map(|s| s.name.clone()).collect();
        assert_eq!(names.len(), all.len());
    }
}
