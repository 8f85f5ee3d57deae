"""Requests that arrive together are translated in one model call, each getting its own."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from terjman_desktop.core.translate import Direction, TranslationOptions, Translator
from terjman_desktop.serve import Batching, ServeConfig, TranslationServer
from tests.serve.helpers import GatedEngine, post_json


def test_waiting_requests_share_one_model_call(
    start_server: Callable[..., TranslationServer], served_translator: Translator
) -> None:
    engine = GatedEngine(served_translator)
    server = start_server(ServeConfig(port=0, batching=Batching(window_ms=0, max_texts=64)), engine)
    texts = [
        f"We want the book {word}."
        for word in ("today", "now", "tomorrow", "here", "there", "again")
    ]
    answers: dict[str, str] = {}

    def ask(text: str) -> None:
        status, _, body = post_json(
            server, "/translate", {"q": text, "source": "en", "target": "ary"}
        )
        assert status == 200
        answers[text] = body["translatedText"]

    opener = threading.Thread(target=ask, args=("Hello.",))
    opener.start()
    assert engine.entered.wait(30)  # the model thread is busy with the first request
    others = [threading.Thread(target=ask, args=(text,)) for text in texts]
    for thread in others:
        thread.start()
    deadline = time.monotonic() + 30
    while server.batcher.waiting_texts < len(texts) and time.monotonic() < deadline:
        time.sleep(0.01)
    engine.gate.set()
    for thread in [opener, *others]:
        thread.join(60)
    stats = server.batcher.stats
    assert stats.jobs == len(texts) + 1
    assert stats.model_calls == 2  # the first request, then all the others together
    assert stats.largest_call == len(texts)
    options = TranslationOptions.for_quality()
    for text in texts:  # batched, each still gets exactly its own translation
        assert (
            answers[text] == served_translator.translate(text, Direction("en", "ary"), options).text
        )


def test_directions_in_one_batch_are_split(
    start_server: Callable[..., TranslationServer], served_translator: Translator
) -> None:
    engine = GatedEngine(served_translator)
    server = start_server(ServeConfig(port=0), engine)
    answers: dict[str, str] = {}

    def ask(text: str, source: str, target: str) -> None:
        answers[text] = post_json(
            server, "/translate", {"q": text, "source": source, "target": target}
        )[2]["translatedText"]

    darija = served_translator.translate("We want the milk.", Direction("en", "ary")).text
    first = threading.Thread(target=ask, args=("Hello.", "en", "ary"))
    first.start()
    assert engine.entered.wait(30)
    pair = [
        threading.Thread(target=ask, args=("The book is good.", "en", "ary")),
        threading.Thread(target=ask, args=(darija, "ary", "en")),
    ]
    for thread in pair:
        thread.start()
    deadline = time.monotonic() + 30
    while server.batcher.waiting_texts < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    engine.gate.set()
    for thread in [first, *pair]:
        thread.join(60)
    options = TranslationOptions.for_quality()
    assert (
        answers[darija] == served_translator.translate(darija, Direction("ary", "en"), options).text
    )
    assert server.batcher.stats.model_calls == 3  # one call per direction


class _FaultyTranslator:
    """The real translator, except that a text "FAIL" makes the whole call fail."""

    def __init__(self, inner: Translator) -> None:
        self.inner = inner

    def translate_many(self, texts: list[str], *args: object, **kwargs: object) -> object:
        if "FAIL" in texts:
            raise RuntimeError("injected fault")
        return self.inner.translate_many(texts, *args, **kwargs)  # type: ignore[arg-type]


def test_one_bad_request_does_not_fail_its_batch(
    start_server: Callable[..., TranslationServer], served_translator: Translator
) -> None:
    engine = GatedEngine(served_translator)
    faulty = _FaultyTranslator(served_translator)
    engine.inner.run = lambda work: work(faulty)  # type: ignore[method-assign]
    server = start_server(ServeConfig(port=0), engine)
    statuses: dict[str, int] = {}

    def ask(text: str) -> None:
        statuses[text] = post_json(
            server, "/translate", {"q": text, "source": "en", "target": "ary"}
        )[0]

    first = threading.Thread(target=ask, args=("Hello.",))
    first.start()
    assert engine.entered.wait(30)
    batch = [
        threading.Thread(target=ask, args=(text,))
        for text in ("The milk is good.", "FAIL", "We want the book.")
    ]
    for thread in batch:
        thread.start()
    deadline = time.monotonic() + 30
    while server.batcher.waiting_texts < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    engine.gate.set()
    for thread in [first, *batch]:
        thread.join(60)
    assert statuses == {
        "Hello.": 200,
        "The milk is good.": 200,
        "FAIL": 500,
        "We want the book.": 200,
    }
