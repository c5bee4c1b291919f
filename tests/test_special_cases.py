"""The standard's elementwise special cases: parsed (tools/derive_special_cases.py), turned into inputs
and requirements (opinfo/special_cases.py), and run against array_api_strict.

The inputs are checked by a second, scalar evaluation of the parsed conditions written here with
``math`` (not the module's vectorized one), and array_api_strict's deviations are an explicit list,
so a change in the parser or the evaluator shows as a changed set of rules.
"""

import math
from fractions import Fraction
from pathlib import Path

import array_api_strict as xp
import derive_special_cases as derive
import numpy as np
import pytest
from standard_mirror import MIRROR

from opinfo import special_cases as sc

#: How much of the "- If" bullets must parse (array-api-tests leaves 41 of 486 sentences out).
MIN_PARSED = 0.97


def _all(version):
    return [r for found in sc.rules(version).values() for r in found]


def _parsed(version="2025.12"):
    return [r for r in _all(version) if r.parsed is not None]


def _dtypes(rule):
    return sc.COMPLEX_DTYPES if rule.section == "complex" else sc.REAL_DTYPES


# ------------------------------------------------------------------------------ (a) coverage


@pytest.mark.parametrize("version", sc.VERSIONS)
def test_most_if_bullets_are_parsed(version):
    bullets = [r for r in _all(version) if r.sentence.startswith("If ")]
    unparsed = [r for r in bullets if r.parsed is None]
    listing = "\n".join(f"{r.function}: {r.unparsed}: {r.sentence}" for r in unparsed)
    assert len(bullets) >= 450, len(bullets)
    assert len(unparsed) <= (1 - MIN_PARSED) * len(bullets), f"{len(unparsed)} of {len(bullets)} unparsed:\n{listing}"


@pytest.mark.parametrize("version", sc.VERSIONS)
def test_the_other_bullets_are_remaining_cases_or_prose(version):
    """"In the remaining cases" bullets are parsed as remaining rules (all 16 of them); hypot's underflow
    bound is the one bullet left (it needs a correctly rounded hypot to check)."""
    others = [r for r in _all(version) if not r.sentence.startswith("If ")]
    remaining = [r for r in others if r.sentence.startswith("In the remaining cases")]
    assert len(remaining) == 16 and all(r.remaining for r in remaining)
    for r in others:
        if r not in remaining:
            assert r.sentence.startswith(("Similarly, if", "Underflow")), r.sentence
    assert [(r.function, r.unparsed) for r in _all(version) if r.parsed is None] == [
        ("hypot", "not an 'If ..., the result ...' sentence")]
    assert len(_parsed(version)) == 485  # of 486: 99.8% (469 before remaining cases were parsed)


def test_shipped_file_matches_the_stubs():
    if not Path(MIRROR).exists():
        pytest.skip("no data-apis/array-api mirror here")
    assert derive.main(["--check"]) == 0


def test_unspecified_behaviour_is_marked():
    """A sentence that leaves something to the implementation never becomes a strict requirement."""
    words = ("unspecified", "implementation-defined", "implementation dependent", "may return")
    for r in _all("2025.12"):
        text = r.sentence
        if not any(w in text for w in words):
            continue
        res = r.parsed["result"]
        marked = (res.get("implementation_dependent") or res.get("alternatives") or res.get("nan_allowed")
                  or res.get("real", {}).get("any_sign")
                  or res.get("imag", {}).get("any_sign"))
        assert marked, text


# -------------------------------------------------------------------- (b) inputs meet the rule


def _signbit(v: float) -> bool:
    return math.copysign(1.0, v) < 0


def _integer(v: float) -> bool:
    return math.isfinite(v) and v.is_integer()


