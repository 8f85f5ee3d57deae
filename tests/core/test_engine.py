"""The Translator on real tiny CTranslate2 packages: layout, bad input, options, cancel,
spans, tokenization, cache, directions."""

from __future__ import annotations

import shutil
from collections import Counter
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.errors import (
    CancelledError,
    EngineError,
    InputError,
    PackageError,
    UnsupportedDirectionError,
)
from terjman_desktop.core.translate.direction import check_direction
from terjman_desktop.core.translate.engine import ModelCache, Translator
from terjman_desktop.core.translate.manifest import Direction
from terjman_desktop.core.translate.options import TranslationOptions
from terjman_desktop.core.translate.results import Translation
from terjman_desktop.core.translate.sentence_cache import SentenceCache
from trainer.synthetic_corpus import parallel_pairs

EN_ARY = Direction("en", "ary")
ARY_EN = Direction("ary", "en")
FAST = TranslationOptions.for_quality("fast")


@pytest.fixture(scope="module")
def marian(marian_package_int8: Path) -> Translator:
    return Translator(marian_package_int8, device="cpu", threads=1)


@pytest.fixture(scope="module")
def nllb(nllb_package: Path) -> Translator:
    return Translator(nllb_package, device="cpu", threads=1)


def paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()]


def test_translates_and_keeps_layout(marian: Translator) -> None:
    text = "  I eat the bread. She drinks the tea!\n\n- We want the car.\n2. They see the book.\n"
    result = marian.translate(text, EN_ARY, FAST)
    lines = result.text.split("\n")
    assert lines[0].startswith("  ") and lines[1] == ""
    assert lines[2].startswith("- ") and lines[3].startswith("2. ")
    assert result.text.endswith("\n")
    assert len(paragraphs(result.text)) == len(paragraphs(text))
    assert len(result.sentences) == 4
    # The models write Darija in Arabic script.
    assert all(any("\u0600" <= c <= "\u06ff" for c in s.text) for s in result.sentences)
    assert [s.paragraph for s in result.sentences] == [0, 0, 1, 1]


@pytest.mark.parametrize("text", ["", " ", "\n\n", "  \t\n  \n", "\u200b"])
def test_empty_or_whitespace_returns_the_same_text(marian: Translator, text: str) -> None:
    result = marian.translate(text, EN_ARY)
    assert result.text == text
    assert result.sentences == ()


@pytest.mark.parametrize(
    "text",
    [
        "I eat\x00 the\x07 bread\x1b.",
        "I\u200b eat\u200d the\ufeff bread.",
        "\u202bI eat the bread.\u202c \u200fShe drinks the tea.\u200e",
        "I eat the bread 🍞🥖 and drink the tea ☕.",
        "I eat الخبز and أتاي every day.",
        "𝕀 𝕖𝕒𝕥 𝕥𝕙𝕖 𝕓𝕣𝕖𝕒𝕕 — ✓",
        "I eat\r\nthe bread.\r\n\r\nShe drinks.",
    ],
)
def test_strange_text_is_translated_with_its_paragraphs(marian: Translator, text: str) -> None:
    result = marian.translate(text, EN_ARY, FAST)
    assert result.sentences
    assert result.text.count("\n") == text.count("\n")
    assert all(s.text for s in result.sentences)


@pytest.mark.parametrize("text", ["\ud800", "hello \udcff world", "a\n\ud83d"])
def test_lone_surrogate_is_a_clear_input_error(marian: Translator, text: str) -> None:
    # What a JSON "\ud800" or undecodable argument bytes become: refused before SentencePiece.
    with pytest.raises(InputError, match="lone surrogate"):
        marian.translate_many(["fine", text], EN_ARY, FAST)
    assert marian.translate("fine", EN_ARY, FAST).text  # the translator still works


