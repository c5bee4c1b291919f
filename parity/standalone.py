"""Standalone reproducers: one divergence as a script that needs only NumPy (SciPy, ml_dtypes where
the reference does) and the library under test, so it can be pasted into an upstream bug report.

The script inlines the input, calls the reference by its public name and the library as the
backend does (its spelling on the namespace, or the registry's adapter copied in: ``parity.inline``),
converts inputs and reads results back with the plain code of :mod:`parity.backends`, and asserts
the divergence itself with the rule the sweep used (the dtypes, the shapes, the values within the
same ULP allowance or tolerance, NaN/inf/signed-zero positions, the exception and its family): it
raises AssertionError while the divergence exists and exits 0 once it is gone. Where that cannot
be written without array-parity (an op's own comparator, a backend this module does not know, code
that cannot be copied), the reproducer is :func:`parity.literal.script`'s, which imports it.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import platform
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from opinfo.compare import compare_values
from opinfo.dtypes import dtype_kind, finfo, numpy_dtype
from parity import backends, checks, literal, readback
from parity.backend import dist_version
from parity.compare import ERROR_FAMILIES
from parity.inline import Inliner, NotInlinable, resolve
from parity.judge import output_at

#: Categories that an op's own comparator does not judge (exceptions are compared before it runs).
RAISING = ("error", "accepts", "error-type")
#: Elements a script names one by one when a declaration covers the others; above it, all are checked.
ONLY_LIMIT = 1000


class NotStandalone(Exception):
    """This divergence's script needs array-parity; the message says why."""


@dataclass
class Form:
    """How a script spells one backend: imports, set-up, its namespace, an input on it (``array``,
    from the name of a NumPy array), the branch of ``to_numpy`` that reads its arrays back, and
    how a lazy result is computed (``finalize``, from the expression of the result)."""

    imports: list[str]
    namespace: str
    array: Callable[[str, np.ndarray], str]
    read_back: str = ""
    setup: list[str] = field(default_factory=list)
    finalize: Callable[[str], str] = lambda value: value
    names: dict = field(default_factory=dict)  # script names the form uses -> what they are


def backend_form(backend, device: str, dtype: str) -> Form:
    """The plain code of ``backend``'s conversions (``parity.backends``), for the built-in backends and
    ``module:attribute`` namespaces; NotStandalone for others (their conversions are their own code)."""
    kind = type(backend)
    if kind is backends.TorchBackend:
        import torch

        bf16 = dtype == "bfloat16"
        where = "" if device == "cpu" else f".to({device!r})"
        read = ("if isinstance(value, torch.Tensor):\n    value = value.detach().cpu().resolve_conj().resolve_neg()\n"
                + ("    if value.dtype == torch.bfloat16:  # the same bits as ml_dtypes' bfloat16\n"
                   "        return value.view(torch.int16).numpy().view(ml_dtypes.bfloat16)\n" if bf16 else "")
                + "    return value.numpy()")
        array = (lambda x, _: f"torch.from_numpy({x}.view(np.uint16)).view(torch.bfloat16){where}") if bf16 else \
            (lambda x, _: f"torch.from_numpy({x}){where}")
        return Form(["import torch"], "torch", array, read, names={"torch": torch})
    if kind is backends.JaxBackend:
        import jax

        x64 = bool(backend.settings.get("x64", True))
        return Form(["import jax", "import jax.numpy as jnp"], "jnp",
                    lambda x, _: f"jax.device_put({x}, jax.devices({device!r})[0])",
                    "if isinstance(value, jax.Array):\n    return np.asarray(value)",
                    [f'jax.config.update("jax_enable_x64", {x64})'], names={"jax": jax, "jnp": jax.numpy})
    if kind is backends.DaskBackend:
        import dask
        import dask.array

        per_axis = int(backend.settings.get("chunks_per_axis", 2))
        scheduler = backend.settings.get("scheduler", "synchronous")
        return Form(["import dask", "import dask.array as da"], "da",
                    lambda x, a: f"da.from_array({x}, chunks={_chunks(a.shape, per_axis)!r})",
                    'if type(value).__module__.startswith("dask"):\n    return np.asarray(value)',
                    finalize=lambda value: f"dask.compute({value}, scheduler={scheduler!r})[0]",
                    names={"dask": dask, "da": dask.array})
    if kind is backends.ArrayApiStrictBackend:
        import array_api_strict

        return Form(["import array_api_strict"], "array_api_strict", lambda x, _: f"array_api_strict.asarray({x})",
                    'if type(value).__module__.startswith("array_api_strict"):\n    try:\n'
                    "        return np.from_dlpack(value)\n    except (TypeError, RuntimeError, BufferError):\n"
                    "        return np.asarray(value._array)", names={"array_api_strict": array_api_strict})
    if kind is backends.NumpyBackend:
        return Form([], "np", lambda x, _: x)
    if kind is backends.CupyBackend:
        return Form(["import cupy"], "cupy", lambda x, _: f"cupy.asarray({x})",
                    "if isinstance(value, cupy.ndarray):\n    return cupy.asnumpy(value)")
    if kind is backends.NamespaceBackend:
        imports, setup, ns = backend.script()
        top = backend.module.split(".")[0]
        names = {top: sys.modules.get(top)} | ({"xp": backend.namespace()} if setup else {})
        return Form(imports, ns, lambda x, _: f"{ns}.asarray(np.array({x}))",
                    'if hasattr(value, "shape") and hasattr(value, "dtype") and not isinstance(value, np.generic):\n'
                    '    mask = getattr(value, "mask", None)  # a masked element is no value (marray)\n'
                    "    if mask is not None and not callable(mask) and np.asarray(mask).any():\n"
                    '        raise ValueError(f"masked result: {int(np.asarray(mask).sum())} element(s) masked")\n'
                    f"    return {readback.spelled(backend.read_path)}  # as array-parity read it",
                    setup, finalize=(lambda value: f"({value}).compute()") if backend.lazy else (lambda value: value),
                    names=names)
    raise NotStandalone(f"backend {backend.name!r} converts inputs with its own code ({kind.__qualname__})")


