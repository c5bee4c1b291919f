"""Conformance area ``statistical``: the special results of the statistical functions (max, min, mean, prod,
sum, std, var, cumulative_sum, cumulative_prod).

The rules are the sentences ``tools/derive_special_cases.py`` derives from ``statistical_functions.py``
(``statistical`` in ``opinfo/data/array_api_special_cases.json``): empty reductions ("If ``M`` is ``0``"),
NaN propagation, ``M - correction <= 0``, the ``correction`` divisor, ``include_initial``'s identity, and
"as if implemented by successive application of add / multiply". Each rule is run per floating dtype the
function is for (``x``: "Should have a real-valued ... data type" keeps max, min, std and var real) on small
deterministic inputs, over ``axis=None``, an axis of a 2-d array (both axes) and ``keepdims=True``.

"Successive application" fixes no order (pairwise summation is allowed) and does not say whether the fold
starts from the identity, so a result conforms when *some* order of folding the reduced values (with or
without the identity) gives it exactly: ``[inf, -inf, 1]`` must sum to NaN, ``[-0, 3]`` multiply to ``-0``,
while the sign of an all-``-0`` sum stays open. Cumulative results are judged prefix by prefix.

A call form the library does not take at all (the same call on ordinary values raises or returns no
array: ``torch.max(x, axis=1)`` returns a tuple) is not this area's finding: those inputs are skipped,
and a rule with none left is ``n/a``. Notes that leave behaviour open (an empty max, the order of signed
zeros, 0-d cumulative input, complex ordering), the complex ``prod`` (multiply's complex special cases are
implementation dependent) and mean's NaN components, which the standard's own note says libraries
handle otherwise, are recorded as ``unspecified`` with what the library and NumPy do.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np

from opinfo.special_cases import DATA
from parity.conformance import Check, quiet, raised

REAL = ("float32", "float64")
COMPLEX = ("complex64", "complex128")
KINDS = {"numeric": REAL + COMPLEX, "floating-point": REAL + COMPLEX, "real-valued": REAL,
         "real-valued floating-point": REAL}
SHOWN = 5
INF, NAN = math.inf, math.nan
#: Rows whose fold under each operation hits its special cases (values exact in float32: no rounding).
ROWS = {
    "add": [[INF, -INF, 1], [NAN, 1, 2], [1, 2, NAN], [INF, 1, 2], [1, -INF, 2], [INF, INF, 1], [-0.0, -0.0, -0.0],
            [-0.0, 0.0, -0.0], [1, 2, -3], [-INF, NAN, INF]],
    "multiply": [[INF, 0, 2], [0, -INF, 1], [NAN, 1, 2], [1, 2, NAN], [-0.0, 3, 1], [-0.0, -0.0, 2], [-INF, 2, -1],
                 [-INF, -1, -1], [INF, -2, 0.5], [-0.0, -1, 0]],
    "nan": [[NAN, 1, 2], [1, NAN, 2], [1, 2, NAN], [NAN, NAN, NAN], [INF, NAN, -INF], [-INF, NAN, 1]],
}
IDENTITY = {"add": 0.0, "multiply": 1.0}
#: (x, correction, kwargs) whose M - correction <= 0 (M: the elements reduced).
NO_DOF = [((0,), 0, {}), ((1,), 1, {}), ((2,), 2, {}), ((2,), 2.5, {}), ((3,), 3.0, {}), ((2, 0), 0, {"axis": 1}),
          ((1, 3), 1, {"axis": 0}), ((1, 3), 1, {"axis": 0, "keepdims": True})]
EMPTY = [((0,), {}), ((2, 0), {"axis": 1}), ((0, 3), {"axis": 0}), ((2, 0), {"axis": 1, "keepdims": True}),
         ((0, 3), {})]


@cache
def rules(version: str) -> dict[str, list[dict]]:
    return json.loads(DATA.read_text(encoding="utf-8"))["statistical"]["versions"][version]


# ---------------------------------------------------------------------------------- values


def _key(v) -> tuple:
    """Exact identity of a value: NaN equals NaN, zeros by their sign."""
    v = complex(v)
    return tuple("nan" if math.isnan(p) else repr(float(p)) for p in (v.real, v.imag))


def _show(v) -> str:
    v = complex(v)
    return repr(v.real) if v.imag == 0 and not math.copysign(1, v.imag) < 0 else f"complex({v.real!r}, {v.imag!r})"


def _array(rows, dtype: str) -> np.ndarray:
    return np.asarray(rows, dtype=dtype)


def _complex(re: np.ndarray, im: np.ndarray, dtype: str) -> np.ndarray:
    """Parts set one by one (``re + 1j * im`` turns an infinite part into NaN + inf j)."""
    out = np.empty(np.shape(re), dtype=dtype)
    out.real, out.imag = re, im
    return out


@cache
def _folds(keys: tuple, op: str, dtype: str) -> frozenset:
    """Every result of folding the values (given by their ``_key``: -0.0 == 0.0 would share a cache entry)
    with ``op`` in some order and association, in ``dtype``."""
    scalar = np.dtype(dtype).type
    values = [complex(float(re), float(im)) if dtype in COMPLEX else float(re) for re, im in keys]
    f = np.add if op == "add" else np.multiply

    def results(idx: frozenset) -> set:
        if len(idx) == 1:
            return {scalar(values[next(iter(idx))])}
        out, items = set(), sorted(idx)
        for mask in range(1, 2 ** (len(items) - 1)):
            left = frozenset(i for b, i in enumerate(items) if mask >> b & 1)
            for a in results(left):
                for b in results(idx - left):
                    out.add(f(a, b))
        return out

    with np.errstate(all="ignore"):
        return frozenset(_key(v) for v in results(frozenset(range(len(values)))))


@dataclass(frozen=True)
class Want:
    """What a rule requires of one element of a result: exact values (``keys``) or a ``test``."""

    text: str
    keys: frozenset = frozenset()
    test: Callable | None = None

    def __call__(self, value) -> bool:
        return self.test(value) if self.test is not None else _key(value) in self.keys


def _unkey(key: tuple) -> str:
    return key[0] if key[1] in ("0.0", "-0.0") else f"complex({key[0]}, {key[1]})"


def _fold_any(values, op: str, dtype: str) -> Want:
    """Folds of ``values`` with and without the identity (the standard does not say where the fold starts)."""
    given = tuple(_key(v) for v in values)
    if not given:
        return exact(IDENTITY[op])
    keys = _folds(given, op, dtype) | _folds((*given, _key(IDENTITY[op])), op, dtype)
    return Want(" or ".join(sorted({_unkey(k) for k in keys})), keys)


def exact(*values) -> Want:
    """Exact values; a zero part's sign is free ("the sum must be 0"), so is the imaginary part of a real."""
    out = set()
    for v in values:
        v = complex(v)
        for re in (v.real, -v.real) if v.real == 0 else (v.real,):  # a set would merge 0.0 and -0.0
            for im in (0.0, -0.0) if v.imag == 0 else (v.imag,):
                out.add(_key(complex(re, im)))
    return Want(" or ".join(sorted({_unkey(k) for k in out})), frozenset(out))


