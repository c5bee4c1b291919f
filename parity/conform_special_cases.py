"""Conformance area ``special-cases``: every parsed "Special cases" bullet of every elementwise function.

Per function and floating dtype one call: the inputs of all its rules (``opinfo.special_cases.inputs``)
in one array per argument. Each rule is then judged on its own slice of the result. An element that
breaks one rule while another rule that also applies to it holds, where no value could meet both (the
standard says two things about that input, e.g. ``sqrt`` of ``NaN + NaN j`` and of an infinite imaginary
part), is ``ambiguous``, not a violation. So is one where a rule applied through a symmetry the
function's notes require (``sqrt(conj(x)) == conj(sqrt(x))``) contradicts it: the standard's bullet
for ``NaN + infinity j`` and its symmetry give two answers for ``NaN - infinity j``; so is one where a
comparison's bullet contradicts its definition (not_equal's remaining cases give ``False`` for
``+infinity != 0``, its summary ``x1_i != x2_i`` gives ``True``).

An "In the remaining cases" rule is checked on the inputs its section's other rules leave (isnan's
``False``, add's correctly rounded sum, remainder's Python ``%``); one whose result the standard leaves
to the implementation (complex multiply and divide, and sign through division) is ``unspecified``.
"""

from __future__ import annotations

import numpy as np

from opinfo import special_cases as sc
from parity.conformance import Check, quiet, raised

#: Failing elements shown per violation (all are counted).
SHOWN = 5


def _value(v) -> str:
    v = np.asarray(v)[()]
    if isinstance(v, (np.bool_, bool)):
        return str(bool(v))
    if np.iscomplexobj(v):
        return f"complex({float(v.real)!r}, {float(v.imag)!r})"
    return repr(float(v))


def _requirement(sentence: str) -> str:
    for marker in ("the result is ", "the result must be ", "the behavior is "):
        if marker in sentence:
            return sentence.split(marker, 1)[1].rstrip(".").replace("``", "")
    return sentence


def exemplar(exp: sc.Expected) -> np.ndarray:
    """A result that meets ``exp`` (its first alternative): used to tell contradicting rules apart."""
    parts = [p.want if p.want.dtype == bool else np.where(np.isnan(p.want), np.nan, p.want) for p in exp.parts]
    if len(parts) == 2:
        out = np.empty(parts[0].shape, dtype=complex)
        out.real, out.imag = parts[0], parts[1]
        return out
    return parts[0]


#: A symmetry as (how it maps an input, how it maps the result): f(t(x)) == t(f(x)).
SYMMETRIES = {"conj": np.conj, "odd": np.negative}


def _ambiguous(rule: sc.Rule, others: list[sc.Rule], args, dtype, bad: np.ndarray,
               symmetries: tuple[str, ...] = ()) -> np.ndarray:
    """Among the failing elements (``bad``), those another applicable rule contradicts: directly, or
    applied to the input mapped by one of the function's symmetries (its answer mapped back)."""
    sub = tuple(np.asarray(a)[bad] for a in args)
    mine = exemplar(sc.expected(rule, sub, dtype))
    out = np.zeros(len(mine), dtype=bool)
    views = [(sub, lambda v: v)] + [(tuple(SYMMETRIES[s](a) for a in sub), SYMMETRIES[s]) for s in symmetries]
    for mapped, back in views:
        env = sc.environment(rule, mapped)
        for other in (others if mapped is sub else [rule, *others]):
            applies = sc.satisfies(other, env)
            if not applies.any():
                continue
            theirs = back(exemplar(sc.expected(other, mapped, dtype)))
            with np.errstate(all="ignore"):
                clash = ~sc.check(rule, sub, theirs, dtype) & ~sc.check(other, mapped, back(mine), dtype)
            out |= applies & clash
    return out


def _call(f, target, arrays):
    """(result as NumPy, None) or (None, what went wrong): the library raising, or a result that is no
    array (``torch.equal`` answers one bool for the whole arrays)."""
    with quiet():
        try:
            value = f(*[target.asarray(a) for a in arrays])
        except Exception as exc:  # noqa: BLE001 - the library's own error is the finding
            return None, raised(exc)
        if isinstance(value, (bool, int, float, complex)):
            return None, f"returns one Python {type(value).__name__} ({value!r}), not an array"
        return target.to_numpy(value), None


def _reference(name: str, arrays):
    f = getattr(np, name, None)
    if f is None:
        return None
    try:
        with quiet():
            return np.asarray(f(*arrays))
    except Exception:  # noqa: BLE001 - NumPy refusing is told as "raises" by the caller
        return None