def _chunks(shape, per_axis: int) -> tuple[int, ...]:
    return tuple(max(1, math.ceil(n / per_axis)) for n in shape)


@functools.cache
def _version(dist: str) -> str:
    return dist_version(dist)


def versions(backend, imports) -> str:
    """The library's distributions (``Backend.libraries``), NumPy's and those the script imports."""
    extra = {"scipy": "scipy", "ml_dtypes": "ml_dtypes", "array_api_compat": "array-api-compat"}
    dists = [*backend.libraries(), "numpy", *(d for m, d in extra.items() if any(f"import {m}" in i for i in imports))]
    named = {d: backend.version() if d == backend.dist and type(backend) is backends.NamespaceBackend
             else _version(d) for d in dict.fromkeys(dists)}
    return ", ".join(f"{d} {v}" for d, v in named.items()) + \
        f"; Python {platform.python_version()} ({platform.system()} {platform.machine()})"


def script(*, op: str, backend: str, device: str, surface: str, dtype: str, category: str, sample, detail: str = "",
           settings: dict | None = None, runner=None, finding=None, ref=None, impl=None) -> str:
    """The reproducer of one divergence: standalone when the runner, its finding and both outcomes are
    given and it can be, else the form that imports array-parity (with the reason in its docstring)."""
    common = dict(op=op, backend=backend, device=device, surface=surface, dtype=dtype, category=category,
                  sample=sample, detail=_docstring(detail), settings=settings)
    if runner is None or finding is None or ref is None or impl is None:
        return literal.script(**common)
    try:
        return render(runner, dtype, finding, sample, ref, impl)
    except (NotStandalone, NotInlinable) as exc:
        return literal.script(**common, note=_docstring(f"Not standalone: {exc}."))
    except Exception as exc:  # a fault of this renderer must not cost the sweep its record: said in the script
        return literal.script(**common, note=_docstring(f"Not standalone: the renderer failed ({exc!r})."))