def close(value: float, rtol: float) -> Want:
    return Want(f"{value!r} (rtol {rtol:.1e})", test=lambda v: bool(np.isclose(complex(v), value, rtol=rtol, atol=0)))


# ---------------------------------------------------------------------------------- calls


def _call(f, to, x: np.ndarray, kwargs: dict, shape: tuple):
    """(result as NumPy, None) or (None, what went wrong): raising, or a result that is no array of ``shape``."""
    with quiet():
        try:
            value = f(to[0](x), **kwargs)
            if isinstance(value, tuple):
                return None, f"returns a {type(value).__name__}, not an array"
            out = np.asarray(to[1](value))
        except Exception as exc:  # noqa: BLE001 - the library's own error is the finding
            return None, raised(exc)
    if shape is not None and out.shape != shape:
        return None, f"returns shape {out.shape}, not {shape}"
    return out, None


def _shape(x: np.ndarray, kwargs: dict, cumulative: bool) -> tuple:
    if cumulative:
        axis = kwargs.get("axis", 0)
        return tuple(n + (i == axis and bool(kwargs.get("include_initial"))) for i, n in enumerate(x.shape))
    return np.sum(np.zeros(x.shape), axis=kwargs.get("axis"), keepdims=kwargs.get("keepdims", False)).shape


