//! Typed configuration, read once from the environment (and an optional `.env`).

use std::env;

use anyhow::{bail, Context};

use crate::forward::QUEUES;

/// The insecure key used when none is configured; refused in production.
pub const DEV_SECRET_KEY: &str = "hds-development-secret-key-do-not-use-in-production";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub env: Environment,
    pub database_url: String,
    pub db_pool_size: usize,
    /// How long a request waits for a pooled connection before answering 503.
    pub db_pool_timeout_ms: u64,
    /// Per-statement timeout applied to every pooled connection.
    pub db_statement_timeout_ms: u64,
    /// Report writers (each with a connection of its own) storing posted error reports.
    pub ingest_writers: usize,
    pub redis_url: String,
    pub port: u16,
    pub bind: String,
    pub workers: usize,
    pub secret_key: String,
    pub access_token_minutes: i64,
    pub refresh_token_days: i64,
    /// Days without use after which a login session's API token (`token`) is refused.
    pub session_token_idle_days: i64,
    pub aws_endpoint_url: Option<String>,
    pub aws_region: String,
    pub bucket: String,
    pub queue_urls: Vec<(String, Option<String>)>,
    /// Key prefixes accepted per queue (by name): `<QUEUE>_KEY_PREFIXES` or the defaults of
    /// `forward::QUEUES`.
    pub queue_prefixes: Vec<(&'static str, Vec<String>)>,
    pub frontend_url: String,
    pub frontend_dir: String,
    pub slack_token: Option<String>,
    pub slack_api_url: String,
    pub job_server_address: String,
    pub log_format: LogFormat,
    /// Body limit for report ingestion routes.
    pub report_body_limit: usize,
    /// Body limit for every other route.
    pub body_limit: usize,
    /// Seconds a client has to send a request's headers.
    pub header_timeout_secs: u64,
    /// Seconds a client has to send a request's body once its headers are in.
    pub body_timeout_secs: u64,
    /// Seconds a request may take from its headers to its answer.
    pub request_timeout_secs: u64,
    /// Requests one client address may have in progress at once.
    pub client_max_requests: usize,
    /// Origins whose pages may call the API from a browser (`*`: any).
    pub cors_origins: Vec<String>,
    /// Peers whose `X-Forwarded-*` / `Forwarded` / `Host` headers are believed
    /// (`HDS_TRUSTED_PROXIES`; docs/api-design.md#clients-and-proxies).
    pub trusted_proxies: crate::api::proxies::TrustedProxies,
    /// Base URL (`scheme://host[:port]`) of links in answers to requests that did not come
    /// through a trusted proxy (`HDS_PUBLIC_URL`); unset: the address the connection came in on.
    pub public_url: Option<String>,
    /// Failed logins of one username within `login_window_secs` before it is throttled (429).
    pub login_user_failures: usize,
    /// Failed logins from one client address within `login_window_secs` before it is throttled.
    pub login_client_failures: usize,
    /// The sliding window of the login throttle, in seconds.
    pub login_window_secs: u64,
    /// Log-session uploads (docs/api-design.md#log-sessions): the largest zip accepted.
    pub log_upload_limit: u64,
    /// Seconds a log-session upload may take, from its headers to its answer.
    pub log_upload_timeout_secs: u64,
    /// Zip checks: members, bytes uncompressed in all, and how many times one member may expand.
    pub zip_max_entries: u64,
    pub zip_max_total: u64,
    pub zip_max_ratio: u64,
    /// The ffmpeg the worker converts session videos with, and how long one conversion may take.
    pub ffmpeg: String,
    pub ffmpeg_timeout_secs: u64,
}

