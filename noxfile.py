"""nox sessions: the test suite, lint, the HTML report, one parity sweep per backend, the NumPy self-check,
and for CI (.github/workflows/parity.yml) one shard of one backend's sweep and the merge of all shards.

Every session installs with constraints.txt so PyTorch is the pinned CPU build.
"""

import nox

nox.options.sessions = ["lint", "check", "tests"]
BACKENDS = {"numpy": "", "array_api_strict": "", "torch": "torch", "jax": "jax", "dask": "dask"}


def install(session, extras=""):
    target = f".[{extras}]" if extras else "."
    session.install("-c", "constraints.txt", "-e", target)


@nox.session
def tests(session):
    """The project's own tests (the README's test command)."""
    install(session, "torch,jax,dask,third-party,dev")
    session.run("pytest", "-n", "2", *session.posargs)


@nox.session
def lint(session):
    session.install("ruff")
    session.run("ruff", "check", ".")


@nox.session
def check(session):
    """The registry lint (parity check): every entry and declaration well formed, in seconds.
    ``nox -s check -- --stale`` also runs the declared cases and lists declarations that no longer occur."""
    install(session, "torch,jax,dask")
    session.run("parity", "check", *session.posargs)


@nox.session
def docs(session):
    """docs/divergences.md from the registry's declarations and each backend's coverage (parity docs)."""
    install(session, "torch,jax,dask")
    session.run("parity", "docs", *session.posargs)


@nox.session
def report(session):
    """The HTML parity report for every available CPU backend."""
    install(session, "torch,jax,dask")
    session.run("parity", "run", *session.posargs, success_codes=[0, 1])


@nox.session
@nox.parametrize("backend", list(BACKENDS))
def parity(session, backend):
    """One backend's sweep, written to reports/<backend>."""
    install(session, BACKENDS[backend])
    session.run("parity", "run", "--backend", backend, "--out", f"reports/{backend}", *session.posargs)


#: Array API libraries the project ships no backend for, as a user names them: run over the whole registry.
THIRD_PARTY = {"sparse": "sparse", "marray": "marray:masked_namespace(numpy)"}


@nox.session
def third_party(session):
    """Whole-registry runs of third-party Array API libraries (pydata sparse, marray), then
    docs/third-party.md from them; fails when a case is on the harness's side (unreadable, harness-error)."""
    install(session, "third-party")
    folders = []
    for name, spec in THIRD_PARTY.items():
        folders.append(f"reports/third-party/{name}")
        session.run("parity", "run", "--backend", spec, "-q", "--out", folders[-1], *session.posargs,
                    success_codes=[0, 1])
    session.run("python", "tools/third_party_doc.py", *folders, "-o", "docs/third-party.md")


@nox.session
def numpy_selfcheck(session):
    """NumPy against itself over the whole registry for three seeds: must report zero divergences."""
    install(session)
    for seed in ("0", "1", "2"):
        session.run("parity", "run", "--backend", "numpy", "--seed", seed, "--out", f"reports/numpy-seed{seed}")


def shard_dir(backend: str, part: str) -> str:
    """Where ``shard`` writes: reports/<backend>-shard<K>of<N> (the CI workflow uploads it)."""
    k, n = part.split("/")
    return f"reports/{backend}-shard{k}of{n}"


@nox.session
def shard(session):
    """One shard of one backend's sweep: nox -s shard -- BACKEND K/N [more parity run options].

    Exit status 0 also when the shard found divergences: the merge decides the gate."""
    if len(session.posargs) < 2 or session.posargs[0] not in BACKENDS:
        session.error(f"usage: nox -s shard -- BACKEND K/N [options]; BACKEND one of {', '.join(BACKENDS)}")
    backend, part, *options = session.posargs
    install(session, BACKENDS[backend])
    session.run("parity", "run", "--backend", backend, "--shard", part, "--out", shard_dir(backend, part), *options,
                success_codes=[0, 1])


@nox.session
def merge(session):
    """Join shard results into one results.json and report: nox -s merge -- OUT DIR...

    Exit status 1 when anything is new, stale, crashed or timed out (the CI gate)."""
    if len(session.posargs) < 2:
        session.error("usage: nox -s merge -- OUT DIR...")
    out, *dirs = session.posargs
    install(session)
    session.run("parity", "merge", *dirs, "-o", out)



def baseline_paths():
    """Where the baselines are (PARITY_BASELINES, default baselines/) and where the baseline sessions run
    (PARITY_BASELINE_OUT, default reports/baseline): the tests point both at a temporary folder."""
    import os

    return os.environ.get("PARITY_BASELINES", "baselines"), os.environ.get("PARITY_BASELINE_OUT", "reports/baseline")


def baseline_commands(folder):
    """backend -> the ``parity run`` command its baseline in ``folder`` was written from."""
    import json
    import pathlib

    return {head["backend"]: head["command"] for head in
            (json.loads(path.read_text(encoding="utf-8")) for path in sorted(pathlib.Path(folder).glob("*.json")))}


def run_baselines(session, commands, out):
    """Install what the backends need and run each with its baseline's options; the results folders."""
    import re

    install(session, ",".join(sorted({BACKENDS.get(name, "") for name in commands} - {""})))
    folders = []
    for name, command in commands.items():
        folders.append(out + "/" + re.sub(r"[^\w.-]+", "_", name, flags=re.ASCII))  # as parity.baseline.file_name
        session.run(*command, "--out", folders[-1], success_codes=[0, 1])
    return folders


@nox.session
def baseline(session):
    """Each backend with a baseline in baselines/ (or those named: nox -s baseline -- torch jax) run afresh with
    its baseline's options, then parity baseline diff: exit status 1 when a divergence was added or got worse.
    The Markdown goes to the CI job summary ($GITHUB_STEP_SUMMARY), else to reports/baseline/diff.md."""
    import os
    import pathlib

    folder, out = baseline_paths()
    found = baseline_commands(folder)
    missing = [name for name in session.posargs if name not in found]
    if missing or not found:
        session.error(f"no baseline in {folder} for {', '.join(missing) or 'any backend'}: write one with "
                      f"nox -s update_baselines -- BACKEND")
    folders = run_baselines(session, {name: found[name] for name in session.posargs or found}, out)
    markdown = os.environ.get("GITHUB_STEP_SUMMARY") or f"{out}/diff.md"
    if not os.environ.get("GITHUB_STEP_SUMMARY"):
        pathlib.Path(markdown).unlink(missing_ok=True)  # parity baseline diff appends (a job summary gathers steps)
    session.run("parity", "baseline", "diff", *folders, "--baselines", folder, "--markdown", markdown)


@nox.session
def update_baselines(session):
    """Run each backend with a baseline again (or those named, a new one with the default options: nox -s
    update_baselines -- torch) and rewrite its baselines/<backend>.json: after a change meant to change results
    (a library pinned anew in constraints.txt, a comparator fixed). Review the git diff of baselines/ first."""
    folder, out = baseline_paths()
    found = baseline_commands(folder)
    commands = {name: found.get(name, ["parity", "run", "--backend", name]) for name in session.posargs} or found
    if not commands:
        session.error(f"no baselines in {folder}: name the backends, e.g. nox -s update_baselines -- numpy torch")
    session.run("parity", "baseline", "write", *run_baselines(session, commands, out), "-o", folder)
