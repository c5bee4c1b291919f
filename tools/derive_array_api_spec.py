"""Derive the Array API standard's names and signatures from its published stubs and text.

usage: python tools/derive_array_api_spec.py STUBS_DIR VERSION > parity/data/array_api_VERSION.json
       python tools/derive_array_api_spec.py [--mirror GIT_DIR] [--check]

STUBS_DIR is ``src/array_api_stubs/_YYYY_MM`` of a checkout of data-apis/array-api. The stubs are
read with ``ast`` (never imported or copied); what is kept is data: each function's name, its
category (the stub module), and its parameters with kind and default.

The second form reads both versions (``VERSIONS``) from a bare git mirror of data-apis/array-api
with ``git show`` (no work tree needed) and writes ``parity/data/array_api_<version>.json``; with
``--check`` it derives them in memory and exits 1 if a shipped file differs. Besides
``functions`` (what the first form writes; ``parity/coverage.py`` reads it) it derives:

- ``dtypes``: the data types the standard names (``data_types.rst``'s table) and its categories;
- ``array``: the array object's ``attributes`` (properties, with their return annotation and
  summary), ``methods`` (parameters without ``self``), ``operators`` (from ``array_object.rst``:
  each operator's syntax, method, group and kind: unary, binary, in-place, reflected) and
  ``conversions``: the rules of ``__bool__``, ``__int__``, ``__float__``, ``__complex__`` and
  ``__index__``, one per sentence, each with its raw ``sentence``, the ``section`` it comes from,
  the ``dtypes`` it is about and a ``parsed`` form (or ``parsed: null`` and ``unparsed``: why);
- ``constants``: each constant's name, the stub's value, the docstring and the value the text
  states (``value``), and the rule every constant shares (``rule``);
- ``info``: the inspection object's methods with parameters, return annotation, and the keys
  (``keys``, with the text's value type) their returned dictionaries must have.

A conversion rule's parsed form is one of::

    {"when": [value, ...], "result": result}     # value: "True", "False", "NaN", "+infinity",
                                                 # "-infinity", "+0", "-0", "finite"
    {"when": "any", "result": {"raises": "TypeError"}}    # for every value of the rule's dtypes
    {"should_have": [category, ...]}             # other dtypes: behaviour unspecified
    {"ndim": 0}                                  # the operand is zero-dimensional (others: unspecified)
    {"returns": "bool", "represents": "element"} # a Python bool equal to the element
    {"as_if": "bool(real(self)) or bool(imag(self))"}
    {"lazy_may_raise": "ValueError"}
    {"unspecified": "what"}

result: {"value": "1"} (text as written: "True", "1+0j", "NaN + NaN j", "self + 0j"),
{"integer_part": "self"}, {"raises": "OverflowError"}.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import subprocess
import sys
from pathlib import Path

SKIP = {"_types", "array_object", "constants", "data_types", "__init__"}
MIRROR = "/work/.mirror/data-apis+array-api/repo"
VERSIONS = {"2024.12": "_2024_12", "2025.12": "_2025_12"}
STUBS = "src/array_api_stubs/{}"
SPEC = "spec/{}/API_specification"
DATA = Path(__file__).resolve().parent.parent / "parity" / "data"
CONVERSIONS = ("__bool__", "__complex__", "__float__", "__index__", "__int__")


def parameters(fn: ast.FunctionDef) -> list[dict]:
    a = fn.args
    out = []
    positional = a.posonlyargs + a.args
    defaults = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)
    for i, arg in enumerate(positional):
        kind = "positional-only" if i < len(a.posonlyargs) else "positional-or-keyword"
        out.append({"name": arg.arg, "kind": kind, "default": ast.unparse(defaults[i]) if defaults[i] else None})
    if a.vararg:
        out.append({"name": a.vararg.arg, "kind": "var-positional", "default": None})
    for arg, default in zip(a.kwonlyargs, a.kw_defaults):
        out.append({"name": arg.arg, "kind": "keyword-only", "default": ast.unparse(default) if default else None})
    if a.kwarg:
        out.append({"name": a.kwarg.arg, "kind": "var-keyword", "default": None})
    return out


def exported(tree: ast.Module) -> list[str] | None:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets):
            return list(ast.literal_eval(node.value))
    return None


def functions_of(sources: dict[str, str]) -> list[dict]:
    """The namespace's functions: ``sources`` maps a stub module's stem to its text."""
    functions = []
    for stem in sorted(sources):
        if stem in SKIP:
            continue
        tree = ast.parse(sources[stem])
        names = exported(tree)
        prefix = f"{stem}." if stem in ("linalg", "fft") else ""
        category = {"linalg": "linalg", "fft": "fft"}.get(stem, stem.removesuffix("_functions"))
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef) or (names is not None and node.name not in names):
                continue
            if stem == "info" and node.name != "__array_namespace_info__":
                continue  # the rest of info.py are methods of the info object, not namespace functions
            functions.append({"name": prefix + node.name, "category": category, "params": parameters(node)})
    return sorted(functions, key=lambda f: f["name"])


def derive(stubs: Path, version: str) -> dict:
    sources = {p.stem: p.read_text() for p in sorted(stubs.glob("*.py"))}
    return {"version": version, "source": f"data-apis/array-api src/array_api_stubs/{stubs.name}",
            "functions": functions_of(sources)}


# ------------------------------------------------------------------------------------ docstrings


def _text(s: str) -> str:
    return " ".join(s.split())


def sections(doc: str) -> dict[str, str]:
    """A numpydoc docstring's sections (``summary``, ``Parameters``, ``Returns``, ``Notes``, ...);
    a repeated heading appends to the section."""
    out: dict[str, list[str]] = {"summary": []}
    current = "summary"
    lines = doc.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if line.strip() and re.fullmatch(r"\s*-{3,}\s*", nxt) and len(nxt.strip()) == len(line.strip()):
            current = line.strip()
            out.setdefault(current, [])
            i += 2
            continue
        out[current].append(line)
        i += 1
    return {k: "\n".join(v) for k, v in out.items()}


def paragraphs(text: str) -> list[str]:
    """Paragraphs and bullets (``- ...``), each joined onto one line, directives dropped."""
    out, cur = [], []
    for line in text.splitlines() + [""]:
        s = line.strip()
        if not s or s.startswith("-") and cur or s.startswith(".."):
            if cur:
                out.append(" ".join(cur))
                cur = []
            if s.startswith(".."):
                continue
        if s:
            cur.append(s)
    return [p for p in out if not p.startswith(("..", "::"))]


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=\.)\s+(?=[A-Z])", text) if s.strip()]


def _summary(doc: str) -> str:
    return _text(paragraphs(sections(doc)["summary"])[0]) if doc.strip() else ""


def _returns(doc: str) -> str:
    """The Returns section's description (without the ``out: type`` line)."""
    body = sections(doc).get("Returns", "")
    lines = [ln for ln in body.splitlines() if ln.strip() and not re.match(r"\s*out\s*:", ln)]
    return _text(" ".join(lines))


