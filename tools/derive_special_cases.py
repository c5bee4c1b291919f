"""Derive the Array API standard's elementwise special cases (opinfo/data/array_api_special_cases.json).

usage: python tools/derive_special_cases.py [--mirror GIT_DIR] [--check]

Reads ``elementwise_functions.py`` of each version below from a git mirror of data-apis/array-api
(``git show``, no work tree needed) with ``ast``: only the docstrings are kept, never the stubs'
code. Each bullet of a function's "Special cases" section becomes a rule: the bullet's text, its
section (real or complex operands) and, where the sentence is understood, a declarative form
(``parsed``) that ``opinfo/special_cases.py`` turns into inputs and required results; a sentence
that is not understood keeps ``parsed: null`` and says why in ``unparsed``. With ``--check`` the
file is regenerated in memory and the tool exits 1 if the shipped one differs. An older version's
function whose rules equal the newest version's holds that version's name (a string) instead.

The parsed form, per rule::

    {"arguments": ["x1", "x2"],                       # the function's array arguments in call order
     "operands": {"x1": [cond, ...], "x2": [...]},   # every operand; [] is any value (NaN included)
     "let": {"a": "real(x1)", ...},                   # complex rules: the operands are components
     "relations": [rel, ...], "assumes": [rel, ...],  # between operands; assumes: outside the sentence
     "result": {...}}

cond: {"is": "NaN" | "+0" | "-0" | "+infinity" | "-infinity"}, {"eq": 1.0}, {"gt": 0.0}, {"lt": -1.0},
{"finite": true}, {"nonzero": true} (neither zero nor NaN), {"integer": true}, {"odd_integer": true},
{"half_integer": true}, {"signbit": true}, {"abs": cond}, {"not": cond}, {"any_of": [cond, ...]},
{"all_of": [cond, ...]}. rel: {"either": [names], "cond": cond}, {"same_sign": [x1, x2]},
{"different_sign": [...]}, {"equal": [...]}, {"not_equal": [...]}, {"negative_of": [x2, x1]}
(x2 is -x1), {"not_gt": [min, max]}.
result: {"value": "+0"} (exact; "0" or "infinity" without a sign, or "any_sign": true, leave the
sign free), {"value": "NaN", "signbit": true}, {"value": true}, {"approx": "+π/2", "float": ...},
{"same_as": "x1"}, {"abs_of": "x1", "negate": true}, {"sign": "+" | "-", "nan_allowed": true},
{"value": "infinity", "sign": "product"}, {"round_half_even": "x"}, complex {"real": part,
"imag": part} (a part missing is not constrained) or {"cis": "b", "scale": "+infinity",
"offset": -1.0}; "alternatives": [result, ...] where the standard lets a library choose.

An "In the remaining cases" bullet has ``"remaining": true``: its inputs are those no other rule of its
section determines (``opinfo/special_cases.py`` takes them away), its operands' conditions what the
sentence itself excludes ("neither infinity nor NaN"), a relation may be negated ({"not": rel}). Its
result: {"value": false}; {"truth_of": {"all" | "any": [rel, ...]}} (complex equal: ``a == c AND b == d``);
{"computed": "+" | "*" | "/", "rounding": "nearest" | "floor", "overflow": "infinity", "underflow":
"zero"} (IEEE 754 rounding of the exact result; floor_divide's greatest integer not above it);
{"computed": "%", "rounding": "python"}; {"implementation_dependent": true} (with {"as_if": "divide"}
where it follows another function's rules that are so). One beside a rule not understood stays
unparsed. ``definitions`` holds a comparison's summary (``x1_i != x2_i``) as a rule for every input.

Under ``statistical`` the same file holds, per version and function of ``statistical_functions.py``, every
sentence that defines a special result: the Special Cases bullets and paragraphs, the Notes, and the
``correction`` / ``include_initial`` parameters. Each keeps its raw ``sentence``, its ``section``, which
``operands`` it is about (real, complex, floating, any), its ``modality`` (must, should, may, or "is":
2024.12 states requirements as facts), the ``lead_modality`` of the paragraph that introduces it, and
``parsed``: {"when": "empty" | "nan" | "no_degrees_of_freedom", "result": {"value": "NaN" | "0" | "1"} or
{"real": ..., "imag": ...}, "component": "real" | "imag"}, {"when": ..., "implementation_defined": true},
{"as_if": "add" | "multiply"}, {"divisor": "M - correction"}, {"initial": "0" | "1"},
{"components": "independently"}, {"libraries_deviate": "NaN components"}, {"input_dtypes": "numeric"} (the
kind of ``x`` the function is for); or ``parsed: null`` and why.
"""