def _cond(cond: dict, v: float) -> bool:
    """One parsed condition on a Python float, independently of opinfo.special_cases.holds."""
    (key, arg), = cond.items()
    if key == "is":
        return {"NaN": math.isnan(v), "+0": v == 0 and not _signbit(v), "-0": v == 0 and _signbit(v),
                "+infinity": v == math.inf, "-infinity": v == -math.inf}[arg]
    scalar = {
        "eq": lambda: v == arg,
        "gt": lambda: v > arg,
        "lt": lambda: v < arg,
        "finite": lambda: math.isfinite(v) == arg,
        "nonzero": lambda: (v != 0 and not math.isnan(v)) == arg,
        "integer": lambda: _integer(v) == arg,
        "odd_integer": lambda: (_integer(v) and int(v) % 2 == 1) == arg,
        "half_integer": lambda: (math.isfinite(v) and v - math.floor(v) == 0.5) == arg,
        "signbit": lambda: _signbit(v) == arg,
        "abs": lambda: _cond(arg, abs(v)),
        "not": lambda: not _cond(arg, v),
        "any_of": lambda: any(_cond(c, v) for c in arg),
        "all_of": lambda: all(_cond(c, v) for c in arg),
    }
    return scalar[key]()


def _rel(rel: dict, env: dict[str, float]) -> bool:
    if "not" in rel:
        return not _rel(rel["not"], env)
    if "either" in rel:
        return any(_cond(rel["cond"], env[n]) for n in rel["either"])
    (kind, (p, q)), = rel.items()
    a, b = env[p], env[q]
    signed = not (math.isnan(a) or math.isnan(b))
    return {"same_sign": signed and _signbit(a) == _signbit(b), "different_sign": signed and _signbit(a) != _signbit(b),
            "equal": a == b, "not_equal": a != b, "negative_of": a == -b, "not_gt": not a > b}[kind]


def _meets(p: dict, env: dict[str, float]) -> bool:
    return (all(_cond(c, env[name]) for name, conds in p["operands"].items() for c in conds)
            and all(_rel(rel, env) for rel in p["relations"] + p.get("assumes", [])))


def _scalar_env(rule, args, i) -> dict[str, float]:
    if rule.section != "complex":
        return {n: float(a[i]) for n, a in zip(rule.arguments, args)}
    values = {n: complex(a[i]) for n, a in zip(rule.arguments, args)}
    return {c: getattr(values[arg], kind) for c, (arg, kind) in rule.components.items()}


@pytest.mark.parametrize("version", sc.VERSIONS)
def test_inputs_meet_their_rule(version):
    bad = []
    for rule in [r for r in _all(version) if r.parsed is not None]:
        for dtype in _dtypes(rule):
            args = sc.inputs(rule, dtype)
            assert len(args) == len(rule.arguments) and all(a.dtype == np.dtype(dtype) for a in args), rule
            n = len(args[0])
            assert n and all(len(a) == n for a in args), (rule.function, rule.sentence, dtype)
            for i in range(n):
                env = _scalar_env(rule, args, i)
                ok = _meets(rule.parsed, env) and not any(_meets(o.parsed, env) for o in rule.excludes)
                if not ok:
                    bad.append(f"{rule.function} {dtype} {env}: {rule.sentence}")
    assert not bad, "\n".join(bad[:20])


def test_inputs_span_the_allowed_values():
    """"A positive finite number" reaches from the smallest subnormal to the largest finite value."""
    rule = next(r for r in sc.rules()["atan2"] if "greater than ``0``, ``x1_i`` is a finite number, and ``x2_i`` is "
                "``+infinity``" in r.sentence)
    for dtype in sc.REAL_DTYPES:
        x1, x2 = sc.inputs(rule, dtype)
        f = np.finfo(dtype)
        assert {f.smallest_subnormal, 0.5, 1.0, 3.0, f.max} <= set(x1.tolist()) and np.all(x2 == np.inf)
    odd = next(r for r in sc.rules()["pow"] if r.sentence.startswith("If ``x1_i`` is ``-0``, ``x2_i`` is greater than "
               "``0``, and ``x2_i`` is an odd integer value"))
    assert {1.0, 3.0, 5.0, 7.0} <= set(sc.inputs(odd, "float64")[1].tolist())