# ------------------------------------------------------------------------------------ dtypes


def dtypes(rst: str) -> dict:
    names = re.findall(r"^\|\s*([a-z]+\d*)\s*\|", rst, flags=re.M)
    names = [n for n in names if n not in ("dtype",)]
    categories = {}
    for label, body in re.findall(r"^\|\s*([A-Z][A-Za-z -]+?)\s*\|\s*(``.*?)\s*\|\s*$", rst, flags=re.M):
        categories[label.lower()] = re.findall(r"``(\w+)``", body)
    return {"names": names, "categories": categories}


# ------------------------------------------------------------------------------------ the array object


def array_object(source: str, rst: str, categories: dict) -> dict:
    cls = next(n for n in ast.parse(source).body if isinstance(n, ast.ClassDef))
    attributes, methods, conversions = [], [], {}
    for node in cls.body:
        if not isinstance(node, ast.FunctionDef) or node.name == "__init__":
            continue
        doc = ast.get_docstring(node) or ""
        if any(getattr(d, "id", None) == "property" for d in node.decorator_list):
            attributes.append({"name": node.name, "returns": ast.unparse(node.returns), "summary": _summary(doc),
                               "sentences": [s for p in paragraphs(sections(doc)["summary"])[1:]
                                             for s in _sentences(_text(p))],
                               "returned": _returns(doc)})
            continue
        params = parameters(node)[1:]  # without self
        methods.append({"name": node.name, "params": params, "returns": ast.unparse(node.returns),
                        "summary": _summary(doc)})
        if node.name in CONVERSIONS:
            conversions[node.name] = conversion(node.name, doc, ast.unparse(node.returns), categories)
    return {"attributes": attributes, "methods": sorted(methods, key=lambda m: m["name"]),
            "operators": operators(rst), "conversions": conversions}