from __future__ import annotations

import ast
import math
import re
import sys
from pathlib import Path

from standard_mirror import arguments, dumps, git_commit, git_show, write_or_check

VERSIONS = {"2024.12": "_2024_12", "2025.12": "_2025_12"}
STUB = "src/array_api_stubs/{}/elementwise_functions.py"
OUT = Path(__file__).resolve().parent.parent / "opinfo" / "data" / "array_api_special_cases.json"
#: Conditions that come from outside the bullet: clip's Notes leave ``min_i > max_i`` unspecified.
ASSUMES = {"clip": [{"not_gt": ["min", "max"]}]}

_SUBJECT = r"(?:abs\()?(?:x1_i|x2_i|x_i|min_i|max_i|[abcd])\)?"
_CLAUSE_SPLIT = re.compile(rf",? and (?={_SUBJECT} (?:is|equals|does)|the sign bit)|, (?={_SUBJECT} )")
_SPECIALS = ("NaN", "+0", "-0", "+infinity", "-infinity")
_LITERAL = re.compile(r"^[+-]?(?:\d+(?:\.\d+)?)$")
_UNSPECIFIED = re.compile(
    r"\s*\((signs? of (?:the )?(real|imaginary|real and imaginary) components? (?:is|are) unspecified)\)$")


class Unparsed(ValueError):
    """A sentence (or part of one) this grammar does not cover; the message is the reason."""


def operand(token: str) -> str:
    """``x1_i`` -> ``x1``; complex components ``a``..``d`` keep their names."""
    return token.removesuffix("_i")


# ---------------------------------------------------------------------------------- conditions


def predicate(text: str) -> list[dict]:
    """The conditions (a conjunction) of one operand's predicate phrase, e.g. "a nonzero finite number"."""
    text = text.strip()
    if text.startswith("not "):
        inner = predicate(text[4:])
        return [{"not": _one(inner)}]
    if " and " in text:  # "greater than 0 and less than 1": one operand, both conditions
        return [c for part in text.split(" and ") for c in predicate(part)]
    if text.startswith("either "):
        text = text[len("either "):]
    if " or " in text:
        return [{"any_of": [_one(predicate(p)) for p in text.split(" or ")]}]
    if text in _SPECIALS:
        return [{"is": text}]
    if _LITERAL.match(text):
        return [{"eq": float(text)}]
    m = re.fullmatch(r"(equal to|greater than|less than) (\S+)", text)
    if m and _LITERAL.match(m[2]):
        return [{{"equal to": "eq", "greater than": "gt", "less than": "lt"}[m[1]]: float(m[2])}]
    m = re.fullmatch(r"(?:an? )?(odd )?integer(?: value|-valued)?|already integer-valued", text)
    if m:
        return [{"odd_integer": True} if m[1] else {"integer": True}]
    words = {
        "a finite number": [{"finite": True}],
        "finite numbers": [{"finite": True}],
        "a nonzero finite number": [{"finite": True}, {"nonzero": True}],
        "nonzero finite numbers": [{"finite": True}, {"nonzero": True}],
        "a positive finite number": [{"gt": 0.0}, {"finite": True}],
        "a negative finite number": [{"lt": 0.0}, {"finite": True}],
        "a nonzero number": [{"nonzero": True}],
        "any value": [],
    }
    if text in words:
        return words[text]
    raise Unparsed(f"condition not understood: {text!r}")


def _one(conds: list[dict]) -> dict:
    return conds[0] if len(conds) == 1 else {"all_of": conds}


def clause(text: str, operands: dict, relations: list) -> None:
    """Add one clause ("x1_i is greater than 0", "x1_i equals x2_i") to the operands or relations."""
    m = re.fullmatch(r"the sign bit of (\w+) is ([01])", text)
    if m:
        operands[operand(m[1])].append({"signbit": m[2] == "1"})
        return
    m = re.fullmatch(r"(abs\()?(\w+)\)? (is|equals|does not equal) (.+)", text)
    if not m or operand(m[2]) not in operands:
        raise Unparsed(f"clause not understood: {text!r}")
    name, verb, rest = operand(m[2]), m[3], m[4]
    other = operand(rest.removeprefix("-"))
    if verb != "is" or (rest.startswith("-") and rest.endswith("_i") and other in operands):
        kind = "negative_of" if verb == "is" else ("equal" if verb == "equals" else "not_equal")
        relations.append({kind: [name, other]})
        return
    conds = predicate(rest)
    operands[name].extend([{"abs": c} for c in conds] if m[1] else conds)


