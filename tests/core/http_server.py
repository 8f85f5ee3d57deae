"""A real HTTP file server on 127.0.0.1 that can misbehave on demand.

It serves files from a dict of bytes and/or a folder, with ``Range`` support (206,
``Content-Range``, 416), keep-alive (HTTP/1.1), and per-path faults a test configures with
:meth:`FaultyHTTPServer.set_fault`. Every request is recorded with its headers so tests can
assert on ``Range`` and ``Authorization``.

It is also used by ``benchmarks/download_throughput.py``; run it as a script to serve a folder
from a separate process::

    python tests/core/http_server.py ROOT   # prints the base URL, serves until killed
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import os
import re
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

_RANGE = re.compile(r"^bytes=(\d+)-(\d*)$")
_SEND_CHUNK = 256 * 1024
_FLIP = bytes(b ^ 1 for b in range(256))


@dataclass
class Fault:
    """How the server misbehaves for one path. Several fields may combine.

    Attributes:
        times: Apply the fault to this many requests of the path, then behave
            (``None``: always). Requests answered normally do not count.
        status: Answer this status (404, 500, 416, …) with a short body instead of the file.
        drop_after: Send the full ``Content-Length`` header, then only this many body bytes,
            then close the socket (a connection dropped mid-file).
        truncate_to: Send only this many body bytes, with a matching ``Content-Length``
            (a response that ends cleanly but short).
        corrupt: Flip every byte's lowest bit (wrong bytes, right length).
        length_delta: Add this to the real ``Content-Length`` (a lying header), then close
            the connection after the body.
        chunk: Body bytes written between sleeps when ``delay`` is set.
        delay: Seconds to sleep before each ``chunk`` (a slow trickle).
        ignore_range: Answer 200 with the whole file even when a Range was asked.
        redirect_to: Answer 302 to this base URL + the same path.
        token: Require ``Authorization: Bearer <token>``: 401 when absent, 403 when wrong.
        chunked: Send the body with ``Transfer-Encoding: chunked`` (no Content-Length).
        headers: Extra response headers (``Retry-After`` with a 429, …).
    """

    times: int | None = None
    status: int | None = None
    drop_after: int | None = None
    truncate_to: int | None = None
    corrupt: bool = False
    length_delta: int = 0
    chunk: int = 1024
    delay: float = 0.0
    ignore_range: bool = False
    redirect_to: str | None = None
    token: str | None = None
    chunked: bool = False
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    status: int = 0
    query: str = ""

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == lowered), None)


@dataclass
class _State:
    files: dict[str, bytes] = field(default_factory=dict)
    root: Path | None = None
    faults: dict[str, Fault] = field(default_factory=dict)
    default_fault: Fault | None = None  # for paths without their own fault
    requests: list[RecordedRequest] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Looks at each request before anything else; a (status, body) answer refuses it.
    guard: Callable[[RecordedRequest], tuple[int, bytes] | None] | None = None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like real servers; requests reuses connections
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass  # tests stay quiet

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    # -------------------------------------------------------------- helpers

    def _record(self, path: str, status: int) -> None:
        with self.server.state.lock:
            self.server.state.requests.append(self._request(path, status))

    def _request(self, path: str, status: int = 0) -> RecordedRequest:
        query = urlsplit(self.path).query
        return RecordedRequest(self.command, path, dict(self.headers.items()), status, query)

    def _active_fault(self, path: str) -> Fault | None:
        state = self.server.state
        with state.lock:
            fault = state.faults.get(path, state.default_fault)
            if fault is None:
                return None
            if fault.times is not None:
                if fault.times <= 0:
                    return None
                fault.times -= 1
            return dataclasses.replace(fault)

    def _simple(
        self, path: str, status: int, body: bytes = b"", extra: dict[str, str] | None = None,
        **headers: str,
    ) -> None:
        self._record(path, status)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _open(self, path: str) -> tuple[BinaryIO, int] | None:
        state = self.server.state
        if path in state.files:
            data = state.files[path]
            return io.BytesIO(data), len(data)
        if state.root is not None:
            target = (state.root / path).resolve()
            if state.root.resolve() in target.parents and target.is_file():
                return open(target, "rb"), target.stat().st_size
        return None

    def _serve(self, *, head: bool) -> None:
        path = unquote(urlsplit(self.path).path).lstrip("/")
        guard = self.server.state.guard
        refusal = guard(self._request(path)) if guard is not None else None
        if refusal is not None:
            self._simple(path, refusal[0], refusal[1])
            return
        fault = self._active_fault(path) or Fault()
        if fault.token is not None:
            auth = self.headers.get("Authorization")
            if auth != f"Bearer {fault.token}":
                self._simple(path, 401 if auth is None else 403, b"gated")
                return
        if fault.redirect_to is not None:
            location = fault.redirect_to.rstrip("/") + "/" + path
            self._simple(path, 302, Location=location)
            return
        if fault.status is not None:
            self._simple(path, fault.status, f"fault {fault.status}".encode(), fault.headers)
            return
        opened = self._open(path)
        if opened is None:
            self._simple(path, 404, b"not found")
            return
        handle, size = opened
        with handle:
            self._send_file(path, handle, size, fault, head=head)

    def _send_file(
        self, path: str, handle: BinaryIO, size: int, fault: Fault, *, head: bool,
        headers: dict[str, str] | None = None,
    ) -> None:
        start, end = 0, size - 1
        status = 200
        match = _RANGE.match(self.headers.get("Range", "").strip())
        if match and not fault.ignore_range:
            start = int(match.group(1))
            end = min(int(match.group(2)), size - 1) if match.group(2) else size - 1
            if start >= size or start > end:
                self._simple(path, 416, Content_Range=f"bytes */{size}")
                return
            status = 206
        length = end - start + 1
        send = length if fault.truncate_to is None else min(length, fault.truncate_to)
        header_length = send + fault.length_delta
        self._record(path, status)
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Accept-Ranges", "bytes")
        for name, value in {**(headers or {}), **fault.headers}.items():
            self.send_header(name, value)
        if fault.chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(max(header_length, 0)))
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        if fault.length_delta or fault.drop_after is not None:
            self.close_connection = True
        self.end_headers()
        if head:
            return
        if fault.drop_after is not None:
            send = min(send, fault.drop_after)
        if fault.length_delta < 0:
            send = max(header_length, 0)
        handle.seek(start)
        step = fault.chunk if fault.delay else _SEND_CHUNK
        plain = fault == Fault(times=fault.times, token=fault.token, headers=fault.headers)
        try:
            if plain and isinstance(handle, io.BufferedReader):
                # Zero-copy for well-behaved folder files: the benchmark then measures the
                # client, not this server's Python loop.
                self.connection.sendfile(handle, start, send)
                return
            while send > 0:
                block = handle.read(min(step, send))
                if not block:
                    break
                if fault.corrupt:
                    block = block.translate(_FLIP)
                if fault.delay:
                    time.sleep(fault.delay)
                send -= len(block)
                if fault.chunked:
                    block = b"%x\r\n%s\r\n" % (len(block), block)
                self.wfile.write(block)
            if fault.chunked and fault.drop_after is None:
                self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
            return
        if fault.drop_after is not None:
            # Cut the connection hard: the client sees fewer bytes than Content-Length.
            self.connection.shutdown(socket.SHUT_RDWR)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: _State

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that gave up (timeouts, cancels) is part of the tests, not an error.
        exc = sys.exc_info()[1]
        if not isinstance(exc, (ConnectionError, TimeoutError, OSError)):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class FaultyHTTPServer:
    """A threaded HTTP server on a random port of 127.0.0.1.

    Args:
        files: Path → content served from memory.
        root: A folder whose files are served too (for big benchmark files).
        host_name: The host name its URLs use (``localhost`` makes it another origin than
            a server reached as ``127.0.0.1``, as a CDN is for the Hub).
        guard: Sees every request first; returning ``(status, body)`` refuses it (a CDN
            that rejects an ``Authorization`` header).
    """

    handler: type[BaseHTTPRequestHandler] = _Handler
    server_class: type[_Server] = _Server

    def __init__(
        self,
        files: dict[str, bytes] | None = None,
        root: Path | None = None,
        *,
        host_name: str = "127.0.0.1",
        guard: Callable[[RecordedRequest], tuple[int, bytes] | None] | None = None,
    ) -> None:
        self._state = _State(files=dict(files or {}), root=root, guard=guard)
        self._host_name = host_name
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # -------------------------------------------------------------- lifecycle

    def start(self) -> FaultyHTTPServer:
        httpd = self.server_class(("127.0.0.1", 0), self.handler)
        httpd.state = self._state
        self._configure(httpd)
        self._httpd = httpd
        # A short poll interval makes stop() (and so each test's teardown) quick.
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def _configure(self, httpd: _Server) -> None:
        """Hook for subclasses: attach what their handler needs before serving starts."""

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FaultyHTTPServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # -------------------------------------------------------------- configuration

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:54321``."""
        if self._httpd is None:
            raise RuntimeError("the server is not running")
        port = self._httpd.server_address[1]
        return f"http://{self._host_name}:{port}"

    def url_for(self, path: str) -> str:
        return f"{self.url}/{path}"

    def add(self, path: str, content: bytes) -> None:
        with self._state.lock:
            self._state.files[path] = content

    def remove(self, path: str) -> None:
        with self._state.lock:
            self._state.files.pop(path, None)

    def set_fault(self, path: str, fault: Fault | None = None, **fields: object) -> Fault:
        """Make ``path`` misbehave; pass a :class:`Fault` or its fields as keywords."""
        fault = fault or Fault(**fields)  # type: ignore[arg-type]
        with self._state.lock:
            self._state.faults[path] = fault
        return fault

    @property
    def default_fault(self) -> Fault | None:
        """The fault of every path that has none of its own (e.g. a slow link)."""
        return self._state.default_fault

    @default_fault.setter
    def default_fault(self, fault: Fault | None) -> None:
        with self._state.lock:
            self._state.default_fault = fault

    def clear_faults(self) -> None:
        with self._state.lock:
            self._state.faults.clear()
            self._state.default_fault = None

    # -------------------------------------------------------------- inspection

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._state.lock:
            return list(self._state.requests)

    def requests_for(self, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == path]

    def clear_requests(self) -> None:
        with self._state.lock:
            self._state.requests.clear()


def main(argv: list[str]) -> None:
    """Serve a folder until killed; print the base URL first.

    ``--chunk N --delay S`` paces every response (N bytes, then S seconds), to stand in for a
    link of a given speed.
    """
    parser = argparse.ArgumentParser(description="Serve a folder over HTTP on 127.0.0.1.")
    parser.add_argument("root", type=Path, nargs="?", default=Path(os.getcwd()))
    parser.add_argument("--chunk", type=int, default=1 << 20)
    parser.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args(argv)
    server = FaultyHTTPServer(root=args.root)
    if args.delay:
        server.default_fault = Fault(chunk=args.chunk, delay=args.delay)
    server.start()
    print(server.url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