def test_complex_inputs_keep_signed_zeros_and_infinities():
    rule = next(r for r in sc.rules()["acos"] if r.section == "complex" and "``b`` is ``+0``" in r.sentence)
    (z,) = sc.inputs(rule, "complex128")
    assert sorted(np.signbit(z.real).tolist()) == [False, True] and not np.signbit(z.imag).any()
    assert np.all(z.imag == 0)


# ------------------------------------------------------------------------ (c) array_api_strict

#: Parsed rules array_api_strict (NumPy 2.4 underneath) does not meet for real operands. NumPy's
#: floor_divide returns NaN for ±inf // finite and -1.0 for 1 // -inf, and its remainder follows
#: Python: both are the alternatives the standard's notes allow, so they conform.
KNOWN_REAL = {
    ("floor_divide", next(r.sentence for r in sc.rules()["floor_divide"] if r.remaining)):
        "NumPy floors (x1 - fmod(x1, x2)) / x2 rounded to nearest: 9007199254740991 // 0.75 is 12009599006321322, "
        "above the exact quotient 12009599006321321.33 (float64 only)",
    ("not_equal", "In the remaining cases, the result is ``False``."):
        "the bullets never say True for an infinity against a finite number, so inf != 0 falls to the remaining "
        "False; NumPy (and the function's definition, x1_i != x2_i) say True: the conformance area calls it ambiguous",
}

#: Complex rules array_api_strict does not meet, each checked by hand against NumPy.
KNOWN_COMPLEX = {
    ("expm1", "If ``a`` is ``+infinity`` and ``b`` is ``+0``, the result is ``+infinity + 0j``."):
        "NumPy's expm1 computes the imaginary part as exp(a)*sin(b) = inf*0: NaN",
    ("expm1", "If ``a`` is ``-infinity`` and ``b`` is a finite number, the result is ``+0 * cis(b) - 1.0``."):
        "NumPy computes the real part as expm1(a)*cos(b) - 2*sin(b/2)**2, which is -1 only up to rounding",
    ("expm1", "If ``a`` is ``-infinity`` and ``b`` is ``+infinity``, the result is ``-1 + 0j`` (sign of imaginary "
              "component is unspecified)."): "NumPy: -1*cos(inf) is NaN, so NaN + NaN j",
    ("expm1", "If ``a`` is ``+infinity`` and ``b`` is ``+infinity``, the result is ``infinity + NaN j`` (sign of "
              "real component is unspecified)."): "NumPy: inf*cos(inf) is NaN, so NaN + NaN j",
    ("expm1", "If ``a`` is ``-infinity`` and ``b`` is ``NaN``, the result is ``-1 + 0j`` (sign of imaginary component "
              "is unspecified)."): "NumPy: -1*cos(NaN) is NaN, so NaN + NaN j",
    ("expm1", "If ``a`` is ``+infinity`` and ``b`` is ``NaN``, the result is ``infinity + NaN j`` (sign of real "
              "component is unspecified)."): "NumPy: inf*cos(NaN) is NaN, so NaN + NaN j",
    ("expm1", "If ``a`` is ``NaN`` and ``b`` is ``+0``, the result is ``NaN + 0j``."):
        "NumPy: exp(NaN)*sin(+0) is NaN, so NaN + NaN j",
    ("sign", "If ``a`` is either ``-0`` or ``+0`` and ``b`` is either ``-0`` or ``+0``, the result is ``0 + 0j``."):
        "NumPy returns the input's zero, -0j for b = -0; we read the imaginary '+ 0j' as +0 (the real '0' is unsigned)",
    ("sqrt", "If ``a`` is ``NaN`` and ``b`` is any value, the result is ``NaN + NaN j``."):
        "the standard contradicts its own earlier bullet (any a, b = +infinity: +infinity + infinity j); NumPy "
        "follows C99 csqrt, which agrees with the earlier bullet (and its conjugate for b = -infinity)",
    ("tanh", "If ``a`` is ``+infinity`` and ``b`` is a positive (i.e., greater than ``0``) finite number, the result "
             "is ``1 + 0j``."): "NumPy follows C99 ctanh: 1 + 0*sin(2b) j, so -0j where sin(2b) < 0 (b = 2, 2.5, ...)",
}


