"""Who is right when NumPy and a library disagree on a floating value: both graded against the truth.

A value divergence says that two libraries differ, not which one is wrong. For elementwise ops with
an exact definition (``opinfo.exact``), each differing element's true value is computed with mpmath
at 4x the dtype's significand bits + 64, plus the span in bits between the input's largest and
smallest parts (mpmath's complex acos of 1 + 2.2e-308j drops the 1e-154 imaginary part at 340 bits,
not at 1,300), and again at twice that: an element whose two evaluations differ by more than 1/1000
ulp is not graded, so a grade never rests on an unsettled "exact" value. The error of each side is
|value - exact| / ulp(exact), in mpmath, with ulp as in ``opinfo.compare.ulp`` (2**(exponent -
mantissa bits), the exponent clamped at the smallest normal one); a complex value is measured
normwise, both parts in ulps of its larger part, as ``opinfo.compare.ulp_distance`` does. Only
finite inputs and finite results are graded.

A special function can take seconds on one input (mpmath's gammaincc(1e-300, 1e-300) takes four),
so grading one divergence stops after ``BUDGET_S``: between elements, and inside one through SIGALRM
where the caller runs in the main thread and nothing else uses that signal.
"""

from __future__ import annotations

import contextlib
import math
import re
import signal
import threading
import time
from collections.abc import Sequence
from typing import Any

import mpmath
import numpy as np

from opinfo.dtypes import dtype_kind, finfo, numpy_dtype
from opinfo.exact import EXACT, Exact

#: Seconds spent grading one divergence at most.
BUDGET_S = 0.5
#: Differing elements graded per cut-down sample (all of a divergence's listed ``elements`` are).
SAMPLE_LIMIT = 100
#: How far apart (in ulps) the evaluations at the working precision and at twice it may be.
SETTLED_ULP = 1e-3
_INT = re.compile(r"[+-]?\d+")


class _OutOfTime(BaseException):
    """Raised by the alarm; a BaseException, so that no ``except Exception`` in mpmath swallows it."""


def precision(dtype) -> int:
    """Working precision for grading results of ``dtype``: 4x its significand bits + 64."""
    return 4 * (finfo(dtype).nmant + 1) + 64


def graded_dtype(entry: Exact | None, dtype) -> np.dtype | None:
    """The dtype whose ulps measure results of the op on a ``dtype`` case, None when not graded."""
    dt = numpy_dtype(dtype)
    kind = dtype_kind(dt)
    if entry is None or (kind == "c" and not entry.complex):
        return None
    if entry.result is not None:
        return np.result_type(np.dtype(entry.result), np.complex64) if kind == "c" else np.dtype(entry.result)
    return dt if kind in "fc" else None


def closer(reference_ulp: float, implementation_ulp: float) -> str:
    """Which side is nearer the exact value: "both" when both are within 1 ulp or a factor 2 of each other."""
    low, high = sorted((reference_ulp, implementation_ulp))
    if high <= 1 or high <= 2 * low:
        return "both"
    return "reference" if reference_ulp < implementation_ulp else "implementation"


def exact_ulp_errors(op_name: str, dtype, inputs: Sequence, values: Sequence, *, budget: float = BUDGET_S):
    """(exact, [error in ulps of each value]) for one element, or None where it cannot be graded.

    ``inputs`` are the op's positional arguments at that element (NumPy scalars of the case dtype,
    or Python scalars), ``values`` the results to grade."""
    entry = EXACT.get(op_name)
    target = graded_dtype(entry, dtype)
    if target is None:
        return None
    found = None
    with contextlib.suppress(_OutOfTime), _alarm(budget), contextlib.suppress(Exception):
        found = _grade(entry, target, [_to_mp(x) for x in inputs], list(values))
    return found


def arbitrate(op_name: str, dtype, elements: list[dict], *, budget: float = BUDGET_S) -> dict | None:
    """Grade a divergence's listed ``elements`` (texts of inputs and both outputs, as the runner
    writes them); adds ``exact``, ``reference_ulp`` and ``implementation_ulp`` to each element
    graded and returns the summary, or None when the op has no exact value or nothing was graded."""
    entry = EXACT.get(op_name)
    target = graded_dtype(entry, dtype)
    if target is None or not elements:
        return None
    case = numpy_dtype(dtype)

    def parsed(e):
        return ([parse_text(t, case) for t in e["input"]], parse_text(e["reference"], target),
                parse_text(e["implementation"], target))

    return _arbitrate(entry, target, elements, parsed, budget)


