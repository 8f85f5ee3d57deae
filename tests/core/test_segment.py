"""Tests for terjman_desktop.core.translate.segment: layout kept, sentences found, long ones cut."""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Callable
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from terjman_desktop.core.translate.segment import Piece, Segmented, clean_for_model, segment

# Everything str.splitlines() breaks a line on.
LINE_BREAKS = [
    "\n",
    "\r\n",
    "\r",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x1d",
    "\x1e",
    "\x85",
    "\u2028",
    "\u2029",
]


def words(s: str) -> int:
    return len(s.split())


def thirds(s: str) -> int:
    return len(s) // 3 + 1


def letters(sentences: list[str]) -> str:
    return "".join(c for s in sentences for c in s if c.isalpha())


def bracket(s: str) -> str:
    return f"[{s}]"


def translate(text: str, fn: Callable[[str], str] = str.upper) -> str:
    doc = segment(text)
    return doc.join([fn(s) for s in doc.sentences]).text


def check_invariants(text: str, doc: Segmented) -> None:
    assert "".join(p.text for p in doc.pieces) == text
    assert doc.join(doc.sentences).text == text
    assert [text[start:end] for start, end in doc.sentence_spans] == doc.sentences
    # Translations of any length, empty or repeated, land where join says they are.
    translations = ["-" * (i % 3) for i in range(len(doc.sentences))]
    joined = doc.join(translations)
    assert [joined.text[start:end] for start, end in joined.spans] == translations
    assert all(a[1] <= b[0] for a, b in pairwise(joined.spans))
    for piece in doc.pieces:
        assert piece.text
        if piece.translatable:
            assert any(c.isalpha() for c in piece.text)
            assert piece.text == piece.text.strip()
            assert piece.text.splitlines() == [piece.text]
    paragraphs = [p.paragraph for p in doc.pieces]
    assert paragraphs == sorted(paragraphs)


# --- strategies --------------------------------------------------------------------------

LATIN_WORDS = [
    "hello",
    "World",
    "Mr.",
    "Dr.",
    "e.g.",
    "the",
    "U.S.",
    "J.",
    "3.14",
    "x@y.com",
    "https://a.b/c?d=1",
    "it's",
    "Rabat",
    "(see",
    "this)",
    '"quoted"',
    "2024",
]
ARABIC_WORDS = ["واش", "نتا", "مزيان", "أنا", "بخير", "شكرا", "المغرب", "زوين", "بزاف", "١٢"]
ENDINGS = ["", ".", "!", "?", "...", "?!", "؟", "…", '."', "!)", "،", ";", ":", ","]
PREFIXES = [
    "",
    "- ",
    "* ",
    "• ",
    "‣ ",
    "◦ ",
    "▪ ",
    "+ ",
    "– ",
    "— ",
    "1. ",
    "12) ",
    "(3) ",
    "a) ",
    "iv. ",
    "١. ",
    "٢) ",
    "# ",
    "### ",
    "> ",
    ">> - ",
    "  ",
    "\t",
]

sentence_st = st.builds(
    lambda ws, end: " ".join(ws) + end,
    st.lists(st.sampled_from(LATIN_WORDS + ARABIC_WORDS), min_size=1, max_size=8),
    st.sampled_from(ENDINGS),
)
line_st = st.one_of(
    st.builds(
        lambda prefix, sentences, gap, tail: prefix + gap.join(sentences) + tail,
        st.sampled_from(PREFIXES),
        st.lists(sentence_st, max_size=4),
        st.sampled_from([" ", "  ", "\t", "\u00a0", " \u200f"]),
        st.sampled_from(["", " ", "\t ", "🙂"]),
    ),
    st.sampled_from(["", "   ", "***", "2024", "12:30 - 13:00", "- - -", "🙂🙂"]),
)
document_st = st.builds(
    lambda lines, breaks: "".join(line + brk for line, brk in zip(lines, breaks, strict=False)),
    st.lists(line_st, max_size=12),
    st.lists(st.sampled_from(["\n", "\r\n", "\r", "\n\n", "\r\n\r\n", "\u2029"]), min_size=12),
).flatmap(lambda doc: st.sampled_from([doc, doc.rstrip("\r\n")]))


# --- round trip --------------------------------------------------------------------------


@given(st.text())
def test_round_trip_any_text(text: str) -> None:
    check_invariants(text, segment(text))


@given(document_st)
def test_round_trip_realistic_documents(text: str) -> None:
    check_invariants(text, segment(text))


