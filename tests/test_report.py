"""The HTML report and the Markdown summary, rendered from real records of the runner.

Records come from the real runner on NumPy (parity) and on the deliberately divergent
``fake_xp:xp`` backend (new divergences); crash/timeout records and an ``elements`` list are
added the way the plugin and the runner write them.
"""

import copy
import json
import re

import numpy as np
import pytest
from conftest import run_cli

import opinfo
from parity import report, results, summary
from parity.backends import get_backend
from parity.runner import Runner

CASES = [("sort", "complex128"), ("abs", "int32"), ("sqrt", "float64"), ("max", "float64"), ("sort", "float64")]


def run_records(backend, cases=CASES, examples=3):
    b = get_backend(backend)
    return [Runner(opinfo.get_op(op), b).run_case(dt, max_examples=examples, seed=0,
                                                  versions={"numpy": np.__version__}) for op, dt in cases]


def make_doc(records, backend="fake_xp:xp", version="0.0-fake", seed=0, libraries=None):
    run = {"started": "2026-01-01T00:00:00+00:00", "finished": "2026-01-01T00:00:09+00:00", "duration_s": 9.0,
           "interrupted": False, "complete": True, "cases_selected": len(records), "seed": seed,
           "max_examples": 3, "surface": "native", "ops": sorted({r["op"] for r in records}), "dtypes": None,
           "backends": [{"name": backend, "module": backend.split(":")[0], "version": version, "settings": {},
                         "device": "cpu"}],
           "unavailable": {}, "libraries": libraries or {"numpy": np.__version__, backend: version},
           "platform": results.platform_info(), "argv": ["parity", "run"], "workers": 0}
    doc = results.document(run, copy.deepcopy(records))
    results.validate(doc)
    return doc


@pytest.fixture(scope="module")
def fake_records():
    return run_records("fake_xp:xp")


@pytest.fixture(scope="module")
def numpy_records():
    return run_records("numpy")


def crash_record(rid="abs[fake_xp:xp-cpu-float32]"):
    return {"kind": "op-parity", "id": rid, "op": "abs", "family": "elementwise-unary", "backend": "fake_xp:xp",
            "device": "cpu", "surface": "native", "dtype": "float32", "status": "crash",
            "reason": "worker crashed: Fatal Python error: Segmentation fault",
            "input": "args = (np.array([1.0], dtype=np.float32),)\nkwargs = {}", "divergences": []}


def embedded(html):
    """The page's data, decoded as its script decodes it."""
    m = re.search(r'<script type="application/json" id="parity-data">(.*?)</script>', html, re.S)
    data = json.loads(m.group(1))
    t = data["t"]

    def text(x):
        return None if x is None else t[x] if isinstance(x, int) else "\n".join(t[i] for i in x)

    return data, text


def test_embedded_data_is_lossless(fake_records):
    """Every text a card shows comes back exactly from the line table."""
    doc = make_doc(fake_records)
    data, text = embedded(report.render_html(doc))
    fields = data["fields"]
    originals = {(r["op"], r["dtype"]): r for r in doc["records"]}
    assert len(data["r"]) == len(doc["records"])
    for row in data["r"]:
        rec = originals[(text(row[0]), text(row[2]))]
        assert row[4] == rec["status"]
        assert len(row[6]) == len(rec["divergences"])
        for coded, div in zip(row[6], rec["divergences"]):
            for i, f in enumerate(fields):
                value = coded[i]
                if f in ("input", "reference", "implementation", "reproducer", "detail", "reason", "link", "note"):
                    value = text(value)
                assert value == (div.get(f) or None if f in report._TEXT_FIELDS else div.get(f)), f


def test_page_is_self_contained_and_script_safe(fake_records):
    records = copy.deepcopy(fake_records)
    records[0]["divergences"][0]["detail"] = "</script><script>alert(1)</script><!--"
    html = report.render_html(make_doc(records))
    assert "alert(1)</script>" not in html and "<!--" not in html.split('id="parity-data">')[1]
    assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)="(https?:)?//', html), "no external resources"
    assert "<svg" in html and "<style>" in html


def test_crash_record_and_elements_reach_the_page(fake_records):
    records = copy.deepcopy(fake_records) + [crash_record()]
    value = next(d for r in records for d in r["divergences"] if d["category"] == "value")
    value["elements"] = [{"index": [0], "x": "4.0", "reference": "2.0", "implementation": "2.0000001"}]
    data, text = embedded(report.render_html(make_doc(records)))
    crash = next(row for row in data["r"] if row[4] == "crash")
    (entry,) = crash[6]
    assert entry[0] == "crash" and "Segmentation fault" in text(entry[2]) and "np.float32" in text(entry[3])
    extra = [d[len(data["fields"])] for row in data["r"] for d in row[6] if len(d) > len(data["fields"])]
    assert {"elements": value["elements"]} in [{k: v for k, v in e.items() if k == "elements"} for e in extra]


