"""``parity new-op``: write a ready-to-edit registry entry for a NumPy/SciPy function, then run it on NumPy.

A newcomer would otherwise learn the entry's fields, the family's helpers and the module's layout before a first
run. This inspects the reference (a ufunc's arity and loops; a function's signature, the dtypes it accepts, whether
it acts element by element), writes an entry with every field commented (``templates/new_op.py.j2``) into the
module holding the family's entries, proves the registry still imports, runs the entry on NumPy against itself (a
difference there is the entry's fault) and prints the next steps. numpy and opinfo are imported in functions only:
building the ``parity`` parser must stay cheap.
"""

from __future__ import annotations

import argparse
import ast
import functools
import importlib
import inspect
import json
import os
import re
import subprocess
import sys
import textwrap
import warnings
from collections import Counter, namedtuple
from pathlib import Path

from parity.options import usage_error

EXIT_OK, EXIT_FOUND = 0, 1
LINE = 120  # pyproject's line length: the written module stays ruff-clean
NAME = re.compile(r"[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*")
#: opinfo.dtypes groups an entry's dtypes are spelled with, largest first (what is left: a literal tuple)
GROUPS = ("ALL", "NUMERIC", "REAL", "INEXACT", "INTEGER", "FLOAT", "COMPLEX", "SIGNED", "UNSIGNED", "BOOL")
#: a family's own helpers (samples, strategy) for a one-array function, used where its module defines them
MODULE_HELPERS = {"linalg": ("_square_samples", "_square_strategy"), "fft": ("_samples_1d", "_strategy_1d"),
                  "set": ("_unique_samples", "_with_repeats")}
AXIS_FAMILIES = ("reduction", "statistics", "searching", "sorting")
AXES = "every axis form, special values, layouts, empty"


class NewOpError(Exception):
    """A refusal: one line saying what is wrong and what to do (exit status 2)."""


def add_parser(sub):
    p = sub.add_parser("new-op", help="write a commented registry entry for a NumPy/SciPy function, run it on NumPy",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog="example:\n  parity new-op logaddexp2 --family elementwise-binary --ref numpy.logaddexp2")
    p.add_argument("name", help="the registry name, as the Array API or NumPy spells it (logaddexp2, linalg.xyz)")
    p.add_argument("--family", required=True, help="one of opinfo.spec.FAMILIES: picks the module and the helpers")
    p.add_argument("--ref", metavar="DOTTED", help="the reference (default numpy.NAME; special.X: scipy.special.X)")
    p.add_argument("--out", metavar="DIR", help="where the NumPy run writes its results (default reports/new-op/NAME)")
    p.add_argument("--dry-run", action="store_true", help="print the entry; write and run nothing")
    return p


def run(args) -> int:
    out = Path(args.out or Path("reports", "new-op", args.name))
    try:
        plan = make_plan(args.name, args.family, args.ref)
        if args.dry_run:
            added = f"; adds to its imports: {'; '.join(plan.imports)}" if plan.imports else ""
            print(f"# into {plan.shown} at line {plan.line}{added}\n\n{plan.entry}", end="")
            return EXIT_OK
        if (out / "results.json").exists():
            raise NewOpError(f"{out} already holds a run's results: give another --out")
        write(plan)
    except NewOpError as exc:
        return usage_error(str(exc))
    print(f"wrote {plan.name!r} into {plan.shown} at line {plan.line} (reference {plan.ref_path})")
    return self_parity(plan, out)


# --------------------------------------------------------------------------- inspecting the reference
def default_ref(name: str) -> str:
    """Registry names follow their reference: ``special.X`` is scipy.special's X, anything else NumPy's."""
    return f"scipy.{name}" if name.startswith("special.") else f"numpy.{name}"