def _same(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Element-wise identity: NaN equals NaN, zeros by their sign."""
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype != b.dtype and (a.dtype == bool) != (b.dtype == bool):
        return np.zeros(np.broadcast(a, b).shape, dtype=bool)
    if np.iscomplexobj(a) or np.iscomplexobj(b):
        return _same(np.real(a), np.real(b)) & _same(np.imag(a), np.imag(b))
    a, b = a.astype(np.float64), b.astype(np.float64)
    return (np.isnan(a) & np.isnan(b)) | ((a == b) & (np.signbit(a) == np.signbit(b)))


def _judge(rule, others, args, got, error, ref, dtype, symmetries=()) -> Check:
    n = len(args[0])
    if error is not None:
        return Check(rule.function, rule.sentence, "violates", dtype=dtype, input=_render(rule, args, np.arange(n)),
                     required=_requirement(rule.sentence), library=error, elements=n, elements_total=n,
                     numpy=None if ref is None else ", ".join(_value(v) for v in ref[:SHOWN]))
    got = np.broadcast_to(got, (n,)) if got.ndim == 0 else got
    ok = sc.check(rule, args, got, dtype)
    if ok.all():
        return Check(rule.function, rule.sentence, "conforms", dtype=dtype, elements_total=n)
    bad = np.flatnonzero(~ok)
    clash = _ambiguous(rule, others, args, dtype, bad, symmetries)
    if clash.all():
        return Check(rule.function, rule.sentence, "ambiguous", dtype=dtype, elements=len(bad), elements_total=n)
    bad = bad[~clash]
    shown = bad[:SHOWN]
    required, tags = _requirement(rule.sentence), ()
    if {"computed", "truth_of"} & set(rule.parsed["result"]):  # the values, not the sentence
        sub = tuple(np.asarray(a)[shown] for a in args)
        required = ", ".join(_value(v) for v in exemplar(sc.expected(rule, sub, dtype)))
    if "computed" in rule.parsed["result"]:
        want = exemplar(sc.expected(rule, tuple(np.asarray(a)[bad] for a in args), dtype))
        tags = _computed_tags(want, got[bad], _subnormal(args, bad), dtype)
    elif _subnormal(args, bad).all():
        tags = ("subnormal",)
    follows = None
    if ref is not None:
        follows = "numpy" if _same(np.broadcast_to(ref, (n,))[bad], got[bad]).all() else "neither"
    return Check(rule.function, rule.sentence, "violates", dtype=dtype, input=_render(rule, args, shown),
                 required=required, library=", ".join(_value(got[i]) for i in shown),
                 numpy=None if ref is None else ", ".join(_value(np.broadcast_to(ref, (n,))[i]) for i in shown),
                 follows=follows, elements=len(bad), elements_total=n, tags=tags)


def _computed_tags(want: np.ndarray, got: np.ndarray, subnormal_operand: np.ndarray, dtype: str) -> tuple[str, ...]:
    """What the failing elements of a computed result (a rounded sum, quotient, ...) have in common:
    "subnormal" where each has a subnormal operand or a subnormal required result (flushed to zero on the
    way in or out), "ulp" where each is finite and another value within 2 ulp (another rounding, not a
    zero of the other sign)."""
    info = np.finfo(dtype)
    with np.errstate(all="ignore"):
        tiny = (want != 0) & (np.abs(want) < info.tiny)
        near = np.isfinite(got) & np.isfinite(want) & (got != want) & (
            np.abs(got - want) <= 2 * np.spacing(np.abs(want).astype(dtype)).astype(np.float64))
    return (("subnormal",) if (subnormal_operand | tiny).all() else ()) + (("ulp",) if near.all() else ())


def _subnormal(args, index) -> np.ndarray:
    """Per element of ``index``, whether some operand (or a part of one) is subnormal."""
    out = np.zeros(len(index), dtype=bool)
    for a in args:
        a = np.asarray(a)[index]
        tiny = np.finfo(a.dtype).tiny
        for part in ((a.real, a.imag) if np.iscomplexobj(a) else (a,)):
            out |= (part != 0) & (np.abs(part) < tiny)
    return out


def _render(rule, args, index) -> str:
    names = rule.arguments
    return "; ".join(", ".join(f"{name}={_value(a[i])}" for name, a in zip(names, args)) for i in index[:SHOWN])


def checks(target):
    symmetric, defined = sc.symmetries(target.version), sc.definitions(target.version)
    for name, found in sc.rules(target.version).items():
        parsed = [r for r in found if r.parsed is not None]
        f = target.function(name)
        if f is None:
            yield from (Check(name, r.sentence, "n/a") for r in parsed)
            continue
        yield from (Check(name, r.sentence, "unspecified", required="implementation dependent") for r in parsed
                    if r.open)
        for section, dtypes in (("real", sc.REAL_DTYPES), ("complex", sc.COMPLEX_DTYPES)):
            group = [r for r in parsed if r.section == section and not r.open]
            for dtype in dtypes:
                if not group or not target.supports(dtype):
                    continue
                extra = [defined[name]] if section == "real" and name in defined else []
                yield from _section(target, f, name, group, dtype, symmetric.get(name, ()) if section == "complex"
                                    else (), extra)


def _section(target, f, name: str, group: list, dtype: str, symmetries: tuple[str, ...], extra=()):
    """One call for all of a function's rules of one section and dtype (one per rule if that raises)."""
    made = [sc.inputs(r, dtype) for r in group]
    nargs = len(group[0].arguments)
    arrays = [np.concatenate([m[i] for m in made]) for i in range(nargs)]
    got, error = _call(f, target, arrays)
    ref = _reference(name, arrays)
    if got is not None and got.shape not in ((), (len(arrays[0]),)):
        got, error = None, f"returns shape {got.shape} for inputs of shape {arrays[0].shape}"
    start = 0
    for rule, args in zip(group, made):
        n = len(args[0])
        window = slice(start, start + n)
        start += n
        if error is not None and got is None:
            mine, err = _call(f, target, args)  # which rules the error belongs to
            sub_ref = None if ref is None else np.broadcast_to(ref, (len(arrays[0]),))[window]
        else:
            mine, err = (np.broadcast_to(got, (len(arrays[0]),))[window], None)
            sub_ref = None if ref is None else np.broadcast_to(ref, (len(arrays[0]),))[window]
        others = [r for r in group if r is not rule] + list(extra)
        yield _judge(rule, others, args, mine, err, sub_ref, dtype, symmetries)