def conditions(text: str, operands: dict, relations: list) -> None:
    """Parse the part between "If" and the first ", the result": whole-sentence forms first, then clauses."""
    m = re.fullmatch(r"(?:either )?(\w+) or (\w+) is (.+)", text)
    pair = (m[1], m[2], m[3]) if m else None
    m = re.fullmatch(r"(\w+) is (.+) or (\w+) is \2", text)
    pair = (m[1], m[3], m[2]) if m else pair
    if pair and operand(pair[0]) in operands and operand(pair[1]) in operands:
        relations.append({"either": [operand(pair[0]), operand(pair[1])], "cond": _one(predicate(pair[2]))})
        return
    m = re.fullmatch(r"((?:\w+, )+)(or|and) (\w+) (?:is|are all) (.+)", text)
    if m:
        names = [operand(n) for n in m[1].rstrip(", ").split(", ")] + [operand(m[3])]
        cond = _one(predicate(m[4]))
        if m[2] == "or":
            relations.append({"either": names, "cond": cond})
        else:
            for n in names:
                operands[n].append(cond)
        return
    signs = r"(the same mathematical sign|different mathematical signs)"
    m = re.fullmatch(rf"(\w+) and (\w+) have {signs}(?: and are both (.+))?", text)
    if m:
        pair = [operand(m[1]), operand(m[2])]
        relations.append({"same_sign" if "same" in m[3] else "different_sign": pair})
        for n in pair:
            operands[n].extend(predicate(m[4]) if m[4] else [])
        return
    m = re.fullmatch(r"two integers are equally close to (\w+)", text)
    if m:
        operands[operand(m[1])].append({"half_integer": True})
        return
    for part in _CLAUSE_SPLIT.split(text):
        clause(part, operands, relations)


# ------------------------------------------------------------------------------------- results


def value(text: str) -> dict:
    """A literal result: exact, except that a zero or infinity written without a sign leaves it free."""
    if text in ("True", "False"):
        return {"value": text == "True"}
    if text in ("0", "infinity"):
        return {"value": text, "any_sign": True}
    if text in _SPECIALS or _LITERAL.match(text):
        return {"value": text}
    if "π" in text:
        return approx(text)
    raise Unparsed(f"result not understood: {text!r}")


def approx(text: str) -> dict:
    """``+3π/4`` -> its text with an explicit sign and its float value."""
    m = re.fullmatch(r"([+-]?)(\d*)π(?:/(\d+))?", text)
    if not m:
        raise Unparsed(f"approximation not understood: {text!r}")
    number = (-1 if m[1] == "-" else 1) * int(m[2] or 1) * math.pi / int(m[3] or 1)
    return {"approx": (m[1] or "+") + text.lstrip("+-"), "float": number}


def complex_result(text: str, unspecified: str | None) -> dict:
    """``π/2 - infinity j``, ``NaN ± πj/2``, ``+infinity * cis(b) - 1.0``: the real and imaginary parts."""
    m = re.fullmatch(r"([+-]?(?:infinity|0)) \* cis\((\w)\)( - 1\.0)?", text)
    if m:
        out = {"cis": m[2], "scale": m[1]}
        return out | ({"offset": -1.0} if m[3] else {})
    text = re.sub(r"(\d*)πj(/\d+)?", lambda k: f"{k[1]}π{k[2] or ''} j", text)
    text = re.sub(r"(\S)j$", r"\1 j", text)
    m = re.fullmatch(r"(\S+) ([+±-]) (\S+) j", text)
    if not m:
        raise Unparsed(f"complex result not understood: {text!r}")
    real = value(m[1].replace("±", "")) | ({"any_sign": True} if "±" in m[1] else {})
    imag_text = m[3] if m[3] == "NaN" or m[2] == "±" else m[2] + m[3]
    imag = value(imag_text) | ({"any_sign": True} if m[2] == "±" else {})
    if unspecified:
        for part, name in ((real, "real"), (imag, "imaginary")):
            if name in unspecified:
                part["any_sign"] = True
    return {"real": real, "imag": imag}


