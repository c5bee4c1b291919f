"""Hypothesis as the runner uses it: inputs that depend on the seed and the case only."""

from __future__ import annotations

import contextlib
import functools


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
    cache = getattr(providers, "CONSTANTS_CACHE", None)
    if original is None or cache is None or not hasattr(providers, "Constants"):  # a Hypothesis without the pool
        yield
        return
    providers._get_local_constants = _no_local_constants(providers)
    # Hypothesis caches, per kind of draw, the constants a draw may take; built from an empty pool, the
    # entries hold for every case, so the runner keeps a cache of its own across cases (filling it anew
    # for each case was 3% of a torch sweep) and Hypothesis's, built from its pool, is left as it was.
    providers.CONSTANTS_CACHE = _seed_only_cache(type(cache))
    try:
        yield
    finally:
        providers._get_local_constants = original
        providers.CONSTANTS_CACHE = cache


@functools.cache
def _no_local_constants(providers):
    empty = providers.Constants()
    return lambda: empty


@functools.cache
def _seed_only_cache(kind):
    return kind(1024)
