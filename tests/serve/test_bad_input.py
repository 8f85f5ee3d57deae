"""Bad input gets a clear error in LibreTranslate's shape, and the server keeps serving."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable

import pytest

from terjman_desktop.core.translate import Translator
from terjman_desktop.serve import Limits, ServeConfig, ServedModel, Timeouts, TranslationServer
from tests.serve.helpers import GatedEngine, post_json, request

GOOD = {"q": "We want the book.", "source": "en", "target": "ary"}


def _still_serves(server: TranslationServer) -> None:
    status, _, body = post_json(server, "/translate", GOOD)
    assert status == 200 and body["translatedText"]


@pytest.mark.parametrize(
    ("body", "content_type", "status", "words"),
    [
        ("{not json", "application/json", 400, "malformed JSON"),
        ("[1, 2]", "application/json", 400, "JSON object"),
        ('"text"', "application/json", 400, "JSON object"),
        (b"\xff\xfe{}", "application/json", 400, "UTF-8"),
        ("[" * 100_000 + "]" * 100_000, "application/json", 400, "JSON"),
        (json.dumps({"source": "en", "target": "ary"}), "application/json", 400, "missing q"),
        (json.dumps({"q": "hi", "target": "ary"}), "application/json", 400, "missing source"),
        (json.dumps({"q": "hi", "source": "en"}), "application/json", 400, "missing target"),
        (json.dumps({**GOOD, "q": 42}), "application/json", 400, "q must be"),
        (json.dumps({**GOOD, "q": ["ok", None]}), "application/json", 400, "q must be"),
        (json.dumps({**GOOD, "q": {"a": 1}}), "application/json", 400, "q must be"),
        (
            '{"q": "hello \\ud800 world", "source": "en", "target": "ary"}',
            "application/json",
            400,
            "not valid Unicode",
        ),
        (json.dumps({**GOOD, "source": 7}), "application/json", 400, "source must be"),
        (json.dumps({**GOOD, "source": "fr"}), "application/json", 400, "fr is not supported"),
        (json.dumps({**GOOD, "target": "xx"}), "application/json", 400, "xx is not supported"),
        (
            json.dumps({**GOOD, "source": "ary", "target": "ary"}),
            "application/json",
            400,
            "not available",
        ),
        (json.dumps({**GOOD, "format": "pdf"}), "application/json", 400, "not supported"),
        (json.dumps({**GOOD, "alternatives": "many"}), "application/json", 400, "not a number"),
        (json.dumps({**GOOD, "alternatives": [1]}), "application/json", 400, "not a number"),
        (
            '{"q": "hi", "source": "en", "target": "ary", "alternatives": Infinity}',
            "application/json",
            400,
            "not a number",
        ),
        (json.dumps({**GOOD, "alternatives": 1e300}), "application/json", 400, "must be <="),
        (json.dumps({**GOOD, "alternatives": 50}), "application/json", 400, "must be <="),
        (json.dumps({**GOOD, "q": "x" * 5001}), "application/json", 400, "exceeds text limit"),
        (json.dumps({**GOOD, "q": ["hi"] * 10_000}), "application/json", 400, "batch limit"),
        ("q=%ff&source=en&target=ary", "application/x-www-form-urlencoded", 400, "form"),
    ],
)
def test_bad_requests(
    server: TranslationServer, body: str | bytes, content_type: str, status: int, words: str
) -> None:
    got, _, answer = request(server, "POST", "/translate", body, {"Content-Type": content_type})
    assert got == status
    assert set(answer) == {"error"} and words in answer["error"]
    assert "Traceback" not in answer["error"]
    _still_serves(server)


def test_wrong_paths_and_methods(server: TranslationServer) -> None:
    assert request(server, "GET", "/nowhere")[0] == 404
    assert request(server, "GET", "/static/../../etc/passwd")[0] == 404
    status, headers, answer = request(server, "GET", "/translate")
    assert status == 405 and headers["allow"] == "POST" and "error" in answer
    assert request(server, "POST", "/suggest", "q=a&s=b")[0] == 403
    assert request(server, "POST", "/translate_file", "")[0] == 403


def test_huge_bodies_are_refused_unread(server: TranslationServer) -> None:
    status, _, answer = request(
        server, "POST", "/translate", b"x" * (300 * 1024), {"Content-Type": "application/json"}
    )
    assert status == 413 and "exceeds the limit" in answer["error"]
    # A body announced as huge is refused before a byte of it is read.
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as raw:
        raw.sendall(
            b"POST /translate HTTP/1.1\r\nHost: x\r\nContent-Length: 9999999999\r\n"
            b"Content-Type: application/json\r\n\r\n"
        )
        reply = _read_all(raw)
    assert reply.startswith(b"HTTP/1.1 413") and b'"error"' in reply
    # Chunked bodies are counted as they come.
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as raw:
        raw.sendall(b"POST /translate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"y" * 65536
        try:
            for _ in range(8):
                raw.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed: what this checks
        reply = _read_all(raw)
    assert reply.startswith(b"HTTP/1.1 413")
    # Headers beyond 16 KiB are refused too.
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as raw:
        raw.sendall(b"GET /languages HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 40000 + b"\r\n\r\n")
        reply = _read_all(raw)
    assert reply.split(b" ")[1] in (b"431", b"400")
    _still_serves(server)


def _read_all(sock: socket.socket) -> bytes:
    chunks = []
    try:
        while data := sock.recv(65536):
            chunks.append(data)
    except ConnectionResetError:
        pass
    return b"".join(chunks)


def test_malformed_http(server: TranslationServer) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as raw:
        raw.sendall(b"THIS IS NOT HTTP\r\n\r\n")
        reply = _read_all(raw)
    assert reply.startswith(b"HTTP/1.1 400") and b"malformed HTTP" in reply
    _still_serves(server)


def test_slow_clients_are_cut_off_and_others_served(
    start_server: Callable[..., TranslationServer],
) -> None:
    """Slowloris: clients trickle their headers (or body) a byte at a time and never finish.

    The deadline counts the whole head (and the whole body), not each read, so a trickle
    cannot keep a connection open; meanwhile everyone else is answered.
    """
    server = start_server(ServeConfig(port=0, timeouts=Timeouts(head=1.0, body=1.0)))
    stop = threading.Event()
    replies: list[bytes] = []

    def trickle(start: bytes, drip: bytes) -> None:
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as raw:
            raw.sendall(start)
            try:
                while not stop.is_set():  # one byte every 50 ms: each read is quick
                    raw.sendall(drip)
                    if stop.wait(0.05):
                        break
                    raw.setblocking(False)
                    try:
                        if raw.recv(1, socket.MSG_PEEK):
                            break  # the server answered
                    except BlockingIOError:
                        pass
                    finally:
                        raw.setblocking(True)
            except (BrokenPipeError, ConnectionResetError):
                pass
            replies.append(_read_all(raw))

    slow_heads = [
        threading.Thread(target=trickle, args=(b"POST /translate HTTP/1.1\r\n", b"X"))
        for _ in range(20)
    ]
    slow_body = threading.Thread(
        target=trickle,
        args=(b"POST /translate HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n", b"a"),
    )
    threads = [*slow_heads, slow_body]
    for thread in threads:
        thread.start()
    try:
        for _ in range(3):
            _still_serves(server)
        for thread in threads:
            thread.join(60)
    finally:
        stop.set()
    assert len(replies) == 21
    assert all(reply.startswith(b"HTTP/1.1 408") for reply in replies), replies[:2]
    _still_serves(server)


def test_connections_per_client_are_capped(start_server: Callable[..., TranslationServer]) -> None:
    server = start_server(ServeConfig(port=0, limits=Limits(max_connections_per_client=3)))
    idle = [socket.create_connection(("127.0.0.1", server.port), timeout=30) for _ in range(3)]
    try:
        # The server counts a connection once it accepted it: wait for all three.
        deadline = time.monotonic() + 30
        while server.http.open_connections < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        status, headers, answer = request(server, "GET", "/languages")
        assert status == 503 and headers["retry-after"] == "1" and "connections" in answer["error"]
    finally:
        for sock in idle:
            sock.close()
    deadline = time.monotonic() + 30
    while server.http.open_connections > 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert request(server, "GET", "/languages")[0] == 200


def test_rate_limit_per_client(start_server: Callable[..., TranslationServer]) -> None:
    server = start_server(ServeConfig(port=0, limits=Limits(requests_per_minute=2)))
    assert post_json(server, "/translate", GOOD)[0] == 200
    assert post_json(server, "/detect", {"q": "hello"})[0] == 200
    status, headers, answer = post_json(server, "/translate", GOOD)
    assert status == 429 and 1 <= int(headers["retry-after"]) <= 60
    assert answer["error"].startswith("Slowdown:")
    assert request(server, "GET", "/languages")[0] == 200  # exempt, as in LibreTranslate


def test_a_list_costs_one_request_per_text(start_server: Callable[..., TranslationServer]) -> None:
    """As in LibreTranslate; a refused request still costs one (a flood of bad requests too)."""
    server = start_server(ServeConfig(port=0, limits=Limits(requests_per_minute=6)))
    assert post_json(server, "/translate", {**GOOD, "q": ["One.", "Two.", "Three."]})[0] == 200
    status, headers, _ = post_json(
        server, "/translate", {**GOOD, "q": ["Four.", "Five.", "Six.", "Seven."]}
    )
    assert status == 429 and 1 <= int(headers["retry-after"]) <= 60  # 3 + 4 > 6; 1 counted
    assert post_json(server, "/translate", {**GOOD, "q": ["Four.", "Five."]})[0] == 200  # 6
    assert post_json(server, "/detect", {"q": "hello"})[0] == 429
    # A list refused as invalid costs one, not one per text.
    other = start_server(ServeConfig(port=0, limits=Limits(requests_per_minute=3)))
    assert post_json(other, "/translate", {**GOOD, "q": ["hi"] * 10_000})[0] == 400
    assert post_json(other, "/translate", {**GOOD, "q": ["One.", "Two."]})[0] == 200


def test_full_queue_answers_429_at_once(
    start_server: Callable[..., TranslationServer], served_translator: Translator
) -> None:
    engine = GatedEngine(served_translator)
    server = start_server(ServeConfig(port=0, limits=Limits(queue_texts=2)), engine)
    results: dict[str, int] = {}

    def ask(name: str, texts: list[str]) -> None:
        results[name] = post_json(server, "/translate", {**GOOD, "q": texts})[0]

    first = threading.Thread(target=ask, args=("first", ["One."]))
    first.start()
    assert engine.entered.wait(30)  # the model thread holds the first request
    second = threading.Thread(target=ask, args=("second", ["Two.", "Three."]))
    second.start()
    deadline = time.monotonic() + 30
    while server.batcher.waiting_texts < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    status, headers, answer = post_json(server, "/translate", {**GOOD, "q": ["Four."]})
    assert status == 429 and int(headers["retry-after"]) >= 1 and "busy" in answer["error"]
    engine.gate.set()
    first.join(60)
    second.join(60)
    assert results == {"first": 200, "second": 200}


class _BrokenEngine:
    """A model whose every call fails with an unexpected error carrying private details."""

    def __init__(self, model: ServedModel) -> None:
        self._model = model

    def model(self) -> ServedModel:
        return self._model

    def run(self, work: object) -> object:
        raise RuntimeError("/home/teacher/secret/path.bin: internal detail")


def test_no_stack_trace_reaches_a_client(
    start_server: Callable[..., TranslationServer], served_translator: Translator
) -> None:
    model = ServedModel("m", "M", tuple(served_translator.manifest.directions))
    server = start_server(engine=_BrokenEngine(model))
    status, _, answer = post_json(server, "/translate", GOOD)
    assert status == 500 and answer["error"].startswith("Cannot translate text")
    assert "secret" not in answer["error"] and "Traceback" not in answer["error"]
    assert request(server, "GET", "/languages")[0] == 200