def result(text: str, unspecified: str | None) -> dict:
    """What follows "the result " in a bullet."""
    text = re.sub(r", even if \w+ is NaN$", "", text)
    m = re.fullmatch(r'has a (positive|negative) mathematical sign(, unless the result is NaN\. If the result is NaN, '
                     r'the "sign" of NaN is implementation-defined)?', text)
    if m:
        return {"sign": "+" if m[1] == "positive" else "-"} | ({"nan_allowed": True} if m[2] else {})
    if text == "is a signed infinity with the mathematical sign determined by the rule already stated above":
        return {"value": "infinity", "sign": "product"}
    if not text.startswith("is "):
        raise Unparsed(f"result not understood: {text!r}")
    text = text[3:]
    patterns = [
        (r"an implementation-dependent approximation to (\S+)", lambda k: approx(k[1])),
        (r"(?:equal|equivalent) to abs\((\w+)\)", lambda k: {"abs_of": operand(k[1])}),
        (r"(-?)\|(\w+)\|", lambda k: {"abs_of": operand(k[2])} | ({"negate": True} if k[1] else {})),
        (r"NaN with a sign bit of ([01])", lambda k: {"value": "NaN", "signbit": k[1] == "1"}),
        (r"the even integer closest to (\w+)", lambda k: {"round_half_even": operand(k[1])}),
        (r"(x1_i|x2_i|x_i)", lambda k: {"same_as": operand(k[1])}),
    ]
    for pattern, make in patterns:
        m = re.fullmatch(pattern, text)
        if m:
            return make(m)
    if "j" in text or "cis(" in text:
        return complex_result(text, unspecified)
    out = value(text)
    if unspecified:
        out["any_sign"] = True
    return out


# -------------------------------------------------------------------------------------- bullets


def plain(sentence: str) -> str:
    """The sentence without markup and without asides that carry no condition."""
    text = sentence.replace("``", "").replace("`", "")
    text = re.sub(r"\s*\(i\.e\., [^)]*\)", "", text)
    text = re.sub(r" \(including NaN\)|, including NaN(?=,)", "", text)
    text = re.sub(r"^If (a|b|c|d) (?=[+-])", r"If \1 is ", text)  # sqrt: "If ``a`` ``-infinity``"
    return text.strip()


def parse(sentence: str, names: list[str], given: str | None = None) -> dict:
    """The declarative form of one bullet; raises Unparsed with the reason."""
    text = plain(sentence)
    alternatives = []
    m = re.search(r"\s*\(\*\*note\*\*: (.*)\)$", text)
    if m:
        alt = re.fullmatch(r"libraries may return (\S+) to match Python behavior\.", m[1])
        if alt:
            alternatives.append(value(alt[1]))
        text = text[: m.start()]
    text = text.removesuffix(".")
    m = _UNSPECIFIED.search(text)
    unspecified = m[2] if m else None
    if m:
        text = text[: m.start()]
    if text.startswith("In the remaining cases, "):
        return remaining(sentence, text.removeprefix("In the remaining cases, "), names)
    text = re.sub(r"^Similarly, if ", "If ", text)
    m = re.fullmatch(r"If (.+?), the (result|real component of the result|imaginary component of the result) (.+)",
                     text)
    if not m:
        raise Unparsed("not an 'If ..., the result ...' sentence")
    operands = {n: [] for n in names}
    relations: list[dict] = []
    if given:
        conditions(given, operands, relations)
    conditions(m[1], operands, relations)
    res = result(m[3], unspecified)
    if m[2] != "result":
        res = {"real" if "real" in m[2] else "imag": res}
    if alternatives:
        res["alternatives"] = alternatives
    return {"operands": operands, "relations": relations, "result": res}


_NEITHER = {"infinity": ["+infinity", "-infinity"], "+infinity": ["+infinity"], "-infinity": ["-infinity"],
            "+0": ["+0"], "-0": ["-0"], "NaN": ["NaN"], "a NaN": ["NaN"]}
_ROUNDED = re.compile(
    r"(?:where|when) neither (.+?) is involved(, and the operands have the same mathematical sign or have different "
    r"magnitudes)?, the (sum|product|quotient) must be computed and rounded to the (nearest representable value "
    r"according to IEEE 754-2019 and a supported round(?:ing)? mode|greatest representable integer-value number that "
    r"is not greater than the division result)(\. If the magnitude is too large to represent, (?:the operation "
    r"overflows and )?the result is an infinity of appropriate mathematical sign)?(\. If the magnitude is too small "
    r"to represent, (?:the operation underflows and )?the result is a zero of appropriate mathematical sign)?")
