"""Derive every registry entry's NumPy domain (opinfo/data/numpy_domain.json) by probing NumPy.

usage: python tools/derive_numpy_domain.py [--ops PATTERN[,PATTERN]] [--check]

Writes the file (with the NumPy version it was derived with), or with ``--check`` exits 1 and
names the entries whose shipped domain differs from a fresh probe. Rerun it after adding an entry
or changing its samples, and after a NumPy upgrade.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np

from opinfo import domain, select
from opinfo.probe import derive


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", default="", help="only these entries (glob patterns, comma-separated)")
    parser.add_argument("--check", action="store_true", help="compare with the shipped file instead of writing it")
    args = parser.parse_args(argv)
    ops = select([p for p in args.ops.split(",") if p])
    started = time.perf_counter()
    fresh = {}
    for i, op in enumerate(ops, 1):
        fresh[op.name] = derive(op)
        print(f"\r{i}/{len(ops)} {op.name:<40}", end="", file=sys.stderr, flush=True)
    print(f"\rprobed {len(ops)} entries in {time.perf_counter() - started:.0f} s" + " " * 30, file=sys.stderr)
    shipped = json.loads(domain.DATA.read_text()) if domain.DATA.exists() else {"numpy": None, "ops": {}}
    if args.check:
        stale = [name for name, got in fresh.items() if shipped["ops"].get(name) != got]
        for name in stale:
            print(f"{name}: shipped NumPy domain differs from NumPy {np.__version__}'s", file=sys.stderr)
        return 1 if stale else 0
    ops_data = shipped["ops"] if args.ops else {}
    ops_data.update(fresh)
    out = {"numpy": np.__version__, "ops": dict(sorted(ops_data.items()))}
    domain.DATA.write_text(json.dumps(out, indent=1, sort_keys=False) + "\n")
    print(f"wrote {domain.DATA}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
