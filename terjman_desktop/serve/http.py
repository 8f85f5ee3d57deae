"""The HTTP/1.1 side of the server: asyncio connections parsed by h11, with hard deadlines.

Why this stack: a classroom server must survive clients that are slow on purpose or by
accident (a phone on a weak Wi-Fi, a "slowloris" that sends a header byte every few
seconds). The standard library's ``ThreadingHTTPServer`` gives every connection a thread
and only a per-read timeout, so a client that keeps trickling bytes keeps its thread
forever. Here every connection is a cheap asyncio task, the request head must arrive within
:attr:`Timeouts.head` and the body within :attr:`Timeouts.body` *in all* (not per read), and
the number of open connections is capped in all and per client address. HTTP parsing —
framing, chunked bodies, keep-alive, header size limits — is h11's, a small, pure-Python,
dependency-free and well-kept HTTP/1.1 state machine (the one under uvicorn and httpx), so
the frozen app needs no hidden imports. What is left here is the loop that feeds h11 and
the deadlines.

The handler gets a complete :class:`Request` and returns a :class:`Response`; it never sees
the socket. A failure before the handler (a malformed request, a body too large, a timeout)
is answered here with LibreTranslate's error shape and the connection is closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from urllib.parse import urlsplit

import h11

from terjman_desktop.serve.config import Limits, Timeouts

logger = logging.getLogger(__name__)

MAX_HEAD_BYTES = 16 * 1024
_READ_SIZE = 64 * 1024

# Browser clients (LibreTranslate's web clients, extensions) call from other origins.
CORS_HEADERS: tuple[tuple[str, str], ...] = (
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Headers", "Authorization, Content-Type"),
    ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
    ("Access-Control-Max-Age", "86400"),
)


@dataclass(frozen=True)
class Request:
    method: str
    target: str  # path and query, as sent
    headers: dict[str, str]  # lower-case names; repeated headers joined with ", "
    body: bytes
    client: str  # the peer's address

    @property
    def path(self) -> str:
        return urlsplit(self.target).path if "://" in self.target else self._parts[0]

    @property
    def query(self) -> str:
        return urlsplit(self.target).query if "://" in self.target else self._parts[1]

    @property
    def _parts(self) -> tuple[str, str]:
        path, _, query = self.target.partition("?")
        return path, query


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    @classmethod
    def json(
        cls, data: object, status: int = 200, headers: tuple[tuple[str, str], ...] = ()
    ) -> Response:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        return cls(status, body, "application/json", headers)

    @classmethod
    def error(
        cls, status: int, message: str, headers: tuple[tuple[str, str], ...] = ()
    ) -> Response:
        """LibreTranslate's error shape: ``{"error": message}``."""
        return cls.json({"error": message}, status, headers)


Handler = Callable[[Request], Awaitable[Response]]


