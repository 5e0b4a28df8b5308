"""Fixtures of the deployment checks (scripts/check-deploy runs them with the project venv).

Everything is derived from the `hds` binary: `hds describe` (environment variables, queues) and
`hds openapi --json` (routes). HDS_BIN names the binary (scripts/check-deploy sets it from
HDS_PREBUILT_BIN or the debug build).
"""

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def hds_bin() -> str:
    for candidate in (
        os.environ.get("HDS_BIN"),
        os.environ.get("HDS_PREBUILT_BIN"),
        str(Path(os.environ.get("CARGO_TARGET_DIR", Path.home() / ".cache/hds/target")) / "debug/hds"),
    ):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    pytest.fail("no hds binary: set HDS_BIN (scripts/check-deploy does) or build it")


def run_hds(*args: str) -> str:
    return subprocess.run([hds_bin(), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def describe() -> dict:
    return json.loads(run_hds("describe"))


@pytest.fixture(scope="session")
def openapi() -> dict:
    return json.loads(run_hds("openapi", "--json"))
