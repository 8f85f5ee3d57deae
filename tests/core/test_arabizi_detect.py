"""Telling Arabic-script Darija, Arabizi and English apart (made-up examples)."""

from __future__ import annotations

import pytest

from terjman_desktop.core.translate import Script, classify_script, looks_like_arabizi


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("wach nta mzyan?", Script.ARABIZI),
        ("3afak", Script.ARABIZI),
        ("bghit nmchi l souk", Script.ARABIZI),
        ("salam, kidayra?", Script.ARABIZI),
        ("I want to go to the market", Script.ENGLISH),
        ("how are you?", Script.ENGLISH),
        ("Thank you very much", Script.ENGLISH),
        ("واش نتا مزيان؟", Script.ARABIC),
        ("شحال كيسوا had?", Script.ARABIC),  # more Arabic letters than Latin ones
        ("had lbrtkan شحال?", Script.ARABIZI),
        ("", Script.NONE),
        ("123 !? 🙂", Script.NONE),
    ],
)
def test_classify(text: str, script: Script) -> None:
    assert classify_script(text).script is script


def test_confidence_and_the_boolean() -> None:
    assert classify_script("wach nta mzyan?").confident
    assert looks_like_arabizi("wach nta mzyan?")
    assert not looks_like_arabizi("what is this?")
    assert not looks_like_arabizi("واش")
    # A lone word with no evidence either way: English, but not confidently.
    guess = classify_script("Rabat")
    assert guess.script is Script.ENGLISH
    assert not guess.confident
    # Numbers with letters are not sound digits: "10dh" says nothing.
    assert classify_script("10dh").arabizi_score == 0


def test_values_are_language_codes() -> None:
    assert Script.ARABIZI.value == "ary-Latn"
    assert Script.ARABIC.value == "ary"
    assert Script.ENGLISH.value == "en"
