"""Developer helper: run registry ops through the runner without pytest, print divergences.

usage: python tools/try_ops.py BACKEND OP_GLOB [OP_GLOB...] [--examples N] [--seed S] [--dtypes a,b] [--device D]
"""
import argparse
import time

import numpy as np

import opinfo
from parity.backends import get_backend
from parity.runner import Runner

p = argparse.ArgumentParser()
p.add_argument("backend")
p.add_argument("ops", nargs="+")
p.add_argument("--examples", type=int, default=30)
p.add_argument("--seed", type=int, default=0)
p.add_argument("--dtypes", default="")
p.add_argument("--device", default="cpu")
p.add_argument("--verbose", "-v", action="store_true")
a = p.parse_args()
backend = get_backend(a.backend)
versions = {"numpy": np.__version__}
total = 0.0
for op in opinfo.select(a.ops):
    runner = Runner(op, backend, device=a.device)
    t = time.perf_counter()
    for dt in op.dtypes:
        if a.dtypes and dt not in a.dtypes.split(","):
            continue
        rec = runner.run_case(dt, max_examples=a.examples, seed=a.seed, versions=versions)
        for d in rec["divergences"]:
            print(f"  {op.name:24} {dt:10} {d['status']:6} {d['category']:13} {d.get('detail', '')[:150]}")
            if a.verbose and d["status"] != "stale":
                print("      " + d["input"].replace("\n", "\n      "))
                print("      ref : " + d["reference"][:300].replace("\n", " "))
                print("      impl: " + d["implementation"][:300].replace("\n", " "))
        if rec["status"] in ("unsupported", "skipped"):
            print(f"  {op.name:24} {dt:10} {rec['status']}: {rec['reason']}")
    dt_s = time.perf_counter() - t
    total += dt_s
    print(f"{op.name}: {dt_s:.2f}s")
print(f"total {total:.1f}s")
