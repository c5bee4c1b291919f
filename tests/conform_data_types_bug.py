"""array_api_strict with five data type function bugs, for tests/test_conform_data_types.py
(``conform_data_types_bug:xp``): finfo's fields are NumPy scalars, iinfo refuses arrays, isdtype counts bool as
'integral', can_cast(int8, uint8) is True, and result_type ignores every argument after the second."""

import types

import array_api_strict as strict
import numpy as np


def _finfo(type, /):
    info = strict.finfo(type)
    scalar = np.dtype(f"float{info.bits}").type
    return types.SimpleNamespace(bits=info.bits, eps=scalar(info.eps), max=scalar(info.max), min=scalar(info.min),
                                 smallest_normal=scalar(info.smallest_normal), dtype=info.dtype)


def _iinfo(type, /):
    if hasattr(type, "shape"):
        raise TypeError("iinfo() takes a dtype")
    return strict.iinfo(type)


def _isdtype(dtype, kind):
    return True if dtype == strict.bool and kind == "integral" else strict.isdtype(dtype, kind)


def _can_cast(from_, to, /):
    if getattr(from_, "dtype", from_) == strict.int8 and to == strict.uint8:
        return True
    return strict.can_cast(from_, to)


def _result_type(*arrays_and_dtypes):
    return strict.result_type(*arrays_and_dtypes[:2])


class _Namespace(types.SimpleNamespace):
    def __getattr__(self, name):
        return getattr(strict, name)


xp = _Namespace(finfo=_finfo, iinfo=_iinfo, isdtype=_isdtype, can_cast=_can_cast, result_type=_result_type,
                __version__="0.0-data-types-bug")
