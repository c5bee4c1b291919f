"""Conformance area ``scalars``: ``__bool__``, ``__int__``, ``__float__``, ``__complex__`` and ``__index__``.

The rules are the sentences of each method's docstring as derived into ``parity/data/array_api_<version>.json``
(``array.conversions``; ``tools/derive_array_api_spec.py``). Each rule is run on 0-d arrays of every
standard dtype it is about that the target supports, with the values its sentence names (``NaN``,
``±infinity``, ``±0``, ``True``/``False``, finite numbers up to the dtype's largest) or, for the
"Returns" rule, ordinary values of the dtype (its extremes included): one :class:`Check` per
(method, rule, dtype). The method is called directly (``x.__int__()``), so a result of the wrong type
is seen as it is; NumPy's column is the same method on ``np.asarray(value, dtype)``.

Verdicts: a special case or a "must raise" is violated when one of its values gives anything else; the
"Returns" rule also wants the exact Python type (``int``, not ``np.int64``). Where the standard only
says what the operand *should* be (``__index__`` of a ``bool`` array, any conversion of a 1-element
1-d array) the library's behaviour is recorded as ``unspecified``. A lazy library (one whose backend
computes in ``finalize``) that raises ``ValueError`` instead of returning a value does what the
"Lazy implementations" sentence allows.
"""

from __future__ import annotations

import math
import re

import numpy as np

from parity.conformance import Check, Raised, attempt
from parity.coverage import load_spec

PYTHON_TYPES = {"bool": bool, "int": int, "float": float, "complex": complex}
#: The values a ``when`` token names (per dtype the finite ones are added by :func:`_finite`).
SPECIAL = {"True": True, "False": False, "NaN": math.nan, "+infinity": math.inf, "-infinity": -math.inf,
           "+0": 0.0, "-0": -0.0}


def _finite(dtype: str) -> list:
    info = np.finfo(dtype)
    return [2.5, -2.5, 0.75, -0.75, 1e6 + 0.5, float(info.max), -float(info.max), float(info.smallest_subnormal)]


def _ordinary(dtype: str) -> list:
    """Values a "Returns" rule is checked on: the dtype's zero, one, extremes and a fraction."""
    if dtype == "bool":
        return [True, False]
    if dtype.startswith(("int", "uint")):
        info = np.iinfo(dtype)
        return sorted({0, 1, int(info.max), int(info.min), -1 if info.min else 0})
    if dtype.startswith("float"):
        return [1.5, -2.25, 0.1, 1e20]
    return [1 + 2j, -0.5 + 0j, 3j, complex(1e20, -0.1)]


def _values(when: list[str], dtype: str) -> list:
    out = []
    for token in when:
        out += _finite(dtype) if token == "finite" else [SPECIAL[token]]
    return out


def _element(value, dtype: str):
    """The exact Python value of ``value`` stored as ``dtype`` (float32 rounding included)."""
    return np.asarray(value, dtype=dtype)[()].item()


# ---------------------------------------------------------------------------------- outcomes


def _outcome(array, method: str):
    f = getattr(array, method, None)
    return Raised(AttributeError(f"no method {method}")) if f is None else attempt(f)


def _show(outcome) -> str:
    if isinstance(outcome, Raised):
        return outcome.text
    text = repr(outcome)
    return text if type(outcome) in PYTHON_TYPES.values() else f"{text} ({type(outcome).__module__}."\
        f"{type(outcome).__qualname__})"


def _same(a, b) -> bool:
    """Python values equal, NaN equal to NaN, zeros equal only with the same sign (floats, complex parts)."""
    if isinstance(a, Raised) or isinstance(b, Raised):
        return isinstance(a, Raised) and isinstance(b, Raised) and a.cls is b.cls
    try:
        ca, cb = complex(a), complex(b)
    except (TypeError, ValueError, OverflowError):
        return False
    if isinstance(b, int) and not isinstance(b, bool) and isinstance(a, (int, np.integer)):
        return int(a) == b  # exact, beyond float precision
    return all((math.isnan(x) and math.isnan(y)) or (x == y and math.copysign(1, x) == math.copysign(1, y))
               for x, y in ((ca.real, cb.real), (ca.imag, cb.imag)))


# ---------------------------------------------------------------------------------- requirements


def _literal(token: str, element):
    token = token.strip()
    if token == "self":
        return element
    if token in SPECIAL:
        return SPECIAL[token]
    return float(token) if "." in token else int(token)


def _stated(text: str, element, returns: str):
    """The value a result sentence names (``1+0j``, ``NaN + NaN j``, ``True``, ``1``) as a Python value."""
    m = re.fullmatch(r"(.+?)\s*\+\s*(\S+?)\s*j", text)
    if m:
        return complex(_literal(m[1], element), _literal(m[2], element))
    if text in ("True", "False"):
        return text == "True"
    return PYTHON_TYPES[returns](_literal(text, element))


def _required(parsed: dict, element, returns: str):
    """What the rule requires for one element: a Python value, or the exception class's name (str)."""
    result = parsed["result"]
    if "raises" in result:
        return ("raises", result["raises"])
    if "integer_part" in result:
        return ("value", math.trunc(element))
    return ("value", _stated(result["value"], element, returns))


def _meets(outcome, want, exact_type: type | None, lazy: bool) -> bool:
    kind, value = want
    if isinstance(outcome, Raised):
        if kind == "raises":
            return any(c.__name__ == value for c in outcome.cls.__mro__)
        return lazy and issubclass(outcome.cls, ValueError)  # "Lazy implementations ... should raise ValueError"
    if kind == "raises":
        return False
    if exact_type is not None and type(outcome) is not exact_type:
        return False
    return _same(outcome, value)


