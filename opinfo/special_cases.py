"""The Array API standard's elementwise special cases as checkable rules.

``tools/derive_special_cases.py`` parses the "Special cases" bullets of the standard's stubs into
``opinfo/data/array_api_special_cases.json`` (its docstring describes the parsed form); nobody types
a rule by hand. Here each parsed rule becomes inputs that meet its conditions (:func:`inputs`), what
the standard requires for them (:func:`expected`) and a per-element verdict on a library's result
(:func:`check`). Everything is NumPy on host arrays, so any library's output can be judged once
read back with ``np.asarray``.

Inputs are chosen, not constructed: a fixed set of values per dtype (NaN of both signs, the
infinities, signed zeros, the smallest subnormal, small fractions and integers, the largest odd
integer and the largest finite) is filtered by the rule's conditions, and binary or complex
operands are the filtered combinations that also meet its relations. A value "written without a
sign" in the standard ("0", "infinity", "0 + 0j" with an unspecified sign) is compared without
its sign; an implementation-dependent approximation within a relative tolerance per dtype. An
"In the remaining cases" rule gets every combination of candidates that no rule determining a result
applies to; a computed result (a correctly rounded sum, Python's ``%``) is exact rational arithmetic
rounded once (:func:`rounded`), never the library's or NumPy's own floating-point result.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

DATA = Path(__file__).with_name("data") / "array_api_special_cases.json"
VERSIONS = ("2024.12", "2025.12")
REAL_DTYPES = ("float32", "float64")
COMPLEX_DTYPES = ("complex64", "complex128")
#: Relative tolerance of "an implementation-dependent approximation": a few ulps of the dtype.
RTOL = {"float32": 1e-6, "float64": 1e-15, "complex64": 1e-6, "complex128": 1e-15}
#: At most this many elements per rule: combinations beyond it are thinned evenly. A remaining-cases
#: rule keeps every combination (a few thousand at most): its inputs are what the other rules leave.
MAX_CASES = 256
MAX_REMAINING = 4096


@dataclass(frozen=True)
class Rule:
    """One bullet: its text, section ("real" or "complex"), parsed form (or None and why not).

    ``excludes``: for an "In the remaining cases" rule, the rules of its section that determine a result
    (a rule that fixes only the sign leaves the value to it); their inputs are not the remaining ones."""

    function: str
    sentence: str
    section: str
    parsed: dict | None
    unparsed: str | None = None
    excludes: tuple[Rule, ...] = dataclasses.field(default=(), compare=False, repr=False)

    @property
    def remaining(self) -> bool:
        return bool(self.parsed and self.parsed.get("remaining"))

    @property
    def open(self) -> bool:
        """Whether the standard leaves the rule's result to the implementation (nothing to check)."""
        return bool(self.parsed and self.parsed["result"].get("implementation_dependent"))

    @property
    def arguments(self) -> tuple[str, ...]:
        """The function's array arguments in call order (the operands' keys are sorted, not ordered)."""
        return tuple(self.parsed["arguments"])

    @property
    def components(self) -> dict[str, tuple[str, str]]:
        """Complex rules: component name -> (argument, "real" or "imag"), from ``let``."""
        return {c: (v[5:-1], v[:4]) for c, v in self.parsed.get("let", {}).items()}


@dataclass(frozen=True)
class Part:
    """What one result (or one component of a complex result) must be, element by element.

    ``how``: "exact" (NaN for NaN, zeros by their sign), "approx" (within ``rtol``), "sign" (the sign
    of ``want``), "any" (not constrained). ``any_sign`` drops the sign from the comparison,
    ``nan_sign`` adds a NaN's sign bit, ``nan_ok`` lets a NaN pass a "sign" requirement.
    """

    want: np.ndarray
    how: str = "exact"
    rtol: float = 0.0
    any_sign: bool = False
    nan_sign: bool = False
    nan_ok: bool = False


@dataclass(frozen=True)
class Expected:
    """The required result: one part (real or boolean) or two (real, imag); or any alternative."""

    parts: tuple[Part, ...]
    alternatives: tuple[Expected, ...] = ()


@functools.cache
def _load() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


@functools.cache
def _rules(version: str) -> dict[str, tuple[Rule, ...]]:
    functions = _load()["versions"][version]["functions"]
    out = {}
    for name, listed in functions.items():
        if isinstance(listed, str):  # the same rules as that version's
            listed = _load()["versions"][listed]["functions"][name]
        found = [Rule(function=name, **r) for r in listed]
        out[name] = tuple(dataclasses.replace(r, excludes=tuple(o for o in found if o.section == r.section
                                                                 and _determines(o)))
                          if r.remaining else r for r in found)
    return out


