# The environment of each process, from `hds describe` (settings[]: name, secret, processes).
# tests/deploy/test_terraform.py checks that every variable a process reads is set here for
# that process's service (plain or from a secret), that every `secret: true` variable comes
# from Secrets Manager, and that the only ones left out are those listed in `unset_settings`.

locals {
  api_port               = 8085
  forwarder_metrics_port = 9104
  # The open health check of the route table (GET healthcheck/, not enveloped); the ALB's
  # target group checks it. The test compares it with `hds openapi --json`.
  healthcheck_path = "/api/v1/healthcheck/"
  api_internal_url = "http://api.${aws_service_discovery_private_dns_namespace.main.name}:${local.api_port}"

  # Read by the binary but deliberately not set in AWS, with the reason.
  unset_settings = {
    RUST_LOG                = "read only when HDS_LOG is unset; HDS_LOG is set"
    DJANGO_SECRET_KEY       = "read only when HDS_SECRET_KEY is unset; HDS_SECRET_KEY is set"
    AWS_STORAGE_BUCKET_NAME = "read only when HDS_BUCKET is unset; HDS_BUCKET is set"
    AWS_ENDPOINT_URL        = "points S3/SQS at moto locally; on AWS the SDK's own endpoints are right"
    GITHASH                 = "the image's build argument records the commit in the binary; setting it would only override that"
  }

  common_environment = {
    HDS_ENV        = "production"
    HDS_LOG_FORMAT = "json"
    HDS_LOG        = var.log_filter
    AWS_REGION     = local.region
    HDS_BUCKET     = aws_s3_bucket.data.id
  }

  database_environment = {
    HDS_DB_POOL_SIZE            = tostring(var.db_pool_size)
    HDS_DB_POOL_TIMEOUT_MS      = "3000"
    HDS_DB_STATEMENT_TIMEOUT_MS = "30000"
  }

  links_environment = {
    FRONTEND_URL       = var.frontend_url
    SLACK_API_URL      = "https://slack.com/api"
    JOB_SERVER_ADDRESS = var.job_server_address
  }

  # The API sends a failed ingest back to its queue (POST failedingests/{id}/redrive/), so it
  # knows every queue's URL too.
  queue_url_environment = { for q, spec in local.queues : spec.url_variable => aws_sqs_queue.queue[q].url }

  api_only_environment = {
    HDS_PORT                    = tostring(local.api_port)
    HDS_BIND                    = "0.0.0.0"
    HDS_WORKERS                 = tostring(var.api_http_workers)
    HDS_INGEST_WRITERS          = tostring(var.api_ingest_writers)
    HDS_ACCESS_TOKEN_MINUTES    = "15"
    HDS_REFRESH_TOKEN_DAYS      = "14"
    HDS_SESSION_TOKEN_IDLE_DAYS = "14"
    HDS_FRONTEND_DIR            = "/opt/hds/frontend/dist"
    HDS_REPORT_BODY_LIMIT       = "10485760"
    HDS_BODY_LIMIT              = "1048576"
    HDS_HEADER_TIMEOUT_SECS     = "5"
    HDS_BODY_TIMEOUT_SECS       = "30"
    HDS_REQUEST_TIMEOUT_SECS    = "60"
    HDS_CLIENT_MAX_REQUESTS     = "256"
    HDS_CORS_ORIGINS            = join(",", var.cors_origins)
    # The load balancer's nodes live in the private subnets: only they may name the client
    # (X-Forwarded-For) and the host of links; HDS_PUBLIC_URL covers anything else.
    HDS_TRUSTED_PROXIES       = join(",", [for s in data.aws_subnet.private : s.cidr_block])
    HDS_PUBLIC_URL            = var.frontend_url
    HDS_LOGIN_USER_FAILURES   = "10"
    HDS_LOGIN_CLIENT_FAILURES = "50"
    HDS_LOGIN_WINDOW_SECS     = "900"
    DJANGO_SUPERUSER_USERNAME = "aft"
    DJANGO_SUPERUSER_EMAIL    = var.superuser_email
  }

  worker_only_environment = {
    HDS_WORKER_CONCURRENCY  = tostring(var.worker_concurrency)
    HDS_SWEEP_SECONDS       = "10"
    HDS_SWEEP_GRACE_SECONDS = "30"
  }

  # Log sessions (docs/api-design.md#log-sessions): the zip checks apply where a zip is
  # uploaded (API) and where it is extracted (worker).
  zip_environment = {
    HDS_ZIP_MAX_ENTRIES = "10000"
    HDS_ZIP_MAX_TOTAL   = "68719476736"
    HDS_ZIP_MAX_RATIO   = "200"
  }

  log_upload_environment = {
    HDS_LOG_UPLOAD_LIMIT        = "2147483648"
    HDS_LOG_UPLOAD_TIMEOUT_SECS = "3600"
  }

  video_environment = {
    HDS_FFMPEG              = "ffmpeg"
    HDS_FFMPEG_TIMEOUT_SECS = "600"
  }

  forwarder_common_environment = {
    HDS_API_URL             = local.api_internal_url
    HDS_FORWARD_CONCURRENCY = tostring(var.forwarder_concurrency)
  }

  # What each service gets: the maps above, merged (var.*_environment: overrides per deployment).
  api_environment = merge(
    local.common_environment,
    local.database_environment,
    local.links_environment,
    local.queue_url_environment,
    local.api_only_environment,
    local.zip_environment,
    local.log_upload_environment,
    var.api_environment,
  )

  worker_environment = merge(
    local.common_environment,
    local.database_environment,
    local.links_environment,
    local.worker_only_environment,
    local.zip_environment,
    local.video_environment,
    var.worker_environment,
  )

  # A forwarder knows its own queue only.
  forwarder_environment = {
    for q, spec in local.queues : q => merge(
      local.common_environment,
      local.forwarder_common_environment,
      {
        (spec.url_variable)      = aws_sqs_queue.queue[q].url
        (spec.prefixes_variable) = join(",", spec.prefixes)
      },
    )
  }

  # Secret variables per process, each from its own Secrets Manager secret (secrets.tf).
  api_secret_names       = ["HDS_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "SLACK_TOKEN", "DJANGO_SUPERUSER_PASSWORD"]
  worker_secret_names    = ["HDS_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "SLACK_TOKEN"]
  forwarder_secret_names = ["SQS_TOKEN"]

  api_secrets       = { for k in local.api_secret_names : k => aws_secretsmanager_secret.setting[k].arn }
  worker_secrets    = { for k in local.worker_secret_names : k => aws_secretsmanager_secret.setting[k].arn }
  forwarder_secrets = { for k in local.forwarder_secret_names : k => aws_secretsmanager_secret.setting[k].arn }
}