_LOGICAL = re.compile(r"the result is the logical (AND|OR) of the equality comparison between the real values (\w) and "
                      r"(\w) \(real components\) and between the real values (\w) and (\w) \(imaginary components\), "
                      r"as described above for real-valued floating-point operands")
_FORMULA = re.compile(r"\(i\.e\., ``(\w) (==|!=) (\w) (AND|OR) (\w) (==|!=) (\w)``\)")


def remaining(sentence: str, text: str, names: list[str]) -> dict:
    """An "In the remaining cases" bullet (``text`` after that phrase): ``remaining: true`` says its inputs
    are those no other rule of its section determines; its own conditions are what the sentence excludes."""
    operands, relations = {n: [] for n in names}, []
    fixed = {"the result is False": {"value": False},
             "the result is implementation dependent": {"implementation_dependent": True},
             "the result must match that of the Python % operator": {"computed": "%", "rounding": "python"},
             "special cases must be handled according to the rules of complex number division (see "
             ":func:~array_api.divide)": {"as_if": "divide"}}
    m, logical, formula = _ROUNDED.fullmatch(text), _LOGICAL.fullmatch(text), _FORMULA.search(sentence)
    if text in fixed:
        res = fixed[text]
    elif logical and formula and formula[4] == logical[1] and {formula[1], formula[3]} == {logical[2], logical[3]}:
        kinds = {"==": "equal", "!=": "not_equal"}
        both = [{kinds[formula[2]]: [formula[1], formula[3]]}, {kinds[formula[6]]: [formula[5], formula[7]]}]
        res = {"truth_of": {"all" if formula[4] == "AND" else "any": both}}
    elif m:
        excluded = [_NEITHER[w] for w in re.split(r", nor |, | nor ", m[1])]
        for n in names:
            operands[n] += [{"not": {"is": v}} for vs in excluded for v in vs]
        if m[2]:  # nonzero finite operands: "the same sign or different magnitudes" is "x2 is not -x1"
            relations.append({"not": {"negative_of": [names[1], names[0]]}})
        res = {"computed": {"sum": "+", "product": "*", "quotient": "/"}[m[3]],
               "rounding": "nearest" if m[4].startswith("nearest") else "floor"}
        res |= ({"overflow": "infinity"} if m[5] else {}) | ({"underflow": "zero"} if m[6] else {})
    else:
        raise Unparsed("remaining cases: not understood")
    return {"remaining": True, "operands": operands, "relations": relations, "result": res}


def resolve(functions: dict) -> None:
    """Settle what a remaining rule defers to, where it can be: one that follows another function's rules
    (``as_if``) is as open as that function's own remaining rule of the section; one beside a rule not
    understood has no known inputs."""
    for rules_ in functions.values():
        for rule in rules_:
            parsed = rule["parsed"]
            if not parsed or not parsed.get("remaining"):
                continue
            section = [r for r in rules_ if r["section"] == rule["section"] and r is not rule]
            other = [r["parsed"] for r in functions.get(parsed["result"].get("as_if"), [])
                     if r["section"] == rule["section"] and r["parsed"] and r["parsed"].get("remaining")]
            if any(r["parsed"] is None for r in section):
                why = "remaining cases: another rule of the section is not understood"
            elif "as_if" in parsed["result"] and not (other and other[0]["result"].get("implementation_dependent")):
                why = "remaining cases: deferred to rules that are not understood"
            else:
                if "as_if" in parsed["result"]:
                    parsed["result"]["implementation_dependent"] = True
                continue
            rule["parsed"], rule["unparsed"] = None, why


def components(params: list[str]) -> dict[str, str]:
    """The complex components a sentence names: a, b of x; a, b, c, d of x1 and x2."""
    if len(params) == 1:
        return {"a": f"real({params[0]})", "b": f"imag({params[0]})"}
    return {"a": f"real({params[0]})", "b": f"imag({params[0]})", "c": f"real({params[1]})", "d": f"imag({params[1]})"}


