# One customer-managed key for what AWS lets us encrypt with it (secrets, log groups, the
# database, Redis, the alarm topic, the image repository), and one Secrets Manager secret per
# secret variable (`secret: true` in `hds describe`). Tasks receive them through the task
# definition's `secrets`, never as plain environment.

data "aws_iam_policy_document" "kms" {
  # checkov:skip=CKV_AWS_109: a key policy's Resource "*" is the key itself; administration stays with the account
  # checkov:skip=CKV_AWS_111: a key policy's Resource "*" is the key itself; administration stays with the account
  # checkov:skip=CKV_AWS_356: a key policy's Resource "*" is the key itself, the only resource it can name
  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"] # in a key policy, "*" is this key
    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }
  statement {
    sid       = "CloudWatchLogs"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.${local.region}.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:*"]
    }
  }
  statement {
    sid       = "CloudWatchAlarmsPublish"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
  }
}

resource "aws_kms_key" "main" {
  description             = "${local.name} secrets, logs, database, cache, alarms"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.kms.json
}

resource "aws_kms_alias" "main" {
  name          = "alias/${local.name}"
  target_key_id = aws_kms_key.main.key_id
}

# ------------------------------------------------------------------------------------- secrets

resource "random_password" "secret_key" {
  length  = 64
  special = false
}

resource "random_password" "db" {
  length  = 40
  special = false
}

resource "random_password" "superuser" {
  length  = 24
  special = false
}

locals {
  # Secrets whose value this configuration knows. SLACK_TOKEN and SQS_TOKEN are put in by an
  # operator (docs/deploy.md#first-deployment): Terraform writes a placeholder once and then
  # leaves the value alone.
  generated_secrets = {
    HDS_SECRET_KEY            = random_password.secret_key.result
    DATABASE_URL              = "postgres://${aws_db_instance.main.username}:${random_password.db.result}@${aws_db_instance.main.address}:${aws_db_instance.main.port}/${aws_db_instance.main.db_name}"
    REDIS_URL                 = "redis://${aws_elasticache_replication_group.main.primary_endpoint_address}:6379/0"
    DJANGO_SUPERUSER_PASSWORD = random_password.superuser.result
  }
  operator_secrets = ["SLACK_TOKEN", "SQS_TOKEN"]
  secret_names     = concat(keys(local.generated_secrets), local.operator_secrets)
}

resource "aws_secretsmanager_secret" "setting" {
  # checkov:skip=CKV2_AWS_57: a new value needs the services restarted with it (and, for DATABASE_URL, the database password changed with it): rotation is a runbook step, docs/deploy.md#rotating-secrets
  for_each = toset(local.secret_names)

  name                    = "${local.name}/${each.key}"
  description             = "${each.key} of ${local.name} (hds describe)"
  kms_key_id              = aws_kms_key.main.arn
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret_version" "generated" {
  for_each = local.generated_secrets

  secret_id     = aws_secretsmanager_secret.setting[each.key].id
  secret_string = each.value
}

resource "aws_secretsmanager_secret_version" "operator" {
  for_each = toset(local.operator_secrets)

  secret_id     = aws_secretsmanager_secret.setting[each.key].id
  secret_string = " " # blank reads as unset; replaced by the operator
  lifecycle {
    ignore_changes = [secret_string]
  }
}
