"""Wall time of one sweep on two revisions of array-parity, measured back to back in one run.

    python benchmarks/compare_revisions.py --base c81d5fa --backend torch [--seed 0] [--repeat 2]

The base revision is checked out into a temporary git worktree and run from there (the current
directory comes first on sys.path, for the CLI and for its pytest-xdist workers alike), the working
tree as it is from the repository root. Runs alternate base, head, base, head... so that a machine
getting slower or faster over the run weighs on both; the ratio printed is head / base of the
medians. Nothing is installed: both revisions run on the installed libraries.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def sweep(cwd: Path, backend: str, seed: int, out: Path) -> float:
    """Seconds of wall time for one ``parity run`` of the code in ``cwd``."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "parity.cli", "run", "--backend", backend, "--seed", str(seed),
                           "--out", str(out)], cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(f"parity run failed in {cwd} (exit {proc.returncode}): {proc.stderr.strip()[-400:]}")
    return elapsed


def code_of(cwd: Path) -> str:
    """Where ``import parity`` resolves when run from ``cwd``: proof that each side runs its own code."""
    proc = subprocess.run([sys.executable, "-c", "import parity; print(parity.__file__)"], cwd=cwd,
                          capture_output=True, text=True, check=True)
    return proc.stdout.strip()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="git revision to compare against")
    parser.add_argument("--backend", default="torch")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        base = tmp / "base"
        subprocess.run(["git", "worktree", "add", "--detach", str(base), args.base], cwd=ROOT, check=True,
                       capture_output=True)
        try:
            print(f"base {args.base}: {code_of(base)}\nhead (working tree): {code_of(ROOT)}")
            times = {"base": [], "head": []}
            for i in range(args.repeat):
                for side, cwd in (("base", base), ("head", ROOT)):
                    seconds = sweep(cwd, args.backend, args.seed, tmp / f"{side}{i}")
                    times[side].append(seconds)
                    print(f"  {side} run {i + 1}: {seconds:.1f} s", flush=True)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=ROOT, capture_output=True)
    b, h = statistics.median(times["base"]), statistics.median(times["head"])
    print(f"{args.backend} sweep, seed {args.seed}: base {b:.1f} s, head {h:.1f} s, head/base {h / b:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
