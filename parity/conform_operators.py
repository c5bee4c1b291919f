"""Conformance area ``operators``: every operator of the array object against the function it stands for.

The operators, their forms and their functions are derived from the standard's ``array_object.rst``
and ``array_object.py`` by ``tools/derive_promotion.py`` (``opinfo/data/array_api_promotion.json``):
``__add__`` "must equal the results returned by the equivalent element-wise function ``add``",
``__radd__`` must match ``__add__`` ("The results of applying reflected operators must match their
non-reflected equivalents"), ``x1 += x2`` must leave in ``x1`` what ``x1 + x2`` gives. Per operator
and per dtype its operands should have, one call on one pair of arrays of that dtype (all pairs of a
fixed set of values: signed zeros, infinities and NaN for floating dtypes; values valid for the
function, e.g. no zero divisor or negative shift for integers), compared with the function's result
element by element (NaN equals NaN, zeros by their sign), by dtype and by shape:

- plain ``x1.__add__(x2)`` and unary ``x.__neg__()``: equal ``add(x1, x2)``, ``negative(x)``;
- reflected ``x2.__radd__(x1)``: equals ``add(x1, x2)``;
- in-place ``x1 += x2`` (Python's own path: ``__iadd__``, else ``__add__``): the value bound to ``x1``
  equals ``add(x1, x2)`` with ``x1``'s dtype and shape; and, a rule of its own, the operation mutates
  the array ``x1`` referred to. The standard lets a library that does not support mutation leave
  ``__iadd__`` out and does not guarantee mutation, so a new object is ``unspecified``; an ``__iadd__``
  that returns ``x1`` while ``x1`` does not hold the result violates the first rule.

A missing plain, reflected or unary operator violates ("the array object has no __radd__"). A violation
carries what all its failing elements show (``tags``, a gap's ``where``): "ulp", each is finite and
within 2 ulp of the function's (another rounding); "swapped", a reflected operator gave exactly the
function of its operands swapped (``add(x2, x1)`` for ``x2.__radd__(x1)``); "reciprocal", a reflected
division gave exactly ``multiply(x1, reciprocal(x2))``.
"""

from __future__ import annotations

import operator
from dataclasses import replace

import numpy as np

from parity.conform_promotion import rules
from parity.conformance import Check, quiet, raised

#: Failing elements shown per violation.
SHOWN = 3
_FLOAT = (np.nan, -np.inf, -2.5, -1.0, -0.0, 0.0, 0.5, 1.0, 3.0, np.inf)
_PART = (np.nan, -np.inf, -0.0, 0.0, 1.5, np.inf)
_SIGNED = (-3, -1, 0, 1, 2, 5)
_UNSIGNED = (0, 1, 2, 5, 7)
_SMALL = (0, 1, 2, 3)  # shift counts, integer exponents


def values(dtype: str, role: str, function: str) -> tuple:
    """The values of one operand (``role`` "x1" or "x2") of ``function`` for ``dtype``."""
    if dtype == "bool":
        return (False, True)
    if dtype.startswith("complex"):
        return tuple(complex(r, i) for r in _PART for i in _PART[1:])
    if dtype.startswith("float"):
        return _FLOAT
    base = _UNSIGNED if dtype.startswith("uint") else _SIGNED
    if role == "x2" and function in ("bitwise_left_shift", "bitwise_right_shift", "pow"):
        return _SMALL
    if role == "x2" and function in ("floor_divide", "remainder"):
        return tuple(v for v in base if v != 0)
    return base


def operands(dtype: str, function: str, arity: int) -> list[np.ndarray]:
    """Host operands: every (x1, x2) combination of the values, or the values alone (unary); matmul: 2x2."""
    dt = np.dtype(dtype)
    if function == "matmul":
        return [np.array([[1, 2], [3, 0]], dtype=dt), np.array([[2, 1], [1, 3]], dtype=dt)]
    v1 = np.array(values(dtype, "x1", function), dtype=dt)
    if arity == 1:
        return [v1]
    v2 = np.array(values(dtype, "x2", function), dtype=dt)
    return [np.repeat(v1, len(v2)), np.tile(v2, len(v1))]


