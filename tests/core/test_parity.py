"""The engine's output equals Hugging Face's, token for token, on trained tiny models.

This is what proves tokenization, special tokens, language prefixes, the Marian decoder start
embedding and detokenization: a float32 package translated greedily by our engine must give
exactly what ``generate(num_beams=1)`` gives on the checkpoint it was exported from, decoded
with the Hugging Face tokenizer. Both sides use the same length limits.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from terjman_desktop.core.translate.engine import ct2_length_limits
from terjman_desktop.core.translate.tokenize import load_tokenizer

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from tests.core.parity import (  # noqa: E402 - after the skips: it needs torch
    TIE_TOLERANCE,
    Engine,
    HuggingFace,
    assert_parity,
    darija_sentences,
    english_sentences,
)

pytestmark = pytest.mark.slow


def test_marian_greedy_matches_hugging_face(marian_checkpoint: Path, marian_package: Path) -> None:
    sentences = english_sentences()
    assert len(sentences) >= 50
    assert_parity(marian_checkpoint, marian_package, sentences, "en", "ary")


def test_nllb_greedy_matches_hugging_face_english_to_darija(
    nllb_checkpoint: Path, nllb_package: Path
) -> None:
    assert_parity(nllb_checkpoint, nllb_package, english_sentences(), "en", "ary",
                  ("eng_Latn", "ary_Arab"))


def test_nllb_greedy_matches_hugging_face_darija_to_english(
    nllb_checkpoint: Path, nllb_package: Path
) -> None:
    sentences = darija_sentences()
    assert len(sentences) >= 50
    assert_parity(nllb_checkpoint, nllb_package, sentences, "ary", "en",
                  ("ary_Arab", "eng_Latn"))


def test_length_limits_agree_where_the_model_runs_to_the_cap(
    marian_checkpoint: Path, marian_package: Path
) -> None:
    """Translations cut by the length cap: both stop with the same tokens.

    Marian forces ``</s>`` at the cap (``forced_eos_token_id``), so ``generate`` gives one
    token less than the cap allows; the engine must do the same (engine.ct2_length_limits).
    A small cap makes every translation longer than it, whatever the model learned.
    """
    hf = HuggingFace(marian_checkpoint, None, None)
    engine = Engine(marian_package, "en", "ary")
    assert engine.translator.manifest.forced_eos
    cap = 4
    sentences = english_sentences()[:20]
    cut = [s for s in sentences if len(hf.generate(s).ids) > cap]
    assert len(cut) >= len(sentences) // 2
    for sentence in cut:
        theirs = hf.generate(sentence, cap)
        assert len(theirs.ids) == cap and theirs.ids[-1] == hf.tokenizer.eos_token_id
        assert len(engine.pieces(sentence, cap)) == cap - 1
    assert engine.texts(cut, cap) == [hf.generate(s, cap).text for s in cut]


@pytest.mark.parametrize(
    ("min_new", "max_new", "forced_eos", "expected"),
    [(0, 40, True, (0, 39)), (0, 40, False, (0, 40)), (40, 40, True, (39, 39)),
     (5, 1, True, (1, 1)), (1, 512, False, (1, 512))],
)
def test_length_limit_mapping(
    min_new: int, max_new: int, forced_eos: bool, expected: tuple[int, int]
) -> None:
    assert ct2_length_limits(min_new, max_new, forced_eos=forced_eos) == expected


def test_stock_marian_conversion_would_break_parity(
    marian_checkpoint: Path, marian_package: Path, tmp_path: Path
) -> None:
    """Guard the reason for our own Marian loader: the stock one changes a trained model.

    Scores, not greedy outputs, so the check does not depend on how training turned out:
    under our conversion every token of Hugging Face's own translations gets the
    log-probability Hugging Face gives it; under the stock conversion (decoder started from a
    zero vector instead of the trained ``<pad>`` embedding) they move.
    """
    import ctranslate2

    stock = tmp_path / "stock"
    ctranslate2.converters.TransformersConverter(str(marian_checkpoint)).convert(
        str(stock), quantization="float32"
    )
    hf = HuggingFace(marian_checkpoint, None, None)
    sentences = english_sentences()[:20]
    sources, targets, expected = [], [], []
    for sentence in sentences:
        ids = hf.generate(sentence).ids
        source = hf.tokenizer(sentence).input_ids
        with torch.no_grad():
            logits = hf.model(input_ids=torch.tensor([source]),
                              labels=torch.tensor([ids])).logits[0]
        log_probs = torch.log_softmax(logits.float(), dim=-1)
        expected.append([float(log_probs[i, t]) for i, t in enumerate(ids)])
        sources.append(hf.tokenizer.convert_ids_to_tokens(source))
        # score_batch adds </s> itself.
        targets.append(hf.tokenizer.convert_ids_to_tokens(ids[:-1]))

    def worst_gap(model_dir: Path) -> float:
        scored = ctranslate2.Translator(str(model_dir), intra_threads=1).score_batch(
            sources, targets)
        return max(
            abs(a - b)
            for result, want in zip(scored, expected, strict=True)
            for a, b in zip(result.log_probs, want, strict=True)
        )

    assert worst_gap(marian_package) < TIE_TOLERANCE
    assert worst_gap(stock) > 0.05, "the trained <pad> start embedding no longer matters?"


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
    from terjman_desktop.core.translate.package import load_package

    hf: Any = transformers.AutoTokenizer.from_pretrained(marian_checkpoint)
    ours = load_tokenizer(load_package(marian_package))
    vocab = hf.get_vocab()
    for text in TOKENIZER_TEXTS:
        assert as_known(ours.encode(text, "en", "ary"), vocab) == hf_tokens(hf, text), text
        assert ours.count(text) == len(hf_tokens(hf, text))


def test_nllb_encoding_matches_hugging_face(nllb_checkpoint: Path, nllb_package: Path) -> None:
    from terjman_desktop.core.translate.package import load_package

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

    from terjman_desktop.core.translate.package import load_package

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
    from terjman_desktop.core.translate.package import load_package

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
