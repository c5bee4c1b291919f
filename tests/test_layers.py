"""The two layers and their imports: ``opinfo`` (data) imports nothing from ``parity`` (engine), and
no module of either imports itself through others.

Read from the source with ``ast``, so every import statement counts: at module level and inside
functions (those run later, but they run). Only imports under ``if TYPE_CHECKING:`` are left out of
the cycle check, as they never run.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("opinfo", "parity")


def _modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).glob("*.py")):
            modules[package if path.stem == "__init__" else f"{package}.{path.stem}"] = path
    return modules


def _is_type_checking(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(path: Path, *, runtime_only: bool) -> list[tuple[int, str, str | None]]:
    """(line, module, name) for every import statement: ``import a.b`` gives ("a.b", None),
    ``from a import b`` gives ("a", "b")."""
    found = []

    def visit(node):
        if runtime_only and isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.extend((node.lineno, node.module, alias.name) for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(), str(path)))
    return found


def _target(module: str, name: str | None, modules: dict[str, Path]) -> str | None:
    """The project module an import loads: ``from X import Y`` is X.Y when that is a module, else X."""
    if name is not None and f"{module}.{name}" in modules:
        return f"{module}.{name}"
    return module if module in modules else None


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    graph = {m: set() for m in modules}
    for module, path in modules.items():
        for _, target, name in _imports(path, runtime_only=True):
            resolved = _target(target, name, modules)
            if resolved and resolved != module:
                graph[module].add(resolved)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a path that ends where it starts, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    stack: list[str] = []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_opinfo_imports_nothing_from_parity():
    offending = [f"{path.relative_to(ROOT)}:{line}: {target}" + (f" ({name})" if name else "")
                 for module, path in _modules().items() if module.split(".")[0] == "opinfo"
                 for line, target, name in _imports(path, runtime_only=False)
                 if target.split(".")[0] == "parity"]
    assert not offending, "opinfo must not import parity:\n" + "\n".join(offending)


def test_no_import_cycle():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_the_cycle_finder_finds_cycles():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_engine_modules_stay_small():
    """One concern per module: the plugin keeps only pytest hooks, no engine module outgrows a page or two."""
    sizes = {p.name: len(p.read_text().splitlines()) for p in (ROOT / "parity").glob("*.py")}
    assert sizes["plugin.py"] < 250, sizes["plugin.py"]
    assert max(sizes.values()) <= 450, {k: v for k, v in sizes.items() if v > 450}


def test_loading_the_pytest_plugin_imports_no_array_library():
    """pytest loads the plugin (an entry point) in every session of an environment that has array-parity:
    that must not import NumPy, the registry or a backend."""
    import subprocess
    import sys

    code = "import sys, parity.plugin; print(sorted(m for m in ('numpy', 'opinfo.registry', 'parity.backends') " \
           "if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