def _text(name: str, x: np.ndarray, kwargs: dict) -> str:
    args = "".join(f", {k}={v!r}" for k, v in kwargs.items())
    values = " ".join(np.array2string(x, separator=", ", threshold=20).split()) if x.size else f"empty {x.shape}"
    return f"{name}({values} {x.dtype}{args})"


class _Run:
    """Calls of one function on one target, with NumPy's answer and a control call per call form."""

    def __init__(self, target, name: str):
        self.name, self.f = name, target.function(name)
        self.to = (target.asarray, target.to_numpy)
        self.ref = getattr(np, name, None)
        self.controls: dict = {}
        self.cumulative = name.startswith("cumulative")

    def control(self, x: np.ndarray, kwargs: dict) -> str | None:
        """Why this call form cannot be checked (the same call on ordinary values fails too), or None; asked only
        of a call that failed, so a working call compiles nothing more. A float ``correction`` is tried as an
        int: the standard allows both, so refusing the float is a finding."""
        shape = tuple(n or 2 for n in x.shape)
        kwargs = {k: int(v) if k == "correction" else v for k, v in kwargs.items()}
        key = (shape, x.dtype.name, repr(sorted(kwargs.items())))
        if key not in self.controls:
            ordinary = np.full(shape, 1.5, dtype=x.dtype)
            self.controls[key] = _call(self.f, self.to, ordinary, kwargs, _shape(ordinary, kwargs, self.cumulative))[1]
        return self.controls[key]

    def __call__(self, x: np.ndarray, kwargs: dict, any_shape: bool = False):
        shape = None if any_shape else _shape(x, kwargs, self.cumulative)
        got, problem = _call(self.f, self.to, x, kwargs, shape)
        ref = None
        if self.ref is not None:
            ref, _ = _call(self.ref, (np.asarray, np.asarray), x, kwargs, shape)
        return got, problem, ref


# ---------------------------------------------------------------------------------- judging


def _judge(run: _Run, rule: dict, dtype: str, probes) -> Check:
    """``probes``: (x, kwargs, wants) with one :class:`Want` per element of the result (None where the rule
    says nothing about that element)."""
    bad, total, skipped = [], 0, []
    for x, kwargs, wants in probes:
        got, problem, ref = run(x, kwargs)
        why = None if problem is None else run.control(x, kwargs)  # a call that works needs no control
        if why is not None:
            skipped.append(why)
            continue
        index = [i for i, w in enumerate(wants) if w is not None]
        total += len(index)
        wrong = index if problem is not None else [i for i in index if not wants[i](got.flat[i])]
        if wrong:
            lib = problem or ", ".join(_show(got.flat[i]) for i in wrong)
            ref_text = "raises" if ref is None else ", ".join(_show(ref.flat[i]) for i in wrong)
            same = ref is not None and problem is None and all(_key(got.flat[i]) == _key(ref.flat[i]) for i in wrong)
            bad.append((_text(run.name, x, kwargs), len(wrong), wants[wrong[0]].text, lib, ref_text, same))
    sentence = rule["sentence"]
    if not total and skipped:
        return Check(run.name, sentence, "n/a", dtype=dtype, required=f"the call form itself fails: {skipped[0]}")
    if not bad:
        return Check(run.name, sentence, "conforms", dtype=dtype, elements_total=total)
    shown = bad[:SHOWN]
    return Check(run.name, sentence, "violates", dtype=dtype, input="; ".join(b[0] for b in shown),
                 required="; ".join(b[2] for b in shown), library="; ".join(b[3] for b in shown),
                 numpy="; ".join(b[4] for b in shown), follows="numpy" if all(b[5] for b in bad) else "neither",
                 elements=sum(b[1] for b in bad), elements_total=total)


def _values(a: np.ndarray) -> str:
    return ", ".join(map(_show, a.flat)) + (f" (shape {a.shape})" if a.ndim else "")


def _observe(run: _Run, rule: dict, dtype: str, inputs, why: str) -> Check:
    """A rule that leaves these inputs open: what the library and NumPy do, as ``unspecified``."""
    got, ref, texts = [], [], []
    for x, kwargs in inputs:
        shape = _shape(x, kwargs, run.cumulative)
        g, problem, r = run(x, kwargs, any_shape=True)
        got.append(problem or _values(g))
        ref.append("raises" if r is None else _values(r))
        texts.append(_text(run.name, x, kwargs) + ("" if shape else " (0-d)"))
    return Check(run.name, rule["sentence"], "unspecified", dtype=dtype, input="; ".join(texts), required=why,
                 library="; ".join(got), numpy="; ".join(ref), follows="numpy" if got == ref else "neither")


