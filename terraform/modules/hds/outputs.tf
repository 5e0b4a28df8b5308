output "cluster_name" {
  value = aws_ecs_cluster.main.name
}

output "ecr_repository_url" {
  description = "make push ACCOUNT=… REGION=… pushes here."
  value       = aws_ecr_repository.hds.repository_url
}

output "alb_dns_name" {
  description = "Point the API's host name (CNAME) here."
  value       = aws_lb.api.dns_name
}

output "healthcheck_url_path" {
  value = local.healthcheck_path
}

output "bucket" {
  value = aws_s3_bucket.data.id
}

output "queue_urls" {
  value = { for q in keys(local.queues) : q => aws_sqs_queue.queue[q].url }
}

output "dead_letter_queue_urls" {
  value = { for q in keys(local.queues) : q => aws_sqs_queue.dlq[q].url }
}

output "db_endpoint" {
  value = aws_db_instance.main.address
}

output "db_instance_id" {
  value = aws_db_instance.main.identifier
}

output "redis_endpoint" {
  value = aws_elasticache_replication_group.main.primary_endpoint_address
}

output "secret_arns" {
  description = "One secret per secret variable; SLACK_TOKEN and SQS_TOKEN are set by an operator."
  value       = { for k, s in aws_secretsmanager_secret.setting : k => s.arn }
}

output "alarm_topic_arn" {
  value = aws_sns_topic.alarms.arn
}

output "services" {
  value = concat(
    [module.api.service_name, module.worker.service_name],
    [for q in keys(local.queues) : module.forwarder[q].service_name],
  )
}

output "api_task_definition" {
  value = module.api.task_definition_family
}

# One-off commands run in the API's task definition (migrations before a release, the sqs
# user's token, the superuser): docs/deploy.md shows them.
output "run_task_network" {
  description = "--network-configuration of `aws ecs run-task` for one-off commands."
  value       = "awsvpcConfiguration={subnets=[${join(",", var.private_subnet_ids)}],securityGroups=[${module.api.security_group_id},${aws_security_group.data_clients.id}],assignPublicIp=DISABLED}"
}
