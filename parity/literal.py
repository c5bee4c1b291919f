"""Python source for inputs and reproducer scripts.

:func:`literal` writes source that rebuilds a value exactly (arrays keep dtype, shape, layout and
every bit); :func:`script` writes a reproducer around :func:`parity.reproducer.reproduce`. Pure
text: the runner renders inputs with it without importing the reproducer, which imports the runner.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from opinfo.dtypes import ML_FLOATS
from opinfo.spec import Sample


def literal(obj: Any) -> str:
    """Python source that rebuilds ``obj`` exactly (arrays keep dtype, shape and every bit of value)."""
    if isinstance(obj, np.ndarray):
        dtype = _dtype(obj.dtype)
        if obj.ndim == 0:
            return f"np.array({_scalar(obj.item(), obj.dtype)}, dtype={dtype})"
        if obj.size == 0:
            return f"np.empty({obj.shape!r}, dtype={dtype})"
        text = f"np.array({_nested(obj.tolist(), obj.dtype)}, dtype={dtype})"
        if obj.flags.c_contiguous or obj.ndim == 0:
            return text
        if obj.flags.f_contiguous:
            return f"np.asfortranarray({text})"
        if obj.strides == np.repeat(obj, 2, axis=-1)[..., ::2].strides:
            return f"np.repeat({text}, 2, axis=-1)[..., ::2]"
        return text
    if isinstance(obj, np.dtype):
        return f"np.dtype({_dtype(obj)})" if obj in ML_FLOATS else f"np.dtype({obj.name!r})"
    if isinstance(obj, np.generic):
        return f"{_dtype(obj.dtype)}({_scalar(obj.item(), obj.dtype)})"
    if isinstance(obj, tuple):
        inner = ", ".join(literal(x) for x in obj)
        return f"({inner},)" if len(obj) == 1 else f"({inner})"
    if isinstance(obj, list):
        return "[" + ", ".join(literal(x) for x in obj) + "]"
    if isinstance(obj, dict):
        return "{" + ", ".join(f"{k!r}: {literal(v)}" for k, v in obj.items()) + "}"
    if isinstance(obj, (float, complex)):
        return _scalar(obj, None)
    return repr(obj)


def _dtype(dtype: np.dtype) -> str:
    """Source for a dtype's scalar type: np.float32, or ml_dtypes.bfloat16 for the dtypes NumPy does not
    name (their values are all Python floats, so the float literals below rebuild every bit but a NaN's
    payload)."""
    return f"ml_dtypes.{dtype.name}" if dtype in ML_FLOATS else f"np.{dtype.name}"


def _nested(values, dtype) -> str:
    if isinstance(values, list):
        return "[" + ", ".join(_nested(v, dtype) for v in values) + "]"
    return _scalar(values, dtype)


def _float(x: float) -> str:
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return repr(float(x))


def _scalar(x, dtype) -> str:
    if isinstance(x, complex):
        return f"complex({_float(x.real)}, {_float(x.imag)})"
    if isinstance(x, float):
        return _float(x)
    return repr(x)


def sample_literal(sample: Sample) -> str:
    """The sample as ``args = ...`` / ``kwargs = ...`` source lines."""
    return f"args = {literal(tuple(sample.args))}\nkwargs = {literal(dict(sample.kwargs))}"


def script(*, op: str, backend: str, device: str, surface: str, dtype: str, category: str,
           sample: Sample, detail: str = "", settings: dict | None = None, note: str = "") -> str:
    """The reproducer's source text; ``note`` (say, why it is not standalone) goes into its docstring."""
    detail = f"{detail}\n{note}" if note else detail
    settings_arg = f", settings={settings!r}" if settings else ""
    inputs = sample_literal(sample)
    ml_import = "import ml_dtypes\n" if "ml_dtypes." in inputs else ""
    return f'''"""array-parity reproducer: {op} on {backend} ({device}, {surface} surface, {dtype}): {category}.
{detail}
Raises AssertionError while this divergence exists; exits 0 once it is gone.
"""
{ml_import}import numpy as np
from numpy import nan, inf

from parity.reproducer import reproduce

{inputs}
reproduce({op!r}, {backend!r}, args, kwargs, category={category!r},
          device={device!r}, surface={surface!r}{settings_arg})
'''
