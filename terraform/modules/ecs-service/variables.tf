variable "name" {
  description = "Service and container name (api, worker, forward-errorreports, …)."
  type        = string
}

variable "name_prefix" {
  description = "Prefix of every AWS name (hds-dev)."
  type        = string
}

variable "account_id" {
  type = string
}

variable "region" {
  type = string
}

variable "cluster_arn" {
  type = string
}

variable "vpc_id" {
  type = string
}

variable "subnet_ids" {
  description = "Private subnets the tasks run in."
  type        = list(string)
}

variable "image" {
  description = "Container image (repository URL and tag)."
  type        = string
}

variable "ecr_repository_arn" {
  type = string
}

variable "command" {
  description = "Command of the image's entry point (container/entrypoint): runserver, worker, forward --queue …, or any hds subcommand."
  type        = list(string)
}

variable "environment" {
  description = "Plain environment variables (never a secret)."
  type        = map(string)
}

variable "secrets" {
  description = "Environment variables read from Secrets Manager: name => secret ARN."
  type        = map(string)
  default     = {}
}

variable "kms_key_arn" {
  description = "Key of the log group and of the secrets."
  type        = string
}

variable "aws_access" {
  description = "Whether the process calls AWS (false: its task role has no policy). Known at plan time, unlike the policy's text."
  type        = bool
  default     = true
}

variable "task_policy_json" {
  description = "IAM policy of the process itself (used when aws_access)."
  type        = string
  default     = null
}

variable "cpu" {
  type = number
}

variable "memory" {
  type = number
}

variable "desired_count" {
  type = number
}

variable "deployment_minimum_healthy_percent" {
  type    = number
  default = 100
}

variable "container_ports" {
  type    = list(number)
  default = []
}

variable "container_health_check" {
  description = "ECS container health check (null: none). ECS ignores the image's HEALTHCHECK, so the default repeats it: the API's health check, a forwarder's metrics port, the worker alive."
  type        = any
  default = {
    command     = ["CMD", "/opt/hds/bin/hds-entrypoint", "healthcheck"]
    interval    = 10
    timeout     = 5
    retries     = 3
    startPeriod = 60
  }
}

variable "ingress" {
  description = "Who may reach which container port (name: a key known at plan time)."
  type = list(object({
    name              = string
    port              = number
    security_group_id = string
    description       = string
  }))
  default = []
}

variable "egress" {
  description = "Ports this process reaches inside the VPC, by security group (HTTPS out is always open; name: a key known at plan time)."
  type = list(object({
    name              = string
    port              = number
    security_group_id = string
    description       = string
  }))
  default = []
}

variable "extra_security_group_ids" {
  description = "Security groups added to the tasks (e.g. the one PostgreSQL and Redis admit)."
  type        = list(string)
  default     = []
}

variable "load_balancer" {
  description = "Target group the service registers in."
  type = object({
    target_group_arn = string
    container_port   = number
  })
  default = null
}

variable "service_discovery_arn" {
  description = "Cloud Map service the tasks register in."
  type        = string
  default     = null
}

variable "log_retention_days" {
  type = number
}
