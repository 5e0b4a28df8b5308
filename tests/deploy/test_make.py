"""The Makefile (make/hds.mk): `make help` lists every target, each resolves in a dry run and
is a thin wrapper over a script in scripts/."""

import os
import re
import subprocess

import pytest

REQUIRED = {"help", "build", "test", "run", "image", "push", "deploy", "bench", "fmt", "lint", "clean"}
# Targets that are not a call of one script, and why.
NOT_A_SCRIPT = {"help": "lists the targets", "clean": "removes build outputs"}


def make(root, *args, check=True):
    env = {**os.environ, "MAKEFLAGS": ""}
    return subprocess.run(["make", "--no-print-directory", "-C", root, *args], capture_output=True, text=True, env=env, check=check)


@pytest.fixture(scope="module")
def targets(root):
    text = (root / "make/hds.mk").read_text()
    return re.findall(r"^([a-z][a-z-]*):", text, re.M)


def test_required_targets_exist(targets):
    assert REQUIRED <= set(targets), f"missing: {REQUIRED - set(targets)}"


def test_help_is_the_default_and_lists_every_target(root, targets):
    out = make(root).stdout
    listed = re.findall(r"^  ([a-z][a-z-]*)\s", out, re.M)
    assert listed == targets, "make help must list every target of make/hds.mk, in order (a '## description' each)"


@pytest.mark.parametrize("target", sorted(REQUIRED))
def test_target_resolves_to_a_script(root, target):
    out = make(root, "-n", target, "ACCOUNT=123456789012", "ENV=dev", "TAG=hds-test").stdout
    if target in NOT_A_SCRIPT:
        return
    scripts = re.findall(r"(?:^|\s)(scripts/[\w-]+)", out)
    assert scripts, f"make {target} calls no script: {out}"
    for script in scripts:
        assert os.access(root / script, os.X_OK), f"make {target}: {script} is not an executable script"