def resolve_ref(path: str):
    """The callable a dotted NumPy/SciPy path names (the longest importable module, then attributes)."""
    parts = path.split(".")
    if parts[0] not in ("numpy", "scipy") or len(parts) < 2 or not all(p.isidentifier() for p in parts):
        raise NewOpError(f"--ref {path!r} is not a NumPy or SciPy function's path (numpy.xyz, scipy.special.xyz)")
    for i in range(len(parts) - 1, 0, -1):
        try:
            obj = functools.reduce(getattr, parts[i:], importlib.import_module(".".join(parts[:i])))
        except ImportError:
            continue
        except AttributeError:
            raise NewOpError(f"--ref {path!r} cannot be imported: {'.'.join(parts[:i])} has no {'.'.join(parts[i:])}") \
                from None
        if not callable(obj) or isinstance(obj, type):
            raise NewOpError(f"--ref {path!r} is a {type(obj).__name__}, not a function: name a callable")
        return obj
    raise NewOpError(f"--ref {path!r} cannot be imported")


def _call(f, *args, **kwargs):
    """``f(*args, **kwargs)``, or the exception it raised; NumPy's warnings silenced (a probe asks what it accepts)."""
    import numpy as np

    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return f(*args, **kwargs)
    except Exception as exc:  # the reference refusing the input is the answer
        return exc


def _raises(f, *args, **kwargs) -> bool:
    return isinstance(_call(f, *args, **kwargs), Exception)


def loop_dtypes(ufunc, names) -> tuple[str, ...]:
    """The dtypes among ``names`` a ufunc has loops of their own for: those it is defined for. What it takes
    by casting (sin of int8 computes in float16) is NumPy's wider domain, which tools/derive_numpy_domain.py
    records apart."""
    from opinfo.dtypes import numpy_dtype

    def own_loop(dt) -> bool:
        try:
            return all(d == dt for d in ufunc.resolve_dtypes((dt,) * ufunc.nin + (None,) * ufunc.nout)[:ufunc.nin])
        except (TypeError, ValueError):  # no loop, not even by casting
            return False

    return tuple(name for name in names if own_loop(numpy_dtype(name)))


def accepted_dtypes(ref, nargs: int, names) -> tuple[str, ...]:
    """The dtypes among ``names`` a function accepts ordinary values of, in one or two dimensions (rot90 needs
    two): a function names no loops, so what it takes (casting included) is all there is to go by."""
    from opinfo.dtypes import numpy_dtype
    from opinfo.samples import ordinary_values

    def takes(x) -> bool:
        return not _raises(ref, *[x] * max(nargs, 1)) or not _raises(ref, *[x.reshape(3, 4)] * max(nargs, 1))

    return tuple(n for n in names if takes(ordinary_values(numpy_dtype(n))))


def is_elementwise(ref, nargs: int, dtype) -> bool:
    """Whether each element of the result depends on the same element of the inputs alone: the call on each
    one-element slice of special values gives the same bits as the whole call."""
    from opinfo.samples import special_values

    x = special_values(dtype)
    args = (x, x[::-1])[:max(nargs, 1)]
    whole = _call(ref, *args)  # a refusal (an exception) is no evidence of an elementwise function
    return getattr(whole, "shape", None) == x.shape and all(
        getattr(part, "dtype", None) == whole.dtype and part.tobytes() == whole[i:i + 1].tobytes()
        for i in range(x.size) for part in [_call(ref, *(a[i:i + 1] for a in args))])


def dtype_expression(dtypes) -> tuple[str, list[str]]:
    """``dtypes`` as the registry writes them (``FLOAT``, ``INTEGER + BOOL``) and the groups it names."""
    import opinfo.dtypes as vocabulary

    rest, used = [d for d in vocabulary.DTYPE_NAMES if d in dtypes], []
    for group in GROUPS:
        if rest and set(getattr(vocabulary, group)) <= set(rest):
            used.append(group)
            rest = [d for d in rest if d not in getattr(vocabulary, group)]
    return " + ".join(used + ([_strings(rest)] if rest else [])), used


def _strings(names) -> str:
    names = [json.dumps(n) for n in names]
    return f"({', '.join(names)}{',' if len(names) == 1 else ''})"


def pick_module(entries, family: str) -> str | None:
    """The module holding most of ``family``'s entries (``entries``: (module, family) pairs), or None."""
    return next(iter(Counter(module for module, fam in entries if fam == family).most_common(1)), (None,))[0]


#: A samples or strategy function (``opinfo.samples``'s or the module's own) and its keyword arguments.
Helper = namedtuple("Helper", "name kwargs", defaults=((),))


