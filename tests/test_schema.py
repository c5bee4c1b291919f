"""results.json against its JSON Schema: valid, corrupt, foreign, older and newer documents."""

import json
import os

import jsonschema
import pytest
from test_report import crash_record, embedded, make_doc, run_records

from opinfo.conformance import CATEGORIES as CONFORMANCE_CATEGORIES
from opinfo.spec import CATEGORIES
from parity import report, results
from parity.taxonomy import STATUSES


@pytest.fixture(scope="module")
def doc():
    return make_doc(run_records("fake_xp:xp") + [crash_record()])


def test_schema_file_is_a_valid_json_schema_in_step_with_the_code():
    schema = results.json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["schema"]["const"] == results.SCHEMA
    assert schema["properties"]["schema_version"]["const"] == results.SCHEMA_VERSION
    assert tuple(schema["$defs"]["status"]["enum"]) == STATUSES
    assert results.categories() == CATEGORIES + CONFORMANCE_CATEGORIES
    assert set(CATEGORIES) | {"crash", "timeout"} <= set(report.CATEGORY_COLOURS)


def test_real_document_is_valid_and_round_trips(doc, tmp_path):
    path = tmp_path / "results.json"
    results.write(path, doc)
    assert results.read(path) == json.loads(json.dumps(doc))
    lines = path.read_text().splitlines()  # the envelope indented, a line per record
    on_lines = [json.loads(line.rstrip(",")) for line in lines if line.startswith("  {")]
    assert on_lines == json.loads(json.dumps(doc))["records"]
    with pytest.raises(jsonschema.ValidationError):  # the schema itself refuses a broken record, not only our code
        jsonschema.validate({**doc, "records": [{"kind": "op-parity", "id": "x", "status": "parity"}]},
                            results.json_schema())


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda d: d["records"][3].update(status="bogus"), "records[3].status: 'bogus' is not one of"),
    (lambda d: d["records"][1]["divergences"][0].update(category="weird"), "records[1].divergences[0].category"),
    (lambda d: d["records"][4].pop("backend"), "records[4]: 'backend' is a required property"),
    (lambda d: d.pop("run"), "document: 'run' is a required property"),
    (lambda d: d["run"].update(seed="zero"), "run.seed: 'zero' is not of type 'integer'"),
    (lambda d: d.update(records={}), "records: {} is not of type 'array'"),
])
def test_invalid_document_names_the_problem_and_where(doc, tmp_path, mutate, message):
    bad = json.loads(json.dumps(doc))
    mutate(bad)
    path = tmp_path / "results.json"
    path.write_text(json.dumps(bad))
    with pytest.raises(results.ResultsError) as info:
        results.read(path)
    assert str(info.value).startswith(f"{path}: ") and message in str(info.value)
    assert "\n" not in str(info.value)


def test_invalid_document_is_refused_when_written_and_the_old_file_stays(doc, tmp_path):
    path = tmp_path / "results.json"
    results.write(path, doc)
    before = path.read_text()
    bad = json.loads(json.dumps(doc))
    bad["records"][0]["status"] = "bogus"
    with pytest.raises(results.ResultsError):
        results.write(path, bad)
    assert path.read_text() == before and [p.name for p in tmp_path.iterdir()] == ["results.json"]


def test_records_checked_where_they_were_made_are_not_walked_again_and_the_others_are(doc, tmp_path):
    bad = json.loads(json.dumps(doc))
    bad["records"][3]["status"] = "bogus"
    ids = {r["id"] for r in bad["records"]}
    results.validate(bad, checked=ids)  # every record vouched for: only the envelope is checked here
    with pytest.raises(results.ResultsError, match=r"records\[3\]\.status: 'bogus' is not one of"):
        results.validate(bad, checked=ids - {bad["records"][3]["id"]})
    with pytest.raises(results.ResultsError, match=r"run\.seed: 'zero'"):  # the envelope still is
        results.write(tmp_path / "results.json", {**bad, "run": {**bad["run"], "seed": "zero"}}, checked=ids)
    assert results.record_problem(bad["records"][3]).startswith("status: 'bogus' is not one of")
    assert results.record_problem(doc["records"][3]) is None