fn var(name: &str) -> Option<String> {
    env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn var_or(name: &str, default: &str) -> String {
    var(name).unwrap_or_else(|| default.to_string())
}

fn parse_or<T: std::str::FromStr>(name: &str, default: T) -> anyhow::Result<T>
where
    T::Err: std::fmt::Display,
{
    match var(name) {
        None => Ok(default),
        Some(raw) => raw
            .parse()
            .map_err(|e| anyhow::anyhow!("{name}={raw:?} is not valid: {e}")),
    }
}

impl Config {
    /// Reads `.env` (if present) and the environment. Fails on malformed values and on
    /// unsafe production settings.
    pub fn from_env() -> anyhow::Result<Self> {
        let _ = dotenvy::dotenv();
        let env = match var_or("HDS_ENV", "development").as_str() {
            // `test` is development for the purposes of configuration (test suites, CI).
            "development" | "dev" | "test" => Environment::Development,
            "production" | "prod" => Environment::Production,
            other => bail!("HDS_ENV must be development, test or production, not {other:?}"),
        };
        let log_format = match var("HDS_LOG_FORMAT").as_deref() {
            Some("json") => LogFormat::Json,
            Some("pretty") => LogFormat::Pretty,
            None if env == Environment::Production => LogFormat::Json,
            None => LogFormat::Pretty,
            Some(other) => bail!("HDS_LOG_FORMAT must be json or pretty, not {other:?}"),
        };
        let secret_key = var("HDS_SECRET_KEY")
            .or_else(|| var("DJANGO_SECRET_KEY"))
            .unwrap_or_else(|| DEV_SECRET_KEY.to_string());
        let trusted_proxies = var_or("HDS_TRUSTED_PROXIES", crate::api::proxies::DEFAULT_TRUSTED);
        let config = Config {
            env,
            database_url: var_or("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hds"),
            db_pool_size: parse_or("HDS_DB_POOL_SIZE", 16)?,
            db_pool_timeout_ms: parse_or("HDS_DB_POOL_TIMEOUT_MS", 3000)?,
            db_statement_timeout_ms: parse_or("HDS_DB_STATEMENT_TIMEOUT_MS", 30_000)?,
            ingest_writers: parse_or::<usize>("HDS_INGEST_WRITERS", 2)?.max(1),
            redis_url: var_or("REDIS_URL", "redis://127.0.0.1:6379/0"),
            port: parse_or("HDS_PORT", 8085)?,
            bind: var_or("HDS_BIND", "127.0.0.1"),
            workers: parse_or("HDS_WORKERS", 2)?,
            secret_key,
            access_token_minutes: parse_or("HDS_ACCESS_TOKEN_MINUTES", 15)?,
            refresh_token_days: parse_or("HDS_REFRESH_TOKEN_DAYS", 14)?,
            session_token_idle_days: parse_or("HDS_SESSION_TOKEN_IDLE_DAYS", 14)?,
            aws_endpoint_url: var("AWS_ENDPOINT_URL"),
            aws_region: var_or("AWS_REGION", "us-west-1"),
            bucket: var("HDS_BUCKET")
                .or_else(|| var("AWS_STORAGE_BUCKET_NAME"))
                .unwrap_or_else(|| "hds-local".to_string()),
            queue_urls: QUEUES
                .iter()
                .map(|q| (q.env.to_string(), var(q.env)))
                .collect(),
            queue_prefixes: QUEUES
                .iter()
                .map(|q| {
                    let prefixes = match var(&q.prefixes_var()) {
                        Some(list) => list
                            .split(',')
                            .map(str::trim)
                            .filter(|p| !p.is_empty())
                            .map(str::to_string)
                            .collect(),
                        None => q.default_prefixes.iter().map(|p| p.to_string()).collect(),
                    };
                    (q.name, prefixes)
                })
                .collect(),
            frontend_url: var_or("FRONTEND_URL", "http://localhost:8085"),
            frontend_dir: var_or("HDS_FRONTEND_DIR", "frontend/dist"),
            slack_token: var("SLACK_TOKEN"),
            slack_api_url: var_or("SLACK_API_URL", "https://slack.com/api"),
            job_server_address: var_or("JOB_SERVER_ADDRESS", "http://127.0.0.1:8090"),
            log_format,
            report_body_limit: parse_or("HDS_REPORT_BODY_LIMIT", 10 * 1024 * 1024)?,
            body_limit: parse_or("HDS_BODY_LIMIT", 1024 * 1024)?,
            header_timeout_secs: parse_or("HDS_HEADER_TIMEOUT_SECS", 5)?,
            body_timeout_secs: parse_or("HDS_BODY_TIMEOUT_SECS", 30)?,
            request_timeout_secs: parse_or("HDS_REQUEST_TIMEOUT_SECS", 60)?,
            client_max_requests: parse_or("HDS_CLIENT_MAX_REQUESTS", 256)?,
            // Any origin in development (like the original everywhere); none in production
            // unless listed (docs/api-design.md#cors).
            cors_origins: match var("HDS_CORS_ORIGINS") {
                Some(v) => v.split(',').map(|s| s.trim().to_string()).collect(),
                None if env == Environment::Production => Vec::new(),
                None => vec!["*".to_string()],
            },
            trusted_proxies: crate::api::proxies::TrustedProxies::parse(&trusted_proxies)
                .context("HDS_TRUSTED_PROXIES")?,
            public_url: var("HDS_PUBLIC_URL").map(|u| u.trim_end_matches('/').to_string()),
            login_user_failures: parse_or("HDS_LOGIN_USER_FAILURES", 10)?,
            login_client_failures: parse_or("HDS_LOGIN_CLIENT_FAILURES", 50)?,
            login_window_secs: parse_or("HDS_LOGIN_WINDOW_SECS", 900)?,
            log_upload_limit: parse_or("HDS_LOG_UPLOAD_LIMIT", 2 * 1024 * 1024 * 1024)?,
            log_upload_timeout_secs: parse_or("HDS_LOG_UPLOAD_TIMEOUT_SECS", 3600)?,
            zip_max_entries: parse_or("HDS_ZIP_MAX_ENTRIES", 10_000)?,
            zip_max_total: parse_or("HDS_ZIP_MAX_TOTAL", 64 * 1024 * 1024 * 1024)?,
            zip_max_ratio: parse_or("HDS_ZIP_MAX_RATIO", 200)?,
            ffmpeg: var_or("HDS_FFMPEG", "ffmpeg"),
            ffmpeg_timeout_secs: parse_or("HDS_FFMPEG_TIMEOUT_SECS", 600)?,
        };
        config.check()?;
        Ok(config)
    }

    fn check(&self) -> anyhow::Result<()> {
        if self.env == Environment::Production {
            if self.secret_key == DEV_SECRET_KEY {
                bail!("refusing to start in production with the default secret key: set HDS_SECRET_KEY");
            }
            if self.secret_key.len() < 32 {
                bail!("HDS_SECRET_KEY must be at least 32 characters in production");
            }
        }
        if self.header_timeout_secs == 0
            || self.body_timeout_secs == 0
            || self.request_timeout_secs == 0
        {
            bail!("HDS_HEADER_TIMEOUT_SECS, HDS_BODY_TIMEOUT_SECS and HDS_REQUEST_TIMEOUT_SECS must be at least 1");
        }
        if let Some(url) = &self.public_url {
            url_has_scheme(url, &["http", "https"]).context("HDS_PUBLIC_URL")?;
        }
        if self.login_user_failures == 0
            || self.login_client_failures == 0
            || self.login_window_secs == 0
        {
            bail!("HDS_LOGIN_USER_FAILURES, HDS_LOGIN_CLIENT_FAILURES and HDS_LOGIN_WINDOW_SECS must be at least 1");
        }
        if self.log_upload_timeout_secs == 0 || self.ffmpeg_timeout_secs == 0 {
            bail!("HDS_LOG_UPLOAD_TIMEOUT_SECS and HDS_FFMPEG_TIMEOUT_SECS must be at least 1");
        }
        if self.client_max_requests == 0 {
            bail!("HDS_CLIENT_MAX_REQUESTS must be at least 1");
        }
        if !(1..=60).contains(&self.access_token_minutes) {
            bail!("HDS_ACCESS_TOKEN_MINUTES must be between 1 and 60 (15 recommended)");
        }
        url_has_scheme(&self.database_url, &["postgres", "postgresql"]).context("DATABASE_URL")?;
        Ok(())
    }

    /// Refuses to serve with the published development key (`DEV_SECRET_KEY`) anywhere but a
    /// development machine: outside development (`HDS_ENV`), or listening on an address other
    /// than loopback (`bind`, for `hds runserver`), where anyone who knows the key could sign
    /// themselves a token (docs/deploy.md#configuration).
    pub fn check_serving_key(&self, bind: Option<&str>) -> anyhow::Result<()> {
        if self.secret_key != DEV_SECRET_KEY {
            return Ok(());
        }
        if self.env != Environment::Development {
            bail!("refusing to start with the default development secret key outside development: set HDS_SECRET_KEY");
        }
        if let Some(bind) = bind.filter(|b| !is_loopback(b)) {
            bail!(
                "refusing to listen on {bind} with the default development secret key: set HDS_SECRET_KEY \
                 (or bind to 127.0.0.1 for development)"
            );
        }
        Ok(())
    }

    pub fn is_production(&self) -> bool {
        self.env == Environment::Production
    }

    /// The database name in `database_url` replaced by `name` (used by tests and tooling).
    pub fn database_url_for(&self, name: &str) -> String {
        replace_db_name(&self.database_url, name)
    }
}

/// Whether a listen address (`HDS_BIND`) is reachable from this machine only.
fn is_loopback(bind: &str) -> bool {
    let host = bind.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn url_has_scheme(url: &str, schemes: &[&str]) -> anyhow::Result<()> {
    let scheme = url.split("://").next().unwrap_or("");
    if schemes.contains(&scheme) {
        Ok(())
    } else {
        bail!("expected a {} URL, got {url:?}", schemes.join("/"))
    }
}

/// Replaces the path (database name) of a postgres URL, keeping any query string.
pub fn replace_db_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_end = base[scheme_end..]
        .find('/')
        .map(|i| i + scheme_end)
        .unwrap_or(base.len());
    let mut out = format!("{}/{}", &base[..host_end], name);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_refuses_the_default_or_a_short_secret() {
        let mut c = Config::from_env().expect("development config");
        c.env = Environment::Production;
        c.secret_key = DEV_SECRET_KEY.to_string();
        assert!(c
            .check()
            .unwrap_err()
            .to_string()
            .contains("default secret key"));
        c.secret_key = "short".into();
        assert!(c.check().is_err());
        c.secret_key = "a-production-secret-that-is-long-enough-0123456789".into();
        assert!(c.check().is_ok());
        c.access_token_minutes = 120;
        assert!(c.check().is_err(), "access tokens stay short-lived");
    }

    #[test]
    fn the_development_key_serves_only_development_on_loopback() {
        let mut c = Config::from_env().expect("development config");
        c.env = Environment::Development;
        c.secret_key = DEV_SECRET_KEY.to_string();
        for local in ["127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"] {
            assert!(c.check_serving_key(Some(local)).is_ok(), "{local}");
        }
        assert!(
            c.check_serving_key(None).is_ok(),
            "the worker listens nowhere"
        );
        for open in ["0.0.0.0", "::", "10.0.0.5", "hds.example.org"] {
            let err = c.check_serving_key(Some(open)).unwrap_err().to_string();
            assert!(
                err.contains("HDS_SECRET_KEY") && err.contains(open),
                "{err}"
            );
        }
        c.env = Environment::Production;
        assert!(c.check_serving_key(None).is_err());
        assert!(c.check_serving_key(Some("127.0.0.1")).is_err());
        c.secret_key = "a-production-secret-that-is-long-enough-0123456789".into();
        assert!(c.check_serving_key(Some("0.0.0.0")).is_ok());
    }

    #[test]
    fn replaces_database_name() {
        assert_eq!(
            replace_db_name("postgres://u@h:5432/hds", "t1"),
            "postgres://u@h:5432/t1"
        );
        assert_eq!(replace_db_name("postgres://u@h", "t1"), "postgres://u@h/t1");
        assert_eq!(
            replace_db_name("postgres://u@h/x?sslmode=disable", "t1"),
            "postgres://u@h/t1?sslmode=disable"
        );
    }
}