def render(runner, dtype: str, finding, sample, ref, impl) -> str:
    """The standalone script for ``finding`` on ``sample`` (NotStandalone/NotInlinable where it cannot be)."""
    op, backend, category = runner.op, runner.backend, finding.category
    if category == "order":
        raise NotStandalone(f"{op.name}'s order is judged by array-parity's {getattr(op.compare, '__name__', 'rule')}")
    if finding.path and not all(p.isdigit() for p in finding.path.strip("[]").split("][")):
        raise NotStandalone(f"the divergence is in output {finding.path}, which names no plain output")
    form = backend_form(backend, runner.device, dtype)
    lib = backend.name
    inl = Inliner({n: checks for n in (*checks.NAMES, "xp")} | {"np": np} | form.names)
    setup = list(form.setup)
    ns = form.namespace
    if runner.surface != "native":
        probe = form.array("np.zeros(1)", np.zeros(1))
        if hasattr(backend.from_numpy(np.zeros(1), runner.device), "__array_namespace__"):
            setup.append(f"xp = {probe}.__array_namespace__()")
        else:
            inl.imports["import array_api_compat"] = None
            setup.append(f"xp = array_api_compat.array_namespace({probe})")
        ns = "xp"
    target = resolve(op.reference_name) if op.reference_name else None
    wrapped = target is None or target is not op.ref
    ref_fn = inl.value(op.ref) if wrapped else inl.public(op.reference_name)
    spelled = op.spelling(lib, runner.surface)
    arrays = _arrays((sample.args, tuple(sample.kwargs.values())))
    names = {id(a): "x" if len(arrays) == 1 else f"x{i + 1}" for i, a in enumerate(arrays)}
    if set(names.values()) & set(inl.bound):
        raise NotStandalone("the input's names clash with the copied code's")

    def lib_leaf(obj):
        if isinstance(obj, np.ndarray):
            return form.array(names[id(obj)], obj)
        return _lib_dtype(backend, runner.namespace, ns, obj)

    ref_args = _arguments(_weak_scalars(sample.args), sample.kwargs, lambda a: names.get(id(a)) or literal.literal(a))
    lib_given = _weak_scalars(sample.args) if backend.is_reference else tuple(sample.args)
    lib_args = _arguments(lib_given, sample.kwargs, lib_leaf)
    if callable(spelled):
        lib_call = f"{inl.value(spelled)}({', '.join(filter(None, (ns, lib_args)))})"
    else:
        lib_call = f"{ns}.{spelled}({lib_args})"
    inputs = [f"{n} = {literal.literal(a)}" for a, n in zip(arrays, names.values())]
    text = "\n".join([*inputs, *inl.definitions, ref_fn, lib_call, *form.imports, form.read_back])
    imports = ["import numpy as np", "from numpy import inf, nan"]
    imports += sorted(set(form.imports) | {i for i in inl.imports if i != "import numpy as np"}
                      | ({"import ml_dtypes"} if "ml_dtypes." in text else set()))
    ctx, only = (runner.ctx, None) if category in RAISING else _rule(runner, finding, sample, ref, impl)
    check_helpers, check = _check(category, finding, runner, ctx, only, ref, impl)
    calls = (f"to_numpy({ref_fn}({ref_args}), reference=True)", f"to_numpy({form.finalize(lib_call)})")
    if category in RAISING:
        results = [f"expected = outcome(lambda: {calls[0]})", f"actual = outcome(lambda: {calls[1]})"]
    else:
        results = [f"expected = {calls[0]}", f"actual = {calls[1]}"]
    helpers = [checks.to_numpy(form.read_back), *([checks.OUTCOME] if category in RAISING else []), *check_helpers]
    what = [w for w, used in (("its wrapper of NumPy's call", wrapped), (f"its adapter to {lib}'s signature",
                                                                        callable(spelled))) if used]
    copied = [f"# array-parity's own code for this op ({' and '.join(what)}), copied as it is:",
              *inl.definitions] if inl.definitions else []
    where = f"{runner.device}, {runner.surface} surface, {dtype}"
    *others, last = dict.fromkeys(["NumPy", *(i.split()[1].split(".")[0] for i in imports[2:])])
    needs = f"{', '.join(others)} and {last}" if others else last
    head = [f'"""array-parity reproducer: {op.name} on {lib} ({where}): {category}.',
            "", _docstring(finding.detail), *([f"Input: {_docstring(sample.note)}"] if sample.note else []), "",
            f"{op.reference_name}{' (wrapped)' if wrapped else ''} against {_shown(spelled, ns)} on the same input. "
            f"Standalone: needs {needs}.",
            f"Versions: {versions(backend, imports)}.",
            "Raises AssertionError while this divergence exists; exits 0 once it is gone.", '"""']
    body = [*head, *imports, *setup, "", *helpers, *copied, "", *inputs, "", *results,
            'print("NumPy:", repr(expected))', f'print("{lib}:", repr(actual))', "", check,
            f'print("NumPy and {lib} agree on this ({category}): the divergence is gone")']
    return "\n".join(_spaced(body)) + "\n"


