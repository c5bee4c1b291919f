"""The report of a real run (torch CPU, array_api_strict, numpy, and the deliberately broken
``fake_xp:xp``, whose divergences are new by construction) in headless Chromium.

Drives Debian's ``chromium`` (what .ci/run installs) through Playwright, without Playwright's own
browser download. Skips only when no Chromium binary can be found; set PARITY_CHROMIUM to use
another one. The screenshot is saved under PARITY_ARTIFACTS (default: the test's tmp folder) and
its path printed.
"""

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import run_cli

OPS, DTYPES = "sort,abs,linalg.eigvals", "float64,complex128,uint16"


def chromium_binary():
    for candidate in (os.environ.get("PARITY_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    return None


def need_chromium():
    if chromium_binary() is None:
        pytest.skip("no Chromium binary found (install Debian's chromium package: apt-get install chromium, "
                    "or set PARITY_CHROMIUM)")


@pytest.fixture(scope="module")
def real_run(tmp_path_factory):
    pytest.importorskip("torch")
    need_chromium()
    out = tmp_path_factory.mktemp("browser")
    proc = run_cli("run", "--backend", "torch,array_api_strict,numpy,fake_xp:xp", "--ops", OPS, "--dtypes", DTYPES,
                   "--max-examples", "5", "-n", "0", "--out", str(out))
    assert proc.returncode in (0, 1), proc.stdout[-3000:] + proc.stderr[-2000:]
    return out, json.loads((out / "results.json").read_text())


@pytest.fixture
def browser():
    """Opens a page in Chromium; fails the test on any console error or warning, page error or failed request."""
    need_chromium()
    from playwright.sync_api import sync_playwright

    problems = []
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=chromium_binary(), args=["--no-sandbox"])
        context = chromium.new_context(viewport={"width": 1366, "height": 900},
                                       permissions=["clipboard-read", "clipboard-write"])

        def open_page(path):
            pg = context.new_page()
            pg.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
                  if m.type in ("error", "warning") else None)
            pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            pg.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
            pg.goto(Path(path).as_uri())
            return pg

        yield open_page
        chromium.close()
    assert problems == [], problems


@pytest.fixture
def page(real_run, browser):
    return browser(real_run[0] / "report.html")


def load_all_cards(page):
    page.evaluate("() => { const b = document.getElementById('more'); while (!b.hidden) b.click(); }")


def divergences(doc, keep=lambda r, d: True):
    return [(r, d) for r in doc["records"] for d in r["divergences"] if keep(r, d)]


def test_report_in_chromium(real_run, page):
    out, doc = real_run
    n = len(doc["records"])
    assert page.locator("#count").text_content().startswith(f"{n} of {n} cases")
    headers = page.locator("#matrix thead th").all_text_contents()
    for col in ("array_api_strict:cpu", "numpy:cpu", "torch:cpu"):
        assert any(h.startswith(col) for h in headers), headers

    # a filter: only new divergences
    new = divergences(doc, lambda r, d: d["status"] == "new")
    assert new, "fake_xp's complex sort and integer abs dtype are new"
    page.check("#f-new")
    assert "new=1" in page.url
    load_all_cards(page)
    cards = page.locator("#cards .card")
    assert cards.count() == len(new)
    assert set(cards.evaluate_all("cs => cs.map(c => c.dataset.status)")) == {"new"}
    shown_ops = set(page.locator("#matrix tr.oprow").evaluate_all("rs => rs.map(r => r.dataset.op)"))
    assert shown_ops == {r["op"] for r, _ in new}

    # the state is in the address: a reload keeps it
    page.reload()
    assert page.locator("#f-new").is_checked() and page.locator("#cards .card").count() == min(len(new), 40)

    # another filter: status known and backend torch
    page.uncheck("#f-new")
    page.select_option("#f-status", "known")
    page.select_option("#f-col", "torch:cpu")
    known = divergences(doc, lambda r, d: d["status"] == "known" and r["backend"] == "torch")
    assert known and page.locator("#cards .card").count() == min(len(known), 40)
    assert "status=known" in page.url and "col=torch%3Acpu" in page.url

    # expand a row: its dtype breakdown
    page.click("#f-reset")
    page.locator("#matrix button.op", has_text="sort").first.click()
    detail = page.locator('#matrix tr.detail[data-detail="sort"]')
    assert detail.is_visible()
    rows = detail.locator("table.dtypes tr").all_inner_texts()
    sort_dtypes = sorted({r["dtype"] for r in doc["records"] if r["op"] == "sort"})
    assert [r.split("\t")[0] for r in rows[1:]] == sort_dtypes
    complex_row = next(r for r in rows if r.startswith("complex128"))
    torch_sort = next(r for r in doc["records"] if r["id"] == "sort[torch-cpu-complex128]")
    assert torch_sort["status"] in complex_row and "open=sort" in page.url

    # a card: both outcomes, and the reproducer copied to the clipboard
    page.select_option("#f-op", "sort")
    card = page.locator("#cards .card").first
    assert card.locator(".sides pre").count() == 2
    card.locator("details summary").click()
    card.locator("button.copy").click()
    from playwright.sync_api import expect

    expect(card.locator("button.copy")).to_have_text("copied")  # the clipboard write resolves asynchronously
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith('"""array-parity reproducer: sort on ') and "AssertionError" in copied

    # differs on exactly one backend
    page.click("#f-reset")
    page.check("#f-one")
    where = {}
    for r, _ in divergences(doc, lambda r, d: d["status"] in ("new", "known")):
        where.setdefault((r["op"], r["dtype"]), set()).add(r["backend"])
    single = divergences(doc, lambda r, d: d["status"] in ("new", "known") and len(where[(r["op"], r["dtype"])]) == 1)
    load_all_cards(page)
    assert page.locator("#cards .card").count() == len(single)

    page.click("#f-reset")
    folder = Path(os.environ.get("PARITY_ARTIFACTS") or out)
    folder.mkdir(parents=True, exist_ok=True)
    shot = folder / "report-screenshot.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000
    print(f"\nreport screenshot: {shot}\nreport: {out / 'report.html'}")


