"""nox sessions: the test suite, lint, the HTML report, one parity sweep per backend, the NumPy self-check,
and for CI (.github/workflows/parity.yml) one shard of one backend's sweep and the merge of all shards.

Every session installs with constraints.txt so PyTorch is the pinned CPU build.
"""

import nox

nox.options.sessions = ["lint", "tests"]
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