def _docstring(text: str) -> str:
    """Text that stays inside the script's docstring (an error message may hold backslashes or quotes)."""
    return text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')


def _shown(spelled, ns: str) -> str:
    if isinstance(spelled, str):
        return f"{ns}.{spelled}"
    return f"{getattr(spelled, '__name__', 'the library')} (through array-parity's adapter, copied below)"


def _spaced(lines: list[str]) -> list[str]:
    """PEP 8's blank lines: two around each top-level function (and the comment just above it), else one at most."""
    flat = [part for line in lines for part in (line.split("\n") if line else [""])]
    out: list[str] = []
    in_def = False
    for k, part in enumerate(flat):
        if not part:
            if out and out[-1]:
                out.append("")
            continue
        top = not part.startswith((" ", ")"))
        head = part.startswith("def ") or (part.startswith("#") and flat[k + 1:k + 2] != [""]
                                           and flat[k + 1:k + 2][0].startswith("def "))
        if top and ((head and not out[-1:][0].startswith("#")) or (in_def and not head)):
            while out and not out[-1]:
                out.pop()
            out += ["", ""] if out else []
        if top:
            in_def = head
        out.append(part)
    return out


def _arrays(obj, found=None) -> list[np.ndarray]:
    """The NumPy arrays of an input, in order, as the runner converts them (inside tuples and lists)."""
    found = [] if found is None else found
    if isinstance(obj, np.ndarray):
        if not any(a is obj for a in found):
            found.append(obj)
    elif isinstance(obj, (tuple, list)):
        for item in obj:
            _arrays(item, found)
    return found


def _render(obj, leaf) -> str:
    if isinstance(obj, (np.ndarray, np.dtype)):
        return leaf(obj)
    if isinstance(obj, tuple):
        inner = ", ".join(_render(x, leaf) for x in obj)
        return f"({inner},)" if len(obj) == 1 else f"({inner})"
    if isinstance(obj, list):
        return "[" + ", ".join(_render(x, leaf) for x in obj) + "]"
    return literal.literal(obj)


def _arguments(args, kwargs, leaf) -> str:
    return ", ".join([_render(a, leaf) for a in args] + [f"{k}={_render(v, leaf)}" for k, v in kwargs.items()])


def _weak_scalars(args: tuple) -> tuple:
    """As the runner's reference side: a Python scalar beside a bfloat16 array is a 0-d bfloat16 (NEP 50)."""
    bf16 = next((a.dtype for a in args if isinstance(a, np.ndarray) and a.dtype.name == "bfloat16"), None)
    return args if bf16 is None else tuple(np.asarray(a, dtype=bf16) if type(a) in (int, float) else a for a in args)


def _lib_dtype(backend, namespace, ns: str, dt) -> str:
    obj = backend.dtype(dt, namespace)
    if isinstance(obj, np.dtype):
        return literal.literal(obj)
    name = numpy_dtype(dt).name
    if obj is getattr(namespace, name, None):
        return f"{ns}.{name}"
    raise NotStandalone(f"{backend.name}'s dtype for {name} has no name in its namespace")


