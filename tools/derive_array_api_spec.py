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
  (``keys``, with the text's value type) their returned dictionaries must have;
- ``indexing``: ``indexing.rst`` sentence by sentence (``rules``: each with its ``section``, whether a
  ``note`` holds it and its ``modal``: must, should, may or unspecified) and, under ``methods``,
  ``__getitem__``'s and ``__setitem__``'s annotations, parameter and Returns sentences and Notes;
- ``interchange``: for every function and array method with a ``copy`` keyword, the must/should/may
  sentences of its ``copy``, ``device``, ``dl_device`` and ``max_version`` parameters and its Raises
  sentences; and the DLPack device types of ``__dlpack_device__``;
- ``data_type_functions``: finfo, iinfo, isdtype, can_cast and result_type: parameters with their
  annotations and sentences, the Returns annotation and sentence, the ``fields`` finfo/iinfo objects have
  with their stated types, the Notes as sentences with their modal verb, and isdtype's ``kinds`` (the
  dtypes each names, or the kinds it is shorthand for) with its ``kind_rules``.

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

import ast
import re
import subprocess
import sys
from pathlib import Path

from standard_mirror import arguments, dumps, git_commit, git_show, write_or_check

SKIP = {"_types", "array_object", "constants", "data_types", "__init__"}
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


# ------------------------------------------------------------------------------------ indexing

_UNDERLINE = re.compile(r"\s*([=~^-])\1{2,}\s*")
#: Directives whose content is a rule of the text (kept, marked ``note``); others' content is dropped.
_KEPT = ("note", "admonition")


def _modal(sentence: str) -> str | None:
    """How strongly a sentence binds: "unspecified" (it leaves something open), "must", "should", "may"."""
    if re.search(r"\bunspecified\b|implementation[- ]defined|does not require", sentence):
        return "unspecified"
    return next((m for m in ("must", "should", "may") if re.search(rf"\b{m}\b", sentence, flags=re.I)), None)


def rst_sentences(text: str) -> list[dict]:
    """Each sentence of reStructuredText prose with its section heading, whether a note (or admonition)
    holds it, and its modal verb; literal blocks, comments, labels and other directives are dropped."""
    lines = text.splitlines() + [""]
    out, para = [], []
    section, block = None, None  # block: (kind, indent) of the directive or literal block being read

    def flush():
        if para:
            for s in _sentences(_text(" ".join(para))):
                out.append({"section": section, "sentence": s, "note": bool(block and block[0] in _KEPT),
                            "modal": _modal(s)})
            para.clear()

    for i, line in enumerate(lines[:-1]):
        s, indent = line.strip(), len(line) - len(line.lstrip())
        if _UNDERLINE.fullmatch(line) and len(line.strip()) >= len(lines[i - 1].strip()) > 0:
            continue
        if s and _UNDERLINE.fullmatch(lines[i + 1]) and len(lines[i + 1].strip()) >= len(s):
            flush()
            section, block = s, None
            continue
        if s and block and indent <= block[1]:
            flush()
            block = None
        if s.startswith(".."):
            flush()
            m = re.match(r"\.\.\s+([\w-]+)::", s)
            block = (m[1] if m else "comment", indent)
            if m and m[1] in _KEPT and s[m.end():].strip() and m[1] != "admonition":
                para.append(s[m.end():].strip())
            continue
        if s == "::" or s.endswith(" ::"):
            flush()
            block = ("literal", indent)
            continue
        if block and block[0] not in _KEPT or re.match(r":\w+:", s):
            continue
        if not s:
            flush()
        elif s.startswith("- "):
            flush()
            para.append(s[2:])
        else:
            para.append(s)
    flush()
    return out


def _described(section: str) -> list[tuple[str, str]]:
    """A numpydoc Parameters section as (name, description) pairs (``self`` left out)."""
    out: list[tuple[str, list[str]]] = []
    for line in section.splitlines():
        m = re.match(r"(\w+)\s*:", line.strip())
        if m and line.strip() and len(line) - len(line.lstrip()) == min(
                len(ln) - len(ln.lstrip()) for ln in section.splitlines() if ln.strip()):
            out.append((m[1], []))
        elif out and line.strip():
            out[-1][1].append(line.strip())
    return [(name, " ".join(text)) for name, text in out if name != "self"]


