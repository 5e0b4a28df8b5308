"""The container image (Dockerfile, container/entrypoint, supervisor/supervisord.conf) against
what runs it: the ECS task definitions in terraform/, scripts/image and scripts/push.
scripts/check-image builds and runs the image; these checks need neither podman nor a build."""

import json
import re
import shlex

import pytest

import tf


@pytest.fixture(scope="module")
def dockerfile(root) -> str:
    # Continuation lines joined, so each instruction is one line.
    return re.sub(r"\\\n\s*", " ", (root / "Dockerfile").read_text())


@pytest.fixture(scope="module")
def entrypoint_commands(root) -> set[str]:
    """The commands container/entrypoint knows by name (its `case` labels)."""
    text = (root / "container/entrypoint").read_text()
    labels = re.findall(r"^    ([a-z][a-z |-]*)\)$", text, re.M)
    return {word.strip() for label in labels for word in label.split("|")}


def instruction(dockerfile: str, name: str) -> str:
    found = re.findall(rf"^{name} (.*)$", dockerfile, re.M)
    assert found, f"Dockerfile has no {name}"
    return found[-1]


def test_entrypoint_is_tini_then_the_script(dockerfile):
    assert json.loads(instruction(dockerfile, "ENTRYPOINT")) == ["/usr/bin/tini", "--", "/opt/hds/bin/hds-entrypoint"]
    assert json.loads(instruction(dockerfile, "CMD")) == ["all"]
    assert "COPY container/entrypoint /opt/hds/bin/hds-entrypoint" in dockerfile
    assert re.search(r"^USER 10001:10001$", dockerfile, re.M), "the runtime runs as a non-root user"


def test_task_definitions_use_the_image_entrypoint(root):
    service = tf.load(root / "terraform/modules/ecs-service")
    task_def = tf.expr(service.resource("aws_ecs_task_definition", "this")["container_definitions"])
    assert "entryPoint" not in task_def, "an entryPoint would skip tini and the migrations"
    assert "entry_point" not in service.variables


def test_services_run_commands_the_entrypoint_knows(root, entrypoint_commands):
    hds = tf.load(root / "terraform/modules/hds")
    for name in ("api", "worker", "forwarder"):
        command = hds.modules[name]["command"]
        assert command[0] in entrypoint_commands, f"module.{name}: the entry point does not know {command[0]!r}"
    assert hds.modules["api"]["command"] == ["runserver"]
    assert hds.modules["worker"]["command"] == ["worker"]
    # Forwarders never migrate: they cannot reach the database.
    assert "forward" in entrypoint_commands and "all" in entrypoint_commands


def test_ecs_health_check_is_the_image_health_check(root, dockerfile):
    service = tf.load(root / "terraform/modules/ecs-service")
    ecs = service.variables["container_health_check"]["default"]
    healthcheck = instruction(dockerfile, "HEALTHCHECK")
    options, cmd = healthcheck.split(" CMD ", 1)
    assert ecs["command"] == ["CMD", *json.loads(cmd)]
    seconds = dict(re.findall(r"--([a-z-]+)=(\d+)s?", options))
    assert ecs["interval"] == int(seconds["interval"])
    assert ecs["timeout"] == int(seconds["timeout"])
    assert ecs["retries"] == int(seconds["retries"])
    assert ecs["startPeriod"] == int(seconds["start-period"])


def test_frontend_dir_is_where_the_image_puts_the_web_app(root, dockerfile):
    hds = tf.load(root / "terraform/modules/hds")
    frontend_dir = next(
        values["HDS_FRONTEND_DIR"] for values in hds.locals.values() if isinstance(values, dict) and "HDS_FRONTEND_DIR" in values
    )
    assert f"COPY --from=web /src/frontend/dist {frontend_dir}" in dockerfile
    assert f"HDS_FRONTEND_DIR={frontend_dir}" in dockerfile


def test_supervisord_runs_the_image_binary_and_stops_forwarders_together(root, dockerfile):
    conf = (root / "supervisor/supervisord.conf").read_text()
    assert "COPY supervisor/supervisord.conf /opt/hds/supervisord.conf" in dockerfile
    assert "COPY --from=build /out/hds /opt/hds/bin/hds" in dockerfile
    programs = dict(re.findall(r"^\[program:([\w-]+)\]\ncommand=(.*)$", conf, re.M))
    assert programs, "no programs in supervisord.conf"
    for name, command in programs.items():
        assert shlex.split(command)[0] == "/opt/hds/bin/hds", f"{name} runs {command}"
        assert "--token-file" not in command, f"{name}: the token comes in SQS_TOKEN (the root file system may be read-only)"
    # supervisord stops one group after the other: the forwarders (each waiting up to 20 s for
    # its long poll) must be one group, stopped before the API.
    group = re.search(r"^\[group:forwarders\]\nprograms=(.*)\npriority=(\d+)$", conf, re.M)
    assert group, "no [group:forwarders]"
    forwarders = {p for p in programs if p.startswith("forward-")}
    assert set(group.group(1).split(",")) == forwarders
    priority = dict(re.findall(r"^\[program:([\w-]+)\]\n(?:[^\[]*?\n)?priority=(\d+)$", conf, re.M))
    assert int(group.group(2)) > int(priority["api"]), "the API must stop after the forwarders"


def test_push_pushes_what_image_builds(root):
    image = (root / "scripts/image").read_text()
    push = (root / "scripts/push").read_text()
    assert 'image="hds:$tag"' in image
    assert '"hds:$tag"' in push
