"""A real browser (headless Chromium) loads the phone page, types, and sees the translation."""

from __future__ import annotations

import json

import pytest

from terjman_desktop.core.translate import Direction, TranslationOptions, Translator, to_arabizi
from terjman_desktop.serve import TranslationServer
from tests.serve.chromium import Chromium, chromium_binary

BINARY = chromium_binary()
pytestmark = pytest.mark.skipif(BINARY is None, reason="no Chromium binary on this machine")


def test_phone_page_translates_as_you_type(
    server: TranslationServer, served_translator: Translator
) -> None:
    assert BINARY is not None
    text = "We want the book today."
    options = TranslationOptions.for_quality()
    expected = served_translator.translate(text, Direction("en", "ary"), options).text
    with Chromium(BINARY) as browser:
        browser.open_as_phone(server.url)
        assert browser.evaluate("window.innerWidth") == 390
        # The page fits the phone: nothing scrolls sideways.
        assert browser.evaluate("document.documentElement.scrollWidth") <= 390
        browser.type_text("source", text)
        shown = browser.wait_for(
            "document.getElementById('status').textContent === '' && "
            "document.getElementById('output').textContent"
        )
        assert shown == expected
        assert browser.evaluate("document.getElementById('output').dir") == "rtl"
        assert browser.evaluate("document.getElementById('arabizi').textContent") == to_arabizi(
            expected
        )
        assert browser.evaluate("document.getElementById('copy').disabled") is False

        # The other direction, one tap away: Darija in, English out, left to right.
        browser.evaluate("document.getElementById('to-english').click()")
        back = served_translator.translate(expected, Direction("ary", "en"), options).text
        browser.evaluate("document.getElementById('source').value = ''")
        browser.type_text("source", expected)
        shown = browser.wait_for(
            f"document.getElementById('output').textContent === {json.dumps(back)} && "
            "document.getElementById('output').dir === 'ltr'"
        )
        assert shown is True
        # Nothing was fetched from anywhere but this server.
        origins = browser.evaluate(
            "performance.getEntriesByType('resource').map(e => new URL(e.name).origin)"
        )
        assert set(origins) <= {server.url.rstrip("/")}