@given(st.text(alphabet=st.sampled_from(["a", "B", " ", ".", "?", "\n", "\r", "-", "1", "ب"])))
def test_round_trip_dense_punctuation(text: str) -> None:
    check_invariants(text, segment(text))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(document_st, st.text()), st.integers(0, 12), st.sampled_from([words, thirds]))
def test_round_trip_with_token_limit(text: str, limit: int, counter: Callable[[str], int]) -> None:
    doc = segment(text, max_tokens=limit, count_tokens=counter)
    check_invariants(text, doc)
    for sentence in doc.sentences:
        # Within the limit, or a single character (with its combining marks) over it.
        one_char = len([c for c in sentence if not unicodedata.category(c).startswith("M")]) <= 1
        assert counter(sentence) <= limit or one_char
    # Cutting loses nothing: the same letters go to the model, in the same order.
    assert letters(doc.sentences) == letters(segment(text).sentences)


@given(st.text())
def test_line_breaks_are_always_layout(text: str) -> None:
    # Every character of a line break (as str.splitlines sees them) lies in a layout piece.
    break_offsets: set[int] = set()
    offset = 0
    for chunk in text.splitlines(keepends=True):
        line = chunk.splitlines()[0]
        break_offsets.update(range(offset + len(line), offset + len(chunk)))
        offset += len(chunk)
    offset = 0
    for piece in segment(text).pieces:
        if piece.translatable:
            assert not set(range(offset, offset + len(piece.text))) & break_offsets
        offset += len(piece.text)


@pytest.mark.parametrize("brk", LINE_BREAKS)
def test_every_kind_of_line_break_is_kept(brk: str) -> None:
    text = f"First line{brk}Second line"
    doc = segment(text)
    assert doc.sentences == ["First line", "Second line"]
    assert doc.join(["1", "2"]).text == f"1{brk}2"


# --- sentence splitting ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello there. How are you? I'm fine!", ["Hello there.", "How are you?", "I'm fine!"]),
        ("Wait... What?! Really!! Yes…", ["Wait...", "What?!", "Really!!", "Yes…"]),
        ("It is 5 p.m. Then we go.", ["It is 5 p.m. Then we go."]),
        (
            "Mr. Smith met Dr. Jones and Mrs. Brown on Main St. yesterday.",
            ["Mr. Smith met Dr. Jones and Mrs. Brown on Main St. yesterday."],
        ),
        (
            "Apples, pears, etc. Also Prof. Li vs. Sr. Ruiz.",
            ["Apples, pears, etc. Also Prof. Li vs. Sr. Ruiz."],
        ),
        ("Fruit, e.g. Apples, i.e. Red ones.", ["Fruit, e.g. Apples, i.e. Red ones."]),
        ("The U.S. Army is big. It is old.", ["The U.S. Army is big.", "It is old."]),
        ("J. K. Rowling wrote it. It sold well.", ["J. K. Rowling wrote it.", "It sold well."]),
        ("Room No. 5 is free. No. It is not.", ["Room No. 5 is free.", "No.", "It is not."]),
        ("Acme Inc. Makes tools. Acme Ltd. Too.", ["Acme Inc. Makes tools.", "Acme Ltd. Too."]),
        ('He said "Stop!" Then he left.', ['He said "Stop!"', "Then he left."]),
        ("(See below.) Next one.", ["(See below.)", "Next one."]),
        ('"Really?" "Yes." \'Fine.\'', ['"Really?"', '"Yes."', "'Fine.'"]),
        ("He wrote «Salam.» Then left.", ["He wrote «Salam.»", "Then left."]),
        ("Is it? ¿Qué? ¡Sí!", ["Is it?", "¿Qué?", "¡Sí!"]),
        ("It ended in 1999. 2000 was new.", ["It ended in 1999.", "2000 was new."]),
        ("I was... thinking. and then it rained", ["I was... thinking. and then it rained"]),
        (
            "Pi is 3.14 today. Mail a.b@c.org or see https://x.org/a.b?c=1 now.",
            ["Pi is 3.14 today.", "Mail a.b@c.org or see https://x.org/a.b?c=1 now."],
        ),
        ("One; Two: Three, Four.", ["One; Two: Three, Four."]),
        ("Thanks!\tBye.", ["Thanks!", "Bye."]),
    ],
)
def test_english_sentences(text: str, expected: list[str]) -> None:
    doc = segment(text)
    assert doc.sentences == expected
    assert doc.join(doc.sentences).text == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("واش نتا مزيان؟ أنا بخير، شكرا.", ["واش نتا مزيان؟", "أنا بخير، شكرا."]),
        ("سلام! كيداير؟ لاباس.", ["سلام!", "كيداير؟", "لاباس."]),
        ("مشيت للسوق؛ شريت الخبز، والحليب.", ["مشيت للسوق؛ شريت الخبز، والحليب."]),
        ("واش بصح؟! إيه.", ["واش بصح؟!", "إيه."]),
        ("قال ليا: «سير فحالك.» ومشا.", ["قال ليا: «سير فحالك.»", "ومشا."]),
        (
            "I love Morocco. المغرب زوين بزاف! Really?",
            ["I love Morocco.", "المغرب زوين بزاف!", "Really?"],
        ),
        ("سلام.\u200f Hello.", ["سلام.\u200f", "Hello."]),
        ("مرحبا. \u200eHello there.", ["مرحبا.", "\u200eHello there."]),
    ],
)
def test_darija_and_mixed_sentences(text: str, expected: list[str]) -> None:
    doc = segment(text)
    assert doc.sentences == expected
    assert doc.join(doc.sentences).text == text


