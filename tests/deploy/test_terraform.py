"""terraform/ against the binary: `hds describe` (queues, environment variables) and the route
table (`hds openapi --json`). A queue, variable or route added to the binary fails here until
the deployment wires it up."""

import re

import pytest

import tf

PROCESSES = ("api", "worker", "forward")


@pytest.fixture(scope="module")
def hds(root):
    return tf.load(root / "terraform/modules/hds")


@pytest.fixture(scope="module")
def service(root):
    return tf.load(root / "terraform/modules/ecs-service")


@pytest.fixture(scope="module")
def environments(root):
    return {env: tf.load(root / "terraform/environments" / env) for env in ("dev", "prod")}


# ------------------------------------------------------------------------------------ queues


def test_queue_map_is_hds_describe(hds, describe):
    declared = hds.locals["queues"]
    expected = {q["name"]: q for q in describe["queues"]}
    assert sorted(declared) == sorted(expected), "terraform/modules/hds/queues.tf local.queues ≠ hds describe queues"
    for name, q in expected.items():
        spec = declared[name]
        assert spec["url_variable"] == q["url_variable"], name
        assert spec["prefixes_variable"] == q["prefixes_variable"], name
        assert spec["prefixes"] == q["default_prefixes"], f"{name}: notification prefixes ≠ the binary's defaults"
        assert spec["downloads_object"] is q["downloads_object"], name
        assert spec["deletes_object"] is q["deletes_object"], name
        assert spec["sqs_name"], name


def test_queues_declared_once(root, describe):
    """Only queues.tf names a queue's variables: everything else is generated from its map."""
    for path in sorted((root / "terraform").rglob("*.tf")):
        if path.name == "queues.tf":
            continue
        text = path.read_text()
        for q in describe["queues"]:
            for var in (q["url_variable"], q["prefixes_variable"]):
                assert var not in text, f"{path.relative_to(root)} names {var}: generate it from local.queues"


def test_every_queue_has_queue_dlq_and_redrive(hds):
    queue = hds.resource("aws_sqs_queue", "queue")
    dlq = hds.resource("aws_sqs_queue", "dlq")
    for body in (queue, dlq, hds.resource("aws_sqs_queue_redrive_allow_policy", "dlq"), hds.resource("aws_sqs_queue_policy", "queue")):
        assert tf.expr(body["for_each"]) == "local.queues"
    redrive = tf.expr(queue["redrive_policy"])
    assert "aws_sqs_queue.dlq[each.key].arn" in redrive
    assert re.search(r"maxReceiveCount\s*=\s*5\b", redrive), "the DLQ takes a message after 5 receives (docs/api-design.md#forwarders)"
    assert queue["sqs_managed_sse_enabled"] is True and dlq["sqs_managed_sse_enabled"] is True
    assert queue["visibility_timeout_seconds"] >= 60
    assert dlq["message_retention_seconds"] == 1209600


def test_every_prefix_is_announced_on_its_queue(hds):
    assert "for p in spec.prefixes" in tf.expr(hds.locals["queue_prefixes"])
    assert "local.queues" in tf.expr(hds.locals["queue_prefixes"])
    notification = hds.resource("aws_s3_bucket_notification", "data")
    dynamic = tf.blocks(notification["dynamic"])[0]["queue"]
    assert "local.queue_prefixes" in tf.expr(dynamic["for_each"])
    content = tf.blocks(dynamic["content"])[0]
    assert tf.expr(content["queue_arn"]) == "aws_sqs_queue.queue[queue.value.queue].arn"
    assert tf.expr(content["filter_prefix"]) == "queue.value.prefix"
    assert content["events"] == ["s3:ObjectCreated:*"]