class _RefusedError(Exception):
    """The request cannot reach the handler: answer ``response`` and close."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response


def _encode(response: Response, *, close: bool) -> list[tuple[str, str]]:
    headers = [
        (
            "Content-Type",
            f"{response.content_type}; charset=utf-8"
            if response.content_type.startswith(
                ("text/", "application/json", "application/javascript")
            )
            else response.content_type,
        ),
        ("Content-Length", str(len(response.body))),
        ("X-Content-Type-Options", "nosniff"),
        ("Server", "terjman"),
        *CORS_HEADERS,
        *response.headers,
    ]
    if close:
        headers.append(("Connection", "close"))
    return headers


def raw_response(response: Response) -> bytes:
    """A complete HTTP/1.1 response that closes the connection, written without h11.

    Used when h11 cannot send one (the request line never arrived whole).
    """
    reason = HTTPStatus(response.status).phrase
    lines = [f"HTTP/1.1 {response.status} {reason}"]
    lines += [f"{name}: {value}" for name, value in _encode(response, close=True)]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + response.body


class HttpServer:
    """Serves ``handler`` on an already bound socket, inside a running event loop."""

    def __init__(self, handler: Handler, limits: Limits, timeouts: Timeouts) -> None:
        self.handler = handler
        self.limits = limits
        self.timeouts = timeouts
        self.open_connections = 0
        self._per_client: Counter[str] = Counter()
        self._tasks: set[asyncio.Task[None]] = set()
        self._server: asyncio.Server | None = None
        self._closing = False

    async def start(self, sock: object) -> None:
        self._server = await asyncio.start_server(self._accept, sock=sock, limit=_READ_SIZE)

    async def close(self) -> None:
        """Stop accepting, then end every open connection."""
        self._closing = True
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=5)
        if self._server is not None:
            await self._server.wait_closed()

    # ------------------------------------------------------------------ connections

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        peer = writer.get_extra_info("peername")
        client = str(peer[0]) if isinstance(peer, tuple) and peer else "unknown"
        if (
            self.open_connections >= self.limits.max_connections
            or self._per_client[client] >= self.limits.max_connections_per_client
        ):
            logger.warning("Refused a connection from %s: too many open connections", client)
            await self._write_and_close(
                writer,
                Response.error(
                    503,
                    "The server has too many open connections; try again in a moment.",
                    (("Retry-After", "1"),),
                ),
            )
            return
        self.open_connections += 1
        self._per_client[client] += 1
        self._tasks.add(task)
        try:
            await self._serve(reader, writer, client)
        except (ConnectionError, asyncio.CancelledError, asyncio.TimeoutError):
            pass
        except Exception:  # a bug here must not take the server down with it
            logger.exception("Connection from %s failed", client)
        finally:
            self._tasks.discard(task)
            self.open_connections -= 1
            self._per_client[client] -= 1
            if self._per_client[client] <= 0:
                del self._per_client[client]
            writer.close()

    async def _serve(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, client: str
    ) -> None:
        connection = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_HEAD_BYTES)
        while not self._closing:
            try:
                request = await self._receive(connection, reader, writer, client)
            except _RefusedError as refused:
                await self._write_and_close(writer, refused.response)
                return
            if request is None:
                return
            response = await self.handler(request)
            await self._send(connection, writer, request, response)
            if connection.our_state is not h11.DONE or connection.their_state is not h11.DONE:
                return
            connection.start_next_cycle()

    async def _receive(
        self,
        connection: h11.Connection,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        client: str,
    ) -> Request | None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeouts.head
        head = await self._next_event(connection, reader, deadline, idle_ok=True)
        if not isinstance(head, h11.Request):
            return None
        if len(head.target) + sum(len(n) + len(v) for n, v in head.headers) > MAX_HEAD_BYTES:
            # h11 caps an incomplete head only: one that arrived whole is measured here.
            raise _RefusedError(
                Response.error(431, "Invalid request: the request's headers are too large.")
            )
        headers: dict[str, str] = {}
        for name, value in head.headers:
            key = name.decode("latin-1").lower()
            text = value.decode("latin-1")
            headers[key] = f"{headers[key]}, {text}" if key in headers else text
        declared = headers.get("content-length", "0")
        if declared.isdigit() and int(declared) > self.limits.max_body_bytes:
            raise _RefusedError(
                Response.error(
                    413,
                    f"Invalid request: the body ({int(declared)} bytes) exceeds the limit "
                    f"({self.limits.max_body_bytes} bytes).",
                )
            )
        if connection.client_is_waiting_for_100_continue:
            await self._write(
                writer, connection.send(h11.InformationalResponse(status_code=100, headers=[]))
            )
        body = bytearray()
        deadline = loop.time() + self.timeouts.body
        while True:
            event = await self._next_event(connection, reader, deadline, idle_ok=False)
            if isinstance(event, h11.Data):
                body += event.data
                if len(body) > self.limits.max_body_bytes:
                    raise _RefusedError(
                        Response.error(
                            413,
                            "Invalid request: the body exceeds the limit "
                            f"({self.limits.max_body_bytes} bytes).",
                        )
                    )
            elif isinstance(event, h11.EndOfMessage):
                break
            else:  # the client went away mid-body
                return None
        return Request(
            head.method.decode("ascii", "replace").upper(),
            head.target.decode("latin-1"),
            headers,
            bytes(body),
            client,
        )

    async def _next_event(
        self,
        connection: h11.Connection,
        reader: asyncio.StreamReader,
        deadline: float,
        *,
        idle_ok: bool,
    ) -> object:
        """The next h11 event, reading as needed until ``deadline`` (then 408).

        With ``idle_ok``, a connection that sent nothing at all by the deadline (an idle
        keep-alive) is closed quietly instead.
        """
        loop = asyncio.get_running_loop()
        received = False
        while True:
            try:
                event = connection.next_event()
            except h11.RemoteProtocolError as error:
                status = error.error_status_hint if error.error_status_hint >= 400 else 400
                raise _RefusedError(
                    Response.error(status, f"Invalid request: malformed HTTP ({error}).")
                ) from None
            if event is not h11.NEED_DATA:
                return event
            left = deadline - loop.time()
            try:
                if left <= 0:
                    raise asyncio.TimeoutError
                data = await asyncio.wait_for(reader.read(_READ_SIZE), left)
            except asyncio.TimeoutError:  # TimeoutError from Python 3.11 on
                if idle_ok and not received:
                    return h11.ConnectionClosed()
                raise _RefusedError(
                    Response.error(408, "Request timeout: the request did not arrive in time.")
                ) from None
            received = received or bool(data)
            connection.receive_data(data)

    async def _send(
        self,
        connection: h11.Connection,
        writer: asyncio.StreamWriter,
        request: Request,
        response: Response,
    ) -> None:
        head = h11.Response(
            status_code=response.status, headers=_encode(response, close=self._closing)
        )
        data = connection.send(head) or b""
        if request.method != "HEAD" and response.body:
            data += connection.send(h11.Data(data=response.body)) or b""
        data += connection.send(h11.EndOfMessage()) or b""
        await self._write(writer, data)

    async def _write(self, writer: asyncio.StreamWriter, data: bytes | None) -> None:
        if data:
            writer.write(data)
            await asyncio.wait_for(writer.drain(), self.timeouts.write)

    async def _write_and_close(self, writer: asyncio.StreamWriter, response: Response) -> None:
        try:
            with contextlib.suppress(ConnectionError, asyncio.TimeoutError):
                await self._write(writer, raw_response(response))
        finally:
            writer.close()
