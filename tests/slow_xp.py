"""NumPy, made slow on demand, for the interruption tests (given as ``slow_xp:xp``).

While the file named by the environment variable ``SLOW_XP_GATE`` exists, every function call
sleeps ``DELAY`` seconds first, so a run is still going when the test kills it, however loaded the
machine; without the file it is NumPy at full speed and its records are those of any other run.
"""

import os
import time
import types

import numpy as np

DELAY = 0.05


def _slowed(f):
    def call(*args, **kwargs):
        gate = os.environ.get("SLOW_XP_GATE")
        if gate and os.path.exists(gate):
            time.sleep(DELAY)
        return f(*args, **kwargs)

    call.__name__ = getattr(f, "__name__", "call")
    return call


class _Namespace(types.SimpleNamespace):
    def __getattr__(self, name):
        value = getattr(np, name)
        return _slowed(value) if callable(value) and not isinstance(value, type) else value


xp = _Namespace(__version__="0.0-slow")