def test_every_queue_has_a_forwarder_service(hds):
    forwarder = hds.modules["forwarder"]
    assert tf.expr(forwarder["for_each"]) == "local.queues"
    assert forwarder["source"] == "../ecs-service"
    assert forwarder["command"][:3] == ["forward", "--queue", "${each.key}"]
    assert tf.expr(forwarder["environment"]) == "local.forwarder_environment[each.key]"
    assert tf.expr(forwarder["task_policy_json"]) == "data.aws_iam_policy_document.forwarder[each.key].json"
    for rtype, name in (
        ("aws_appautoscaling_target", "forwarder"),
        ("aws_appautoscaling_policy", "forwarder_out"),
        ("aws_appautoscaling_policy", "forwarder_in"),
        ("aws_cloudwatch_metric_alarm", "forwarder_backlog_high"),
        ("aws_cloudwatch_metric_alarm", "forwarder_backlog_low"),
        ("aws_cloudwatch_metric_alarm", "dlq_not_empty"),
    ):
        assert tf.expr(hds.resource(rtype, name)["for_each"]) == "local.queues", f"{rtype}.{name}"
    # Scaled on its own queue's depth.
    high = hds.resource("aws_cloudwatch_metric_alarm", "forwarder_backlog_high")
    assert high["metric_name"] == "ApproximateNumberOfMessagesVisible"
    assert "aws_sqs_queue.queue[each.key].name" in str(high["dimensions"])
    assert "forwarder_out[each.key]" in str(high["alarm_actions"])
    oldest = hds.resource("aws_cloudwatch_metric_alarm", "oldest_message")
    assert tf.expr(oldest["for_each"]) == "local.forwarded_queues"
    assert oldest["metric_name"] == "ApproximateAgeOfOldestMessage"


def test_held_queues_are_those_without_an_endpoint(hds, environments, describe, openapi):
    """A queue whose POST route does not exist yet is held (its forwarder would only fail);
    once the route exists the queue must be released."""
    posts = {path for path, ops in openapi["paths"].items() if "post" in ops}
    for env, module in environments.items():
        held = module.modules["hds"].get("held_queues", hds.variables["held_queues"]["default"])
        assert isinstance(held, list), f"{env}: held_queues must be a literal list"
        for q in describe["queues"]:
            if q["api_path"] in posts:
                assert q["name"] not in held, f"{env}: {q['name']} has its endpoint {q['api_path']}: take it out of held_queues"
            else:
                assert q["name"] in held, f"{env}: {q['name']} has no endpoint {q['api_path']} yet: hold it (held_queues)"


# --------------------------------------------------------------------------------------- IAM


def statements(document: dict) -> list[dict]:
    """Statements of an aws_iam_policy_document, with a dynamic statement's gate kept."""
    out = []
    for st in tf.blocks(document.get("statement")):
        out.append({**st, "gate": None})
    for dyn in tf.blocks(document.get("dynamic")):
        for st in tf.blocks(dyn.get("statement")):
            for content in tf.blocks(st["content"]):
                out.append({**content, "gate": tf.expr(st["for_each"])})
    return out


def test_forwarder_grants_only_its_queue_and_prefixes(hds):
    policy = hds.datum("aws_iam_policy_document", "forwarder")
    assert tf.expr(policy["for_each"]) == "local.queues"
    by_sid = {st["sid"]: st for st in statements(policy)}
    own = by_sid["OwnQueue"]
    assert own["resources"] == ["${aws_sqs_queue.queue[each.key].arn}"]
    assert {"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"} <= set(own["actions"])
    read, delete = by_sid["ReadOwnPrefixes"], by_sid["DeleteOwnPrefixes"]
    assert read["actions"] == ["s3:GetObject"] and "each.value.downloads_object" in read["gate"]
    assert delete["actions"] == ["s3:DeleteObject"] and "each.value.deletes_object" in delete["gate"]
    for st in (read, delete):
        assert "for p in each.value.prefixes" in str(st["resources"])
        assert "aws_s3_bucket.data.arn" in str(st["resources"])
    assert set(by_sid) == {"OwnQueue", "ReadOwnPrefixes", "DeleteOwnPrefixes"}


