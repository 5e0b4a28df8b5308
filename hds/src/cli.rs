//! `hds <command>`: the server and the management commands, in the spirit of `manage.py`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::auth::Role;
use crate::commands;
use crate::config::Config;

#[derive(Parser, Debug)]
#[command(
    name = "hds",
    version,
    about = "Harvester Data Store: API server and management commands"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the API, metrics, API docs and web app on HDS_BIND:HDS_PORT (default 127.0.0.1:8085).
    /// In development, pending migrations are applied first.
    Runserver {
        /// Override HDS_PORT.
        #[arg(long)]
        port: Option<u16>,
    },
    /// Apply pending database migrations (creating the database if needed).
    Migrate {
        /// Revert every migration instead (destroys all data).
        #[arg(long)]
        revert_all: bool,
    },
    /// Load Django-style fixture files (`[{"model","pk","fields"}]`); idempotent.
    Loaddata {
        /// Fixture files, loaded together in dependency order.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Skip (and report) entries of unknown models or with unknown fields instead of failing.
        #[arg(long)]
        skip_unknown: bool,
    },
    /// Create the superuser (DJANGO_SUPERUSER_USERNAME/_EMAIL/_PASSWORD, default user `aft`) with a
    /// manager profile, unless it exists.
    Initsuperuser,
    /// Ensure the `sqs` service user (role sqs) and print a fresh API token for it.
    CreateSqsUser {
        /// Also write `export SQS_TOKEN=<token>` to this file (like the reference's `.sqstoken`).
        #[arg(long)]
        token_file: Option<PathBuf>,
    },
    /// Create a user with any role; prints an API token with --token.
    Createuser {
        username: String,
        #[arg(long, value_parser = parse_role, default_value = "support")]
        role: Role,
        /// Password (or HDS_NEW_USER_PASSWORD); without one the user cannot log in with a password.
        #[arg(long, env = "HDS_NEW_USER_PASSWORD")]
        password: Option<String>,
        #[arg(long, default_value = "")]
        email: String,
        #[arg(long)]
        superuser: bool,
        /// Issue and print an API token.
        #[arg(long)]
        token: bool,
    },
    /// Run background jobs: exception extraction and its Slack messages, code-manifest upserts.
    /// Also sweeps PostgreSQL for work the queue lost (pending rows), so nothing is missed.
    Worker {
        /// Jobs run at once.
        #[arg(long, env = "HDS_WORKER_CONCURRENCY", default_value_t = 4)]
        concurrency: usize,
        /// Seconds between sweeps for pending work.
        #[arg(long, env = "HDS_SWEEP_SECONDS", default_value_t = 10)]
        sweep_seconds: u64,
        /// How old pending work must be before the sweep takes it while the queue is up.
        #[arg(long, env = "HDS_SWEEP_GRACE_SECONDS", default_value_t = 30)]
        sweep_grace_seconds: i64,
    },
    /// Forward one SQS queue into the API (one process per queue), or with --all every queue
    /// whose URL is configured in one process.
    Forward {
        /// errorreports, sessclip, s3files, harvversion, jobresults, autodiagnostics, aftconfigs,
        /// gripreports or harvassetreport.
        #[arg(long, required_unless_present = "all", conflicts_with = "all")]
        queue: Option<String>,
        /// Every queue whose <QUEUE>_QUEUE_URL is set, in this one process.
        #[arg(long)]
        all: bool,
        /// Base URL of the API.
        #[arg(long, env = "HDS_API_URL", default_value = "http://127.0.0.1:8085")]
        api_url: String,
        /// API token of the `sqs` user (or SQS_TOKEN, or --token-file).
        #[arg(long, env = "SQS_TOKEN")]
        token: Option<String>,
        /// A file containing `export SQS_TOKEN=<key>` (as written by create-sqs-user).
        #[arg(long)]
        token_file: Option<PathBuf>,
        /// Messages processed at once.
        #[arg(long, env = "HDS_FORWARD_CONCURRENCY", default_value_t = 8)]
        concurrency: usize,
        /// Port of this forwarder's Prometheus metrics.
        #[arg(long)]
        metrics_port: Option<u16>,
        #[arg(long, default_value_t = 60)]
        visibility_seconds: i32,
        #[arg(long, default_value_t = 20)]
        wait_seconds: i32,
    },
    /// Benchmarks: fill the database with generated error reports and exceptions.
    Gendata {
        #[arg(long, default_value_t = 100_000)]
        reports: i64,
        #[arg(long, default_value_t = 3)]
        exceptions_per_report: i64,
    },
    /// Benchmarks: load a running server and print requests/s and latency percentiles.
    Loadtest {
        /// Server base URL.
        #[arg(long, default_value = "http://127.0.0.1:8187")]
        url: String,
        /// API token (superuser or sqs for ingest; support or above for reads).
        #[arg(long, env = "HDS_BENCH_TOKEN")]
        token: String,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        #[arg(long, default_value_t = 16)]
        connections: usize,
        /// Scenarios to run (ingest, list, filtered, detail, pareto, events; `pareto:<grouping>`
        /// by name only); all by default.
        #[arg(long, value_delimiter = ',')]
        scenarios: Vec<String>,
        /// The harvester ingest reports come from.
        #[arg(long, default_value_t = 5001)]
        harv_id: i32,
        /// Also write the results as JSON here.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Post the asset manifest (every asset by harvester and type, and the unused ones) to a
    /// Slack channel; run it on a schedule (cron, an ECS scheduled task).
    AssetManifest {
        #[arg(long, default_value = "hds-test")]
        channel: String,
    },
    /// A local stand-in for the harvester job server (a third party): records the jobs it is
    /// sent (`GET /jobs`) and fails on request (`POST /control`). For development and tests.
    Jobserver {
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// The port of JOB_SERVER_ADDRESS's default.
        #[arg(long, default_value_t = 8090)]
        port: u16,
    },
    /// Print the OpenAPI document (YAML, or JSON with --json).
    Openapi {
        #[arg(long)]
        json: bool,
    },
    /// Print what a deployment must wire up: every environment variable and every queue (JSON,
    /// or the configuration reference as Markdown with --markdown).
    Describe {
        #[arg(long)]
        markdown: bool,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| {
        format!("unknown role {s:?}; one of support, developer, manager, sqs, jenkins, beatbox")
    })
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Command::Loadtest {
        url,
        token,
        seconds,
        connections,
        scenarios,
        harv_id,
        out,
    } = cli.command
    {
        let o = crate::bench::scenarios::Options {
            base: url,
            token,
            seconds,
            connections,
            scenarios,
            harv_id,
        };
        let results = crate::bench::scenarios::run_all(&o).await?;
        let json = crate::bench::scenarios::print(&results);
        if let Some(path) = out {
            std::fs::write(path, serde_json::to_string_pretty(&json)?)?;
        }
        return Ok(());
    }
    if let Command::Openapi { json } = cli.command {
        let doc = crate::api::api_doc();
        print!("{}", if json { &doc.json } else { &doc.yaml });
        return Ok(());
    }
    if let Command::Describe { markdown } = cli.command {
        if markdown {
            print!("{}", crate::settings::markdown());
        } else {
            println!(
                "{}",
                serde_json::to_string_pretty(&crate::settings::describe())?
            );
        }
        return Ok(());
    }
    let config = Config::from_env()?;
    crate::telemetry::init(config.log_format);
    match cli.command {
        Command::Runserver { port } => commands::serve::run(config, port).await,
        Command::Migrate { revert_all } => commands::migrate(&config, revert_all).await,
        Command::Loaddata {
            files,
            skip_unknown,
        } => commands::loaddata::run(&config, &files, skip_unknown).await,
        Command::Initsuperuser => commands::users::init_superuser(&config).await,
        Command::CreateSqsUser { token_file } => {
            commands::users::create_sqs_user(&config, token_file.as_deref()).await
        }
        Command::Createuser {
            username,
            role,
            password,
            email,
            superuser,
            token,
        } => {
            commands::users::create_user(
                &config,
                &username,
                role,
                password.as_deref(),
                &email,
                superuser,
                token,
            )
            .await
        }
        Command::Jobserver { bind, port } => commands::jobserver::run(&bind, port).await,
        Command::Worker {
            concurrency,
            sweep_seconds,
            sweep_grace_seconds,
        } => commands::worker::run(&config, concurrency, sweep_seconds, sweep_grace_seconds).await,
        Command::Forward {
            queue,
            all,
            api_url,
            token,
            token_file,
            concurrency,
            metrics_port,
            visibility_seconds,
            wait_seconds,
        } => {
            let token = match (token, token_file) {
                (Some(t), _) => t,
                (None, Some(path)) => read_token_file(&path)?,
                (None, None) => anyhow::bail!(
                    "give the sqs user's token with --token, SQS_TOKEN or --token-file"
                ),
            };
            let queues = match (queue, all) {
                (Some(name), false) => crate::forward::QueueChoice::One(name),
                _ => crate::forward::QueueChoice::All,
            };
            let fc = crate::forward::ForwarderConfig {
                queues,
                api_url,
                token,
                concurrency,
                metrics_port,
                visibility_seconds,
                wait_seconds,
            };
            crate::forward::run(&config, fc, commands::worker::shutdown_signal()).await
        }
        Command::AssetManifest { channel } => {
            use diesel_async::AsyncConnection;
            let mut conn = diesel_async::AsyncPgConnection::establish(&config.database_url).await?;
            let slack = crate::slack::Slack::new(config.slack_token.clone(), &config.slack_api_url);
            let manifest =
                crate::apps::harvassets::manifest::send_manifest(&mut conn, &slack, &channel)
                    .await?;
            println!("{}", serde_json::to_string_pretty(&manifest)?);
            Ok(())
        }
        Command::Gendata {
            reports,
            exceptions_per_report,
        } => crate::bench::gendata::run(&config, reports, exceptions_per_report).await,
        Command::Openapi { .. } | Command::Describe { .. } | Command::Loadtest { .. } => {
            unreachable!("handled above")
        }
    }
}

/// Reads `export SQS_TOKEN=<key>` (or a bare key) from a file.
fn read_token_file(path: &std::path::Path) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(path)?;
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let key = line
        .trim()
        .trim_start_matches("export ")
        .trim_start_matches("SQS_TOKEN=")
        .trim()
        .to_string();
    anyhow::ensure!(!key.is_empty(), "no token in {}", path.display());
    Ok(key)
}
