"""The launcher names the missing X11 libraries in one line instead of letting Qt abort."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from terjman_desktop import launcher_checks
from terjman_desktop.launcher_checks import (
    XCB_LIBRARIES,
    install_hint,
    missing_libraries,
    qt_platform,
    xcb_problem,
)

X11 = {"DISPLAY": ":0"}
DEBIAN = {"ID": "debian"}


def loader_without(*absent: str) -> tuple[list[str], launcher_checks.Loader]:
    """A loader that refuses every name ending with one of ``absent``; it records its calls."""
    calls: list[str] = []

    def load(name: str) -> object:
        calls.append(name)
        if name.endswith(absent):
            raise OSError(f"{name}: cannot open shared object file: No such file or directory")
        return object()

    return calls, load


def problem(environ: dict[str, str], *absent: str, qt_args: tuple[str, ...] = (),
            system: str = "Linux", os_release: dict[str, str] = DEBIAN) -> str | None:
    _, load = loader_without(*absent) if absent else loader_without("-never-")
    return xcb_problem(qt_args, environ=environ, system=system, load=load, search_dirs=[],
                       os_release=lambda: os_release)


def test_missing_libraries_give_one_line_with_the_debian_packages() -> None:
    line = problem(X11, "libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1")
    assert line is not None
    assert "\n" not in line
    assert line.endswith("sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1")
    assert "libxcb-cursor.so.0, libxcb-icccm.so.4, libxcb-keysyms.so.1" in line


def test_nothing_missing_means_no_message() -> None:
    assert problem(X11) is None


@pytest.mark.parametrize(("os_release", "command"), [
    ({"ID": "ubuntu", "ID_LIKE": "debian"}, "sudo apt install libxcb-cursor0"),
    ({"ID": "linuxmint", "ID_LIKE": "ubuntu debian"}, "sudo apt install libxcb-cursor0"),
    ({"ID": "fedora"}, "sudo dnf install xcb-util-cursor"),
    ({"ID": "manjaro", "ID_LIKE": "arch"}, "sudo pacman -S xcb-util-cursor"),
])
def test_the_command_fits_the_distribution(os_release: dict[str, str], command: str) -> None:
    line = problem(X11, "libxcb-cursor.so.0", os_release=os_release)
    assert line is not None and line.endswith(command)


def test_an_unknown_distribution_gets_the_library_and_debian_names() -> None:
    line = problem(X11, "libxcb-icccm.so.4", os_release={})
    assert line is not None
    assert "libxcb-icccm.so.4" in line
    assert "sudo apt install libxcb-icccm4" in line


def test_packages_are_named_once() -> None:
    both = [lib for lib in XCB_LIBRARIES if lib.fedora == "xcb-util-wm"] * 2
    assert install_hint(both, {"ID": "fedora"}).count("xcb-util-wm") == 1


@pytest.mark.parametrize(("environ", "qt_args", "expected"), [
    ({"DISPLAY": ":0"}, (), "xcb"),
    ({}, (), ""),  # no display: Qt explains that itself
    ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, (), "offscreen"),
    ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "wayland;xcb"}, (), "wayland"),
    ({"QT_QPA_PLATFORM": "xcb:nograb"}, (), "xcb"),
    ({"DISPLAY": ":0", "XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"}, (),
     "wayland"),
    ({"DISPLAY": ":0", "XDG_SESSION_TYPE": "wayland"}, (), "xcb"),  # no compositor to reach
    ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}, ("-platform", "offscreen"), "offscreen"),
    ({"WAYLAND_DISPLAY": "wayland-0"}, ("--platform", "xcb"), "xcb"),
])
def test_qt_platform(environ: dict[str, str], qt_args: tuple[str, ...], expected: str) -> None:
    assert qt_platform(qt_args, environ) == expected


@pytest.mark.parametrize(("environ", "qt_args", "system"), [
    ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "wayland"}, (), "Linux"),
    ({"DISPLAY": ":0", "XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "w"}, (), "Linux"),
    ({"DISPLAY": ":0"}, ("-platform", "offscreen"), "Linux"),
    ({}, (), "Linux"),
    ({"DISPLAY": ":0"}, (), "Darwin"),
    ({"DISPLAY": ":0"}, (), "Windows"),
])
def test_no_check_when_qt_will_not_use_xcb(environ: dict[str, str], qt_args: tuple[str, ...],
                                           system: str) -> None:
    assert problem(environ, "libxcb-cursor.so.0", qt_args=qt_args, system=system) is None


def test_a_bundled_copy_counts_as_present(tmp_path: Path) -> None:
    """A frozen app's own copy is found by path where the system has none."""
    bundled = tmp_path / "bundle"

    def load(name: str) -> object:
        if name != str(bundled / "libxcb-cursor.so.0") and "libxcb-cursor" in name:
            raise OSError(name)
        return object()

    assert missing_libraries(load=load, search_dirs=[tmp_path / "qt", bundled]) == []
    assert [lib.soname for lib in missing_libraries(load=load, search_dirs=[tmp_path])] == [
        "libxcb-cursor.so.0"]


def test_present_libraries_are_loaded_once_by_name() -> None:
    calls, load = loader_without("-never-")
    assert missing_libraries(load=load, search_dirs=[Path("/bundle")]) == []
    assert calls == [lib.soname for lib in XCB_LIBRARIES]


def test_os_release_is_parsed(tmp_path: Path) -> None:
    release = tmp_path / "os-release"
    release.write_text('NAME="Ubuntu"\nID=ubuntu\nID_LIKE=\'debian\'\n# comment\n\n')
    fields = launcher_checks.read_os_release([tmp_path / "absent", release])
    assert (fields["NAME"], fields["ID"], fields["ID_LIKE"]) == ("Ubuntu", "ubuntu", "debian")
    assert launcher_checks.read_os_release([tmp_path / "absent"]) == {}


@pytest.mark.skipif(sys.platform != "linux", reason="the xcb check is for Linux")
def test_launcher_exits_with_the_line_before_starting_qt(tmp_path: Path) -> None:
    """``terjman-desktop`` on an X display without the libraries: status 1 and one line.

    Without the check, Qt would abort (status 134) trying to reach the display ``:0``, which
    does not exist here.
    """
    script = textwrap.dedent("""
        import sys
        from terjman_desktop import app, launcher_checks

        def refuse(name):
            if "libxcb-cursor" in name:
                raise OSError(name + ": cannot open shared object file")

        launcher_checks.load_library = refuse
        launcher_checks.read_os_release = lambda: {"ID": "debian"}
        sys.exit(app.main([]))
    """)
    env = {key: value for key, value in os.environ.items()
           if key not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE")}
    env.update(DISPLAY=":0", TERJMAN_HOME=str(tmp_path / "home"))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=env, timeout=120, check=False)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("terjman-desktop: ")
    assert lines[0].endswith("sudo apt install libxcb-cursor0")