def _determines(rule: Rule) -> bool:
    """Whether a rule fixes the result for its inputs: not one that states only a sign or one component."""
    if rule.parsed is None or rule.remaining:
        return False
    res = rule.parsed["result"]
    return res.get("sign") not in ("+", "-") and ("real" in res) == ("imag" in res)


def symmetries(version: str = "2025.12") -> dict[str, tuple[str, ...]]:
    """Per complex function, the symmetries its notes require: "conj" (``f(conj(x)) == conj(f(x))``)
    and "odd" (``f(-x) == -f(x)``)."""
    return {f: tuple(s) for f, s in _load()["versions"][version].get("symmetries", {}).items()}


@functools.cache
def definitions(version: str = "2025.12") -> dict[str, Rule]:
    """Per comparison function, its summary line as a rule for every real input (``x1_i != x2_i``): what
    the function is, against which a bullet can be seen to contradict it."""
    return {f: Rule(function=f, **d) for f, d in _load()["versions"][version].get("definitions", {}).items()}


def rules(version: str = "2025.12") -> dict[str, list[Rule]]:
    """Every function's rules in the standard's order (a fresh dict: callers may filter it)."""
    return {name: list(found) for name, found in _rules(version).items()}


# ------------------------------------------------------------------------------ conditions


def _special(text: str, x: np.ndarray) -> np.ndarray:
    """Where ``x`` is the standard's special value ``text`` (a zero by its sign)."""
    if text == "NaN":
        return np.isnan(x)
    if text in ("+0", "-0"):
        return (x == 0) & (np.signbit(x) == (text == "-0"))
    return x == (np.inf if text == "+infinity" else -np.inf)


def _integer(x: np.ndarray) -> np.ndarray:
    return np.isfinite(x) & (np.floor(x) == x)


def holds(cond: dict, x: np.ndarray) -> np.ndarray:
    """Per element of ``x``, whether one condition of the parsed form holds."""
    (key, arg), = cond.items()
    with np.errstate(invalid="ignore"):
        if key == "is":
            return _special(arg, x)
        tests = {
            "eq": lambda: x == arg,
            "gt": lambda: x > arg,
            "lt": lambda: x < arg,
            "finite": lambda: np.isfinite(x) == arg,
            "nonzero": lambda: ((x != 0) & ~np.isnan(x)) == arg,
            "integer": lambda: _integer(x) == arg,
            "odd_integer": lambda: (_integer(x) & (np.abs(x) % 2 == 1)) == arg,
            "half_integer": lambda: (np.isfinite(x) & (x - np.floor(x) == 0.5)) == arg,
            "signbit": lambda: np.signbit(x) == arg,
            "abs": lambda: holds(arg, np.abs(x)),
            "not": lambda: ~holds(arg, x),
            "any_of": lambda: np.logical_or.reduce([holds(c, x) for c in arg]),
            "all_of": lambda: np.logical_and.reduce([holds(c, x) for c in arg]),
        }
        return np.asarray(tests[key](), dtype=bool)


def related(rel: dict, env: dict[str, np.ndarray]) -> np.ndarray:
    """Per element, whether a relation between operands holds; NaN has no mathematical sign."""
    kind = next(k for k in rel if k != "cond")
    if kind == "not":
        return ~related(rel["not"], env)
    names = rel[kind]
    if kind == "either":
        return np.logical_or.reduce([holds(rel["cond"], env[n]) for n in names])
    a, b = env[names[0]], env[names[1]]
    with np.errstate(invalid="ignore"):
        signed = ~np.isnan(a) & ~np.isnan(b)
        tests = {
            "same_sign": lambda: signed & (np.signbit(a) == np.signbit(b)),
            "different_sign": lambda: signed & (np.signbit(a) != np.signbit(b)),
            "equal": lambda: a == b,
            "not_equal": lambda: a != b,
            "negative_of": lambda: a == -b,
            "not_gt": lambda: ~(a > b),
        }
        return tests[kind]()


def satisfies_one(conds: list[dict], x: np.ndarray) -> np.ndarray:
    """Per element, whether one operand's conditions all hold."""
    ok = np.ones(x.shape, dtype=bool)
    for cond in conds:
        ok &= holds(cond, x)
    return ok