def expression(helper: Helper) -> str:
    """How the entry names a helper: itself, or a lambda passing its keyword arguments."""
    given = ", ".join(f"{k}={v!r}" for k, v in helper.kwargs)
    return f"lambda dt: {helper.name}(dt, {given})" if given else helper.name


def choose_helpers(family, nargs, params, module_names, ufunc, accepts_tuple) -> tuple[Helper, Helper, str]:
    """Samples and strategy: a ufunc's by its arity, a function's by its family and signature."""
    if ufunc or family.startswith("elementwise-") or nargs == 2 and family not in AXIS_FAMILIES:
        if nargs not in (1, 2):
            raise NewOpError(f"the reference takes {nargs} arrays: no shared helper fits, write this entry by hand")
        kind = ("unary", "binary")[nargs - 1]
        what = ("special values, a dense corpus, layouts, 0-d, empty", "every pair of special values, a dense "
                "corpus, broadcasting, Python scalars")[nargs - 1]
        return Helper(f"{kind}_samples"), Helper(f"{kind}_strategy"), what
    own = MODULE_HELPERS.get(family, ())
    if own and nargs == 1 and set(own) <= module_names:
        return Helper(own[0]), Helper(own[1]), f"the {family} family's own inputs"
    if family == "sorting" and "axis" in params:
        return Helper("reduction_samples", (("keepdims", False),)), Helper("axis_strategy"), AXES
    if family in AXIS_FAMILIES and "axis" in params:
        keepdims = () if "keepdims" in params else (("keepdims", False),)
        return (Helper("reduction_samples", keepdims),
                Helper("reduction_strategy", (() if accepts_tuple else (("allow_tuple", False),)) + keepdims), AXES)
    return Helper("unary_samples"), Helper("unary_strategy"), "one array: dense corpus, special values, layouts"


def _signature(ref, ufunc) -> tuple[int, dict, str]:
    """How many arrays the reference takes (required positional parameters), its parameters, in words."""
    if ufunc:
        return ref.nin, {}, f"a ufunc, {ref.nin} input{'s' * (ref.nin > 1)} and {ref.nout} output{'s' * (ref.nout > 1)}"
    try:
        sig = inspect.signature(ref)
    except (TypeError, ValueError):
        return 1, {}, "no signature to read"
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    nargs = sum(p.kind in positional and p.default is p.empty for p in sig.parameters.values())
    return nargs, sig.parameters, f"signature {sig}"


# --------------------------------------------------------------------------- the entry and the edited module
#: What ``new-op`` writes: ``source`` is the module (``path``, ``shown`` relative) with the entry at ``line`` and the
#: ``imports`` it needs; ``root`` the opinfo package imported (a copy on PYTHONPATH, in tests): the one edited.
Plan = namedtuple("Plan", "name ref_path root path shown entry source line imports")


def make_plan(name: str, family: str, ref_path: str | None) -> Plan:
    """Every check, the entry's text and the edited module; raises NewOpError for what cannot be added."""
    from opinfo.spec import FAMILIES

    if family not in FAMILIES:
        raise NewOpError(f"unknown family {family!r}: choose one of {', '.join(FAMILIES)}")
    if not NAME.fullmatch(name):
        raise NewOpError(f"{name!r} is not a registry name: lower-case words joined by '_' or '.' (linalg.xyz)")
    import opinfo
    from opinfo import registry

    modules = {op.name: m for m in registry.FAMILY_MODULES for op in m.OPS}
    if name in modules:
        raise NewOpError(f"{name!r} is already in the registry (opinfo/{Path(modules[name].__file__).name}): edit that "
                         "entry instead")
    ref_path = ref_path or default_ref(name)
    ref = resolve_ref(ref_path)
    twin = next((op for op in registry.REGISTRY.values() if op.ref is ref), None)
    if twin is not None:
        raise NewOpError(f"{ref_path} is the reference of the existing entry {twin.name!r}, so {name!r} is an alias: "
                         f"give {twin.name!r} a doc line or a spelling instead")
    module_name = pick_module([(m.__name__.rsplit(".", 1)[-1], op.family) for m in registry.FAMILY_MODULES
                               for op in m.OPS], family)
    if module_name is None:
        raise NewOpError(f"no module holds an entry of family {family!r} yet: write the first by hand "
                         "(opinfo/registry.py lists the family modules)")
    module = importlib.import_module(f"opinfo.{module_name}")
    path = Path(module.__file__)
    text = path.read_bytes().decode()  # not read_text: its newline translation would rewrite every line ending
    lines, tree = text.splitlines(keepends=True), ast.parse(text)
    entry, wanted = compose(name, family, ref_path, ref, module, tree)
    edits, imports = import_edits(tree, wanted)
    new, root = apply_edits(lines, edits + entry_edits(lines, tree, entry)), Path(opinfo.__file__).parent
    return Plan(name, ref_path, root, path, str(path.relative_to(root.parent)), entry, "".join(new),
                new.index(entry.splitlines(keepends=True)[0]) + 1, tuple(imports))


