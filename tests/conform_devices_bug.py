"""array_api_strict with four device bugs, for tests/test_conform_devices.py (``conform_devices_bug:xp``):
``ones`` ignores ``device=``, ``zeros_like`` forgets its input's device, ``flip`` returns its result on the
default device, and arrays from ``asarray`` have a ``to_device`` that returns the array where it is."""

import types

import array_api_strict as strict
from array_api_strict._array_object import Array

DEFAULT = strict.__array_namespace_info__().default_device()


class StayingArray(Array):
    def to_device(self, device, /, stream=None):
        return self


def _asarray(obj, /, *, dtype=None, device=None, copy=None):
    x = strict.asarray(obj, dtype=dtype, device=device, copy=copy)
    return StayingArray._new(x._array, device=x.device)


def _ones(shape, *, dtype=None, device=None):
    return strict.ones(shape, dtype=dtype)


def _zeros_like(x, /, *, dtype=None, device=None):
    return strict.zeros_like(x, dtype=dtype, device=device or DEFAULT)


def _flip(x, /, *, axis=None):
    return strict.flip(x, axis=axis).to_device(DEFAULT)


class _Namespace(types.SimpleNamespace):
    def __getattr__(self, name):
        return getattr(strict, name)


xp = _Namespace(asarray=_asarray, ones=_ones, zeros_like=_zeros_like, flip=_flip, __version__="0.0-devices-bug")
