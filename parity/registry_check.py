"""``parity check``: the registry lint, every problem of every entry and declaration, one line each.

Importing ``opinfo.registry`` stops at the first malformed entry; this builds the registry itself from
the family modules and goes on, so one run lists everything to fix: what :func:`opinfo.spec.problems`
finds in each entry, duplicate names, aliases (two entries with the same reference callable), fixed
samples and strategies that cannot be built, a reference that raises on every fixed sample of a dtype,
spellings that resolve on no installed backend, and declarations that can never apply to a case. It
takes seconds (importing torch, JAX and Dask is most of it), so CI runs it on every change.

``--stale`` then runs, through the engine and with ``parity run``'s seed and examples, every case where
a declaration could go stale, and lists the declarations that did not occur.
"""

from __future__ import annotations

import argparse
import fnmatch
import functools
import importlib
import time
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from parity.options import usage_error as _fail

EXIT_OK, EXIT_PROBLEMS = 0, 1
EXAMPLE = "parity check --stale --backend torch --ops 'sort,linalg.*'"
#: ``parity run``'s defaults: with them a declaration is stale here exactly when the sweep says so.
DEFAULT_MAX_EXAMPLES, DEFAULT_SEED = 10, 0
STALE_ONLY = ("backend", "ops", "max_examples", "seed")


def add_parser(sub):
    p = sub.add_parser(
        "check", help="lint the op registry: every malformed entry or declaration, one line each; exit 1 if any",
        description="Validate the whole registry without stopping at the first problem; --stale also runs the\n"
                    "declared cases on the installed backends and lists the declarations that no longer occur.",
        epilog=f"example:\n  {EXAMPLE}", formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--stale", action="store_true",
                   help="also run every case a declaration applies to and list the declarations that did not occur")
    p.add_argument("--backend", action="append", default=[], metavar="NAME",
                   help="(--stale) backends to run, repeat or comma-separate (default: every installed built-in CPU "
                        "backend)")
    p.add_argument("--ops", action="append", default=[], help="(--stale) op name or family glob patterns")
    p.add_argument("--max-examples", type=int, default=None,
                   help=f"(--stale) Hypothesis examples per case (default {DEFAULT_MAX_EXAMPLES}, as parity run: "
                        "the sweep's own verdicts; 0: fixed samples only, stricter)")
    p.add_argument("--seed", type=int, default=None, help=f"(--stale) as parity run's (default {DEFAULT_SEED})")


def run(args) -> int:
    started = time.perf_counter()
    given = [f"--{name.replace('_', '-')}" for name in STALE_ONLY if getattr(args, name) not in (None, [])]
    if given and not args.stale:
        return _fail(f"{given[0]} chooses what --stale runs; add --stale (the lint itself checks the whole registry)")
    if args.stale and (args.max_examples or 0) < 0:
        return _fail("--max-examples must be 0 or more")
    if args.stale and (problem := _backend_problem(args.backend)):
        return _fail(problem)
    with warnings.catch_warnings():  # sample builders may warn (NaN comparisons): the lint's output is its lines
        warnings.simplefilter("ignore")
        loaded = load()
        if args.stale and (problem := _pattern_problem(args.ops, loaded)):
            return _fail(problem)
        problems = lint(loaded)
        for line in problems:
            print(line)
        ops, declarations = len(loaded.entries), sum(len(getattr(op, "expected", ())) for op, _ in loaded.entries)
        counted = f"{ops} ops, {declarations} declarations"
        seconds = f"({time.perf_counter() - started:.1f} s)"
        print(f"{counted}: {len(problems)} problem{'s' * (len(problems) != 1)} {seconds}" if problems
              else f"{counted}: no problems {seconds}")
        status = EXIT_PROBLEMS if problems else EXIT_OK
        if args.stale:
            status = max(status, stale(args, {getattr(op, "name", None): path for op, path in loaded.entries}))
    return status


# --------------------------------------------------------------------------- building the registry
@dataclass
class Loaded:
    """The entries of every family module that imports (each with its file), and the import failures."""

    entries: list = field(default_factory=list)  # (OpInfo, "opinfo/<module>.py")
    problems: list[str] = field(default_factory=list)