def arbitrate_arrays(op_name: str, dtype, args: Sequence, reference, implementation, kwargs=None, *,
                     budget: float = BUDGET_S) -> dict | None:
    """Grade a sample without a list of elements: its positional ``args`` (arrays broadcastable to
    the output, or Python scalars) and both output arrays; the first ``SAMPLE_LIMIT`` differing
    elements are graded. With one element graded, its exact value is in the summary too."""
    entry = EXACT.get(op_name)
    target = graded_dtype(entry, dtype)
    if target is None or kwargs or reference is None or implementation is None:
        return None
    ref, impl = np.asarray(reference), np.asarray(implementation)
    if ref.shape != impl.shape or ref.dtype.kind not in "fcV" or impl.dtype.kind not in "fcV":
        return None
    try:
        full = [np.broadcast_to(a, ref.shape) if isinstance(a, np.ndarray) else a for a in args]
    except ValueError:
        return None
    with np.errstate(all="ignore"):
        same = (ref == impl) | (np.isnan(ref) & np.isnan(impl))
    case = numpy_dtype(dtype)
    items = [{"index": tuple(int(i) for i in ix)} for ix in np.argwhere(~same)[:SAMPLE_LIMIT]]

    def parsed(item):
        ix = item["index"]
        return [a[ix] if isinstance(a, np.ndarray) else _weak(a, case) for a in full], ref[ix], impl[ix]

    found = _arbitrate(entry, target, items, parsed, budget)
    if found is not None and found["graded"] == 1:
        found["exact"] = next(i["exact"] for i in items if "exact" in i)
    return found


def parse_text(text: str, dtype: np.dtype):
    """An element's text (``str`` of a NumPy scalar, ``repr`` of a Python one) as the value it names:
    integers stay Python ints (an exponent, polygamma's order), floats become ``dtype``'s real type and
    complex numbers its complex type, so float32's shortest text gives back the same float32."""
    t = text.strip()
    if t in ("True", "False"):
        return int(t == "True")
    if _INT.fullmatch(t):
        return int(t)
    real = finfo(dtype).dtype if dtype_kind(dtype) in "fc" else np.dtype(np.float64)
    if "j" in t:
        return np.asarray(complex(t)).astype(np.result_type(real, np.complex64))[()]
    return np.asarray(float(t)).astype(real)[()]


def _weak(x, dtype: np.dtype):
    """A Python float or complex beside an array computes in the array's dtype (NEP 50)."""
    if isinstance(x, float) and dtype_kind(dtype) in "fc":
        return np.asarray(x).astype(finfo(dtype).dtype)[()]
    if isinstance(x, complex) and dtype_kind(dtype) == "c":
        return np.asarray(x).astype(dtype)[()]
    return x


def _arbitrate(entry: Exact, target: np.dtype, items: list[dict], parsed, budget: float) -> dict | None:
    started, graded, stopped = time.perf_counter(), [], False
    try:
        with _alarm(budget):
            for item in items:
                if time.perf_counter() - started > budget:
                    stopped = True
                    break
                try:
                    inputs, ref, impl = parsed(item)
                    found = _grade(entry, target, [_to_mp(x) for x in inputs], [ref, impl])
                except Exception:  # a pole, a text that names no number, a series that does not converge:
                    continue  # that element is not graded, and grading never breaks a record
                if found is not None:
                    exact, (r, m) = found
                    item.update(exact=exact, reference_ulp=r, implementation_ulp=m)
                    graded.append((r, m))
    except _OutOfTime:
        stopped = True
    if not graded:
        return None
    r, m = max(g[0] for g in graded), max(g[1] for g in graded)
    summary = {"method": f"mpmath {mpmath.__version__}, {precision(target)}+ bits", "graded": len(graded),
               "of": len(items), "reference_max_ulp": r, "implementation_max_ulp": m, "closer": closer(r, m)}
    if stopped:
        summary["stopped"] = f"time budget of {budget:g} s spent"
    return summary


