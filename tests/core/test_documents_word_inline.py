"""Links and inline formatting carried through translation: the alignment and the markers.

Deterministic: translations are given, so every path (markers kept, markers lost, anchors,
positions only, too few words) is checked exactly. The real-model paths are in
test_documents_word.py, test_documents_pptx.py and test_documents_odt.py.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terjman_desktop.core.documents.inline import (
    align,
    from_markers,
    place_unit,
    similarity,
    with_markers,
    without_markers,
)

PIECES = ["They drink the ", "coffee", " now."]


def test_the_anchor_finds_the_word_of_a_link() -> None:
    # The tiny model translates "coffee" alone as "كتاكل القهوة." (it adds a verb).
    texts = align(PIECES, [1], "كيشربو القهوة كل نهار.", ["كتاكل القهوة."])
    assert texts == ["كيشربو ", "القهوة", " كل نهار."]


def test_two_links_in_two_sentences_each_get_their_words() -> None:
    pieces = ["Visit ", "the school website", ". Then read ", "this page", "."]
    target = "زور السيت ديال المدرسة. من بعد قرا هاد الصفحة."
    texts = align(pieces, [1, 3], target, ["السيت ديال المدرسة", "هاد الصفحة"])
    assert texts == ["زور ", "السيت ديال المدرسة", ". من بعد قرا ", "هاد الصفحة", "."]


def test_a_name_or_a_number_copied_as_is_is_found_exactly() -> None:
    pieces = ["Read the page ", "42", " of the book by ", "Laila", " today."]
    target = "قرا الصفحة 42 ديال الكتاب ديال Laila اليوم."
    texts = align(pieces, [1, 3], target, [None, None])
    assert texts is not None and texts[1] == "42" and texts[3] == "Laila"


def test_without_anchors_position_decides_and_nothing_is_empty() -> None:
    pieces = ["I ", "really", " like the ", "green", " tea very much."]
    target = "أنا بصح كنبغي أتاي الخضر بزاف."
    texts = align(pieces, [1, 3], target, [None, None])
    assert texts is not None and "".join(texts) == target
    assert texts[1].strip() and texts[3].strip()
    assert texts[1].strip() != target and texts[3].strip() != target


def test_trailing_punctuation_leaves_a_link_that_had_none() -> None:
    texts = align(["Go to ", "the website", "."], [1], "سير للموقع.", ["الموقع"])
    assert texts == ["سير ", "للموقع", "."]


def test_more_links_than_words_cuts_characters_then_gives_up() -> None:
    texts = align(["a", "b", "c"], [0, 1, 2], "xyz", [None] * 3)
    assert texts == ["x", "y", "z"]
    assert align(["a", "b", "c"], [0, 1, 2], "xy", [None] * 3) is None
    placement = place_unit(["a", "b", "c"], [0, 1, 2], "xy", ["", "", ""])
    assert placement.method == "source" and placement.texts == ["a", "b", "c"]


def test_similarity_prefers_the_same_word() -> None:
    assert similarity("كتاكل القهوة.", "القهوة") > similarity("كتاكل القهوة.", "القهوة كل")
    assert similarity("الصفحة", "صفحة") > 0.5
    assert similarity("", "x") == 0.0


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text(alphabet="ab ,.", min_size=1, max_size=8), min_size=1, max_size=6),
    st.lists(st.booleans(), min_size=6, max_size=6),
    st.text(alphabet="ابت ثج.,", max_size=40),
)
def test_alignment_never_loses_text_or_a_marked_piece(
    pieces: list[str], flags: list[bool], target: str
) -> None:
    marked = [i for i, piece in enumerate(pieces) if flags[i] and piece.strip(" ,.")]
    texts = align(pieces, marked, target, [None] * len(marked))
    if texts is None:
        assert sum(not c.isspace() for c in target) < len(marked)
        return
    assert "".join(texts) == target
    assert len(texts) == len(pieces)
    assert all(texts[i].strip() for i in marked)


# ----------------------------------------------------------------------------- markers


def test_markers_wrap_the_words_of_marked_pieces() -> None:
    assert with_markers(PIECES, [1]) == "They drink the <1>coffee</1> now."
    assert with_markers([" bold ", "rest"], [0]) == " <1>bold</1> rest"


def test_kept_markers_place_the_pieces_exactly() -> None:
    pieces = ["Visit ", "the school website", ". Then read ", "this page", "."]
    target = "زور <1>السيت ديال المدرسة</1>. من بعد قرا <2>هاد الصفحة</2>."
    assert from_markers(pieces, [1, 3], target) == [
        "زور ",
        "السيت ديال المدرسة",
        ". من بعد قرا ",
        "هاد الصفحة",
        ".",
    ]
    placement = place_unit(pieces, [1, 3], target, ["x", "y"], markers=True)
    assert placement.method == "markers"


@pytest.mark.parametrize(
    "target",
    [
        "كيشربو القهوة دابا.",  # dropped
        "كيشربو <1>القهوة دابا.",  # half dropped
        "كيشربو <1>القهوة</1> <1>دابا</1>.",  # repeated
        "كيشربو <1> </1> القهوة دابا.",  # around nothing
        "كيشربو </1>القهوة<1> دابا.",  # closed before opened
        "كيشربو <2>القهوة</2> دابا.",  # renumbered
        "كيشربو <1>القهوة</1> دابا <",  # a broken tag outside
    ],
)
def test_lost_or_mangled_markers_fall_back_to_alignment(target: str) -> None:
    assert from_markers(PIECES, [1], target) is None
    placement = place_unit(PIECES, [1], target, ["القهوة"], markers=True)
    assert placement.method == "aligned"
    assert "<" not in "".join(placement.texts) and ">" not in "".join(placement.texts)
    assert placement.texts[1] == "القهوة"


def test_reordered_markers_fall_back_to_alignment_in_source_order() -> None:
    pieces = ["A ", "red", " and ", "blue", " car."]
    target = "طوموبيل <2>زرقة</2> و <1>حمرا</1>."
    placement = place_unit(pieces, [1, 3], target, ["حمرا", "زرقة"], markers=True)
    assert placement.method == "aligned"
    assert placement.texts[1].strip() and placement.texts[3].strip()
    assert "".join(placement.texts) == without_markers(target)


def test_unchanged_or_plain_units() -> None:
    assert place_unit(PIECES, [1], "They drink the coffee now.", ["x"]).method == "source"
    single = place_unit(["Hello there."], [], "سلام.", [])
    assert single.method == "single" and single.texts == ["سلام."]


def test_a_paragraph_of_thousands_of_runs_is_placed_by_position() -> None:
    # Coloured code: every other word its own run. Too many for the search: each still
    # gets a word of its own, in order.
    pieces = [f"word{i} " for i in range(3000)]
    marked = list(range(1, 3000, 2))
    target = " ".join(f"كلمة{i}" for i in range(2500))
    placement = place_unit(pieces, marked, target, ["x"] * len(marked))
    assert placement.method == "aligned" and "".join(placement.texts) == target
    assert all(placement.texts[i].strip() for i in marked)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 40), st.integers(0, 400), st.integers(1, 6))
def test_position_placement_keeps_every_marked_piece(links: int, extra: int, gap: int) -> None:
    pieces: list[str] = []
    for i in range(links):
        pieces += ["plain words " * gap, f"link{i}"]
    marked = list(range(1, 2 * links, 2))
    target = " ".join("ك" for _ in range(links + extra))
    texts = align(pieces, marked, target, [None] * links)
    assert texts is not None and "".join(texts) == target
    assert all(texts[i].strip() for i in marked)


def test_an_empty_translation_keeps_the_source_and_controls_never_reach_the_file() -> None:
    from lxml import etree

    from terjman_desktop.core.documents.inline import Piece, Slot, Unit, write_unit

    assert place_unit(["Hello there."], [], "  ", []).method == "source"
    assert place_unit(PIECES, [1], "", ["x"]).texts == PIECES
    element = etree.Element("t")
    unit = Unit(None, [Piece("", slots=[Slot(element)])])
    write_unit(unit, ["سلام\x0b\x01 صاحبي"])
    assert element.text == "سلام صاحبي"


def test_a_link_without_words_keeps_its_symbol() -> None:
    from lxml import etree

    from terjman_desktop.core.documents.inline import InlineBatch, Piece, Slot, Unit

    elements = [etree.Element("t") for _ in range(3)]
    for element, text in zip(elements, ["Read the notes ", "→", " today."], strict=True):
        element.text = text
    unit = Unit(
        None,
        [
            Piece("", slots=[Slot(elements[0])]),
            Piece("link", link=True, slots=[Slot(elements[1])]),
            Piece("", slots=[Slot(elements[2])]),
        ],
    )
    batch = InlineBatch([unit])
    assert batch.texts == ["Read the notes → today."]  # no anchor: nothing to translate
    batch.write(["قرا الملاحظات → اليوم."])
    assert elements[1].text == "→"
    assert "".join(e.text or "" for e in elements).count("→") == 1
