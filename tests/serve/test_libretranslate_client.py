"""LibreTranslate's own Python bindings (libretranslatepy) work against our server unchanged."""

from __future__ import annotations

import urllib.error
from collections.abc import Callable

import pytest
from libretranslatepy import LibreTranslateAPI

from terjman_desktop.core.translate import Direction, Translator
from terjman_desktop.serve import ServeConfig, TranslationServer


def test_translate_languages_and_detect(
    server: TranslationServer, served_translator: Translator
) -> None:
    client = LibreTranslateAPI(server.url)
    english = "We want the book today."
    expected = served_translator.translate(english, Direction("en", "ary")).text
    assert client.translate(english, "en", "ary") == expected
    # A client that only knows Arabic asks for "ar": the same Darija.
    assert client.translate(english, "en", "ar") == expected
    darija = served_translator.translate(english, Direction("en", "ary")).text
    back = served_translator.translate(darija, Direction("ary", "en")).text
    assert client.translate(darija, "ary", "en") == back

    languages = {entry["code"]: entry for entry in client.languages()}
    assert set(languages) == {"en", "ary", "ar"}
    assert languages["en"]["targets"] == ["ary", "ar"]
    assert languages["ary"]["targets"] == ["en"]
    assert all(isinstance(entry["name"], str) and entry["name"] for entry in languages.values())

    assert client.detect("Where is the library, please?")[0]["language"] == "en"
    arabic = client.detect("واش نتا مزيان؟")
    assert arabic[0]["language"] == "ary" and arabic[0]["script"] == "Arab"
    arabizi = client.detect("wach nta mzyan? 3afak")
    assert arabizi[0]["language"] == "ary" and arabizi[0]["script"] == "Latn"
    assert 50 < arabizi[0]["confidence"] <= 100


def test_access_key(start_server: Callable[..., TranslationServer]) -> None:
    server = start_server(ServeConfig(port=0, api_key="classroom-7"))
    assert LibreTranslateAPI(server.url, api_key="classroom-7").translate("Hello.", "en", "ary")
    with pytest.raises(urllib.error.HTTPError) as wrong:
        LibreTranslateAPI(server.url, api_key="guess").translate("Hello.", "en", "ary")
    assert wrong.value.code == 403
    with pytest.raises(urllib.error.HTTPError) as missing:
        LibreTranslateAPI(server.url).translate("Hello.", "en", "ary")
    assert missing.value.code == 400
    assert b"access key" in missing.value.read()
    # Listing languages needs no key, as in LibreTranslate.
    assert LibreTranslateAPI(server.url).languages()
