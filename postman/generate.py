#!/usr/bin/env python3
"""Generates postman/hds.postman_collection.json from the OpenAPI document and
postman/examples.toml.

    postman/generate.py --openapi openapi.json           write the collection
    postman/generate.py --openapi openapi.json --check   fail when the committed one differs

Every operation of the document must have an entry in examples.toml (its operationId), and
every entry must name an operation of the document: a new route fails generation until it has
an example. The document gives the folders (one per tag, in route-table order), methods,
paths, the expected status and the shape of each answer's `data` (the required keys of its
declared type, nested); examples.toml gives the order inside a folder, who calls, path and
query values, bodies, and what to save for later requests or check besides.

Requests carry their expectations (a pre-request script sets `hds.expected`); the
collection's test script checks status, envelope, message, shape and values for every request,
and its pre-request script logs in once (users/login/) and keeps the token.
"""

import argparse
import difflib
import json
import re
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE / "examples.toml"
COLLECTION = HERE / "hds.postman_collection.json"
METHODS = ("get", "post", "put", "patch", "delete")
VERBS = {"get": "retrieved", "post": "created", "put": "updated", "patch": "updated", "delete": "deleted"}
STANDARD_ACTIONS = {"list", "retrieve", "create", "update", "partial_update", "destroy"}
SHAPE_DEPTH = 3
CLEANUP = "cleanup"

PRE_REQUEST = r"""
// Logs in once per run (users/login/ with the environment's username and password) and keeps
// the session's API token in the collection variable `token`, which every request sends as
// `Authorization: Token {{token}}` unless it says otherwise. Also fixes `runId`, `runNumber`
// and `uuid1`…`uuid4` once per run, which keep what this run creates apart from earlier runs'
// on a long-lived server.
if (!pm.collectionVariables.get("runId")) {
    pm.collectionVariables.set("runId", String(Date.now()));
    pm.collectionVariables.set("runNumber", String(100000 + Math.floor(Math.random() * 800000)));
    ["uuid1", "uuid2", "uuid3", "uuid4"].forEach((k) => pm.collectionVariables.set(k, pm.variables.replaceIn("{{$guid}}")));
}
if (!pm.collectionVariables.get("token")) {
    pm.sendRequest({
        url: pm.variables.get("baseUrl") + "/api/v1/users/login/",
        method: "POST",
        header: { "Content-Type": "application/json", "Accept": "application/json" },
        body: { mode: "raw", raw: JSON.stringify({ username: pm.variables.get("username"), password: pm.variables.get("password") }) },
    }, (err, res) => {
        if (err) { throw err; }
        if (res.code !== 200) { throw new Error("login failed: " + res.code + " " + res.text()); }
        pm.collectionVariables.set("token", res.json().data.data.token);
    });
}
""".strip("\n")