def satisfies(rule: Rule, env: dict[str, np.ndarray]) -> np.ndarray:
    """Per element, whether operand values (by the rule's names, x1 or a..d) meet all its conditions."""
    p = rule.parsed
    ok = np.ones(np.shape(next(iter(env.values()))), dtype=bool)
    for name, conds in p["operands"].items():
        ok &= satisfies_one(conds, env[name])
    for rel in p["relations"] + p.get("assumes", []):
        ok &= related(rel, env)
    for other in rule.excludes:
        ok &= ~satisfies(other, env)
    return ok


# ---------------------------------------------------------------------------------- inputs


def candidates(dtype) -> np.ndarray:
    """The values a rule's operands are chosen from: every kind of value a condition can ask for.

    NaN of both sign bits, both infinities and zeros, the smallest subnormal, fractions (and
    half-integers for ``round``), small odd and even integers, the largest odd integer (2**p - 1)
    and the largest finite value, with both signs.
    """
    f = np.finfo(dtype)
    odd = 2.0 ** (f.nmant + 1) - 1
    small = [0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 7.0]
    magnitudes = [float(f.smallest_subnormal), *small, odd, float(f.max)]
    values = [np.nan, -np.nan, np.inf, -np.inf, 0.0, -0.0] + magnitudes + [-m for m in magnitudes]
    out = np.array(values, dtype=np.float64).astype(dtype)
    out[1] = np.copysign(out[1], -1)
    return out


def _any(dtype) -> np.ndarray:
    """A short set for an operand no condition names, so that "any value" includes the special ones."""
    return np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -2.5, np.finfo(dtype).max], dtype=dtype)


def _component_dtype(dtype) -> np.dtype:
    return np.empty(0, dtype=dtype).real.dtype


def _thin(idx: np.ndarray, most: int = MAX_CASES) -> np.ndarray:
    """At most ``most`` indices, evenly spread, so that every region of the combinations stays."""
    if idx.size <= most:
        return idx
    return idx[np.linspace(0, idx.size - 1, most).round().astype(int)]


def _complex(re: np.ndarray, im: np.ndarray, dtype) -> np.ndarray:
    """re + im*j without arithmetic, which would turn a zero or infinite part into NaN."""
    out = np.empty(re.shape, dtype=dtype)
    out.real, out.imag = re, im
    return out


def inputs(rule: Rule, dtype) -> tuple[np.ndarray, ...]:
    """One array per argument (of ``dtype``) whose elements meet the rule's conditions.

    Each operand's candidates are filtered by its own conditions, the combinations by the relations;
    a complex rule's arguments are assembled from its components (a, b of x; c, d of x2). A remaining
    rule draws one or two operands from all candidates (four complex components from the short set),
    less every combination a rule it ``excludes`` applies to.
    """
    part = _component_dtype(dtype)
    pool = candidates(part)
    operands = rule.parsed["operands"]
    full = rule.remaining and len(operands) <= 2
    per = [pool[satisfies_one(conds, pool)] if conds or full else _any(part) for conds in operands.values()]
    grid = [g.ravel() for g in np.meshgrid(*per, indexing="ij")]
    env = dict(zip(operands, grid))
    keep = _thin(np.flatnonzero(satisfies(rule, env)), MAX_REMAINING if rule.remaining else MAX_CASES)
    env = {n: v[keep] for n, v in env.items()}
    if rule.section != "complex":
        return tuple(env[n].astype(dtype) for n in rule.arguments)
    parts = {(arg, kind): env[c] for c, (arg, kind) in rule.components.items()}
    return tuple(_complex(parts[arg, "real"], parts[arg, "imag"], dtype) for arg in rule.arguments)


def environment(rule: Rule, args) -> dict[str, np.ndarray]:
    """The rule's operand values by name, as float64: x1, x2 or the components a, b, c, d."""
    arrays = {n: np.asarray(a) for n, a in zip(rule.arguments, args)}
    if rule.section != "complex":
        return {n: a.astype(np.float64) for n, a in arrays.items()}
    return {c: getattr(arrays[arg], kind).astype(np.float64) for c, (arg, kind) in rule.components.items()}


# -------------------------------------------------------------------------------- expected


def _number(text: str) -> float:
    return float(text.replace("infinity", "inf"))