def bullets(doc: str):
    """(sentence, section, lead-in condition) of each bullet of the docstring's Special cases section.

    A bullet runs on over indented lines (sub-bullets included) up to a blank line or the next
    bullet. Directive bodies (``.. note::``) are skipped. A paragraph about complex operands starts the
    complex section, one about real-valued or floating-point operands the real one; a lead-in that
    ends "and if ``x1_i`` is not ``NaN``," conditions the list that follows it only.
    """
    m = re.search(r"^\*\*Special cases\*\*$", doc, re.I | re.M)
    if not m:
        return
    section, given, in_directive, current, list_open = "real", None, False, None, False
    for line in doc[m.end():].splitlines() + [""]:
        if line.startswith(".. "):
            in_directive = True
            continue
        if in_directive and (not line.strip() or line.startswith(" ")):
            continue
        in_directive = False
        if re.match(r"-\s+\S", line):
            if current:
                yield current
            current, list_open = [" ".join(line[1:].split()), section, given], True
        elif line.strip() and line.startswith(" ") and current:
            current[0] += " " + " ".join(line.split()).lstrip("- ")
        elif not line.strip():
            if current:
                yield current
            current = None
            if list_open:
                given, list_open = None, False
        elif not line.startswith(("+", "|", "=")):
            paragraph = line.strip()
            if "complex" in paragraph:
                section = "complex"
            elif re.search(r"real-valued|^For floating-point", paragraph):
                section = "real"
            lead = re.search(r"and if (.+),$", plain(paragraph))
            given = lead[1] if lead else given
    if current:
        yield current


def rules(doc: str, params: list[str], assumes: list[dict] | None = None) -> list[dict]:
    """The rules of one function's docstring."""
    out = []
    for sentence, section, given in bullets(doc):
        names = list(components(params)) if section == "complex" else [operand(p) for p in params]
        rule = {"sentence": sentence, "section": section}
        try:
            rule["parsed"] = parse(sentence, names, given)
        except Unparsed as exc:
            rule["parsed"], rule["unparsed"] = None, str(exc)
        if rule["parsed"] is not None:
            rule["parsed"]["arguments"] = [operand(p) for p in params]
            if section == "complex":
                rule["parsed"]["let"] = components(params)
            if assumes and section == "real":
                rule["parsed"]["assumes"] = assumes
        out.append(rule)
    return out


def derive_version(source: str) -> dict:
    """{function: [rule, ...]} of one stub module's text, functions in name order."""
    functions, symmetric, defined = {}, {}, {}
    for node in ast.parse(source).body:
        if not isinstance(node, ast.FunctionDef):
            continue
        a = node.args
        params = [p.arg for p in a.posonlyargs + a.args + a.kwonlyargs]
        doc = ast.get_docstring(node) or ""
        found = rules(doc, params, ASSUMES.get(node.name))
        if found:
            functions[node.name] = found
            if found_symmetries := symmetries(node.name, doc):
                symmetric[node.name] = found_symmetries
            if found_definition := definition(doc, [operand(p) for p in params]):
                defined[node.name] = found_definition
    resolve(functions)
    return {"functions": dict(sorted(functions.items())), "symmetries": dict(sorted(symmetric.items())),
            "definitions": dict(sorted(defined.items()))}


def definition(doc: str, names: list[str]) -> dict | None:
    """A comparison's summary line ("Computes the truth value of ``x1_i != x2_i``") as a real-section rule
    for every input: where a bullet says otherwise (not_equal's "remaining cases" give ``False`` for
    ``+infinity != 0``), the standard says two things."""
    m = re.match(r"Computes the truth value of ``(\w+) (==|!=) (\w+)`` for each element", doc)
    if not m:
        return None
    relation = {{"==": "equal", "!=": "not_equal"}[m[2]]: [operand(m[1]), operand(m[3])]}
    return {"sentence": doc.split("\n", 1)[0], "section": "real",
            "parsed": {"arguments": names, "operands": {n: [] for n in names}, "relations": [],
                       "result": {"truth_of": {"all": [relation]}}}}


def symmetries(name: str, doc: str) -> list[str]:
    """The symmetries a complex function's notes require: ``f(conj(x))`` must equal ``conj(f(x))``
    ("conj"), ``f(-z)`` must equal ``-f(z)`` ("odd"). They decide between bullets that contradict."""
    text = " ".join(doc.split())
    found = []
    if re.search(rf"``{name}\(conj\(x\)\)`` must equal ``conj\({name}\(x\)\)``", text):
        found.append("conj")
    if re.search(rf"``{name}\(-(\w)\)`` must equal ``-{name}\(\1\)``", text):
        found.append("odd")
    return found