TESTS = r"""
// Checks every request against what it expects (set by its pre-request script from the OpenAPI
// document and postman/examples.toml): status, the {status, message, data} envelope or the
// error shape, the message, the keys of `data`, values, and saves what later requests use.
const expected = JSON.parse(pm.variables.get("hds.expected") || "null");
if (expected) {
    const resolve = (v) => (typeof v === "string" ? pm.variables.replaceIn(v) : v);
    const at = (value, path) => path.split(".").reduce((v, k) => (v === undefined || v === null ? undefined : v[/^\d+$/.test(k) ? Number(k) : k]), value);
    const checkShape = (value, shape, where) => {
        if (!shape || value === null || value === undefined) { return; }
        if (shape.items) {
            pm.expect(value, where).to.be.an("array");
            if (value.length > 0) { checkShape(value[0], shape.items, where + "[0]"); }
            return;
        }
        pm.expect(value, where).to.be.an("object");
        (shape.keys || []).forEach((k) => pm.expect(value, where).to.have.property(k));
        Object.entries(shape.nested || {}).forEach(([k, s]) => checkShape(value[k], s, where + "." + k));
    };

    pm.test("status " + expected.status, () => pm.response.to.have.status(expected.status));
    let body;
    if (expected.status !== 204) {
        if (expected.kind === "text") {
            body = pm.response.text();
        } else {
            pm.test("answer is JSON", () => { body = pm.response.json(); });
        }
    } else {
        pm.test("no body", () => pm.expect(pm.response.text()).to.equal(""));
    }
    if (body !== undefined && expected.kind === "envelope") {
        pm.test("envelope {status, message, data}", () => {
            pm.expect(body.status).to.equal("success");
            pm.expect(body.message).to.be.a("string");
            pm.expect(body).to.have.property("data");
        });
        if (expected.message !== undefined) {
            pm.test("message: " + expected.message, () => pm.expect(body.message).to.equal(resolve(expected.message)));
        }
        if (expected.shape) {
            pm.test("data has the declared keys", () => checkShape(body.data, expected.shape, "data"));
        }
    }
    if (body !== undefined && expected.kind === "error") {
        pm.test("error shape {status: error, errors}", () => {
            pm.expect(body.status).to.equal("error");
            pm.expect(body.errors).to.be.an("object");
        });
    }
    Object.entries(expected.expect || {}).forEach(([path, value]) => {
        pm.test(path + " = " + JSON.stringify(value), () => pm.expect(at(body, path)).to.deep.equal(resolve(value)));
    });
    (expected.contains || []).forEach((text) => {
        pm.test("answer contains " + JSON.stringify(text), () => pm.expect(typeof body === "string" ? body : JSON.stringify(body)).to.include(text));
    });
    Object.entries(expected.save || {}).forEach(([name, path]) => {
        const value = at(body, path);
        pm.test("saved " + name + " from " + path, () => pm.expect(value, path).to.not.be.undefined);
        pm.collectionVariables.set(name, typeof value === "string" ? value : JSON.stringify(value));
    });
    (expected.clear || []).forEach((name) => pm.collectionVariables.unset(name));
}
""".strip("\n")


POLL = r"""
const poll = (tries) => pm.sendRequest({
    url: pm.variables.replaceIn(pm.request.url.toString()),
    method: "GET",
    header: { "Authorization": "Token " + pm.collectionVariables.get("token"), "Accept": "application/json" },
}, (err, res) => {
    const value = !err && res.code === 200 ? @PATH@.split(".").reduce((v, k) => (v == null ? v : v[k]), res.json()) : undefined;
    if (!value && tries > 0) { setTimeout(() => poll(tries - 1), 500); }
});
poll(40);
""".strip("\n")


class GenerationError(Exception):
    pass


def resolve(schema: dict, components: dict) -> dict:
    while isinstance(schema, dict) and "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    return schema or {}


def shape(schema: dict, components: dict, depth: int = 0):
    """The required keys of an answer's data, nested: {keys, nested} or {items}."""
    schema = resolve(schema, components)
    if depth >= SHAPE_DEPTH or not schema:
        return None
    for union in ("oneOf", "anyOf"):
        if union in schema:
            variants = [resolve(s, components) for s in schema[union]]
            variants = [s for s in variants if s.get("type") != "null"]
            return shape(variants[0], components, depth) if len(variants) == 1 else None
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind == "array" and "items" in schema:
        items = shape(schema["items"], components, depth + 1)
        return {"items": items} if items else None
    if kind == "object" or "properties" in schema:
        keys = list(schema.get("required", []))
        nested = {}
        for key in keys:
            sub = shape(schema.get("properties", {}).get(key, {}), components, depth + 1)
            if sub:
                nested[key] = sub
        if not keys:
            return None
        out = {"keys": keys}
        if nested:
            out["nested"] = nested
        return out
    return None


def success(operation: dict) -> tuple[int, dict | None]:
    codes = sorted(c for c in operation["responses"] if c.startswith("2"))
    if not codes:
        raise GenerationError(f"{operation['operationId']}: no 2xx answer declared")
    answer = operation["responses"][codes[0]]
    schema = answer.get("content", {}).get("application/json", {}).get("schema")
    return int(codes[0]), schema


def is_envelope(schema: dict | None) -> bool:
    return bool(schema) and {"status", "message", "data"} <= set(schema.get("required", []))