def test_runs_merge_into_columns(fake_records, numpy_records):
    """Another backend is another column; the same backend in another version too; shards share one."""
    fake, numpy_doc = make_doc(fake_records), make_doc(numpy_records, backend="numpy", version=np.__version__)
    newer = make_doc(fake_records[:2], version="0.1-fake")
    cols, _ = report.columns([fake, numpy_doc, newer])
    assert [c["label"] for c in cols] == ["fake_xp:xp:cpu 0.0-fake", "fake_xp:xp:cpu 0.1-fake", "numpy:cpu"]
    shards = [make_doc(fake_records[:2]), make_doc(fake_records[2:])]
    cols, _ = report.columns(shards)
    assert len(cols) == 1 and cols[0]["label"] == "fake_xp:xp:cpu"
    tot = report.totals(shards, cols)
    assert tot["cases"] == len(fake_records) and tot["overall"]["new"] == 4


def test_matrix_cell_is_worst_status_with_counts(fake_records):
    m = report.matrix(make_doc(fake_records))
    sort = next(r for r in m["rows"] if r["op"] == "sort")
    (cell,) = sort["cells"]
    assert cell["status"] == "new" and cell["counts"] == {"new": 1, "parity": 1}
    assert cell["dtypes"] == [("complex128", "new"), ("float64", "parity")]


def test_chart_counts_categories_per_backend(fake_records):
    doc = make_doc(fake_records)
    cols, _ = report.columns([doc])
    bars = report.chart(cols, report.totals([doc], cols))["bars"]
    assert {s["cat"]: s["n"] for s in bars[0]["segments"]} == {"error": 1, "dtype": 1, "value": 1,
                                                                 "special-value": 1}
    assert bars[0]["new"] == 4


def test_the_text_summary_says_how_long_each_backends_cases_took(fake_records, numpy_records):
    def timed(records, first):
        return [r | {"duration_s": first if i == 0 else 0.0} for i, r in enumerate(records)]

    lines = report.summary_lines(make_doc(timed(fake_records, 12.3) + timed(numpy_records, 0.46)))
    assert next(x for x in lines if x.strip().startswith("fake_xp:xp:cpu")).endswith("(12 s of cases)")
    assert next(x for x in lines if x.strip().startswith("numpy:cpu")).endswith("(0.5 s of cases)")


def test_markdown_summary(fake_records, numpy_records):
    md = summary.markdown([make_doc(fake_records), make_doc(numpy_records, backend="numpy", version="2")])
    assert md.startswith("## array-parity: ❌ 4 new")
    assert "| fake_xp:xp:cpu | 0.0-fake |" in md and "| numpy:cpu | 2 |" in md
    assert "### Needs attention (4)" in md and "`sqrt[fake_xp:xp-cpu-float64]`" in md
    clean = summary.markdown(make_doc(numpy_records, backend="numpy"))
    assert clean.startswith("## array-parity: ✅") and "Needs attention" not in clean


def test_markdown_cells_are_escaped_and_the_summary_fits(fake_records):
    records = copy.deepcopy(fake_records)
    records[0]["divergences"][0]["detail"] = "a | b\nc <b>"
    md = summary.markdown(make_doc(records))
    assert "a \\| b c &lt;b>" in md
    many = [copy.deepcopy(records[0]) | {"id": f"sort[fake_xp:xp-cpu-x{i}]", "dtype": f"x{i}"} for i in range(800)]
    big = summary.markdown(make_doc(many), limit=5000, max_chars=20_000)
    assert len(big) <= 20_000 and "more rows: see report.html" in big


def test_parity_report_command(tmp_path, fake_records, numpy_records):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    results.write(a, make_doc(fake_records))
    results.write(b, make_doc(numpy_records, backend="numpy", version=np.__version__))
    proc = run_cli("report", str(a), str(b), "-o", str(tmp_path / "r.html"), "--markdown", str(tmp_path / "s.md"))
    assert proc.returncode == 0, proc.stderr
    html = (tmp_path / "r.html").read_text()
    assert "fake_xp:xp:cpu" in html and "numpy:cpu" in html and str(a) in html
    assert (tmp_path / "s.md").read_text().startswith("## array-parity: ❌ 4 new")
    (tmp_path / "bad.json").write_text('{"schema": "array-parity/results", "schema_version": 0}')
    proc = run_cli("report", str(a), str(tmp_path / "bad.json"), "-o", str(tmp_path / "x.html"))
    assert proc.returncode == 2 and "older array-parity (schema_version 0)" in proc.stderr
    assert proc.stderr.count("\n") == 1 and not (tmp_path / "x.html").exists()