def _nonconforming(section: str) -> dict[tuple[str, str], list[str]]:
    found = {}
    for rule in _parsed():
        if rule.section != section or rule.open:
            continue
        for dtype in _dtypes(rule):
            args = sc.inputs(rule, dtype)
            with np.errstate(all="ignore"):
                result = getattr(xp, rule.function)(*[xp.asarray(a) for a in args])
            ok = sc.check(rule, args, np.asarray(result), dtype)
            if not ok.all():
                found.setdefault((rule.function, rule.sentence), []).append(f"{dtype}: {int((~ok).sum())}/{ok.size}")
    return found


def test_array_api_strict_real_rules():
    found = _nonconforming("real")
    assert set(found) == set(KNOWN_REAL), "\n".join(f"{k}: {v}" for k, v in found.items())


def test_array_api_strict_complex_rules():
    found = _nonconforming("complex")
    assert set(found) == set(KNOWN_COMPLEX), "\n".join(f"{k}: {v}" for k, v in found.items())


def test_check_catches_wrong_results():
    """The evaluator is not lenient by accident: a flipped zero, a wrong NaN sign, a far value fail."""
    rules = sc.rules()
    add = next(r for r in rules["add"] if r.sentence.startswith("If ``x1_i`` is ``-0`` and ``x2_i`` is ``-0``"))
    args = sc.inputs(add, "float64")
    assert sc.check(add, args, np.full(len(args[0]), -0.0), "float64").all()
    assert not sc.check(add, args, np.full(len(args[0]), 0.0), "float64").any()
    atan = next(r for r in rules["atan"] if "+π/2" in r.sentence)
    (x,) = sc.inputs(atan, "float32")
    assert sc.check(atan, (x,), np.float32([np.pi / 2]), "float32").all()
    assert not sc.check(atan, (x,), np.float32([1.5707]), "float32").any()
    copysign = next(r for r in rules["copysign"] if "``NaN`` with a sign bit of ``1``" in r.sentence)
    args = sc.inputs(copysign, "float64")
    assert not sc.check(copysign, args, np.full(len(args[0]), np.nan), "float64").any()
    floor_divide = next(r for r in rules["floor_divide"] if "may return ``NaN``" in r.sentence)
    args = sc.inputs(floor_divide, "float64")
    assert sc.check(floor_divide, args, np.full(len(args[0]), np.nan), "float64").all()
    assert not sc.check(floor_divide, args, np.full(len(args[0]), 0.0), "float64").any()


# ------------------------------------------------------------------------------- (d) the parser


def _parse(sentence, names=("x1", "x2")):
    return derive.parse(sentence, list(names))


def test_parse_binary_rule():
    p = _parse("If ``x1_i`` is greater than ``0``, ``x1_i`` is a finite number, and ``x2_i`` is ``-infinity``, "
               "the result is an implementation-dependent approximation to ``+π``.")
    assert p["operands"] == {"x1": [{"gt": 0.0}, {"finite": True}], "x2": [{"is": "-infinity"}]}
    assert p["relations"] == [] and p["result"] == {"approx": "+π", "float": math.pi}