_GROUPS = {"Arithmetic Operators": "arithmetic", "Array Operators": "array", "Bitwise Operators": "bitwise",
           "Comparison Operators": "comparison"}


def operators(rst: str) -> list[dict]:
    """Every operator of ``array_object.rst``: its syntax, method, group and kind."""
    out = []
    part = "plain"
    group = None
    for line in rst.splitlines():
        s = line.strip()
        if s == "In-place Operators":
            part = "in-place"
        elif s == "Reflected Operators":
            part = "reflected"
        elif s.startswith("Attributes"):
            break
        elif s in _GROUPS:
            group = _GROUPS[s]
        m = re.match(r"^-\s+`+([^`]+)`+: :meth:`\.array\.(__\w+__)`", s)
        if m and part == "plain":
            kind = "unary" if m[1].count("x") == 1 else "binary"
            out.append({"syntax": m[1], "method": m[2], "group": group, "kind": kind, "required": True})
        m = re.match(r"^-\s+``([^`]+)``\. May be implemented via ``(__\w+__)``", s)
        if m and part == "in-place":
            out.append({"syntax": f"x1 {m[1]} x2", "method": m[2], "group": group, "kind": "in-place",
                        "required": False, "sentence": s.removeprefix("-").strip()})
        m = re.fullmatch(r"-\s+``(__r\w+__)``", s)
        if m and part == "reflected":
            out.append({"syntax": None, "method": m[1], "group": group, "kind": "reflected", "required": True})
    return out


# ------------------------------------------------------------------------------------ conversions

_VALUE = r"``([^`]+)``"
_LEADS = {"boolean": "boolean", "real-valued floating-point": "real-valued floating-point",
          "floating-point": "floating-point", "complex floating-point": "complex floating-point",
          "integer": "integer"}


def _kind_dtypes(phrase: str, categories: dict) -> list[str]:
    """"real-valued or boolean" -> the dtypes of those categories (the table's names, lower case)."""
    out = []
    for word in re.split(r",? or |, ", phrase):
        word = word.strip().removeprefix("a ").removeprefix("an ").strip()
        key = {"real-valued": "real-valued", "boolean": "boolean", "integer": "integer",
               "floating-point": "floating-point", "complex floating-point": "complex floating-point",
               "real-valued floating-point": "real-valued floating-point"}.get(word)
        if key is None or key not in categories:
            raise ValueError(f"unknown data type category {word!r}")
        out += categories[key]
    return out


def _when(text: str) -> list[str] | None:
    text = text.strip()
    if text == "a finite number":
        return ["finite"]
    m = re.fullmatch(rf"either {_VALUE} or {_VALUE}", text)
    if m:
        return [m[1], m[2]]
    m = re.fullmatch(_VALUE, text)
    return [m[1]] if m else None


def _bullet(sentence: str) -> dict:
    m = re.fullmatch(r"If ``self`` is (.+?), (?:the result is (.+)|raise ``(\w+)``)\.", sentence)
    if not m:
        raise ValueError("not an 'If ``self`` is ..., the result is ...' sentence")
    when = _when(m[1])
    if when is None:
        raise ValueError(f"condition not understood: {m[1]!r}")
    if m[3]:
        return {"when": when, "result": {"raises": m[3]}}
    result = m[2]
    if result == "the integer part of ``self``":
        return {"when": when, "result": {"integer_part": "self"}}
    v = re.fullmatch(_VALUE, result)
    if not v:
        raise ValueError(f"result not understood: {result!r}")
    return {"when": when, "result": {"value": v[1]}}


