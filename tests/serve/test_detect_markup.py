"""Detection by script, and the markup splitter of format=html."""

from __future__ import annotations

import pytest

from terjman_desktop.serve import detect
from terjman_desktop.serve.markup import split_markup


@pytest.mark.parametrize(
    ("text", "language", "script"),
    [
        ("Where is the station?", "en", "Latn"),
        ("I would like a coffee, please.", "en", "Latn"),
        ("فين كاينة المحطة؟", "ary", "Arab"),
        ("wach nta mzyan?", "ary", "Latn"),
        ("3afak fin kayna lmahatta", "ary", "Latn"),
        ("bghit nmchi l souk daba", "ary", "Latn"),
        ("12345 !!", "en", "Latn"),
    ],
)
def test_detect(text: str, language: str, script: str) -> None:
    found = detect(text)
    assert found[0].language == language and found[0].script == script
    assert len(found) == 2 and found[0].confidence >= found[1].confidence
    assert all(0 <= d.confidence <= 100 for d in found)


def test_markup_roundtrip_keeps_tags_and_escapes() -> None:
    markup = split_markup('<div title="a>b">Tom &amp; Jerry <i>run</i></div><style>p{}</style>')
    assert markup.texts == ["Tom & Jerry", "run"]
    rebuilt = markup.rebuild(["A < B", "C"])
    assert rebuilt == '<div title="a>b">A &lt; B <i>C</i></div><style>p{}</style>'
    assert split_markup("<br/>  ").texts == []
