"""Reconcile a run of data-apis/array-api-tests with array-parity's results on the same library.

usage: python tools/reconcile_array_api_tests.py JUNIT_XML RESULTS_JSON [RESULTS_JSON ...]
           [--backend NAME] [--surface native|array-api] [--title TEXT]

JUNIT_XML is the suite's own pytest report (``pytest array_api_tests/ --junitxml=FILE``); each
RESULTS_JSON an array-parity ``results.json`` (op-parity and conformance records; several runs are
read together, e.g. the sweep and ``--ops 'conformance/*'``). For every test the suite failed, the
tool names its *subject* (the function, operator or method the test is about, from the test's name
and parameter: ``test_iop[__ifloordiv__(...)]`` is about ``floor_divide`` through ``__ifloordiv__``)
and lists what array-parity reports about the same subject on the same backend and surface: op
records in the standard's domain (category, dtypes, status; NumPy's wider domain is beyond what the
suite tests) and conformance divergences (area, rule, status). The reverse
table lists the subjects where array-parity reports a divergence from NumPy or a violation of the
standard and the suite failed no test about them.

A shared subject is a lead, not a proof that both found the same thing: the printed reasons and
findings sit side by side for a reader to judge (docs/conformance-vs-array-api-tests.md).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROMOTION = ROOT / "opinfo" / "data" / "array_api_promotion.json"
#: Tests whose subject is an area of the standard rather than one function.
AREA_TESTS = {"test_getitem": "indexing", "test_setitem": "indexing", "test_getitem_masking": "indexing",
              "test_setitem_masking": "indexing", "test_getitem_arrays_and_ints_1": "indexing",
              "test_getitem_arrays_and_ints_2": "indexing", "test_scalar_casting": "scalars",
              "test_devices": "devices info.devices", "test_dunder_dlpack": "dlpack array.__dlpack__",
              "test_dlpack_device": "dlpack array.__dlpack_device__", "test_from_dlpack": "dlpack from_dlpack",
              "test_asarray_arrays": "copy"}
#: Test classes named after the function their tests are about.
CLASSES = {"TestBroadcastShapes": "broadcast_shapes", "TestResultType": "result_type", "TestIsin": "isin",
           "TestExpandDims": "expand_dims", "TestCanCast": "can_cast"}
#: Test-name prefixes that name a function with a different spelling.
RENAMES = {"linalg_tensordot": "linalg.tensordot", "iinfo_dtype": "iinfo", "finfo_dtype": "finfo",
           "searchsorted_with_scalars": "searchsorted"}
LINALG = {"cholesky", "det", "eig", "eigh", "eigvals", "eigvalsh", "inv", "matrix_norm", "matrix_power",
          "matrix_rank", "pinv", "qr", "slogdet", "solve", "svd", "svdvals", "vector_norm", "cross", "diagonal",
          "outer", "trace", "vecdot"}


def operator_functions() -> dict[str, str]:
    """``__iadd__`` -> ``add``, from the standard's operator table as derived into the promotion data."""
    versions = json.loads(PROMOTION.read_text())["versions"]
    return {m: e["function"] for v in versions.values() if isinstance(v, dict)
            for m, e in v["operators"].items() if e.get("function")}


def failures(junit: Path) -> list[tuple[str, str]]:
    """(test id, first line of the failure) for every failed or errored test of a junit report."""
    out = []
    for case in ET.parse(junit).getroot().iter("testcase"):
        bad = case.find("failure") if case.find("failure") is not None else case.find("error")
        if bad is None:
            continue
        module = case.get("classname", "").removeprefix("array_api_tests.")
        text = "\n".join(filter(None, (bad.get("message"), bad.text)))
        message = text.strip().splitlines()
        first = message[0] if message else ""
        if first.startswith("ExceptionGroup"):  # Hypothesis found several: the first line of each
            parts = dict.fromkeys(m[1] for m in re.finditer(r"^[\s|+]*(\w+(?:Error|Exception): .*)$", text, re.M))
            first = " || ".join(parts) or first
        out.append((f"{module}::{case.get('name')}", first))
    return out


def subjects(test_id: str, operators: dict[str, str]) -> tuple[str, ...]:
    """What a test is about: an area (``indexing``), a function (``floor_divide``, ``array.to_device``), or
    both (``dlpack``, ``array.__dlpack__``): array-parity may report it in either place."""
    cls = next((f for c, f in CLASSES.items() if f".{c}::" in test_id), None)
    return (cls,) if cls else tuple(_subject(test_id, operators).split())


