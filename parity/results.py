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

The format is the JSON Schema ``parity/data/results.schema.json`` (documented in
docs/results-schema.md); documents are checked against it when written and when read.
"""

from __future__ import annotations

import collections
import functools
import importlib.metadata
import json
import os
import platform
import queue
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from parity.taxonomy import STATUSES

SCHEMA = "array-parity/results"
#: Record fields that measure the machine, not the library: two runs of the same cases differ only in these.
MEASURED = ("duration_s", "calls_s", "peak_rss_mib")
SCHEMA_VERSION = 1


class ResultsError(ValueError):
    pass


def library_versions(dists) -> dict[str, str]:
    """Python's version and each installed distribution's of ``dists`` (parity.backends.reported_libraries)."""
    out = {"python": platform.python_version()}
    for dist in dists:
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


def write(path: Path, doc: dict[str, Any], *, checked=frozenset()) -> None:
    """``checked``: ids of records already validated where they were made (see :func:`validate`)."""
    validate(doc, checked=checked)
    write_atomic(path, dumps(doc))


def dumps(doc: dict[str, Any]) -> str:
    """results.json's text: the envelope indented, each record on one line. JSON's C encoder, which
    indentation turns off, writes 10,000 records in a third of the time; a line per record is also
    what grep and a line diff want."""
    records = doc.get("records")
    if not isinstance(records, list):
        return json.dumps(doc, indent=1, default=str) + "\n"
    marker = "\x00records\x00"
    text = json.dumps(doc | {"records": marker}, indent=1, default=str)
    lines = ",\n".join("  " + json.dumps(r, default=str) for r in records)
    return text.replace(json.dumps(marker), f"[\n{lines}\n ]" if records else "[]", 1) + "\n"


def results_file(path: str | Path) -> Path:
    """What a command given "results.json or the folder holding it" reads: the file in a folder, else the path."""
    path = Path(path)
    return path / "results.json" if path.is_dir() else path


def read(path: Path) -> dict[str, Any]:
    """Load and validate a results file; a document of an older schema version is upgraded when an
    upgrade is known, otherwise refused with a message that says what to do."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ResultsError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ResultsError(f"{path}: is a directory, not a results.json file") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ResultsError(f"{path}: not a results file (invalid JSON: {exc})") from None
    doc = upgrade(doc)
    validate(doc, str(path))
    return doc


#: Readers of older schema versions: version -> function turning such a document into the next
#: version. Empty while version 1 is the only one ever written; a format change adds one here.
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}
SCHEMA_FILE = Path(__file__).parent / "data" / "results.schema.json"


def upgrade(doc: Any) -> Any:
    """Bring a document of an older schema version up to :data:`SCHEMA_VERSION`, where known."""
    while (isinstance(doc, dict) and doc.get("schema") == SCHEMA and isinstance(doc.get("schema_version"), int)
           and doc["schema_version"] in UPGRADES and doc["schema_version"] < SCHEMA_VERSION):
        doc = UPGRADES[doc["schema_version"]](doc)
    return doc


@functools.cache
def json_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def categories() -> tuple[str, ...]:
    """The divergence categories, as the schema lists them (without importing the registry)."""
    return tuple(json_schema()["$defs"]["category"]["enum"])


@functools.cache
def _schema(part: str) -> dict[str, Any]:
    """The whole document's schema, or one record's."""
    whole = json_schema()
    return whole if part == "document" else {"$defs": whole["$defs"], "$ref": "#/$defs/record"}


@functools.cache
def _validator(part: str):
    import jsonschema

    return jsonschema.Draft202012Validator(_schema(part))


@functools.cache
def _fast_check(part: str):
    """The same schema compiled to Python by fastjsonschema, ~15 times faster than jsonschema on a
    record (a worker checks every record it makes; `parity report` reads 50,000). It only says
    valid or not: jsonschema, the reference, decides on what it refuses and words the problem."""
    import fastjsonschema

    # without $id, its references resolve in the schema itself (with it, fastjsonschema fetches the URL)
    local = {k: v for k, v in _schema(part).items() if k not in ("$id", "$schema")}
    return fastjsonschema.compile(local, use_default=False)