def _part(spec: dict | None, env: dict[str, np.ndarray], n: int, rtol: float) -> Part:
    """The requirement one result spec (or one complex component's) puts on each element."""
    if spec is None:
        return Part(np.zeros(n), "any")
    any_sign = bool(spec.get("any_sign"))
    if "approx" in spec:
        return Part(np.full(n, spec["float"]), "approx", rtol=rtol, any_sign=any_sign)
    if "same_as" in spec:
        return Part(env[spec["same_as"]])
    if "abs_of" in spec:
        return Part(np.abs(env[spec["abs_of"]]) * (-1 if spec.get("negate") else 1))
    if "round_half_even" in spec:
        x = env[spec["round_half_even"]]
        low = np.floor(x)
        return Part(np.copysign(np.where(low % 2 == 0, low, low + 1), x))
    if spec.get("sign") == "product":
        x1, x2 = env["x1"], env["x2"]
        return Part(np.where(np.signbit(x1) ^ np.signbit(x2), -np.inf, np.inf))
    if "sign" in spec:
        return Part(np.full(n, -1.0 if spec["sign"] == "-" else 1.0), "sign", nan_ok=bool(spec.get("nan_allowed")))
    if "truth_of" in spec:  # complex equal: a == c AND b == d, compared as real numbers
        (how, rels), = spec["truth_of"].items()
        combine = np.logical_and if how == "all" else np.logical_or
        return Part(combine.reduce([related(rel, env) for rel in rels]))
    value = spec["value"]
    if isinstance(value, bool):
        return Part(np.full(n, value))
    if "signbit" in spec:
        return Part(np.full(n, np.copysign(np.nan, -1.0 if spec["signbit"] else 1.0)), nan_sign=True)
    return Part(np.full(n, _number(value)), any_sign=any_sign)


def _cis(spec: dict, env: dict[str, np.ndarray]) -> tuple[Part, Part]:
    """``scale * cis(b) + offset``: each part takes the sign of cos(b) or sin(b) (b is finite)."""
    b, scale = env[spec["cis"]], _number(spec["scale"])
    real = scale * np.cos(b)
    if "offset" in spec:  # not "+ 0.0" otherwise: that would turn a -0 into +0
        real = real + spec["offset"]
    return Part(real), Part(scale * np.sin(b))


def _expected(spec: dict, env: dict[str, np.ndarray], n: int, rtol: float) -> Expected:
    alternatives = tuple(_expected(a, env, n, rtol) for a in spec.get("alternatives", ()))
    if "cis" in spec:
        return Expected(_cis(spec, env), alternatives)
    if "real" in spec or "imag" in spec:
        parts = (_part(spec.get("real"), env, n, rtol), _part(spec.get("imag"), env, n, rtol))
        return Expected(parts, alternatives)
    return Expected((_part(spec, env, n, rtol),), alternatives)


def expected(rule: Rule, args, dtype) -> Expected:
    """What the standard requires of the result for ``args`` (from :func:`inputs`) of ``dtype``."""
    env = environment(rule, args)
    n = len(next(iter(env.values())))
    if "computed" in rule.parsed["result"]:
        return computed(rule.parsed["result"], env["x1"], env["x2"], np.dtype(dtype))
    return _expected(rule.parsed["result"], env, n, RTOL[np.dtype(dtype).name])


# ----------------------------------------------------------------------- computed results


def rounded(q: Fraction, dtype, mode: str) -> float:
    """The exact rational ``q`` rounded to ``dtype`` (as a float64 holding it exactly).

    ``mode``: "even" or "away" (to nearest, ties to even or away from zero: IEEE 754's two roundings
    to nearest, between which "a supported rounding mode" leaves the choice), "down" (toward -infinity).
    The exponent is unbounded above while rounding, so a rounded magnitude above the largest finite
    value overflows to infinity as IEEE 754 defines it; below, the quantum stops at the subnormals'.
    A zero keeps the sign of ``q`` (callers pass the operands' sign for an exact zero).
    """
    f = np.finfo(dtype)
    a = abs(q)
    if a == 0:
        return 0.0
    e = a.numerator.bit_length() - a.denominator.bit_length()
    e -= a < Fraction(2) ** e  # now 2**e <= a < 2**(e + 1)
    quantum = Fraction(2) ** (max(e, f.minexp) - f.nmant)
    n, rest = divmod(a / quantum, 1)
    if mode == "down":
        n += q < 0 and rest > 0
    else:
        n += rest > Fraction(1, 2) or (rest == Fraction(1, 2) and (mode == "away" or n % 2 == 1))
    magnitude = n * quantum
    value = math.inf if magnitude > Fraction(float(f.max)) else float(magnitude)
    return math.copysign(value, -1.0 if q < 0 else 1.0)


def _exact(op: str, x1: float, x2: float) -> Fraction:
    a, b = Fraction(x1), Fraction(x2)
    return {"+": lambda: a + b, "*": lambda: a * b, "/": lambda: a / b}[op]()


