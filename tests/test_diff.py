"""`parity diff`: added, removed and changed divergences between two runs, and the exit status CI gates on."""

import copy

import pytest
from conftest import run_cli
from test_report import crash_record, make_doc, run_records

from parity import diff, results, summary


@pytest.fixture(scope="module")
def records():
    return run_records("fake_xp:xp")


def by_id(doc, cid):
    return next(r for r in doc["records"] if r["id"] == cid)


def pair(records):
    old = make_doc(records)
    return old, copy.deepcopy(old)


SQRT, ABS, SORT_OK = "sqrt[fake_xp:xp-cpu-float64]", "abs[fake_xp:xp-cpu-int32]", "sort[fake_xp:xp-cpu-float64]"


def test_identical_runs_have_no_changes(records):
    old, new = pair(records)
    d = diff.diff(old, new)
    assert d.changes == [] and d.exit_status == 0 and d.compared == len(records)
    assert diff.text_lines(d)[0].startswith("parity diff: 0 added, 0 removed, 0 changed")


def test_added_divergence_is_worse_when_new_not_when_known(records):
    old, new = pair(records)
    rec = by_id(new, SORT_OK)
    rec["divergences"] = [{"category": "order", "status": "new", "detail": "ties in another order"}]
    rec["status"] = "new"
    d = diff.diff(old, new)
    (c,) = d.changes
    assert (c.kind, c.id, c.category, c.status, c.worse) == ("added", SORT_OK, "order", "new", True)
    assert d.exit_status == 1 and d.status_changes == {("parity", "new"): 1}
    rec["divergences"][0] |= {"status": "known", "reason": "declared"}
    rec["status"] = "known"
    d = diff.diff(old, new)
    assert [(c.kind, c.worse) for c in d.changes] == [("added", False)] and d.exit_status == 0


def test_removed_divergence_and_its_stale_declaration(records):
    old, new = pair(records)
    rec = by_id(new, SQRT)
    rec["divergences"] = [{"category": "value", "status": "stale", "reason": "declared", "link": None,
                           "detail": "declared in the registry but did not occur in this run"}]
    rec["status"] = "stale"
    d = diff.diff(old, new)
    (c,) = d.changes
    assert (c.kind, c.id, c.category, c.worse) == ("removed", SQRT, "value", False)
    assert c.note == "its declaration is now stale" and d.exit_status == 0


def test_changed_status_and_detail(records):
    old, new = pair(records)
    for doc in (old, new):  # in OLD the dtype divergence of abs was declared
        by_id(doc, ABS)["divergences"][0] |= {"status": "known", "reason": "declared"}
        by_id(doc, ABS)["status"] = "known"
    by_id(new, ABS)["divergences"][0]["status"] = "new"  # ... the declaration stopped matching
    by_id(new, ABS)["status"] = "new"
    by_id(new, SQRT)["divergences"][0]["detail"] += " (and more)"
    d = diff.diff(old, new)
    got = {(c.id, c.kind, c.note, c.worse) for c in d.changes}
    assert got == {(ABS, "changed", "known -> new", True), (SQRT, "changed", "detail changed", False)}
    assert d.exit_status == 1
    lines = diff.text_lines(d)
    assert any("WORSE known->new" in ln and ABS in ln for ln in lines)
    assert any(ln.strip().startswith("was: ") for ln in lines)
    by_id(new, ABS)["divergences"][0]["status"] = "known"  # new -> known the other way round is not worse
    by_id(old, ABS)["divergences"][0]["status"] = "new"
    assert [c.worse for c in diff.diff(old, new).changes if c.id == ABS] == [False]


def test_crash_counts_as_an_added_divergence(records):
    fine = {k: v for k, v in crash_record().items() if k not in ("reason", "input")} | {"status": "parity"}
    old, new = make_doc(records + [fine]), make_doc(records + [crash_record()])
    d = diff.diff(old, new)
    (c,) = d.changes
    assert (c.kind, c.category, c.status, c.worse) == ("added", "crash", "crash", True)
    assert "Segmentation fault" in c.describe()


def test_cases_run_by_only_one_side_are_not_compared(records):
    old, new = make_doc(records[:3]), make_doc(records[1:])
    d = diff.diff(old, new)
    assert d.changes == [] and d.exit_status == 0
    assert [r["id"] for r in d.only_old] == [records[0]["id"]]
    assert {r["id"] for r in d.only_new} == {r["id"] for r in records[3:]}


