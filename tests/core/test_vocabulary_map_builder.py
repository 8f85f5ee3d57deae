"""Vocabulary maps built from what the tiny real models write (translate/vocabulary_map.py).

A map is built from one part of the synthetic corpus and judged on the rest: greedy outputs
with the map must equal those without it, while each sentence scores far fewer pieces than
the whole vocabulary.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest

from terjman_desktop.core.errors import PackageError
from terjman_desktop.core.translate import (
    VMAP_NAME,
    Direction,
    Translator,
    VocabularyMapParameters,
    VocabularyMapStats,
    add_vocabulary_map,
    build_vocabulary_map,
    compare_vocabulary_map,
    identical_fraction,
    load_package,
)
from trainer.synthetic_corpus import parallel_pairs

PAIRS = parallel_pairs()
BUILD, HELD_OUT = PAIRS[:1200], PAIRS[1200:]
# The tiny models' vocabularies are 160 (Marian) and 804 (NLLB) pieces, and the corpus writes
# about 50: keep only a handful always, so the map really has to do the work.
TINY = VocabularyMapParameters(always_keep=8)
DIRECTIONS = {"marian": (Direction("en", "ary"),),
              "nllb": (Direction("en", "ary"), Direction("ary", "en"))}


def side(pairs: Sequence[tuple[str, str]], language: str) -> list[str]:
    return [en if language == "en" else ary for en, ary in pairs]


def corpus(family: str, pairs: Sequence[tuple[str, str]]) -> dict[Direction, list[str]]:
    return {d: side(pairs, d.source) for d in DIRECTIONS[family]}


def references(family: str) -> dict[str, list[str]]:
    return {d.target: side(BUILD, d.target) for d in DIRECTIONS[family]}


@pytest.fixture(scope="module", params=["marian", "nllb"])
def mapped(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Path, VocabularyMapStats]:
    """(family, a copy of the tiny package with a map built from BUILD, the map's figures)."""
    family = str(request.param)
    package = request.getfixturevalue(f"{family}_package")
    folder = tmp_path_factory.mktemp(f"vmap-{family}") / "package"
    shutil.copytree(package, folder)
    stats = add_vocabulary_map(folder, corpus(family, BUILD), references=references(family),
                               parameters=TINY)
    return family, folder, stats


def test_held_out_translations_are_unchanged_by_the_map(
    mapped: tuple[str, Path, VocabularyMapStats],
) -> None:
    family, folder, stats = mapped
    translator = Translator(folder, device="cpu", threads=1)
    assert translator.has_vmap
    comparisons = [
        compare_vocabulary_map(translator, side(HELD_OUT, d.source), d)
        for d in DIRECTIONS[family]
    ]
    assert all(len(c.with_map) == len(HELD_OUT) == 612 for c in comparisons)
    # Measured: 1.0 for both tiny models, every direction.
    assert identical_fraction(comparisons) >= 0.99
    assert all(c.identical >= 0.99 for c in comparisons)
    # ... while the map is much smaller than the vocabulary (Marian 160, NLLB 804 pieces).
    # Measured: Marian 27.3 candidates per source token, 51 per sentence; NLLB 7.9 and 36.
    assert stats.vocabulary_size == {"marian": 160, "nllb": 804}[family]
    assert stats.mean_candidates < stats.vocabulary_size / 4
    assert stats.mean_sentence_candidates < stats.vocabulary_size / 2
    # Each distinct sentence is translated once (Darija has fewer: verb forms coincide).
    assert stats.sentences == sum(len(set(side(BUILD, d.source))) for d in DIRECTIONS[family])


def test_the_map_is_listed_and_verified(mapped: tuple[str, Path, VocabularyMapStats]) -> None:
    _, folder, stats = mapped
    package = load_package(folder, verify_hashes=True)
    assert VMAP_NAME in [f.path for f in package.manifest.files]
    assert [f.path for f in package.manifest.files] == sorted(f.path for f in
                                                              package.manifest.files)
    lines = (folder / VMAP_NAME).read_text(encoding="utf-8").splitlines()
    assert len(lines) == stats.lines


def test_format_and_determinism(mapped: tuple[str, Path, VocabularyMapStats]) -> None:
    family, folder, stats = mapped
    built = build_vocabulary_map(folder, corpus(family, BUILD), references=references(family),
                                 parameters=TINY)
    text = built.text()
    # The same corpus gives the same file, byte for byte.
    assert text == (folder / VMAP_NAME).read_text(encoding="utf-8")
    assert built.stats == stats
    lines = text.splitlines()
    assert lines[0].startswith("\t")  # the always-kept pieces first
    keys = [line.split("\t")[0] for line in lines]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    vocabulary = set(json.loads(
        (folder / "shared_vocabulary.json").read_text(encoding="utf-8")))
    for line in lines:
        assert line.count("\t") == 1
        key, values = line.split("\t")
        tokens = values.split(" ")
        assert tokens == sorted(tokens) and all(tokens)
        assert set(tokens) <= vocabulary
        assert " " not in key
    always = set(lines[0][1:].split(" "))
    assert len(always) == stats.always_kept
    # Punctuation the target side writes is always kept; so is each direction's forced
    # language token (NLLB), the first token of every output.
    assert "." in always or "▁." in always
    if family == "nllb":
        assert {"ary_Arab", "eng_Latn"} <= always
        # The source language token is a key: it holds what that direction writes.
        assert "eng_Latn" in keys and "ary_Arab" in keys


def test_thresholds_shape_the_map(marian_package: Path) -> None:
    few = side(BUILD[:200], "en")
    loose = build_vocabulary_map(marian_package, {Direction("en", "ary"): few},
                                 parameters=VocabularyMapParameters(always_keep=0, min_count=1))
    strict = build_vocabulary_map(
        marian_package, {Direction("en", "ary"): few},
        parameters=VocabularyMapParameters(always_keep=0, min_count=5, max_per_token=3))
    assert max(map(len, strict.candidates.values())) <= 3
    assert strict.stats.mean_candidates < loose.stats.mean_candidates
    # With nothing kept for being frequent, only punctuation is always kept.
    assert all(not any(c.isalpha() for c in piece) for piece in loose.always)


def test_comparing_needs_a_map(marian_package: Path) -> None:
    with pytest.raises(PackageError, match="has no vocabulary map"):
        compare_vocabulary_map(marian_package, ["I want the tea."], Direction("en", "ary"))


def test_parameters_are_checked() -> None:
    assert VocabularyMapParameters().beams == (1, 2, 5)  # greedy and every quality preset
    with pytest.raises(ValueError, match="min_count"):
        VocabularyMapParameters(min_count=0)
    with pytest.raises(ValueError, match="beams"):
        VocabularyMapParameters(beams=())
