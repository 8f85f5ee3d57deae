"""A built wheel carries what the app needs at run time outside a checkout.

The catalog, icons and UI translations live in the top-level ``resources/`` folder; the wheel
maps them into ``terjman_desktop/resources`` (pyproject.toml). Installed from the wheel into a
fresh folder, away from the checkout, the app must still find its bundled catalog.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "terjman_desktop", "trainer", "resources")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("setuptools")
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:  # a copy, so building never writes build/ into the checkout
        origin = REPO / name
        if origin.is_dir():
            shutil.copytree(origin, source / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(origin, source / name)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--no-index", "--quiet", "-w", str(out), str(source)],
        check=True, capture_output=True, text=True,
    )
    (built,) = out.glob("terjman_desktop-*.whl")
    return built


@pytest.mark.slow
def test_wheel_carries_resources_and_configs(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "terjman_desktop/resources/catalog.json",
        "terjman_desktop/resources/icons/terjman.svg",
        "terjman_desktop/resources/translations/terjman_ar.qm",
        "terjman_desktop/resources/translations/terjman_fr.qm",
        "terjman_desktop/py.typed",
        "terjman_desktop/core/translate/engine.py",
        "terjman_desktop/gui/main_window.py",
        "trainer/configs/nano.yaml",
        "trainer/train.py",
    }
    assert expected <= names, sorted(expected - names)
    # Sources of the translations and the tool that compiles them stay out.
    assert not [n for n in names if n.endswith((".ts", "translations/build.py"))]
    assert not [n for n in names if n.startswith(("tests/", "benchmarks/", "resources/"))]


@pytest.mark.slow
def test_wheel_carries_every_module_of_the_checkout(wheel: Path) -> None:
    """pyproject.toml lists the packages by hand: a new subpackage must not be left out."""
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {
        path.relative_to(REPO).as_posix()
        for top in ("terjman_desktop", "trainer")
        for path in (REPO / top).rglob("*.py")
        if "__pycache__" not in path.parts
    }
    assert modules <= names, sorted(modules - names)


@pytest.mark.slow
def test_installed_wheel_finds_its_catalog_away_from_the_checkout(
    wheel: Path, tmp_path: Path
) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet",
         "--target", str(target), str(wheel)],
        check=True, capture_output=True, text=True,
    )
    script = (
        "import terjman_desktop.core.models.catalog as c\n"
        "import terjman_desktop.core.paths as p\n"
        "print(c.__file__)\n"
        "print(p.resources_dir())\n"
        "print(len(c.from_file(c.bundled_path()).entries))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env,
                            check=True, capture_output=True, text=True)
    module, resources, entries = result.stdout.splitlines()
    assert Path(module).is_relative_to(target)
    assert Path(resources) == target / "terjman_desktop" / "resources"
    assert int(entries) > 0