def test_crash_timeout_and_elements_render(browser, tmp_path):
    """Records without divergences (crash, timeout: reason and input) and a divergence listing its elements."""
    from test_report import crash_record, make_doc, run_records

    from parity import report

    records = run_records("fake_xp:xp") + [
        crash_record(),
        crash_record("abs[fake_xp:xp-cpu-float16]") | {"dtype": "float16", "status": "timeout",
                                                       "reason": "timed out after 60 s", "input": None}]
    value = next(d for r in records for d in r["divergences"] if d["category"] == "value")
    value["elements"] = [{"index": [0], "x": "4.0", "reference": "2.0", "implementation": "2.0000001"},
                         {"index": [3], "x": "9.0", "reference": "3.0", "implementation": "3.0000002"}]
    report.write_html(make_doc(records), tmp_path / "report.html")
    pg = browser(tmp_path / "report.html")
    pg.select_option("#f-status", "crash")
    (card,) = pg.locator("#cards .card").all()
    assert "worker crashed: Fatal Python error: Segmentation fault" in card.text_content()
    assert "np.array([1.0], dtype=np.float32)" in card.locator("pre").first.text_content()
    pg.select_option("#f-status", "timeout")
    assert "timed out after 60 s" in pg.locator("#cards .card").first.text_content()
    pg.select_option("#f-status", "")
    pg.select_option("#f-cat", "value")
    rows = pg.locator("#cards .card table.elements tr").all_inner_texts()
    assert rows == ["index\tx\treference\timplementation", "[0]\t4.0\t2.0\t2.0000001", "[3]\t9.0\t3.0\t3.0000002"]
    assert pg.locator("#matrix tr.oprow").evaluate_all("rs => rs.map(r => r.dataset.op)") == ["sqrt"]


def test_the_conformance_table_follows_the_filters(browser, tmp_path):
    """The standard's rule-by-rule table obeys the same filters as the matrix: search, backend, status."""
    pytest.importorskip("torch")
    proc = run_cli("run", "--backend", "numpy,torch", "--ops", "conformance/scalars", "-n", "0", "--out", str(tmp_path))
    assert proc.returncode in (0, 1), proc.stdout[-3000:] + proc.stderr[-2000:]
    doc = json.loads((tmp_path / "results.json").read_text())
    functions = sorted({f for r in doc["records"] for f in r["checked"]})
    page = browser(tmp_path / "report.html")
    rows = page.locator("#conformance tbody tr:not(.fam)")
    assert rows.count() == len(functions)

    page.fill("#f-q", "__float__")
    assert rows.all_inner_texts()[0].startswith("__float__") and rows.count() == 1

    page.click("#f-reset")
    page.select_option("#f-status", "known")  # rules with a known violation on numpy
    page.select_option("#f-col", "numpy:cpu")
    violated = {d["function"] for r in doc["records"] for d in r["divergences"]
                if d["status"] == "known" and r["backend"] == "numpy"}
    assert 0 < len(violated) < len(functions) and rows.count() == len(violated)

    page.click("#f-reset")
    page.check("#f-new")  # every violation here is declared
    assert rows.count() == 1 and "No rule matches" in rows.first.inner_text()