def indexing(rst: str, array_source: str) -> dict:
    """``indexing.rst`` as sentences (``rules``), and what ``__getitem__``/``__setitem__``'s docstrings
    add: the key's (and value's) annotation, the parameters' and Returns sentences, and the Notes."""
    cls = next(n for n in ast.parse(array_source).body if isinstance(n, ast.ClassDef))
    methods = {}
    for node in cls.body:
        if not isinstance(node, ast.FunctionDef) or node.name not in ("__getitem__", "__setitem__"):
            continue
        doc = ast.get_docstring(node) or ""
        parts = sections(doc)
        params = {a.arg: ast.unparse(a.annotation) for a in node.args.args[1:] + node.args.posonlyargs[1:]}
        methods[node.name] = {
            "summary": _summary(doc),
            "params": params,
            "parameters": [{"param": name, "sentence": s, "modal": _modal(s)}
                           for name, text in _described(parts.get("Parameters", "")) for s in _sentences(text)],
            "returns": _returns(doc),
            "notes": rst_sentences(parts.get("Notes", ""))}
    return {"rules": rst_sentences(rst), "methods": methods}


# ------------------------------------------------------------------------------------ copy and DLPack


#: The keywords whose sentences ``interchange`` keeps, besides ``copy`` itself.
INTERCHANGE_PARAMS = ("device", "dl_device", "max_version")


def _entries(section: str) -> dict[str, str]:
    """A Parameters or Raises section as {name: its description on one line} (``**`` emphasis dropped)."""
    out: dict[str, list[str]] = {}
    name = None
    for line in section.splitlines():
        m = re.match(r"(\w+)\s*(?::|$)", line)
        if m:
            name = m[1]
            out[name] = []
        elif name and line.strip():
            out[name].append(line)
    return {k: _text(" ".join(p for p in paragraphs("\n".join(v)))).replace("**", "") for k, v in out.items()}


def _normative(text: str) -> list[str]:
    return [s for s in _sentences(text) if re.search(r"\b(must|should|may)\b", s)]


def interchange(sources: dict[str, str]) -> dict:
    """Every function and array method with a ``copy`` keyword (plus ``__dlpack_device__``): the
    sentences that say must/should/may of its ``copy``, ``device``, ``dl_device`` and ``max_version``
    parameters, every sentence of its Raises section (exception -> sentences), and the DLPack device
    types ``__dlpack_device__`` lists (``CPU = 1``)."""
    nodes = {}
    for stem, source in sources.items():
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ClassDef):
                nodes |= {f"array.{n.name}": n for n in node.body if isinstance(n, ast.FunctionDef)}
            elif isinstance(node, ast.FunctionDef) and stem not in SKIP and node.name not in nodes:
                nodes[node.name] = node
    out, devices = {}, {}
    for name, node in sorted(nodes.items()):
        doc = ast.get_docstring(node) or ""
        names = [p["name"] for p in parameters(node)]
        if name == "array.__dlpack_device__":
            devices = {m[1]: int(m[2]) for m in re.finditer(r"^\s*([A-Z_]+) = (\d+)\s*$", doc, flags=re.M)}
        if "copy" not in names and name != "array.__dlpack_device__":
            continue
        parts = sections(doc)
        params = _entries(parts.get("Parameters", ""))
        entry = {p: _normative(params[p]) for p in ("copy", *INTERCHANGE_PARAMS) if p in names and p in params}
        raises = {e: _sentences(t) for e, t in _entries(parts.get("Raises", "")).items()}
        out[name] = entry | ({"raises": raises} if raises else {})
    return {"functions": out, "device_types": devices}


# ------------------------------------------------------------------------------------ data type functions

DATA_TYPE_FUNCTIONS = ("can_cast", "finfo", "iinfo", "isdtype", "result_type")


def _fields(returns: str) -> list[dict]:
    """The attributes a Returns section lists (``- **eps**: *float*`` and its description) with their stated type."""
    out = []
    for para in paragraphs(returns):
        m = re.fullmatch(r"-\s*\*\*(\w+)\*\*:\s*\*?(\w+)\*?", _text(para))
        if m:
            out.append({"name": m[1], "type": m[2], "sentence": None})
        elif out and out[-1]["sentence"] is None:
            out[-1]["sentence"] = _text(para)
    return out


