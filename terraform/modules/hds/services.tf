# The processes of README.md#processes, one Fargate service each: the API behind the load
# balancer, the worker, and one forwarder per queue scaled on its queue's depth.

locals {
  image = "${aws_ecr_repository.hds.repository_url}:${var.image_tag}"

  service_common = {
    name_prefix        = local.name
    account_id         = local.account_id
    region             = local.region
    cluster_arn        = aws_ecs_cluster.main.arn
    vpc_id             = var.vpc_id
    subnet_ids         = var.private_subnet_ids
    image              = local.image
    ecr_repository_arn = aws_ecr_repository.hds.arn
    kms_key_arn        = aws_kms_key.main.arn
    log_retention_days = var.log_retention_days
  }

  # The API and the worker reach PostgreSQL, Redis and the job server.
  data_egress = concat(
    [
      { name = "postgres", port = 5432, security_group_id = aws_security_group.data.id, description = "PostgreSQL" },
      { name = "redis", port = 6379, security_group_id = aws_security_group.data.id, description = "Redis" },
    ],
    [for i, sg in var.job_server_security_group_ids : { name = "jobserver-${i}", port = var.job_server_port, security_group_id = sg, description = "The harvester job server" }],
  )
}

module "api" {
  source = "../ecs-service"

  name        = "api"
  command     = ["runserver"]
  environment = local.api_environment
  secrets     = local.api_secrets

  task_policy_json = data.aws_iam_policy_document.api.json

  cpu             = var.api_cpu
  memory          = var.api_memory
  desired_count   = var.api_min_count
  container_ports = [local.api_port]
  ingress = concat(
    [{ name = "alb", port = local.api_port, security_group_id = aws_security_group.alb.id, description = "HTTP from the load balancer" }],
    [for q in keys(local.queues) : { name = "forward-${q}", port = local.api_port, security_group_id = module.forwarder[q].security_group_id, description = "Posts from the ${q} forwarder" }],
    [for i, sg in var.metrics_scraper_security_group_ids : { name = "metrics-${i}", port = local.api_port, security_group_id = sg, description = "Prometheus scrapes /metrics" }],
  )
  egress                   = local.data_egress
  extra_security_group_ids = [aws_security_group.data_clients.id]
  load_balancer            = { target_group_arn = aws_lb_target_group.api.arn, container_port = local.api_port }
  service_discovery_arn    = aws_service_discovery_service.api.arn

  name_prefix        = local.service_common.name_prefix
  account_id         = local.service_common.account_id
  region             = local.service_common.region
  cluster_arn        = local.service_common.cluster_arn
  vpc_id             = local.service_common.vpc_id
  subnet_ids         = local.service_common.subnet_ids
  image              = local.service_common.image
  ecr_repository_arn = local.service_common.ecr_repository_arn
  kms_key_arn        = local.service_common.kms_key_arn
  log_retention_days = local.service_common.log_retention_days
}

module "worker" {
  source = "../ecs-service"

  name        = "worker"
  command     = ["worker"]
  environment = local.worker_environment
  secrets     = local.worker_secrets

  # No AWS access: PostgreSQL, Redis and Slack only.
  aws_access = false

  cpu                      = var.worker_cpu
  memory                   = var.worker_memory
  desired_count            = var.worker_count
  egress                   = local.data_egress
  extra_security_group_ids = [aws_security_group.data_clients.id]

  name_prefix        = local.service_common.name_prefix
  account_id         = local.service_common.account_id
  region             = local.service_common.region
  cluster_arn        = local.service_common.cluster_arn
  vpc_id             = local.service_common.vpc_id
  subnet_ids         = local.service_common.subnet_ids
  image              = local.service_common.image
  ecr_repository_arn = local.service_common.ecr_repository_arn
  kms_key_arn        = local.service_common.kms_key_arn
  log_retention_days = local.service_common.log_retention_days
}

module "forwarder" {
  source   = "../ecs-service"
  for_each = local.queues

  name        = "forward-${each.key}"
  command     = ["forward", "--queue", each.key, "--metrics-port", tostring(local.forwarder_metrics_port)]
  environment = local.forwarder_environment[each.key]
  secrets     = local.forwarder_secrets

  task_policy_json = data.aws_iam_policy_document.forwarder[each.key].json

  cpu             = var.forwarder_cpu
  memory          = var.forwarder_memory
  desired_count   = contains(var.held_queues, each.key) ? 0 : var.forwarder_min_count
  container_ports = [local.forwarder_metrics_port]
  ingress = [
    for i, sg in var.metrics_scraper_security_group_ids :
    { name = "metrics-${i}", port = local.forwarder_metrics_port, security_group_id = sg, description = "Prometheus scrapes the forwarder" }
  ]
  egress = [{ name = "api", port = local.api_port, security_group_id = module.api.security_group_id, description = "Posts to the API" }]
  # A forwarder may stop while another takes over: SQS redelivers what it had in flight.
  deployment_minimum_healthy_percent = 0