def _rule(runner, finding, sample, ref, impl):
    """The comparison context whose plain rule, applied to the two results as they are, finds this
    divergence, and the elements it is about when a declaration covers the others (None: all). With an
    op's own comparator, a context whose plain rule finds the same detail (NotStandalone if none)."""
    call = runner.context(sample)
    contexts = [call]
    if runner.op.compare is not None and call.check_signed_zero:
        contexts.append(dataclasses.replace(call, check_signed_zero=False))
    for ctx in contexts:
        plain = [g for g in compare_values(ref.value, impl.value, ctx)
                 if g.category == finding.category and g.path == finding.path]
        if any(g.detail == finding.detail for g in plain):
            return ctx, None
        if runner.op.compare is None:
            mask, whole = finding.mask, plain[0].mask if plain else None
            subset = mask is not None and whole is not None and mask.shape == whole.shape and mask.sum() < whole.sum()
            return ctx, (np.argwhere(mask).tolist() if subset and 0 < mask.sum() <= ONLY_LIMIT else None)
    name = getattr(runner.op.compare, "__name__", "its comparator")
    raise NotStandalone(f"{runner.op.name}'s results are judged by array-parity's {name}, not as they are")


def _check(category: str, finding, runner, ctx, only, ref, impl) -> tuple[list[str], str]:
    """The helpers and the assertion for this divergence, with the numbers the sweep used."""
    lib = runner.backend.name
    if category == "error":
        return [], checks.ERROR.replace("LIBRARY", lib)
    if category == "accepts":
        return [], checks.ACCEPTS.replace("LIBRARY", lib)
    if category == "error-type":
        families = checks.FAMILY.replace("FAMILIES_TUPLE", repr(ERROR_FAMILIES))
        return [families], checks.ERROR_TYPE.replace("LIBRARY", lib)
    if category == "shape":
        return [checks.LAYOUT], checks.SHAPE.replace("LIBRARY", lib)
    pick = f"e, a = expected{finding.path}, actual{finding.path}\n"
    if only is not None:
        pick += checks.ONLY.replace("INDICES", repr([tuple(i) for i in only])) + "\n"
    restrict = (lambda text: text.replace("differ = differ ONLY", "differ &= only").replace("ONLY", " & only")) \
        if only is not None else (lambda text: text.replace("differ = differ ONLY\n", "").replace("ONLY", ""))
    r, m = output_at(ref.value, finding.path), output_at(impl.value, finding.path)
    if category == "dtype":
        return [], pick + checks.DTYPE.replace("LIBRARY", lib)
    kinds = {dtype_kind(r.dtype), dtype_kind(m.dtype)}
    common = "np.complex128" if "c" in kinds else "np.float64"
    if category == "special-value":
        zeros = checks.SIGNED_ZERO if ctx.check_signed_zero else ""
        special = checks.SPECIAL.replace("SIGNED_ZERO\n", zeros + "\n" if zeros else "")
        return [checks.CLASSES], pick + restrict(special).replace("COMMON", common).replace("LIBRARY", lib)
    if kinds <= set("biu"):
        return [], pick + restrict(checks.EXACT).replace("LIBRARY", lib)
    if not kinds <= set("biufc"):
        return [], pick + checks.EQUAL.replace("LIBRARY", lib)
    ulp = ulp_source(max((r.dtype, m.dtype), key=lambda d: float(finfo(d).eps) if dtype_kind(d) in "fc" else 0.0))
    allowed = ctx.allowance(r.dtype, m.dtype)
    if allowed is not None:
        bad, bound = f"ulps > {allowed!r}", f"{allowed:g} ulp"
    else:
        tol = ctx.looser(r.dtype, m.dtype)
        rtol, atol = (tol.rtol, tol.atol) if tol else (0.0, 0.0)
        bad, bound = f"np.abs(r - m) > {atol!r} + {rtol!r} * np.abs(r)", f"rtol={rtol:g}, atol={atol:g}"
    return [ulp], pick + restrict(checks.VALUE).replace("COMMON", common).replace("BAD", bad).replace("BOUND", bound) \
        .replace("LIBRARY", lib)


def ulp_source(unit) -> str:
    """``ulp_distance`` in ulps of ``unit`` (the coarser dtype of the two results, as the sweep counts)."""
    info = finfo(unit)
    return checks.ULP.replace("UNIT", numpy_dtype(unit).name).replace("NMANT", str(int(info.nmant))) \
        .replace("MINEXP", str(int(info.minexp))).replace("SMALLEST", repr(float(info.smallest_normal)))
