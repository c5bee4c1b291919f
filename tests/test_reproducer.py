"""Inputs are inlined into reproducers exactly: every bit of value, dtype and shape survives."""

import numpy as np
import pytest
from numpy import inf, nan  # noqa: F401 - used by eval of generated literals

from opinfo.spec import Sample
from parity.literal import literal, sample_literal


@pytest.mark.parametrize("array", [
    np.array([nan, -0.0, 0.0, inf, -inf, 1e-45, 3.4028235e38], dtype=np.float32),
    np.array([5e-324, -1.7976931348623157e308, 0.1], dtype=np.float64),
    np.array([complex(nan, -0.0), complex(inf, nan), complex(1, 2)], dtype=np.complex64),
    np.array([np.iinfo(np.uint64).max, 0], dtype=np.uint64),
    np.array([np.iinfo(np.int8).min], dtype=np.int8),
    np.array([[True, False]]),
    np.empty((2, 0), dtype=np.int16),
    np.array(2.5, dtype=np.float32),
])
def test_literal_round_trips_bit_for_bit(array):
    rebuilt = eval(literal(array))
    assert rebuilt.dtype == array.dtype and rebuilt.shape == array.shape
    assert rebuilt.tobytes() == array.tobytes()


def test_sample_literal_is_runnable_python():
    sample = Sample((np.array([1.0, nan]), 2.5, [np.zeros(1, np.int8)]), {"axis": (0,), "dtype": np.dtype("int32")})
    scope = {"np": np, "nan": nan, "inf": inf}
    exec(sample_literal(sample), scope)
    assert scope["kwargs"] == {"axis": (0,), "dtype": np.dtype("int32")}
    assert isinstance(scope["kwargs"]["dtype"], np.dtype)  # not np.int32, the scalar type (equal, but no dtype)
    assert scope["args"][1] == 2.5 and scope["args"][2][0].dtype == np.int8
