"""array_api_strict with three injected name bugs, for tests/test_conform_names.py (``conform_names_bug:xp``).

``pi`` is missing, ``e`` is 2.7, and ``sort`` takes ``axis`` positionally only (the standard makes it
keyword-only: ``sort(x, /, *, axis=-1, descending=False, stable=True)``).
"""

import types

import array_api_strict


def _sort(x, axis=-1, /, *, descending=False, stable=True):
    return array_api_strict.sort(x, axis=axis, descending=descending, stable=stable)


class _Namespace(types.SimpleNamespace):
    def __getattr__(self, name):
        if name == "pi":
            raise AttributeError(name)
        return getattr(array_api_strict, name)


xp = _Namespace(e=2.7, sort=_sort, __version__="0.0-names-bug")
