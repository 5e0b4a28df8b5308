"""terraform/ parsed with python-hcl2, in plain Python values.

python-hcl2 keeps string literals quoted ('"abc"') and expressions as '${…}' text; `plain`
unquotes literals and drops the parser's bookkeeping keys, so a block reads like its source.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import hcl2


def unquote(value):
    if isinstance(value, str) and len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        return value[1:-1]
    return value


def plain(value):
    if isinstance(value, dict):
        return {unquote(k): plain(v) for k, v in value.items() if k not in ("__comments__", "__is_block__", "__start_line__", "__end_line__")}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return unquote(value)


def expr(value) -> str:
    """The text of an expression ('${local.x}' → 'local.x'); literals as they are."""
    if isinstance(value, str) and value.startswith("${") and value.endswith("}"):
        return value[2:-1]
    return value


@dataclass
class Module:
    """The blocks of one directory of .tf files."""

    path: Path
    locals: dict = field(default_factory=dict)
    variables: dict = field(default_factory=dict)
    resources: dict = field(default_factory=dict)  # (type, name) -> body
    data: dict = field(default_factory=dict)  # (type, name) -> body
    modules: dict = field(default_factory=dict)  # name -> body
    files: dict = field(default_factory=dict)  # file name -> source text

    def resource(self, rtype: str, name: str) -> dict:
        assert (rtype, name) in self.resources, f"{self.path.name}: no resource {rtype}.{name}"
        return self.resources[(rtype, name)]

    def datum(self, dtype: str, name: str) -> dict:
        assert (dtype, name) in self.data, f"{self.path.name}: no data {dtype}.{name}"
        return self.data[(dtype, name)]


def load(directory: Path) -> Module:
    module = Module(path=directory)
    for tf in sorted(directory.glob("*.tf")):
        text = tf.read_text()
        module.files[tf.name] = text
        parsed = plain(hcl2.loads(text))
        for block in parsed.get("locals", []):
            module.locals.update(block)
        for block in parsed.get("variable", []):
            module.variables.update(block)
        for block in parsed.get("module", []):
            module.modules.update(block)
        for kind, target in (("resource", module.resources), ("data", module.data)):
            for block in parsed.get(kind, []):
                for rtype, named in block.items():
                    for name, body in named.items():
                        target[(rtype, name)] = body
    return module


def list_literals(text: str) -> list[str]:
    """The quoted strings in an expression's text."""
    return re.findall(r'"([^"]*)"', text)


def blocks(value) -> list:
    """A nested block: python-hcl2 gives a list of bodies (or one body)."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
