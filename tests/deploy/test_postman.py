"""The Postman collection is generated from the OpenAPI document and postman/examples.toml
(postman/generate.py); these check the generation, not the server (scripts/postman runs it)."""

import importlib.util
import json
import re
import subprocess
import sys
import tomllib

import pytest


@pytest.fixture(scope="module")
def generate(root):
    spec = importlib.util.spec_from_file_location("postman_generate", root / "postman/generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def examples(root):
    return tomllib.loads((root / "postman/examples.toml").read_text())


def operations(openapi):
    return [op["operationId"] for ops in openapi["paths"].values() for m, op in ops.items() if m in ("get", "post", "put", "patch", "delete")]


def test_committed_collection_is_generated(root, openapi, tmp_path):
    document = tmp_path / "openapi.json"
    document.write_text(json.dumps(openapi))
    result = subprocess.run([sys.executable, root / "postman/generate.py", "--openapi", document, "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_every_operation_is_a_request_once(root, openapi):
    collection = json.loads((root / "postman/hds.postman_collection.json").read_text())
    sent = []
    for folder in collection["item"]:
        for request in folder["item"]:
            line = request["event"][0]["script"]["exec"][0]
            sent.append(line.split("(")[1].split(")")[0])
    assert sorted(sent) == sorted(operations(openapi))
    tags = []
    for ops in openapi["paths"].values():
        for op in ops.values():
            if op["tags"][0] not in tags:
                tags.append(op["tags"][0])
    names = [f["name"] for f in collection["item"]]
    if names[-1] == "cleanup":
        names = names[:-1]
    assert names == [t for t in tags if t in names], "one folder per tag, in route-table order"
    assert set(tags) - set(names) <= {"cleanup"}, "every tag has its folder"


def test_an_operation_without_example_fails(generate, openapi, examples):
    missing = operations(openapi)[-1]
    partial = {k: v for k, v in examples.items() if k != missing}
    with pytest.raises(generate.GenerationError, match=missing):
        generate.generate(openapi, partial)


def test_an_example_of_no_operation_fails(generate, openapi, examples):
    with pytest.raises(generate.GenerationError, match="gone_route_get"):
        generate.generate(openapi, {**examples, "gone_route_get": {"order": 99}})


def test_creates_come_before_what_uses_them(root):
    """A request that uses a saved variable comes after the request that saves it."""
    examples = tomllib.loads((root / "postman/examples.toml").read_text())
    collection = json.loads((root / "postman/hds.postman_collection.json").read_text())
    saved_by = {}
    for op, example in examples.items():
        for var in example.get("save", {}):
            saved_by.setdefault(var, op)
    seen = set()
    runtime = {"token", "runId", "runNumber", "uuid1", "uuid2", "uuid3", "uuid4", "baseUrl", "bucket"}
    for folder in collection["item"]:
        for request in folder["item"]:
            text = json.dumps(request["request"])
            for var in set(re.findall(r"\{\{(\w+)\}\}", text)) - runtime:
                assert var in seen, f"{request['name']} uses {{{{{var}}}}} before {saved_by.get(var, 'anything')} saves it"
            # pm.variables.set("hds.expected", "<JSON>");
            argument = request["event"][0]["script"]["exec"][1].split(", ", 1)[1].removesuffix(");")
            expected = json.loads(json.loads(argument))
            seen |= set(expected.get("save", {}))
