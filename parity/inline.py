"""Source text for what a standalone reproducer calls, so that it needs neither array-parity nor its registry.

A callable with a public name is written as that name (``np.sort``, ``scipy.special.gamma``). A
callable that lives in the registry (an adapter from NumPy's signature to a library's, a wrapper, a
lambda) is copied into the script as the exact code the sweep ran, with what it reads: the values
its closure captured, the module-level helpers and constants it uses, the modules it imports. What
cannot be copied faithfully (a class, an object without source) raises :class:`NotInlinable`, and
the reproducer falls back to calling array-parity.
"""

from __future__ import annotations

import ast
import builtins
import functools
import importlib
import inspect
import textwrap
import types

import numpy as np

from opinfo.spec import reference_name
from parity.literal import literal

#: How a script names the modules it imports under another name.
ALIASES = {"numpy": "np"}
#: Where registry code lives: what is found there is copied, never imported.
PRIVATE = ("opinfo", "parity")


class NotInlinable(Exception):
    """The script cannot be written without array-parity; the message says why."""


@functools.cache
def resolve(dotted: str):
    """The object a public dotted name ("numpy.linalg.eig") names, or None (found once per process: a
    sweep writes thousands of scripts that name the same few functions)."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for part in parts[i:]:
            obj = getattr(obj, part, None)
        return obj
    return None


def spelled(dotted: str) -> tuple[str, str]:
    """("np.linalg.eig", "import numpy as np") for "numpy.linalg.eig": the expression and its import."""
    for module, alias in ALIASES.items():
        if dotted == module or dotted.startswith(module + "."):
            return alias + dotted[len(module):], f"import {module} as {alias}"
    module = dotted.rpartition(".")[0] or dotted
    while module and not isinstance(resolve(module), types.ModuleType):
        module = module.rpartition(".")[0]
    return dotted, f"import {module or dotted}"


def public_name(obj) -> str | None:
    """The public dotted name of a function, ufunc or class outside the registry, if it names ``obj``."""
    if isinstance(obj, types.ModuleType):
        return None if obj.__name__.split(".")[0] in PRIVATE else obj.__name__
    name = reference_name(getattr(obj, "__name__", "") or "", obj) if callable(obj) else ""
    return name if name and name.split(".")[0] not in PRIVATE else None


@functools.cache
def _module_tree(path: str) -> tuple[str, ast.Module]:
    with open(path, encoding="utf-8") as f:
        source = f.read()
    return source, ast.parse(source)


def _lambda_source(fn) -> tuple[str, ast.Lambda]:
    """A lambda's own text: the one lambda on its first line with its parameters."""
    return _lambda_source_of(fn.__code__, inspect.getsourcefile(fn))


@functools.cache
def _lambda_source_of(code: types.CodeType, path: str) -> tuple[str, ast.Lambda]:
    """Once per lambda: a walk of its module's tree takes milliseconds, and a sweep copies the same
    few hundred references into thousands of scripts (the tree is only read)."""
    source, tree = _module_tree(path)
    params = code.co_varnames[:code.co_argcount + code.co_kwonlyargcount]
    found = [n for n in ast.walk(tree) if isinstance(n, ast.Lambda) and n.lineno == code.co_firstlineno
             and tuple(a.arg for a in (*n.args.posonlyargs, *n.args.args, *n.args.kwonlyargs)) == params]
    if len(found) != 1:
        raise NotInlinable(f"the source of a lambda on line {code.co_firstlineno} cannot be told apart")
    return ast.get_source_segment(source, found[0]), found[0]


@functools.cache
def _def_source(fn) -> tuple[str, ast.FunctionDef]:
    try:
        source = textwrap.dedent(inspect.getsource(fn))
    except (OSError, TypeError) as exc:
        raise NotInlinable(f"no source for {fn!r} ({exc})") from None
    node = ast.parse(source).body[0]
    if not isinstance(node, ast.FunctionDef) or node.decorator_list or node.name != fn.__code__.co_name:
        raise NotInlinable(f"{fn.__qualname__} is not a plain function definition")
    return source.rstrip(), node


def _locals(code: types.CodeType) -> set[str]:
    names = set(code.co_varnames) | set(code.co_cellvars)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _locals(const)
    return names