def test_whitespace_between_sentences_is_layout() -> None:
    doc = segment("One.   Two.")
    assert doc.pieces == (
        Piece("One.", True, 0),
        Piece("   ", False, 0),
        Piece("Two.", True, 0),
    )


# --- layout ------------------------------------------------------------------------------


def test_bullets_and_numbering_are_kept() -> None:
    text = (
        "- first item. Second part\n"
        "* star\n"
        "  • dot\n"
        "‣ tri\n◦ ring\n▪ square\n+ plus\n– en\n— em\n"
        "1. one\n"
        "2) two\n"
        "(3) three\n"
        "10.2. deep\n"
        "a) letter\n"
        "B. capital\n"
        "C) paren\n"
        "IV. roman\n"
        "iv. roman\n"
        "(ix) roman\n"
        "# Heading\n"
        "### Sub heading\n"
        "> quoted\n"
        ">> - nested\n"
        "#hashtag stays\n"
        "-5 degrees\n"
        "mix. Done\n"
        "J. K. Rowling wrote it."
    )
    assert translate(text) == (
        "- FIRST ITEM. SECOND PART\n"
        "* STAR\n"
        "  • DOT\n"
        "‣ TRI\n◦ RING\n▪ SQUARE\n+ PLUS\n– EN\n— EM\n"
        "1. ONE\n"
        "2) TWO\n"
        "(3) THREE\n"
        "10.2. DEEP\n"
        "a) LETTER\n"
        "B. CAPITAL\n"
        "C) PAREN\n"
        "IV. ROMAN\n"
        "iv. ROMAN\n"
        "(ix) ROMAN\n"
        "# HEADING\n"
        "### SUB HEADING\n"
        "> QUOTED\n"
        ">> - NESTED\n"
        "#HASHTAG STAYS\n"
        "-5 DEGREES\n"
        "MIX. DONE\n"
        "J. K. ROWLING WROTE IT."
    )


def test_arabic_numbering_is_kept() -> None:
    text = "١. واش نتا مزيان؟\n٢) أنا بخير\n(٣) شكرا\n۴. بزاف"
    assert translate(text, bracket) == "١. [واش نتا مزيان؟]\n٢) [أنا بخير]\n(٣) [شكرا]\n۴. [بزاف]"


def test_blank_lines_and_surrounding_spaces_are_kept() -> None:
    text = "  Hello world.  \n\n\n   Bye now.\t\n \nLast one"
    doc = segment(text)
    assert doc.sentences == ["Hello world.", "Bye now.", "Last one"]
    assert doc.join(["A", "B", "C"]).text == "  A  \n\n\n   B\t\n \nC"
    assert doc.paragraph_count == 3
    assert [p.paragraph for p in doc.pieces if p.translatable] == [0, 1, 2]


def test_paragraphs_are_runs_of_non_blank_lines() -> None:
    doc = segment("One.\nTwo.\n\nThree.\n- four\n\n\n2024\n")
    assert doc.paragraph_count == 3
    assert [(p.text, p.paragraph) for p in doc.pieces if p.translatable] == [
        ("One.", 0),
        ("Two.", 0),
        ("Three.", 1),
        ("four", 1),
    ]


def test_crlf_is_kept() -> None:
    text = "One. Two.\r\n\r\nThree.\r\nFour\rFive.\r\n"
    assert translate(text) == "ONE. TWO.\r\n\r\nTHREE.\r\nFOUR\rFIVE.\r\n"


