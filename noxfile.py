"""nox sessions: the test suite, lint, the HTML report, one parity sweep per backend, the NumPy self-check.

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
    install(session, "torch,jax,dask,dev")
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


@nox.session
def numpy_selfcheck(session):
    """NumPy against itself over the whole registry for three seeds: must report zero divergences."""
    install(session)
    for seed in ("0", "1", "2"):
        session.run("parity", "run", "--backend", "numpy", "--seed", seed, "--out", f"reports/numpy-seed{seed}")