def test_delete_object_only_where_the_binary_deletes(hds):
    """s3:DeleteObject: a forwarder of a queue with deletes_object, and the API for the files
    that stay in the bucket (DELETE s3files/{id}/ deletes the object)."""
    allowed = {
        ("forwarder", "DeleteOwnPrefixes"),
        ("api", "FileLinksAndDeletes"),
    }
    for (dtype, name), document in hds.data.items():
        if dtype != "aws_iam_policy_document":
            continue
        for st in statements(document):
            actions = st.get("actions", [])
            if st.get("effect", "Allow") == "Deny":
                continue
            assert not any(a in ("*", "s3:*", "sqs:*") for a in actions) or name in ("kms",), f"{name}: wildcard action"
            if "s3:DeleteObject" in actions:
                assert (name, st.get("sid")) in allowed, f"{name}.{st.get('sid')} may delete objects"
    api = {st["sid"]: st for st in statements(hds.datum("aws_iam_policy_document", "api"))}
    assert tf.expr(api["FileLinksAndDeletes"]["resources"]) == "local.file_prefix_arns"
    assert "if !spec.deletes_object" in tf.expr(hds.locals["file_prefix_arns"])


def test_each_service_has_its_own_roles(service):
    assert ("aws_iam_role", "execution") in service.resources
    assert ("aws_iam_role", "task") in service.resources
    task_def = service.resource("aws_ecs_task_definition", "this")
    assert tf.expr(task_def["execution_role_arn"]) == "aws_iam_role.execution.arn"
    assert tf.expr(task_def["task_role_arn"]) == "aws_iam_role.task.arn"
    execution = {st["sid"]: st for st in statements(service.datum("aws_iam_policy_document", "execution"))}
    # A service reads only the secrets passed to it.
    assert "values(var.secrets)" in str(execution["ReadOwnSecrets"]["resources"])


# ------------------------------------------------------------------------ environment variables


def env_keys(hds, reference: str, describe) -> set[str]:
    """Names a `local.*` environment map sets (literal maps, merges of them, the queue-URL map)."""
    reference = tf.expr(reference)
    if reference.startswith("var."):
        return set()  # a deployment's overrides: adds, never needed
    assert reference.startswith("local."), reference
    value = hds.locals[reference.removeprefix("local.")]
    if isinstance(value, dict):
        return set(value)
    text = tf.expr(value)
    if text.startswith("merge("):
        keys = set()
        for arg in re.findall(r"(?:local|var)\.[a-z_]+", text):
            keys |= env_keys(hds, arg, describe)
        return keys
    if "spec.url_variable =>" in text and "local.queues" in text:
        return {q["url_variable"] for q in describe["queues"]}
    raise AssertionError(f"cannot read the names of {reference}: {text}")


def service_environment(hds, describe) -> dict[str, tuple[set, set]]:
    """(plain names, secret names) per service: api, worker, forward-<queue>."""
    api, worker = hds.modules["api"], hds.modules["worker"]
    assert tf.expr(api["environment"]) == "local.api_environment"
    assert tf.expr(worker["environment"]) == "local.worker_environment"

    def secret_names(module: dict) -> set:
        ref = tf.expr(module["secrets"]).removeprefix("local.")
        text = tf.expr(hds.locals[ref])
        names_ref = re.fullmatch(r"\{for k in local\.(\w+) : k => aws_secretsmanager_secret\.setting\[k\]\.arn\}", text)
        assert names_ref, f"local.{ref} must map names to aws_secretsmanager_secret.setting: {text}"
        return set(hds.locals[names_ref.group(1)])

    out = {
        "api": (env_keys(hds, "local.api_environment", describe), secret_names(api)),
        "worker": (env_keys(hds, "local.worker_environment", describe), secret_names(worker)),
    }
    forwarder = tf.expr(hds.locals["forwarder_environment"])
    match = re.fullmatch(r"\{for q, spec in local\.queues : q => merge\((.*)\)\}", forwarder)
    assert match, forwarder
    shared = set()
    for arg in re.findall(r"local\.[a-z_]+", match.group(1)):
        shared |= env_keys(hds, arg, describe)
    assert "(spec.url_variable) = aws_sqs_queue.queue[q].url" in match.group(1)
    assert '(spec.prefixes_variable) = join(",", spec.prefixes)' in match.group(1)
    forward_secrets = secret_names(hds.modules["forwarder"])
    for q in describe["queues"]:
        out[f"forward-{q['name']}"] = (shared | {q["url_variable"], q["prefixes_variable"]}, forward_secrets)
    return out