def test_letterless_pieces_are_not_translated() -> None:
    text = "2024\n12:30 - 13:00\n***\n🙂🙂\nMeet at 12:30. See you. 2024.\n- - -\n• • •"
    doc = segment(text)
    assert doc.sentences == ["Meet at 12:30.", "See you."]
    assert doc.join(["X", "Y"]).text == "2024\n12:30 - 13:00\n***\n🙂🙂\nX Y 2024.\n- - -\n• • •"


@pytest.mark.parametrize("text", ["", "  \n\n \t", "\n", "\r\n\r\n", "\u2028 \u3000"])
def test_blank_text_has_nothing_to_translate(text: str) -> None:
    doc = segment(text)
    assert doc.sentences == []
    assert doc.paragraph_count == 0
    assert doc.join([]).text == text


def test_control_characters_and_emoji_do_not_break_anything() -> None:
    text = "\x00\x01Hello.\x07 World 🙂👍🏽.\x7f\n\u200bزوين\u200d"
    doc = segment(text)
    check_invariants(text, doc)
    assert doc.sentences == ["\x00\x01Hello.\x07 World 🙂👍🏽.\x7f", "\u200bزوين\u200d"]


def test_join_gives_the_span_of_every_translation() -> None:
    text = "- Yes. Yes.\n\n2. Yes!"
    doc = segment(text)
    assert doc.sentences == ["Yes.", "Yes.", "Yes!"]
    assert doc.sentence_spans == [(2, 6), (7, 11), (16, 20)]
    # Repeated translations that also appear in the layout: searching the joined text for
    # them would find the bullet and the numbering first.
    joined = doc.join(["-", "-", "2."])
    assert joined.text == "- - -\n\n2. 2."
    assert joined.spans == ((2, 3), (4, 5), (10, 12))
    assert joined.text.find("-") == 0 and joined.text.find("2.") == 7


def test_join_rejects_a_wrong_number_of_translations() -> None:
    doc = segment("One. Two.")
    with pytest.raises(ValueError, match="expected 2 translations, got 1"):
        doc.join(["1"])
    with pytest.raises(ValueError, match="expected 2 translations, got 3"):
        doc.join(["1", "2", "3"])


# --- long sentences ----------------------------------------------------------------------


def test_long_sentence_is_cut_after_clause_punctuation_first() -> None:
    text = "one two three, four five six; seven eight nine: ten eleven twelve."
    doc = segment(text, max_tokens=3, count_tokens=words)
    assert doc.sentences == [
        "one two three,",
        "four five six;",
        "seven eight nine:",
        "ten eleven twelve.",
    ]
    assert doc.join(doc.sentences).text == text


def test_long_sentence_is_cut_at_arabic_commas_and_dashes() -> None:
    text = "واحد جوج، تلاتة ربعة — خمسة ستة – سبعة"
    doc = segment(text, max_tokens=3, count_tokens=words)  # a dash counts as a word here
    assert doc.sentences == ["واحد جوج،", "تلاتة ربعة —", "خمسة ستة –", "سبعة"]


def test_long_clause_is_cut_at_whitespace_and_packed() -> None:
    text = "a b c d e f g, h"
    doc = segment(text, max_tokens=3, count_tokens=words)
    assert doc.sentences == ["a b c", "d e f", "g,", "h"]
    assert doc.join(doc.sentences).text == text


def test_short_sentences_are_not_cut() -> None:
    doc = segment("One two three. Four five.", max_tokens=3, count_tokens=words)
    assert doc.sentences == ["One two three.", "Four five."]


def test_cut_needs_both_limit_and_counter() -> None:
    text = "one two three four five six"
    assert segment(text, max_tokens=2).sentences == [text]
    assert segment(text, count_tokens=words).sentences == [text]


def function_calls(action: Callable[[], object]) -> int:
    """How many Python and C functions ``action`` calls: a measure of work that, unlike a
    clock, gives the same figure on every machine and under any load."""
    calls = 0

    def profile(frame: object, event: str, arg: object) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(profile)
    try:
        action()
    finally:
        sys.setprofile(None)
    return calls


def assert_linear(make_text: Callable[[int], str], run: Callable[[str], object]) -> None:
    """Four times the input costs about four times the calls (quadratic work would be 16)."""
    small = function_calls(lambda: run(make_text(1)))
    large = function_calls(lambda: run(make_text(4)))
    assert large <= 5 * small + 1000, (small, large)