  name_prefix        = local.service_common.name_prefix
  account_id         = local.service_common.account_id
  region             = local.service_common.region
  cluster_arn        = local.service_common.cluster_arn
  vpc_id             = local.service_common.vpc_id
  subnet_ids         = local.service_common.subnet_ids
  image              = local.service_common.image
  ecr_repository_arn = local.service_common.ecr_repository_arn
  kms_key_arn        = local.service_common.kms_key_arn
  log_retention_days = local.service_common.log_retention_days
}

# ------------------------------------------------------------------------------------- scaling

resource "aws_appautoscaling_target" "api" {
  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.main.name}/${module.api.service_name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.api_min_count
  max_capacity       = var.api_max_count
}

resource "aws_appautoscaling_policy" "api_cpu" {
  name               = "${local.name}-api-cpu"
  service_namespace  = aws_appautoscaling_target.api.service_namespace
  resource_id        = aws_appautoscaling_target.api.resource_id
  scalable_dimension = aws_appautoscaling_target.api.scalable_dimension
  policy_type        = "TargetTrackingScaling"

  target_tracking_scaling_policy_configuration {
    target_value       = 60
    scale_in_cooldown  = 300
    scale_out_cooldown = 60
    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

# Each forwarder runs between its minimum and maximum, adding tasks while its queue holds more
# than `forwarder_scale_out_messages` visible messages and removing them once it is drained.
# A held queue (var.held_queues) runs none: its messages wait in SQS (14 days).
resource "aws_appautoscaling_target" "forwarder" {
  for_each = local.queues

  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.main.name}/${module.forwarder[each.key].service_name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = contains(var.held_queues, each.key) ? 0 : var.forwarder_min_count
  max_capacity       = contains(var.held_queues, each.key) ? 0 : var.forwarder_max_count
}

resource "aws_appautoscaling_policy" "forwarder_out" {
  for_each = local.queues

  name               = "${local.name}-forward-${each.key}-out"
  service_namespace  = aws_appautoscaling_target.forwarder[each.key].service_namespace
  resource_id        = aws_appautoscaling_target.forwarder[each.key].resource_id
  scalable_dimension = aws_appautoscaling_target.forwarder[each.key].scalable_dimension
  policy_type        = "StepScaling"

  step_scaling_policy_configuration {
    adjustment_type         = "ChangeInCapacity"
    cooldown                = 120
    metric_aggregation_type = "Maximum"
    step_adjustment {
      metric_interval_lower_bound = 0
      metric_interval_upper_bound = var.forwarder_scale_out_messages * 10
      scaling_adjustment          = 1
    }
    step_adjustment {
      metric_interval_lower_bound = var.forwarder_scale_out_messages * 10
      scaling_adjustment          = 2
    }
  }
}

resource "aws_appautoscaling_policy" "forwarder_in" {
  for_each = local.queues

  name               = "${local.name}-forward-${each.key}-in"
  service_namespace  = aws_appautoscaling_target.forwarder[each.key].service_namespace
  resource_id        = aws_appautoscaling_target.forwarder[each.key].resource_id
  scalable_dimension = aws_appautoscaling_target.forwarder[each.key].scalable_dimension
  policy_type        = "StepScaling"

  step_scaling_policy_configuration {
    adjustment_type         = "ChangeInCapacity"
    cooldown                = 300
    metric_aggregation_type = "Maximum"
    step_adjustment {
      metric_interval_upper_bound = 0
      scaling_adjustment          = -1
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "forwarder_backlog_high" {
  for_each = local.queues

  alarm_name          = "${local.name}-forward-${each.key}-backlog-high"
  alarm_description   = "Scale the ${each.key} forwarder out (not paged)"
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.queue[each.key].name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.forwarder_scale_out_messages
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_appautoscaling_policy.forwarder_out[each.key].arn]
}

resource "aws_cloudwatch_metric_alarm" "forwarder_backlog_low" {
  for_each = local.queues

  alarm_name          = "${local.name}-forward-${each.key}-backlog-low"
  alarm_description   = "Scale the ${each.key} forwarder in (not paged)"
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.queue[each.key].name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 3
  comparison_operator = "LessThanOrEqualToThreshold"
  threshold           = 0
  treat_missing_data  = "breaching"
  alarm_actions       = [aws_appautoscaling_policy.forwarder_in[each.key].arn]
}