def load() -> Loaded:
    """Import each family module on its own: a module that fails is one problem naming the module where
    it failed (a module importing a broken one fails with it, and is named on the same line)."""
    from opinfo.spec import FAMILY_MODULE_NAMES

    loaded, failures = Loaded(), {}
    for name in FAMILY_MODULE_NAMES:
        path = f"opinfo/{name}.py"
        try:
            module = importlib.import_module(f"opinfo.{name}")
        except Exception as exc:  # noqa: BLE001 - whatever a broken module raises is the problem to report
            origin, text = import_problem(exc, name, FAMILY_MODULE_NAMES)
            failures.setdefault(origin, [text, []])[1].append(name)
            continue
        ops = getattr(module, "OPS", None)
        if not isinstance(ops, (list, tuple)):
            loaded.problems.append(f"{path}: has no OPS list of entries")
            continue
        loaded.entries += [(op, path) for op in ops]
    for origin, (text, names) in failures.items():
        others = [n for n in names if n != origin]
        loaded.problems.append(text + (f"; {', '.join(others)} import{'s' * (len(others) == 1)} it and "
                                       f"could not be checked" if others else ""))
    return loaded


def import_problem(exc: BaseException, name: str, modules) -> tuple[str, str]:
    """(the family module where an import failed, its line): the innermost family module whose own code was
    running, at the line it was running (a module importing a broken one fails with the broken one's error;
    an entry that a helper of another module refuses is the calling module's line)."""
    from opinfo.spec import RegistryError

    origin, line = name, None
    if isinstance(exc, SyntaxError) and exc.filename and Path(exc.filename).stem in modules:
        origin, line = Path(exc.filename).stem, exc.lineno
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        path = Path(frame.f_code.co_filename)
        if frame.f_code.co_name == "<module>" and path.parent.name == "opinfo" and path.stem in modules:
            origin, line = path.stem, lineno
    where = f"opinfo/{origin}.py" + (f", line {line}" if line else "")
    if isinstance(exc, RegistryError):  # op() refusing an entry: its own one-line message names op and field
        return origin, f"{exc} (in {where})"
    from parity.readback import one_line

    return origin, f"{where}: cannot be imported: {one_line(exc)}"


# --------------------------------------------------------------------------- the lint
def lint(loaded: Loaded) -> list[str]:
    """Every problem, in registry order. The checks that call an entry's functions or resolve its
    spellings run only on entries that :func:`opinfo.spec.problems` finds well formed."""
    from opinfo.spec import OpInfo, problems

    lines, spaces = list(loaded.problems), installed_namespaces()
    names: dict[str, str] = {}  # name -> file of its first entry
    refs: dict[int, str] = {}  # id of a reference -> the name of its first entry
    for op, path in loaded.entries:
        found = [str(p) for p in problems(op)]
        if not found:
            found = sample_problems(op) + spelling_problems(op, spaces) + declaration_problems(op, spaces)
        if isinstance(op, OpInfo) and op.name in names:
            found.append(f"opinfo {op.name!r}: field 'name': declared twice, first in {names[op.name]}")
        elif isinstance(op, OpInfo) and refs.setdefault(id(op.ref), op.name) != op.name:
            found.append(f"opinfo {op.name!r}: field 'ref': the same callable as {refs[id(op.ref)]!r} "
                         f"({op.reference_name or repr(op.ref)}): one function checked twice under two names")
        names.setdefault(getattr(op, "name", None), path)
        lines += [f"{line} (in {path})" for line in found]
    return lines


