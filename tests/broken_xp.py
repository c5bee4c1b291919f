"""A deliberately broken NumPy-like namespace for the reliability tests (given as ``broken_xp:xp``).

Everything is NumPy's except four ops, each broken the way a real library can be:
``expm1`` segfaults, ``log1p`` hangs inside C code while holding the GIL (so no Python-level
timeout can interrupt it), ``exp`` allocates without bound, ``tan`` dies of SIGKILL as if the
system's out-of-memory killer took it, and ``sin`` is right but prints to stdout and stderr, from
Python and at the file-descriptor level, and warns.
"""

import ctypes
import os
import signal
import sys
import types
import warnings

import numpy as np

print("broken_xp: import-time chatter on stdout")
warnings.warn("broken_xp: import-time warning", UserWarning, stacklevel=1)


def _expm1(x):
    ctypes.string_at(0)  # SIGSEGV


def _log1p(x):
    ctypes.PyDLL(None).sleep(3600)  # PyDLL keeps the GIL: a C-level hang no Python thread can break


def _exp(x):
    hoard = []
    while True:
        hoard.append(np.ones(1 << 22))  # 32 MiB at a time, each page touched


def _tan(x):
    os.kill(os.getpid(), signal.SIGKILL)


def _sin(x):
    print("broken_xp: chatter on stdout", {"id": "sin", "status": "crash"})
    print("broken_xp: chatter on stderr", file=sys.stderr)
    os.write(1, b"broken_xp: raw bytes on fd 1 \x00\xff\n")
    os.write(2, b"broken_xp: raw bytes on fd 2\n")
    warnings.warn("broken_xp: a warning from inside the op", RuntimeWarning, stacklevel=1)
    return np.sin(x)


class _Namespace(types.SimpleNamespace):
    def __getattr__(self, name):  # everything else is NumPy's
        return getattr(np, name)


xp = _Namespace(expm1=_expm1, log1p=_log1p, exp=_exp, tan=_tan, sin=_sin, asarray=np.asarray,
                __version__="0.0-broken")