def process_of(service_name: str) -> str:
    return "forward" if service_name.startswith("forward-") else service_name


def test_every_variable_a_process_reads_is_set(hds, describe):
    unset = hds.locals["unset_settings"]
    queue_vars = {}
    for q in describe["queues"]:
        queue_vars[q["url_variable"]] = q["name"]
        queue_vars[q["prefixes_variable"]] = q["name"]
    for name, (plain, secret) in service_environment(hds, describe).items():
        process = process_of(name)
        for setting in describe["settings"]:
            if process not in setting["processes"] or setting["name"] in unset:
                continue
            var = setting["name"]
            if process == "forward" and var in queue_vars and name != f"forward-{queue_vars[var]}":
                continue  # another queue's forwarder
            assert var in plain | secret, f"{name} does not set {var} ({setting['doc']})"


def test_secrets_come_from_secrets_manager_only(hds, describe):
    secret_vars = {s["name"] for s in describe["settings"] if s["secret"]}
    generated = set(hds.locals["generated_secrets"])
    operator = set(hds.locals["operator_secrets"])
    for name, (plain, secret) in service_environment(hds, describe).items():
        assert not plain & secret, f"{name}: {plain & secret} both plain and secret"
        leaked = plain & secret_vars
        assert not leaked, f"{name}: secret variables as plain environment: {leaked}"
        assert secret <= secret_vars, f"{name}: {secret - secret_vars} are not secret in hds describe"
        assert secret <= generated | operator, f"{name}: no Secrets Manager secret for {secret - generated - operator}"


def test_unset_settings_are_known_and_unset(hds, describe):
    names = {s["name"] for s in describe["settings"]}
    unset = hds.locals["unset_settings"]
    assert set(unset) <= names, f"unset_settings names variables the binary does not read: {set(unset) - names}"
    for name, (plain, secret) in service_environment(hds, describe).items():
        assert not set(unset) & (plain | secret), f"{name} sets {set(unset) & (plain | secret)}, listed as unset"
    for reason in unset.values():
        assert len(reason) > 10


def test_task_definition_passes_environment_and_secrets(service):
    task_def = tf.expr(service.resource("aws_ecs_task_definition", "this")["container_definitions"])
    assert "environment = local.environment" in task_def
    assert "secrets = local.secrets" in task_def
    assert "valueFrom = var.secrets[k]" in tf.expr(service.locals["secrets"])
    assert "value = var.environment[k]" in tf.expr(service.locals["environment"])
    assert "readonlyRootFilesystem = true" in task_def


def test_production_settings(hds):
    common = hds.locals["common_environment"]
    assert common["HDS_ENV"] == "production"
    assert common["HDS_LOG_FORMAT"] == "json"
    assert hds.locals["api_only_environment"]["HDS_BIND"] == "0.0.0.0"


# --------------------------------------------------------------------------- API and health


