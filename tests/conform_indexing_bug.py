"""NumPy namespaces with one indexing bug each, for tests/test_conform_indexing.py (backend
``conform_indexing_bug:<name>``). Each bug is a class of departures, not one input:

- ``negative_step``: a negative-step slice stops one element early (its stop is taken one closer);
- ``column_major``: an n-d boolean mask selects in column-major order;
- ``negative_int``: a negative integer ``i`` counts from the front (``x[-1]`` is ``x[0]``, ``x[-2]`` is ``x[1]``);
- ``python_scalar``: a 0-d result of ``__getitem__`` comes back as a Python scalar;
- ``setitem_ellipsis``: ``__setitem__`` drops the ellipsis from its key (``x[..., 1] = v`` sets ``x[1]``);
- ``masks_omitted`` and ``masks_claimed``: arrays that refuse every boolean mask, in a namespace whose
  ``capabilities()`` says it omits boolean indexing (allowed) and in one that says it has it (a violation).
"""

import types

import numpy as np


def _parts(key):
    return key if isinstance(key, tuple) else (key,)


def _axes(key, ndim):
    """Each part of a key with the axis it indexes (None for None and the ellipsis)."""
    parts = _parts(key)
    used = sum(p is not None and p is not Ellipsis for p in parts)
    out, axis = [], 0
    for p in parts:
        if p is None:
            out.append((p, None))
        elif p is Ellipsis:
            out.append((p, None))
            axis += ndim - used
        else:
            out.append((p, axis))
            axis += 1
    return out


class _Array(np.ndarray):
    def _key(self, key):
        return key

    def __getitem__(self, key):
        return np.ndarray.__getitem__(self, self._key(key))

    def __setitem__(self, key, value):
        np.ndarray.__setitem__(self, self._key(key), value)


class NegativeStep(_Array):
    def _key(self, key):
        def fix(part, axis):
            if not isinstance(part, slice) or part.step is None or part.step > 0:
                return part
            start, stop, step = part.indices(self.shape[axis])
            return slice(start, stop + 1, step)
        return tuple(fix(p, a) for p, a in _axes(key, self.ndim))


class ColumnMajor(_Array):
    def __getitem__(self, key):
        mask = np.asarray(key).view(np.ndarray) if isinstance(key, np.ndarray) else None
        if mask is None or mask.dtype != bool or mask.ndim < 2 or mask.shape != self.shape[:mask.ndim]:
            return np.ndarray.__getitem__(self, key)
        coords = np.argwhere(mask)
        return np.ndarray.__getitem__(self, tuple(coords[np.lexsort(coords.T)].T))


class NegativeInt(_Array):
    def _key(self, key):
        fixed = tuple(-(p + 1) if type(p) is int and p < 0 else p for p in _parts(key))
        return fixed if isinstance(key, tuple) else fixed[0]


class PythonScalar(_Array):
    def __getitem__(self, key):
        out = np.ndarray.__getitem__(self, key)
        return out.item() if np.ndim(out) == 0 else out


class SetitemEllipsis(_Array):
    def __setitem__(self, key, value):
        np.ndarray.__setitem__(self, tuple(p for p in _parts(key) if p is not Ellipsis), value)


class NoMasks(_Array):
    def _key(self, key):
        if any(isinstance(p, np.ndarray) and p.dtype.kind == "b" for p in _parts(key)):
            raise NotImplementedError("boolean indexing is not supported")
        return key


class _Info:
    def __init__(self, masks: bool):
        self.masks = masks

    def capabilities(self):
        return {"boolean indexing": self.masks, "data-dependent shapes": True, "max dimensions": 64}


class _Namespace(types.SimpleNamespace):
    def __getattr__(self, name):
        return getattr(np, name)


def _namespace(cls):
    return _Namespace(asarray=lambda x, dtype=None, **kwargs: np.asarray(x, dtype=dtype).view(cls),
                      __version__="0.0-indexing-bug")


negative_step = _namespace(NegativeStep)
column_major = _namespace(ColumnMajor)
negative_int = _namespace(NegativeInt)
python_scalar = _namespace(PythonScalar)
setitem_ellipsis = _namespace(SetitemEllipsis)
masks_omitted = _namespace(NoMasks)
masks_omitted.__array_namespace_info__ = lambda: _Info(False)
masks_claimed = _namespace(NoMasks)
masks_claimed.__array_namespace_info__ = lambda: _Info(True)