def standard_message(operation_id: str, tag: str, method: str) -> str | None:
    """`<basename> <verb> successfully` for the standard actions (docs/api-design.md#envelope)."""
    action = operation_id.removeprefix(tag + "_").removesuffix("_" + method)
    if action in STANDARD_ACTIONS:
        return f"{tag} {VERBS[method]} successfully"
    return None


def body_text(example: dict, name: str) -> str | None:
    if "body_file" in example:
        return (HERE / example["body_file"]).read_text().strip() + "\n"
    if "body" in example:
        text = json.dumps(example["body"], indent=2, ensure_ascii=False)
        # "{{name:int}}" is a number from a collection variable: written without quotes.
        return re.sub(r'"\{\{(\w+):int\}\}"', r"{{\1}}", text)
    return None


def build_request(path: str, method: str, operation: dict, example: dict, components: dict) -> dict:
    op_id = operation["operationId"]
    tag = operation["tags"][0]
    status, schema = success(operation)
    status = example.get("status", status)

    url_path = path
    for param in re.findall(r"\{(\w+)\}", path):
        value = example.get("path", {}).get(param)
        if value is None:
            raise GenerationError(f"{op_id}: examples.toml gives no value for path parameter {{{param}}}")
        url_path = url_path.replace("{" + param + "}", str(value))
    query = [{"key": k, "value": str(v)} for k, v in example.get("query", {}).items()]
    raw_url = "{{baseUrl}}" + url_path + ("?" + "&".join(f"{q['key']}={q['value']}" for q in query) if query else "")

    if status >= 400:
        kind = "error"
    elif example.get("text"):
        kind = "text"
    elif is_envelope(schema) and not example.get("raw"):
        kind = "envelope"
    else:
        kind = "json"
    expected = {"status": status, "kind": kind}
    if kind == "envelope":
        message = example.get("message", standard_message(op_id, tag, method))
        if message is not None:
            expected["message"] = message
        data_shape = shape(schema["properties"]["data"], components)
        if data_shape:
            expected["shape"] = data_shape
    for key in ("expect", "contains", "save", "clear"):
        if example.get(key):
            expected[key] = example[key]
    if isinstance(expected.get("contains"), str):
        expected["contains"] = [expected["contains"]]

    request = {
        "method": method.upper(),
        "header": [{"key": "Accept", "value": "application/json"}],
        "url": {
            "raw": raw_url,
            "host": ["{{baseUrl}}"],
            "path": [p for p in url_path.split("/") if p] + ([""] if url_path.endswith("/") else []),
        },
        "description": (operation.get("description") or "").strip(),
    }
    if query:
        request["url"]["query"] = query
    body = body_text(example, op_id)
    if body is not None:
        request["header"].append({"key": "Content-Type", "value": "application/json"})
        request["body"] = {"mode": "raw", "raw": body, "options": {"raw": {"language": "json"}}}
    auth = example.get("auth", "token")
    if auth == "none":
        request["auth"] = {"type": "noauth"}
    elif auth != "token":
        request["auth"] = apikey(auth)

    prerequest = [
        f"// {method.upper()} {path} ({op_id}): expectations from the OpenAPI document and postman/examples.toml",
        'pm.variables.set("hds.expected", ' + json.dumps(json.dumps(expected, sort_keys=True)) + ");",
    ]
    if example.get("poll"):
        # Work the worker does after a report is stored: ask until it shows (at most ~20 s).
        prerequest += POLL.replace("@PATH@", json.dumps(example["poll"])).split("\n")
    return {
        "name": example.get("name", f"{method.upper()} {path}"),
        "event": [{"listen": "prerequest", "script": {"type": "text/javascript", "exec": prerequest}}],
        "request": request,
        "response": [],
    }


def apikey(value: str) -> dict:
    return {
        "type": "apikey",
        "apikey": [
            {"key": "key", "value": "Authorization", "type": "string"},
            {"key": "value", "value": value, "type": "string"},
            {"key": "in", "value": "header", "type": "string"},
        ],
    }


