"""``parity docs``: docs/divergences.md is what the registry and the pinned libraries give, and its pieces
render every declaration faithfully (bounds in words, Markdown that cannot break a table)."""

import os
import re
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest

from opinfo.spec import Expected
from parity import docs

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / docs.DEFAULT_OUTPUT
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def parity_docs(*args, cwd, pythonpath=None):
    """The real command in a subprocess; ``pythonpath`` first on the path (a copy of the registry)."""
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join([str(pythonpath), env.get("PYTHONPATH", "")])
    return subprocess.run([sys.executable, "-m", "parity.cli", "docs", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=300)


def needs_every_cpu_backend():
    missing = [b.name for b in docs.cpu_backends() if b.installed()]
    if missing:
        pytest.skip(f"the coverage table needs every CPU backend; not installed: {', '.join(missing)}")


def below_one(sample, ref, impl):
    """input 0 below 1 in magnitude, a description
    wrapped over two lines

    Details that are not part of the description."""
    return abs(sample.args[0]) < 1


# --------------------------------------------------------------------------- the pieces
def test_bound_words_says_each_bound():
    exp = Expected("torch", "value", reason="r", max_ulp=4, where=below_one, match=r"overflow|inf")
    assert docs.bound_words(exp) == ("at most 4 ulp; where: input 0 below 1 in magnitude, a description wrapped over "
                                     r"two lines; match: `overflow\|inf`")
    assert docs.bound_words(Expected("jax", "order", reason="r")) == "–"
    assert docs.bound_words(Expected("jax", "value", reason="r", max_ulp=0.5)) == "at most 0.5 ulp"


def test_md_text_escapes_what_markdown_would_read_as_markup():
    assert docs.md_text("a | b") == r"a \| b"  # a bare pipe would split the cell
    assert docs.md_text("Tensor.__dlpack__(x)") == r"Tensor.\_\_dlpack\_\_(x)"  # not bold
    assert docs.md_text("array_api_strict and jax_enable_x64") == "array_api_strict and jax_enable_x64"
    assert docs.md_text("not implemented for <dtype>, see [1](x)") == r"not implemented for \<dtype\>, see \[1\](x)"
    assert docs.md_text("inf * 0\n   is  NaN") == r"inf \* 0 is NaN"
    assert docs.md_text("If ``a`` is ``x|y``") == r"If `a` is `x\|y`"
    assert docs.md_text("torch refuses `-` here") == "torch refuses `-` here"
    assert docs.md_text("- correction`` is less than ``0``") == "`- correction` is less than `0`"  # cut in a literal
    assert docs.md_text("If ``a`` is ``+0") == "If `a` is `+0`"


def test_code_spans_outlast_backticks_inside():
    assert docs.code("a|b") == r"`a\|b`"
    assert docs.code("the `-` operator") == "``the `-` operator``"
    assert docs.code("`x`") == "`` `x` ``"


def test_coverage_cell():
    assert docs.coverage_cell(True, "match") == docs.CELLS["match"]
    assert docs.coverage_cell(True, "differs: no keyword 'device'") == docs.CELLS["differs"]
    assert docs.coverage_cell(True, "not inspectable") == docs.CELLS["not inspectable"]
    assert docs.coverage_cell(False, None) == docs.CELLS["missing"]
    assert docs.coverage_cell(None, None) == docs.CELLS["not measured"]
    assert len(set(docs.CELLS.values())) == len(docs.CELLS)


def test_declaration_row():
    exp = Expected(("torch", "jax"), "error", dtypes=("uint16", "uint32"), domain="numpy", devices=("cpu",),
                   surface="native", versions={"torch": "<2.9"}, match="not implemented for 'UInt",
                   reason="shell dtypes: 'UInt16' | 'UInt32'", link="https://github.com/pytorch/pytorch/issues/58734")
    assert docs.declaration_row("abs", exp) == [
        "`abs`", "error", "uint16, uint32 (NumPy's domain beyond the standard)",
        "devices cpu; native surface; torch \\<2.9", "match: `not implemented for 'UInt`",
        r"shell dtypes: 'UInt16' \| 'UInt32'",
        "[pytorch/pytorch#58734](https://github.com/pytorch/pytorch/issues/58734)"]
    plain = docs.declaration_row("sort", Expected("dask", "order", reason="r"))
    assert plain[2:4] == ["all", ""] and plain[-1] == ""
    assert docs.dtypes_words(Expected("jax", "dtype", reason="r", domain="any")) == "every case"


def test_link_and_slug():
    assert docs.link("https://numpy.org/neps/nep-0050-scalar-promotion.html") == (
        "[numpy.org/neps/nep-0050-scalar-promotion.html](https://numpy.org/neps/nep-0050-scalar-promotion.html)")
    assert docs.link(None) == ""
    assert docs.slug("torch: elementwise-unary") == "torch-elementwise-unary"
    assert docs.slug("Coverage of the Array API standard 2025.12") == "coverage-of-the-array-api-standard-202512"
    assert docs.slug("array_api_strict") == "array_api_strict"


def test_install_line_names_extras_and_plain_distributions():
    backends = {b.name: b for b in docs.cpu_backends()}
    assert docs.install_line([backends["torch"], backends["jax"], backends["array_api_strict"]]) == (
        "pip install -c constraints.txt -e '.[torch,jax]' array-api-strict")


def test_versions_are_read_back_and_compared():
    text = f"# x\n\n{docs.VERSIONS_LEAD} `jax==0.10.2`, `torch==2.13.0+cpu`.\n"
    assert docs.recorded_versions(text) == {"jax": "0.10.2", "torch": "2.13.0+cpu"}
    assert docs.version_mismatch({"torch": "2.13.0+cpu"}, {"torch": "2.13.0+cpu"}) is None
    assert docs.version_mismatch({"torch": "2.13.0"}, {"torch": "2.14.0"}) == "torch==2.13.0 (here 2.14.0)"
    assert docs.version_mismatch({"dask": "1"}, {}) == "dask==1 (here not installed)"


def test_stale_line_says_why_and_how_to_regenerate():
    new = f"{docs.VERSIONS_LEAD} `numpy==2`.\na\nb\n"
    assert "does not exist" in docs.stale_line(Path("d.md"), None, new)
    assert "at line 3" in docs.stale_line(Path("d.md"), new.replace("b", "c"), new)
    assert "generated with numpy==1 (here 2)" in docs.stale_line(Path("d.md"), new.replace("==2", "==1"), new)
    assert all("parity docs" in docs.stale_line(Path("d.md"), old, new) for old in (None, "x"))


# --------------------------------------------------------------------------- the document, from the real registry
@pytest.fixture(scope="module")
def rendered():
    """The document of the real registry, with a measured column of a namespace holding only ``abs`` and one
    column that could not be measured (no backend is imported)."""
    import opinfo
    from opinfo.conformance import GAPS
    from opinfo.declared import wide_declarations
    from parity import coverage

    spec = docs.SPEC
    namespace = types.SimpleNamespace(abs=lambda x, /: x)
    cells = {r.name: (bool(r.present), r.signature) for r in coverage.coverage(spec, opinfo.REGISTRY, namespace)}
    cov = docs.Coverage(spec, coverage.coverage(spec, opinfo.REGISTRY),
                        [docs.Column("mini", "native", cells), docs.Column("gpu", None, None, "needs CUDA")],
                        {"numpy": "2.0"})
    return opinfo.REGISTRY, GAPS, docs.document(opinfo.REGISTRY, GAPS, cov, wide_declarations)


def test_every_table_row_has_its_header_cells(rendered):
    lines = rendered[2].splitlines()
    header = None
    for line in lines:
        if not line.startswith("|"):
            header = None
        elif header is None:
            header = len(UNESCAPED_PIPE.findall(line))
        else:
            assert len(UNESCAPED_PIPE.findall(line)) == header, line[:200]


def test_every_contents_link_has_its_heading(rendered):
    text = rendered[2]
    anchors = {docs.slug(h) for h in re.findall(r"^#+ (.+)$", text, flags=re.M)}
    targets = re.findall(r"\]\(#([^)]+)\)", text)
    assert targets and not set(targets) - anchors
    assert len(anchors) == len(re.findall(r"^#+ ", text, flags=re.M))  # headings are unique: no -1 suffixes


def test_every_declaration_is_listed_under_each_of_its_backends(rendered):
    registry, gaps, text = rendered
    for backend in ("torch", "dask"):
        section = text.split(f"\n## {backend}\n")[1].split("\n## ")[0]
        want = sum(backend in exp.backends for op in registry.values() for exp in op.expected)
        rows = [ln for ln in section.split(f"### {backend}: conformance gaps")[0].splitlines()
                if ln.startswith("| `")]  # op rows (backend-wide rows start with their category)
        assert len(rows) == want > 0
        assert f"{want} declarations on" in section
        assert f"{sum(g.backend == backend for g in gaps)} conformance gaps." in section


def test_coverage_table_marks_what_the_namespace_has(rendered):
    text = rendered[2]
    present, missing = docs.CELLS["match"], docs.CELLS["missing"]
    assert re.search(rf"^\| `abs` \| elementwise \| {present} \| {present} \| – \|$", text, flags=re.M)
    assert re.search(rf"^\| `sort` \| sorting \| {present} \| {missing} \| – \|$", text, flags=re.M)
    assert "– not measured (gpu needs CUDA)" in text
    assert docs.recorded_versions(text) == {"numpy": "2.0"}


def test_document_is_deterministic(rendered):
    from opinfo.declared import wide_declarations

    registry, gaps, text = rendered
    cov = docs.Coverage(docs.SPEC, [], [], {"numpy": "2.0"})
    assert docs.document(registry, gaps, cov, wide_declarations) == docs.document(registry, gaps, cov,
                                                                                  wide_declarations)
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", text)  # no dates


# --------------------------------------------------------------------------- the command
def test_committed_file_is_fresh():
    """The committed docs/divergences.md is what `parity docs` writes now (on the pinned versions)."""
    needs_every_cpu_backend()
    if not COMMITTED.is_file():
        pytest.fail(f"{docs.DEFAULT_OUTPUT} is missing: run `parity docs` and commit it")
    mismatch = docs.version_mismatch(docs.recorded_versions(COMMITTED.read_text(encoding="utf-8")),
                                     docs.installed_versions())
    if mismatch:
        pytest.skip(f"{docs.DEFAULT_OUTPUT} was generated with {mismatch}: its coverage is not comparable here")
    done = parity_docs("--check", cwd=ROOT)
    assert done.returncode == 0, (f"{docs.DEFAULT_OUTPUT} is out of date: run `parity docs` (or `nox -s docs`) "
                                  f"and commit it\n{done.stdout}{done.stderr}")


def test_a_new_declaration_makes_the_file_stale(tmp_path):
    needs_every_cpu_backend()
    registry = tmp_path / "registry"
    shutil.copytree(ROOT / "opinfo", registry / "opinfo", ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path / "divergences.md"
    written = parity_docs("-o", str(out), cwd=tmp_path, pythonpath=registry)
    assert written.returncode == 0, written.stderr
    with open(registry / "opinfo" / "sorting.py", "a") as module:
        module.write("\nimport dataclasses as _dc  # noqa\nfrom opinfo.spec import Expected as _Expected  # noqa\n"
                     "OPS[0] = _dc.replace(OPS[0], expected=(*OPS[0].expected, "
                     "_Expected('torch', 'shape', reason='planted by tests/test_docs.py')))\n")
    checked = parity_docs("--check", "-o", str(out), cwd=tmp_path, pythonpath=registry)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert checked.stdout.count("\n") == 1 and "out of date" in checked.stdout and "parity docs" in checked.stdout


def test_a_backend_that_does_not_import_is_one_line_and_exit_2(tmp_path):
    needs_every_cpu_backend()
    (tmp_path / "array_api_strict").mkdir()
    (tmp_path / "array_api_strict" / "__init__.py").write_text("raise ImportError('planted by tests/test_docs.py')\n")
    done = parity_docs("-o", str(tmp_path / "d.md"), cwd=tmp_path, pythonpath=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("parity: error: ")
    assert "array_api_strict" in done.stderr and "pip install array-api-strict" in done.stderr
    assert not (tmp_path / "d.md").exists()


def test_a_folder_as_output_is_exit_2(tmp_path):
    done = parity_docs("-o", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "is a directory" in done.stderr
    helped = parity_docs("--help", cwd=tmp_path)
    assert helped.returncode == 0 and "example:\n  parity docs --check" in helped.stdout