def compose(name, family, ref_path, ref, module, tree) -> tuple[str, dict]:
    """The entry's text and the names it needs from opinfo modules."""
    import numpy as np

    from opinfo import samples as shared
    from opinfo.dtypes import DTYPE_NAMES, EXTRA_DTYPES, numpy_dtype
    from opinfo.spec import reference_name

    ufunc = isinstance(ref, np.ufunc)
    nargs, params, about = _signature(ref, ufunc)
    arity = {"elementwise-unary": 1, "elementwise-binary": 2}.get(family)
    if arity is not None and nargs != arity:
        raise NewOpError(f"{ref_path} takes {nargs} array argument(s), family {family!r} takes {arity}: choose another")
    found = loop_dtypes(ref, DTYPE_NAMES) if ufunc else accepted_dtypes(ref, nargs, DTYPE_NAMES)
    dtypes = tuple(d for d in found if d not in EXTRA_DTYPES)
    if not dtypes:
        raise NewOpError(f"{ref_path} accepts none of the registry's dtypes ({', '.join(DTYPE_NAMES)})")
    dt = numpy_dtype("float64" if "float64" in dtypes else dtypes[0])
    accepts_tuple = not _raises(ref, shared.ordinary_values(dt).reshape(3, 4), axis=(0, 1))
    samples, strategy, what = choose_helpers(family, nargs, params, _bound_names(tree), ufunc, accepts_tuple)
    built = getattr(module if samples.name in vars(module) else shared, samples.name)(dt, **dict(samples.kwargs))
    refused = [s for s in built if _raises(ref, *s.args, **s.kwargs)]

    parts = ref_path.split(".")  # the module's plain imports, by the name they bind (numpy: np):
    imported = {a.name: a.asname or a.name for node in tree.body if isinstance(node, ast.Import) for a in node.names}
    needed = "numpy" if parts[0] == "numpy" else ".".join(parts[:-1])
    if needed not in imported:  # every family module imports numpy; a SciPy module is the contributor's to add
        raise NewOpError(f"{Path(module.__file__).name} does not import {needed}: add `import {needed}`, run again")
    ref_expr = ".".join([imported["numpy"], *parts[1:]]) if parts[0] == "numpy" else ref_path
    wanted = {"opinfo.spec": ["op"]}
    spellings = "{}"
    if functools.reduce(lambda obj, part: getattr(obj, part, None), name.split("."), np) is not ref:
        # the numpy backend looks the op's name up in NumPy's namespace: spell the reference there
        in_numpy = parts[0] == "numpy"
        spellings = f'{{"numpy": {json.dumps(".".join(parts[1:])) if in_numpy else f"reference_function({ref_expr})"}}}'
        wanted["opinfo.adapters"] = [] if in_numpy else ["reference_function"]
    dtypes_expr, wanted["opinfo.dtypes"] = dtype_expression(dtypes)
    wanted["opinfo.samples"] = [h.name for h in (samples, strategy) if h.name not in vars(module)]
    example = next((op for op in module.OPS if op.family == family and any(e.link for e in op.expected)),
                   next((op for op in module.OPS if op.expected), None))
    header = [f"{name}: written by `parity new-op` from {ref_path} ({about}). Edit what each comment asks; the "
              "comments may go once done."]
    if refused:
        header.append(f"NumPy refuses {len(refused)} of these {len(built)} fixed samples in {dt} (the first: "
                      f"{refused[0].note or dict(refused[0].kwargs)}): both sides raise there; keep them as error "
                      "checks or write samples of its own.")
    values = {"name": json.dumps(name), "family": json.dumps(family), "ref": ref_expr, "dtypes": dtypes_expr,
              "extra_dtypes": _strings(d for d in found if d in EXTRA_DTYPES), "samples": expression(samples),
              "strategy": expression(strategy), "spellings": spellings,
              "elementwise": str(ufunc or (nargs in (1, 2) and is_elementwise(ref, nargs, dt))),
              "reference_name": "" if reference_name(name, ref) else json.dumps(ref_path)}
    facts = {"header": header, "field": values, "ufunc": ufunc, "what": what,
             "example": repr(example.name) if example else ""}
    return str(_template().module.entry(facts)), wanted


