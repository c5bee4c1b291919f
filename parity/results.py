"""results.json: the source of truth of a run, written incrementally and atomically.

Layout (``schema_version`` 1):

- ``schema``/``schema_version``: identify the format.
- ``run``: metadata: start/finish, duration, seed, examples, surface, argv, Python
  and platform, every library version, each backend with device and settings,
  the backends left out and why.
- ``records``: one per check. ``kind`` says what was checked: ``op-parity`` (one
  op on one backend/device/dtype against NumPy) today; conformance checks and
  ``crash``/``timeout`` records share the list. Each carries ``status`` and
  ``divergences``.
- ``summary``: counts per status and per backend, derived from the records.

While a run is going, each record is appended to ``records.jsonl`` as it
arrives, so an interrupted run still leaves what it found.
"""

from __future__ import annotations

import collections
import importlib.metadata
import json
import os
import platform
import sys
import tempfile
from pathlib import Path
from typing import Any

from parity.taxonomy import STATUSES

SCHEMA = "array-parity/results"
SCHEMA_VERSION = 1
LIBRARIES = ("numpy", "scipy", "hypothesis", "pytest", "pytest-xdist", "array-api-strict", "array-api-compat",
             "torch", "jax", "jaxlib", "dask", "cupy", "array-parity")


class ResultsError(ValueError):
    pass


def library_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for dist in LIBRARIES:
        try:
            out[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            pass
    return out


def platform_info() -> dict[str, str]:
    return {"system": platform.system(), "machine": platform.machine(), "python": sys.version.split()[0],
            "processor": platform.processor() or platform.machine()}


def summarize(records: list[dict[str, Any]]) -> dict[str, Any]:
    by_status = collections.Counter(r["status"] for r in records)
    per_backend: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    categories: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for r in records:
        per_backend[f"{r['backend']}:{r['device']}"][r["status"]] += 1
        for d in r.get("divergences", []):
            categories[f"{r['backend']}:{r['device']}"][f"{d['status']}:{d['category']}"] += 1
    return {
        "cases": len(records),
        "by_status": {s: by_status[s] for s in STATUSES if by_status[s]},
        "by_backend": {k: {s: v[s] for s in STATUSES if v[s]} for k, v in sorted(per_backend.items())},
        "divergences": {k: dict(sorted(v.items())) for k, v in sorted(categories.items())},
        "new": sum(1 for r in records for d in r.get("divergences", []) if d["status"] == "new"),
        "known": sum(1 for r in records for d in r.get("divergences", []) if d["status"] == "known"),
        "stale": sum(1 for r in records for d in r.get("divergences", []) if d["status"] == "stale"),
    }


def document(run: dict[str, Any], records: list[dict[str, Any]]) -> dict[str, Any]:
    records = sorted(records, key=lambda r: r["id"])
    return {"schema": SCHEMA, "schema_version": SCHEMA_VERSION, "run": run, "records": records,
            "summary": summarize(records)}


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes files private; a report is for sharing
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write(path: Path, doc: dict[str, Any]) -> None:
    validate(doc)
    write_atomic(path, json.dumps(doc, indent=1, sort_keys=False, default=str) + "\n")


def read(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ResultsError(f"{path}: no such file") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ResultsError(f"{path}: not a results file (invalid JSON: {exc})") from None
    validate(doc, str(path))
    return doc


def validate(doc: Any, where: str = "results") -> None:
    """Structural checks on a results document; one-line ResultsError on the first problem."""
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
        raise ResultsError(f"{where}: not an array-parity results file (schema is not {SCHEMA!r})")
    version = doc.get("schema_version")
    if version != SCHEMA_VERSION:
        raise ResultsError(f"{where}: schema_version {version!r} is not supported (this array-parity reads "
                           f"{SCHEMA_VERSION})")
    for key, kind in (("run", dict), ("records", list), ("summary", dict)):
        if not isinstance(doc.get(key), kind):
            raise ResultsError(f"{where}: field {key!r} missing or not a {kind.__name__}")
    for i, rec in enumerate(doc["records"]):
        for key in ("kind", "id", "status"):
            if key not in rec:
                raise ResultsError(f"{where}: records[{i}] lacks {key!r}")
        if rec["status"] not in STATUSES:
            raise ResultsError(f"{where}: records[{i}] has unknown status {rec['status']!r}")


class JsonlLog:
    """Append-only log of records as they arrive; survives an interrupted run."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._fh = open(path, "w", encoding="utf-8")  # noqa: SIM115 - kept open for the run

    def append(self, record: dict[str, Any]) -> None:
        self._fh.write(json.dumps(record, default=str) + "\n")
        self._fh.flush()

    def close(self) -> None:
        self._fh.close()