# ------------------------------------------------------------------------ statistical functions

STATISTICAL = "src/array_api_stubs/{}/statistical_functions.py"
_VALUE = {"NaN": {"value": "NaN"}, "0": {"value": "0"}, "1": {"value": "1"},
          "NaN + NaN j": {"real": "NaN", "imag": "NaN"}}
#: Statistical sentences understood, as (pattern on the plain sentence, parsed form or a maker of it).
_STATISTICAL = [
    (r"If (?:M|N) is 0, the .+? (?:must be|is) (.+?)(?: \(i\.e\., the empty \w+\))?\.",
     lambda m: {"when": "empty", "result": _VALUE[m[1]]}),
    (r"If x_i is NaN, the .+? (?:must be|is) NaN\.",
     lambda m: {"when": "nan", "result": {"value": "NaN"}}),
    (r"(?:Similarly, i|I)f (a|b) is NaN, the (real|imaginary) component of the result (?:must be|is) NaN\.",
     lambda m: {"when": "nan", "component": "real" if m[1] == "a" else "imag",
                "result": {"real" if m[2] == "real" else "imag": "NaN"}}),
    (r"If (?:M|N) - correction is less than or equal to 0, the .+? (?:must be|is) NaN\.",
     lambda m: {"when": "no_degrees_of_freedom", "result": {"value": "NaN"}}),
    (r"For complex floating-point operands, real-valued floating-point special cases should independently apply to "
     r"the real and imaginary component operations involving real numbers\..*",
     lambda m: {"components": "independently"}),
    (r"For both real-valued and complex floating-point operands, special cases (?:must|should) be handled as if the "
     r"operation is implemented by successive application of :func:~array_api\.(add|multiply)\.",
     lambda m: {"as_if": m[1]}),
    (r"When the number of elements over which to compute the \w+ value is zero, .*implementation-defined\..*",
     lambda m: {"when": "empty", "implementation_defined": True}),
    (r"The order of signed zeros is unspecified and thus implementation-defined\..*",
     lambda m: {"when": "signed_zeros", "implementation_defined": True}),
    (r"For backward compatibility, .*inequality comparison of complex numbers is unspecified.*",
     lambda m: {"when": "complex", "implementation_defined": True}),
    (r"When x is a zero-dimensional array, behavior is unspecified and thus implementation-defined\.",
     lambda m: {"when": "zero_dimensional", "implementation_defined": True}),
    (r"Array libraries, such as .+, currently deviate from this specification in their handling of components which "
     r"are NaN when computing the arithmetic mean\..*", lambda m: {"libraries_deviate": "NaN components"}),
    (r"degrees of freedom adjustment\. Setting this parameter to a value other than 0 has the effect of adjusting "
     r"the divisor during the calculation of the .+? according to (?:M|N)-c .*",
     lambda m: {"divisor": "M - correction"}),
    (r"input array\. Should have (?:one or more dimensions \(axes\)\. Should have )?an? (.+?) data type\.",
     lambda m: {"input_dtypes": m[1]}),
    (r"boolean indicating whether to include the initial value as the first value in the output\. By convention, the "
     r"initial value (?:must be|is) the (additive|multiplicative) identity.*",
     lambda m: {"initial": "0" if m[1] == "additive" else "1"}),
]
_UNPARSED_STATISTICAL = [
    (r"While this specification recommends .* integer data type.*", "the result dtype of integer input: not a special "
                                                                   "case (a dtype rule)"),
    (r"Let (?:M|N) equal the number of elements.*", "a definition"),
]


def modality(sentence: str) -> str:
    """How binding a sentence is: "must", "should", "may", or "is" (2024.12 states requirements as facts)."""
    for word in ("must", "should", "may"):
        if re.search(rf"\b{word}\b", sentence.replace("*", "")):
            return word
    return "is"


def statistical_rule(sentence: str, section: str, operands: str, lead: str | None) -> dict:
    """One sentence of a statistical function: raw, where it stands, how binding, and its parsed form."""
    text = " ".join(plain(sentence).replace("*", "").split())
    rule = {"sentence": " ".join(sentence.split()), "section": section, "operands": operands,
            "modality": modality(sentence)}
    if lead:
        rule["lead_modality"] = lead
    for pattern, make in _STATISTICAL:
        m = re.fullmatch(pattern, text)
        if m:
            return rule | {"parsed": make(m)}
    why = next((why for pattern, why in _UNPARSED_STATISTICAL if re.fullmatch(pattern, text)), "not understood")
    return rule | {"parsed": None, "unparsed": why}


