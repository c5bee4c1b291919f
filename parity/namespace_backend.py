"""A user's own Array API namespace as a backend, named on the command line.

``--backend sparse`` (a module that is a namespace), ``--backend mylib.array_api:xp`` (an attribute),
``--backend 'marray:masked_namespace(numpy)'`` (what a factory builds). Nothing about the library is
assumed beyond the standard: inputs go in by ``asarray`` (else ``from_dlpack``), results come back by
the generic chain of :mod:`parity.readback`, and every op takes its Array API spelling.
"""

from __future__ import annotations

import ast
import importlib
import importlib.metadata
import keyword
from typing import ClassVar

import numpy as np

from parity.backend import Backend, BackendUnavailable, UnknownBackend, dist_version
from parity.inline import resolve


class NamespaceBackend(Backend):
    """A user's own Array API namespace: a module that is one (``sparse``), an attribute of a module
    (``module:attribute``), or what a factory builds (``marray:masked_namespace(numpy)``; arguments
    are Python literals or dotted names of modules and their attributes). Every op is called by the
    standard's spelling, the namespace being the library's native one as well."""

    standard_only: ClassVar[bool] = True

    def __init__(self, spec: str):
        module, attribute, arguments = parse_spec(spec)
        super().__init__(name=spec, module=module, dist=_distribution(module))
        self.attribute, self.arguments = attribute, arguments
        self._argument_texts = _argument_texts(spec) if arguments is not None else []
        self._namespace = None
        self.lazy = False  # whether results came with a compute() that was called

    def namespace(self):
        if self._namespace is None:  # a factory builds its namespace (and array class) once per process
            obj = super().namespace()
            try:
                for part in filter(None, self.attribute.split(".")):
                    obj = getattr(obj, part)
            except AttributeError:
                raise BackendUnavailable(
                    f"backend {self.name!r}: {self.module} has no attribute {self.attribute!r}") from None
            if self.arguments is not None:
                try:
                    obj = obj(*(value() for value in self.arguments))
                except Exception as exc:  # noqa: BLE001 - the user's factory may raise anything
                    raise BackendUnavailable(f"backend {self.name!r}: {self.attribute}(...) raised "
                                             f"{type(exc).__name__}: {exc}") from None
            self._namespace = obj
        return self._namespace

    def version(self):
        ns = self.namespace()
        own = getattr(ns, "__version__", None)
        return str(own if own and self.arguments is None else dist_version(self.dist, lambda: ns))

    def from_numpy(self, x, device):
        return self.namespace().asarray(np.array(x, copy=True))

    def script(self) -> tuple[list[str], list[str], str]:
        """How a standalone script gets this namespace: its imports, set-up lines and the name it uses."""
        imports = [f"import {self.module}"]
        expression = ".".join(filter(None, (self.module, self.attribute)))
        if self.arguments is None:
            return imports, [], expression
        texts = [self._argument_texts[i] for i in range(len(self.arguments))]
        imports += [f"import {t.rpartition('.')[0] or t}" for t in texts if _is_dotted(t)]
        return list(dict.fromkeys(imports)), [f"xp = {expression}({', '.join(texts)})"], "xp"

    def finalize(self, value):
        """A lazy library's result computed (its ``compute()``: cubed, Dask-like arrays), in the library's
        call: an error of a deferred computation is the library's outcome, not a result the harness
        could not read."""
        if isinstance(value, (tuple, list)):  # a named tuple (EigResult) cannot be rebuilt from one iterable
            return tuple(self.finalize(v) for v in value)
        compute = getattr(value, "compute", None)
        if callable(compute) and self.is_array(value):
            self.lazy = True  # reproducers compute too
            return compute()
        return value

    def is_array(self, x):
        return hasattr(x, "shape") and hasattr(x, "dtype") and not isinstance(x, np.generic)


#: Functions whose presence makes a module an Array API namespace when it has no __array_api_version__.
NAMESPACE_FUNCTIONS = ("asarray", "zeros", "add", "reshape", "sum")


def is_namespace(obj) -> bool:
    """Whether ``obj`` looks like an Array API namespace: its version attribute, or the core functions."""
    return hasattr(obj, "__array_api_version__") or all(callable(getattr(obj, n, None)) for n in NAMESPACE_FUNCTIONS)


def _distribution(module: str) -> str:
    """The distribution that installs ``module`` (``sparse`` -> sparse, ``cupy`` -> cupy-cuda12x), for its version."""
    top = module.split(".")[0]
    return next(iter(importlib.metadata.packages_distributions().get(top, ())), top)


def parse_spec(spec: str) -> tuple[str, str, tuple | None]:
    """``module[:attribute[(arguments)]]`` -> (module, dotted attribute, argument loaders or None);
    UnknownBackend with an example for anything else."""
    module, colon, rest = spec.partition(":")
    malformed = (f"malformed backend {spec!r}: expected a module, module:attribute or module:factory(arguments) "
                 f"(dotted names; arguments literals or dotted names), e.g. mylib, mylib.array_api:xp or "
                 f"marray:masked_namespace(numpy)")
    if not module or not all(p.isidentifier() for p in module.split(".")):
        raise UnknownBackend(malformed)
    if not colon:
        return module, "", None
    try:
        node = ast.parse(rest, mode="eval").body
    except SyntaxError:
        node = None
    call = isinstance(node, ast.Call) and not node.keywords
    target = node.func if call else node
    if _dotted(target) is None or (call and any(_argument(a) is None for a in node.args)):
        raise UnknownBackend(malformed)
    return module, _dotted(target), tuple(_argument(a) for a in node.args) if call else None


def _dotted(node) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr}" if inner else None
    return None


def _argument(node):
    """A loader of one factory argument: a literal as it is, a dotted name imported when the namespace is built."""
    if isinstance(node, ast.Constant):
        return lambda: node.value
    name = _dotted(node)
    return None if name is None else (lambda: _import_dotted(name))


def _import_dotted(name: str):
    """``numpy`` or ``jax.numpy`` (modules) or ``module.attribute``: the longest importable module, then attributes."""
    obj = resolve(name)
    if obj is None:
        raise ImportError(f"cannot import {name}")
    return obj


def _argument_texts(spec: str) -> list[str]:
    """The factory's arguments as source text (for reproducers): literals by repr, names as written."""
    node = ast.parse(spec.partition(":")[2], mode="eval").body
    return [repr(a.value) if isinstance(a, ast.Constant) else _dotted(a) for a in node.args]


def _is_dotted(text: str) -> bool:
    """A dotted name, not a literal's text (True, None and False are identifiers, and keywords)."""
    return all(part.isidentifier() and not keyword.iskeyword(part) for part in text.split("."))
