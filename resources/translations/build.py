"""Rebuild the interface translations.

1. ``pyside6-lupdate`` collects the strings of ``terjman_desktop/gui`` into the ``.ts``
   sources (existing translations are kept; strings gone from the code are dropped);
2. ``pyside6-lrelease`` compiles each ``.ts`` into the ``.qm`` file the app loads.

Both tools ship with PySide6. Run from anywhere::

    python resources/translations/build.py            # update the .ts, then build the .qm
    python resources/translations/build.py --no-update  # only build the .qm

Translate new strings with Qt Linguist (``pyside6-linguist resources/translations/terjman_fr.ts``)
or any editor, then run this again. Both the ``.ts`` and the ``.qm`` files are committed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SOURCES = ROOT / "terjman_desktop" / "gui"
LANGUAGES = ("fr", "ar")


def tool(name: str) -> str:
    """The PySide6 wrapper of a Qt tool, next to this Python first, then on PATH."""
    beside = Path(sys.executable).parent / name
    for candidate in (beside, beside.with_suffix(".exe")):
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install PySide6 (it ships the Qt tools).")
    return found


def update() -> None:
    files = sorted(str(p.relative_to(ROOT)) for p in SOURCES.glob("*.py"))
    targets = [str((HERE / f"terjman_{lang}.ts").relative_to(ROOT)) for lang in LANGUAGES]
    subprocess.run(
        [tool("pyside6-lupdate"), "-no-obsolete", "-locations", "relative", *files,
         "-ts", *targets],
        cwd=ROOT, check=True,
    )


def release() -> None:
    for lang in LANGUAGES:
        source = HERE / f"terjman_{lang}.ts"
        subprocess.run(
            [tool("pyside6-lrelease"), str(source), "-qm", str(source.with_suffix(".qm"))],
            check=True,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-update", action="store_true", help="only compile the .qm files")
    args = parser.parse_args(argv)
    if not args.no_update:
        update()
    release()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