def _parameter_sentences(section: str) -> dict[str, list[str]]:
    """A Parameters section as {name: its sentences}, bullets and notes each their own paragraph."""
    lines = section.splitlines()
    indent = min((len(ln) - len(ln.lstrip()) for ln in lines if ln.strip()), default=0)
    blocks: dict[str, list[str]] = {}
    for line in lines:
        m = re.match(r"(\w+)\s*:", line.strip())
        if m and len(line) - len(line.lstrip()) == indent:
            blocks[m[1]] = []
        elif blocks and line.strip():
            blocks[list(blocks)[-1]].append(line)
    return {name: [s for p in paragraphs("\n".join(body)) for s in _sentences(_text(p).removeprefix("- "))]
            for name, body in blocks.items()}


def data_type_functions(source: str) -> dict:
    """The data type functions (``astype`` is the copy area's): each one's parameters with their annotations
    and sentences, its Returns annotation and sentence, the fields finfo/iinfo objects have with their stated
    types, the Notes sentence by sentence (with their modal verb) and isdtype's kinds with the ``kind`` rules."""
    out = {}
    for node in ast.parse(source).body:
        if not isinstance(node, ast.FunctionDef) or node.name not in DATA_TYPE_FUNCTIONS:
            continue
        doc = ast.get_docstring(node) or ""
        parts = sections(doc)
        args = node.args.posonlyargs + node.args.args + ([node.args.vararg] if node.args.vararg else [])
        annotations = {a.arg: ast.unparse(a.annotation) for a in args}
        entry = {"params": [p | {"annotation": annotations.get(p["name"])} for p in parameters(node)],
                 "parameters": _parameter_sentences(parts.get("Parameters", "")),
                 "returns": ast.unparse(node.returns), "returns_sentence": _returns(doc).split(" - ")[0],
                 "notes": rst_sentences(parts.get("Notes", ""))}
        fields = _fields(parts.get("Returns", ""))
        if fields:
            entry["fields"] = fields
        paras = [_text(p) for p in paragraphs(parts.get("Parameters", ""))]
        kinds = [_kind(m[1], m[2]) for m in (re.fullmatch(r"-\s*``'([^']+)'``: (.*)", p) for p in paras) if m]
        if kinds:
            entry["kinds"] = kinds
            entry["kind_rules"] = [p.removeprefix("- ") for p in paras if p.startswith("- If ``kind`` is")]
        out[node.name] = entry
    return out


# ------------------------------------------------------------------------------------ results


#: What a Returns sentence (or a ``dtype`` parameter's) requires of the result's dtype, first match wins:
#: (pattern, parsed form). ``{of}`` forms name the parameter (or field) whose dtype the result keeps.
RESULT_FORMS = (
    (r"as described by the ``dtype`` parameter", {"form": "dtype-parameter"}),
    (r"same data type as ``x``, unless ``x`` has an integer data type supporting a smaller range",
     {"form": "accumulated"}),
    (r"same (?:shape and )?(?:data type|dtype)(?: and [\w ]+?)? as ``(\w+)``", {"form": "same-as"}),
    (r"same (?:data type|dtype) as (its corresponding input array)", {"form": "same-as", "of": "each"}),
    (r"same (?:numeric )?(?:data type|dtype) as (the input arrays)", {"form": "same-as", "of": "inputs"}),
    (r"inferred from ``(\w+)``", {"form": "same-as"}),
    (r"default array index data type", {"form": "default-index"}),
    (r"default integer (?:data type|dtype)", {"form": "default-integer"}),
    (r"default real-valued floating-point data type", {"form": "default-real"}),
    (r"default complex floating-point data type", {"form": "default-complex"}),
    (r"complex floating-point (?:array )?data type (?:whose precision matches|having the same precision)",
     {"form": "complex-matching"}),
    (r"floating-point data type (?:whose precision matches|having the same precision|with the same floating-point "
     r"precision)", {"form": "real-matching"}),
    (r"type-promotion", {"form": "promoted"}),
    (r"having the specified data type", {"form": "given"}),
    (r"`{1,2}bool`{1,2}|boolean data type", {"form": "bool"}),
)
#: A Python scalar kind a ``dtype=None`` condition names, in precedence order ("a mixture of bool and int": int).
SCALAR_WORDS = (("complex", r"``complex``"), ("float", r"``float``|real-valued"), ("int", r"``int``|integers"),
                ("bool", r"``bool``"))