def _python_remainder(x1: float, x2: float, dtype) -> float:
    """Python's ``x1 % x2`` on the float64 values, rounded once to ``dtype``.

    CPython computes ``fmod`` (exact, and representable in the operands' format) and, where its sign
    differs from the divisor's, adds the divisor once. For float32 operands that sum is rounded to
    float64 and then to float32; as 53 >= 2 * 24 + 2 that double rounding equals one correct rounding
    (Figueroa), so the value is Python's algorithm carried out in float32 arithmetic, exactly.
    """
    try:
        return float(np.float64(x1 % x2).astype(dtype))
    except ZeroDivisionError:  # a zero divisor is another rule's input, never a remaining one
        return math.nan


def _floor_quotient(x1: float, x2: float, dtype) -> tuple[float, float]:
    """floor_divide's remaining cases: (the greatest representable integer-valued number not above the
    exact quotient, the overflow/underflow sentences' reading where it differs, else the same value).

    A quotient beyond the largest finite value "overflows" to an infinity (its rounding would give the
    largest finite value); one smaller in magnitude than the smallest subnormal "underflows" to a zero of
    its sign (its floor is -1 when negative). The standard states both, so both are accepted there."""
    q = _exact("/", x1, x2)
    value = rounded(Fraction(math.floor(q)), dtype, "down")
    biggest, tiniest = float(np.finfo(dtype).max), float(np.finfo(dtype).smallest_subnormal)
    if q > biggest:
        return biggest, math.inf
    if abs(q) < tiniest:
        return value, math.copysign(0.0, float(q))
    return value, value


def computed(spec: dict, x1: np.ndarray, x2: np.ndarray, dtype: np.dtype) -> Expected:
    """The result of a rule whose value is computed (``+``, ``*``, ``/`` rounded to nearest or down to an
    integer, Python's ``%``): exact rational arithmetic on the operands, rounded once to ``dtype``.
    Where the standard allows two answers (a tie, an overflow or underflow read two ways) the second is
    an alternative."""
    op, mode = spec["computed"], spec["rounding"]
    first, second = np.empty(len(x1)), np.empty(len(x1))
    for i, (a, b) in enumerate(zip(x1.tolist(), x2.tolist())):
        if mode == "python":
            first[i] = second[i] = _python_remainder(a, b, dtype)
        elif mode == "floor":
            first[i], second[i] = _floor_quotient(a, b, dtype)
        else:
            q = _exact(op, a, b)
            sign = -1.0 if (math.copysign(1.0, a) < 0) != (math.copysign(1.0, b) < 0) else 1.0
            first[i], second[i] = (math.copysign(0.0, sign) if q == 0 else rounded(q, dtype, mode)
                                   for mode in ("even", "away"))
    return Expected((Part(first),), (Expected((Part(second),)),))


# ----------------------------------------------------------------------------------- check


def _part_ok(part: Part, got: np.ndarray) -> np.ndarray:
    """Per element, whether ``got`` meets one part's requirement."""
    want = part.want
    if part.how == "any":
        return np.ones(got.shape, dtype=bool)
    if want.dtype == bool:
        return (got == want) & (got.dtype == bool)
    if np.iscomplexobj(got):  # a complex result where a real one is required
        return np.zeros(got.shape, dtype=bool)
    got = got.astype(np.float64)
    with np.errstate(invalid="ignore"):
        if part.how == "sign":
            ok = ~np.isnan(got) & (np.signbit(got) == (want < 0))
            return ok | np.isnan(got) if part.nan_ok else ok
        if part.any_sign:
            got, want = np.abs(got), np.abs(want)
        if part.how == "approx":
            return np.abs(got - want) <= part.rtol * np.abs(want)
        nan = np.isnan(want)
        same_nan = np.isnan(got) & ((not part.nan_sign) | (np.signbit(got) == np.signbit(want)))
        return np.where(nan, same_nan, (got == want) & (np.signbit(got) == np.signbit(want)))


def _ok(exp: Expected, got: np.ndarray) -> np.ndarray:
    if len(exp.parts) == 2:
        ok = _part_ok(exp.parts[0], got.real) & _part_ok(exp.parts[1], got.imag) & np.iscomplexobj(got)
    else:
        ok = _part_ok(exp.parts[0], got) & (not np.iscomplexobj(got))
    for alt in exp.alternatives:
        ok |= _ok(alt, got)
    return ok


def check(rule: Rule, args, result, dtype) -> np.ndarray:
    """Per element, whether a library's ``result`` for ``args`` conforms to the rule."""
    got = np.broadcast_to(np.asarray(result), (len(np.asarray(args[0])),))
    return _ok(expected(rule, args, dtype), got)
