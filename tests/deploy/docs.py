#!/usr/bin/env python3
"""docs/deploy.md's configuration reference is `hds describe --markdown`, between two markers.

    tests/deploy/docs.py --write     put the binary's table into docs/deploy.md
    tests/deploy/docs.py             exit 1 when the committed table differs

HDS_BIN names the binary (scripts/check-deploy sets it).
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs/deploy.md"
BEGIN = "<!-- BEGIN configuration reference: `hds describe --markdown`, checked by tests/deploy; scripts/check-deploy --write regenerates it -->"
END = "<!-- END configuration reference -->"


def generated(hds: str) -> str:
    return subprocess.run([hds, "describe", "--markdown"], check=True, capture_output=True, text=True).stdout.strip("\n")


def split(text: str) -> tuple[str, str, str]:
    if text.count(BEGIN) != 1 or text.count(END) != 1:
        raise SystemExit(f"{DOC.relative_to(ROOT)} must hold the markers once each:\n{BEGIN}\n{END}")
    head, rest = text.split(BEGIN)
    body, tail = rest.split(END)
    return head, body.strip("\n"), tail


def main() -> int:
    hds = os.environ.get("HDS_BIN") or os.environ.get("HDS_PREBUILT_BIN")
    if not hds:
        raise SystemExit("set HDS_BIN to the hds binary")
    head, body, tail = split(DOC.read_text())
    table = generated(hds)
    if "--write" in sys.argv[1:]:
        DOC.write_text(f"{head}{BEGIN}\n{table}\n{END}{tail}")
        print(f"wrote the configuration reference into {DOC.relative_to(ROOT)}")
        return 0
    if body != table:
        print("docs/deploy.md's configuration reference differs from `hds describe --markdown`: "
              "scripts/check-deploy --write", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
