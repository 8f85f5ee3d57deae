"""The core and the CLI never load PySide6, torch or transformers, and importing does nothing."""

from __future__ import annotations

import importlib
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

import terjman_desktop.core

FORBIDDEN = ("PySide6", "torch", "transformers", "shiboken6")


def test_core_and_cli_import_without_qt_torch_transformers(tmp_path: Path) -> None:
    # Every module, subpackages included (terjman_desktop.core.models.convert.*).
    modules = [
        m.name
        for m in pkgutil.walk_packages(terjman_desktop.core.__path__, "terjman_desktop.core.")
    ]
    assert "terjman_desktop.core.translate.engine" in modules
    assert "terjman_desktop.core.models.convert.model_bin" in modules
    home = tmp_path / "home"
    code = (
        "import importlib, sys\n"
        f"for name in {[*modules, 'terjman_desktop.cli']!r}:\n"
        "    importlib.import_module(name)\n"
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})\n"
        "print(','.join(loaded))\n"
    )
    env = {**os.environ, "TERJMAN_HOME": str(home)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=env, check=True, cwd=tmp_path)
    assert result.stdout.strip() == ""
    # Nothing happens at import time: no folder was created.
    assert not home.exists()


# --------------------------------------------------------------------------- the house's plan
# docs/DESIGN.md describes the wings; these tests keep the code and the plan the same.

REPO = Path(__file__).resolve().parents[1]
CORE = "terjman_desktop.core"
WINGS = ("documents", "history", "models", "translate")


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("terjman_desktop", "trainer", cache_dir=None)


def test_the_import_contracts_hold() -> None:
    """The contracts of pyproject.toml's [tool.importlinter] (layers, forbidden imports)."""
    result = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports\n"
                               "raise SystemExit(lint_imports(no_cache=True))"],
        cwd=REPO, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "broken" in result.stdout and " 0 broken" in result.stdout


def _cycles(graph: grimp.ImportGraph, modules: set[str]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module) & modules:
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(modules):
        if module not in index:
            visit(module)
    return sorted(found)


def test_no_module_imports_itself_back(graph: grimp.ImportGraph) -> None:
    """No import cycles anywhere in the app or the trainer (function-level imports count)."""
    ours = {m for m in graph.modules if m.split(".")[0] in ("terjman_desktop", "trainer")}
    assert _cycles(graph, ours) == []


def _public_names(wing: str) -> set[str]:
    module = importlib.import_module(f"{CORE}.{wing}")
    return set(getattr(module, "__all__", ()))


@pytest.mark.parametrize("wing", WINGS)
def test_a_wing_is_entered_through_its_public_surface(
    graph: grimp.ImportGraph, wing: str
) -> None:
    """Outside a wing (the GUI, the CLI, the other wings) only its ``__init__`` is imported.

    A submodule counts as public when the wing's ``__all__`` names it (``models.catalog``, a
    namespace of functions).
    """
    package = f"{CORE}.{wing}"
    public = _public_names(wing)
    assert public, f"{package}.__init__ names no public surface (__all__)"
    outsiders = {
        m for m in graph.modules
        if m.startswith("terjman_desktop.") and not (m == package or m.startswith(package + "."))
    }
    wrong = []
    for importer in sorted(outsiders):
        for imported in graph.find_modules_directly_imported_by(importer):
            if not imported.startswith(package + "."):
                continue
            first = imported[len(package) + 1:].split(".")[0]
            if imported.count(".") == package.count(".") + 1 and first in public:
                continue
            lines = [d["line_number"] for d in
                     graph.get_import_details(importer=importer, imported=imported)]
            wrong.append(f"{importer}:{lines} imports {imported}")
    assert wrong == [], "import these names from the wing itself:\n" + "\n".join(wrong)


def test_every_public_name_exists() -> None:
    for wing in WINGS:
        module = importlib.import_module(f"{CORE}.{wing}")
        missing = [name for name in _public_names(wing) if not hasattr(module, name)]
        assert missing == [], f"{CORE}.{wing}.__all__ names what it lacks: {missing}"