def commented(text, indent: str, value=None, comment=None) -> str:
    """Comment lines (``text``: one paragraph or a list) or, with ``value``, the field ``text=value,`` with
    ``comment`` beside it where the line allows, else above it: the entry template's filter."""
    def wrap(paragraphs):
        width = LINE - len(indent) - 2
        return [f"{indent}# {c}" for p in paragraphs for c in textwrap.wrap(p, width, break_long_words=False)]

    if value is None:
        return "\n".join(wrap([text] if isinstance(text, str) else text))
    line = f"{indent}{text}={value},"
    return f"{line}  # {comment}" if len(line) + 4 + len(comment) <= LINE else "\n".join([*wrap([comment]), line])


@functools.cache
def _template():
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("parity", "templates"), autoescape=False,
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.filters["commented"] = commented
    return env.get_template("new_op.py.j2")


# --------------------------------------------------------------------------- editing the module's source
def _bound_names(tree) -> set[str]:
    """The names the module binds at its top level: imports, functions, classes, assignments."""
    imports = [a for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names]
    return ({(a.asname or a.name).split(".")[0] for a in imports}
            | {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
            | {t.id for n in tree.body if isinstance(n, (ast.Assign, ast.AnnAssign)) for t in ast.walk(n)
               if isinstance(t, ast.Name) and isinstance(t.ctx, ast.Store)})


def _member_key(name: str):
    """ruff's (isort's) order of imported names: constants, classes, then the rest, case-insensitively."""
    name = name.split(" as ")[0]
    return (0 if len(name) > 1 and name.isupper() else 1 if name[:1].isupper() else 2), name.lower(), name


def _from_import(module: str, names, multiline: bool) -> str:
    names = sorted(set(names), key=_member_key)
    one = f"from {module} import {', '.join(names)}\n"
    if not multiline and len(one) <= LINE + 1:
        return one
    return f"from {module} import (\n" + "".join(f"    {n},\n" for n in names) + ")\n"


def import_edits(tree, wanted: dict):
    """Edits adding the names the entry uses to the module's imports where ruff's import sorting puts them: into
    its ``from opinfo.X import`` (kept on one line while it fits), else a new one among the opinfo imports.
    Returns the edits and the imports added, in words."""
    bound, edits, added = _bound_names(tree), [], []
    froms = {n.module: n for n in tree.body if isinstance(n, ast.ImportFrom) and not n.level}
    ours = [n for m, n in froms.items() if m.split(".")[0] == "opinfo"]
    for module, names in sorted(wanted.items()):
        names = [n for n in dict.fromkeys(names) if n not in bound]
        node = froms.get(module)
        if names and node is not None:
            have = [a.name + (f" as {a.asname}" if a.asname else "") for a in node.names]
            edits.append((node.lineno - 1, node.end_lineno, module,
                          _from_import(module, have + names, node.end_lineno > node.lineno)))
        elif names:
            later = [n for n in ours if n.module.lower() > module.lower()]
            at = later[0].lineno - 1 if later else ours[-1].end_lineno
            edits.append((at, at, module, _from_import(module, names, False)))
        added += [f"from {module} import {', '.join(names)}"] * bool(names)
    return edits, added


def entry_edits(lines, tree, entry: str):
    """Edits putting the entry at the end of the module's last ``OPS`` list, before its closing bracket (and a
    comma after its last item if it has none)."""
    lists = [n.value for n in tree.body if isinstance(n, (ast.Assign, ast.AugAssign)) and isinstance(n.value, ast.List)
             and "OPS" in [t.id for t in getattr(n, "targets", [getattr(n, "target", None)]) if hasattr(t, "id")]]
    if not lists or lines[lists[-1].end_lineno - 1].strip() != "]":
        raise NewOpError("the module's last `OPS = [...]` or `OPS += [...]` list must end with `]` on its own line")
    close, last = lists[-1].end_lineno - 1, (lists[-1].elts or [None])[-1]
    edits = [(close, close, "~", entry)]
    if last is not None:
        row, cut = lines[last.end_lineno - 1].encode(), last.end_col_offset  # ast's columns count bytes
        if "," not in re.sub("#.*", "", row[cut:].decode() + "".join(lines[last.end_lineno:close])):
            edits.append((last.end_lineno - 1, last.end_lineno, "~", (row[:cut] + b"," + row[cut:]).decode()))
    return edits


def apply_edits(lines: list[str], edits) -> list[str]:
    """Apply (start, end, order, text) replacements of the original's line ranges, bottom up; insertions at one
    place land in ``order``."""
    out = list(lines)
    for start, end, _, text in sorted(edits, key=lambda e: (e[0], e[1], e[2]), reverse=True):
        out[start:end] = text.splitlines(keepends=True)
    return out


# --------------------------------------------------------------------------- writing and running
def _run(root: Path, *args) -> tuple[int, str]:
    """Python in a subprocess that imports the edited registry (a copy, in tests): first on the path, and in the
    working folder, which ``python -c``/``-m`` put before it. Its exit status and the last line it wrote on stderr."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(root.parent), os.getenv("PYTHONPATH")]))}
    proc = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, cwd=root.parent)
    return proc.returncode, (proc.stderr.strip().splitlines() or [f"exit status {proc.returncode}"])[-1]


def write(plan: Plan) -> None:
    """Write the module, then import the registry in a fresh interpreter: if that fails, put the file back."""
    original = plan.path.read_bytes()
    plan.path.write_bytes(plan.source.encode())
    status, last = _run(plan.root, "-c", f"import opinfo; opinfo.get_op({plan.name!r})")
    if status:
        plan.path.write_bytes(original)
        raise NewOpError(f"the new entry breaks the registry ({last}); {plan.shown} is left as it was")


def self_parity(plan: Plan, out: Path) -> int:
    """Run the entry on NumPy against itself: anything but parity there is the entry's own fault (exit 1)."""
    _, last = _run(plan.root, "-m", "parity.cli", "run", "--backend", "numpy", "--ops", plan.name, "-q", "-n", "0",
                   "--out", str(out.resolve()))
    try:
        records = [r for r in json.loads((out / "results.json").read_text())["records"] if r.get("op") == plan.name]
    except (OSError, ValueError, KeyError):
        print(f"parity: the NumPy run of {plan.name!r} left no results: {last}", file=sys.stderr)
        return EXIT_FOUND
    counts, bad = Counter(r["status"] for r in records), [r for r in records if r["status"] != "parity"]
    print(f"self-parity on numpy: {len(records)} cases: {', '.join(f'{s} {n}' for s, n in counts.most_common())}"
          + ("; NumPy differing from itself is the entry's fault (its samples or spellings):" if bad else ""))
    for r in bad[:10]:  # the counts above say how many more
        detail = next((d.get("detail") for d in r.get("divergences", []) if d.get("detail")), r.get("error")) or ""
        print(f"  {r['id']}: {r['status']}  {str(detail).splitlines()[0][:100] if detail else ''}".rstrip())
    print(_template().module.next_steps(plan.name, f"{plan.shown}, line {plan.line}", out / "report.html"), end="")
    return EXIT_FOUND if bad or not records else EXIT_OK