def record_problem(record: Any) -> str | None:
    """What makes one record unfit for a results file (its first problem, one line), or None. A worker
    checks each record it makes, so the controller's final check need not walk 10,000 records again."""
    return _first_problem("record", record, "record")


def validate(doc: Any, where: str = "results", *, checked=frozenset()) -> None:
    """Check a document against the JSON Schema (parity/data/results.schema.json); one-line
    ResultsError naming the first problem and where it is. The records whose ids are in ``checked``
    were validated where they were made (:func:`record_problem`) and are not walked again."""
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
        raise ResultsError(f"{where}: not an array-parity results file (schema is not {SCHEMA!r})")
    version = doc.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ResultsError(f"{where}: schema_version {version!r} is not a version number")
    if version > SCHEMA_VERSION:
        raise ResultsError(f"{where}: written by a newer array-parity (schema_version {version}); this one reads "
                           f"schema_version {SCHEMA_VERSION}: upgrade array-parity to read it")
    if version < SCHEMA_VERSION:
        raise ResultsError(f"{where}: written by an older array-parity (schema_version {version}) that this one "
                           f"cannot read (it reads {SCHEMA_VERSION}): run `parity run` again to regenerate it")
    records = doc.get("records")
    if checked and isinstance(records, list):  # the envelope, then each record nobody vouched for
        problem = _first_problem("document", doc | {"records": []}, "document")
        for i, record in enumerate(records):
            if not (problem or (isinstance(record, dict) and record.get("id") in checked)):
                problem = _first_problem("record", record, f"records[{i}]", f"records[{i}]")
    else:
        problem = _first_problem("document", doc, "document")
    if problem:
        raise ResultsError(f"{where}: {problem}")


def _first_problem(part: str, instance: Any, whole: str, prefix: str = "") -> str | None:
    """``location: message`` of the error jsonschema ranks first, or None."""
    import fastjsonschema
    import jsonschema

    try:
        _fast_check(part)(instance)
        return None
    except fastjsonschema.JsonSchemaException:
        pass
    error = jsonschema.exceptions.best_match(_validator(part).iter_errors(instance))
    if error is None:
        return None
    location = prefix + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    message = error.message if len(error.message) <= 200 else error.message[:200] + "..."
    return f"{location.lstrip('.') or whole}: {message}"


class JsonlLog:
    """Append-only log of records as they arrive; survives an interrupted run."""

    def __init__(self, path: Path, records: list[dict[str, Any]] | None = None):
        """A fresh log, or (resuming) one that starts with ``records``, rewritten whole so that
        a torn last line left by a killed run is gone before anything is appended."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        if records is not None:
            write_atomic(path, "".join(json.dumps(r, default=str) + "\n" for r in records))
        self._fh = open(path, "a" if records is not None else "w", encoding="utf-8")  # noqa: SIM115 - kept open

    def append(self, record: dict[str, Any], text: str | None = None) -> None:
        """``text``: the record's one-line JSON where the caller holds it (as a worker sent it)."""
        self._fh.write((text or json.dumps(record, default=str)) + "\n")
        self._fh.flush()

    def close(self) -> None:
        self._fh.close()


def read_log(path: Path) -> list[dict[str, Any]]:
    """The records of a ``records.jsonl``, also one cut short by ``kill -9``: an unterminated last
    line is dropped (it was being written; its case runs again); a bad complete line means the
    file is not a log of ours and raises ResultsError."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise ResultsError(f"{path}: cannot read the records log ({exc})") from None
    *complete, torn = text.split("\n")  # ``torn`` is "" unless the last write was cut short
    records = []
    for number, line in enumerate(complete, 1):
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            rec = None
        if not (isinstance(rec, dict) and isinstance(rec.get("id"), str) and rec.get("status") in STATUSES):
            raise ResultsError(f"{path}: line {number} is not an array-parity record, so this is not a records log "
                               f"of `parity run`; start afresh with --out")
        records.append(rec)
    return records


def unwritable(directory: Path) -> str | None:
    """Why ``directory`` cannot take results (created if missing, a probe file written and removed), or None."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        probe = directory / ".write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        return f"cannot write to output directory {directory}: {exc.strerror or exc}"
    return None


