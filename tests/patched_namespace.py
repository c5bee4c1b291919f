"""A library's namespace with some functions replaced: the planted-bug namespaces of the tests."""

import types


class Patched(types.SimpleNamespace):
    """The functions given, then everything else from ``base`` (a module or another namespace)."""

    def __init__(self, base, **functions):
        super().__init__(**functions)
        self._base = base

    def __getattr__(self, name):
        return getattr(self._base, name)
