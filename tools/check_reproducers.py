"""Run every reproducer of a sweep and its NumPy control; exit 1 if any lies.

    python tools/check_reproducers.py reports/torch/results.json [more results.json ...]

The rules are :func:`parity.reproducer.check_reproducers`'s; tests/test_all_reproducers.py runs them
on full torch and dask sweeps.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from parity import results
from parity.reproducer import check_reproducers


def main(paths: list[str]) -> int:
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        for path in paths:
            counts, bad = check_reproducers(results.read(Path(path)), Path(folder))
            print(path)
            for key, n in sorted(counts.items()):
                print(f"  {' '.join(key):32} {n}")
            for line in bad:
                print("  BAD", line)
            failed |= bool(bad)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
