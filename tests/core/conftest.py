"""Fixtures for the core tests: local HTTP servers that can inject faults."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.core.http_server import FaultyHTTPServer


@pytest.fixture
def http_server() -> Iterator[FaultyHTTPServer]:
    """A running :class:`FaultyHTTPServer` (the first mirror); add files with ``.add``."""
    with FaultyHTTPServer() as server:
        yield server


@pytest.fixture
def second_http_server() -> Iterator[FaultyHTTPServer]:
    """Another, independent server on another port (a second mirror, a redirect target)."""
    with FaultyHTTPServer() as server:
        yield server
