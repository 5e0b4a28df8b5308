# ------------------------------------------------------------------------------------ identity

variable "name" {
  description = "Name of the application; with the environment, the prefix of every AWS name."
  type        = string
  default     = "hds"
}

variable "environment" {
  description = "dev or prod."
  type        = string
  validation {
    condition     = contains(["dev", "prod"], var.environment)
    error_message = "environment is dev or prod."
  }
}

variable "image_tag" {
  description = "Tag of the hds image in this environment's ECR repository (make push prints it)."
  type        = string
}

# ------------------------------------------------------------------------------------- network

variable "vpc_id" {
  type = string
}

variable "private_subnet_ids" {
  description = "Subnets of the tasks, the internal load balancer, PostgreSQL and Redis (two or more zones)."
  type        = list(string)
}

variable "alb_ingress_security_group_ids" {
  description = "Security groups whose members may reach the API's load balancer (VPN, smoke tests)."
  type        = list(string)
}

variable "metrics_scraper_security_group_ids" {
  description = "Security groups of Prometheus scrapers (API :8085/metrics, forwarders :9104)."
  type        = list(string)
  default     = []
}

variable "certificate_arn" {
  description = "ACM certificate of the API's host name (HTTPS listener)."
  type        = string
}

variable "alb_deletion_protection" {
  type    = bool
  default = true
}

# ------------------------------------------------------------------------------------- storage

variable "bucket_name" {
  description = "The bucket harvesters upload to (the original deployment's data-lake bucket, imported: docs/deploy.md#moving-over-from-the-original-hds)."
  type        = string
}

variable "bucket_noncurrent_days" {
  description = "Days a deleted or overwritten object's previous version is kept."
  type        = number
  default     = 30
}

variable "files_infrequent_access_days" {
  description = "Days after which files (logs, clips) move to STANDARD_IA."
  type        = number
  default     = 90
}

variable "log_bucket_days" {
  description = "Days access logs are kept."
  type        = number
  default     = 90
}

variable "held_queues" {
  description = "Queues whose forwarders run no task: their messages stay in SQS (up to 14 days) until the queue is released. Queues whose API endpoint does not exist yet belong here."
  type        = list(string)
  default     = []
}

# ------------------------------------------------------------------------------------ database

variable "db_engine_version" {
  description = "Major version: RDS applies minor upgrades itself (auto_minor_version_upgrade)."
  type        = string
  default     = "16"
}

variable "db_instance_class" {
  type    = string
  default = "db.t4g.medium"
}

variable "db_allocated_storage" {
  description = "GiB at creation; storage grows by itself up to db_max_allocated_storage."
  type        = number
  default     = 50
}

variable "db_max_allocated_storage" {
  type    = number
  default = 500
}

variable "db_multi_az" {
  description = "A standby in a second zone (prod)."
  type        = bool
  default     = true
}

variable "db_backup_retention_days" {
  description = "Days of automated backups (point-in-time restore window)."
  type        = number
  default     = 14
}

variable "db_deletion_protection" {
  type    = bool
  default = true
}

variable "db_pool_size" {
  description = "HDS_DB_POOL_SIZE per API or worker task; tasks × pool must stay under the instance's max_connections."
  type        = number
  default     = 16
}

variable "cache_node_type" {
  type    = string
  default = "cache.t4g.small"
}

variable "cache_nodes" {
  description = "Redis nodes (2 or more: a replica with automatic failover)."
  type        = number
  default     = 2
}

# ------------------------------------------------------------------------------------ services

variable "api_cpu" {
  type    = number
  default = 1024
}

variable "api_memory" {
  type    = number
  default = 2048
}

variable "api_min_count" {
  type    = number
  default = 2
}

variable "api_max_count" {
  type    = number
  default = 6
}

variable "api_http_workers" {
  description = "HDS_WORKERS: HTTP worker threads per API task (one per vCPU)."
  type        = number
  default     = 2
}

variable "api_ingest_writers" {
  description = "HDS_INGEST_WRITERS per API task."
  type        = number
  default     = 2
}

variable "worker_cpu" {
  type    = number
  default = 512
}

variable "worker_memory" {
  type    = number
  default = 1024
}

variable "worker_count" {
  type    = number
  default = 1
}

variable "worker_concurrency" {
  description = "HDS_WORKER_CONCURRENCY per worker task."
  type        = number
  default     = 4
}

variable "forwarder_cpu" {
  type    = number
  default = 256
}

variable "forwarder_memory" {
  type    = number
  default = 512
}

variable "forwarder_min_count" {
  description = "Tasks per forwarded queue when it is drained (one keeps long-polling)."
  type        = number
  default     = 1
}

variable "forwarder_max_count" {
  type    = number
  default = 4
}

variable "forwarder_concurrency" {
  description = "HDS_FORWARD_CONCURRENCY per forwarder task."
  type        = number
  default     = 8
}

variable "forwarder_scale_out_messages" {
  description = "Visible messages on a queue above which its forwarder adds a task."
  type        = number
  default     = 500
}

variable "images_kept" {
  description = "Images the ECR repository keeps."
  type        = number
  default     = 50
}

# --------------------------------------------------------------------------------- application

variable "log_filter" {
  description = "HDS_LOG of every process."
  type        = string
  default     = "info,actix_server=warn"
}

variable "frontend_url" {
  description = "FRONTEND_URL: base of the web app's links in Slack messages (the API's host name)."
  type        = string
}

variable "job_server_address" {
  description = "JOB_SERVER_ADDRESS: the harvester job server."
  type        = string
}

variable "job_server_security_group_ids" {
  description = "Security groups of the job server, which the API and worker reach on job_server_port."
  type        = list(string)
  default     = []
}

variable "job_server_port" {
  type    = number
  default = 8000
}

variable "cors_origins" {
  description = "HDS_CORS_ORIGINS: origins of other web pages that may call the API (the web app is served by the API itself and needs none)."
  type        = list(string)
  default     = []
}

variable "superuser_email" {
  description = "DJANGO_SUPERUSER_EMAIL of the superuser `hds initsuperuser` creates."
  type        = string
  default     = ""
}

variable "api_environment" {
  description = "Extra or overriding plain variables of the API (never secrets)."
  type        = map(string)
  default     = {}
}

variable "worker_environment" {
  description = "Extra or overriding plain variables of the worker (never secrets)."
  type        = map(string)
  default     = {}
}

# ------------------------------------------------------------------------------------ operations

variable "log_retention_days" {
  type    = number
  default = 365
}

variable "alarm_emails" {
  description = "Addresses subscribed to the alarm topic."
  type        = list(string)
  default     = []
}

variable "extra_alarm_actions" {
  description = "More ARNs to notify on alarm (an on-call topic, a chat integration)."
  type        = list(string)
  default     = []
}

variable "api_5xx_alarm_percent" {
  type    = number
  default = 1
}

variable "oldest_message_alarm_seconds" {
  description = "Age of the oldest message on a forwarded queue that pages (forwarders normally keep it under a minute)."
  type        = number
  default     = 900
}
