"""Which Qt plugins a Linux desktop build of Terjman leaves out (shared by the Qt hook overrides).

PyInstaller's PySide6 hooks collect every plugin of QtGui's plugin types. Some are for embedded
devices (EGLFS, LinuxFB, VNC, evdev/tslib/TUIO input, Vulkan KHR display) and pull in
QtNetwork, QtOpenGL and Kerberos. The GTK 3 platform theme is worse than useless in a bundle:
it would load the host's GTK against the cairo/pango copies bundled for it, and mismatched
copies crash. Without it Qt uses its own widgets style and, through xdg-desktop-portal, the
desktop's file dialogs. Qt falls back to the remaining plugins by itself, so leaving these out
never stops the app from starting. This file is not a hook (no ``hook-`` prefix).
"""

from __future__ import annotations

from pathlib import PurePath

UNWANTED_PLUGINS = frozenset({
    "platforms/libqeglfs.so",
    "platforms/libqminimalegl.so",
    "platforms/libqlinuxfb.so",
    "platforms/libqvnc.so",
    "platforms/libqvkkhrdisplay.so",
    "platformthemes/libqgtk3.so",
})
UNWANTED_PLUGIN_TYPES = frozenset({"egldeviceintegrations", "generic"})


def wanted(entry: tuple[str, str]) -> bool:
    """``entry`` is a hook's ``(source, destination folder)`` binary."""
    source = PurePath(entry[0])
    plugin = f"{source.parent.name}/{source.name}"
    return plugin not in UNWANTED_PLUGINS and source.parent.name not in UNWANTED_PLUGIN_TYPES


def filter_binaries(binaries: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [entry for entry in binaries if wanted(entry)]
