"""Derive the Array API standard's function list and signatures from its published stubs.

usage: python tools/derive_array_api_spec.py STUBS_DIR VERSION > parity/data/array_api_VERSION.json

STUBS_DIR is ``src/array_api_stubs/_YYYY_MM`` of a checkout of data-apis/array-api. The stubs are
read with ``ast`` (never imported or copied); what is kept is data: each function's name, its
category (the stub module), and its parameters with kind and default.
"""

import ast
import json
import sys
from pathlib import Path

SKIP = {"_types", "array_object", "constants", "data_types", "__init__"}


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


def derive(stubs: Path, version: str) -> dict:
    functions = []
    for path in sorted(stubs.glob("*.py")):
        if path.stem in SKIP:
            continue
        tree = ast.parse(path.read_text())
        names = exported(tree)
        prefix = f"{path.stem}." if path.stem in ("linalg", "fft") else ""
        category = {"linalg": "linalg", "fft": "fft"}.get(path.stem, path.stem.removesuffix("_functions"))
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef) or (names is not None and node.name not in names):
                continue
            if path.stem == "info" and node.name != "__array_namespace_info__":
                continue  # the rest of info.py are methods of the info object, not namespace functions
            functions.append({"name": prefix + node.name, "category": category, "params": parameters(node)})
    return {"version": version, "source": f"data-apis/array-api src/array_api_stubs/{stubs.name}",
            "functions": sorted(functions, key=lambda f: f["name"])}


if __name__ == "__main__":
    json.dump(derive(Path(sys.argv[1]), sys.argv[2]), sys.stdout, indent=1)
    sys.stdout.write("\n")
