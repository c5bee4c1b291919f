"""Every reproducer of a full sweep tells the truth (issue 11: reproducers people can paste upstream).

A whole-registry torch and dask run (two generated examples per case, to keep the suite's time): each
divergence's reproducer raises AssertionError, since the sweep just saw the divergence, and the same
input and check rendered for NumPy passes, so the script asserts that divergence and nothing else.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from parity import results
from parity.reproducer import check_reproducers


@pytest.mark.parametrize("backend", ["torch", "dask"])
def test_every_reproducer_of_a_full_sweep_raises_and_its_numpy_control_passes(backend, tmp_path):
    pytest.importorskip(backend)
    out = tmp_path / "run"
    proc = subprocess.run([sys.executable, "-m", "parity.cli", "run", "--backend", backend, "--seed", "0",
                           "--max-examples", "2", "-n", "2", "--out", str(out)], capture_output=True, text=True)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    counts, bad = check_reproducers(results.read(out / "results.json"), tmp_path)
    scripts = sum(n for (kind, which, _), n in counts.items() if which == "script")
    standalone = sum(n for (kind, which, _), n in counts.items() if which == "script" and kind == "standalone")
    assert scripts > 300, counts  # a full sweep: hundreds of divergences on either library
    assert standalone >= 0.95 * scripts, counts
    assert not bad, "\n".join(bad[:20])
