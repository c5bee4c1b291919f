"""Measure how far each backend's elementwise results lie from NumPy's, in ulps, on the fixed corpora.

The ULP allowances in the registry (``OpInfo.ulps``, ``opinfo.dtypes.DEFAULT_ULPS``) and the bounds
of ``value`` declarations (``Expected.max_ulp``) are set from this table, not guessed. For every
elementwise op, backend and inexact dtype it runs the op's fixed samples on both sides and prints the
largest ULP distance over the elements that are finite on both sides, the 99.9th percentile and how
many elements lie beyond 1, 4 and 16 ulp. Declared divergences are not excluded: the point is to see
them with their size.

    python tools/measure_ulps.py --backend torch --backend jax [--op 'special.*'] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings

import numpy as np

from opinfo.compare import coarser, ulp_distance
from opinfo.dtypes import INEXACT, dtype_kind
from opinfo.registry import select
from parity.backends import get_backend
from parity.runner import Runner


def measure(op, backend, dtype: str, worst: int = 0) -> dict | None:
    runner = Runner(op, backend)
    if runner.unsupported or not backend.supports_dtype(dtype, runner.namespace):
        return None
    distances, examples = [], []
    for sample in op.samples(np.dtype(dtype)):
        ref, impl = runner.call_reference(sample), runner.call_implementation(sample)
        if ref.raised or impl.raised:
            continue
        for r, m in zip(_outputs(ref.value), _outputs(impl.value)):
            r, m = np.asarray(r), np.asarray(m)
            if r.shape != m.shape or dtype_kind(r.dtype) not in "fc" or dtype_kind(m.dtype) not in "fc":
                continue
            finite = _finite(r) & _finite(m)
            if finite.any():
                d = ulp_distance(r[finite], m[finite], coarser(r.dtype, m.dtype)).ravel()
                distances.append(d)
                if worst:
                    args = [np.broadcast_to(a, r.shape)[finite] if isinstance(a, np.ndarray) else a
                            for a in sample.args]
                    for i in np.argsort(-d)[:worst]:
                        examples.append((float(d[i]), [str(a[i]) if isinstance(a, np.ndarray) else repr(a)
                                                        for a in args], str(r[finite][i]), str(m[finite][i])))
    if not distances:
        return None
    d = np.concatenate(distances)
    return {"op": op.name, "backend": backend.name, "dtype": dtype, "elements": int(d.size),
            "max": float(d.max()), "p999": float(np.quantile(d, 0.999)),
            "over1": int((d > 1).sum()), "over4": int((d > 4).sum()), "over16": int((d > 16).sum()),
            "worst": sorted(examples, key=lambda e: -e[0])[:worst]}


def _outputs(value):
    return value if isinstance(value, tuple) else (value,)


def _finite(x: np.ndarray) -> np.ndarray:
    x = x.astype(np.complex128) if x.dtype.kind == "c" else x.astype(np.float64)
    return np.isfinite(x.real) & np.isfinite(x.imag) if x.dtype.kind == "c" else np.isfinite(x)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", action="append", required=True)
    parser.add_argument("--op", action="append", help="op name pattern (repeatable)")
    parser.add_argument("--json", help="also write the rows to this file")
    parser.add_argument("--worst", type=int, default=0, help="print the N worst elements of each row")
    args = parser.parse_args(argv)
    rows = []
    warnings.simplefilter("ignore")
    for name in args.backend:
        backend = get_backend(name)
        for op in select(args.op):
            if not op.elementwise:
                continue
            for dtype in op.dtypes:
                if dtype in INEXACT and (row := measure(op, backend, dtype, args.worst)) is not None:
                    rows.append(row)
                    print(f"{row['backend']:<17} {row['op']:<22} {row['dtype']:<10} n={row['elements']:<6} "
                          f"max={row['max']:<10.3g} p99.9={row['p999']:<8.3g} >1:{row['over1']:<5} "
                          f">4:{row['over4']:<5} >16:{row['over16']}", flush=True)
                    for distance, inputs, ref, impl in row["worst"]:
                        if distance > 1:
                            print(f"    {distance:.3g} ulp at {', '.join(inputs)}: numpy {ref}, {name} {impl}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(rows, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
