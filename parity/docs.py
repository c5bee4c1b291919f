"""``parity docs``: docs/divergences.md, generated from the registry's declarations and the backends' coverage.

As SciPy generates its array-API capability tables from the declarations that drive its tests, the registry's
declarations (every op's ``Expected``, ``opinfo.declared``'s backend-wide ones, ``opinfo.conformance``'s gaps)
and the standard's coverage (``parity.coverage``, every built-in CPU backend on both surfaces) become one
Markdown file: the documentation cannot drift from what the sweep treats as known. The text is deterministic
(fixed orders, no timestamps) and states the library versions the coverage was measured with. Only the
standard library (and parity.options, which needs no more) is imported at module level, so that building the
``parity`` parser stays cheap.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from parity.options import usage_error as _error

DEFAULT_OUTPUT = "docs/divergences.md"
SPEC = "2025.12"
REGENERATE = "run `parity docs` (or `nox -s docs`) and commit the file"
VERSIONS_LEAD = "Coverage measured with"
#: Coverage cells: present with the standard's signature, another signature, a builtin inspect cannot
#: read, absent, and a column that could not be measured here.
CELLS = {"match": "✓", "differs": "≠", "not inspectable": "?", "missing": "✗", "not measured": "–"}
DOMAIN_WORDS = {"standard": "the standard's cases", "numpy": "NumPy's domain beyond the standard",
                "beyond": "all but the standard's one-dtype cases", "any": "every case"}
#: A backend-wide declaration carried by this many ops or fewer names them; more are counted.
NAMED_OPS = 6


class DocsError(ValueError):
    """What keeps ``parity docs`` from generating the file (one line: what is wrong, what to do)."""


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("docs", help="write docs/divergences.md: every declared divergence and the coverage table",
                       epilog="example:\n  parity docs --check", formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-o", "--output", default=DEFAULT_OUTPUT, help=f"the Markdown file (default {DEFAULT_OUTPUT})")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 when the file differs from what would be generated now")
    return p


def run(args) -> int:
    from parity.results import write_atomic

    path = Path(args.output)
    if path.is_dir():
        return _error(f"{path} is a directory: give the Markdown file to write with -o")
    try:
        text = generate()
    except DocsError as exc:
        return _error(str(exc))
    if args.check:
        try:
            old = path.read_text(encoding="utf-8", errors="replace") if path.exists() else None
        except OSError as exc:
            return _error(f"cannot read {path}: {exc.strerror}")
        if old == text:
            print(f"{path} is up to date")
            return 0
        print(stale_line(path, old, text))
        return 1
    try:
        write_atomic(path, text)
    except OSError as exc:
        return _error(f"cannot write {exc.filename or path}: {exc.strerror}")
    print(f"wrote {path} ({len(text.splitlines())} lines)")
    return 0


def stale_line(path: Path, old: str | None, new: str) -> str:
    """Why the file differs, in one line: missing, other library versions, or the first differing line."""
    if old is None:
        return f"{path} does not exist: {REGENERATE}"
    mismatch = version_mismatch(recorded_versions(old), recorded_versions(new))
    if mismatch:
        return f"{path} was generated with {mismatch}: install the pinned versions (constraints.txt), or {REGENERATE}"
    first = next((i for i, (a, b) in enumerate(zip(old.splitlines(), new.splitlines()), 1) if a != b),
                 min(len(old.splitlines()), len(new.splitlines())) + 1)
    return f"{path} is out of date (first difference at line {first}): {REGENERATE}"


# --------------------------------------------------------------------------- versions
def recorded_versions(text: str) -> dict[str, str]:
    """The library versions a generated file states (its ``Coverage measured with`` line)."""
    line = next((ln for ln in text.splitlines() if ln.startswith(VERSIONS_LEAD)), "")
    return dict(re.findall(r"`([^`=\s]+)==([^`\s]+)`", line))


def version_mismatch(recorded: dict[str, str], here: dict[str, str]) -> str | None:
    """'torch==2.13.0 (here 2.14.0)' for the first library whose version differs, or None."""
    for dist in sorted(set(recorded) | set(here)):
        if recorded.get(dist) != here.get(dist):
            return f"{dist}=={recorded.get(dist, '(none)')} (here {here.get(dist, 'not installed')})"
    return None


def cpu_backends() -> list:
    """The built-in backends that run on a CPU: the coverage table needs every one of them."""
    from parity.backends import builtin_backends

    return [b for b in builtin_backends().values() if "cpu" in b.devices]


def installed_versions() -> dict[str, str]:
    """The installed versions of what the coverage table depends on: each CPU backend's distributions, and
    array-api-compat (the Array API surface of libraries without their own). Metadata only: no import."""
    found = {}
    for dist in dict.fromkeys([*(lib for b in cpu_backends() for lib in b.libraries()), "array-api-compat"]):
        try:
            found[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            pass
    return found


def install_line(backends: Sequence) -> str:
    extras = [b.extra for b in backends if b.extra]
    plain = [b.dist for b in backends if not b.extra]
    return " ".join(["pip install -c constraints.txt", *([f"-e '.[{','.join(extras)}]'"] if extras else []), *plain])


# --------------------------------------------------------------------------- coverage
@dataclass(frozen=True)
class Column:
    """One backend's namespace on one surface; ``cells`` None: not measured (``why``)."""

    backend: str
    surface: str | None
    cells: dict[str, tuple[bool, str | None]] | None  # function -> (present, signature)
    why: str = ""