def _grade(entry: Exact, target: np.dtype, xs: list, values: list) -> tuple[str, list[float]] | None:
    """(exact value as text, [ulp error of each value]) for one element, or None where not gradable."""
    if any(x is None or not mpmath.isfinite(x) for x in xs) or not all(_finite(v) for v in values):
        return None
    if entry.zero_sign and any(_has_zero(x) for x in xs):
        return None
    info = finfo(target)
    is_complex = any(np.iscomplexobj(v) for v in values)
    prec = precision(target) + _span(xs)
    with mpmath.workprec(prec):
        lower = _settle(entry.fn(*xs), is_complex, info)
    if lower is None:
        return None
    with mpmath.workprec(2 * prec):
        higher = _settle(entry.fn(*xs), is_complex, info)
        if higher is None or _ulps(lower, higher, info) > SETTLED_ULP:
            return None
        errors = [_round(_ulps(_to_mp(v), higher, info)) for v in values]
    digits = math.ceil((info.nmant + 1) * math.log10(2)) + 3
    return mpmath.nstr(higher, digits), errors


def _settle(value, is_complex: bool, info):
    """The exact value as a finite mpf (mpc for a complex result), None if not real, not finite or
    beyond the dtype's range."""
    if value is None:
        return None
    if isinstance(value, mpmath.mpc) and not is_complex:
        if value.imag != 0:
            return None
        value = value.real
    if is_complex:
        value = mpmath.mpc(value)
    if not mpmath.isfinite(value):
        return None
    return value if _magnitude(value) <= info.max else None


def _ulps(value, exact, info) -> Any:
    """|value - exact| in ulps of exact: normwise for complex (both parts in ulps of the larger)."""
    if isinstance(exact, mpmath.mpc):
        value = mpmath.mpc(value)
        diff = max(abs(value.real - exact.real), abs(value.imag - exact.imag))
    else:
        diff = abs(mpmath.re(value) - exact) if isinstance(value, mpmath.mpc) else abs(value - exact)
    scale = _magnitude(exact)
    exponent = int(info.minexp) if scale < float(info.smallest_normal) else int(mpmath.frexp(scale)[1]) - 1
    return diff / mpmath.ldexp(1, exponent - int(info.nmant))


def _span(xs: list) -> int:
    """Bits between the largest and the smallest non-zero part of the inputs."""
    exponents = [int(mpmath.frexp(p)[1]) for x in xs for p in ((x.real, x.imag) if isinstance(x, mpmath.mpc) else (x,))
                 if p != 0]
    return max(exponents) - min(exponents) if exponents else 0


def _magnitude(x):
    return max(abs(x.real), abs(x.imag)) if isinstance(x, mpmath.mpc) else abs(x)


def _round(x) -> float:
    return float(f"{float(x):.3g}")


def _to_mp(x):
    """An input or result as the mpmath number it is exactly (None for a non-number)."""
    if isinstance(x, (bool, int, np.bool_, np.integer)):
        return mpmath.mpf(int(x))
    if isinstance(x, (complex, np.complexfloating)):
        z = complex(x)
        return mpmath.mpc(z.real, z.imag)
    try:
        return mpmath.mpf(float(x))
    except (TypeError, ValueError):
        return None


def _finite(v) -> bool:
    try:
        return bool(np.isfinite(complex(v)))
    except (TypeError, ValueError):
        return False


def _has_zero(x) -> bool:
    return x.real == 0 or x.imag == 0 if isinstance(x, mpmath.mpc) else x == 0


@contextlib.contextmanager
def _alarm(seconds: float):
    """Interrupt a computation that runs past ``seconds`` with _OutOfTime: only in the main thread
    and only while nobody else handles SIGALRM; elsewhere the budget is checked between elements."""
    usable = (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
              and signal.getsignal(signal.SIGALRM) == signal.SIG_DFL)
    if not usable:
        yield
        return

    def ring(signum, frame):
        raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 1e-3))
    try:
        yield
    finally:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:
            signal.signal(signal.SIGALRM, previous)
