"""PyInstaller's own hook for PySide6.QtGui, minus the Qt plugins listed in ``qt_plugins.py``.

Hooks in the spec's ``hookspath`` take precedence over PyInstaller's, so this replaces
``PyInstaller/hooks/hook-PySide6.QtGui.py`` (which is just the first call below).
"""

from __future__ import annotations

import runpy
from pathlib import Path

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
_filter = runpy.run_path(str(Path(__file__).with_name("qt_plugins.py")))["filter_binaries"]
binaries = _filter(binaries)