def conversion(name: str, doc: str, returns: str, categories: dict) -> dict:
    """The rules of one conversion method, sentence by sentence."""
    parts = sections(doc)
    rules = []

    def add(sentence, section, dtypes, parse):
        rule = {"sentence": sentence, "section": section, "dtypes": dtypes}
        try:
            rule["parsed"] = parse(sentence)
        except ValueError as exc:
            rule |= {"parsed": None, "unparsed": str(exc)}
        rules.append(rule)

    every = categories["boolean"] + categories["numeric"]
    for para in paragraphs(parts["summary"]):
        para = _text(para)
        m = re.fullmatch(r"\.\. note:: (.*)", para) or re.fullmatch(r"(Casting .*)", para)
        if m:
            add(m[1], "note", every, lambda s: {"unspecified": "integer values outside the representable bounds "
                                                "of Python's float"} if "not specified" in s else _fail(s))
    param = _text(" ".join(ln for ln in parts.get("Parameters", "").splitlines()[1:]))
    for s in _sentences(param):
        if s.startswith("zero-dimensional"):
            add(s, "parameters", every, lambda s: {"ndim": 0})
        elif s.startswith("Should have"):
            m = re.fullmatch(r"Should have an? (.+?) data type\.", s)
            add(s, "parameters", every, lambda s, m=m: {"should_have": _kind_dtypes(m[1], categories)} if m
                else _fail(s))
        else:
            m = re.fullmatch(r"If ``self`` has an? (.+?) data type, the function must raise an? ``(\w+)``\.", s)
            dts = _kind_dtypes(m[1], categories) if m else every
            add(s, "parameters", dts, lambda s, m=m: {"when": "any", "result": {"raises": m[2]}} if m else _fail(s))
    ret = _returns(doc)
    m = re.fullmatch(r"a Python ``(\w+)`` object representing the single element of the array(?: instance)?\.", ret)
    add(ret, "returns", every, lambda s: {"returns": m[1], "represents": "element"} if m else _fail(s))
    raising = {d for r in rules if r.get("parsed") and r["parsed"].get("when") == "any" for d in r["dtypes"]}
    notes = parts.get("Notes", "")
    section = None
    lead = every
    for para in paragraphs(notes):
        para = _text(para)
        m = re.fullmatch(r"\*\*(.+)\*\*", para)
        if m:
            section = m[1].lower()
            continue
        m = re.fullmatch(r"For (.+?) operands,(.*)", para)
        if m:
            lead = [d for d in _kind_dtypes(m[1], categories) if d not in raising]
            if m[2].strip():  # a lead-in that is itself the rule
                add(para, section, lead, lambda s: {"as_if": _as_if(s)})
            continue
        if para.startswith("- "):
            add(para[2:], section, lead, _bullet)
        elif section == "lazy implementations":
            for s in _sentences(para):
                m = re.search(r"should raise an? ``(\w+)`` instead", s)
                if m:
                    add(s, section, every, lambda s, m=m: {"lazy_may_raise": m[1]})
    return {"returns": returns, "summary": _summary(doc), "rules": rules}


def _as_if(sentence: str) -> str:
    m = re.search(r"as if the operation is implemented as the logical OR of ``(.+?)`` and ``(.+?)``", sentence)
    if not m:
        raise ValueError("not an 'as if ... logical OR of ...' sentence")
    return f"{m[1]} or {m[2]}"


def _fail(sentence: str):
    raise ValueError("sentence not understood")


# ------------------------------------------------------------------------------------ constants, info


def constants(source: str, rst: str) -> dict:
    tree = ast.parse(source)
    out = []
    for node, doc in zip(tree.body, tree.body[1:]):
        if not (isinstance(node, ast.Assign) and isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant)):
            continue
        name = node.targets[0].id
        text = _text(doc.value.value)
        out.append({"name": name, "stub_value": ast.unparse(node.value), "docstring": text,
                    "value": constant_value(name, text)})
    rule = next(_text(p[1:]) for p in paragraphs(rst) if p.startswith("-") and "Each constant" in p)
    return {"rule": rule, "names": out}


def constant_value(name: str, text: str) -> dict:
    m = re.search(rf"``{name} = ([0-9.]+)\.\.\.``", text)
    if m:
        return {"decimal": m[1]}
    if "(positive) infinity" in text:
        return {"special": "+infinity"}
    if "Not a Number" in text:
        return {"special": "NaN"}
    m = re.search(r"An alias for ``(\w+)``", text)
    if m:
        return {"alias": m[1]}
    return {"unparsed": "no value stated"}


