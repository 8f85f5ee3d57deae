"""The API's answers: LibreTranslate's shapes for every way a client may ask."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import cast
from urllib.parse import urlencode

import pytest

from terjman_desktop.core.translate import Direction, TranslationOptions, Translator
from terjman_desktop.serve import Limits, LoadedEngine, ServeConfig, TranslationServer
from tests.serve.helpers import post_json, request

EN_ARY = Direction("en", "ary")


def _expected(translator: Translator, text: str, direction: Direction = EN_ARY) -> str:
    return translator.translate(text, direction, TranslationOptions.for_quality()).text


def test_json_form_multipart_and_query_bodies(
    server: TranslationServer, served_translator: Translator
) -> None:
    text = "We want the milk."
    expected = _expected(served_translator, text)
    fields = {"q": text, "source": "en", "target": "ary"}
    status, headers, body = post_json(server, "/translate", fields)
    assert (status, body) == (200, {"translatedText": expected})
    assert headers["access-control-allow-origin"] == "*"
    status, _, body = request(
        server,
        "POST",
        "/translate",
        urlencode(fields),
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert (status, body) == (200, {"translatedText": expected})
    boundary = "----terjman"
    parts = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
        for k, v in fields.items()
    )
    status, _, body = request(
        server,
        "POST",
        "/translate",
        parts + f"--{boundary}--\r\n",
        {"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert (status, body) == (200, {"translatedText": expected})
    status, _, body = request(server, "POST", "/translate?" + urlencode(fields))
    assert (status, body) == (200, {"translatedText": expected})
    # fetch() with a string body says text/plain: still read as the JSON it is.
    status, _, body = request(
        server,
        "POST",
        "/translate",
        json.dumps(fields),
        {"Content-Type": "text/plain;charset=UTF-8"},
    )
    assert (status, body) == (200, {"translatedText": expected})


def test_lists_alternatives_auto_and_arabizi_reading(
    server: TranslationServer, served_translator: Translator
) -> None:
    texts = ["We want the book today.", "The milk is good."]
    status, _, body = post_json(
        server,
        "/translate",
        {"q": texts, "source": "auto", "target": "ary", "alternatives": 2, "arabizi": True},
    )
    assert status == 200
    assert body["translatedText"] == [_expected(served_translator, t) for t in texts]
    assert (
        body["detectedLanguage"]
        == [{"confidence": body["detectedLanguage"][0]["confidence"], "language": "en"}] * 2
    )
    assert len(body["alternatives"]) == 2
    for best, others in zip(body["translatedText"], body["alternatives"], strict=True):
        assert best not in others and len(set(others)) == len(others) <= 2
    assert all(isinstance(r, str) and r.isascii() for r in body["arabizi"])
    # Without asking, no extension field appears.
    status, _, body = post_json(
        server, "/translate", {"q": "Hello.", "source": "en", "target": "ary"}
    )
    assert set(body) == {"translatedText"}


def test_darija_in_latin_letters_is_converted_first(
    server: TranslationServer, served_translator: Translator
) -> None:
    from terjman_desktop.core.translate import arabizi_to_arabic

    typed = "wach nta mzyan?"
    expected = _expected(served_translator, arabizi_to_arabic(typed), Direction("ary", "en"))
    status, _, body = post_json(server, "/translate", {"q": typed, "source": "ary", "target": "en"})
    assert (status, body["translatedText"]) == (200, expected)


def test_html_keeps_the_markup(server: TranslationServer, served_translator: Translator) -> None:
    markup = (
        '<p class="x">We want the book <b>today</b>.</p><script>var a = "<b>";</script>'
        "<!-- note -->&amp;"
    )
    status, _, body = post_json(
        server, "/translate", {"q": markup, "source": "en", "target": "ary", "format": "html"}
    )
    assert status == 200
    out = body["translatedText"]
    assert out.startswith('<p class="x">') and "<b>" in out and "</b>" in out
    assert '<script>var a = "<b>";</script><!-- note -->&amp;' in out
    assert _expected(served_translator, "We want the book") in out


def test_languages_settings_page_and_cors(server: TranslationServer) -> None:
    status, _, settings = request(server, "GET", "/frontend/settings")
    assert status == 200
    assert settings["charLimit"] == Limits().char_limit
    assert settings["keyRequired"] is False and settings["suggestions"] is False
    assert settings["language"]["source"]["code"] == "en"
    status, headers, page = request(server, "GET", "/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert b"<textarea" in page and b"http" not in page.replace(b"http-equiv", b"")
    for name in ("app.js", "app.css"):
        status, _, data = request(server, "GET", f"/{name}")
        assert status == 200 and data
    status, headers, _ = request(
        server,
        "OPTIONS",
        "/translate",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"},
    )
    assert status == 204
    assert "POST" in headers["access-control-allow-methods"]
    assert "Content-Type" in headers["access-control-allow-headers"]
    status, headers, _ = request(
        server,
        "OPTIONS",
        "/detect",
        headers={
            "Origin": "moz-extension://x",
            "Access-Control-Request-Headers": "x-requested-with",
        },
    )
    assert status == 204 and "x-requested-with" in headers["access-control-allow-headers"]


def test_log_has_no_text_unless_asked(
    start_server: Callable[..., TranslationServer], caplog: pytest.LogCaptureFixture
) -> None:
    secret = "My secret sentence."
    with caplog.at_level(logging.INFO, logger="terjman_desktop.serve"):
        quiet = start_server()
        assert (
            post_json(quiet, "/translate", {"q": secret, "source": "en", "target": "ary"})[0] == 200
        )
        assert "POST /translate 200" in caplog.text and secret not in caplog.text
        loud = start_server(ServeConfig(port=0, log_text=True))
        assert (
            post_json(loud, "/translate", {"q": secret, "source": "en", "target": "ary"})[0] == 200
        )
        assert secret in caplog.text


def test_head_and_absolute_form_targets(server: TranslationServer) -> None:
    status, headers, body = request(server, "HEAD", "/")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 0
    status, _, languages = request(server, "GET", f"http://127.0.0.1:{server.port}/languages")
    assert status == 200 and languages[0]["code"] == "en"


def test_addresses_for_students(
    start_server: Callable[..., TranslationServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    import ipaddress

    from terjman_desktop.serve import lan_addresses
    from terjman_desktop.serve import server as server_module

    for address in lan_addresses():
        ip = ipaddress.IPv4Address(address)
        assert not (ip.is_loopback or ip.is_link_local or ip.is_unspecified)
    local = start_server()
    assert not local.shared and not local.on_network and local.url.startswith("http://127.0.0.1")
    monkeypatch.setattr(server_module, "lan_addresses", lambda: ["192.168.7.20"])
    shared = start_server(ServeConfig(host="0.0.0.0", port=0, api_key="a b"))
    assert shared.shared and shared.on_network
    assert shared.urls() == [
        f"http://192.168.7.20:{shared.port}/",
        f"http://127.0.0.1:{shared.port}/",
    ]
    assert shared.page_url() == f"http://192.168.7.20:{shared.port}/#key=a%20b"
    monkeypatch.setattr(server_module, "lan_addresses", list)  # on no network at all
    assert shared.shared and not shared.on_network
    assert request(shared, "GET", "/languages")[0] == 200  # still serves this computer


class _RecordingTranslator:
    """The served translator, recording the options each model call gets."""

    def __init__(self, translator: Translator) -> None:
        self.translator = translator
        self.options: list[TranslationOptions | None] = []

    def translate_many(self, texts: list[str], direction: Direction,
                       options: TranslationOptions | None = None) -> object:
        self.options.append(options)
        return self.translator.translate_many(texts, direction, options)

    def __getattr__(self, name: str) -> object:
        return getattr(self.translator, name)


@pytest.mark.parametrize("use_vmap", [True, False])
def test_the_vocabulary_map_setting_reaches_the_model(
    start_server: Callable[..., TranslationServer], served_translator: Translator,
    use_vmap: bool,
) -> None:
    recording = _RecordingTranslator(served_translator)
    engine = LoadedEngine(cast(Translator, recording))  # the real translator, spied on
    server = start_server(ServeConfig(port=0, use_vmap=use_vmap), engine)
    status, _, body = post_json(server, "/translate",
                                {"q": "Hello.", "source": "en", "target": "ary"})
    assert status == 200 and body["translatedText"]
    assert recording.options
    assert all(o is not None and o.use_vmap is use_vmap for o in recording.options)
