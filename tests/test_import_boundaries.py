"""The core and the CLI never load PySide6, torch or transformers, and importing does nothing."""

from __future__ import annotations

import os
import pkgutil
import subprocess
import sys
from pathlib import Path

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
