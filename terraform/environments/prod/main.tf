# HDS in the prod account: Multi-AZ database, a Redis replica, two API tasks at least.

data "aws_vpc" "infra" {
  tags = { Name = "infra-vpc" }
}

data "aws_subnets" "private" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.infra.id]
  }
  tags = { Tier = "private" }
}

data "aws_security_group" "vpn" {
  name = "pritunl-vpn"
}

data "aws_security_group" "beatbox" {
  name = "hds-beatbox"
}

data "aws_security_group" "prometheus" {
  name = "vm-collector-sg"
}

data "aws_security_group" "jobserver" {
  name = "iot-job-server-sg"
}

data "aws_acm_certificate" "api" {
  domain      = "hdsapi.cloud.advanced.farm"
  statuses    = ["ISSUED"]
  most_recent = true
}

module "hds" {
  source = "../../modules/hds"

  environment = "prod"
  image_tag   = var.image_tag

  vpc_id                             = data.aws_vpc.infra.id
  private_subnet_ids                 = data.aws_subnets.private.ids
  alb_ingress_security_group_ids     = [data.aws_security_group.vpn.id, data.aws_security_group.beatbox.id]
  metrics_scraper_security_group_ids = [data.aws_security_group.prometheus.id]
  certificate_arn                    = data.aws_acm_certificate.api.arn

  bucket_name                   = "aft-hv-data-lake-prod"
  frontend_url                  = "https://hdsapi.cloud.advanced.farm"
  job_server_security_group_ids = [data.aws_security_group.jobserver.id]
  job_server_address            = "http://iot-job-server.cloud.advanced.farm:8000"

  db_instance_class        = "db.m7g.large"
  db_multi_az              = true
  db_backup_retention_days = 30
  db_deletion_protection   = true
  cache_node_type          = "cache.t4g.small"
  cache_nodes              = 2

  api_min_count      = 2
  api_max_count      = 6
  log_retention_days = 365
  alarm_emails       = var.alarm_emails
}
