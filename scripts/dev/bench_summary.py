#!/usr/bin/env python3
"""Compares a scripts/bench run with the targets: prints measured value, target and the ratio
(>= 1.00 meets the target) for each, from bench/results/<stamp>.*.json.

    scripts/dev/bench_summary.py bench/results/<stamp> [api_peak_rss_mib]
"""
import json
import sys
from pathlib import Path


def load(prefix: str, suffix: str) -> dict:
    path = Path(f"{prefix}.{suffix}.json")
    if not path.exists():
        return {}
    return {row["name"].split()[0]: row for row in json.loads(path.read_text())}


def main() -> None:
    prefix = sys.argv[1]
    rss = float(sys.argv[2]) if len(sys.argv) > 2 else None
    ingest = load(prefix, "ingest")
    reads = load(prefix, "reads-4")
    pareto_1m = load(prefix, "pareto")
    # (what, measured, target, higher_is_better)
    rows = []
    if "ingest" in ingest:
        rows.append(("ingest req/s (16 connections)", ingest["ingest"]["rps"], 1500, True))
        rows.append(("ingest p99 ms (16 connections)", ingest["ingest"]["p99_ms"], 50, False))
    for name in ("list", "filtered", "detail", "events"):
        if name in reads:
            rows.append((f"{name} p99 ms (4 connections)", reads[name]["p99_ms"], 25, False))
    if "pareto" in pareto_1m:
        rows.append(("pareto 1M exceptions p50 ms", pareto_1m["pareto"]["p50_ms"], 150, False))
    if rss is not None:
        rows.append(("API peak RSS MiB", rss, 100, False))
    print(f"{'target':<34} {'measured':>10} {'target':>8} {'ratio':>7}  meets")
    for what, measured, target, higher in rows:
        ratio = measured / target if higher else target / max(measured, 1e-9)
        print(f"{what:<34} {measured:>10.1f} {target:>8} {ratio:>7.2f}  {'yes' if ratio >= 1 else 'no'}")


if __name__ == "__main__":
    main()