REPLACEMENTS = (None, True, 0, -1, 2.5, "x", "", [], {}, [None], {"x": 1})


def _mutants(value):
    """``value`` changed at one place: each key dropped, an unknown key added to each object, each
    value at every depth replaced by each of REPLACEMENTS (in a list, its first two items: the rest
    are alike)."""
    yield from ((repl, "replaced") for repl in REPLACEMENTS if repl != value or type(repl) is not type(value))
    if isinstance(value, dict):
        for key in value:
            yield {k: v for k, v in value.items() if k != key}, f"without {key}"
            for inner, how in _mutants(value[key]):
                yield value | {key: inner}, f"{key}: {how}"
        yield value | {"unknown_field": 1}, "unknown field"
    elif isinstance(value, list):
        for i, item in enumerate(value[:2]):
            for inner, how in _mutants(item):
                yield [*value[:i], inner, *value[i + 1:]], f"[{i}]: {how}"


def test_the_fast_first_pass_and_jsonschema_agree_on_every_mutant(doc):
    """fastjsonschema's verdict stands for jsonschema's on valid documents: they must agree on every
    document changed at one place (a record of each status, and the envelope)."""
    import fastjsonschema

    def verdicts(part, instance):
        try:
            results._fast_check(part)(instance)
            fast = True
        except fastjsonschema.JsonSchemaException:
            fast = False
        return fast, results._validator(part).is_valid(instance)

    plain = json.loads(json.dumps(doc))
    by_status = {r["status"]: r for r in plain["records"]}
    checked = 0
    for record in by_status.values():
        for mutant, how in _mutants(record):
            fast, reference = verdicts("record", mutant)
            assert fast == reference, (record["id"], how)
            checked += 1
    envelope = plain | {"records": plain["records"][:2]}
    for mutant, how in _mutants(envelope):
        if isinstance(mutant, dict) and "records" in mutant and not isinstance(mutant["records"], list):
            continue
        fast, reference = verdicts("document", mutant)
        assert fast == reference, how
        checked += 1
    assert len(by_status) >= 3 and checked > 1500


def test_a_record_unfit_for_the_schema_is_its_cases_harness_error():
    from parity.case import Case
    from parity.execute import sealed

    case = Case("sort", "numpy", "cpu", "float64", "native")
    good = run_records("fake_xp:xp")[0]
    assert sealed(good, case) == (json.loads(json.dumps(good)), json.dumps(good))
    record, text = sealed({**good, "status": "bogus", "extra": (1, 2)}, case)
    assert record["status"] == "harness-error" and record["id"] == case.id and json.loads(text) == record
    assert "its record is not valid (status: 'bogus' is not one of" in record["reason"]
    assert results.record_problem(record) is None


@pytest.mark.parametrize(("content", "message"), [
    ("{not json", "not a results file (invalid JSON"),
    ('{"schema": "array-parity/results", "schema_vers', "invalid JSON"),
    ("[1, 2]", "not an array-parity results file"),
    ('{"name": "package.json", "version": "1.0"}', "not an array-parity results file"),
    ('{"schema": "array-parity/results", "schema_version": "1"}', "schema_version '1' is not a version number"),
])
def test_corrupt_and_foreign_files(tmp_path, content, message):
    path = tmp_path / "results.json"
    path.write_text(content)
    with pytest.raises(results.ResultsError, match=message.replace("(", r"\(")):
        results.read(path)


def test_older_and_newer_schema_versions_say_what_to_do(doc, tmp_path):
    path = tmp_path / "results.json"
    path.write_text(json.dumps({**doc, "schema_version": 0}))
    with pytest.raises(results.ResultsError, match=r"older array-parity \(schema_version 0\).*run `parity run` again"):
        results.read(path)
    path.write_text(json.dumps({**doc, "schema_version": 2}))
    with pytest.raises(results.ResultsError, match=r"newer array-parity \(schema_version 2\).*upgrade array-parity"):
        results.read(path)