def _category(phrase: str, categories: dict) -> list[str]:
    """"integer or boolean", "numeric" -> the dtypes of those categories."""
    out = []
    for word in re.split(r",? or |, ", phrase.strip()):
        if word not in categories:
            raise ValueError(f"unknown data type category {word!r}")
        out += categories[word]
    return out


def _plain(sentence: str) -> str:
    """A sentence without emphasis or its examples ("(e.g., if ``x`` is ``float32`` ...)")."""
    return re.sub(r"\s*\((?:e\.g\.|i\.e\.),[^()]*\)", "", sentence.replace("**", "")).strip()


def result_form(sentence: str, categories: dict) -> dict | None:
    """The parsed form of a sentence about a result's dtype, with its condition (``when``: the dtypes of
    ``x`` it is about; ``"mixed"``/``"same"``: the inputs' dtypes differ / agree), or None."""
    text = _plain(sentence)
    out: dict = {}
    m = re.match(r"(?:While [^,]+, )?[Ii]f (?:the input array )?``(\w+)`` (?:has an? ([\w -]+?) data type|is "
                 r"(real-valued|complex)), ", text)
    if m:
        kind = {"complex": "complex floating-point", "complex-valued": "complex floating-point"}.get(
            m[2] or m[3], m[2] or m[3])
        out["when"] = {"param": m[1], "dtypes": _category(kind, categories)}
        text = text[m.end():]
    elif text.startswith("If the input arrays have different data types"):
        out["when"] = "mixed"
    elif text.startswith("If the input arrays have the same data type"):
        out["when"] = "same"
    for pattern, form in RESULT_FORMS:
        found = re.search(pattern, text)
        if found:
            of = found.groups()[0] if found.groups() else None
            of = {"its corresponding input array": "each", "the input arrays": "inputs"}.get(of, of)
            return out | form | ({"of": of} if of and "of" not in form else {})
    return None


def _field_sentences(returns: str) -> list[tuple[str | None, str]]:
    """A Returns section as (field, sentence): a bullet of a named tuple ("first element must have the field
    name ``values``") gives its sentences that field, text outside bullets is about every element (None)."""
    out = []
    body = "\n".join(ln for ln in returns.splitlines() if not re.match(r"\s*out\s*:", ln))
    for para in paragraphs(body):
        field = re.search(r"field name `{1,2}(\w+)`{1,2}", para) if para.startswith("-") else None
        for s in _sentences(_text(para.lstrip("- "))):
            out.append((field[1] if field else None, s))
    return out


def _input_dtypes(description: str, categories: dict, names: list[str]) -> dict | None:
    """What dtypes an array parameter should (or must) have: its sentence, modal and dtypes."""
    d = description.replace("**", "")
    m = re.search(r"(Should|Must|should|must) (?:have|be) (?:the same data type as ``(\w+)``|an? ([\w -]+?) data "
                  r"type)\.", d)
    if not m:
        return None
    base = {"sentence": m[0], "modal": m[1].lower()}
    if m[2]:
        return base | {"same_as": m[2]}
    return base | {"dtypes": [n for n in names if n in _category(m[3], categories)]}


def _scalar_rules(text: str, categories: dict) -> list[dict]:
    """``dtype=None`` inferred from Python scalars (``full``, ``arange``, ``linspace``, ``asarray``): each
    condition's scalar kind and the form it requires."""
    out = []
    clauses = re.split(r" - |; ", _plain(text))
    for m in (m for c in clauses for m in re.finditer(r"[Ii]f ([^,]+?), (?:then )?the output (?:array )?(?:data type|"
                                                       r"dtype|array) must (?:be|have) ([^.]+)", c)):
        kind = next((k for k, p in SCALAR_WORDS if re.search(p, m[1])), None)
        form = result_form(m[2], categories)
        if kind and form and "dtype" not in m[1]:
            out.append({"scalar": kind, "condition": m[1]} | form)
    return out


def dtype_parameter(description: str, categories: dict) -> dict:
    """A ``dtype`` keyword's rules: a given dtype is the result's (``given``), and what ``None`` means."""
    text = _text(description.replace("**", ""))
    given = re.match(r"(?:output array data type|data type of the returned array|desired data type)\.", text)
    out: dict = {"given": bool(given)}
    scalars = _scalar_rules(text, categories)
    none = re.search(r"If ``(?:dtype`` is ``)?None``, (.+?)(?= Default: |$)", text)
    if scalars:
        out["none"] = {"form": "from-scalars", "rules": scalars}
    elif none:
        out["none"] = result_form(none[1], categories) or {"form": None, "unparsed": none[1]}
    must = re.search(r"Must be an? ([\w -]+?) data type\.", text)
    if must:
        out["must_be"] = _category(must[1], categories)
    return out | {"sentence": text}