def sample_problems(op) -> list[str]:
    """Fixed samples and a strategy for every dtype of the entry, and a reference that computes on at least
    one fixed sample of each. Not on every sample, nor on the first: NumPy raising may be a sample's point
    (an ``accepts`` divergence). But a dtype on which it raises for every sample is one whose values are
    never compared, which no entry means to list (and the search stops at the first sample that computes)."""
    import hypothesis.strategies as st

    from opinfo.dtypes import numpy_dtype
    from opinfo.spec import Sample
    from parity.readback import one_line
    from parity.runner import guarded, reference_call

    out = []
    for dtype in op.dtypes + op.extra_dtypes:
        def at(fieldname: str, problem: str, dtype=dtype) -> str:
            return f"opinfo {op.name!r}: field {fieldname!r}: for {dtype}: {problem}"

        try:
            samples = op.samples(numpy_dtype(dtype))
        except Exception as exc:  # noqa: BLE001 - the entry's own code: its error is the problem
            out.append(at("samples", f"raised {one_line(exc)}"))
            samples = None
        if samples is not None and not (isinstance(samples, list) and samples
                                        and all(isinstance(s, Sample) for s in samples)):
            out.append(at("samples", f"returned {_shown(samples)}, not a non-empty list of Sample"))
        elif samples:
            outcomes = (guarded(reference_call(op, s)) for s in samples)
            first = next(outcomes)
            if first.raised and all(o.raised for o in outcomes):
                error = f"{first.error_type.rsplit('.')[-1]}: {(first.error_message or '').strip()[:120]}"
                error = " ".join(error.split())
                out.append(at("ref", f"raised on all {len(samples)} fixed samples (the first: {error}): "
                                     f"is {dtype} one of its dtypes?"))
        try:
            strategy = op.strategy(numpy_dtype(dtype))
            if isinstance(strategy, st.SearchStrategy):
                strategy.validate()  # its arguments are checked; nothing is drawn
            else:
                out.append(at("strategy", f"returned {_shown(strategy)}, not a Hypothesis strategy"))
        except Exception as exc:  # noqa: BLE001 - as above
            out.append(at("strategy", f"raised {one_line(exc)}"))
    return out


def _shown(value) -> str:
    return "an empty list" if isinstance(value, list) and not value else f"a {type(value).__name__}"


@dataclass
class Installed:
    """A built-in backend installed here, with its namespace on each surface (the CPU device)."""

    backend: object
    namespaces: dict
    versions: dict  # NumPy's and the backend's, as declarations' version ranges read them


def installed_namespaces() -> dict[str, Installed]:
    """Every installed built-in backend with a CPU device, by name; a library that is not installed is not
    imported (``Backend.installed`` asks the import system), one that fails to import is left out."""
    import numpy as np

    from parity.backends import builtin_backends

    out = {}
    for name, backend in builtin_backends().items():
        if backend.installed() or "cpu" not in backend.devices:
            continue
        try:
            spaces = {s: backend.surface_namespace(s, "cpu") for s in ("native", "array-api")}
        except Exception:  # noqa: BLE001 - a broken install: its backend is not one to resolve spellings on
            continue
        out[name] = Installed(backend, spaces, {"numpy": np.__version__, backend.dist: backend.version()})
    return out


def resolves(op, installed: Installed, surface: str) -> str | None:
    """None when the engine finds the op's callable on this backend and surface, else why not."""
    from parity.runner import Unsupported, resolve

    try:
        resolve(op, installed.backend, installed.namespaces[surface], surface)
    except Unsupported as exc:
        return str(exc)
    return None


def spelling_problems(op, spaces: dict[str, Installed]) -> list[str]:
    """The op resolves somewhere; each explicit spelling (a dotted name, or the functions an adapter
    ``uses``) resolves on the installed backend it is written for: ``"*"`` on at least one that takes it."""
    from opinfo.spec import ANY_BACKEND

    out = []
    if spaces and all(resolves(op, i, s) for i in spaces.values() for s in ("native", "array-api")):
        out.append(f"opinfo {op.name!r}: field 'spellings': resolves on none of the installed backends "
                   f"({', '.join(spaces)}) on either surface: a misspelt name or spelling?")
    for table, surface in (("spellings", "native"), ("array_api_spellings", "array-api")):
        spelled_for = getattr(op, table)
        for key, spelled in spelled_for.items():
            takers = [n for n in spaces if n not in spelled_for] if key == ANY_BACKEND else \
                [key] if key in spaces else []
            for dotted in (spelled,) if isinstance(spelled, str) else getattr(spelled, "uses", ()):
                if takers and not any(_has(spaces[n], surface, dotted) for n in takers):
                    how = "spells it" if isinstance(spelled, str) else "adapter uses"
                    out.append(f"opinfo {op.name!r}: field {table!r}: {key!r} {how} {dotted!r}, which "
                               f"{' nor '.join(takers)} ({surface}) does not have: a typo?")
    return out


