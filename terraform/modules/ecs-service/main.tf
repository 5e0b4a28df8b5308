# One Fargate service running one `hds` process: its task definition, log group, security group,
# execution role (image pull, logs, only the secrets this process reads) and task role (the AWS
# permissions of the process itself, passed in as a policy document).

locals {
  full_name = "${var.name_prefix}-${var.name}"

  environment = [for k in sort(keys(var.environment)) : { name = k, value = var.environment[k] }]
  secrets     = [for k in sort(keys(var.secrets)) : { name = k, valueFrom = var.secrets[k] }]

  port_mappings = [for p in var.container_ports : { containerPort = p, protocol = "tcp" }]
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/ecs/${local.full_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

# --------------------------------------------------------------------------------- execution role

data "aws_iam_policy_document" "assume_ecs_tasks" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }
  }
}

resource "aws_iam_role" "execution" {
  name               = "${local.full_name}-execution"
  assume_role_policy = data.aws_iam_policy_document.assume_ecs_tasks.json
}

data "aws_iam_policy_document" "execution" {
  statement {
    sid       = "PullImage"
    actions   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
    resources = [var.ecr_repository_arn]
  }
  statement {
    # GetAuthorizationToken is account-wide: it has no resource to restrict it to.
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }
  statement {
    sid       = "WriteLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }
  dynamic "statement" {
    for_each = length(var.secrets) > 0 ? [1] : []
    content {
      sid       = "ReadOwnSecrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = sort(distinct(values(var.secrets)))
    }
  }
  dynamic "statement" {
    for_each = length(var.secrets) > 0 ? [1] : []
    content {
      sid       = "DecryptOwnSecrets"
      actions   = ["kms:Decrypt"]
      resources = [var.kms_key_arn]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${var.region}.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "execution"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

# -------------------------------------------------------------------------------------- task role

resource "aws_iam_role" "task" {
  name               = "${local.full_name}-task"
  assume_role_policy = data.aws_iam_policy_document.assume_ecs_tasks.json
}

resource "aws_iam_role_policy" "task" {
  count  = var.aws_access ? 1 : 0
  name   = "process"
  role   = aws_iam_role.task.id
  policy = var.task_policy_json
}

# ----------------------------------------------------------------------------- network and task

resource "aws_security_group" "this" {
  name        = local.full_name
  description = "${local.full_name} tasks"
  vpc_id      = var.vpc_id
}

# HTTPS out (AWS APIs: S3, SQS, ECR, Secrets Manager, CloudWatch Logs; Slack), and the ports
# this process needs inside the VPC (PostgreSQL, Redis, the API, the job server).
resource "aws_vpc_security_group_egress_rule" "https" {
  security_group_id = aws_security_group.this.id
  description       = "HTTPS: AWS APIs, Slack"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "this" {
  for_each = { for r in var.egress : r.name => r }

  security_group_id            = aws_security_group.this.id
  description                  = each.value.description
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  referenced_security_group_id = each.value.security_group_id
}

resource "aws_vpc_security_group_ingress_rule" "this" {
  for_each = { for r in var.ingress : r.name => r }

  security_group_id            = aws_security_group.this.id
  description                  = each.value.description
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  referenced_security_group_id = each.value.security_group_id
}

resource "aws_ecs_task_definition" "this" {
  family                   = local.full_name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  # No entryPoint: the image's (tini as PID 1, then container/entrypoint, which migrates before
  # the API and the worker start) runs the command. tini reaps and passes signals on, so ECS's
  # own init process (linuxParameters.initProcessEnabled) is not added.
  container_definitions = jsonencode([{
    name                   = var.name
    image                  = var.image
    essential              = true
    command                = var.command
    environment            = local.environment
    secrets                = local.secrets
    portMappings           = local.port_mappings
    readonlyRootFilesystem = true
    privileged             = false
    stopTimeout            = 35
    healthCheck            = var.container_health_check
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.this.name
        awslogs-region        = var.region
        awslogs-stream-prefix = var.name
      }
    }
  }])
}

resource "aws_ecs_service" "this" {
  name                               = var.name
  cluster                            = var.cluster_arn
  task_definition                    = aws_ecs_task_definition.this.arn
  desired_count                      = var.desired_count
  launch_type                        = "FARGATE"
  platform_version                   = "LATEST"
  propagate_tags                     = "SERVICE"
  enable_ecs_managed_tags            = true
  deployment_minimum_healthy_percent = var.deployment_minimum_healthy_percent
  deployment_maximum_percent         = 200
  health_check_grace_period_seconds  = var.load_balancer == null ? null : 60

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = concat([aws_security_group.this.id], var.extra_security_group_ids)
    assign_public_ip = false
  }

  dynamic "load_balancer" {
    for_each = var.load_balancer == null ? [] : [var.load_balancer]
    content {
      target_group_arn = load_balancer.value.target_group_arn
      container_name   = var.name
      container_port   = load_balancer.value.container_port
    }
  }

  dynamic "service_registries" {
    for_each = var.service_discovery_arn == null ? [] : [var.service_discovery_arn]
    content {
      registry_arn = service_registries.value
    }
  }

  lifecycle {
    # Autoscaling owns the running count once the service exists.
    ignore_changes = [desired_count]
  }
}