def info(source: str) -> dict:
    methods = []
    for node in ast.parse(source).body:
        if not isinstance(node, ast.FunctionDef) or node.name == "__array_namespace_info__":
            continue
        doc = ast.get_docstring(node) or ""
        keys = []
        for para in paragraphs(doc):
            para = _text(para)
            m = re.fullmatch(r'-\s*`"([^"]+)"`: (.*)', para)
            if m:
                keys.append({"key": m[1], "sentence": m[2], "value": _key_value(m[2])})
        kinds = [_kind(m[1], m[2]) for m in (re.fullmatch(r"-\s*``'([^']+)'``: (.*)", _text(p))
                                              for p in paragraphs(doc)) if m]
        entry = {"name": node.name, "params": parameters(node), "returns": ast.unparse(node.returns),
                 "summary": _summary(doc), "keys": keys}
        if kinds:
            entry["kinds"] = kinds
        plain = _text(doc).replace("**", "")
        canonical = re.search(r"[^.:]*must only (?:contain keys corresponding to|consist of) (?:the )?canonical names"
                              r"[^.]*\.", plain)
        if canonical:
            entry["keys_rule"] = canonical[0].strip()
        values = re.search(r"Dictionary values must be the corresponding data type object\.", plain)
        if values:
            entry["values_rule"] = values[0]
        methods.append(entry)
    return {"methods": methods}


def _kind(kind: str, sentence: str) -> dict:
    """A data type kind of ``dtypes(kind=...)``: the dtypes its sentence names, or the kinds it is shorthand for."""
    out = {"kind": kind, "sentence": sentence}
    m = re.search(r"Shorthand for ``\((.+?)\)``", sentence)
    if m:
        return out | {"union": re.findall(r"'([^']+)'", m[1])}
    m = re.search(r"\(e\.g\., (.+?)\)", sentence)
    return out | {"dtypes": re.findall(r"``(\w+)``", m[1])} if m else out | {"unparsed": "no data types named"}


def _key_value(sentence: str) -> str | None:
    sentence = sentence.replace("**", "")
    if "boolean indicating" in sentence:
        return "bool"
    if "must be ``None``" in sentence and "finite integer" in sentence:
        return "int or None"
    if "data type" in sentence:
        return "dtype"
    return None


# ------------------------------------------------------------------------------------ the mirror


def git_show(mirror: str, path: str) -> str:
    return subprocess.run(["git", "-C", mirror, "show", f"HEAD:{path}"], check=True, capture_output=True,
                          text=True).stdout


def derive_mirror(mirror: str, version: str) -> dict:
    folder = STUBS.format(VERSIONS[version])
    listing = subprocess.run(["git", "-C", mirror, "ls-tree", "--name-only", "HEAD", folder + "/"], check=True,
                             capture_output=True, text=True).stdout.split()
    sources = {Path(p).stem: git_show(mirror, p) for p in listing if p.endswith(".py")}
    spec = SPEC.format(version)
    types = dtypes(git_show(mirror, f"{spec}/data_types.rst"))
    commit = subprocess.run(["git", "-C", mirror, "rev-parse", "HEAD"], check=True, capture_output=True,
                            text=True).stdout.strip()
    return {"version": version, "source": f"data-apis/array-api src/array_api_stubs/{VERSIONS[version]}",
            "functions": functions_of(sources),
            "commit": commit,
            "dtypes": types,
            "array": array_object(sources["array_object"], git_show(mirror, f"{spec}/array_object.rst"),
                                  types["categories"]),
            "constants": constants(sources["constants"], git_show(mirror, f"{spec}/constants.rst")),
            "info": info(sources["info"])}


def dumps(data: dict) -> str:
    return json.dumps(data, indent=1) + "\n"


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) == 2 and not argv[0].startswith("-"):  # STUBS_DIR VERSION: the functions only, to stdout
        sys.stdout.write(dumps(derive(Path(argv[0]), argv[1])))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", default=MIRROR, help="git directory of a data-apis/array-api mirror")
    parser.add_argument("--check", action="store_true", help="compare with the shipped files instead of writing")
    args = parser.parse_args(argv)
    status = 0
    for version in VERSIONS:
        out = DATA / f"array_api_{version}.json"
        text = dumps(derive_mirror(args.mirror, version))
        if args.check:
            if not out.exists() or out.read_text(encoding="utf-8") != text:
                print(f"{out} differs from a fresh derivation; rerun tools/derive_array_api_spec.py", file=sys.stderr)
                status = 1
            continue
        out.write_text(text, encoding="utf-8")
        print(f"wrote {out}", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