def _subject(test_id: str, operators: dict[str, str]) -> str:
    name = test_id.rsplit("::", 1)[1]
    base, _, param = name.partition("[")
    param = param.rstrip("]")
    if base in AREA_TESTS:
        return AREA_TESTS[base]
    if base in ("test_has_names",):
        kind, _, what = param.partition("-")
        return f"array.{what}" if kind.startswith("array") else f"{kind}.{what}" if kind in ("linalg", "fft") \
            else what
    if base == "test_array_method_signature":
        return f"array.{param}"
    if base in ("test_func_signature", "test_extension_func_signature", "test_info_func_signature"):
        return param
    called = re.match(r"([A-Za-z_][\w.]*)\(", param)
    if called:  # test_unary[expm1(...)], test_add[__add__(x1, x2)], test_iop[__ifloordiv__(...)]
        return operators.get(called[1], called[1])
    stem = base.removeprefix("test_")
    stem = RENAMES.get(stem, stem)
    if stem in LINALG and "test_linalg" in test_id:
        return f"linalg.{stem}"
    if "test_fft" in test_id and not stem.startswith("fft."):
        return f"fft.{stem}"
    return stem


def findings(results: list[dict], backend: str | None, surface: str | None,
             operators: dict[str, str]) -> dict[str, list[str]]:
    """Subject -> one line per array-parity finding (op record or conformance divergence)."""
    out: dict[str, list[str]] = defaultdict(list)
    grouped: dict[tuple, set] = defaultdict(set)
    for doc in results:
        for r in doc["records"]:
            if (backend and r["backend"] != backend) or (surface and r["surface"] != surface):
                continue
            if r.get("kind") == "conformance":
                for d in r["divergences"]:
                    if d["status"] in ("new", "known"):
                        fn = d.get("function", "")
                        key = r["area"] if r["area"] in ("indexing", "devices", "copy", "dlpack", "scalars") else \
                            operators.get(fn, fn)
                        grouped[(key, f"conformance/{r['area']}", d["status"], d["category"])].add(
                            (d.get("dtype") or "-") + ": " + d.get("detail", "")[:70])
            elif r.get("domain", "standard") == "standard":
                for d in r["divergences"]:
                    if d["status"] in ("new", "known"):
                        grouped[(r["op"], "op", d["status"], d["category"])].add(r["dtype"])
    for (key, where, status, category), items in sorted(grouped.items()):
        shown = sorted(items)
        if where == "op":
            out[key].append(f"{status} {category} [{', '.join(shown[:6])}{' ...' if len(shown) > 6 else ''}]")
        else:
            out[key].append(f"{where}: {len(shown)} {status} {category} ({shown[0]}{' ...' if len(shown) > 1 else ''})")
    return out


def _cell(text: str, width: int) -> str:
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= width else text[:width - 1] + "…"


def render(failed, found, operators, title) -> str:
    lines = [f"### {title}", "", f"array-api-tests failed {len(failed)} tests.", "",
             "| array-api-tests failure | subject | array-parity on the same subject |", "|---|---|---|"]
    seen = set()
    for test_id, message in failed:
        about = subjects(test_id, operators)
        seen.update(about)
        ours = "; ".join(f for s in about for f in found.get(s, [])) or "—"
        lines.append(f"| `{_cell(test_id, 90)}`: {_cell(message, 110)} | `{' '.join(about)}` | {_cell(ours, 260)} |")
    only = {s: f for s, f in found.items() if s not in seen}
    lines += ["", f"array-parity reports divergences on {len(only)} subjects where the suite failed no test:", "",
              "| subject | array-parity |", "|---|---|"]
    lines += [f"| `{s}` | {_cell('; '.join(f), 260)} |" for s, f in sorted(only.items())]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("junit", type=Path)
    parser.add_argument("results", type=Path, nargs="+")
    parser.add_argument("--backend")
    parser.add_argument("--surface", choices=("native", "array-api"))
    parser.add_argument("--title", default="array-api-tests and array-parity")
    args = parser.parse_args(argv)
    for path in (args.junit, *args.results):
        if not path.is_file():
            print(f"error: no such file: {path}", file=sys.stderr)
            return 2
    operators = operator_functions()
    docs = [json.loads(p.read_text()) for p in args.results]
    found = findings(docs, args.backend, args.surface, operators)
    sys.stdout.write(render(failures(args.junit), found, operators, args.title))
    return 0


if __name__ == "__main__":
    sys.exit(main())