def test_parse_relations():
    p = _parse("If ``x1_i`` and ``x2_i`` have the same mathematical sign and are both nonzero finite numbers, "
               "the result has a positive mathematical sign.")
    assert p["relations"] == [{"same_sign": ["x1", "x2"]}] and p["result"] == {"sign": "+"}
    assert p["operands"]["x2"] == [{"finite": True}, {"nonzero": True}]
    p = _parse("If ``x1_i`` is a nonzero finite number and ``x2_i`` is ``-x1_i``, the result is ``+0``.")
    assert p["relations"] == [{"negative_of": ["x2", "x1"]}]
    p = _parse("If either ``x1_i`` or ``x2_i`` is ``NaN``, the result is ``NaN``.")
    assert p["relations"] == [{"either": ["x1", "x2"], "cond": {"is": "NaN"}}]


def test_parse_unary_forms():
    p = _parse("If ``x_i`` is greater than ``0`` and less than ``1``, the result is ``x_i``.", ["x"])
    assert p["operands"] == {"x": [{"gt": 0.0}, {"lt": 1.0}]} and p["result"] == {"same_as": "x"}
    p = _parse("If ``x_i`` is an integer, the result is ``-0``.", ["x"])
    assert p["operands"] == {"x": [{"integer": True}]}
    p = _parse("If ``x1_i`` is ``-0`` and ``x2_i`` is not an odd integer value, the result is ``+0``.")
    assert p["operands"]["x2"] == [{"not": {"odd_integer": True}}]
    p = _parse("If ``abs(x1_i)`` is less than ``1`` and ``x2_i`` is ``+infinity``, the result is ``+0``.")
    assert p["operands"]["x1"] == [{"abs": {"lt": 1.0}}]


def test_parse_complex_rule():
    p = _parse("If ``a`` is ``+0`` and ``b`` is ``NaN``, the result is ``NaN ± πj/2`` (sign of imaginary component "
               "is unspecified).", "ab")
    assert p["operands"] == {"a": [{"is": "+0"}], "b": [{"is": "NaN"}]}
    assert p["result"] == {"real": {"value": "NaN"},
                           "imag": {"approx": "+π/2", "float": math.pi / 2, "any_sign": True}}
    p = _parse("If ``a`` is ``+infinity`` and ``b`` is a nonzero finite number, the result is ``+infinity * cis(b)``.",
               "ab")
    assert p["result"] == {"cis": "b", "scale": "+infinity"}
    p = _parse("If ``a``, ``b``, ``c``, and ``d`` are all ``NaN``, the result is ``NaN + NaN j``.", "abcd")
    assert all(conds == [{"is": "NaN"}] for conds in p["operands"].values())


def test_parse_implementation_defined():
    p = _parse('If ``x1_i`` and ``x2_i`` have different mathematical signs, the result has a negative mathematical '
               'sign, unless the result is ``NaN``. If the result is ``NaN``, the "sign" of ``NaN`` is '
               'implementation-defined.')
    assert p["result"] == {"sign": "-", "nan_allowed": True}
    p = _parse("If ``x1_i`` is a negative (i.e., less than ``0``) finite number and ``x2_i`` is ``+infinity``, the "
               "result is ``-0``. (**note**: libraries may return ``-1.0`` to match Python behavior.)")
    assert p["result"] == {"value": "-0", "alternatives": [{"value": "-1.0"}]}
    p = _parse("In the remaining cases, the result is implementation dependent.", "abcd")
    assert p["remaining"] and p["result"] == {"implementation_dependent": True}


def test_bullets_join_lines_and_lead_ins():
    doc = ("**Special cases**\n\nFor real-valued floating-point operands, and if ``x1_i`` is not ``NaN``,\n\n"
           "- If ``x2_i`` is ``+0``, the result\n  is ``|x1_i|``.\n\n"
           "- If ``x1_i`` is ``NaN``, the result is ``NaN``.\n\n"
           ".. note::\n   For complex floating-point operands, this is a note.\n\n"
           "For complex floating-point operands, let ``a = real(x_i)``, ``b = imag(x_i)``, and\n\n"
           "- If ``a`` is ``NaN``, the result is ``NaN + NaN j``.\n")
    found = derive.rules(doc, ["x1", "x2"])
    assert [r["section"] for r in found] == ["real", "real", "complex"]
    assert found[0]["sentence"] == "If ``x2_i`` is ``+0``, the result is ``|x1_i|``."
    assert found[0]["parsed"]["operands"]["x1"] == [{"not": {"is": "NaN"}}]
    assert found[1]["parsed"]["operands"]["x1"] == [{"is": "NaN"}]
    assert found[2]["parsed"]["let"] == {"a": "real(x1)", "b": "imag(x1)", "c": "real(x2)", "d": "imag(x2)"}


