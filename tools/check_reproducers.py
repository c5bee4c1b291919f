"""Run every reproducer of a sweep and its NumPy control; exit 1 if any lies.

    python tools/check_reproducers.py reports/torch/results.json [more results.json ...]

Each divergence's recorded reproducer must raise AssertionError (the divergence exists: the sweep
just saw it), and the same input and check rendered for ``numpy`` (``parity.reproducer.rendered_for``)
must exit 0 (so the script asserts that divergence and nothing else). Scripts run in this process
with runpy (a full torch sweep's in about ten seconds); counts are per standalone/fallback script.
"""

from __future__ import annotations

import collections
import contextlib
import io
import sys
import tempfile
import warnings
from pathlib import Path

from parity import results
from parity.reproducer import rendered_for


def outcome(text: str, path: Path) -> str:
    """"raise" (AssertionError), "pass" (exit 0) or "crash: ..." for a script run as __main__."""
    import runpy

    path.write_text(text)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), \
                warnings.catch_warnings():
            warnings.simplefilter("ignore")
            runpy.run_path(str(path), run_name="__main__")
    except AssertionError:
        return "raise"
    except SystemExit as exc:
        return "pass" if not exc.code else f"crash: exit {exc.code}"
    except Exception as exc:  # a reproducer that breaks otherwise is what this tool looks for
        return f"crash: {type(exc).__name__}: {str(exc)[:160]}"
    return "pass"


def check(path: str, folder: Path) -> tuple[collections.Counter, list[str]]:
    doc = results.read(Path(path))
    settings = {b["name"]: b.get("settings") for b in doc["run"]["backends"]}
    counts, bad = collections.Counter(), []
    for record in doc["records"]:
        for d in record["divergences"]:
            if not d.get("reproducer"):
                continue
            kind = "fallback" if "from parity.reproducer import" in d["reproducer"] else "standalone"
            said = outcome(d["reproducer"], folder / "script.py")
            try:
                control = outcome(rendered_for(record, d, "numpy", settings.get(record["backend"])), folder / "c.py")
            except ValueError as exc:  # the input no longer shows the divergence here
                control = f"crash: {exc}"
            counts[(kind, "script", said.split(":")[0])] += 1
            counts[(kind, "numpy", control.split(":")[0])] += 1
            if said != "raise" or control != "pass":
                bad.append(f"{record['id']} {d['category']}: script {said}; numpy control {control}")
    return counts, bad


def main(paths: list[str]) -> int:
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        for path in paths:
            counts, bad = check(path, Path(folder))
            print(path)
            for key, n in sorted(counts.items()):
                print(f"  {' '.join(key):32} {n}")
            for line in bad:
                print("  BAD", line)
            failed |= bool(bad)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
