#!/usr/bin/env python3
"""Create the local S3 bucket and SQS queues HDS ingests from (against moto), idempotently.

Usage:
    aws_setup.py            create/update bucket, queues, dead-letter queues, policies and the
                            bucket's S3->SQS notifications; print VAR=queue-url lines on stdout
    aws_setup.py --check    upload errorreport/selftest_<uuid>.json and verify that its S3 event
                            arrives on the errorreports queue within 10 s (exit 1 otherwise)

Environment: AWS_ENDPOINT_URL (default http://127.0.0.1:5005), AWS_REGION (us-west-1),
HDS_BUCKET (hds-local), HDS_QUEUE_PREFIX (hds: queues hds-errorreports, …; a check that needs
queues of its own names another), AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (dummy values are fine).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.parse
import uuid

try:
    import boto3
    from botocore.config import Config
    from botocore.exceptions import ClientError
except ImportError:  # run with a python without boto3: use the project venv (scripts/services makes it)
    _venv_py = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".venv", "bin", "python")
    if os.path.exists(_venv_py) and os.path.realpath(sys.prefix) != os.path.realpath(
        os.path.join(os.path.dirname(_venv_py), "..")
    ):
        os.execv(_venv_py, [_venv_py, os.path.abspath(__file__), *sys.argv[1:]])
    sys.exit("aws_setup: boto3 missing; run scripts/services start (it creates .venv)")

# (env var, queue name, key prefix) — one standard queue per report kind
# (docs/api-design.md#forwarders).
PREFIX = os.environ.get("HDS_QUEUE_PREFIX") or "hds"
QUEUES = [
    ("ERRORREPORTS_QUEUE_URL", f"{PREFIX}-errorreports", "errorreport/"),
    ("SESSCLIP_QUEUE_URL", f"{PREFIX}-sessclip", "sessclip/"),
    ("S3FILES_QUEUE_URL", f"{PREFIX}-s3files", "hdsfiles/"),
    ("HARVVERSION_QUEUE_URL", f"{PREFIX}-harvversion", "versions/"),
    ("JOBRESULTS_QUEUE_URL", f"{PREFIX}-jobresults", "jobresults/"),
    ("AUTODIAGNOSTICS_QUEUE_URL", f"{PREFIX}-autodiagnostics", "autodiagnostics/"),
    ("AFTCONFIGS_QUEUE_URL", f"{PREFIX}-aftconfigs", "aftconfigs/"),
    ("GRIPREPORT_QUEUE_URL", f"{PREFIX}-gripreports", "gripreports/"),
    ("ASSET_QUEUE_URL", f"{PREFIX}-harvassetreport", "assets/"),
]
MAX_RECEIVE_COUNT = 5
CHECK_TIMEOUT_S = 10.0


def log(msg: str) -> None:
    print(f"aws_setup: {msg}", file=sys.stderr, flush=True)


def endpoint_url() -> str:
    return os.environ.get("AWS_ENDPOINT_URL") or f"http://127.0.0.1:{os.environ.get('MOTO_PORT') or 5005}"


def clients():
    endpoint = endpoint_url()
    region = os.environ.get("AWS_REGION") or "us-west-1"
    session = boto3.session.Session(
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID") or "testing",
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY") or "testing",
        region_name=region,
    )
    cfg = Config(
        s3={"addressing_style": "path"},
        retries={"max_attempts": 3, "mode": "standard"},
        connect_timeout=5,
        read_timeout=30,
    )
    s3 = session.client("s3", endpoint_url=endpoint, config=cfg)
    sqs = session.client("sqs", endpoint_url=endpoint, config=cfg)
    return s3, sqs, region


def bucket_name() -> str:
    return os.environ.get("HDS_BUCKET") or "hds-local"


def ensure_bucket(s3, bucket: str, region: str) -> None:
    try:
        s3.head_bucket(Bucket=bucket)
        return
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code not in ("404", "NoSuchBucket", "NotFound"):
            raise
    kwargs = {"Bucket": bucket}
    if region != "us-east-1":
        kwargs["CreateBucketConfiguration"] = {"LocationConstraint": region}
    try:
        s3.create_bucket(**kwargs)
        log(f"created bucket {bucket}")
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "BucketAlreadyOwnedByYou":
            raise


def queue_url_or_none(sqs, name: str) -> str | None:
    try:
        return sqs.get_queue_url(QueueName=name)["QueueUrl"]
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if "NonExistentQueue" in code or code == "QueueDoesNotExist":
            return None
        raise


def queue_arn(sqs, url: str) -> str:
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    return attrs["Attributes"]["QueueArn"]


def ensure_queue(sqs, name: str, attributes: dict[str, str] | None = None, quiet: bool = False) -> tuple[str, bool]:
    """Create the queue with the attributes, or bring an existing one's attributes up to date.

    Returns (url, created)."""
    attributes = attributes or {}
    url = queue_url_or_none(sqs, name)
    if url is None:
        url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
        log(f"created queue {name}")
        return url, True
    if attributes:
        current = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=list(attributes))
        current = current.get("Attributes", {})
        if any(_norm(current.get(k)) != _norm(v) for k, v in attributes.items()):
            sqs.set_queue_attributes(QueueUrl=url, Attributes=attributes)
            if not quiet:
                log(f"updated attributes of queue {name}")
    return url, False


def _norm(value):
    """Compare JSON-valued attributes by content, not by formatting."""
    if value is None:
        return None
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return str(value)


def s3_send_policy(arn: str, bucket: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "AllowS3BucketNotifications",
                    "Effect": "Allow",
                    "Principal": {"Service": "s3.amazonaws.com"},
                    "Action": "sqs:SendMessage",
                    "Resource": arn,
                    "Condition": {"ArnLike": {"aws:SourceArn": f"arn:aws:s3:::{bucket}"}},
                }
            ],
        },
        separators=(",", ":"),
    )


def desired_notifications(arns: dict[str, str]) -> list[dict]:
    configs = []
    for _var, name, prefix in QUEUES:
        configs.append(
            {
                "Id": f"{name}-objectcreated",
                "QueueArn": arns[name],
                "Events": ["s3:ObjectCreated:*"],
                "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": prefix}]}},
            }
        )
    return configs


def _canonical(configs: list[dict]) -> list[tuple]:
    out = []
    for c in configs or []:
        rules = c.get("Filter", {}).get("Key", {}).get("FilterRules", [])
        out.append(
            (
                c.get("QueueArn"),
                tuple(sorted(c.get("Events", []))),
                tuple(sorted((r.get("Name", "").lower(), r.get("Value", "")) for r in rules)),
            )
        )
    return sorted(out)


def ensure_notifications(s3, bucket: str, arns: dict[str, str]) -> bool:
    """Apply the S3->SQS notification configuration; return True when it was (re)applied."""
    want = desired_notifications(arns)
    current = s3.get_bucket_notification_configuration(Bucket=bucket)
    if (
        _canonical(current.get("QueueConfigurations", [])) == _canonical(want)
        and not current.get("TopicConfigurations")
        and not current.get("LambdaFunctionConfigurations")
    ):
        return False
    s3.put_bucket_notification_configuration(
        Bucket=bucket, NotificationConfiguration={"QueueConfigurations": want}
    )
    log(f"configured S3->SQS notifications on bucket {bucket}")
    return True


def is_test_event(body: str) -> bool:
    try:
        doc = json.loads(body)
    except (TypeError, ValueError):
        return False
    return isinstance(doc, dict) and "Records" not in doc


def purge_test_events(sqs, url: str) -> int:
    """Delete the s3:TestEvent messages (no `Records`) from a queue; leave everything else visible."""
    removed = 0
    held: list[str] = []
    try:
        for _ in range(100):  # bounded: at most 1,000 messages inspected
            resp = sqs.receive_message(
                QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0, VisibilityTimeout=30
            )
            msgs = resp.get("Messages", [])
            if not msgs:
                break
            for m in msgs:
                if is_test_event(m.get("Body", "")):
                    sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
                    removed += 1
                else:
                    held.append(m["ReceiptHandle"])
    finally:
        for handle in held:  # make real messages visible again at once
            try:
                sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=handle, VisibilityTimeout=0)
            except ClientError:
                pass
    return removed


def setup() -> int:
    s3, sqs, region = clients()
    bucket = bucket_name()
    ensure_bucket(s3, bucket, region)

    urls: dict[str, str] = {}
    arns: dict[str, str] = {}
    for var, name, _prefix in QUEUES:
        dlq_url, _ = ensure_queue(sqs, f"{name}-dlq", {"MessageRetentionPeriod": "1209600"})
        dlq_arn = queue_arn(sqs, dlq_url)
        url, created = ensure_queue(sqs, name)
        arn = queue_arn(sqs, url)  # the S3 policy names the queue's own ARN, known only now
        redrive = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": MAX_RECEIVE_COUNT})
        ensure_queue(sqs, name, {"RedrivePolicy": redrive, "Policy": s3_send_policy(arn, bucket)}, quiet=created)
        urls[var] = url
        arns[name] = arn

    if ensure_notifications(s3, bucket, arns):
        # moto posts an s3:TestEvent to each queue when notifications are configured.
        removed = sum(purge_test_events(sqs, urls[var]) for var, _n, _p in QUEUES)
        if removed:
            log(f"removed {removed} s3:TestEvent message(s)")

    for var, _name, _prefix in QUEUES:
        print(f"{var}={urls[var]}")
    return 0


def check() -> int:
    s3, sqs, _region = clients()
    bucket = bucket_name()
    errorreports = QUEUES[0][1]
    url = queue_url_or_none(sqs, errorreports)
    if url is None:
        log(f"check FAILED: queue {errorreports} does not exist (run scripts/services start)")
        return 1
    key = f"errorreport/selftest_{uuid.uuid4()}.json"
    body = json.dumps({"type": "selftest", "timestamp": time.time()}).encode()
    try:
        s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType="application/json")
    except ClientError as exc:
        log(f"check FAILED: cannot put s3://{bucket}/{key}: {exc}")
        return 1

    found = False
    held: list[str] = []
    deadline = time.monotonic() + CHECK_TIMEOUT_S
    try:
        while not found:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            resp = sqs.receive_message(
                QueueUrl=url,
                MaxNumberOfMessages=10,
                WaitTimeSeconds=max(1, min(5, int(remaining))),
                VisibilityTimeout=15,
            )
            for m in resp.get("Messages", []):
                keys = set()
                try:
                    doc = json.loads(m.get("Body", ""))
                    for rec in doc.get("Records", []) if isinstance(doc, dict) else []:
                        raw = rec.get("s3", {}).get("object", {}).get("key", "")
                        keys.add(urllib.parse.unquote_plus(raw))
                except (TypeError, ValueError, AttributeError):
                    pass
                if key in keys:
                    sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
                    found = True
                elif is_test_event(m.get("Body", "")):
                    sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
                else:
                    held.append(m["ReceiptHandle"])
    finally:
        for handle in held:  # not ours: give it back at once
            try:
                sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=handle, VisibilityTimeout=0)
            except ClientError:
                pass
        try:
            s3.delete_object(Bucket=bucket, Key=key)
        except ClientError as exc:
            log(f"warning: could not delete s3://{bucket}/{key}: {exc}")

    if not found:
        log(f"check FAILED: no event for s3://{bucket}/{key} on {errorreports} within {CHECK_TIMEOUT_S:.0f}s")
        return 1
    log(f"check ok: s3://{bucket}/{key} -> {errorreports}")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="end-to-end S3 -> SQS self test")
    args = parser.parse_args(argv)
    try:
        return check() if args.check else setup()
    except Exception as exc:  # noqa: BLE001 - report any endpoint failure plainly
        log(f"FAILED against {endpoint_url()}: {exc}")
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
