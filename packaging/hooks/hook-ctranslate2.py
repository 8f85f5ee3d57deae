"""PyInstaller hook for CTranslate2 (neither PyInstaller nor pyinstaller-hooks-contrib has one).

What a frozen app needs from the ``ctranslate2`` wheel, per platform:

* Linux (manylinux wheel, repaired by auditwheel): ``ctranslate2/_ext.*.so`` links
  ``libctranslate2-<hash>.so.4`` and ``libgomp-<hash>.so.1`` from the sibling folder
  ``ctranslate2.libs/`` through an ``$ORIGIN/../ctranslate2.libs`` RPATH. They are collected into
  ``ctranslate2.libs/`` again so the RPATH still resolves in the bundle.
* macOS (delocated wheel): ``libctranslate2.*.dylib`` (and ``libomp``/``libiomp5`` when the wheel
  has it) in ``ctranslate2/.dylibs/``.
* Windows: ``ctranslate2.dll``, Intel's OpenMP runtime ``libiomp5md.dll`` and ``cudnn64_*.dll``
  inside ``ctranslate2/``. The package's ``__init__`` adds that folder to the DLL search path and
  loads *every* ``*.dll`` found there, so they must stay in ``ctranslate2/`` (not the bundle's
  top level). Only one OpenMP runtime may be loaded in a process: ``packaging/terjman.spec``
  removes any second ``libiomp5md.dll`` that dependency analysis drags in from elsewhere (see
  ``packaging/README.md``, "Duplicate OpenMP runtimes").

``ctranslate2.converters`` imports torch/transformers to convert models: it is left out (the
package imports it lazily). ``ctranslate2.specs`` needs numpy only (it tries torch and does
without): the app converts Hugging Face checkpoints on the user's machine with it
(``terjman_desktop.core.models.convert``), so it is in the bundle, with numpy.
"""

from __future__ import annotations

from pathlib import Path

from PyInstaller.utils.hooks import collect_data_files, collect_dynamic_libs, get_package_paths

# Modules the package reaches through C++ or lazily; listed so that analysis never misses them.
hiddenimports = [
    "ctranslate2.specs",
    "ctranslate2._ext",
    "ctranslate2.extensions",
    "ctranslate2.logging",
    "ctranslate2.models",
    "ctranslate2.version",
]

# CTranslate2's converters pull torch and transformers: never in the app.
excludedimports = ["ctranslate2.converters", "torch", "transformers"]

# Shared libraries inside the package folder (Windows DLLs, macOS .dylibs/), keeping their
# relative place ("ctranslate2" or "ctranslate2/.dylibs").
binaries = collect_dynamic_libs("ctranslate2")

# Linux: auditwheel puts the libraries in a folder next to the package, not inside it.
_base, _package = get_package_paths("ctranslate2")
_libs = Path(_base) / "ctranslate2.libs"
if _libs.is_dir():
    binaries += [
        (str(path), "ctranslate2.libs")
        for path in sorted(_libs.iterdir())
        if path.is_file() and (".so" in path.name or path.suffix in {".dylib", ".dll"})
    ]

# No data files are needed today; kept so a future wheel's data (if any) is not lost.
datas = collect_data_files("ctranslate2", excludes=["converters/**", "**/__pycache__"])