def _has(installed: Installed, surface: str, dotted: str) -> bool:
    from parity.runner import Unsupported, attribute

    try:
        attribute(installed.namespaces[surface], dotted, installed.backend)
    except Unsupported:
        return False
    return True


def declaration_problems(op, spaces: dict[str, Installed]) -> list[str]:
    """Declarations that can never apply: a device none of its backends has, dtypes and domain that name
    no case of the op, or a backend (installed here) that has no spelling of the op on the declared
    surfaces, where every case is unsupported."""
    out = []
    for i, exp in enumerate(op.expected):
        where = f"opinfo {op.name!r}: field 'expected[{i}]"
        for name in exp.backends:
            devices = _builtin_devices().get(name)
            if exp.devices is not None and devices is not None and not set(exp.devices) & set(devices):
                out.append(f"{where}.devices': {name} has none of {', '.join(exp.devices)} (its devices: "
                           f"{', '.join(devices)}): the declaration never applies")
        if not applies_somewhere(op, exp):  # only a domain can exclude every case (dtypes are validated)
            named = ", ".join(exp.dtypes) if exp.dtypes else "the op's cases"
            out.append(f"{where}.domain': {exp.domain!r} holds none of {named}: the declaration never applies")
        for name in exp.backends:
            if name not in spaces or not _versions_hold(exp, spaces[name].versions):
                continue
            surfaces = (exp.surface,) if exp.surface else ("native", "array-api")
            why = [resolves(op, spaces[name], s) for s in surfaces]
            if all(why):
                out.append(f"{where}.backend': {name} has no spelling of the op ({why[0]}), so every case is "
                           f"unsupported and the declaration never applies")
    return out


@functools.cache
def _builtin_devices() -> dict[str, tuple[str, ...]]:
    from parity.backends import builtin_backends

    return {name: backend.devices for name, backend in builtin_backends().items()}


def applies_somewhere(op, exp) -> bool:
    """Whether the declaration applies to some case dtype of ``op`` on some device and surface (versions
    aside), by the runner's rules: an extra dtype only where the declaration names it."""
    import dataclasses

    from opinfo import domain

    if not exp.backends:
        return False
    own, unversioned = op.dtypes + op.extra_dtypes, dataclasses.replace(exp, versions={})
    device = exp.devices[0] if exp.devices else "cpu"
    return any(unversioned.applies(exp.backends[0], d, device, s, {}, domain.case_domain(own, d))
               for d in (exp.dtypes or domain.numpy_dtypes(op.name, op.dtypes) + domain.mixed_dtypes(op.name))
               for s in ("native", "array-api"))


def _versions_hold(exp, versions: dict) -> bool:
    """Whether the declaration's version ranges hold for what is installed (a package not known here: yes)."""
    from packaging.specifiers import SpecifierSet

    return all(package not in versions or SpecifierSet(spec).contains(versions[package].split("+", 1)[0],
                                                                      prereleases=True)
               for package, spec in exp.versions.items())


# --------------------------------------------------------------------------- --stale
def _backend_problem(names) -> str | None:
    """An unknown or unusable backend given to --stale (checked before anything is loaded)."""
    from parity.backends import BackendUnavailable, UnknownBackend, get_backend
    from parity.options import split_list

    for name in split_list(names):
        try:
            problem = get_backend(name).availability()
        except (UnknownBackend, BackendUnavailable) as exc:
            problem = str(exc)
        if problem:
            return problem
    return None


def _pattern_problem(patterns, loaded: Loaded) -> str | None:
    """An op pattern given to --stale that selects no entry of the registry as loaded."""
    from parity.options import split_list

    names = [(getattr(op, "name", ""), getattr(op, "family", "")) for op, _ in loaded.entries]
    for pattern in split_list(patterns):
        if not any(fnmatch.fnmatchcase(n, pattern) or fnmatch.fnmatchcase(f, pattern) for n, f in names):
            return f"op pattern {pattern!r} matches nothing in the registry; see `parity list`"
    return None