@dataclass(frozen=True)
class Coverage:
    spec: str
    functions: list  # parity.coverage.Row: name, category, has_entry
    columns: list[Column]
    versions: dict[str, str]


def measure_coverage(spec: str, registry: dict) -> Coverage:
    """Every built-in CPU backend's namespaces against the standard; a backend that is not installed (or
    does not import) is a DocsError naming what to install, so that the file never depends on chance."""
    from parity import coverage
    from parity.backend import BackendUnavailable
    from parity.backends import builtin_backends

    missing = [b for b in cpu_backends() if b.installed()]  # known without importing them
    if missing:
        raise DocsError(f"the coverage table needs every built-in CPU backend; not installed: "
                        f"{', '.join(b.name for b in missing)} ({install_line(missing)})")
    columns = []
    for backend in builtin_backends().values():
        if "cpu" not in backend.devices:
            columns.append(Column(backend.name, None, None, "needs " + " or ".join(d.upper() for d in backend.devices)))
            continue
        for surface in ("native", "array-api"):
            try:
                namespace = backend.surface_namespace(surface, "cpu")
            except BackendUnavailable as exc:
                raise DocsError(f"{exc} (the coverage table needs every built-in CPU backend)") from None
            rows = coverage.coverage(spec, registry, namespace)
            columns.append(Column(backend.name, surface, {r.name: (bool(r.present), r.signature) for r in rows}))
    return Coverage(spec, coverage.coverage(spec, registry), columns, installed_versions())


def coverage_cell(present: bool | None, signature: str | None) -> str:
    """The symbol of one function in one namespace (:data:`CELLS`); ``present`` None: not measured."""
    if not present:
        return CELLS["not measured" if present is None else "missing"]
    return CELLS["differs" if (signature or "").startswith("differs") else signature or "not inspectable"]


# --------------------------------------------------------------------------- Markdown
def code(text: str) -> str:
    """``text`` as a code span inside a table cell: a fence longer than any backtick run in it, ``|``
    escaped (GitHub's tables split cells on a bare ``|``, even inside code)."""
    text = " ".join(str(text).split())
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text.replace('|', chr(92) + '|')}{pad}{fence}"


def md_text(text: str) -> str:
    """Plain text (a reason, a predicate's description) for a table cell: one line, double- and single-backtick
    literals as code, and everything else escaped that Markdown would read as markup (``__dlpack__`` as
    bold, ``<dtype>`` as a tag, ``[a](b)`` as a link, ``|`` as a cell border)."""
    text, out, end = " ".join(str(text).split()), [], 0
    if text.count("``") % 2:  # a quoted fragment that starts or ends inside a literal: close it
        first = text.find("``")
        text = "``" + text if first > 0 and not text[first - 1].isspace() else text + "``"
    for m in re.finditer(r"``(.+?)``|`([^`]+)`", text):
        out += [_escape(text[end:m.start()]), code(m.group(1) or m.group(2))]
        end = m.end()
    return "".join([*out, _escape(text[end:])])


