"""Classroom sharing: one computer translates for the whole room.

A LibreTranslate-compatible HTTP API and a page for phones, served from a model the caller
already holds (:mod:`.engine`): ``terjman serve`` loads one, the app shares its own. Qt-free,
and outside the core: the core stays free of servers and sockets; this package stands on
the core's public surface like the CLI and the GUI do.

* :class:`TranslationServer` — start, stop, its URLs;
* :class:`ServeConfig` with its :class:`Limits`, :class:`Timeouts` and :class:`Batching`;
* :class:`Engine` (what a server translates with), :class:`LoadedEngine`,
  :class:`ServedModel`;
* :func:`detect` (``/detect``), :func:`lan_addresses`, :func:`qr_png`, :func:`print_qr`.

Importing it starts nothing and opens no socket.
"""

from terjman_desktop.serve.config import (
    ALL_INTERFACES,
    DEFAULT_PORT,
    LOCALHOST,
    Batching,
    Limits,
    ServeConfig,
    Timeouts,
)
from terjman_desktop.serve.detect import Detection, detect
from terjman_desktop.serve.engine import Engine, LoadedEngine, ServedModel
from terjman_desktop.serve.network import lan_addresses
from terjman_desktop.serve.qr import print_qr, qr_png
from terjman_desktop.serve.server import ServeError, TranslationServer

__all__ = [
    "ALL_INTERFACES",
    "DEFAULT_PORT",
    "LOCALHOST",
    "Batching",
    "Detection",
    "Engine",
    "Limits",
    "LoadedEngine",
    "ServeConfig",
    "ServeError",
    "ServedModel",
    "Timeouts",
    "TranslationServer",
    "detect",
    "lan_addresses",
    "print_qr",
    "qr_png",
]
