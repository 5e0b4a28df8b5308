#!/usr/bin/env python3
"""The fault matrix at scale and the soak (used by scripts/bench-faults and scripts/bench-soak).

  fault_bench.py matrix OUT   N objects (FAULTS_OBJECTS, default 10,000) over three queues
                              (errorreports, s3files, sessclip), ~1 % poison (FAULTS_POISON_PERCENT),
                              every message sent twice, kill -9 of a forwarder, the API and the
                              worker and a restart of PostgreSQL and of Redis at random moments;
                              asserts 0 lost, 0 duplicated, poison only in the failed-ingest log and
                              the dead-letter queues; prints objects/s and send → visible p50/p99
  fault_bench.py soak OUT     a steady rate (SOAK_RATE objects/s, default 5) for SOAK_SECONDS
                              (default 1800) through the same processes, sampling RSS and open
                              file descriptors of each process and PostgreSQL connections every
                              SOAK_SAMPLE_SECONDS (10); fails on growth beyond the tolerance

Real processes of the release binary ($HDS): `hds runserver`, `hds worker` and one `hds forward`
per queue, on a private PostgreSQL cluster and a private Redis (restarting the shared ones would
disturb everything else on the machine), and the moto of scripts/services for S3 and SQS.

Objects are put into S3 first; then their S3 event messages (the JSON S3 sends) are sent to the
queues directly in batches of 10, as S3 would, instead of through moto's S3 → SQS notifications
(which deliver under one object a second once moto holds thousands of objects). moto's SQS costs
grow with a queue's depth (a send or receive scans every message: 20 ms at depth 0, 0.4 s at
1,000), so the sender keeps each queue at most FAULTS_WINDOW messages deep (default 60), as a
steady stream of uploads would; the queues are never the thing being measured.
Writes OUT.txt (the report) and OUT.json (figures); the processes' logs go to FAULTS_LOG_DIR.
"""
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
from botocore.config import Config as BotoConfig

ROOT = Path(__file__).resolve().parents[2]
HDS = os.environ.get("HDS", str(ROOT / "target/release/hds"))
ENDPOINT = os.environ["AWS_ENDPOINT_URL"]
REGION = os.environ.get("AWS_REGION", "us-west-1")
BOTO = BotoConfig(retries={"max_attempts": 10, "mode": "standard"}, max_pool_connections=32)
s3 = boto3.client("s3", endpoint_url=ENDPOINT, region_name=REGION, config=BOTO)
sqs = boto3.client("sqs", endpoint_url=ENDPOINT, region_name=REGION, config=BOTO)
QUEUES = ["errorreports", "s3files", "sessclip"]
# The limit a report may have (HDS_REPORT_BODY_LIMIT); the oversized poison is above it.
BODY_LIMIT = 65536
MAX_RECEIVES = 5
OUT_LINES = []


def say(line=""):
    print(line, flush=True)
    OUT_LINES.append(line)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, secs=60):
    deadline = time.time() + secs
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.1)
    return False


def pg_bin(tool):
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{tool}"))
    return str(found[-1]) if found else tool