# ---------------------------------------------------------------------------------- probes


def _reductions(rows: np.ndarray, allowed_of):
    """The call forms of one set of rows: axis=1, axis=0 of the transpose, keepdims, and each row alone."""
    per_row = [allowed_of(r) for r in rows]
    yield rows, {"axis": 1}, per_row
    yield np.ascontiguousarray(rows.T), {"axis": 0}, per_row
    yield rows, {"axis": 1, "keepdims": True}, per_row
    yield rows, {"axis": -1}, per_row
    for r, a in zip(rows, per_row):
        yield r, {}, [a]


def _cumulative(rows: np.ndarray, op: str, dtype: str):
    def prefixes(r):
        return [_fold_any(r[: i + 1], op, dtype) for i in range(len(r))]

    per_row = [prefixes(r) for r in rows]
    yield rows, {"axis": 1}, [a for p in per_row for a in p]
    yield np.ascontiguousarray(rows.T), {"axis": 0}, [per_row[j][i] for i in range(rows.shape[1])
                                                      for j in range(len(rows))]
    for r, p in zip(rows, per_row):
        yield r, {}, p


def _complex_rows(rows: list, dtype: str) -> np.ndarray:
    """Complex rows pairing each real row with another as its imaginary part."""
    re = _array(rows, "float64")
    return _complex(re, np.roll(re, 3, axis=0), dtype)


def _as_if(run: _Run, rule: dict, dtype: str) -> Check:
    op = rule["parsed"]["as_if"]
    rows = ROWS[op]
    x = _complex_rows(rows, dtype) if dtype in COMPLEX else _array(rows, dtype)
    if op == "multiply" and dtype in COMPLEX:
        return _observe(run, rule, dtype, [(x[i], {}) for i in range(4)],
                        "multiply's complex special cases are implementation dependent (its note: C99's "
                        "one-infinity model or the textbook formula), so successive multiplication fixes nothing")
    probes = (_cumulative(x, op, dtype) if run.cumulative else
              _reductions(x, lambda r: _fold_any(r, op, dtype)))
    return _judge(run, rule, dtype, probes)


def _empty(run: _Run, rule: dict, dtype: str) -> Check:
    result = rule["parsed"]["result"]
    want = complex(NAN, NAN) if "real" in result else {"NaN": NAN, "0": 0.0, "1": 1.0}[result["value"]]
    probes = []
    for shape, kwargs in EMPTY:
        x = np.zeros(shape, dtype=dtype)
        probes.append((x, kwargs, [exact(want)] * max(1, math.prod(_shape(x, kwargs, False)))))
    return _judge(run, rule, dtype, probes)


def _nan(run: _Run, rule: dict, dtype: str) -> Check:
    rows = _array(ROWS["nan"], dtype)
    return _judge(run, rule, dtype, _reductions(rows, lambda r: exact(NAN)))


def _nan_component(run: _Run, rule: dict, dtype: str) -> Check:
    """mean of complex rows with a NaN real (imaginary) part: that component must be NaN. A result NaN only in
    the other component is the deviation the standard's own note describes (unspecified); one with no NaN at
    all breaks the bullet and the note's advice (test the result with isnan) alike."""
    real = rule["parsed"]["component"] == "real"
    parts = _array(ROWS["nan"], "float64")
    filled = np.where(np.isnan(parts), 1.0, parts)
    x = _complex(parts, filled, dtype) if real else _complex(filled, parts, dtype)
    part = "real" if real else "imaginary"
    strict = Want(f"NaN {part} part", test=lambda v: math.isnan(complex(v).real if real else complex(v).imag))
    loose = Want("a NaN part", test=lambda v: math.isnan(complex(v).real) or math.isnan(complex(v).imag))
    checked = _judge(run, rule, dtype, _reductions(x, lambda r: strict))
    if checked.verdict != "violates":
        return checked
    weak = _judge(run, rule, dtype, _reductions(x, lambda r: loose))
    if weak.verdict == "violates":
        return weak
    return Check(run.name, rule["sentence"], "unspecified", dtype=dtype, input=checked.input, library=checked.library,
                 numpy=checked.numpy, follows=checked.follows,
                 required="the standard's note: libraries deviate in NaN components (isnan of the result holds)")


