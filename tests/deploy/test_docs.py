"""docs/deploy.md: the configuration reference is the binary's, the commands it names exist."""

import re

import docs


def test_configuration_reference_is_hds_describe(root, describe):
    from conftest import hds_bin

    _, body, _ = docs.split((root / "docs/deploy.md").read_text())
    assert body == docs.generated(hds_bin()), "docs/deploy.md is stale: scripts/check-deploy --write"
    for setting in describe["settings"]:
        assert f"`{setting['name']}`" in body


def test_scripts_named_in_the_docs_exist(root):
    text = (root / "docs/deploy.md").read_text() + (root / "README.md").read_text()
    for script in sorted(set(re.findall(r"\bscripts/[a-z][\w.-]*\w", text))):
        assert (root / script).exists(), f"the docs name {script}, which does not exist"


def test_linked(root):
    assert "docs/deploy.md" in (root / "README.md").read_text()
    assert "deploy.md" in (root / "docs/README.md").read_text()