def test_long_word_is_cut_at_characters_in_linear_work() -> None:
    text = "x" * 5000
    calls = 0

    def counting(s: str) -> int:
        nonlocal calls
        calls += 1
        return thirds(s)

    doc = segment(text, max_tokens=50, count_tokens=counting)
    assert "".join(doc.sentences) == text
    assert all(thirds(s) <= 50 for s in doc.sentences)
    assert all(len(s) >= 140 for s in doc.sentences[:-1])  # packed, not one char at a time
    assert calls < 2000  # no re-counting after every character
    assert_linear(
        lambda k: "x" * 5000 * k, lambda t: segment(t, max_tokens=50, count_tokens=thirds)
    )


def test_long_unpunctuated_sentence_is_cut_at_words_in_linear_work() -> None:
    text = " ".join(["word"] * 1000)  # 4,999 characters, no punctuation
    doc = segment(text, max_tokens=40, count_tokens=words)
    assert [words(s) for s in doc.sentences] == [40] * 25
    assert doc.join(doc.sentences).text == text
    assert_linear(
        lambda k: " ".join(["word"] * 1000 * k),
        lambda t: segment(t, max_tokens=40, count_tokens=words),
    )


def test_single_character_over_the_limit_becomes_its_own_chunk() -> None:
    text = "abc دَرْ"
    doc = segment(text, max_tokens=0, count_tokens=len)
    # Arabic harakat stay with their letter.
    assert doc.sentences == ["a", "b", "c", "دَ", "رْ"]
    assert doc.join(doc.sentences).text == text


def test_letterless_chunks_of_a_long_sentence_are_layout() -> None:
    text = "2024, 2025, 2026, then more words here"
    doc = segment(text, max_tokens=2, count_tokens=words)
    assert doc.sentences == ["then more", "words here"]
    assert doc.join(["A", "B"]).text == "2024, 2025, 2026, A B"


# --- clean_for_model ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Hello   world  ", "Hello world"),
        ("tab\there", "tab here"),
        ("nb\u00a0sp thin\u2009space\u3000ideo", "nb sp thin space ideo"),
        ("bell\x07 and null\x00 and del\x7f", "bell and null and del"),
        ("zero\u200bwidth\u200c\u200d\u2060\ufeff", "zerowidth"),
        ("\u200fمرحبا\u200e \u061c\u202bنص\u202c \u2066x\u2069", "مرحبا نص x"),
        ("line\nbreak\r\nhere", "line break here"),
        ("e\u0301", "\u00e9"),  # NFC
        ("e\u200b\u0301", "\u00e9"),  # composes once the zero-width space is gone
        ("🙂 واش 日本 Ελλάδα", "🙂 واش 日本 Ελλάδα"),
        ("", ""),
        ("\u200b\u200f \t\x00", ""),
    ],
)
def test_clean_for_model(raw: str, clean: str) -> None:
    assert clean_for_model(raw) == clean


@given(st.text())
def test_clean_for_model_is_tidy(text: str) -> None:
    clean = clean_for_model(text)
    assert clean == clean.strip()
    assert "  " not in clean
    assert all(c == " " or not c.isspace() for c in clean)
    assert all(unicodedata.category(c) != "Cc" for c in clean)
    assert unicodedata.is_normalized("NFC", clean)
    assert clean_for_model(clean) == clean


# --- big inputs --------------------------------------------------------------------------


PASTE_BLOCK = (
    "- Mr. Smith went to Rabat. He liked it! Did he? Yes.\n"
    "  واش نتا مزيان؟ أنا بخير، شكرا. 2024\r\n"
    "\n"
)


def test_one_megabyte_paste() -> None:
    # Speed belongs in benchmarks/; here: the right result, and work that grows linearly.
    repeats = 1_000_000 // len(PASTE_BLOCK) + 1
    text = PASTE_BLOCK * repeats
    doc = segment(text)
    assert len(doc.sentences) == 6 * repeats
    assert doc.join(doc.sentences).text == text
    assert_linear(lambda k: PASTE_BLOCK * 500 * k, segment)


PATHOLOGICAL = {
    "dots": ".",
    "dot-space": ". ",
    "letters": "a ",
    "initials": "A. ",
    "newlines": "\n",
    "bullets": "- ",
    "one-word": "x",
}


@pytest.mark.parametrize("unit", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_megabyte_inputs_take_linear_work(unit: str) -> None:
    text = unit * (1_000_000 // len(unit))
    doc = segment(text, max_tokens=100, count_tokens=thirds)
    assert doc.join(doc.sentences).text == text
    assert_linear(
        lambda k: unit * (20_000 // len(unit)) * k,
        lambda t: segment(t, max_tokens=100, count_tokens=thirds),
    )
