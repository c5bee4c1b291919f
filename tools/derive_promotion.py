"""Derive the Array API standard's type promotion rules and operators (opinfo/data/array_api_promotion.json).

usage: python tools/derive_promotion.py [--mirror GIT_DIR] [--check]

Reads, for each version below, from a git mirror of data-apis/array-api (``git show``, no work tree):

- ``type_promotion.rst``: the promotion tables (every ordered pair of dtypes they define and its result;
  the pairs they leave undefined, each with the sentence that says so) and the rules for Python scalars
  (which scalar types go with which array dtypes, what they become, and what is left unspecified);
- ``data_types.rst``: the dtypes and the data type categories ("Numeric", "Integer", ...);
- ``elementwise_functions.py`` and ``linear_algebra_functions.py`` (``matmul``), with ``ast``: for each
  function of two operands, which Python scalar types its signature admits, which dtypes its operands
  should have ("Should have a numeric data type"), what its result's dtype is (promoted, ``bool``, that
  of ``x1``) and the notes that leave a result to the implementation;
- every other stub module: each further function whose result dtype the standard ties to two or more
  of its arrays (``where``, ``concat``, ``linalg.cross``, ... "determined by type-promotion"; ``clip``,
  whose bounds of another dtype are unspecified), its parameters, the dtypes they should have, its
  result rule and whether it binds ("must") or recommends ("should"), its scalar operands and aliases;
- ``array_object.rst`` and ``array_object.py``: every operator (``x1 + x2``: ``__add__``), the function
  it must equal (":func:`~array_api.add`"), its reflected (``__radd__``) and in-place (``__iadd__``)
  forms, and the sentences that govern in-place operators.

Only docstrings and reStructuredText are read, never the stubs' code. With ``--check`` the file is
regenerated in memory and the tool exits 1 if the shipped one differs. An older version whose data
equal the newest version's holds that version's name (a string) instead.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

from standard_mirror import arguments, dumps, git_commit, git_show, write_or_check

VERSIONS = {"2024.12": "_2024_12", "2025.12": "_2025_12"}
RST = "spec/{}/API_specification/{}.rst"
STUB = "src/array_api_stubs/{}/{}.py"
OUT = Path(__file__).resolve().parent.parent / "opinfo" / "data" / "array_api_promotion.json"
#: Python scalar types, in the order the standard names them.
SCALARS = ("bool", "int", "float", "complex")


def flat(text: str) -> str:
    return " ".join(text.split())


def prose(rst: str) -> str:
    """``rst`` without comments, labels and directive lines (a note's text stays)."""
    out, comment = [], False
    for ln in rst.splitlines():
        if comment and (not ln.strip() or ln.startswith((" ", "\t"))):
            continue
        comment = ln.strip() == ".."
        if comment or re.match(r"^\s*\.\. (_[\w-]+:|[\w-]+::)", ln):
            continue
        out.append(ln)
    return "\n".join(out)


def sentence_with(text: str, phrase: str) -> str:
    """The sentence of ``text`` (whitespace flattened) that contains ``phrase``; ValueError if none."""
    text = flat(prose(text))
    i = text.find(phrase)
    if i < 0:
        raise ValueError(f"phrase not found in the standard: {phrase!r}")
    bullets = [m.end() for m in re.finditer(r"(?<![*\w])[*-] ", text[:i])]  # "- x", "* x"; not "**bold** x"
    start = max(text.rfind(". ", 0, i) + 2, *bullets, 0)
    ends = [j for j in (text.find(". ", i), text.find(".*", i)) if j >= 0]
    end = min(ends) + 1 if ends else len(text)
    return text[start:end].strip().lstrip("*").strip()


def sections(rst: str) -> list[tuple[str, list[str]]]:
    """(heading, lines) for every heading of a reStructuredText document, in order."""
    lines = rst.splitlines()
    out: list[tuple[str, list[str]]] = [("", [])]
    i = 0
    while i < len(lines):
        if (i + 1 < len(lines) and lines[i].strip() and re.fullmatch(r'([~=\-"^])\1{2,}', lines[i + 1].strip())
                and not lines[i].startswith((" ", "+", "|"))):
            out.append((lines[i].strip(), []))
            i += 2
            continue
        out[-1][1].append(lines[i])
        i += 1
    return out


def grid(lines: list[str]) -> list[list[str]]:
    """The cells of the rows of the first grid table in ``lines`` (a row per ``|`` line)."""
    return [[c.strip().strip("*") for c in ln.strip().strip("|").split("|")] for ln in lines
            if ln.strip().startswith("|")]


# ------------------------------------------------------------------------------------- data types


def data_types(rst: str) -> tuple[list[str], dict[str, list[str]]]:
    """The standard's dtypes in table order, and its categories (lower case) -> dtypes."""
    parts = dict(sections(rst))
    dtypes = [row[0] for row in grid(parts["Data Types"])[1:] if row[0]]
    categories = {row[0].lower(): re.findall(r"``(\w+)``", row[1]) for row in grid(parts["Data Type Categories"])[1:]}
    for name, members in categories.items():
        if not members or set(members) - set(dtypes):
            raise ValueError(f"category {name!r}: {members}")
    return dtypes, categories


def category_of(text: str, dtypes: list[str], categories: dict[str, list[str]]) -> list[str]:
    """The dtypes a phrase such as "integer or boolean", "real-valued floating-point" or "``bool``" names."""
    text = text.replace("``", "").strip()
    out: list[str] = []
    for part in re.split(r",? or |, ", text):
        part = part.strip().removeprefix("a ").removeprefix("an ").strip()
        if part in dtypes:
            out.append(part)
        elif part in categories:
            out.extend(categories[part])
        else:
            raise ValueError(f"data type category not understood: {part!r} (in {text!r})")
    return [d for d in dtypes if d in out]


# -------------------------------------------------------------------------------- type promotion


def promotion(rst: str, dtypes: list[str], categories: dict[str, list[str]]) -> dict:
    parts = sections(rst)
    text = flat(rst)
    codes = {}
    for _, lines in parts:
        for ln in lines:
            m = re.match(r"^-\s+\*\*(\w+)\*\*: .*\(i\.e\., ``(\w+)``", ln)
            if m:
                codes[m[1]] = m[2]
    tables_sentence = sentence_with(rst, "type promotion tables specify the casting behavior")
    order_sentence = sentence_with(rst, "the result does not depend on operand order")
    join_sentence = sentence_with(rst, "Promotion between any two types is given by their join")
    pairs: dict[tuple[str, str], dict] = {}
    for heading, lines in parts:
        if not heading.endswith("type promotion table"):
            continue
        rows = grid(lines)
        columns = [codes[c] for c in rows[0][1:]]
        for row in rows[1:]:
            x1 = codes[row[0]]
            for x2, result in zip(columns, row[1:]):
                pairs[(x1, x2)] = {"x1": x1, "x2": x2, "result": codes[result], "table": heading,
                                   "sentence": tables_sentence}
    for (x1, x2), entry in list(pairs.items()):  # the mixed table gives (signed, unsigned) only
        if (x2, x1) not in pairs:
            pairs[(x2, x1)] = entry | {"x1": x2, "x2": x1, "sentence": order_sentence}
    for d in dtypes:  # bool is on the lattice but in no table: its join with itself
        if (d, d) not in pairs:
            pairs[(d, d)] = {"x1": d, "x2": d, "result": d, "table": "type promotion diagram",
                             "sentence": join_sentence}

    bool_sentence = sentence_with(rst, "Type promotion of non-numerical data types to numerical data types")
    mixed_sentence = sentence_with(rst, "Mixed integer and floating-point type promotion rules are not specified")
    kinds = {"boolean": set(categories["boolean"]), "integer": set(categories["integer"]),
             "floating-point": set(categories["floating-point"])}

    def kind(d):
        return next(k for k, members in kinds.items() if d in members)

    undefined = []
    for x1 in dtypes:
        for x2 in dtypes:
            if (x1, x2) in pairs:
                continue
            k = {kind(x1), kind(x2)}
            if "boolean" in k:
                why, status = bool_sentence, "unspecified"
            elif k == {"integer", "floating-point"}:
                why, status = mixed_sentence, "unspecified"
            else:  # e.g. int8 and uint64: both integers, absent from the mixed table
                why, status = f"{tables_sentence} ({x1} and {x2} are in no table.)", "not defined"
            undefined.append({"x1": x1, "x2": x2, "status": status, "sentence": why})
    table = [pairs[(x1, x2)] for x1 in dtypes for x2 in dtypes if (x1, x2) in pairs]
    return {"table": table, "undefined": undefined, "kinds": {k: sorted(v, key=dtypes.index) for k, v in kinds.items()},
            "zero_dimensional": " ".join(sentence_with(rst, p) for p in (
                "regardless of array dimension", "zero-dimensional arrays must be subject to the same type promotion")),
            "values": sentence_with(rst, "Only the types of participating arrays matter"),
            "scalars": scalars(rst, text, dtypes, categories)}


def scalars(rst: str, text: str, dtypes: list[str], categories: dict[str, list[str]]) -> dict:
    """The section "Mixing arrays with Python scalars": allowed (scalar type, array dtypes, result) and unspecified."""
    section = dict(sections(rst))["Mixing arrays with Python scalars"]
    allowed, blocks, current = [], [], None
    for ln in section:
        s = ln.strip()
        if s.startswith("Using Python") or s.startswith("Additionally, using Python"):
            current = {"bullets": [], "convert": None, "intro": s}
            blocks.append(current)
        elif current is not None and re.match(r"-\s+a Python ", s):
            current["bullets"].append(s[1:].strip())
        elif current is not None and s.startswith("1.") and current["convert"] is None:
            current["convert"] = s[2:].strip()
    for block in blocks:
        convert = block["convert"]
        if "with the same data type as that of the array" in convert:
            result = "array"
        elif "complex floating-point array data type having the same precision" in convert:
            result = "complex of the array's precision"
        else:
            raise ValueError(f"scalar conversion not understood: {convert!r}")
        for bullet in block["bullets"]:
            m = re.fullmatch(r"a Python (.+?)(?: within the bounds of the given data type)? for (?:a |an )?(.+?) "
                             r"array (?:data types?|:ref:`data-types`)\.", bullet)
            if not m:
                raise ValueError(f"scalar bullet not understood: {bullet!r}")
            kinds = re.findall(r"``(\w+)``", m[1])
            if set(kinds) - set(SCALARS):
                raise ValueError(f"scalar types not understood: {bullet!r}")
            within = "within the bounds" in bullet
            for scalar in kinds:
                allowed.append({"scalar": scalar, "dtypes": category_of(m[2], dtypes, categories), "result": result,
                                "within_bounds": within, "sentence": bullet, "conversion": convert})
    unspecified = []
    for m in re.finditer(r"Behavior is not specified when mixing a Python ``(\w+)`` and an array with an? "
                         r"([\w -]+?) data type;[^.]*\.", text):
        unspecified.append({"scalar": m[1], "dtypes": category_of(m[2], dtypes, categories), "sentence": m[0]})
    excluded = re.findall(r"excluding the matmul ``@`` operator", text)
    return {"allowed": allowed, "unspecified": unspecified,
            "out_of_bounds": sentence_with(rst, "Behavior is not specified for integers outside of the bounds"),
            "applies_to": re.search(r"Using Python scalars .*? compatible with the array data type:", text)[0],
            "excluded_operators": ["__matmul__"] if excluded else []}


# ------------------------------------------------------------------------------------ functions


def _annotation_scalars(node) -> list[str]:
    text = ast.unparse(node) if node is not None else ""
    return [s for s in SCALARS if re.search(rf"\b{s}\b", text)]


def _parameters(doc: str, names: list[str]) -> dict[str, str]:
    """Each parameter's description (the indented text after ``name: type`` under "Parameters")."""
    block = doc.split("Parameters\n", 1)[1].split("Returns\n", 1)[0]
    out, current = {}, None
    for ln in block.splitlines():
        m = re.match(r"^(\w+): ", ln)
        if m and m[1] in names:
            current = m[1]
            out[current] = ""
        elif current:
            out[current] += " " + ln.strip()
    return {k: flat(v) for k, v in out.items()}


def operand_dtypes(description: str, dtypes, categories) -> tuple[list[str] | str, str | None]:
    """The dtypes a parameter description asks for, and the sentence ("Should have ...")."""
    d = description.replace("**", "")
    m = re.search(r"(?:Should|should|Must|must) have (the same data type as ``(\w+)``|([^.]+?) data type)\.", d)
    if m and m[2]:
        return f"same as {m[2]}", m[0]
    if m:
        return category_of(m[3], dtypes, categories), m[0]
    m = re.search(r"May have any data type\.", d)
    if m:
        return list(dtypes), m[0]
    if "data type" not in d:  # e.g. not_equal's x2: no requirement at all
        return list(dtypes), None
    raise ValueError(f"operand data types not understood: {description!r}")


def result_rule(doc: str) -> tuple[str, str]:
    returns = flat(doc.split("Returns\n", 1)[1].split("Notes\n", 1)[0]).replace("**", "")
    m = re.search(r"The returned array (?:must|should) have (?:a data type of `{1,2}bool`{1,2}|the same data type as "
                  r"``(\w+)``|(?:a |an )?(?:[\w -]+ )?data type determined by :ref:`type-promotion`)[^.]*\.", returns)
    if not m:
        raise ValueError(f"result data type not understood: {returns!r}")
    if "bool" in m[0].split("determined")[0] and "type-promotion" not in m[0]:
        return "bool", m[0]
    if m[1]:
        return f"same as {m[1]}", m[0]
    return "promoted", m[0]


def notes_unspecified(doc: str, dtypes, categories) -> list[dict]:
    """Notes that leave the result to the implementation when an operand has some dtype."""
    out = []
    for m in re.finditer(r"If one or both of (?:the input arrays|``\w+`` and ``\w+``) have (\w+) data types, the "
                         r"result is implementation-dependent.*?\.(?=\s|$)", flat(doc)):
        out.append({"when_either": category_of(m[1], dtypes, categories), "sentence": m[0]})
    return out


def functions(stubs: dict[str, str], dtypes, categories) -> dict:
    out = {}
    for module, source in stubs.items():
        for node in ast.parse(source).body:
            if not isinstance(node, ast.FunctionDef):
                continue
            params = node.args.posonlyargs + node.args.args
            wanted = module == "elementwise_functions" or node.name == "matmul"
            if [p.arg for p in params] != ["x1", "x2"] or not wanted:
                continue
            doc = ast.get_docstring(node)
            described = _parameters(doc, ["x1", "x2"])
            operands, sentences = {}, {}
            for p in params:
                operands[p.arg], sentences[p.arg] = operand_dtypes(described[p.arg], dtypes, categories)
            result, result_sentence = result_rule(doc)
            out[node.name] = {"module": module, "scalars": {p.arg: _annotation_scalars(p.annotation) for p in params},
                              "dtypes": operands, "dtype_sentences": sentences, "result": result,
                              "result_sentence": result_sentence,
                              "unspecified": notes_unspecified(doc, dtypes, categories)}
    return dict(sorted(out.items()))


# ------------------------------------------------------------------------------- other functions


def _array_parameters(node: ast.FunctionDef) -> tuple[list[str], list[str], list[str]]:
    """The parameters that take an array: all of them, the required ones, those that take a sequence of arrays."""
    positional = node.args.posonlyargs + node.args.args
    required = {p.arg for p in positional[:len(positional) - len(node.args.defaults)]}
    required |= {p.arg for p, d in zip(node.args.kwonlyargs, node.args.kw_defaults) if d is None}
    params = positional + node.args.kwonlyargs
    arrays = [p.arg for p in params if p.annotation is not None and re.search(r"\barray\b", ast.unparse(p.annotation))]
    sequences = [p.arg for p in params if p.annotation is not None
                 and re.search(r"(?:Tuple|List|Sequence)\[array\b", ast.unparse(p.annotation))]
    return arrays, [a for a in arrays if a in required], sequences


def _promoted(doc: str, arrays: list[str], sequences: list[str]) -> tuple[list[str], str] | None:
    """The operands whose promoted dtype the Returns section gives the result, and its sentence."""
    returns = flat(doc.split("Returns\n", 1)[1].split("Notes\n", 1)[0]).replace("**", "") if "Returns\n" in doc else ""
    m = re.search(r"The returned array must have (?:a |an )?(?:[\w -]+ )?data type determined by :ref:`type-promotion`"
                  r"(?: rules with the arrays ((?:``\w+``(?:,? and |, )?)+))?\.", returns)
    if m:
        return (re.findall(r"``(\w+)``", m[1]) if m[1] else sequences or arrays), m[0]
    m = re.search(r"If the input arrays have different data types, normal :ref:`type-promotion` must apply\.[^.]*\.",
                  returns)
    return (sequences, m[0]) if m and sequences else None


def calls(stubs: dict[str, str], dtypes, categories, binary=()) -> dict:
    """Every function whose result dtype the standard ties to two or more of its arrays, besides the binary
    ones (``functions``): its Returns says "determined by type-promotion" of two required arrays or of a
    sequence of arrays ("normal type-promotion must apply"), or a note leaves bounds of another dtype
    than the array's unspecified (``clip``); an "Alias for" function takes its target's entry."""
    out, aliases = {}, {}
    for module, source in stubs.items():
        prefix = f"{module}." if module in ("linalg", "fft") else ""
        for node in ast.parse(source).body:
            if not isinstance(node, ast.FunctionDef):
                continue
            name, doc = prefix + node.name, ast.get_docstring(node) or ""
            alias = re.fullmatch(r"Alias for :func:`~array_api\.(\w+)`\.", doc.strip())
            if alias:
                aliases[name] = (alias[1], module)
                continue
            arrays, required, sequences = _array_parameters(node)
            promoted = _promoted(doc, required, sequences) if len(required) >= 2 or sequences else None
            notes = flat(doc.split("Notes\n", 1)[1]).replace("**", "") if "Notes\n" in doc else ""
            mixed = re.search(r"If either ``(\w+)`` or ``(\w+)`` is an array having a different data type than "
                              r"``(\w+)``, behavior is unspecified[^.]*\.", notes)
            if promoted:
                operands, (result, sentence) = promoted[0], ("promoted", promoted[1])
            elif mixed and len(arrays) >= 2:
                operands, (result, sentence) = [mixed[3], mixed[1], mixed[2]], result_rule(doc)
            else:
                continue
            params = [p.arg for p in node.args.posonlyargs + node.args.args]
            described = _parameters(doc, params)
            operand_types, sentences = {}, {}
            for p in [a for a in params if a in arrays and (a in required or a in operands)]:
                operand_types[p], sentences[p] = operand_dtypes(described[p], dtypes, categories)
            scalar = re.search(r"(?<=- )[^.]*\bscalar\b[^.]*(?:mixing-scalars-and-arrays|scalar operands)[^.]*\.",
                               notes)
            out[name] = {"module": module, "parameters": [p for p in params if p in operand_types],
                         "operands": operands, "sequence": bool(sequences), "dtypes": operand_types,
                         "dtype_sentences": sentences, "result": result, "result_sentence": sentence,
                         "binding": re.search(r"\b(must|should)\b", sentence)[1],
                         "scalars": {p: _annotation_scalars(a.annotation) for a in node.args.posonlyargs
                                     + node.args.args if (p := a.arg) in operands and a.arg not in sequences},
                         "scalar_sentence": scalar[0] if scalar else None,
                         "mixed_unspecified": mixed[0] if mixed else None}
    for name, (target, module) in aliases.items():
        if target in out:
            out[name] = out[target] | {"module": module, "alias_of": target}
    return {k: v for k, v in sorted(out.items()) if k not in binary}


# ------------------------------------------------------------------------------------ operators


def operators(rst: str, stub: str, dtypes, categories) -> dict:
    """Every operator of the array object: plain and unary ones from the stub, reflected and in-place from the rst."""
    methods = {}
    for node in ast.parse(stub).body:
        if isinstance(node, ast.ClassDef):
            methods.update({f.name: f for f in node.body if isinstance(f, ast.FunctionDef)})
    parts = sections(rst)
    start = next(i for i, (h, _) in enumerate(parts) if h == "Operators")
    end = next(i for i, (h, _) in enumerate(parts) if h == "Attributes")
    out: dict[str, dict] = {}
    reflected_sentence = sentence_with(rst, "The results of applying reflected operators must match")
    for _, lines in parts[start:end]:
        for ln in lines:
            s = ln.strip()
            m = re.match(r"^-\s+`{1,2}([^`]+)`{1,2}: :meth:`\.array\.(__\w+__)`", s)
            if m:
                out[m[2]] = plain(m[2], m[1], methods[m[2]], dtypes, categories)
                continue
            m = re.match(r"^-\s+``(\S+)``\. May be implemented via ``(__i\w+__)``\.", s)
            if m:
                of = "__" + m[2][3:]
                if of not in out:
                    raise ValueError(f"in-place {m[2]} has no binary operator {of}")
                out[m[2]] = {"form": "in-place", "of": of, "function": out[of]["function"], "symbol": m[1],
                             "sentence": s.lstrip("- ").strip()}
                continue
            m = re.fullmatch(r"-\s+``(__r\w+__)``", s)
            if m:
                of = "__" + m[1][3:]
                if of not in out:
                    raise ValueError(f"reflected {m[1]} has no binary operator {of}")
                out[m[1]] = {"form": "reflected", "of": of, "function": out[of]["function"],
                             "symbol": out[of]["symbol"], "sentence": reflected_sentence}
    return out


def plain(name: str, symbol: str, node: ast.FunctionDef, dtypes, categories) -> dict:
    doc = ast.get_docstring(node)
    params = [p.arg for p in node.args.posonlyargs + node.args.args]
    described = _parameters(doc, params)
    m = re.search(r"[^.]*(?:must equal the results returned by the equivalent (?:element-wise )?function) "
                  r":func:`~array_api\.(\w+)`\.", flat(doc))
    if not m:
        raise ValueError(f"{name}: no equivalent function")
    entry = {"form": "unary" if len(params) == 1 else "binary", "symbol": symbol, "function": m[1],
             "sentence": m[0].strip().lstrip("- ").strip(), "dtypes": {}, "dtype_sentences": {}}
    for p in params:
        entry["dtypes"][p], entry["dtype_sentences"][p] = operand_dtypes(described[p], dtypes, categories)
    if len(params) == 2:
        entry["scalars"] = _annotation_scalars(node.args.args[1].annotation if len(node.args.args) > 1
                                               else node.args.posonlyargs[1].annotation)
        entry["result"], entry["result_sentence"] = result_rule(doc)
        entry["unspecified"] = notes_unspecified(doc, dtypes, categories)
    return entry


def in_place(rst: str) -> dict:
    phrases = {
        "keeps_dtype": "An in-place operation must not change the data type or shape of the in-place array",
        "same_dtype": "then an in-place operation must have the same behavior (including special cases)",
        "equals": "the modified array ``x1`` must always equal the result of the equivalent binary",
        "differs": "The choice of casting behavior and intermediate precision is unspecified",
        "differs_may_change": "the resulting data type may not equal the data type of ``x1``",
        "no_mutation": "In-place operations do not guarantee in-place mutation",
        "may_not_implement": "may choose to not explicitly implement in-place Python operators",
    }
    return {k: sentence_with(rst, p) for k, p in phrases.items()}


# ---------------------------------------------------------------------------------------- main


def derive_version(show, directory: str, version: str) -> dict:
    dtypes, categories = data_types(show(RST.format(version, "data_types")))
    rules = promotion(show(RST.format(version, "type_promotion")), dtypes, categories)
    modules = [f.removesuffix(".py") for f in show(STUB.format(directory, "")[:-3]).splitlines()[2:]
               if f.endswith(".py") and not f.startswith("_") and f != "array_object.py"]
    stubs = {m: show(STUB.format(directory, m)) for m in modules}
    binary = functions({m: stubs[m] for m in ("elementwise_functions", "linear_algebra_functions")}, dtypes, categories)
    array_rst = show(RST.format(version, "array_object"))
    return {"dtypes": dtypes, "categories": categories, "promotion": rules, "functions": binary,
            "calls": calls(stubs, dtypes, categories, binary),
            "operators": operators(array_rst, show(STUB.format(directory, "array_object")), dtypes, categories),
            "in_place": in_place(array_rst)}


def derive(mirror: str) -> dict:
    commit = git_commit(mirror)
    versions = {v: derive_version(lambda p: git_show(mirror, p), d, v) for v, d in VERSIONS.items()}
    newest = max(versions)
    shared = {v: newest if v != newest and data == versions[newest] else data for v, data in versions.items()}
    sources = ("spec/YYYY.MM/API_specification/{type_promotion,data_types,array_object}.rst, "
               "src/array_api_stubs/_YYYY_MM/*.py")
    return {"source": f"data-apis/array-api@{commit} {sources}", "versions": shared}


def main(argv=None) -> int:
    args = arguments(__doc__.splitlines()[0], argv)
    return write_or_check(OUT, dumps(derive(args.mirror)), args.check, "tools/derive_promotion.py")


if __name__ == "__main__":
    sys.exit(main())