def reproducer_file(record: dict, divergence: dict) -> str:
    """Where a divergence's reproducer script is written, relative to the output folder: named by case
    and category, numbered from a case's second divergence of one category (a case can show two, e.g.
    two calls that raise where NumPy does not; one name for both kept only the last script)."""
    name = f"{record['id']}-{divergence['category']}".replace("[", "-").replace("]", "").replace(":", "_")
    alike = [d for d in record.get("divergences") or () if d.get("category") == divergence["category"]]
    n = next((i for i, d in enumerate(alike) if d is divergence), None)
    if n is None:
        n = alike.index(divergence) if divergence in alike else 0
    return f"reproducers/{name}{f'-{n + 1}' if n else ''}.py"


def write_reproducers(doc: dict[str, Any], out: Path) -> None:
    """Each divergence's reproducer script, in ``out/reproducers`` replaced whole (:class:`ReproducerFolder`)."""
    folder = ReproducerFolder(out)
    for record in doc["records"]:
        folder.add(record)
    folder.close(doc)


class ReproducerFolder:
    """``out/reproducers`` replaced whole: scripts are written into a fresh folder beside it, by a thread of
    their own as records arrive, and :meth:`close` swaps it in, so the folder holds one document's scripts
    only (none left from an earlier run in the same place) and never a half-written one. Written at a
    run's end, a torch sweep's 10,000 scripts took 0.4 s, and 3.5 s while the disk flushed results.json."""

    def __init__(self, out: Path):
        self.out = out
        for stale in out.glob(".reproducers.*"):  # left by a run that was killed
            shutil.rmtree(stale, ignore_errors=True)
        self.fresh = Path(tempfile.mkdtemp(dir=out, prefix=".reproducers."))
        self.written: dict[str, str] = {}  # name: script
        self.error: BaseException | None = None
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._write, name="array-parity-reproducers", daemon=True)
        self._thread.start()

    def add(self, record: dict[str, Any]) -> None:
        if any(d.get("reproducer") for d in record.get("divergences") or ()):
            self._queue.put(record)

    def _write(self) -> None:
        while (record := self._queue.get()) is not None:
            try:
                for name, script in _scripts(record) if self.error is None else ():
                    (self.fresh / name).write_text(script, encoding="utf-8")
                    self.written[name] = script
            except BaseException as exc:  # noqa: BLE001 - raised by close()
                self.error = exc

    def close(self, doc: dict[str, Any]) -> None:
        """Swap in the scripts of ``doc``'s records: those written meanwhile if they are exactly these
        (else written again); an error while writing is raised here."""
        self._queue.put(None)
        self._thread.join()
        try:
            if self.error is not None:
                raise self.error
            wanted = dict(pair for record in doc["records"] for pair in _scripts(record))
            if wanted != self.written:
                shutil.rmtree(self.fresh)
                self.fresh.mkdir()
                for name, text in wanted.items():
                    (self.fresh / name).write_text(text, encoding="utf-8")
            self.fresh.chmod(0o777 & ~_umask())  # mkdtemp makes folders private; the scripts are for sharing
            final = self.out / "reproducers"
            if final.exists():
                old = Path(tempfile.mkdtemp(dir=self.out, prefix=".reproducers-old."))
                final.rename(old / "reproducers")
                self.fresh.rename(final)
                shutil.rmtree(old, ignore_errors=True)
            else:
                self.fresh.rename(final)
        except BaseException:
            shutil.rmtree(self.fresh, ignore_errors=True)
            raise


def _scripts(record: dict[str, Any]):
    """(file name, script) of each of a record's divergences that has a reproducer."""
    for divergence in record.get("divergences") or ():
        if divergence.get("reproducer"):
            yield Path(reproducer_file(record, divergence)).name, divergence["reproducer"]