def _no_dof(run: _Run, rule: dict, dtype: str) -> Check:
    probes = []
    for shape, correction, kwargs in NO_DOF:
        x = _array(np.arange(1, math.prod(shape) + 1).reshape(shape), dtype)
        n = max(1, math.prod(_shape(x, kwargs, False)))
        probes.append((x, {**kwargs, "correction": correction}, [exact(NAN)] * n))
    return _judge(run, rule, dtype, probes)


def _divisor(run: _Run, rule: dict, dtype: str) -> Check:
    """var(x, correction=c) = sum((x - mean)^2) / (M - c); std its square root."""
    x = _array([[1, 2, 3, 4], [2, 4, 6, 8]], dtype)
    squares = np.array([5.0, 20.0])
    root = np.sqrt if run.name == "std" else (lambda v: v)
    rtol = 8 * float(np.finfo(dtype).eps)
    probes = []
    for c in (0, 1, 0.5, 2):
        want = [close(float(v), rtol) for v in root(squares / (4 - c))]
        probes += [(x, {"axis": 1, "correction": c}, want), (x[0], {"correction": c}, want[:1])]
    return _judge(run, rule, dtype, probes)


def _initial(run: _Run, rule: dict, dtype: str) -> Check:
    want = exact(float(rule["parsed"]["initial"]))
    x = _array([[1.5, 2.5], [3.0, -1.0]], dtype)
    probes = [(x[0], {"include_initial": True}, [want, None, None]),
              (x, {"axis": 1, "include_initial": True}, [want, None, None] * 2),
              (np.zeros(0, dtype=dtype), {"include_initial": True}, [want])]
    return _judge(run, rule, dtype, probes)


#: The inputs a note that leaves behaviour open is observed on.
OPEN = {
    "empty": lambda d: [(np.zeros(0, dtype=d), {}), (np.zeros((2, 0), dtype=d), {"axis": 1})],
    "signed_zeros": lambda d: [(_array([-0.0, 0.0], d), {}), (_array([0.0, -0.0], d), {})],
    "zero_dimensional": lambda d: [(_array(2.5, d), {})],
    "complex": lambda d: [(_array([1 + 2j, 2 + 1j], "complex128"), {})],
}


def checks(target):
    for name, found in rules(target.version).items():
        run = _Run(target, name)
        kinds = next((r["parsed"]["input_dtypes"] for r in found if "input_dtypes" in (r["parsed"] or {})), "numeric")
        for rule in found:
            yield from _rule(target, run, rule, KINDS[kinds])


def _rule(target, run: _Run, rule: dict, for_dtypes: tuple):
    parsed = rule["parsed"]
    if parsed is None:
        yield Check(run.name, rule["sentence"], "n/a", required=f"not a special case: {rule['unparsed']}")
        return
    if {"input_dtypes", "components", "libraries_deviate"} & set(parsed):
        return  # they shape the other rules: which dtypes, how mean's component bullets are judged
    if run.f is None:
        yield Check(run.name, rule["sentence"], "n/a", required="the namespace has no such function")
        return
    if parsed.get("implementation_defined"):
        dtype = "complex128" if parsed["when"] == "complex" else "float64"
        if target.supports(dtype):
            yield _observe(run, rule, dtype, OPEN[parsed["when"]](dtype), "implementation-defined: " +
                           rule["sentence"].replace("``", "").replace("**", "").split(". ")[0])
        return
    operands = {"real": REAL, "complex": COMPLEX}.get(rule["operands"], REAL + COMPLEX)
    for dtype in (d for d in for_dtypes if d in operands and target.supports(d)):
        if "as_if" in parsed:
            yield _as_if(run, rule, dtype)
        elif "divisor" in parsed:
            yield _divisor(run, rule, dtype)
        elif "initial" in parsed:
            yield _initial(run, rule, dtype)
        elif parsed["when"] == "empty":
            yield _empty(run, rule, dtype)
        elif parsed["when"] == "no_degrees_of_freedom":
            yield _no_dof(run, rule, dtype)
        elif "component" in parsed:
            yield _nan_component(run, rule, dtype)
        else:
            yield _nan(run, rule, dtype)
