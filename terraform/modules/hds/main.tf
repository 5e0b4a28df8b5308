# HDS on AWS: everything one environment needs (README.md#processes, ARCHITECTURE.md).
#
#   harvesters ─▶ S3 bucket ─▶ SQS queue per kind (+ DLQ) ─▶ forwarder service per queue
#                                                              │ http://api.<name>.internal:8085
#   VPN ─▶ internal ALB (HTTPS) ─▶ API service ◀───────────────┘
#                                    │            worker service
#                                    └─▶ RDS PostgreSQL, ElastiCache Redis ◀─┘
#
# The queues are declared once (queues.tf); the environment of each process follows
# `hds describe` (settings.tf). Both are checked by tests/deploy/test_terraform.py.

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

# The private subnets' ranges: where the load balancer's nodes are (HDS_TRUSTED_PROXIES).
data "aws_subnet" "private" {
  for_each = toset(var.private_subnet_ids)
  id       = each.value
}

locals {
  name       = "${var.name}-${var.environment}"
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.name
  partition  = data.aws_partition.current.partition
}