# --------------------------------------------------------------------- (e) remaining cases


def test_parse_remaining_cases():
    p = _parse("In the remaining cases, the result is ``False``.", ["x"])
    assert p == {"remaining": True, "operands": {"x": []}, "relations": [], "result": {"value": False}}
    p = _parse("In the remaining cases, where neither ``infinity`` nor ``NaN`` is involved, the product must be "
               "computed and rounded to the nearest representable value according to IEEE 754-2019 and a supported "
               "rounding mode. If the magnitude is too large to represent, the result is an `infinity` of appropriate "
               "mathematical sign. If the magnitude is too small to represent, the result is a zero of appropriate "
               "mathematical sign.")
    assert p["result"] == {"computed": "*", "rounding": "nearest", "overflow": "infinity", "underflow": "zero"}
    assert p["operands"]["x2"] == [{"not": {"is": "+infinity"}}, {"not": {"is": "-infinity"}}, {"not": {"is": "NaN"}}]
    p = _parse("In the remaining cases, the result is the logical OR of the equality comparison between the real "
               "values ``a`` and ``c`` (real components) and between the real values ``b`` and ``d`` (imaginary "
               "components), as described above for real-valued floating-point operands (i.e., ``a != c OR b != d``).",
               "abcd")
    assert p["result"] == {"truth_of": {"any": [{"not_equal": ["a", "c"]}, {"not_equal": ["b", "d"]}]}}
    with pytest.raises(derive.Unparsed, match="remaining cases"):
        _parse("In the remaining cases, the result is ``True``.")  # only what the standard writes is understood


def test_add_remaining_inputs_are_what_no_other_rule_determines():
    """add's sum must be correctly rounded where no zero, infinity or NaN is involved and x2 is not -x1;
    multiply's sign-only bullets leave its value to the remaining rule, so they take nothing away."""
    add = next(r for r in sc.rules()["add"] if r.remaining)
    x1, x2 = sc.inputs(add, "float64")
    assert np.isfinite(x1).all() and (x1 != 0).all() and (x2 != -x1).all() and len(x1) == 28 * 28 - 28
    multiply = next(r for r in sc.rules()["multiply"] if r.remaining)
    assert not any("sign" in o.parsed["result"] and o.parsed["result"]["sign"] != "product" for o in multiply.excludes)
    assert len(sc.inputs(multiply, "float32")[0]) == 30 * 30  # the zeros too: 0 * 5 is +0 by IEEE rounding


def _q(x) -> Fraction:
    return Fraction(float(x))


def test_rounded_is_the_correct_rounding():
    """Against float32 arithmetic done in float64 and rounded once (exact for +, *, /: 53 >= 2 * 24 + 2)."""
    pool = sc.candidates(np.float32)
    pool = pool[np.isfinite(pool) & (pool != 0)]
    a, b = (g.ravel() for g in np.meshgrid(pool, pool))
    with np.errstate(all="ignore"):
        for op, exact in (("+", np.add), ("*", np.multiply), ("/", np.divide)):
            want = exact(a.astype(np.float64), b.astype(np.float64)).astype(np.float32)
            q = [{"+": _q(x) + _q(y), "*": _q(x) * _q(y), "/": _q(x) / _q(y)}[op] for x, y in zip(a, b)]
            got = np.array([sc.rounded(v, np.float32, "even") for v in q]).astype(np.float32)
            assert np.array_equal(got.view(np.uint32), want.view(np.uint32)), op