def test_alb_checks_the_open_healthcheck_route(hds, openapi):
    open_health = [
        path
        for path, ops in openapi["paths"].items()
        if "get" in ops and "healthcheck" in ops["get"].get("tags", []) and not ops["get"].get("security")
    ]
    assert len(open_health) == 1, f"one open GET health check route expected: {open_health}"
    assert hds.locals["healthcheck_path"] == open_health[0]
    target_group = hds.resource("aws_lb_target_group", "api")
    health = tf.blocks(target_group["health_check"])[0]
    assert tf.expr(health["path"]) == "local.healthcheck_path"
    assert health["matcher"] == "200"
    assert tf.expr(target_group["port"]) == "local.api_port"
    assert tf.expr(hds.locals["api_only_environment"]["HDS_PORT"]) == "tostring(local.api_port)"


def test_alarms(hds):
    for rtype, name in (
        ("aws_cloudwatch_metric_alarm", "dlq_not_empty"),
        ("aws_cloudwatch_metric_alarm", "oldest_message"),
        ("aws_cloudwatch_metric_alarm", "api_5xx_rate"),
    ):
        alarm = hds.resource(rtype, name)
        assert tf.expr(alarm["alarm_actions"]) == "local.alarm_actions", name
        assert "docs/deploy.md#" in alarm["alarm_description"], f"{name}: link the runbook"
    dlq = hds.resource("aws_cloudwatch_metric_alarm", "dlq_not_empty")
    assert "aws_sqs_queue.dlq[each.key].name" in str(dlq["dimensions"])
    assert dlq["threshold"] == 0


def test_runbook_has_every_alarm(hds, root):
    doc = (root / "docs/deploy.md").read_text()
    anchors = {a.lower() for a in re.findall(r"^#+ (.+)$", doc, re.M)}
    anchors = {re.sub(r"[^a-z0-9 -]", "", a).replace(" ", "-") for a in anchors}
    for (rtype, name), body in hds.resources.items():
        if rtype != "aws_cloudwatch_metric_alarm" or "alarm_description" not in body:
            continue
        link = re.search(r"docs/deploy\.md#([a-z0-9-]+)", body["alarm_description"])
        if link:
            assert link.group(1) in anchors, f"{name}: docs/deploy.md has no heading #{link.group(1)}"


# ------------------------------------------------------------------------------ storage, data


def test_bucket(hds):
    assert ("aws_s3_bucket_versioning", "data") in hds.resources
    assert ("aws_s3_bucket_server_side_encryption_configuration", "data") in hds.resources
    assert ("aws_s3_bucket_lifecycle_configuration", "data") in hds.resources
    block = hds.resource("aws_s3_bucket_public_access_block", "data")
    assert all(block[k] is True for k in ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"))


def test_database(hds, environments):
    db = hds.resource("aws_db_instance", "main")
    assert db["storage_encrypted"] is True
    assert db["publicly_accessible"] is False
    assert tf.expr(db["backup_retention_period"]) == "var.db_backup_retention_days"
    assert tf.expr(db["multi_az"]) == "var.db_multi_az"
    assert environments["prod"].modules["hds"]["db_multi_az"] is True
    assert environments["prod"].modules["hds"]["db_backup_retention_days"] >= 7
    redis = hds.resource("aws_elasticache_replication_group", "main")
    assert redis["at_rest_encryption_enabled"] is True


def test_environments_use_the_module(environments):
    for env, module in environments.items():
        hds = module.modules["hds"]
        assert hds["source"] == "../../modules/hds", env
        assert hds["environment"] == env
        assert tf.expr(hds["image_tag"]) == "var.image_tag"
        assert "backend" in module.files["backend.tf"]


def test_every_checkov_skip_is_justified(root):
    """A skipped check names its id and why, inside the resource it applies to."""
    for path in sorted((root / "terraform").rglob("*.tf")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if "checkov:skip" not in line:
                continue
            match = re.fullmatch(r"\s+# checkov:skip=(CKV2?_AWS_\d+): (.{30,})", line)
            assert match, f"{path.relative_to(root)}:{number}: '# checkov:skip=CKV_AWS_n: why' (indented, inside the resource)"
