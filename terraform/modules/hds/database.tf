# PostgreSQL (RDS) and Redis (ElastiCache), reachable only from the hds tasks.
#
# The hds binary connects to both without TLS (no TLS client is built into it yet), so
# encryption in transit is not forced on either; the traffic stays inside the VPC's private
# subnets, and the security groups admit only the tasks' group.

resource "aws_security_group" "data" {
  name        = "${local.name}-data"
  description = "PostgreSQL and Redis of ${local.name}"
  vpc_id      = var.vpc_id
}

resource "aws_security_group" "data_clients" {
  name        = "${local.name}-data-clients"
  description = "Tasks that may reach PostgreSQL and Redis of ${local.name}"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "postgres" {
  security_group_id            = aws_security_group.data.id
  description                  = "PostgreSQL from the API and worker tasks"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.data_clients.id
}

resource "aws_vpc_security_group_ingress_rule" "redis" {
  security_group_id            = aws_security_group.data.id
  description                  = "Redis from the API and worker tasks"
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
  referenced_security_group_id = aws_security_group.data_clients.id
}

# ------------------------------------------------------------------------------------ PostgreSQL

resource "aws_db_subnet_group" "main" {
  name       = local.name
  subnet_ids = var.private_subnet_ids
}

resource "aws_db_parameter_group" "main" {
  name   = local.name
  family = "postgres${split(".", var.db_engine_version)[0]}"

  # Slow statements are logged (query logging without logging every statement).
  parameter {
    name  = "log_min_duration_statement"
    value = "1000"
  }
  parameter {
    name  = "log_statement"
    value = "ddl"
  }
  parameter {
    name  = "log_lock_waits"
    value = "1"
  }
}

data "aws_iam_policy_document" "rds_monitoring_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["monitoring.rds.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "rds_monitoring" {
  name               = "${local.name}-rds-monitoring"
  assume_role_policy = data.aws_iam_policy_document.rds_monitoring_assume.json
}

resource "aws_iam_role_policy_attachment" "rds_monitoring" {
  role       = aws_iam_role.rds_monitoring.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}

resource "aws_db_instance" "main" {
  # checkov:skip=CKV2_AWS_69: rds.force_ssl would refuse the hds binary, which connects without TLS (see the top of this file)
  # checkov:skip=CKV_AWS_157: Multi-AZ is var.db_multi_az: on in prod (environments/prod), off in dev to halve its cost
  identifier     = local.name
  engine         = "postgres"
  engine_version = var.db_engine_version
  instance_class = var.db_instance_class

  db_name  = "hds"
  username = "hds"
  password = random_password.db.result

  allocated_storage     = var.db_allocated_storage
  max_allocated_storage = var.db_max_allocated_storage
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = aws_kms_key.main.arn

  multi_az               = var.db_multi_az
  db_subnet_group_name   = aws_db_subnet_group.main.name
  vpc_security_group_ids = [aws_security_group.data.id]
  publicly_accessible    = false
  parameter_group_name   = aws_db_parameter_group.main.name

  backup_retention_period   = var.db_backup_retention_days
  backup_window             = "09:00-10:00" # 01:00–02:00 in California, outside harvesting hours
  maintenance_window        = "sun:10:30-sun:11:30"
  copy_tags_to_snapshot     = true
  delete_automated_backups  = false
  deletion_protection       = var.db_deletion_protection
  skip_final_snapshot       = false
  final_snapshot_identifier = "${local.name}-final"

  auto_minor_version_upgrade          = true
  iam_database_authentication_enabled = true
  enabled_cloudwatch_logs_exports     = ["postgresql", "upgrade"]
  monitoring_interval                 = 60
  monitoring_role_arn                 = aws_iam_role.rds_monitoring.arn
  performance_insights_enabled        = true
  performance_insights_kms_key_id     = aws_kms_key.main.arn

  lifecycle {
    prevent_destroy = true
  }
}

# ----------------------------------------------------------------------------------------- Redis

resource "aws_elasticache_subnet_group" "main" {
  name       = local.name
  subnet_ids = var.private_subnet_ids
}

resource "aws_elasticache_replication_group" "main" {
  # checkov:skip=CKV_AWS_30: in-transit encryption would refuse the hds binary, which connects without TLS (see the top of this file)
  # checkov:skip=CKV2_AWS_50: var.cache_nodes is 2 in prod (failover on) and 1 in dev; Redis only delivers jobs quickly, PostgreSQL records pending work (the worker's sweep), so losing the node loses no work
  # checkov:skip=CKV_AWS_31: an AUTH token needs in-transit encryption (CKV_AWS_30); access is limited by the security group instead
  replication_group_id = local.name
  description          = "Job queue of ${local.name}"
  engine               = "redis"
  engine_version       = "7.1"
  node_type            = var.cache_node_type
  num_cache_clusters   = var.cache_nodes
  port                 = 6379

  automatic_failover_enabled = var.cache_nodes > 1
  multi_az_enabled           = var.cache_nodes > 1
  subnet_group_name          = aws_elasticache_subnet_group.main.name
  security_group_ids         = [aws_security_group.data.id]

  at_rest_encryption_enabled = true
  kms_key_id                 = aws_kms_key.main.arn
  transit_encryption_enabled = false

  snapshot_retention_limit   = 1
  auto_minor_version_upgrade = true
  apply_immediately          = false
}