def generate(openapi: dict, examples: dict) -> dict:
    components = openapi.get("components", {}).get("schemas", {})
    operations = []
    for path, ops in openapi["paths"].items():
        for method in METHODS:
            if method in ops:
                operations.append((path, method, ops[method]))

    ids = [op["operationId"] for _, _, op in operations]
    missing = [i for i in ids if i not in examples]
    unknown = [i for i in examples if i not in ids]
    problems = []
    if missing:
        problems.append(
            "operations of the OpenAPI document without an entry in postman/examples.toml "
            "(add one: order, body, status, what to save):\n  " + "\n  ".join(missing)
        )
    if unknown:
        problems.append("entries of postman/examples.toml that name no operation:\n  " + "\n  ".join(unknown))
    if problems:
        raise GenerationError("\n".join(problems))

    folders: dict[str, list] = {}
    cleanup = []
    for path, method, op in operations:
        tag = op["tags"][0]
        example = examples[op["operationId"]]
        if "order" not in example:
            raise GenerationError(f"{op['operationId']}: no order")
        request = build_request(path, method, op, example, components)
        folders.setdefault(tag, [])
        if example.get("cleanup"):
            cleanup.append((tag, example["order"], request))
        else:
            folders[tag].append((example["order"], op["operationId"], request))

    items = []
    for tag, requests in folders.items():
        orders = [o for o, _, _ in requests]
        if len(set(orders)) != len(orders):
            raise GenerationError(f"folder {tag}: two requests share an order")
        if requests:
            items.append({"name": tag, "item": [r for _, _, r in sorted(requests, key=lambda r: r[0])]})
    if cleanup:
        # What later folders still needed, deleted at the end: the last folder's first.
        rank = {tag: i for i, tag in enumerate(folders)}
        cleanup.sort(key=lambda c: (-rank[c[0]], c[1]))
        items.append({"name": CLEANUP, "item": [r for _, _, r in cleanup]})

    info = openapi.get("info", {})
    return {
        "info": {
            "_postman_id": "6b1f5f0e-6d1c-4d0e-9a52-0f3d1c2b7a10",
            "name": info.get("title", "HDS") + " API",
            "description": "Generated by postman/generate.py from `hds openapi --json` and postman/examples.toml: "
            "do not edit by hand.\n\n" + info.get("description", ""),
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "auth": apikey("Token {{token}}"),
        "event": [
            {"listen": "prerequest", "script": {"type": "text/javascript", "exec": PRE_REQUEST.split("\n")}},
            {"listen": "test", "script": {"type": "text/javascript", "exec": TESTS.split("\n")}},
        ],
        "variable": [{"key": k, "value": ""} for k in ("token", "runId", "runNumber", "uuid1", "uuid2", "uuid3", "uuid4")],
        "item": items,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--openapi", required=True, help="the OpenAPI document (hds openapi --json)")
    parser.add_argument("--check", action="store_true", help="compare with the committed collection instead of writing it")
    args = parser.parse_args()
    openapi = json.loads(Path(args.openapi).read_text())
    examples = tomllib.loads(EXAMPLES.read_text())
    try:
        collection = generate(openapi, examples)
    except GenerationError as e:
        print(f"postman/generate.py: {e}", file=sys.stderr)
        return 1
    text = json.dumps(collection, indent=2, ensure_ascii=False) + "\n"
    if args.check:
        current = COLLECTION.read_text() if COLLECTION.exists() else ""
        if current != text:
            diff = difflib.unified_diff(current.splitlines(), text.splitlines(), "committed", "generated", lineterm="", n=1)
            print("\n".join(list(diff)[:60]), file=sys.stderr)
            print("postman/hds.postman_collection.json is not what postman/generate.py makes of the OpenAPI "
                  "document and examples.toml: run scripts/postman --write", file=sys.stderr)
            return 1
        return 0
    COLLECTION.write_text(text)
    n = sum(len(f["item"]) for f in collection["item"])
    print(f"wrote {COLLECTION.relative_to(HERE.parent)}: {n} requests in {len(collection['item'])} folders")
    return 0


if __name__ == "__main__":
    sys.exit(main())