def results(sources: dict[str, str], categories: dict, names: list[str]) -> dict:
    """Per function whose result is an array (or holds arrays): its return annotation, the field names of a
    named tuple, the dtypes its array parameters should have, its Returns sentences about the result's dtype
    (each with the field it is about, its modal and parsed form, or ``parsed: null``) and its ``dtype``
    keyword's rules."""
    out = {}
    for stem, source in sorted(sources.items()):
        if stem in SKIP or stem == "info":
            continue
        prefix = f"{stem}." if stem in ("linalg", "fft") else ""
        for node in ast.parse(source).body:
            if not isinstance(node, ast.FunctionDef) or node.returns is None:
                continue
            annotation = ast.unparse(node.returns)
            if "array" not in annotation or node.name.startswith("_"):
                continue
            doc = ast.get_docstring(node) or ""
            parts = sections(doc)
            params = _entries(parts.get("Parameters", ""))
            typed = {a.arg: ast.unparse(a.annotation) for a in [*node.args.posonlyargs, *node.args.args,
                                                                *node.args.kwonlyargs]
                     if a.annotation is not None} | ({node.args.vararg.arg: ast.unparse(node.args.vararg.annotation)}
                                                      if node.args.vararg else {})
            inputs = {p: _input_dtypes(params.get(p, ""), categories, names) for p, t in typed.items()
                      if "array" in t}
            rules = []
            for field, s in _field_sentences(parts.get("Returns", "")):
                if not re.search(r"data type|dtype", s):
                    continue
                parsed = result_form(s, categories)
                rules.append({"field": field, "sentence": s, "modal": _modal(s), "parsed": parsed}
                             | ({} if parsed else {"unparsed": "no known form of a result dtype"}))
            entry = {"annotation": annotation, "fields": re.findall(r"field name `{1,2}(\w+)`{1,2}",
                                                                    parts.get("Returns", "")),
                     "inputs": {k: v for k, v in inputs.items() if v}, "rules": rules}
            if "dtype" in params:
                entry["dtype"] = dtype_parameter(params["dtype"], categories)
            out[prefix + node.name] = entry
    return dict(sorted(out.items()))


# ------------------------------------------------------------------------------------ the mirror


def derive_mirror(mirror: str, version: str) -> dict:
    folder = STUBS.format(VERSIONS[version])
    listing = subprocess.run(["git", "-C", mirror, "ls-tree", "--name-only", "HEAD", folder + "/"], check=True,
                             capture_output=True, text=True).stdout.split()
    sources = {Path(p).stem: git_show(mirror, p) for p in listing if p.endswith(".py")}
    spec = SPEC.format(version)
    types = dtypes(git_show(mirror, f"{spec}/data_types.rst"))
    commit = git_commit(mirror)
    return {"version": version, "source": f"data-apis/array-api src/array_api_stubs/{VERSIONS[version]}",
            "functions": functions_of(sources),
            "commit": commit,
            "dtypes": types,
            "array": array_object(sources["array_object"], git_show(mirror, f"{spec}/array_object.rst"),
                                  types["categories"]),
            "constants": constants(sources["constants"], git_show(mirror, f"{spec}/constants.rst")),
            "info": info(sources["info"]),
            "indexing": indexing(git_show(mirror, f"{spec}/indexing.rst"), sources["array_object"]),
            "interchange": interchange(sources),
            "data_type_functions": data_type_functions(sources["data_type_functions"]),
            "results": results(sources, types["categories"], types["names"])}


def _dumps(data: dict) -> str:
    return dumps(data, sort_keys=False, ensure_ascii=True)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) == 2 and not argv[0].startswith("-"):  # STUBS_DIR VERSION: the functions only, to stdout
        sys.stdout.write(_dumps(derive(Path(argv[0]), argv[1])))
        return 0
    args = arguments(__doc__.splitlines()[0], argv)
    return max(write_or_check(DATA / f"array_api_{version}.json", _dumps(derive_mirror(args.mirror, version)),
                              args.check, "tools/derive_array_api_spec.py") for version in VERSIONS)


if __name__ == "__main__":
    sys.exit(main())
