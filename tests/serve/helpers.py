"""What the classroom server tests share: plain HTTP calls and an engine with a gate."""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from terjman_desktop.core.translate import Translator
from terjman_desktop.serve import LoadedEngine, ServedModel, TranslationServer

T = TypeVar("T")


class GatedEngine:
    """The real translator behind a gate: each model call waits until the test opens it.

    Lets a test hold the model thread busy deterministically (queue full, batching).
    """

    def __init__(self, translator: Translator) -> None:
        self.inner = LoadedEngine(translator)
        self.entered = threading.Event()
        self.gate = threading.Event()
        self.calls: list[int] = []

    def model(self) -> ServedModel:
        return self.inner.model()

    def run(self, work: Callable[[Translator], T]) -> T:
        self.entered.set()
        assert self.gate.wait(60), "the test never opened the gate"
        return self.inner.run(work)


def request(
    server: TranslationServer,
    method: str,
    path: str,
    body: bytes | str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], Any]:
    """One HTTP request; the status, headers (lower-case) and the JSON body (or bytes)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        data = body.encode() if isinstance(body, str) else body
        connection.request(method, path, body=data, headers=headers or {})
        response = connection.getresponse()
        raw = response.read()
        found = {k.lower(): v for k, v in response.getheaders()}
    finally:
        connection.close()
    if found.get("content-type", "").startswith("application/json"):
        return response.status, found, json.loads(raw)
    return response.status, found, raw


def post_json(
    server: TranslationServer, path: str, data: object, **headers: str
) -> tuple[int, dict[str, str], Any]:
    return request(
        server, "POST", path, json.dumps(data), {"Content-Type": "application/json", **headers}
    )