def _blocks(text: str):
    """(kind, text) of each bullet, paragraph and ``.. note::`` body of a docstring region."""
    kind, lines = None, []
    for line in text.splitlines() + [""]:
        stripped = line.strip()
        starts = re.match(r"-\s+\S", stripped) or stripped.startswith(".. ") or (not lines and stripped)
        if (not stripped or starts) and lines:
            yield kind, " ".join(lines)
            kind, lines = None, []
        if not stripped:
            continue
        if stripped.startswith(".. "):
            kind = "note" if stripped.startswith(".. note::") else "directive"
            continue
        if not lines and kind is None:
            kind = "bullet" if re.match(r"-\s+\S", stripped) else "paragraph"
        lines.append(stripped.lstrip("-").strip() if not lines else stripped)


def statistical_rules(doc: str) -> list[dict]:
    """The sentences of one statistical function that define special results: its Special Cases (bullets,
    paragraphs, notes), its Notes, and its correction / include_initial parameters."""
    out = []
    for name in ("x", "correction", "include_initial"):
        m = re.search(rf"^{name}: .*\n((?:\s+.*\n)+?)(?=\S|\n\S)", doc + "\n", re.M)
        if m:
            out.append(statistical_rule(" ".join(m[1].split()), f"parameter {name}", "any", None))
    notes = doc.split("Notes\n-----", 1)[1] if "Notes\n-----" in doc else ""
    notes, _, special = notes.partition("**Special Cases**")
    for kind, text in _blocks(notes):
        if kind in ("bullet", "paragraph", "note"):
            out.append(statistical_rule(text, "notes", "any", None))
    operands, lead = "any", None
    for kind, text in _blocks(special):
        if kind == "directive":
            continue
        if kind == "paragraph" and (text.startswith("Let ") or text.endswith((",", " and"))):
            lead_in = re.sub(r"^Let .+? to compute the [\w ]+?\. ", "", text)
            if lead_in.startswith("Let "):
                continue
            operands = "complex" if "complex" in lead_in else "real" if "real-valued" in lead_in else "floating"
            lead = modality(lead_in) if "should" in lead_in or "must" in lead_in else None
            if lead:  # the lead-in is a rule itself ("should independently apply"); its bullets are examples
                out.append(statistical_rule(text, "special cases", operands, None))
            continue
        section_operands = "floating" if kind == "paragraph" else operands
        out.append(statistical_rule(text, "special cases", section_operands, lead if kind == "bullet" else None))
    return out


def derive_statistical(source: str) -> dict:
    """{function: [rule, ...]} of statistical_functions.py, functions in name order."""
    out = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef):
            out[node.name] = statistical_rules(ast.get_docstring(node) or "")
    return dict(sorted(out.items()))


def derive(mirror: str) -> dict:
    commit = git_commit(mirror)
    versions = {v: derive_version(git_show(mirror, STUB.format(d))) for v, d in VERSIONS.items()}
    statistical = {v: derive_statistical(git_show(mirror, STATISTICAL.format(d))) for v, d in VERSIONS.items()}
    return {"source": f"data-apis/array-api@{commit} {STUB.format('_YYYY_MM')}", "versions": shared(versions),
            "statistical": {"source": f"data-apis/array-api@{commit} {STATISTICAL.format('_YYYY_MM')}",
                            "versions": statistical}}


def shared(versions: dict) -> dict:
    """A function whose rules equal the newest version's names that version instead of repeating them."""
    newest = max(versions)
    out = {newest: versions[newest]}
    for v, data in versions.items():
        if v != newest:
            same = versions[newest]["functions"]
            out[v] = {"functions": {f: newest if same.get(f) == r else r for f, r in data["functions"].items()},
                      "symmetries": data["symmetries"], "definitions": data["definitions"]}
    return out


def main(argv=None) -> int:
    args = arguments(__doc__.splitlines()[0], argv)
    return write_or_check(OUT, dumps(derive(args.mirror)), args.check, "tools/derive_special_cases.py")


if __name__ == "__main__":
    sys.exit(main())
