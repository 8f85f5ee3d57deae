"""Arabizi → Arabic script: the letter rules, the lexicon, and what is left alone.

Every example here is made up for these tests (none is a DODa row).
"""

from __future__ import annotations

import pytest

from terjman_desktop.core.translate import arabizi_to_arabic
from terjman_desktop.core.translate.arabizi_lexicon import parse_lexicon


def test_the_acceptance_sentence() -> None:
    assert arabizi_to_arabic("wach nta mzyan?") == "واش نتا مزيان?"


@pytest.mark.parametrize(
    ("latin", "arabic"),
    [
        ("3la", "علا"),  # digits for the sounds Latin lacks
        ("7ma9", "حماق"),
        ("5obz", "خوبز"),
        ("chrab", "شراب"),  # digraphs
        ("khobz", "خوبز"),
        ("ghzal", "غزال"),
        ("kteb", "كتب"),  # e is a short vowel: not written
        ("tbiSa", "تبيصا"),  # a capital inside a word is an emphatic
        ("mriD", "مريض"),
        ("Salam", "سالام"),  # a capital first letter is only a capital
        ("SALAM", "سالام"),
        ("9elbi", "قلبي"),
        ("ttri9", "التريق"),  # a doubled sun letter at the start is the article
        ("mkhebba", "مخبّا"),  # a doubled consonant takes a shadda
        ("gamila", "ڭاميلا"),
    ],
)
def test_letter_rules(latin: str, arabic: str) -> None:
    assert arabizi_to_arabic(latin, lexicon=False) == arabic


def test_keeps_what_is_not_a_latin_word() -> None:
    assert arabizi_to_arabic("") == ""
    assert arabizi_to_arabic("2024, 10 — 🙂 (!)") == "2024, 10 — 🙂 (!)"
    assert arabizi_to_arabic("kteb\n\n  sme3") == "كتب\n\n  سمع"
    assert arabizi_to_arabic("سلام kteb") == "سلام كتب"


def test_parse_lexicon_skips_comments_and_broken_lines() -> None:
    text = "# header\n\nfoo\tفو\nbroken line\n\tنص\nbar\tبار \n"
    assert parse_lexicon(text) == {"foo": "فو", "bar": "بار"}
