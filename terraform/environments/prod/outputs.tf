output "hds" {
  description = "Names and addresses docs/deploy.md refers to."
  value = {
    cluster             = module.hds.cluster_name
    ecr_repository_url  = module.hds.ecr_repository_url
    alb_dns_name        = module.hds.alb_dns_name
    bucket              = module.hds.bucket
    queue_urls          = module.hds.queue_urls
    dead_letter_queues  = module.hds.dead_letter_queue_urls
    db_endpoint         = module.hds.db_endpoint
    db_instance_id      = module.hds.db_instance_id
    redis_endpoint      = module.hds.redis_endpoint
    secret_arns         = module.hds.secret_arns
    alarm_topic_arn     = module.hds.alarm_topic_arn
    services            = module.hds.services
    api_task_definition = module.hds.api_task_definition
    run_task_network    = module.hds.run_task_network
  }
}
