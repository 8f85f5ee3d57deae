"""Checks the desktop app makes before it starts Qt, so a missing system library is one line.

On Linux, Qt's X11 platform plugin (``xcb``) links against small X libraries that a desktop
does not always have (since Qt 6.5 ``libxcb-cursor0`` too). When one is missing, Qt prints a
vague "could not load the Qt platform plugin" and aborts the process. :func:`xcb_problem`
finds those libraries first and says which packages to install.

Nothing here imports Qt. The check only runs when Qt will really pick ``xcb`` (an X display,
no other platform chosen), and every input — environment, loader, distribution — can be
injected, so it is testable on any machine.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import platform
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

Loader = Callable[[str], object]


@dataclass(frozen=True)
class SystemLibrary:
    """A shared library Qt's xcb plugin needs, and the package that ships it per distribution."""

    soname: str
    debian: str  # Debian, Ubuntu, Mint
    fedora: str  # Fedora, RHEL and relatives
    arch: str  # Arch, Manjaro


# The X utility libraries of Qt's xcb plugin (libQt6XcbQpa) that desktop installations lack
# most often; libxcb itself, Xlib and the xcb extension libraries come with every X desktop.
XCB_LIBRARIES = (
    SystemLibrary("libxcb-cursor.so.0", "libxcb-cursor0", "xcb-util-cursor", "xcb-util-cursor"),
    SystemLibrary("libxcb-icccm.so.4", "libxcb-icccm4", "xcb-util-wm", "xcb-util-wm"),
    SystemLibrary("libxcb-keysyms.so.1", "libxcb-keysyms1", "xcb-util-keysyms",
                  "xcb-util-keysyms"),
    SystemLibrary("libxcb-image.so.0", "libxcb-image0", "xcb-util-image", "xcb-util-image"),
    SystemLibrary("libxcb-render-util.so.0", "libxcb-render-util0", "xcb-util-renderutil",
                  "xcb-util-renderutil"),
    SystemLibrary("libxkbcommon-x11.so.0", "libxkbcommon-x11-0", "libxkbcommon-x11",
                  "libxkbcommon-x11"),
)

# How each family installs packages; the first ID (or ID_LIKE) of os-release that is known wins.
INSTALL_COMMANDS = {"debian": "sudo apt install", "fedora": "sudo dnf install",
                    "arch": "sudo pacman -S"}
OS_RELEASE_FILES = (Path("/etc/os-release"), Path("/usr/lib/os-release"))
FAMILIES = {"debian": "debian", "ubuntu": "debian", "fedora": "fedora", "rhel": "fedora",
            "centos": "fedora", "arch": "arch"}


def load_library(name: str) -> object:
    """Load a shared library by name or path, as Qt's own loading would (raises OSError)."""
    return ctypes.CDLL(name)


def read_os_release(files: Sequence[Path] = OS_RELEASE_FILES) -> dict[str, str]:
    """The fields of ``/etc/os-release`` (``{}`` when there is none)."""
    for candidate in files:
        try:
            text = candidate.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        fields: dict[str, str] = {}
        for line in text.splitlines():
            key, sep, value = line.partition("=")
            if sep and key.strip():
                fields[key.strip()] = value.strip().strip("\"'")
        return fields
    return {}


def qt_platform(qt_args: Sequence[str], environ: Mapping[str, str]) -> str:
    """The platform plugin Qt will try first.

    That is ``-platform NAME``, else ``QT_QPA_PLATFORM``, else Qt's default: ``wayland`` in a
    Wayland session, ``xcb`` otherwise. ``""`` when there is no display at all, which Qt
    reports well enough itself.
    """
    chosen = ""
    for index, arg in enumerate(qt_args):
        if arg in ("-platform", "--platform") and index + 1 < len(qt_args):
            chosen = qt_args[index + 1]
    chosen = chosen or environ.get("QT_QPA_PLATFORM", "")
    if chosen.strip():
        # "wayland;xcb" is a list to try in order; "xcb:option=value" carries options.
        return chosen.split(";")[0].split(":")[0].strip()
    if environ.get("XDG_SESSION_TYPE") == "wayland" and environ.get("WAYLAND_DISPLAY"):
        return "wayland"
    return "xcb" if environ.get("DISPLAY") else ""


def bundled_library_dirs() -> list[Path]:
    """Folders whose copies of the libraries count as present.

    A frozen app's own folder (PyInstaller bundles the ones the build machine had) and Qt's
    library folder.
    """
    folders: list[Path] = []
    frozen = getattr(sys, "_MEIPASS", None)
    if isinstance(frozen, str):
        folders.append(Path(frozen))
    spec = importlib.util.find_spec("PySide6")  # finds the package without importing Qt
    if spec is not None and spec.origin:
        folders.append(Path(spec.origin).parent / "Qt" / "lib")
    return folders


def missing_libraries(
    libraries: Iterable[SystemLibrary] = XCB_LIBRARIES,
    *,
    load: Loader | None = None,
    search_dirs: Sequence[Path] | None = None,
) -> list[SystemLibrary]:
    """The libraries that cannot be loaded, neither from the system nor from a bundled copy."""
    load = load or load_library
    folders = bundled_library_dirs() if search_dirs is None else search_dirs
    missing: list[SystemLibrary] = []
    for library in libraries:
        for candidate in (library.soname, *(str(f / library.soname) for f in folders)):
            try:
                load(candidate)
            except OSError:
                continue
            break
        else:
            missing.append(library)
    return missing


def install_hint(missing: Sequence[SystemLibrary], os_release: Mapping[str, str]) -> str:
    """How to install ``missing`` on this distribution (with Debian's names when unknown)."""
    ids = [os_release.get("ID", ""), *os_release.get("ID_LIKE", "").split()]
    family = next((FAMILIES[i] for i in ids if i in FAMILIES), "")
    if family:
        names = " ".join(dict.fromkeys(getattr(lib, family) for lib in missing))
        return f"Install them with: {INSTALL_COMMANDS[family]} {names}"
    debian = " ".join(dict.fromkeys(lib.debian for lib in missing))
    return f"Install the packages that provide them (Debian/Ubuntu: sudo apt install {debian})."


def xcb_problem(
    qt_args: Sequence[str] = (),
    *,
    environ: Mapping[str, str] | None = None,
    system: str | None = None,
    load: Loader | None = None,
    search_dirs: Sequence[Path] | None = None,
    os_release: Callable[[], Mapping[str, str]] | None = None,
) -> str | None:
    """One line saying which packages to install when Qt's xcb plugin would abort, else None."""
    if (system or platform.system()) != "Linux":
        return None
    if qt_platform(qt_args, os.environ if environ is None else environ) != "xcb":
        return None
    missing = missing_libraries(load=load, search_dirs=search_dirs)
    if not missing:
        return None
    names = ", ".join(lib.soname for lib in missing)
    return (f"terjman-desktop: Qt needs system libraries for the X11 display that are missing "
            f"({names}). {install_hint(missing, (os_release or read_os_release)())}")