def test_library_upgrade_and_different_seeds_are_reported(records):
    old = make_doc(records, libraries={"numpy": "2.4.6", "torch": "2.13.0"})
    new = make_doc(records, libraries={"numpy": "2.4.6", "torch": "2.14.0"}, seed=3)
    d = diff.diff(old, new)
    assert d.library_changes() == [("torch", "2.13.0", "2.14.0")]
    assert "different seeds (0 and 3)" in d.warnings()[0]
    lines = diff.text_lines(d)
    assert "  library torch: 2.13.0 -> 2.14.0" in lines


def test_diff_command_exit_status_html_and_markdown(tmp_path, records):
    old, new = pair(records)
    a, b = tmp_path / "old.json", tmp_path / "new.json"
    results.write(a, old)
    results.write(b, new)
    proc = run_cli("diff", str(a), str(b))
    assert proc.returncode == 0, proc.stderr
    rec = by_id(new, SORT_OK)
    rec["divergences"] = [{"category": "order", "status": "new", "detail": "ties in another order"}]
    rec["status"] = "new"
    results.write(b, new)
    html, md = tmp_path / "diff.html", tmp_path / "diff.md"
    proc = run_cli("diff", str(a), str(b), "--html", str(html), "--markdown", str(md))
    assert proc.returncode == 1, proc.stderr
    assert "Added (1):" in proc.stdout and SORT_OK in proc.stdout
    page = html.read_text()
    assert "CI gate: fails" in page and SORT_OK in page and "ties in another order" in page
    assert md.read_text().startswith("## array-parity diff: ❌ 1 added")
    assert summary.diff_markdown(diff.diff(old, old)).startswith("## array-parity diff: ✅ 0 added")
    proc = run_cli("diff", str(a), str(tmp_path / "missing.json"))
    assert proc.returncode == 2 and proc.stderr.strip().endswith("missing.json: no such file")


def test_a_known_divergence_that_grew_is_worse(records):
    """Still declared, but bigger: more differing elements or a larger error fails the gate."""
    old, new = pair(records)
    for doc in (old, new):
        d0 = by_id(doc, SQRT)["divergences"][0]
        d0 |= {"status": "known", "reason": "declared", "max_abs_err": 1e-3, "elements_total": 3}
        by_id(doc, SQRT)["status"] = "known"
    assert diff.diff(old, new).exit_status == 0
    by_id(new, SQRT)["divergences"][0]["elements_total"] = 40
    (c,) = diff.diff(old, new).changes
    assert (c.kind, c.worse) == ("changed", True) and c.note.endswith("; grew: more differing elements")
    by_id(new, SQRT)["divergences"][0] |= {"elements_total": 3, "max_abs_err": 0.5}
    d = diff.diff(old, new)
    assert d.exit_status == 1 and d.changes[0].note == "error size changed; grew: larger absolute error"
    assert any("WORSE" in ln and "grew" in ln for ln in diff.text_lines(d))
    by_id(new, SQRT)["divergences"][0]["max_abs_err"] = 1e-4  # it shrank: a change, not worse
    assert [c.worse for c in diff.diff(old, new).changes] == [False]
    by_id(old, SQRT)["divergences"][0]["max_ulp"] = 12.0
    by_id(new, SQRT)["divergences"][0] |= {"max_abs_err": 1e-3, "max_ulp": 3e6}  # same size, farther in ulps
    d = diff.diff(old, new)
    assert d.exit_status == 1 and d.changes[0].note == "error size changed; grew: larger ULP error"


def test_a_case_no_longer_checked_is_worse(records):
    """parity -> unsupported (the function went away) must not leave the gate green."""
    old, new = pair(records)
    by_id(new, SORT_OK).update(status="unsupported", reason="fake_xp has no sort", divergences=[])
    d = diff.diff(old, new)
    assert d.changes == [] and [n["id"] for _, n in d.unchecked] == [SORT_OK] and d.exit_status == 1
    assert "1 cases no longer checked" in d.headline()
    assert any(ln.strip().startswith("- WORSE parity->unsupported") for ln in diff.text_lines(d))
    assert summary.diff_markdown(d).startswith("## array-parity diff: ❌")