def test_rounded_ties_overflow_and_floor():
    tiny, big = Fraction(float(np.finfo(np.float64).smallest_subnormal)), Fraction(float(np.finfo(np.float64).max))
    assert sc.rounded(tiny / 2, np.float64, "even") == 0.0 and sc.rounded(tiny / 2, np.float64, "away") == 5e-324
    assert sc.rounded(-tiny * 3 / 2, np.float64, "even") == -1e-323  # the tie goes to the even multiple, 2
    half_ulp = Fraction(2) ** (1023 - 53)
    assert sc.rounded(big + half_ulp, np.float64, "even") == math.inf
    assert sc.rounded(big + half_ulp - 1, np.float64, "even") == float(big)
    assert sc.rounded(-big - half_ulp, np.float32, "even") == -math.inf
    assert sc.rounded(Fraction(-1, 3), np.float64, "down") == float(np.nextafter(-1 / 3, -1))
    floor_divide = next(r for r in sc.rules()["floor_divide"] if r.remaining)
    x = (np.array([2.0 ** 53 - 1, -0.25, 5e-324, -5e-324]), np.array([0.75, -0.5, 4.0, 4.0]))
    exp = sc.expected(floor_divide, x, "float64")
    assert exp.parts[0].want.tolist() == [12009599006321320.0, 0.0, 0.0, -1.0]  # -5e-324 // 4: floor -1 ...
    assert math.copysign(1, exp.alternatives[0].parts[0].want[3]) < 0  # ... or the underflow sentence's -0


def test_python_remainder_in_float32():
    remainder = next(r for r in sc.rules()["remainder"] if r.remaining)
    x1, x2 = np.float32([-1e-8, 0.25, 7.0]), np.float32([1.0, -0.25, -2.5])
    want = sc.expected(remainder, (x1, x2), "float32").parts[0].want
    assert want.tolist() == [1.0, -0.0, -0.5] and math.copysign(1, want[1]) < 0  # -1e-8 % 1.0 rounds up to 1.0


def test_complex_equal_compares_components_as_reals():
    equal = next(r for r in sc.rules()["equal"] if r.remaining and r.section == "complex")
    (x1, x2) = sc.inputs(equal, "complex128")
    assert not (np.isnan(x1.real) | np.isnan(x1.imag) | np.isnan(x2.real) | np.isnan(x2.imag)).any()
    want = sc.expected(equal, (x1, x2), "complex128").parts[0].want
    assert want.dtype == bool and want.sum() == 9 * 9  # 7 values per part; 0 and -0 are one: 9 equal pairs
    assert sc.check(equal, (x1, x2), x1 == x2, "complex128").all()


def test_remaining_verdicts_on_array_api_strict():
    """inf != 0 is True by not_equal's definition and False by its remaining bullet: ambiguous, not a violation;
    complex multiply's remaining cases are open; the computed rules hold where NumPy rounds correctly."""
    from parity import conform_special_cases
    from parity.backends import get_backend
    from parity.conformance import Target

    target = Target(get_backend("array_api_strict"), "cpu", "native", "2025.12")
    verdicts = {(c.function, c.dtype): c.verdict for c in conform_special_cases.checks(target)
                if c.rule.startswith("In the remaining cases")}
    assert verdicts["not_equal", "float64"] == "ambiguous" and verdicts["equal", "complex128"] == "conforms"
    assert verdicts["multiply", None] == verdicts["sign", None] == "unspecified"
    assert {verdicts[f, d] for f in ("add", "multiply", "divide", "remainder", "isnan", "isinf")
            for d in ("float32", "float64")} == {"conforms"}
    assert (verdicts["floor_divide", "float32"], verdicts["floor_divide", "float64"]) == ("conforms", "violates")
