"""One loaded model translating with vocabulary maps call after call gives what a fresh one does.

CTranslate2 4.8.x keeps the previous call's map from target ids to the restricted output
layer and only adds to it: a second call with a map decodes from stale positions — a wrong
start token, or an ``IndexError`` once the new candidate set is smaller. The engine resets
the output layer before such a call (``Translator._reset_output_layer``). A crafted map makes
the sets very different in size: one source token of the first sentence allows 120 pieces,
nothing else allows any, so the second sentence's set is a handful.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from terjman_desktop.core.translate import (
    VMAP_NAME,
    Direction,
    SentenceCache,
    TranslationOptions,
    Translator,
    describe_files,
    load_package,
    write_manifest,
)

FIRST, SECOND = "I eat the bread every day.", "She drinks the tea."
EN_ARY = Direction("en", "ary")
GREEDY = TranslationOptions(beam_size=1, max_length=12)


def with_crafted_map(package: Path, folder: Path) -> Path:
    """A copy of ``package`` whose map gives one token of FIRST 120 candidates, others none."""
    shutil.copytree(package, folder)
    loaded = load_package(folder)
    translator = Translator(folder, device="cpu", threads=1)
    first = translator.tokenizer.encode(FIRST, "en", "ary")
    second = set(translator.tokenizer.encode(SECOND, "en", "ary"))
    translator.unload()
    key = next(token for token in first if token not in second)
    names = ("shared_vocabulary.json", "target_vocabulary.json")
    vocabulary = next(json.loads((folder / n).read_text("utf-8")) for n in names
                      if (folder / n).is_file())
    specials = {"<unk>", "<s>", "</s>", "<pad>"}
    many = [piece for piece in vocabulary if piece not in specials and " " not in piece][:120]
    forced = translator.tokenizer.target_prefix("en", "ary")
    (folder / VMAP_NAME).write_text(f"\t{' '.join(forced)}\n{key}\t{' '.join(many)}\n",
                                    encoding="utf-8")
    entries = [f for f in loaded.manifest.files if f.path != VMAP_NAME]
    entries += describe_files(folder, [VMAP_NAME])
    from dataclasses import replace

    write_manifest(folder, replace(loaded.manifest, files=tuple(entries)))
    return folder


def fresh(folder: Path, text: str, options: TranslationOptions) -> str:
    translator = Translator(folder, device="cpu", threads=1, cache=SentenceCache(0))
    try:
        return translator.translate_sentences([text], EN_ARY, options)[0][0].text
    finally:
        translator.unload()


@pytest.mark.parametrize("family", ["marian", "nllb"])
def test_calls_with_a_map_one_after_another_match_a_fresh_model(
    family: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    folder = with_crafted_map(request.getfixturevalue(f"{family}_package"), tmp_path / "pkg")
    translator = Translator(folder, device="cpu", threads=1, cache=SentenceCache(0))
    assert translator.has_vmap
    expected = {text: fresh(folder, text, GREEDY) for text in (FIRST, SECOND)}
    without = fresh(folder, SECOND, TranslationOptions(beam_size=1, max_length=12,
                                                       use_vmap=False))
    # Big set, small set, big, small, then without the map, then small again: each as fresh.
    for text in (FIRST, SECOND, FIRST, SECOND):
        assert translator.translate_sentences([text], EN_ARY, GREEDY)[0][0].text == (
            expected[text])
    no_map = TranslationOptions(beam_size=1, max_length=12, use_vmap=False)
    assert translator.translate_sentences([SECOND], EN_ARY, no_map)[0][0].text == without
    assert translator.translate_sentences([SECOND], EN_ARY, GREEDY)[0][0].text == (
        expected[SECOND])
    # A batch split into several model calls by a small token budget, with beam search.
    beam = TranslationOptions(beam_size=2, max_length=12, max_batch_tokens=8)
    batch = translator.translate_sentences([FIRST, SECOND, FIRST], EN_ARY, beam)
    assert [h[0].text for h in batch] == [fresh(folder, t, beam) for t in (FIRST, SECOND,
                                                                            FIRST)]
