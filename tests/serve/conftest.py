"""Fixtures for the classroom server: a real server on 127.0.0.1 over a tiny real model."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from terjman_desktop.core.translate import Translator
from terjman_desktop.serve import (
    LoadedEngine,
    ServeConfig,
    TranslationServer,
)


@pytest.fixture(scope="session")
def served_translator(nllb_package: Path) -> Iterator[Translator]:
    """The tiny NLLB model (both directions), loaded once for every server test."""
    translator = Translator(nllb_package, device="cpu", threads=1)
    yield translator
    translator.unload()


@pytest.fixture
def start_server(served_translator: Translator) -> Iterator[Callable[..., TranslationServer]]:
    """``start_server(config=…, engine=…)``: a started server, stopped after the test."""
    started: list[TranslationServer] = []

    def start(config: ServeConfig | None = None, engine: Any = None) -> TranslationServer:
        server = TranslationServer(
            engine or LoadedEngine(served_translator), config or ServeConfig(port=0)
        )
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def server(start_server: Callable[..., TranslationServer]) -> TranslationServer:
    return start_server()