def test_an_older_version_with_a_known_upgrade_is_read(doc, tmp_path, monkeypatch):
    """The upgrade path a format change will use: version 0 had 'cases' where version 1 has 'records'."""
    old = {k: v for k, v in doc.items() if k != "records"} | {"schema_version": 0, "cases": doc["records"]}

    def from_v0(d):
        d = {k: v for k, v in d.items() if k != "cases"} | {"records": d["cases"], "schema_version": 1}
        return d

    monkeypatch.setitem(results.UPGRADES, 0, from_v0)
    path = tmp_path / "results.json"
    path.write_text(json.dumps(old))
    read = results.read(path)
    assert read["schema_version"] == 1 and len(read["records"]) == len(doc["records"])
    data, _ = embedded(report.render_html(read))
    assert len(data["r"]) == len(doc["records"])


def test_scripts_written_as_records_come_are_the_documents_own(doc, tmp_path):
    """A run writes scripts as records arrive (a thread of their own); at the end the folder holds
    exactly what writing the final document would: a record that came twice keeps its last scripts, one
    that is not in the document leaves none."""
    with_scripts = [r for r in doc["records"] if any(d.get("reproducer") for d in r.get("divergences", []))]
    (tmp_path / "whole").mkdir()
    (tmp_path / "run").mkdir()
    results.write_reproducers(doc, tmp_path / "whole")
    folder = results.ReproducerFolder(tmp_path / "run")
    first, *rest = with_scripts
    stale = first | {"divergences": [d | {"reproducer": "raise SystemExit('stale')"} for d in first["divergences"]]}
    extra = first | {"id": "extra-" + first["id"]}  # not in the document (as no run makes): written again
    for record in [stale, *rest, extra, first]:
        folder.add(record)
    folder.close(doc)
    whole, run = (sorted((p.name, p.read_text()) for p in (tmp_path / d / "reproducers").iterdir())
                  for d in ("whole", "run"))
    assert run == whole and len(run) >= 2
    assert [p.name for p in (tmp_path / "run").iterdir()] == ["reproducers"]


def test_reproducers_folder_holds_the_documents_scripts_only(doc, tmp_path):
    """Rewritten whole: a second run into the same folder leaves none of the first run's scripts; the
    folder and its scripts are as readable as any file the user makes (mkdtemp's are private)."""
    with_scripts = [r for r in doc["records"] if any(d.get("reproducer") for d in r.get("divergences", []))]
    results.write_reproducers(doc, tmp_path)
    folder = tmp_path / "reproducers"
    first = sorted(p.name for p in folder.iterdir())
    expected = sorted({results.reproducer_file(r, d).split("/")[1] for r in with_scripts
                       for d in r["divergences"] if d.get("reproducer")})
    assert first == expected and len(first) >= 2
    results.write_reproducers(doc | {"records": with_scripts[1:]}, tmp_path)
    second = sorted(p.name for p in folder.iterdir())
    assert second and set(second) < set(first)
    assert [p.name for p in tmp_path.iterdir()] == ["reproducers"]  # no temporary folder left
    umask = os.umask(0)
    os.umask(umask)
    assert folder.stat().st_mode & 0o777 == 0o777 & ~umask
    assert all(p.stat().st_mode & 0o777 == 0o666 & ~umask for p in folder.iterdir())


def test_each_divergence_has_a_reproducer_file_of_its_own():
    """Two divergences of one category in a case (two calls that raise) get two scripts, not one."""
    record = {"id": "clip[torch-cpu-uint16]", "divergences": [
        {"category": "error", "reproducer": "a"}, {"category": "value", "reproducer": "b"},
        {"category": "error", "reproducer": "c"}]}
    names = [results.reproducer_file(record, d) for d in record["divergences"]]
    assert names == ["reproducers/clip-torch-cpu-uint16-error.py", "reproducers/clip-torch-cpu-uint16-value.py",
                     "reproducers/clip-torch-cpu-uint16-error-2.py"]
    assert results.reproducer_file(record, dict(record["divergences"][2])) == names[2]  # a copy: found by equality
