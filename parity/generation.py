"""Hypothesis as the runner uses it: inputs that depend on the seed and the case only."""

from __future__ import annotations

import contextlib


@contextlib.contextmanager
def seed_only_generation():
    """Generated inputs that depend on the seed and the case only.

    Hypothesis (6.131 and later) also draws literal constants found in the source of every *local*
    module loaded in the process (any module outside site-packages: the harness itself under an
    editable install, a user's backend module). A run's inputs then changed with every edit of the
    harness's source and with which modules a process happened to import (``-n 0`` and ``-n 2``
    drew different inputs for the same case), and a reorganisation of the registry modules made the
    sweep 2.5 times slower. Hypothesis has no setting for it, so its local-constant pool is held
    empty while the runner generates; its global constants (special floats, boundary integers) stay.
    """
    from hypothesis.internal.conjecture import providers

    original = getattr(providers, "_get_local_constants", None)
    if original is None or not hasattr(providers, "Constants"):  # a Hypothesis without the pool
        yield
        return
    empty = providers.Constants()
    providers._get_local_constants = lambda: empty
    _forget_constants(providers)  # what was cached from the pool before must not be drawn either
    try:
        yield
    finally:
        providers._get_local_constants = original
        _forget_constants(providers)


def _forget_constants(providers) -> None:
    cache = getattr(getattr(providers, "CONSTANTS_CACHE", None), "cache", None)
    if cache is not None:
        cache.clear()
