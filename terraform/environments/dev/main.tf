# HDS in the dev account: smaller and cheaper than prod (one database zone, one Redis node,
# shorter log retention), otherwise the same stack.

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
  name = "ecs-prometheus-scraper"
}

data "aws_security_group" "jobserver" {
  name = "iot-job-server-sg"
}

data "aws_acm_certificate" "api" {
  domain      = "hdsapi.devcloud.advanced.farm"
  statuses    = ["ISSUED"]
  most_recent = true
}

module "hds" {
  source = "../../modules/hds"

  environment = "dev"
  image_tag   = var.image_tag

  vpc_id                             = data.aws_vpc.infra.id
  private_subnet_ids                 = data.aws_subnets.private.ids
  alb_ingress_security_group_ids     = [data.aws_security_group.vpn.id, data.aws_security_group.beatbox.id]
  metrics_scraper_security_group_ids = [data.aws_security_group.prometheus.id]
  certificate_arn                    = data.aws_acm_certificate.api.arn

  bucket_name                   = "dev-aft-hv-data-lake-prod"
  frontend_url                  = "https://hdsapi.devcloud.advanced.farm"
  job_server_security_group_ids = [data.aws_security_group.jobserver.id]
  job_server_address            = "http://iot-job-server.devcloud.advanced.farm:8000"

  db_instance_class        = "db.t4g.small"
  db_multi_az              = false
  db_backup_retention_days = 7
  cache_node_type          = "cache.t4g.micro"
  cache_nodes              = 1

  api_min_count       = 1
  api_max_count       = 2
  forwarder_max_count = 2
  alarm_emails        = var.alarm_emails
}