def _want_text(want) -> str:
    kind, value = want
    return f"raises {value}" if kind == "raises" else repr(value)


# ---------------------------------------------------------------------------------- checks


def _numpy_outcome(value, dtype, method):
    return _outcome(np.asarray(value, dtype=dtype), method)


def _run(target, method: str, rule: dict, dtype: str, values: list, want_of, exact_type, lazy) -> Check:
    """Check one rule on ``values`` of ``dtype``: ``want_of(element)`` is its requirement."""
    bad = []
    for v in values:
        element = _element(v, dtype)
        want = want_of(element)
        got = _outcome(target.asarray(np.asarray(v, dtype=dtype)), method)
        if not _meets(got, want, exact_type, lazy):
            bad.append((element, want, got, _numpy_outcome(v, dtype, method)))
    sentence = rule["sentence"]
    if not bad:
        return Check(method, sentence, "conforms", dtype=dtype, elements_total=len(values))
    shown = bad[:5]
    follows = "numpy" if all(_meets(got, ("raises", ref.cls.__name__) if isinstance(ref, Raised) else ("value", ref),
                                    type(ref) if exact_type else None, False) for _, _, got, ref in bad) else "neither"
    return Check(method, sentence, "violates", dtype=dtype,
                 input="; ".join(f"{dtype} 0-d array of {e!r}" for e, *_ in shown),
                 required="; ".join(_want_text(w) + (f" (a Python {exact_type.__name__})" if exact_type else "")
                                    for _, w, *_ in shown),
                 library="; ".join(_show(g) for *_, g, _ in shown),
                 numpy="; ".join(_show(r) for *_, r in shown),
                 follows=follows, elements=len(bad), elements_total=len(values))


def _observe(target, method: str, rule: dict, dtype: str | None, arrays: list[np.ndarray], why: str) -> Check:
    """A rule that leaves these inputs open: what the library and NumPy do, as ``unspecified``."""
    got = [_outcome(target.asarray(a), method) for a in arrays]
    ref = [_outcome(a, method) for a in arrays]
    inputs = "; ".join(f"{a.dtype} array of shape {a.shape}" + (f" ({a.item()!r})" if a.ndim == 0 else "")
                       for a in arrays)
    same = all(_same(g, r) for g, r in zip(got, ref))
    return Check(method, rule["sentence"], "unspecified", dtype=dtype, input=inputs, required=why,
                 library="; ".join(map(_show, got)), numpy="; ".join(map(_show, ref)),
                 follows="numpy" if same else "neither")


def checks(target):
    spec = load_spec(target.version)
    lazy = target.lazy  # may raise ValueError instead ("Lazy implementations")
    for method, entry in spec["array"]["conversions"].items():
        returns = entry["returns"]
        rules = entry["rules"]
        raising = {d for r in rules if (r["parsed"] or {}).get("when") == "any" for d in r["dtypes"]}
        should = next((r["parsed"]["should_have"] for r in rules if "should_have" in (r["parsed"] or {})), None)
        for rule in rules:
            yield from _rule(target, method, rule, returns, raising, should, lazy)


def _rule(target, method, rule, returns, raising, should, lazy):
    parsed = rule["parsed"]
    dtypes = [d for d in rule["dtypes"] if target.supports(d)]
    if parsed is None:
        yield Check(method, rule["sentence"], "unspecified", required=f"not parsed: {rule.get('unparsed')}")
        return
    if "ndim" in parsed:
        dtype = "int64" if should and "float64" not in should else "float64"
        yield _observe(target, method, rule, None, [np.ones(1, dtype=dtype), np.ones((2, 2), dtype=dtype)],
                       "the standard defines the conversion for zero-dimensional arrays only")
        return
    if "should_have" in parsed:
        for dtype in dtypes:
            if dtype not in parsed["should_have"] and dtype not in raising:
                arrays = [np.asarray(v, dtype=dtype) for v in _ordinary(dtype)]
                yield _observe(target, method, rule, dtype, arrays,
                               f"the standard names no behaviour for a {dtype} operand")
        return
    if "unspecified" in parsed or "lazy_may_raise" in parsed:
        applies = "lazy_may_raise" in parsed and lazy
        yield Check(method, rule["sentence"], "conforms" if applies else "n/a",
                    required=None if applies else "an allowance that does not apply to this library")
        return
    allowed = should if should is not None else rule["dtypes"]
    if "returns" in parsed:
        exact = PYTHON_TYPES[parsed["returns"]]
        for dtype in dtypes:
            if dtype in raising or dtype not in allowed:
                continue
            yield _run(target, method, rule, dtype, _ordinary(dtype),
                       lambda e, exact=exact: ("value", exact(e)), exact, lazy)
        return
    if "as_if" in parsed:  # bool(real(self)) or bool(imag(self))
        parts = [math.nan, math.inf, -math.inf, 0.0, -0.0, 1.0]
        values = [complex(a, b) for a in parts for b in parts]
        for dtype in dtypes:
            yield _run(target, method, rule, dtype, values,
                       lambda e: ("value", bool(e.real) or bool(e.imag)), None, lazy)
        return
    for dtype in dtypes:
        values = [v for v in _ordinary(dtype)] if parsed["when"] == "any" else _values(parsed["when"], dtype)
        yield _run(target, method, rule, dtype, values, lambda e: _required(parsed, e, returns), None, lazy)