class PrivatePg:
    """A PostgreSQL cluster of this run (run as the postgres user), removed at the end."""

    def __init__(self):
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="hds-faults-pg-"))
        shutil.chown(self.dir, "postgres", "postgres")
        self.as_postgres([pg_bin("initdb"), "-D", str(self.dir), "--auth=trust", "-U", "postgres"])
        self.ctl("start")
        psql_run(f"postgres://postgres@127.0.0.1:{self.port}/postgres", "CREATE DATABASE hds")

    @staticmethod
    def as_postgres(args):
        subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def ctl(self, what, mode=None):
        args = [pg_bin("pg_ctl"), "-D", str(self.dir), "-o",
                f"-p {self.port} -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200",
                "-l", str(self.dir / "log"), "-w"]
        if mode:
            args += ["-m", mode]
        self.as_postgres(args + [what])

    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/hds"

    def close(self):
        try:
            self.ctl("stop", "immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


class PrivateRedis:
    def __init__(self):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="hds-faults-redis-")
        self.proc = None
        self.start()

    def start(self):
        self.proc = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
                                      "--appendonly", "no", "--dir", self.dir],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not wait_port(self.port, 10):
            sys.exit("redis did not start")

    def kill9(self):
        self.proc.kill()
        self.proc.wait()

    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def close(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def cpu_seconds(pid):
    """User + system CPU time of a process (and its waited-for children), in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def moto_pid():
    """The moto server answering AWS_ENDPOINT_URL (its CPU is reported next to ours)."""
    port = urllib.parse.urlparse(ENDPOINT).port
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                cmd = (d / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if any(b"moto_server" in c for c in cmd) and str(port).encode() in cmd:
                return int(d.name)
    return None


def psql_run(url, sql):
    return subprocess.run(["psql", url, "-qAtc", sql], check=True, capture_output=True, text=True).stdout.strip()


def psql_try(url, sql):
    """None while the database is unreachable (it is restarted during the run)."""
    r = subprocess.run(["psql", url, "-qAtc", sql], capture_output=True, text=True)
    return r.stdout.strip() if r.returncode == 0 else None


class Proc:
    """One hds process, started again after it is killed."""

    def __init__(self, name, args, env, log_dir, port=None):
        self.name, self.args, self.env, self.port = name, args, env, port
        self.log = open(log_dir / f"{name}.log", "ab")
        self.proc = None
        self.kills = 0
        self.cpu_before = 0.0  # CPU seconds of the instances killed so far

    def cpu(self):
        return self.cpu_before + ((cpu_seconds(self.proc.pid) or 0) if self.alive() else 0)

    def start(self):
        self.proc = subprocess.Popen([HDS, *self.args], env=self.env, stdout=self.log, stderr=self.log)
        if self.port and not wait_port(self.port):
            sys.exit(f"{self.name} did not start")

    def kill9(self):
        self.kills += 1
        self.cpu_before += cpu_seconds(self.proc.pid) or 0
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(40)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# ---------------------------------------------------------------- objects and messages

def error_report(uuid_, ts):
    errors = {f"svc{k}.0": {"ts": ts - k, "code": k, "handled": False,
                             "value": "traychgunit.1 Error: No tray detected in collection",
                             "traceback": f"Traceback (most recent call last):\n  File \"robot.py\", line 7\nRuntimeError: fault {k}",
                             "operator_err_type": "traychg"} for k in range(3)}
    services = {f"{svc}.{n}": {"PID": 1000 + n, "cpu": 0.5, "mem": 0.9, "state": "S"}
                for n in range(3) for svc in ["rcoop", "furrow", "robot", "camera", "vision"]}
    return {"type": "error", "timestamp": ts, "serial_number": "011", "uuid": uuid_,
            "pick_session_uuid": f"ps-{uuid_}",
            "data": {"serial_number": "011", "githash": "5763793c96", "branch_name": "main",
                     "sysmon_report": {"serial_number": "011", "sysmon.0": {
                         "index": 0, "robot_index": 0, "version": "+5763793c96",
                         "errors": errors, "services": services}}}}


ERROR_POISON = ["invalid_json", "too_large", "object_missing", "too_deep", "rejected"]
FILE_POISON = ["rejected_key", "not_json", "no_records"]


class Item:
    """One object of the run (or, for poison, one announcement that must fail)."""

    def __init__(self, queue, idx, run, poison=None):
        self.queue, self.idx, self.poison = queue, idx, poison
        self.token = f"flt-{run}-{queue[:2]}-{idx}"
        self.body = None
        self.etag = ""
        self.put = True
        self.message = None
        self.sent_at = None
        if queue == "errorreports":
            self.key = f"errorreport/r_011_{self.token}.json"
            ts = 1.7e9 + idx
            if poison is None:
                self.body = json.dumps(error_report(self.token, ts)).encode()
            elif poison == "invalid_json":
                self.body = b'{"type": "error", "uuid": "' + self.token.encode() + b'", '
            elif poison == "too_large":
                self.body = json.dumps({"uuid": self.token, "pad": "x" * (BODY_LIMIT + 4096)}).encode()
            elif poison == "object_missing":
                self.put = False
                self.body = b"{}"
            elif poison == "too_deep":
                self.body = ("[" * 1000 + "]" * 1000).encode()
            elif poison == "rejected":
                self.body = json.dumps({"type": "error", "uuid": self.token}).encode()
        elif queue == "s3files":
            self.key = f"hdsfiles/robotlog_011_03_{self.token}.log"
            self.body = b"a log line\n" * 20
        else:
            self.key = f"sessclip/clip_{self.token}.zip"
            self.body = b"PK\x05\x06" + b"\0" * 18

    def event(self, bucket):
        key = self.key
        if self.poison == "rejected_key":
            key = f"{self.key.split('/')[0]}/../{self.token}"
        record = {"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": REGION,
                  "eventTime": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
                  "eventName": "ObjectCreated:Put",
                  "s3": {"s3SchemaVersion": "1.0", "configurationId": "hds-faults",
                         "bucket": {"name": bucket, "arn": f"arn:aws:s3:::{bucket}"},
                         "object": {"key": urllib.parse.quote_plus(key, safe="/"), "size": len(self.body),
                                    "eTag": self.etag, "sequencer": f"{self.idx:016X}"}}}
        if self.poison == "not_json":
            return f"not json {self.token}"
        if self.poison == "no_records":
            return json.dumps({"Records": [], "Note": self.token})
        return json.dumps({"Records": [record]})


def make_items(n, percent, run, rng):
    per_queue = {"errorreports": n - 2 * (n // 3), "s3files": n // 3, "sessclip": n // 3}
    items = []
    for q, count in per_queue.items():
        kinds = ERROR_POISON if q == "errorreports" else FILE_POISON
        poison_n = round(count * percent / 100)
        poison_at = set(rng.sample(range(count), poison_n)) if poison_n else set()
        k = 0
        for i in range(count):
            p = None
            if i in poison_at:
                p = kinds[k % len(kinds)]
                k += 1
            items.append(Item(q, i, run, p))
    return items


def put_objects(bucket, items):
    def put(it):
        if it.put:
            r = s3.put_object(Bucket=bucket, Key=it.key, Body=it.body)
            it.etag = r["ETag"].strip('"')

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(put, items))


def depth(url):
    a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[
        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    return int(a["ApproximateNumberOfMessages"]) + int(a["ApproximateNumberOfMessagesNotVisible"])


def sender(url, messages, window, rate=None, stop=None):
    """Sends (item, body) pairs in batches of 10, keeping the queue at most `window` deep (and,
    with `rate`, at most that many messages a second)."""
    started = time.time()
    sent = 0
    while messages and not (stop and stop.is_set()):
        if depth(url) + 10 > window:
            time.sleep(0.05)
            continue
        if rate:
            ahead = started + (sent + 10) / rate - time.time()
            if ahead > 0:
                time.sleep(ahead)
        batch, messages = messages[:10], messages[10:]
        now = time.time()
        for it, _ in batch:
            it.sent_at = it.sent_at or now
        r = sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(j), "MessageBody": body}
                                                          for j, (_, body) in enumerate(batch)])
        failed = r.get("Failed", [])
        if failed:
            sys.exit(f"send_message_batch failed: {failed}")
        sent += len(batch)


# ---------------------------------------------------------------- the system under test

class System:
    def __init__(self, run, out):
        self.run = run
        self.log_dir = Path(os.environ.get("FAULTS_LOG_DIR", f"{out}.logs"))
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.pg = PrivatePg()
        self.redis = PrivateRedis()
        self.db = self.pg.url()
        self.bucket = f"hds-faults-{run}"
        s3.create_bucket(Bucket=self.bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
        self.urls, self.dlqs = {}, {}
        for q in QUEUES:
            dlq = sqs.create_queue(QueueName=f"hds-faults-{run}-{q}-dlq")["QueueUrl"]
            arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            self.dlqs[q] = dlq
            self.urls[q] = sqs.create_queue(QueueName=f"hds-faults-{run}-{q}", Attributes={
                "RedrivePolicy": json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": str(MAX_RECEIVES)})})["QueueUrl"]
        self.api_port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.endswith("_QUEUE_URL")}
        env.update({"DATABASE_URL": self.db, "REDIS_URL": self.redis.url(), "HDS_ENV": "development",
                    "HDS_LOG": os.environ.get("FAULTS_HDS_LOG", "warn"), "HDS_PORT": str(self.api_port),
                    "HDS_BUCKET": self.bucket, "HDS_REPORT_BODY_LIMIT": str(BODY_LIMIT),
                    "HDS_FRONTEND_DIR": "/nonexistent", "ERRORREPORTS_QUEUE_URL": self.urls["errorreports"],
                    "S3FILES_QUEUE_URL": self.urls["s3files"], "SESSCLIP_QUEUE_URL": self.urls["sessclip"]})
        self.env = env
        subprocess.run([HDS, "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
        fixtures = sorted(str(p) for p in (ROOT / "fixtures").glob("*.json"))
        subprocess.run([HDS, "loaddata", *fixtures], env=env, check=True, stdout=subprocess.DEVNULL)
        token_file = self.log_dir / "sqstoken"
        subprocess.run([HDS, "create-sqs-user", "--token-file", str(token_file)], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        api = f"http://127.0.0.1:{self.api_port}"
        self.api = Proc("api", ["runserver"], env, self.log_dir, port=self.api_port)
        self.worker = Proc("worker", ["worker", "--sweep-seconds", "2", "--sweep-grace-seconds", "5"],
                           env, self.log_dir)
        self.forwarders = {q: Proc(f"forward-{q}", ["forward", "--queue", q, "--api-url", api, "--token-file",
                                                    str(token_file), "--concurrency", "8",
                                                    "--visibility-seconds", "20", "--wait-seconds", "2"],
                                   env, self.log_dir) for q in QUEUES}
        self.procs = [self.api, self.worker, *self.forwarders.values()]
        for p in self.procs:
            p.start()

    def close(self):
        for p in self.procs:
            p.stop()
        self.redis.close()
        self.pg.close()
        for url in [*self.urls.values(), *self.dlqs.values()]:
            try:
                sqs.delete_queue(QueueUrl=url)
            except Exception:
                pass


def progress(sysm, items):
    """Good objects whose row exists (None while PostgreSQL is down)."""
    r = psql_try(sysm.db, f"SELECT (SELECT count(*) FROM error_reports r JOIN events e ON e.id = r.event_id "
                          f"WHERE e.uuid LIKE 'flt-{sysm.run}-%') + (SELECT count(*) FROM s3_files "
                          f"WHERE key LIKE '%flt-{sysm.run}-%')")
    return int(r) if r else None


def drain_dlq(url):
    bodies = []
    empty = 0
    while empty < 3:
        msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                   VisibilityTimeout=600).get("Messages", [])
        if not msgs:
            empty += 1
            continue
        bodies += [m["Body"] for m in msgs]
    return bodies


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(p * (len(v) - 1)))] if v else float("nan")


# ---------------------------------------------------------------- the matrix

def matrix(out):
    n = int(os.environ.get("FAULTS_OBJECTS", "10000"))
    percent = float(os.environ.get("FAULTS_POISON_PERCENT", "1"))
    window = int(os.environ.get("FAULTS_WINDOW", "60"))
    seed = int(os.environ.get("FAULTS_SEED", str(random.randrange(1 << 30))))
    rng = random.Random(seed)
    run = uuid.uuid4().hex[:8]
    say(f"fault matrix: {n} objects over {', '.join(QUEUES)}, {percent:g} % poison, every message twice, "
        f"seed {seed}, run {run}")
    items = make_items(n, percent, run, rng)
    good = [it for it in items if not it.poison]
    poison = [it for it in items if it.poison]
    sysm = System(run, out)
    faults_log = []
    try:
        t0 = time.time()
        put_objects(sysm.bucket, items)
        say(f"put {sum(it.put for it in items)} objects in {time.time() - t0:.1f} s")
        # Both copies of every message, spread over the run: the duplicate of one object comes
        # anywhere from at once to much later, as SQS's at-least-once delivery may.
        per_queue = {}
        for q in QUEUES:
            msgs = [(it, it.event(sysm.bucket)) for it in items if it.queue == q]
            both = msgs + msgs
            rng.shuffle(both)
            per_queue[q] = both
        # The faults, each at a random point of the run (as a fraction of the good objects stored).
        faults = [("kill -9 forwarder", rng.uniform(0.1, 0.9)), ("kill -9 API", rng.uniform(0.1, 0.9)),
                  ("kill -9 worker", rng.uniform(0.1, 0.9)), ("restart PostgreSQL", rng.uniform(0.1, 0.9)),
                  ("restart Redis", rng.uniform(0.1, 0.9))]
        faults.sort(key=lambda f: f[1])
        moto = moto_pid()
        cpu0 = {"moto": cpu_seconds(moto) if moto else None, **{p.name: p.cpu() for p in sysm.procs}}
        start = time.time()
        threads = [threading.Thread(target=sender, args=(sysm.urls[q], per_queue[q], window), daemon=True)
                   for q in QUEUES]
        for t in threads:
            t.start()
        deadline = start + max(900, n * 0.3)
        done_at = None
        while time.time() < deadline:
            got = progress(sysm, items)
            if got is not None:
                while faults and got >= faults[0][1] * len(good):
                    what, _ = faults.pop(0)
                    inject(sysm, what, rng, faults_log, got, len(good))
                if got >= len(good) and done_at is None:
                    done_at = time.time()
                if done_at and not any(t.is_alive() for t in threads) and settled(sysm, poison):
                    break
            time.sleep(0.5)
        else:
            say(f"not settled within {deadline - start:.0f} s")
        settled_at = time.time()
        cpu = {p.name: p.cpu() - cpu0[p.name] for p in sysm.procs}
        if moto and cpu0["moto"] is not None:
            cpu["moto (shared)"] = (cpu_seconds(moto) or 0) - cpu0["moto"]
        say("CPU seconds from the first message until settled: "
            + ", ".join(f"{k} {v:.0f}" for k, v in cpu.items()) + f" (wall {settled_at - start:.0f} s)")
        return check(sysm, items, good, poison, start, done_at, settled_at, faults_log, out, seed)
    finally:
        sysm.close()


def inject(sysm, what, rng, faults_log, got, total):
    at = time.time()
    if what == "kill -9 forwarder":
        q = rng.choice(QUEUES)
        p = sysm.forwarders[q]
        p.kill9()
        time.sleep(rng.uniform(0.5, 3))
        p.start()
        what = f"kill -9 forwarder {q}"
    elif what == "kill -9 API":
        sysm.api.kill9()
        time.sleep(rng.uniform(0.5, 3))
        sysm.api.start()
    elif what == "kill -9 worker":
        sysm.worker.kill9()
        time.sleep(rng.uniform(0.5, 3))
        sysm.worker.start()
    elif what == "restart PostgreSQL":
        # A crash, not a clean shutdown: committed work must survive it (pg_ctl -m immediate).
        sysm.pg.ctl("restart", "immediate")
    elif what == "restart Redis":
        sysm.redis.kill9()
        time.sleep(rng.uniform(0.5, 3))
        sysm.redis.start()
    line = f"{what} at {got}/{total} stored, back after {time.time() - at:.1f} s"
    faults_log.append(line)
    say(line)


def settled(sysm, poison):
    """Every queue empty and each poison message in a dead-letter queue; error reports extracted."""
    if any(depth(u) for u in sysm.urls.values()):
        return False
    if sum(depth(u) for u in sysm.dlqs.values()) < 2 * len(poison):
        return False
    pending = psql_try(sysm.db, "SELECT count(*) FROM error_reports WHERE extraction_status <> 'done'")
    return pending == "0"


def check(sysm, items, good, poison, start, done_at, settled_at, faults_log, out, seed):
    db = sysm.db
    by_token = {it.token: it for it in items}
    mine = f"e.uuid LIKE 'flt-{sysm.run}-%'"
    rows = psql_run(db, "SELECT e.uuid || ' ' || extract(epoch FROM r.created) || ' ' || r.extraction_status "
                        f"FROM error_reports r JOIN events e ON e.id = r.event_id WHERE {mine}")
    seen, created, problems = {}, {}, []
    for line in rows.splitlines():
        tok, ts, status = line.split()
        seen[tok] = seen.get(tok, 0) + 1
        created[tok] = float(ts)
        if status != "done":
            problems.append(f"error report {tok} extraction {status}")
    files = psql_run(db, f"SELECT key || ' ' || extract(epoch FROM created) FROM s3_files WHERE key LIKE '%flt-{sysm.run}-%'")
    for line in files.splitlines():
        key, ts = line.rsplit(" ", 1)
        tok = key.rsplit("_", 1)[-1].split(".")[0]
        seen[tok] = seen.get(tok, 0) + 1
        created[tok] = float(ts)
    clips = int(psql_run(db, "SELECT count(*) FROM sess_clips"))
    exc = psql_run(db, "SELECT n, count(*) FROM (SELECT r.id, count(x.id) AS n FROM error_reports r "
                       f"JOIN events e ON e.id = r.event_id LEFT JOIN exceptions x ON x.report_id = r.id WHERE {mine} "
                       "GROUP BY r.id) c GROUP BY n")
    exc_counts = dict(tuple(map(int, l.split("|"))) for l in exc.splitlines())
    lost = [it.token for it in good if seen.get(it.token, 0) == 0]
    dup = [t for t, c in seen.items() if c > 1]
    stored_poison = [t for t in seen if t in by_token and by_token[t].poison]
    strangers = [t for t in seen if t not in by_token]
    # The failed-ingest log: each copy of each poison message once, nothing else.
    fails = psql_run(db, "SELECT queue || '|' || reason || '|' || coalesce(key, '') || '|' || coalesce(message->>'Body', '') "
                         "FROM failed_ingests")
    logged = {}
    good_logged = []
    token_re = re.compile(rf"flt-{sysm.run}-[a-z0-9]{{2}}-[0-9]+")

    def token_in(text):
        m = token_re.search(text)
        return m.group(0) if m else None

    for line in fails.splitlines():
        q, reason, key, body = line.split("|", 3)
        tok = token_in(key + " " + body)
        if tok is None or tok not in by_token or not by_token[tok].poison:
            good_logged.append(f"{q} {reason} {key or body[:80]}")
        else:
            logged[tok] = logged.get(tok, 0) + 1
    dlq_bodies = [b for u in sysm.dlqs.values() for b in drain_dlq(u)]
    in_dlq, good_dlq = {}, []
    for b in dlq_bodies:
        tok = token_in(b)
        if tok is None or tok not in by_token or not by_token[tok].poison:
            good_dlq.append(b[:120])
        else:
            in_dlq[tok] = in_dlq.get(tok, 0) + 1
    poison_unlogged = [it.token for it in poison if logged.get(it.token, 0) != 2]
    poison_not_dlq = [it.token for it in poison if in_dlq.get(it.token, 0) != 2]
    er_good = sum(1 for it in good if it.queue == "errorreports")
    clips_good = sum(1 for it in good if it.queue == "sessclip")
    if clips != clips_good:
        problems.append(f"sess_clips {clips}, expected {clips_good}")
    if set(exc_counts) - {3}:
        problems.append(f"exceptions per report {exc_counts}, expected 3 each")
    left = {q: depth(u) for q, u in sysm.urls.items() if depth(u)}
    if left:
        problems.append(f"messages left on the queues {left}")
    last = max((created[it.token] for it in good if it.token in created), default=start)
    lat = [(created[it.token] - it.sent_at) * 1000 for it in good if it.token in created and it.sent_at]
    e2e = len(good) / max(last - start, 1e-9)
    kills = {p.name: p.kills for p in sysm.procs if p.kills}
    say(f"faults: {'; '.join(faults_log) or 'none'}")
    say(f"{len(good)} good objects ({er_good} error reports, {len(good) - er_good} files), {len(poison)} poison "
        f"({', '.join(sorted({it.poison for it in poison}))}), {2 * len(items)} messages sent")
    say(f"all good objects visible {last - start:.1f} s after the first message = {e2e:.0f} objects/s end to end; "
        f"send → row visible p50 {pct(lat, 0.5):.0f} ms, p99 {pct(lat, 0.99):.0f} ms, max {max(lat, default=0):.0f} ms; "
        f"settled (queues empty, poison dead-lettered, reports extracted) after {settled_at - start:.1f} s")
    say(f"lost {len(lost)}, duplicated {len(dup)}, poison stored {len(stored_poison)}, unknown rows {len(strangers)}; "
        f"failed-ingest log: {sum(logged.values())} poison entries, {len(good_logged)} others; "
        f"dead-letter queues: {sum(in_dlq.values())} poison messages, {len(good_dlq)} others")
    for name, xs in [("lost", lost), ("duplicated", dup), ("poison stored", stored_poison),
                     ("good in failed-ingest log", good_logged), ("good in DLQ", good_dlq),
                     ("poison not logged twice", poison_unlogged), ("poison not dead-lettered twice", poison_not_dlq),
                     ("other", problems)]:
        if xs:
            say(f"  {name}: {xs[:10]}{' …' if len(xs) > 10 else ''}")
    rows_t = [("objects lost", len(lost), 0, False), ("objects duplicated", len(dup), 0, False),
              ("poison stored as data", len(stored_poison), 0, False),
              ("good objects in failed-ingest log or DLQ", len(good_logged) + len(good_dlq), 0, False),
              ("poison missing from failed-ingest log or DLQ", len(set(poison_unlogged) | set(poison_not_dlq)), 0, False),
              ("other problems", len(problems), 0, False)]
    say(f"{'target':<46} {'measured':>10} {'target':>8}  meets")
    for what, m, t, _ in rows_t:
        say(f"{what:<46} {m:>10.1f} {t:>8}  {'yes' if m <= t else 'no'}")
    for what, m in [("objects/s end to end, with the faults", e2e), ("send → visible p50 ms", pct(lat, 0.5)),
                    ("send → visible p99 ms", pct(lat, 0.99))]:
        say(f"{what:<46} {m:>10.1f} {'—':>8}  —")
    ok = all(m <= t for _, m, t, _ in rows_t)
    Path(f"{out}.json").write_text(json.dumps({
        "objects": len(items), "good": len(good), "poison": len(poison), "seed": seed, "faults": faults_log,
        "kills": kills, "lost": len(lost), "duplicated": len(dup), "poison_stored": len(stored_poison),
        "good_failed": len(good_logged) + len(good_dlq), "poison_missing": len(set(poison_unlogged) | set(poison_not_dlq)),
        "problems": problems, "objects_per_s": e2e, "p50_ms": pct(lat, 0.5), "p99_ms": pct(lat, 0.99),
        "settled_s": settled_at - start, "ok": ok}, indent=1))
    return ok


# ---------------------------------------------------------------- the soak

def rss_kib(pid):
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def fds(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return None


def soak(out):
    seconds = int(os.environ.get("SOAK_SECONDS", "1800"))
    rate = float(os.environ.get("SOAK_RATE", "5"))
    every = float(os.environ.get("SOAK_SAMPLE_SECONDS", "10"))
    window = int(os.environ.get("FAULTS_WINDOW", "60"))
    run = uuid.uuid4().hex[:8]
    say(f"soak: {rate:g} objects/s (each message twice) over {', '.join(QUEUES)} for {seconds} s, "
        f"sampling every {every:g} s, run {run}")
    sysm = System(run, out)
    samples = []
    stop = threading.Event()
    sent_total = [0]
    try:
        # Produced in rounds of one second's objects: put into S3, then announced.
        def produce():
            idx = 0
            t_next = time.time()
            per_q = {q: [] for q in QUEUES}  # this round's messages (batches of up to 10)
            while not stop.is_set():
                batch = []
                for _ in range(max(1, int(rate))):
                    q = QUEUES[idx % 3]
                    batch.append(Item(q, idx, run))
                    idx += 1
                put_objects(sysm.bucket, batch)
                for it in batch:
                    body = it.event(sysm.bucket)
                    per_q[it.queue] += [(it, body), (it, body)]
                for q in QUEUES:
                    sender(sysm.urls[q], per_q[q], window)
                    per_q[q] = []
                sent_total[0] = idx
                t_next += max(1, int(rate)) / rate
                time.sleep(max(0, t_next - time.time()))

        producer = threading.Thread(target=produce, daemon=True)
        start = time.time()
        producer.start()
        while time.time() - start < seconds:
            conns = psql_try(sysm.db, "SELECT count(*) FROM pg_stat_activity WHERE datname = 'hds' AND pid <> pg_backend_pid()")
            stored = progress(sysm, [])
            s = {"t": time.time() - start, "pg_connections": int(conns) if conns else None, "stored": stored,
                 "sent": sent_total[0]}
            for p in sysm.procs:
                s[f"{p.name}.rss_kib"] = rss_kib(p.proc.pid)
                s[f"{p.name}.fds"] = fds(p.proc.pid)
            samples.append(s)
            time.sleep(max(0, start + len(samples) * every - time.time()))
        stop.set()
        producer.join(60)
        sent = sent_total[0]
        deadline = time.time() + 300
        while (progress(sysm, []) or 0) < sent and time.time() < deadline:
            time.sleep(1)
        stored = progress(sysm, [])
        return soak_report(sysm, samples, seconds, sent, stored, out)
    finally:
        stop.set()
        sysm.close()


# Growth allowed from the first third of the run (after the warm-up) to the last: 10 % and a small constant
# (allocator and connection-pool warm-up), for memory, descriptors and connections.
WARMUP_SECONDS = 60
TOLERANCE = {"rss_kib": (0.10, 4096), "fds": (0.10, 4), "pg_connections": (0.10, 2)}


def soak_report(sysm, samples, seconds, sent, stored, out):
    # The first minute is warm-up (connection pools and allocator arenas filling); the thirds
    # are of what follows.
    steady = [r for r in samples if r["t"] >= min(WARMUP_SECONDS, seconds / 4)]
    third = max(1, len(steady) // 3)
    first, last = steady[:third], steady[-third:]
    keys = [k for k in samples[0] if k.endswith(("rss_kib", "fds")) or k == "pg_connections"]

    def mean(rows, k):
        vs = [r[k] for r in rows if r.get(k) is not None]
        return sum(vs) / len(vs) if vs else float("nan")

    say(f"{len(samples)} samples over {seconds} s; {sent} objects sent, {stored} stored "
        f"({sent / seconds:.1f} objects/s, each message twice)")
    say(f"{'figure (mean of first third → last third)':<46} {'first':>10} {'last':>10} {'growth':>8} {'allowed':>9}  meets")
    ok = sent == stored
    rows = []
    for k in keys:
        kind = "pg_connections" if k == "pg_connections" else k.split(".", 1)[1]
        rel, absolute = TOLERANCE[kind]
        a, b = mean(first, k), mean(last, k)
        allowed = a * rel + absolute
        good = b - a <= allowed
        ok &= good
        unit = " MiB" if kind == "rss_kib" else ""
        scale = 1024 if kind == "rss_kib" else 1
        say(f"{k.replace('.rss_kib', ' RSS' + unit).replace('.fds', ' open fds'):<46} {a / scale:>10.1f} "
            f"{b / scale:>10.1f} {(b - a) / scale:>+8.1f} {allowed / scale:>9.1f}  {'yes' if good else 'no'}")
        rows.append({"figure": k, "first": a, "last": b, "allowed": allowed, "meets": good})
    peak = {k: max((r[k] for r in samples if r.get(k) is not None), default=None) for k in keys}
    say(f"objects stored {stored} of {sent} sent: {'yes' if sent == stored else 'no'}")
    Path(f"{out}.samples.json").write_text(json.dumps(samples))
    Path(f"{out}.json").write_text(json.dumps({"seconds": seconds, "sent": sent, "stored": stored,
                                               "figures": rows, "peak": peak, "ok": ok}, indent=1))
    return ok


if __name__ == "__main__":
    mode, out = sys.argv[1], sys.argv[2]
    try:
        ok = matrix(out) if mode == "matrix" else soak(out)
    finally:
        Path(f"{out}.txt").write_text("\n".join(OUT_LINES) + "\n")
    sys.exit(0 if ok else 1)