def stale_candidates(op, backend: str, dtype: str, device: str, surface: str, versions) -> list:
    """The declarations of ``op`` that a case can report stale, by :meth:`parity.runner.Runner.run_case`'s
    rules: those that apply, on an extra dtype only those naming it, beyond the standard's one-dtype cases
    only those naming the case's dtype (elsewhere they describe a rule), never a backend-wide one."""
    from opinfo import domain

    scope = domain.case_domain(op.dtypes + op.extra_dtypes, dtype)
    extra = any(d in op.extra_dtypes for d in domain.array_dtypes(dtype))
    standard = scope == "standard" and not domain.is_mixed(dtype)
    return [e for e in op.expected if not e.wide and e.applies(backend, dtype, device, surface, versions, scope)
            and not (extra and e.dtypes is None) and (standard or (e.dtypes and dtype in e.dtypes))]


def stale_cases(ops, backends, devices: dict, versions) -> list:
    """Every case (op, backend, dtype, surface) where a declaration could go stale: the op's own dtypes,
    NumPy's further dtypes and mixes, and extra dtypes a declaration names; the native surface, and the
    Array API one for declarations made for it."""
    from opinfo import domain
    from parity.case import Case

    cases = []
    for backend in backends:
        for op in ops:
            named = {d for e in op.expected if e.dtypes for d in e.dtypes if d in op.extra_dtypes}
            dtypes = domain.numpy_dtypes(op.name, op.dtypes) + domain.mixed_dtypes(op.name) + tuple(sorted(named))
            surfaces = sorted({e.surface or "native" for e in op.expected if backend.name in e.backends})
            device = devices[backend.name]
            cases += [Case(op.name, backend.name, device, d, s) for s in surfaces for d in dtypes
                      if stale_candidates(op, backend.name, d, device, s, versions)]
    return cases


def stale(args, paths: dict[str, str]) -> int:
    """Run the cases where declarations apply in this process, as a worker of ``parity run`` runs them
    (:class:`parity.execute.Executor`, the same seed and examples), and list each stale declaration."""
    try:
        import opinfo.registry  # noqa: F401 - the engine looks entries up in the registry
    except Exception:  # noqa: BLE001 - a malformed entry or a module that fails: the lines above say which
        print("--stale: not run, the registry does not import (fix the problems above first)")
        return EXIT_PROBLEMS
    from parity.execute import Executor
    from parity.options import RunOptions, split_list
    from parity.selection import SelectionError, for_options

    examples = DEFAULT_MAX_EXAMPLES if args.max_examples is None else args.max_examples
    options = RunOptions(backends=split_list(args.backend), ops=split_list(args.ops), max_examples=examples,
                         seed=DEFAULT_SEED if args.seed is None else args.seed)
    try:
        selection = for_options(options)
    except SelectionError as exc:
        return _fail(str(exc))
    executor = Executor(selection, options)
    found, unchecked, timing = 0, 0, []
    for backend in selection.backends:
        started = time.perf_counter()
        cases = stale_cases(selection.ops, [backend], selection.devices, executor.versions)
        for case in cases:  # each line as it is found: a JAX sweep of the declared cases takes minutes
            record = executor.run(case)
            for divergence in (d for d in record["divergences"] if d["status"] == "stale"):
                found += 1
                print(stale_line(case.id, divergence, paths.get(case.op)), flush=True)
            if record["status"] in ("crash", "timeout", "harness-error", "unreadable"):
                unchecked += 1
                reason = " ".join(str(record.get("reason", "")).split())[:200]
                print(f"{case.id}: not checked, {record['status']}: {reason}", flush=True)
        timing.append(f"{backend.name} {len(cases)} cases {time.perf_counter() - started:.1f} s")
    verdict = (f"{found} declaration{'s' * (found != 1)} did not occur" if found else "every declaration occurred") \
        + (f", {unchecked} case{'s' * (unchecked != 1)} not checked" if unchecked else "")
    print(f"--stale ({examples} examples, seed {options.seed}): {verdict} ({'; '.join(timing) or 'no backend'})")
    return EXIT_PROBLEMS if found or unchecked else EXIT_OK


def stale_line(case_id: str, divergence: dict, path: str | None) -> str:
    """One stale declaration: the case, its category and the start of its reason, and the entry's file."""
    reason = " ".join(divergence.get("reason", "").split())
    reason = reason if len(reason) <= 80 else reason[:79] + "…"
    return f"{case_id}: declared {divergence['category']!r} did not occur: {reason}" + (f" (in {path})" if path else "")
