"""NumPy namespaces with one DLPack bug each, for tests/test_conform_dlpack.py: ``device_xp`` says
its CPU arrays are on CUDA (``__dlpack_device__`` is (2, 0)); ``copy_xp``'s from_dlpack drops
copy= (and device=); ``name_xp``'s ``__dlpack__()`` without max_version returns a capsule of the
wrong name."""

import ctypes
import types

import numpy as np

_new = ctypes.pythonapi.PyCapsule_New
_new.restype, _new.argtypes = ctypes.py_object, [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
_WRONG = ctypes.create_string_buffer(b"dl_tensor")  # the capsule keeps a pointer to its name
_DATA = ctypes.create_string_buffer(8)


class DeviceBug(np.ndarray):
    def __dlpack_device__(self):
        return (2, 0)


class NameBug(np.ndarray):
    def __dlpack__(self, *, stream=None, max_version=None, dl_device=None, copy=None):
        if max_version is None:
            return _new(ctypes.addressof(_DATA), ctypes.addressof(_WRONG), None)
        return self.view(np.ndarray).__dlpack__(max_version=max_version, dl_device=dl_device, copy=copy)


class _Namespace(types.SimpleNamespace):
    def __getattr__(self, name):
        return getattr(np, name)


def _namespace(cls, **extra):
    def asarray(obj, /, *, dtype=None, device=None, copy=None):
        return np.asarray(obj, dtype=dtype, copy=copy).view(cls)

    def from_dlpack(x, /, *, device=None, copy=None):
        return np.from_dlpack(x, device=device, copy=copy).view(cls)

    return _Namespace(**({"asarray": asarray, "from_dlpack": from_dlpack, "__version__": "0.0-dlpack-bug"} | extra))


def _dropped(x, /, *, device=None, copy=None):
    return np.from_dlpack(x).view(np.ndarray)  # bug: copy= and device= never reach the import


device_xp = _namespace(DeviceBug)
copy_xp = _namespace(np.ndarray, from_dlpack=_dropped)
name_xp = _namespace(NameBug)