def _escape(plain: str) -> str:
    plain = re.sub(r"([\\`*\[\]<>|~])", r"\\\1", plain)
    return re.sub(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", r"\\_", plain)  # intraword _ is never emphasis


def link(url: str | None) -> str:
    """A Markdown link labelled as people cite it: ``owner/repo#123`` for a GitHub issue or pull request."""
    if not url:
        return ""
    m = re.match(r"https://github\.com/([^/]+/[^/]+)/(?:issues|pull|discussions)/(\d+)", url)
    label = f"{m.group(1)}#{m.group(2)}" if m else url.removeprefix("https://").rstrip("/")
    target = url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("|", "%7C")
    return f"[{_escape(label)}]({target})"


def slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation but ``-`` and ``_`` dropped, spaces as ``-``."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]


def _optional_column(header: list[str], rows: list[list[str]], index: int) -> tuple[list[str], list[list[str]]]:
    """Drop column ``index`` where no row fills it (devices, surfaces and versions are rarely set)."""
    if any(row[index] for row in rows):
        return header, rows
    return header[:index] + header[index + 1:], [row[:index] + row[index + 1:] for row in rows]


# --------------------------------------------------------------------------- declarations
def bound_words(exp) -> str:
    """What bounds a declaration, in words: the largest ULP distance, the inputs (``where``'s docstring),
    the pattern of the detail (``match``); '–' where only the category and the cases bound it."""
    from opinfo.where import describe

    parts = []
    if exp.max_ulp is not None:
        parts.append(f"at most {exp.max_ulp:g} ulp")
    if exp.where is not None:
        parts.append("where: " + md_text(describe(exp.where)))
    if exp.match is not None:
        parts.append("match: " + code(exp.match))
    return "; ".join(parts) or "–"


def dtypes_words(exp) -> str:
    """Which cases: the dtypes named (or "all": the op's own dtypes, the standard's one-dtype cases),
    within the declaration's domain when it has one."""
    scope = DOMAIN_WORDS.get(exp.domain, exp.domain) if exp.domain else ""
    if exp.dtypes is None:
        return scope or "all"
    return ", ".join(exp.dtypes) + (f" ({scope})" if scope else "")


def scope_words(exp) -> str:
    """Devices, surface and library versions, where the declaration is limited to some."""
    parts = []
    if exp.devices is not None:
        parts.append("devices " + ", ".join(exp.devices))
    if exp.surface is not None:
        parts.append(f"{exp.surface} surface")
    parts += [f"{package} {spec}" for package, spec in sorted(exp.versions.items())]
    return md_text("; ".join(parts))


def declaration_row(op_name: str, exp) -> list[str]:
    """op, category, dtypes, scope, bound, reason, link: one declaration as a table row."""
    return [code(op_name), exp.category, dtypes_words(exp), scope_words(exp), bound_words(exp), md_text(exp.reason),
            link(exp.link)]


def wide_rows(backend: str, registry: dict, wide: Callable) -> list[list[str]]:
    """The backend-wide declarations naming ``backend``: one row per distinct text (several ops carry
    the same declaration, bounded per op), with the ops that carry it."""
    carried: dict[tuple[str, ...], list[str]] = {}
    for name in sorted(registry):
        for exp in wide(registry[name]):
            if backend in exp.backends:
                row = (exp.category, dtypes_words(exp), scope_words(exp), bound_words(exp), md_text(exp.reason),
                       link(exp.link))
                carried.setdefault(row, []).append(name)
    rows = []
    for row, ops in carried.items():
        named = ("every op" if len(ops) == len(registry) else ", ".join(code(n) for n in ops) if len(ops) <= NAMED_OPS
                 else f"{len(ops)} ops")
        rows.append([row[0], row[1], row[2], row[3], named, row[4], row[5]])
    return rows


def gap_rows(gaps: Iterable) -> list[list[str]]:
    """Conformance gaps, one row per function and reason with its rule fragments (their RST literals
    as code), in the order of the areas and then of the functions."""
    from opinfo.conformance import AREAS, WHERE

    grouped: dict[tuple, list[str]] = {}
    for g in sorted(gaps, key=lambda g: (list(AREAS).index(g.area), g.function)):
        key = (g.area, g.function, g.dtypes, g.surface, g.where, g.reason, g.link)
        grouped.setdefault(key, []).append(g.rule)
    rows = []
    for (area, function, dtypes, surface, where, reason, url), rules in grouped.items():
        kind, _, dtype = (where or "").partition(":")
        bound = WHERE.get(f"{kind}:<dtype>", "").replace("<dtype>", dtype) if dtype else WHERE.get(where or "", "")
        rules_text = "; ".join(md_text(r) for r in rules if r) or "any rule"
        rows.append([area, code(function), rules_text, ", ".join(dtypes) or "all", md_text(surface or ""),
                     "where: " + md_text(bound) if bound else "–", md_text(reason), link(url)])
    return rows


def declared_backends(registry: dict, gaps: Sequence) -> list[str]:
    """The built-in backends in their order, then any other backend a declaration names, sorted."""
    from opinfo.spec import BUILTIN_BACKENDS

    named = {b for op in registry.values() for exp in op.expected for b in exp.backends} | {g.backend for g in gaps}
    return [*BUILTIN_BACKENDS, *sorted(named - set(BUILTIN_BACKENDS))]


def families_of(backend: str, registry: dict) -> dict[str, list[list[str]]]:
    """Family -> rows of the op declarations naming ``backend`` (families in the registry's order, ops
    by name, each op's declarations in its order: the first that covers a divergence wins)."""
    from opinfo.spec import FAMILIES

    rows: dict[str, list[list[str]]] = {}
    for name in sorted(registry, key=lambda n: (FAMILIES.index(registry[n].family), n)):
        for exp in registry[name].expected:
            if backend in exp.backends:
                rows.setdefault(registry[name].family, []).append(declaration_row(name, exp))
    return rows


# --------------------------------------------------------------------------- the document
def document(registry: dict, gaps: Sequence, cov: Coverage, wide: Callable) -> str:
    """The whole file, from plain data: the registry, the conformance gaps, the measured coverage and
    the function giving an op's backend-wide declarations."""
    from opinfo.spec import CATEGORIES

    backends = declared_backends(registry, gaps)
    sections = {b: (families_of(b, registry), wide_rows(b, registry, wide), [g for g in gaps if g.backend == b])
                for b in backends}
    cov_title = f"Coverage of the Array API standard {cov.spec}"
    lines = ["# Declared divergences and Array API coverage", "",
             "Generated by `parity docs` (`nox -s docs`) from the registry's declarations (`opinfo/`) and from each "
             "backend's namespaces: do not edit it by hand. `parity docs --check` (and `tests/test_docs.py`) fail "
             "when it is out of date.", "",
             "A declaration (`Expected` in `opinfo/`) makes a divergence from NumPy/SciPy *known* for a backend: "
             "its category, the cases it covers, its bound (the largest ULP distance, the inputs it holds for, the "
             "error it expects), a reason and usually an upstream link. Anything beyond it is *new*. A conformance "
             "gap does the same for a rule of the Array API standard. Categories: see the README's "
             "[How to read a result](../README.md#how-to-read-a-result).", "",
             f"{VERSIONS_LEAD} " + ", ".join(f"`{d}=={v}`" for d, v in sorted(cov.versions.items())) + ".", "",
             "## Contents", "", "- [Summary](#summary)"]
    for b in backends:
        families, wides, own_gaps = sections[b]
        lines.append(f"- [{b}](#{slug(b)})")
        heads = [*(["backend-wide"] if wides else []), *families, *(["conformance gaps"] if own_gaps else [])]
        lines += [f"  - [{h}](#{slug(f'{b}: {h}')})" for h in heads]
    lines += [f"- [{cov_title}](#{slug(cov_title)})", "", "## Summary", "",
              "Declarations per backend: on ops by category, backend-wide (distinct texts) and conformance gaps "
              "(rule fragments).", ""]
    counts = []
    for b in backends:
        families, wides, own_gaps = sections[b]
        cats = [row[1] for rows in families.values() for row in rows]
        ops = {row[0] for rows in families.values() for row in rows}
        counts.append([f"[{b}](#{slug(b)})", str(len(ops)), str(len(cats)), *(str(cats.count(c)) for c in CATEGORIES),
                       str(len(wides)), str(len(own_gaps))])
    lines += table(["backend", "ops", "declarations", *CATEGORIES, "backend-wide", "conformance gaps"], counts)
    for b in backends:
        lines += ["", *backend_section(b, *sections[b])]
    return "\n".join([*lines, "", *coverage_section(cov_title, cov)]) + "\n"


def backend_section(backend: str, families: dict, wides: list, gaps: Sequence) -> list[str]:
    rows = [row for family_rows in families.values() for row in family_rows]
    lines = [f"## {backend}", "", f"{len(rows)} declarations on {len({row[0] for row in rows})} ops, "
             f"{len(wides)} backend-wide, {len(gaps)} conformance gaps."]
    if wides:
        header, rows = _optional_column(["category", "dtypes", "scope", "bound", "ops", "reason", "link"], wides, 2)
        lines += ["", f"### {backend}: backend-wide", "", "Declared once for every op they apply to "
                  "(`opinfo/declared.py`), each bounded by what the inputs or outcomes have in common.", "",
                  *table(header, rows)]
    for family, rows in families.items():
        header, rows = _optional_column(["op", "category", "dtypes", "scope", "bound", "reason", "link"], rows, 3)
        lines += ["", f"### {backend}: {family}", "", *table(header, rows)]
    if gaps:
        rows = gap_rows(gaps)
        header, rows = _optional_column(["area", "function", "rule", "dtypes", "surface", "bound", "reason", "link"],
                                        rows, 4)
        lines += ["", f"### {backend}: conformance gaps", "", "Departures from the standard's rules "
                  "(`opinfo/conformance.py`): a gap covers a violation of the rule it quotes.", "",
                  *table(header, rows)]
    return lines


def coverage_section(title: str, cov: Coverage) -> list[str]:
    legend = (f"{CELLS['match']} present, with a signature that accepts every call the standard allows; "
              f"{CELLS['differs']} present, signature differs (listed below); {CELLS['not inspectable']} present, "
              f"signature not inspectable (a builtin); {CELLS['missing']} missing; {CELLS['not measured']} not "
              "measured" + "".join(f" ({c.backend} {c.why})" for c in cov.columns if c.cells is None) + ".")
    lines = [f"## {title}", "",
             f"Per function of the standard ({len(cov.functions)}): whether the registry has an entry, and whether "
             "each backend's namespace has it: `native` is the library's own namespace, `array-api` its Array API "
             "namespace (its `__array_namespace__`, else array-api-compat's). One column at a time: `parity coverage "
             f"--spec {cov.spec} --backend NAME --surface SURFACE`.", "", legend, ""]
    summary = []
    for c in cov.columns:
        if c.cells is None:
            summary.append([c.backend, "", f"not measured ({c.why})", "", "", "", ""])
            continue
        signatures = [coverage_cell(*cell) for cell in c.cells.values()]
        summary.append([c.backend, c.surface, str(sum(p for p, _ in c.cells.values())),
                        *(str(signatures.count(CELLS[k])) for k in ("match", "differs", "not inspectable", "missing"))])
    lines += table(["backend", "surface", "present", *(CELLS[k] for k in ("match", "differs", "not inspectable",
                                                                         "missing"))], summary)
    header = ["function", "category", "entry", *(f"{c.backend}<br>{c.surface}" if c.surface else c.backend
                                                 for c in cov.columns)]
    rows = [[code(f.name), f.category, CELLS["match"] if f.has_entry else CELLS["missing"],
             *(coverage_cell(*c.cells[f.name]) if c.cells is not None else CELLS["not measured"]
               for c in cov.columns)] for f in cov.functions]
    differs = [[code(f.name), c.backend, c.surface, md_text(c.cells[f.name][1].removeprefix("differs: "))]
               for f in cov.functions for c in cov.columns
               if c.cells is not None and coverage_cell(*c.cells[f.name]) == CELLS["differs"]]
    lines += ["", *table(header, rows), "", "### Signature differences", "",
              *table(["function", "backend", "surface", "difference"], differs)]
    return lines


def generate(spec: str = SPEC) -> str:
    """The file as it would be generated now (DocsError when a CPU backend is missing)."""
    import opinfo
    from opinfo.conformance import GAPS
    from opinfo.declared import wide_declarations

    return document(opinfo.REGISTRY, GAPS, measure_coverage(spec, opinfo.REGISTRY), wide_declarations)