def test_one_megabyte_paste(marian: Translator) -> None:
    english = [p[0] for p in parallel_pairs()]
    blocks = []
    size = 0
    index = 0
    while size < 1_000_000:
        paragraph = " ".join(english[(index + k) % len(english)] for k in range(5))
        blocks.append(paragraph)
        size += len(paragraph) + 2
        index += 5
    text = "\n\n".join(blocks)
    done: list[tuple[int, int]] = []
    result = marian.translate(text, EN_ARY, FAST, progress=lambda d, t: done.append((d, t)))
    assert len(paragraphs(result.text)) == len(blocks)
    assert len(result.sentences) == 5 * len(blocks)
    assert done[-1][0] == done[-1][1]


def test_long_sentence_without_punctuation_is_split_not_truncated(marian: Translator) -> None:
    words = [p[0].rstrip(".").lower() for p in parallel_pairs(limit=400)]
    text = " and ".join(words)[:5000]
    assert len(text) == 5000
    result = marian.translate(text, EN_ARY, FAST)
    assert len(result.sentences) > 1
    # Every part of the source was sent to the model: the pieces cover the whole text.
    assert "".join(s.source for s in result.sentences).replace(" ", "") == text.replace(" ", "")
    limit = marian.manifest.max_input_tokens
    assert all(marian.tokenizer.count(s.source) <= limit for s in result.sentences)
    assert "\n" not in result.text


def test_five_thousand_letters_without_spaces(marian: Translator) -> None:
    text = "breadtea" * 625
    result = marian.translate(text, EN_ARY, FAST)
    assert "".join(s.source for s in result.sentences) == text
    assert len(result.sentences) > 1


def test_alternatives_are_distinct_and_best_first(nllb: Translator) -> None:
    result = nllb.translate(
        "I want the tea.", EN_ARY, TranslationOptions.for_quality(beam_size=4, alternatives=3)
    )
    (sentence,) = result.sentences
    texts = [h.text for h in sentence.hypotheses]
    assert 1 < len(texts) <= 3
    assert len(set(texts)) == len(texts)
    scores = [h.score for h in sentence.hypotheses]
    assert all(s is not None for s in scores)
    assert scores == sorted(scores, reverse=True)  # type: ignore[type-var]


def test_scores_are_computed_only_when_asked(nllb: Translator) -> None:
    plain = nllb.translate("I want the tea.", EN_ARY, TranslationOptions.for_quality(beam_size=1))
    scored = nllb.translate(
        "I want the tea.", EN_ARY, TranslationOptions.for_quality(beam_size=1, scores=True)
    )
    assert all(h.score is None for s in plain.sentences for h in s.hypotheses)
    assert all(isinstance(h.score, float) for s in scored.sentences for h in s.hypotheses)
    assert scored.text == plain.text


def test_nllb_translates_both_directions_from_one_model(nllb: Translator) -> None:
    to_darija = nllb.translate("I eat the bread.", EN_ARY)
    to_english = nllb.translate("كناكل الخبز.", ARY_EN)
    assert any("\u0600" <= c <= "\u06ff" for c in to_darija.text)
    assert to_english.text and all(not ("\u0600" <= c <= "\u06ff") for c in to_english.text)


def test_unsupported_direction(marian: Translator) -> None:
    with pytest.raises(UnsupportedDirectionError, match=r"en→ary"):
        marian.translate("كناكل", ARY_EN)


def test_bad_quality_preset(marian: Translator) -> None:
    with pytest.raises(InputError, match="fast, balanced, best"):
        marian.translate("I eat.", EN_ARY, TranslationOptions.for_quality("perfect"))


def test_cancel_before_and_between_batches(marian: Translator) -> None:
    sentences = [p[0] for p in parallel_pairs(limit=300, seed=7)]
    token = CancelToken()
    token.cancel()
    with pytest.raises(CancelledError):
        marian.translate_sentences(sentences, EN_ARY, cancel=token)

    token = CancelToken()
    calls: list[int] = []

    def cancel_after_first_batch(done: int, total: int) -> None:
        calls.append(done)
        if done > 0:
            token.cancel()

    small_batches = TranslationOptions(beam_size=1, max_batch_tokens=128)
    with pytest.raises(CancelledError):
        marian.translate_sentences(
            sentences, EN_ARY, small_batches, cancel_after_first_batch, token
        )
    assert calls[-1] < len(sentences)