class Inliner:
    """Collects the imports and definitions a script needs; names are checked against each other so
    that two things never share one name (``reserved``: the names the script itself uses)."""

    def __init__(self, reserved: dict[str, object]):
        self.bound: dict[str, object] = dict(reserved)
        self.imports: dict[str, None] = {}
        self.definitions: list[str] = []

    def bind(self, name: str, obj) -> bool:
        """Claim ``name`` for ``obj``; False when it is already taken by ``obj`` itself."""
        if name in self.bound:
            if self.bound[name] is obj or (_is_data(obj) and _same(self.bound[name], obj)):
                return False
            raise NotInlinable(f"two things are named {name!r}")
        self.bound[name] = obj
        return True

    def public(self, dotted: str) -> str:
        expr, line = spelled(dotted)
        self.imports[line] = None
        return expr

    def value(self, obj, name: str | None = None) -> str:
        """An expression for ``obj`` in the script: a public name, a literal, or copied code."""
        dotted = public_name(obj)
        if dotted is not None:
            return self.public(dotted)
        if _is_data(obj):
            text = literal(obj)
            if "ml_dtypes." in text:
                self.imports["import ml_dtypes"] = None
            return text
        if isinstance(obj, types.FunctionType):
            return self.function(obj, name)
        if isinstance(obj, functools.partial):
            parts = [self.value(obj.func)] + [self.value(a) for a in obj.args]
            parts += [f"{k}={self.value(v)}" for k, v in obj.keywords.items()]
            self.imports["import functools"] = None
            return f"functools.partial({', '.join(parts)})"
        raise NotInlinable(f"{type(obj).__name__} {getattr(obj, '__qualname__', obj)!r} cannot be copied")

    def function(self, fn: types.FunctionType, name: str | None = None) -> str:
        """Copy ``fn``'s source (and what it reads); the name it is called by in the script."""
        is_lambda = fn.__code__.co_name == "<lambda>"
        if is_lambda:
            text, node = _lambda_source(fn)
            name = name or "reference"
            if not self.bind(name, fn):
                return name
            text = f"{name} = {text}"
        else:
            text, node = _def_source(fn)
            own = fn.__code__.co_name
            if not self.bind(own, fn):
                return own
            if name and name != own and self.bind(name, fn):
                self.definitions.append(f"{name} = {own}")
            name = own
        for var, cell in zip(fn.__code__.co_freevars, fn.__closure__ or ()):
            try:
                self._bind_global(var, cell.cell_contents)
            except ValueError:  # an empty cell: the closure's variable was never assigned
                raise NotInlinable(f"{fn.__qualname__} reads {var!r} before it is assigned") from None
        local = _locals(fn.__code__) | set(fn.__code__.co_freevars)
        used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
        for ref in sorted(used - local):
            if ref in fn.__globals__:
                self._bind_global(ref, fn.__globals__[ref])
            elif not hasattr(builtins, ref):
                raise NotInlinable(f"{fn.__qualname__} reads {ref!r}, which is not defined")
        self.definitions.append(text)
        return name

    def _bind_global(self, name: str, obj) -> None:
        if isinstance(obj, types.ModuleType):
            module = public_name(obj)
            if module is None:
                raise NotInlinable(f"code reads the registry module {obj.__name__}")
            if name in self.bound and self.bound[name] is obj:
                return
            self.bind(name, obj)
            self.imports[f"import {module}" if module == name else f"import {module} as {name}"] = None
            return
        if isinstance(obj, types.FunctionType) and public_name(obj) is None and obj.__code__.co_name == name:
            self.function(obj)
            return
        if name in self.bound and (self.bound[name] is obj or (_is_data(obj) and _same(self.bound[name], obj))):
            return
        expr = self.value(obj, name)
        if expr != name and self.bind(name, obj):
            self.definitions.append(f"{name} = {expr}")


def _is_data(obj) -> bool:
    """Values a literal rebuilds exactly: numbers, text, dtypes, arrays and containers of them."""
    if obj is None or isinstance(obj, (bool, int, float, complex, str, bytes, np.dtype, np.generic, np.ndarray)):
        return True
    if isinstance(obj, (tuple, list)):
        return all(_is_data(x) for x in obj)
    if isinstance(obj, dict):
        return all(isinstance(k, str) and _is_data(v) for k, v in obj.items())
    return False


def _same(a, b) -> bool:
    try:
        return type(a) is type(b) and bool(np.all(a == b))
    except (TypeError, ValueError):
        return False
