"""A small NumPy-backed Array API namespace with three planted bugs, for the conformance tests.

Everything follows NumPy 2 (whose promotion matches the standard's tables, scalar rules and 0-d rule
wherever the standard defines them), except:

- ``add`` of an ``int8`` and a ``uint8`` array returns ``int8`` (the standard: ``int16``);
- ``Array.__iadd__`` ignores its argument and returns ``self`` unchanged;
- ``Array.__rsub__`` computes ``self - other`` (``x2.__rsub__(x1)`` must be ``x1 - x2``).

Use it as the backend ``tests.conform_bug_xp:namespace``.
"""

from __future__ import annotations

import operator
import sys

import numpy as np

__array_api_version__ = "2025.12"


def _unwrap(x):
    return x._a if isinstance(x, Array) else x


def _wrap(x):
    return x if x is NotImplemented else Array(x)


class Array:
    def __init__(self, a):
        self._a = np.asarray(a)

    @property
    def dtype(self):
        return self._a.dtype

    @property
    def shape(self):
        return self._a.shape

    @property
    def ndim(self):
        return self._a.ndim

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self._a, dtype=dtype)

    def __array_namespace__(self, api_version=None):
        return sys.modules[__name__]

    def __repr__(self):
        return f"Array({self._a!r})"


def _binary(op):
    def method(self, other):
        return _wrap(op(self._a, _unwrap(other)))

    return method


def _reflected(op):
    def method(self, other):
        return _wrap(op(_unwrap(other), self._a))

    return method


def _in_place(op):
    def method(self, other):
        op(self._a, _unwrap(other))  # NumPy's in-place operator mutates the buffer
        return self

    return method


def _unary(op):
    def method(self):
        return _wrap(op(self._a))

    return method


_BINARY = {"add": operator.add, "sub": operator.sub, "mul": operator.mul, "truediv": operator.truediv,
           "floordiv": operator.floordiv, "mod": operator.mod, "pow": operator.pow, "matmul": operator.matmul,
           "and": operator.and_, "or": operator.or_, "xor": operator.xor, "lshift": operator.lshift,
           "rshift": operator.rshift}
for _name, _op in _BINARY.items():
    setattr(Array, f"__{_name}__", _binary(_op))
    setattr(Array, f"__r{_name}__", _reflected(_op))
    setattr(Array, f"__i{_name}__", _in_place(getattr(operator, f"i{_name.rstrip('_')}")))
for _name in ("lt", "le", "gt", "ge", "eq", "ne"):
    setattr(Array, f"__{_name}__", _binary(getattr(operator, _name)))
for _name in ("neg", "pos", "abs", "invert"):
    setattr(Array, f"__{_name}__", _unary(getattr(operator, _name)))


# ----------------------------------------------------------------------------- the planted bugs


def _iadd_ignoring_its_argument(self, other):
    return self


def _rsub_the_wrong_way(self, other):
    return _wrap(self._a - _unwrap(other))


Array.__iadd__ = _iadd_ignoring_its_argument
Array.__rsub__ = _rsub_the_wrong_way


class _Namespace:
    """The namespace: NumPy's functions on unwrapped operands, results wrapped."""

    __array_api_version__ = __array_api_version__

    def __init__(self):
        for name in ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32",
                     "float64", "complex64", "complex128"):
            setattr(self, name, np.dtype(name))

    def asarray(self, obj, dtype=None, copy=None):
        return Array(np.array(_unwrap(obj), dtype=dtype, copy=True))

    def add(self, x1, x2):
        out = np.add(_unwrap(x1), _unwrap(x2))
        if {getattr(x1, "dtype", None), getattr(x2, "dtype", None)} == {np.dtype("int8"), np.dtype("uint8")}:
            out = out.astype(np.int8)  # planted bug: the standard requires int16
        return Array(out)

    def __getattr__(self, name):
        f = getattr(np, name, None)
        if not callable(f) or name.startswith("_"):
            raise AttributeError(name)

        def call(*args, **kwargs):
            out = f(*[_unwrap(a) for a in args], **kwargs)
            return Array(out) if isinstance(out, (np.ndarray, np.generic)) else out

        call.__name__ = name
        return call


namespace = _Namespace()