def test_repeated_sentences_reach_the_model_once(nllb_package: Path) -> None:
    translator = Translator(nllb_package, device="cpu", threads=1)
    totals: list[int] = []
    text = "I eat the bread. I eat the bread.\nI eat the bread."
    first = translator.translate(text, EN_ARY, progress=lambda d, t: totals.append(t))
    assert totals[-1] == 1
    totals.clear()
    edited = translator.translate(
        text + " She wants the tea.", EN_ARY, progress=lambda d, t: totals.append(t)
    )
    assert totals[-1] == 1  # only the new sentence is translated
    assert edited.sentences[0].text == first.sentences[0].text


def test_model_cache_keeps_at_most_two(
    marian_package: Path, marian_package_int8: Path, nllb_package: Path
) -> None:
    cache = ModelCache(max_loaded=2)
    first = cache.get(marian_package, device="cpu", threads=1)
    assert cache.get(marian_package, device="cpu", threads=1) is first
    cache.get(marian_package_int8, device="cpu", threads=1)
    cache.get(nllb_package, device="cpu", threads=1)
    assert len(cache) == 2
    assert not first.loaded
    with pytest.raises(EngineError, match="unloaded"):
        first.translate("I eat the bread.", EN_ARY)
    cache.unload()
    assert len(cache) == 0


def test_missing_model_file_is_named(marian_package: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(marian_package, broken)
    (broken / "model.bin").unlink()
    with pytest.raises(PackageError, match=r"'model\.bin' is missing"):
        Translator(broken, device="cpu")


def test_weights_that_ctranslate2_cannot_read(marian_package: Path, tmp_path: Path) -> None:
    from terjman_desktop.core.translate.package import describe_files, read_manifest, write_manifest

    broken = tmp_path / "garbage"
    shutil.copytree(marian_package, broken)
    (broken / "model.bin").write_bytes(b"not a model" * 100)
    manifest = read_manifest(broken)
    # A manifest that agrees with the garbage, so only CTranslate2 can notice.
    write_manifest(broken, type(manifest)(**{**manifest.__dict__, "files": describe_files(broken)}))
    with pytest.raises(EngineError, match="could not be loaded"):
        Translator(broken, device="cpu")


def test_translate_many_batches_units_together(marian: Translator) -> None:
    units = ["I eat the bread.", "", "  - She drinks the tea.\n", "I eat the bread."]
    totals: list[int] = []
    results = marian.translate_many(
        units, EN_ARY, FAST, progress=lambda d, t: totals.append(t)
    )
    assert [len(r.sentences) for r in results] == [1, 0, 1, 1]
    assert results[1].text == ""
    assert results[2].text.startswith("  - ") and results[2].text.endswith("\n")
    assert results[0].text == results[3].text
    assert totals[0] <= 2  # one pass over the distinct sentences


paragraph_text = st.lists(
    st.sampled_from([p[0] for p in parallel_pairs(limit=40)] + ["", "- I want the tea.", "2024"]),
    min_size=1,
    max_size=4,
).map(" ".join)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(paragraph_text, min_size=1, max_size=5),
    st.sampled_from(["\n\n", "\n\n\n", "\r\n\r\n"]),
)
def test_translation_keeps_the_paragraph_count(
    marian: Translator, blocks: list[str], separator: str
) -> None:
    text = separator.join(blocks)
    result = marian.translate(text, EN_ARY, FAST)
    assert result.text.count(separator) == text.count(separator)
    assert len(paragraphs(result.text.replace("\r", ""))) == len(paragraphs(text.replace("\r", "")))


# ------------------------------------------------------------------ spans


def assert_spans_exact(source: str, result: Translation) -> None:
    for sentence in result.sentences:
        start, end = sentence.source_span
        assert source[start:end] == sentence.source
        start, end = sentence.target_span
        assert result.text[start:end] == sentence.text
    ends = [s.target_span for s in result.sentences]
    assert all(a[1] <= b[0] for a, b in pairwise(ends))


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(paragraph_text, min_size=1, max_size=4), st.sampled_from(["\n", "\n\n", " "]))
def test_every_sentence_has_its_exact_spans(
    marian: Translator, blocks: list[str], separator: str
) -> None:
    text = separator.join(blocks)
    result = marian.translate(text, EN_ARY, FAST)
    assert_spans_exact(text, result)


