#!/usr/bin/env python3
"""Pipeline benchmark helper (used by scripts/bench).

  pipeline_bench.py setup BUCKET            create a bucket whose errorreport/ objects notify a
                                            fresh queue (with a DLQ); prints the queue URL
  pipeline_bench.py run BUCKET N DBURL RUN  upload N ~20 KB error reports (16 threads), wait until
                                            all are rows in PostgreSQL, print reports/s and the
                                            put → row-visible latency percentiles
  pipeline_bench.py moto N                  moto's own SQS ceiling: send/receive/delete N messages
"""
import json
import os
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import boto3

ENDPOINT = os.environ["AWS_ENDPOINT_URL"]
REGION = os.environ.get("AWS_REGION", "us-west-1")
s3 = boto3.client("s3", endpoint_url=ENDPOINT, region_name=REGION)
sqs = boto3.client("sqs", endpoint_url=ENDPOINT, region_name=REGION)


def setup(bucket):
    try:
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    except s3.exceptions.BucketAlreadyOwnedByYou:
        pass
    dlq = sqs.create_queue(QueueName=f"{bucket}-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    q = sqs.create_queue(QueueName=bucket, Attributes={
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "5"})})["QueueUrl"]
    sqs.purge_queue(QueueUrl=q)
    arn = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={"QueueConfigurations": [
        {"QueueArn": arn, "Events": ["s3:ObjectCreated:*"],
         "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "errorreport/"}]}}}]})
    print(q)


def report(run, i):
    services = {f"{svc}.{n}": {"PID": 1000 + n, "cpu": 0.5, "mem": 0.9, "state": "S", "created": 1651526837,
                               "fsm": {"ts": 1651526862.4, "state": "idle", "service": f"{svc}.{n}", "components": ["idle", "ready"]}}
                for n in range(9) for svc in ["rcoop", "furrow", "logrec", "traychg", "robot", "camera", "vision", "planner"]}
    now = time.time()
    return {"type": "error", "timestamp": now, "serial_number": "5001", "uuid": f"pipe-{run}-{i}",
            "data": {"serial_number": "5001", "githash": "5763793c96", "branch_name": "main",
                     "sysmon_report": {"serial_number": "5001", "sysmon.0": {
                         "index": 0, "robot_index": 0, "services": services,
                         "errors": {"traychg.0": {"ts": now - 1, "code": 9001, "value": "traychgunit.1 Error",
                                                  "traceback": "Traceback (most recent call last): bench"}}}}}}


def psql(dburl, sql):
    return subprocess.run(["psql", dburl, "-qAtc", sql], check=True, capture_output=True, text=True).stdout.strip()


def run(bucket, n, dburl, run_id):
    put_at = {}
    body_size = len(json.dumps(report(run_id, 0)))

    def put(i):
        body = json.dumps(report(run_id, i)).encode()
        put_at[f"pipe-{run_id}-{i}"] = time.time()
        s3.put_object(Bucket=bucket, Key=f"errorreport/report_5001_pipe-{run_id}-{i}.json", Body=body)

    start = time.time()
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(put, range(n)))
    uploaded = time.time()
    query = f"SELECT count(*) FROM error_reports r JOIN events e ON e.id = r.event_id WHERE e.uuid LIKE 'pipe-{run_id}-%'"
    deadline = time.time() + 1800
    while int(psql(dburl, query)) < n:
        if time.time() > deadline:
            sys.exit(f"pipeline: only {psql(dburl, query)} of {n} arrived in time")
        time.sleep(0.5)
    done = time.time()
    rows = psql(dburl, f"SELECT e.uuid || ' ' || extract(epoch FROM r.created) FROM error_reports r JOIN events e ON e.id = r.event_id WHERE e.uuid LIKE 'pipe-{run_id}-%'")
    lat = sorted((float(t) - put_at[u]) * 1000 for u, t in (line.split() for line in rows.splitlines()))
    pct = lambda p: lat[min(len(lat) - 1, int(p * (len(lat) - 1)))]
    print(f"pipeline: {n} reports of {body_size // 1024} KB: uploaded in {uploaded - start:.1f}s, all visible after {done - start:.1f}s "
          f"= {n / (done - start):.0f} reports/s end to end; put → row visible p50 {pct(0.5):.0f} ms, p99 {pct(0.99):.0f} ms, max {lat[-1]:.0f} ms")


def moto(n):
    q = sqs.create_queue(QueueName=f"moto-ceiling-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    start = time.time()

    def send(k):
        sqs.send_message_batch(QueueUrl=q, Entries=[{"Id": str(j), "MessageBody": "x" * 512} for j in range(10)])

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(send, range(n // 10)))
    sent = time.time()
    got = 0
    while got < n:
        msgs = sqs.receive_message(QueueUrl=q, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
        if not msgs:
            break
        sqs.delete_message_batch(QueueUrl=q, Entries=[{"Id": str(j), "ReceiptHandle": m["ReceiptHandle"]} for j, m in enumerate(msgs)])
        got += len(msgs)
    done = time.time()
    sqs.delete_queue(QueueUrl=q)
    bucket = f"moto-ceiling-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    t = time.time()
    for i in range(50):
        s3.put_object(Bucket=bucket, Key=f"x/{i}.json", Body=b"{}" * 10000)
    plain = 50 / (time.time() - t)
    print(f"moto ceiling: SQS send {n / (sent - start):.0f} msg/s (8 threads, batches of 10), receive+delete "
          f"{got / (done - sent):.0f} msg/s (1 thread); S3 put {plain:.0f}/s without notifications "
          f"(with S3→SQS notifications moto managed ~11 puts/s here)")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "setup":
        setup(sys.argv[2])
    elif cmd == "run":
        run(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5])
    elif cmd == "moto":
        moto(int(sys.argv[2]))