def same(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Element-wise identity: NaN equals NaN, zeros by their sign, integers and booleans exactly."""
    if a.dtype.kind == "c" or b.dtype.kind == "c":
        return same(np.real(a), np.real(b)) & same(np.imag(a), np.imag(b))
    if a.dtype.kind in "biu" and b.dtype.kind in "biu":
        return a == b
    a, b = a.astype(np.float64), b.astype(np.float64)
    return (np.isnan(a) & np.isnan(b)) | ((a == b) & (np.signbit(a) == np.signbit(b)))


def _fmt(v) -> str:
    v = np.asarray(v)[()]
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if np.iscomplexobj(v):
        return f"complex({float(v.real)!r}, {float(v.imag)!r})"
    return repr(float(v)) if np.asarray(v).dtype.kind == "f" else str(int(v))


class Outcome:
    """A call's result read back: host values and the dtype's name, or the error text."""

    def __init__(self, target, value=None, error: str | None = None, dtype_name: str | None = None):
        self.error = error
        self.host = None
        self.dtype = dtype_name
        if error is None:
            try:
                with quiet():
                    self.host = target.to_numpy(value)
                self.dtype = dtype_name or self.host.dtype.name
            except Exception as exc:  # noqa: BLE001
                self.error = f"result not readable: {raised(exc)}"


def _run(fn):
    try:
        with quiet():
            return fn(), None
    except Exception as exc:  # noqa: BLE001 - the library's error is the finding
        return None, raised(exc)


def checks(target):
    ops = rules(target.version)["operators"]
    in_place = rules(target.version)["in_place"]
    for name, op in ops.items():
        base = ops.get(op.get("of", name), op)
        function = base["function"]
        f = target.function(function)
        arity = 1 if op["form"] == "unary" else 2
        for dtype in base["dtypes"]["self"]:
            if not target.supports(dtype):
                continue
            if f is None:
                yield Check(name, f"{_call(name, op)} equals {function}", "n/a", dtype=dtype)
                continue
            yield from _operator(target, name, op, function, f, dtype, arity, in_place)


def _call(name: str, op: dict) -> str:
    form = op["form"]
    if form == "reflected":
        return f"x2.{name}(x1)"
    if form == "in-place":
        return f"x1 {op['symbol']} x2"
    if form == "unary":
        return f"x.{name}()"
    return f"x1.{name}(x2)"


def _operator(target, name, op, function, f, dtype, arity, in_place):
    host = operands(dtype, function, arity)
    form = op["form"]
    call = _call(name, op)
    rule = f"{call} equals {function}({'x' if arity == 1 else 'x1, x2'})"
    sentence = op["sentence"]
    args = [target.asarray(h) for h in host]
    expected, err = _run(lambda: f(*args))
    want = Outcome(target, expected, err)
    ref = _numpy(function, host)
    shape = tuple(np.broadcast_shapes(*[h.shape for h in host])) if function != "matmul" else (2, 2)
    desc = f"{call}; " + ", ".join(f"{n}: {dtype} array of shape {h.shape}"
                                   for n, h in zip(("x",) if arity == 1 else ("x1", "x2"), host))
    if want.error is not None:
        yield Check(name, rule, "n/a", dtype=dtype, sentence=f"{function} itself {want.error}")
        return
    if form == "in-place":
        yield from _in_place(target, name, op, function, host, want, ref, rule, sentence, desc, dtype, in_place)
        return
    subject = args[1] if form == "reflected" else args[0]
    method = getattr(type(subject), name, None)
    if method is None:
        yield Check(name, rule, "violates", dtype=dtype, sentence=sentence, input=desc, required=f"{function}'s result",
                    library=f"the array object has no {name}", numpy=None, follows="neither",
                    elements=int(np.prod(shape)), elements_total=int(np.prod(shape)))
        return
    if form == "reflected":
        got, err = _run(lambda: method(args[1], args[0]))
    elif arity == 1:
        got, err = _run(lambda: method(args[0]))
    else:
        got, err = _run(lambda: method(args[0], args[1]))
    if err is None and got is NotImplemented:
        err = "returns NotImplemented"
    check = _compare(name, rule, sentence, dtype, desc, host, Outcome(target, got, err), want, ref)
    if form == "reflected" and check.verdict == "violates" and err is None:  # does it compute f(x2, x1)?
        swapped, refused = _run(lambda: f(args[1], args[0]))
        mine, other = Outcome(target, got), Outcome(target, swapped, refused)
        if other.error is None and other.host.shape == mine.host.shape and same(mine.host, other.host).all():
            check = replace(check, tags=(*check.tags, "swapped"))
        times, inverse = target.function("multiply"), target.function("reciprocal")
        if function == "divide" and times is not None and inverse is not None:  # x1 * (1 / x2): two roundings
            product, refused = _run(lambda: times(args[0], inverse(args[1])))
            other = Outcome(target, product, refused)
            if other.error is None and other.host.shape == mine.host.shape and same(mine.host, other.host).all():
                check = replace(check, tags=(*check.tags, "reciprocal"))
    yield check


def _in_place(target, name, op, function, host, want, ref, rule, sentence, desc, dtype, in_place):
    if want.dtype != dtype:  # int8 /= int8: divide gives a floating dtype, x1 must keep its own
        yield Check(name, rule, "unspecified", dtype=dtype, sentence=in_place["differs"], input=desc,
                    required=f"{dtype} (x1's dtype); {function} gives {want.dtype}")
        return
    x1, x2 = target.asarray(host[0]), target.asarray(host[1])
    has = getattr(type(x1), name, None) is not None
    got, err = _run(lambda: getattr(operator, name.strip("_"))(x1, x2))
    out = Outcome(target, got, err)
    yield _compare(name, rule, f"{in_place['equals']} {sentence}", dtype, desc, host, out, want, ref)
    mutation = f"{op['symbol']} mutates x1"
    if err is not None:
        return
    if not has:
        yield Check(name, mutation, "unspecified", dtype=dtype, sentence=in_place["may_not_implement"],
                    library=f"the array object has no {name} (Python falls back to {op['of']})")
        return
    if got is not x1:
        yield Check(name, mutation, "unspecified", dtype=dtype, sentence=in_place["no_mutation"],
                    library=f"{name} returns a new array")
        return
    yield Check(name, mutation, "conforms", dtype=dtype, sentence=in_place["no_mutation"], elements_total=1)


def _numpy(function: str, host):
    f = getattr(np, function, None)
    if f is None:
        return None
    out, err = _run(lambda: np.asarray(f(*host)))
    return out


def _compare(name, rule, sentence, dtype, desc, host, got: Outcome, want: Outcome, ref) -> Check:
    total = int(want.host.size) if want.host is not None else 1
    common = {"dtype": dtype, "sentence": sentence, "input": desc}
    if got.error is not None:
        return Check(name, rule, "violates", required=f"{want.dtype} array of shape {want.host.shape}",
                     library=got.error, numpy=None if ref is None else f"{ref.dtype.name} array", follows="neither",
                     elements=total, elements_total=total, **common)
    if got.dtype != want.dtype or got.host.shape != want.host.shape:
        follows = "numpy" if ref is not None and (ref.dtype.name, ref.shape) == (got.dtype, got.host.shape) \
            else "neither"
        return Check(name, rule, "violates", required=f"{want.dtype} array of shape {want.host.shape}",
                     library=f"{got.dtype} array of shape {got.host.shape}",
                     numpy=None if ref is None else f"{ref.dtype.name} array of shape {ref.shape}", follows=follows,
                     elements=total, elements_total=total, **common)
    ok = same(got.host, want.host)
    if ok.all():
        return Check(name, rule, "conforms", elements_total=total, **common)
    bad = np.flatnonzero(~ok.ravel())
    tags = ("ulp",) if _within_ulp(got.host.ravel()[bad], want.host.ravel()[bad]) else ()
    shown = bad[:SHOWN]
    names = ("x1", "x2") if len(host) == 2 else ("x",)
    where = ""
    if all(h.shape == want.host.shape for h in host):
        where = "; ".join(", ".join(f"{n}={_fmt(h.ravel()[i])}" for n, h in zip(names, host)) for i in shown)
    numpy = None
    follows = None
    if ref is not None and ref.shape == want.host.shape:
        numpy = ", ".join(_fmt(ref.ravel()[i]) for i in shown)
        follows = "numpy" if same(ref.ravel()[bad], got.host.ravel()[bad]).all() else "neither"
    return Check(name, rule, "violates", required=", ".join(_fmt(want.host.ravel()[i]) for i in shown),
                 library=", ".join(_fmt(got.host.ravel()[i]) for i in shown), numpy=numpy, follows=follows,
                 elements=len(bad), elements_total=total, tags=tags,
                 **{**common, "input": f"{desc}; at {where}" if where else desc})


def _within_ulp(got: np.ndarray, want: np.ndarray, ulps: int = 2) -> bool:
    """Whether every element is finite and within ``ulps`` units in the last place of ``want`` (of its
    dtype; complex: each part): another rounding of the same value, not another value."""
    if want.dtype.kind not in "fc":
        return False
    parts = [(np.real(got), np.real(want)), (np.imag(got), np.imag(want))] if want.dtype.kind == "c" else [(got, want)]
    with np.errstate(all="ignore"):
        return all(bool((np.isfinite(g) & np.isfinite(w) & (np.abs(g - w) <= ulps * np.spacing(np.abs(w)))).all())
                   for g, w in parts)