def test_spans_of_repeated_sentences_whose_translation_is_also_layout(
    marian_package_int8: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where ``str.find`` on the output would pick the bullet instead of the sentence."""
    translator = Translator(marian_package_int8, device="cpu", threads=1)
    monkeypatch.setattr(type(translator.tokenizer), "decode", lambda self, tokens: "-")
    text = "- I eat the bread. I eat the bread.\n- I eat the bread."
    result = translator.translate(text, EN_ARY, FAST)
    assert result.text == "- - -\n- -"
    assert [s.target_span for s in result.sentences] == [(2, 3), (4, 5), (8, 9)]
    assert [s.source_span for s in result.sentences] == [(2, 18), (19, 35), (38, 54)]
    assert_spans_exact(text, result)


# ------------------------------------------------------------------ tokenization


@pytest.fixture
def tokenized(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times SentencePiece tokenized each string (every tokenizer path ends there)."""
    from terjman_desktop.core.translate import tokenize

    calls: Counter[str] = Counter()
    original = tokenize._SentencePiece.pieces

    def counting(self: Any, text: str) -> list[str]:
        calls[text] += 1
        return original(self, text)

    monkeypatch.setattr(tokenize._SentencePiece, "pieces", counting)
    return calls


def test_each_sentence_is_tokenized_once(
    marian_package_int8: Path, tokenized: Counter[str]
) -> None:
    translator = Translator(marian_package_int8, device="cpu", threads=1)
    text = "I eat the bread. She drinks\u200b the tea!\n\n- I eat the bread.\n2. They see the book."
    translator.translate(text, EN_ARY, FAST)
    assert tokenized == {"I eat the bread.": 1, "She drinks the tea!": 1, "They see the book.": 1}

    tokenized.clear()
    translator.translate_sentences(["We want the car.", "We want the car."], EN_ARY, FAST)
    assert tokenized == {"We want the car.": 1}


def test_a_long_sentence_is_tokenized_while_cut_never_after(
    marian_package_int8: Path, tokenized: Counter[str]
) -> None:
    translator = Translator(marian_package_int8, device="cpu", threads=1)
    words = [p[0].rstrip(".").lower() for p in parallel_pairs(limit=100)]
    text = " and ".join(words)[:2000]
    result = translator.translate(text, EN_ARY, FAST)
    assert len(result.sentences) > 1
    # Cutting measures candidate chunks; the chunks kept are not tokenized again.
    assert all(tokenized[s.source] == 1 for s in result.sentences)


def test_cached_sentences_are_not_tokenized_again(
    marian_package_int8: Path, tokenized: Counter[str]
) -> None:
    translator = Translator(marian_package_int8, device="cpu", threads=1)
    translator.translate("I eat the bread. She drinks the tea.", EN_ARY, FAST)
    tokenized.clear()
    result = translator.translate("I eat the bread. She drinks the tea. We want the car.",
                                  EN_ARY, FAST)
    assert tokenized == {"We want the car.": 1}
    assert len(result.sentences) == 3


# ------------------------------------------------------------------ the sentence cache


def model_calls(translator: Translator) -> list[int]:
    """Records how many sentences each call to CTranslate2 gets."""
    calls: list[int] = []
    model = translator._model
    original = model.translate_batch

    class Counting:
        def translate_batch(self, tokens: list[list[str]], **kwargs: Any) -> Any:
            calls.append(len(tokens))
            return original(tokens, **kwargs)

        def __getattr__(self, name: str) -> Any:
            return getattr(model, name)

    translator._model = Counting()
    return calls


def test_the_cache_answers_across_calls_and_translators(marian_package_int8: Path) -> None:
    cache = SentenceCache()
    first = Translator(marian_package_int8, device="cpu", threads=1, cache=cache)
    text = "I eat the bread. She drinks the tea."
    before = first.translate(text, EN_ARY, FAST)
    # Another translator of the same model (loaded again after an eviction) shares it.
    second = Translator(marian_package_int8, device="cpu", threads=1, cache=cache)
    calls = model_calls(second)
    hits = cache.hits
    again = second.translate(text, EN_ARY, FAST)
    assert calls == []
    assert cache.hits - hits == 2
    assert again.text == before.text
    assert again.sentences == before.sentences


def test_the_cache_key_holds_model_direction_and_options(
    marian_package_int8: Path, nllb_package: Path
) -> None:
    cache = SentenceCache()
    marian = Translator(marian_package_int8, device="cpu", threads=1, cache=cache)
    nllb = Translator(nllb_package, device="cpu", threads=1, cache=cache)
    marian.translate("I eat the bread.", EN_ARY, FAST)
    assert len(cache) == 1
    for translator, options in ((marian, TranslationOptions.for_quality("best")),
                                (nllb, FAST)):
        calls = model_calls(translator)
        translator.translate("I eat the bread.", EN_ARY, options)
        assert calls == [1]
    calls = model_calls(nllb)
    nllb.translate("I eat the bread.", ARY_EN, FAST)
    assert calls == [1]
    assert len(cache) == 4


def test_the_cache_is_bounded() -> None:
    from terjman_desktop.core.translate.results import Hypothesis
    from terjman_desktop.core.translate.sentence_cache import (
        CachedSentence,
        ModelKey,
        SentenceKey,
    )

    cache = SentenceCache(max_sentences=2)
    model = ModelKey("m", "/m", "cpu", "int8")
    keys = [SentenceKey(model, EN_ARY, FAST, str(i)) for i in range(3)]
    value = CachedSentence(3, (Hypothesis("x", None),))
    cache.put(keys[0], value)
    cache.put(keys[1], value)
    assert cache.get(keys[0]) is value  # now the most recent
    cache.put(keys[2], value)
    assert len(cache) == 2
    assert cache.get(keys[1]) is None and cache.get(keys[0]) is value
    off = SentenceCache(max_sentences=0)
    off.put(keys[0], value)
    assert len(off) == 0


def test_model_cache_shares_one_sentence_cache_and_forgets_a_removed_model(
    marian_package_int8: Path, nllb_package: Path
) -> None:
    models = ModelCache(max_loaded=1)
    marian = models.get(marian_package_int8, device="cpu", threads=1)
    marian.translate("I eat the bread.", EN_ARY, FAST)
    models.get(nllb_package, device="cpu", threads=1).translate("I eat the bread.", EN_ARY, FAST)
    assert not marian.loaded  # evicted, but its sentences stay
    reloaded = models.get(marian_package_int8, device="cpu", threads=1)
    assert reloaded.cache is models.sentences
    calls = model_calls(reloaded)
    reloaded.translate("I eat the bread.", EN_ARY, FAST)
    assert calls == []
    models.unload(marian_package_int8)  # removed or replaced: its translations go too
    assert len(models.sentences) == 1
    models.unload()
    assert len(models.sentences) == 0


# ------------------------------------------------------------------ directions


def test_check_direction_names_the_model_and_its_directions(marian: Translator) -> None:
    check_direction(marian.manifest, EN_ARY)
    with pytest.raises(UnsupportedDirectionError) as error:
        check_direction(marian.manifest, ARY_EN)
    assert error.value.message == f"The model '{marian.manifest.id}' cannot translate ary→en."
    assert error.value.hint == "It translates en→ary; pick another model or direction."
    with pytest.raises(TypeError, match="Direction"):
        check_direction(marian.manifest, ("en", "ary"))  # type: ignore[arg-type]


def test_a_direction_is_checked_before_any_work(
    marian: Translator, tokenized: Counter[str]
) -> None:
    for call in (marian.translate_many, marian.translate_sentences):
        with pytest.raises(UnsupportedDirectionError):
            call(["I eat the bread."], ARY_EN)
    assert not tokenized
