# What each process may do in AWS, and nothing more.
#   api        send to the queues (redrive of failed ingests); read (presigned links) and delete
#              the files that stay in the bucket (queues whose forwarder does not delete them)
#   worker     nothing (PostgreSQL, Redis and Slack only)
#   forwarder  its own queue; its own prefixes: read where it downloads, delete where it deletes

locals {
  file_prefix_arns = flatten([
    for q, spec in local.queues : [for p in spec.prefixes : "${aws_s3_bucket.data.arn}/${p}*"] if !spec.deletes_object
  ])
}

data "aws_iam_policy_document" "api" {
  statement {
    sid       = "RedriveFailedIngests"
    actions   = ["sqs:SendMessage", "sqs:GetQueueUrl"]
    resources = [for q in keys(local.queues) : aws_sqs_queue.queue[q].arn]
  }
  statement {
    sid       = "FileLinksAndDeletes"
    actions   = ["s3:GetObject", "s3:DeleteObject"]
    resources = local.file_prefix_arns
  }
}

data "aws_iam_policy_document" "forwarder" {
  for_each = local.queues

  statement {
    sid = "OwnQueue"
    actions = [
      "sqs:ReceiveMessage",
      "sqs:DeleteMessage",
      "sqs:ChangeMessageVisibility",
      "sqs:GetQueueAttributes",
      "sqs:GetQueueUrl",
    ]
    resources = [aws_sqs_queue.queue[each.key].arn]
  }

  dynamic "statement" {
    for_each = each.value.downloads_object ? [1] : []
    content {
      sid       = "ReadOwnPrefixes"
      actions   = ["s3:GetObject"]
      resources = [for p in each.value.prefixes : "${aws_s3_bucket.data.arn}/${p}*"]
    }
  }

  dynamic "statement" {
    for_each = each.value.deletes_object ? [1] : []
    content {
      sid       = "DeleteOwnPrefixes"
      actions   = ["s3:DeleteObject"]
      resources = [for p in each.value.prefixes : "${aws_s3_bucket.data.arn}/${p}*"]
    }
  }
}
