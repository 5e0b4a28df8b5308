# The queues, declared once. Everything per queue (the queue and its dead-letter queue, the
# bucket notifications, the forwarder service, its IAM grants, scaling and alarms) is generated
# from this map. It mirrors `hds describe` (queues[]): tests/deploy/test_terraform.py fails when
# the two differ, so a queue added to the binary must be added here too.
#
#   url_variable / prefixes_variable  the forwarder's environment (QUEUE_URL, KEY_PREFIXES)
#   prefixes                          S3 key prefixes announced on the queue (the binary's defaults)
#   downloads_object                  the forwarder reads the object (report queues)
#   deletes_object                    the forwarder deletes the object after a 2xx
#   sqs_name                          the queue's name (the original deployment's names, so the
#                                     queues can be imported and switched over, docs/deploy.md)
locals {
  queues = {
    errorreports = {
      url_variable      = "ERRORREPORTS_QUEUE_URL"
      prefixes_variable = "ERRORREPORTS_KEY_PREFIXES"
      prefixes          = ["errorreport/"]
      downloads_object  = true
      deletes_object    = true
      sqs_name          = "errorreport-queue"
    }
    sessclip = {
      url_variable      = "SESSCLIP_QUEUE_URL"
      prefixes_variable = "SESSCLIP_KEY_PREFIXES"
      prefixes          = ["sessclip/"]
      downloads_object  = false
      deletes_object    = false
      sqs_name          = "hds-sessclip-queue"
    }
    s3files = {
      url_variable      = "S3FILES_QUEUE_URL"
      prefixes_variable = "S3FILES_KEY_PREFIXES"
      prefixes          = ["hdsfiles/"]
      downloads_object  = false
      deletes_object    = false
      sqs_name          = "hds-files-queue"
    }
    harvversion = {
      url_variable      = "HARVVERSION_QUEUE_URL"
      prefixes_variable = "HARVVERSION_KEY_PREFIXES"
      prefixes          = ["versions/"]
      downloads_object  = true
      deletes_object    = true
      sqs_name          = "hds-versions-queue"
    }
    jobresults = {
      url_variable      = "JOBRESULTS_QUEUE_URL"
      prefixes_variable = "JOBRESULTS_KEY_PREFIXES"
      prefixes          = ["jobresults/"]
      downloads_object  = true
      deletes_object    = true
      sqs_name          = "hds-jobresults-queue"
    }
    autodiagnostics = {
      url_variable      = "AUTODIAGNOSTICS_QUEUE_URL"
      prefixes_variable = "AUTODIAGNOSTICS_KEY_PREFIXES"
      prefixes          = ["autodiagnostics/"]
      downloads_object  = true
      deletes_object    = true
      sqs_name          = "hds-autodiagnostics-queue"
    }
    aftconfigs = {
      url_variable      = "AFTCONFIGS_QUEUE_URL"
      prefixes_variable = "AFTCONFIGS_KEY_PREFIXES"
      prefixes          = ["aftconfigs/"]
      downloads_object  = true
      deletes_object    = true
      sqs_name          = "hds-config-queue"
    }
    gripreports = {
      url_variable      = "GRIPREPORT_QUEUE_URL"
      prefixes_variable = "GRIPREPORT_KEY_PREFIXES"
      prefixes          = ["gripreports/"]
      downloads_object  = true
      deletes_object    = true
      sqs_name          = "hds-gripreport-queue"
    }
    harvassetreport = {
      url_variable      = "ASSET_QUEUE_URL"
      prefixes_variable = "ASSET_KEY_PREFIXES"
      prefixes          = ["assets/"]
      downloads_object  = true
      deletes_object    = true
      sqs_name          = "hds-asset-queue"
    }
  }

  # Every (queue, prefix) pair, for the bucket notifications and the per-prefix S3 grants.
  queue_prefixes = flatten([
    for q, spec in local.queues : [for p in spec.prefixes : { queue = q, prefix = p }]
  ])

  # Queues whose forwarders run (the others keep their messages until their endpoint exists).
  forwarded_queues = { for q, spec in local.queues : q => spec if !contains(var.held_queues, q) }
}

resource "aws_sqs_queue" "dlq" {
  for_each = local.queues

  name                      = "${each.value.sqs_name}-dlq"
  message_retention_seconds = 1209600 # 14 days, the most SQS keeps
  sqs_managed_sse_enabled   = true
}

resource "aws_sqs_queue" "queue" {
  for_each = local.queues

  name                       = each.value.sqs_name
  visibility_timeout_seconds = 60 # the forwarder's --visibility-seconds
  receive_wait_time_seconds  = 20 # long polling, as the forwarder asks
  message_retention_seconds  = 1209600
  sqs_managed_sse_enabled    = true

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq[each.key].arn
    maxReceiveCount     = 5 # docs/api-design.md#forwarders: DLQ after 5 receives
  })
}

resource "aws_sqs_queue_redrive_allow_policy" "dlq" {
  for_each = local.queues

  queue_url = aws_sqs_queue.dlq[each.key].id
  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.queue[each.key].arn]
  })
}

# S3 may send the bucket's notifications to each queue, nobody else may.
data "aws_iam_policy_document" "queue" {
  for_each = local.queues

  statement {
    sid       = "S3Notifications"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.queue[each.key].arn]
    principals {
      type        = "Service"
      identifiers = ["s3.amazonaws.com"]
    }
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_s3_bucket.data.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
  statement {
    sid       = "TlsOnly"
    effect    = "Deny"
    actions   = ["sqs:*"]
    resources = [aws_sqs_queue.queue[each.key].arn]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sqs_queue_policy" "queue" {
  for_each = local.queues

  queue_url = aws_sqs_queue.queue[each.key].id
  policy    = data.aws_iam_policy_document.queue[each.key].json
}

# One notification per (queue, prefix): a new object under the prefix is announced on the queue.
resource "aws_s3_bucket_notification" "data" {
  bucket = aws_s3_bucket.data.id

  dynamic "queue" {
    for_each = { for qp in local.queue_prefixes : "${qp.queue}:${qp.prefix}" => qp }
    content {
      id            = "${queue.value.queue}-${trimsuffix(replace(queue.value.prefix, "/", "-"), "-")}"
      queue_arn     = aws_sqs_queue.queue[queue.value.queue].arn
      events        = ["s3:ObjectCreated:*"]
      filter_prefix = queue.value.prefix
    }
  }

  depends_on = [aws_sqs_queue_policy.queue]
}
