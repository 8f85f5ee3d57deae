"""A running classroom server: the socket, the event-loop thread and the model's batcher.

:class:`TranslationServer` binds its socket in :meth:`~TranslationServer.start` (so a port
in use is reported there, as an error a person can act on), then serves on a thread of its
own; :meth:`~TranslationServer.stop` closes every connection, fails the waiting
translations and returns when everything has stopped. Nothing here knows about Qt: the app
and ``terjman serve`` both drive it the same way.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
import threading
from types import TracebackType
from urllib.parse import quote

from terjman_desktop.core.errors import InputError
from terjman_desktop.serve.api import Api
from terjman_desktop.serve.batcher import Batcher
from terjman_desktop.serve.config import ALL_INTERFACES, ServeConfig
from terjman_desktop.serve.engine import Engine
from terjman_desktop.serve.http import HttpServer
from terjman_desktop.serve.network import lan_addresses

logger = logging.getLogger(__name__)


class ServeError(InputError):
    """The server cannot start (a port in use, an address this computer does not have)."""


class TranslationServer:
    """LibreTranslate's API and the phone page, served from ``engine``.

    Args:
        engine: The model and its thread (see :mod:`terjman_desktop.serve.engine`).
        config: Address, limits, key.
    """

    def __init__(self, engine: Engine, config: ServeConfig | None = None) -> None:
        self.config = config or ServeConfig()
        self.engine = engine
        self.batcher = Batcher(engine, self.config.batching, self.config.limits.queue_texts)
        self.api = Api(self.config, engine, self.batcher)
        self.http = HttpServer(self.api.handle, self.config.limits, self.config.timeouts)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._port = 0

    # ------------------------------------------------------------------ where

    @property
    def port(self) -> int:
        """The port listened on (the one picked when the configuration said 0)."""
        return self._port

    @property
    def shared(self) -> bool:
        """Whether other devices on the network can reach it."""
        return self.config.host not in ("127.0.0.1", "localhost", "::1")

    @property
    def on_network(self) -> bool:
        """Whether other devices can reach it: shared, and this computer is on a network."""
        return self.shared and not self.url.startswith(("http://127.", "http://localhost"))

    def urls(self) -> list[str]:
        """Addresses to open the page at: the network's first when shared."""
        if self.config.host == ALL_INTERFACES:
            hosts = [*lan_addresses(), "127.0.0.1"]
        else:
            hosts = [self.config.host]
        return [f"http://{host}:{self.port}/" for host in hosts]

    @property
    def url(self) -> str:
        return self.urls()[0]

    def page_url(self) -> str:
        """What students open (the QR code): :attr:`url`, and the access key if there is one.

        The key goes in the fragment, which a browser never sends: it reaches no log.
        """
        if self.config.api_key is None:
            return self.url
        return f"{self.url}#key={quote(self.config.api_key, safe='')}"

    # ------------------------------------------------------------------ life

    def start(self) -> None:
        """Bind the socket and start serving (returns at once).

        Raises:
            ServeError: The port is in use or the address cannot be bound.
        """
        if self._thread is not None:
            return
        sock = self._bind()
        self._port = int(sock.getsockname()[1])
        loop = asyncio.new_event_loop()
        ready = threading.Event()
        failure: list[BaseException] = []

        def serve() -> None:
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self.http.start(sock))
            except BaseException as error:  # reported to start(), which re-raises it
                failure.append(error)
                ready.set()
                loop.close()
                return
            ready.set()
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(self.http.close())
                loop.close()

        self._loop = loop
        self.batcher.start()
        self._thread = threading.Thread(target=serve, name="terjman-serve-http", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            self._thread = None
            self.batcher.stop()
            sock.close()
            raise ServeError(f"The server could not start ({failure[0]}).")
        logger.info(
            "Serving %s on %s (%s)",
            self.engine.model().id,
            ", ".join(self.urls()),
            "shared" if self.shared else "this computer only",
        )

    def stop(self) -> None:
        """Stop serving: connections closed, waiting translations failed (503)."""
        thread, loop = self._thread, self._loop
        if thread is None or loop is None:
            return
        self._thread = None
        self.batcher.stop()
        loop.call_soon_threadsafe(loop.stop)
        thread.join(15)
        logger.info("Stopped serving on port %d", self._port)

    @property
    def running(self) -> bool:
        return self._thread is not None

    def __enter__(self) -> TranslationServer:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    def _bind(self) -> socket.socket:
        host, port = self.config.host, self.config.port
        try:
            return socket.create_server((host, port), backlog=128)
        except OSError as error:
            if error.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1)):
                raise ServeError(
                    f"Port {port} is already in use on this computer.",
                    hint="Choose another with --port (0 picks a free one).",
                ) from None
            raise ServeError(
                f"Cannot listen on {host}:{port} ({error.strerror or error}).",
                hint="Check the --host address.",
            ) from None
