"""The engine's output equals Hugging Face's, token for token, on trained tiny models.

This is what proves tokenization, special tokens, language prefixes, the Marian decoder start
embedding and detokenization: a float32 package translated greedily by our engine must give
exactly what ``generate(num_beams=1)`` gives on the checkpoint it was exported from, decoded
with the Hugging Face tokenizer. Both sides use the same length limits.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from terjman_desktop.core.engine import DecodingOptions, Translator
from terjman_desktop.core.tokenize import load_tokenizer
from trainer.synthetic_corpus import parallel_pairs

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

pytestmark = pytest.mark.slow

MAX_NEW_TOKENS = 40

# Sentences the tiny models never saw, with what real users type: names, numbers, odd
# punctuation, lowercase, unknown characters (emoji), mixed scripts.
ENGLISH_EXTRA = [
    "I eat the bread and the milk.",
    "you drink the tea every day",
    "Where is the market? I want the car.",
    "My name is Amina and I like the couscous.",
    "They buy 3 oranges for 10 dirhams.",
    "She sees the book 📚 now!",
    "Hello, how are you, Youssef?",
    "We want the house tomorrow... maybe.",
    "The coffee is hot — very hot.",
    "He eats the bread in Casablanca.",
    "I don't know where the water is.",
    "Good night, see you tomorrow!",
    "THEY LIKE THE TEA.",
    "Please speak slowly, I am tired.",
    "How much is the car? 200,000 dirhams?",
    "I like كسكس very much.",
]
DARIJA_EXTRA = [
    "كناكل الخبز و الحليب.",
    "فين كاين السوق؟",
    "شكرا بزاف، نتلاقاو غدا.",
    "بغيت أتاي دابا!",
    "سميتي أمينة.",
    "كيشربو القهوة كل نهار فالدار.",
    "واش نتا مزيان؟",
    "بشحال هادي؟ 50 درهم؟",
    "كنبغي الكسكسو 😋",
    "I want أتاي.",
]


def english_sentences() -> list[str]:
    seen = [p[0] for p in parallel_pairs(limit=44, seed=1)]
    return seen + ENGLISH_EXTRA


def darija_sentences() -> list[str]:
    seen = [p[1] for p in parallel_pairs(limit=44, seed=2)]
    return seen + DARIJA_EXTRA


def greedy_options() -> DecodingOptions:
    # A fixed cap on both sides (the ratio is made large so the cap decides) and no minimum
    # length, which is Hugging Face's default.
    return DecodingOptions(
        beam_size=1, min_decoding_length=0, max_decoding_length=MAX_NEW_TOKENS,
        max_length_ratio=1000.0,
    )


def hf_generate(
    checkpoint: Path, sentences: Sequence[str], *, src_lang: str | None = None,
    tgt_lang: str | None = None,
) -> list[str]:
    tokenizer: Any = transformers.AutoTokenizer.from_pretrained(checkpoint)
    model: Any = transformers.AutoModelForSeq2SeqLM.from_pretrained(checkpoint).eval()
    kwargs: dict[str, Any] = {}
    if src_lang is not None:
        tokenizer.src_lang = src_lang
        kwargs["forced_bos_token_id"] = tokenizer.convert_tokens_to_ids(tgt_lang)
    outputs = []
    with torch.no_grad():
        for sentence in sentences:
            encoded = tokenizer(sentence, return_tensors="pt")
            generated = model.generate(
                **encoded, num_beams=1, do_sample=False, max_new_tokens=MAX_NEW_TOKENS,
                min_new_tokens=0, **kwargs,
            )
            outputs.append(tokenizer.decode(generated[0], skip_special_tokens=True))
    return outputs


def engine_generate(package: Path, sentences: Sequence[str], source: str, target: str) -> list[str]:
    translator = Translator(package, device="cpu", threads=1, cache_size=0)
    results = translator.translate_sentences(sentences, source, target, greedy_options())
    return [hyps[0].text for hyps in results]


def assert_same(ours: list[str], theirs: list[str], sentences: Sequence[str]) -> None:
    mismatches = [(s, o, t) for s, o, t in zip(sentences, ours, theirs, strict=True) if o != t]
    assert not mismatches, f"{len(mismatches)} of {len(sentences)} differ: {mismatches[:5]}"
    # The models were trained: their outputs are real text, not empty or special tokens.
    assert sum(bool(t.strip()) for t in theirs) >= 0.9 * len(theirs)


def test_marian_greedy_matches_hugging_face(marian_checkpoint: Path, marian_package: Path) -> None:
    sentences = english_sentences()
    assert len(sentences) >= 50
    ours = engine_generate(marian_package, sentences, "en", "ary")
    theirs = hf_generate(marian_checkpoint, sentences)
    assert_same(ours, theirs, sentences)


def test_nllb_greedy_matches_hugging_face_english_to_darija(
    nllb_checkpoint: Path, nllb_package: Path
) -> None:
    sentences = english_sentences()
    ours = engine_generate(nllb_package, sentences, "en", "ary")
    theirs = hf_generate(nllb_checkpoint, sentences, src_lang="eng_Latn", tgt_lang="ary_Arab")
    assert_same(ours, theirs, sentences)


def test_nllb_greedy_matches_hugging_face_darija_to_english(
    nllb_checkpoint: Path, nllb_package: Path
) -> None:
    sentences = darija_sentences()
    assert len(sentences) >= 50
    ours = engine_generate(nllb_package, sentences, "ary", "en")
    theirs = hf_generate(nllb_checkpoint, sentences, src_lang="ary_Arab", tgt_lang="eng_Latn")
    assert_same(ours, theirs, sentences)


def test_stock_marian_conversion_would_break_parity(
    marian_checkpoint: Path, tmp_path: Path
) -> None:
    """Guard the reason for our own Marian loader: the stock one changes trained outputs."""
    import ctranslate2

    stock = tmp_path / "stock"
    ctranslate2.converters.TransformersConverter(str(marian_checkpoint)).convert(
        str(stock), quantization="float32"
    )
    tokenizer: Any = transformers.AutoTokenizer.from_pretrained(marian_checkpoint)
    sentences = english_sentences()[:30]
    source = [tokenizer.convert_ids_to_tokens(tokenizer(s).input_ids) for s in sentences]
    results = ctranslate2.Translator(str(stock)).translate_batch(
        source, beam_size=1, max_decoding_length=MAX_NEW_TOKENS, min_decoding_length=0
    )
    stock_texts = [tokenizer.convert_tokens_to_string(r.hypotheses[0]) for r in results]
    theirs = hf_generate(marian_checkpoint, sentences)
    same = sum(a == b for a, b in zip(stock_texts, theirs, strict=True))
    assert same < len(sentences) // 2, "the trained <pad> start embedding no longer matters?"


# ------------------------------------------------------------------ tokenizer parity


def hf_tokens(tokenizer: Any, text: str) -> list[str]:
    tokens: list[str] = tokenizer.convert_ids_to_tokens(tokenizer(text).input_ids)
    return tokens


def as_known(tokens: list[str], vocab: dict[str, int]) -> list[str]:
    # CTranslate2 maps pieces missing from the vocabulary to <unk>, as transformers does.
    return [t if t in vocab else "<unk>" for t in tokens]


TOKENIZER_TEXTS = [*english_sentences(), *darija_sentences(), "a  b", "x", "🙂", "Ça va? Ñ"]


def test_marian_encoding_matches_hugging_face(
    marian_checkpoint: Path, marian_package: Path
) -> None:
    from terjman_desktop.core.package import load_package

    hf: Any = transformers.AutoTokenizer.from_pretrained(marian_checkpoint)
    ours = load_tokenizer(load_package(marian_package))
    vocab = hf.get_vocab()
    for text in TOKENIZER_TEXTS:
        assert as_known(ours.encode(text, "en", "ary"), vocab) == hf_tokens(hf, text), text
        assert ours.count(text) == len(hf_tokens(hf, text))


def test_nllb_encoding_matches_hugging_face(nllb_checkpoint: Path, nllb_package: Path) -> None:
    from terjman_desktop.core.package import load_package

    hf: Any = transformers.AutoTokenizer.from_pretrained(nllb_checkpoint)
    ours = load_tokenizer(load_package(nllb_package))
    vocab = hf.get_vocab()
    for source, code in (("en", "eng_Latn"), ("ary", "ary_Arab")):
        hf.src_lang = code
        target = "ary" if source == "en" else "en"
        for text in TOKENIZER_TEXTS:
            assert as_known(ours.encode(text, source, target), vocab) == hf_tokens(hf, text), text


def test_marian_decoding_matches_hugging_face_for_pieces_of_either_model(
    marian_checkpoint: Path, marian_package: Path
) -> None:
    """Generated pieces may belong to only the source or only the target SentencePiece model."""
    import sentencepiece

    from terjman_desktop.core.package import load_package

    hf: Any = transformers.AutoTokenizer.from_pretrained(marian_checkpoint)
    ours = load_tokenizer(load_package(marian_package))
    source_spm = sentencepiece.SentencePieceProcessor(
        model_file=str(marian_package / "source.spm")
    )
    target_spm = sentencepiece.SentencePieceProcessor(
        model_file=str(marian_package / "target.spm")
    )
    source_only = [p for p in hf.get_vocab() if source_spm.PieceToId(p) != source_spm.unk_id()
                   and target_spm.PieceToId(p) == target_spm.unk_id()]
    target_only = [p for p in hf.get_vocab() if target_spm.PieceToId(p) != target_spm.unk_id()
                   and source_spm.PieceToId(p) == source_spm.unk_id()]
    assert source_only and target_only
    sequences = [
        source_only[:6],
        target_only[:6],
        [*target_only[:3], *source_only[:3], "<unk>", *target_only[3:5], "</s>"],
        ["▁", *source_only[5:9], "▁", "▁", *target_only[9:12]],
        ["<unk>"],
        [],
    ]
    for pieces in sequences:
        ids = hf.convert_tokens_to_ids(pieces)
        assert ours.decode(pieces) == hf.decode(ids, skip_special_tokens=True), pieces


def test_nllb_decoding_matches_hugging_face(nllb_checkpoint: Path, nllb_package: Path) -> None:
    from terjman_desktop.core.package import load_package

    hf: Any = transformers.AutoTokenizer.from_pretrained(nllb_checkpoint)
    ours = load_tokenizer(load_package(nllb_package))
    pieces = [p for p in hf.get_vocab() if not p.startswith("<") and "_" not in p][:40]
    sequences = [
        pieces[:8],
        ["▁", *pieces[8:14]],
        [*pieces[14:20], "<unk>", "ary_Arab", *pieces[20:24], "</s>"],
        ["eng_Latn"],
        [],
    ]
    for seq in sequences:
        expected = hf.decode(hf.convert_tokens_to_ids(seq), skip_special_tokens=True)
        assert ours.decode(seq) == expected
