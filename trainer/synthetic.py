"""Build small real checkpoints without any download: for tests, smoke runs and benchmarks.

``build_marian`` and ``build_nllb`` train real SentencePiece models on a corpus, create a
Hugging Face Marian or M2M100 (NLLB) checkpoint of a given architecture with the same special
token layout as the real Terjman base models (Marian: ``</s>``=0, ``<unk>``=1, ``<pad>`` last
and used as decoder start; NLLB: fairseq ids, 202 language codes then ``<mask>``), optionally
train it for a few hundred steps, and save it with its tokenizer. Random weights translate
nonsense but deterministically; training makes the greedy outputs real pieces, and moves the
tied ``<pad>`` embedding the way real fine-tuning does.
"""

from __future__ import annotations

import base64
import json
import logging
import random
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

Pair = tuple[str, str]


@dataclass(frozen=True)
class Architecture:
    """Transformer sizes. ``vocab_size`` None: just the SentencePiece pieces and specials."""

    d_model: int
    encoder_layers: int
    decoder_layers: int
    heads: int
    ffn_dim: int
    vocab_size: int | None = None
    max_positions: int = 512


TINY = Architecture(64, 2, 2, 4, 128)
# The real Terjman architectures (DESIGN.md), used with random weights by the benchmarks.
NANO = Architecture(512, 6, 6, 8, 2048, 62_802, 512)
LARGE = Architecture(1024, 6, 6, 16, 4096, 61_247, 1024)
ULTRA = Architecture(1024, 24, 24, 16, 8192, 256_206, 1024)
SUPREME = Architecture(2048, 24, 24, 16, 8192, 256_206, 1024)
ARCHITECTURES = {"tiny": TINY, "nano": NANO, "large": LARGE, "ultra": ULTRA, "supreme": SUPREME}


def train_sentencepiece(
    lines: Sequence[str], prefix: Path, vocab_size: int, model_type: str = "unigram"
) -> Path:
    """Train a SentencePiece model on ``lines``; returns ``prefix.model``."""
    import sentencepiece

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.txt"
        corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
        sentencepiece.SentencePieceTrainer.Train(
            input=str(corpus),
            model_prefix=str(prefix),
            vocab_size=vocab_size,
            model_type=model_type,
            character_coverage=1.0,
            hard_vocab_limit=False,  # small corpora cannot fill a fixed vocabulary
            minloglevel=2,
            num_threads=1,  # one thread: the same pieces whatever the machine
            seed_sentencepiece_size=100_000,
        )
    return prefix.with_suffix(".model")


def _fillers(count: int) -> list[str]:
    # Unreachable pieces that pad the vocabulary to a real model's size.
    return [f"▁⟨{i:06d}⟩" for i in range(count)]


@contextmanager
def reproducible_torch() -> Iterator[None]:
    """One thread and deterministic algorithms while the block runs.

    The sums inside a matrix product are split across threads, so a model trained with two
    threads ends with other weights than one trained with one (up to 0.3 apart after a few
    hundred steps on the tiny models, enough to change greedy outputs). One thread and
    deterministic kernels make the weights depend on the seed and the library versions only.
    """
    import torch

    threads = torch.get_num_threads()
    deterministic = torch.are_deterministic_algorithms_enabled()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    try:
        yield
    finally:
        torch.use_deterministic_algorithms(deterministic)
        torch.set_num_threads(threads)


def _train(model: Any, batches: Any, steps: int, seed: int, lr: float = 3e-3) -> None:
    import torch

    with reproducible_torch():
        torch.manual_seed(seed)
        optimizer = torch.optim.AdamW(model.parameters(), lr=lr, foreach=False)
        model.train()
        for step in range(steps):
            loss = model(**batches(step)).loss
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            if step % 100 == 0 or step == steps - 1:
                logger.info("step %d loss %.3f", step, loss.item())
        model.eval()


def build_marian(
    out_dir: Path,
    pairs: Sequence[Pair],
    arch: Architecture = TINY,
    *,
    train_steps: int = 0,
    spm_vocab_size: int = 400,
    seed: int = 0,
    batch_size: int = 32,
) -> Path:
    """Build an English→Darija Marian checkpoint in ``out_dir`` (a Hugging Face folder)."""
    import sentencepiece
    import torch
    import transformers

    out_dir.mkdir(parents=True, exist_ok=True)
    source = train_sentencepiece([p[0] for p in pairs], out_dir / "source", spm_vocab_size)
    target = train_sentencepiece([p[1] for p in pairs], out_dir / "target", spm_vocab_size)
    source = source.replace(out_dir / "source.spm")
    target = target.replace(out_dir / "target.spm")
    vocab: dict[str, int] = {"</s>": 0, "<unk>": 1}
    for path in (source, target):
        processor = sentencepiece.SentencePieceProcessor(model_file=str(path))
        for i in range(processor.GetPieceSize()):
            piece = processor.IdToPiece(i)
            if piece not in vocab and not (processor.IsControl(i) or processor.IsUnknown(i)):
                vocab[piece] = len(vocab)
    if arch.vocab_size is not None:
        for filler in _fillers(arch.vocab_size - len(vocab) - 1):
            vocab[filler] = len(vocab)
    vocab["<pad>"] = len(vocab)
    (out_dir / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), "utf-8")
    tokenizer = transformers.MarianTokenizer(
        source_spm=str(source), target_spm=str(target), vocab=str(out_dir / "vocab.json")
    )
    pad = vocab["<pad>"]
    config = transformers.MarianConfig(
        vocab_size=len(vocab),
        d_model=arch.d_model,
        encoder_layers=arch.encoder_layers,
        decoder_layers=arch.decoder_layers,
        encoder_attention_heads=arch.heads,
        decoder_attention_heads=arch.heads,
        encoder_ffn_dim=arch.ffn_dim,
        decoder_ffn_dim=arch.ffn_dim,
        max_position_embeddings=arch.max_positions,
        pad_token_id=pad,
        eos_token_id=0,
        decoder_start_token_id=pad,
        forced_eos_token_id=0,
        activation_function="swish",
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
    )
    torch.manual_seed(seed)
    model = transformers.MarianMTModel(config)
    rng = random.Random(seed)

    def batches(step: int) -> Any:
        batch = rng.sample(list(pairs), min(batch_size, len(pairs)))
        encoded = tokenizer(
            [p[0] for p in batch], text_target=[p[1] for p in batch],
            return_tensors="pt", padding=True,
        )
        encoded["labels"][encoded["labels"] == pad] = -100
        return encoded

    _train(model, batches, train_steps, seed)
    # Like the real OPUS-MT models: never generate <pad>.
    model.generation_config.bad_words_ids = [[pad]]
    model.generation_config.max_length = arch.max_positions
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    return out_dir


def _nllb_tokenizer(spm_model: Path, hf_dir: Path, vocab_size: int | None) -> Any:
    """An NllbTokenizer over our SentencePiece model with NLLB's real id layout."""
    import transformers
    from transformers.models.nllb.tokenization_nllb import FAIRSEQ_LANGUAGE_CODES

    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(spm_model, Path(tmp) / "sentencepiece.bpe.model")
        converted = transformers.NllbTokenizer.from_pretrained(tmp)
        data = json.loads(converted.backend_tokenizer.to_str())
    vocab: dict[str, int] = dict(data["model"]["vocab"])
    vocab.pop("<mask>", None)
    if vocab_size is not None:
        for filler in _fillers(vocab_size - len(vocab) - len(FAIRSEQ_LANGUAGE_CODES) - 1):
            vocab[filler] = len(vocab)
    for code in FAIRSEQ_LANGUAGE_CODES:
        vocab[code] = len(vocab)
    vocab["<mask>"] = len(vocab)
    charsmap = base64.b64decode(data["normalizer"]["normalizers"][0]["precompiled_charsmap"])
    tokenizer = transformers.NllbTokenizer(
        vocab=vocab,
        merges=[tuple(m) for m in data["model"]["merges"]],  # type: ignore[misc]
        _spm_precompiled_charsmap=charsmap,  # type: ignore[arg-type]
        src_lang="eng_Latn",
        tgt_lang="ary_Arab",
    )
    tokenizer.save_pretrained(hf_dir)
    shutil.copy(spm_model, hf_dir / "sentencepiece.bpe.model")
    return transformers.NllbTokenizer.from_pretrained(hf_dir)


def build_nllb(
    out_dir: Path,
    pairs: Sequence[Pair],
    arch: Architecture = TINY,
    *,
    train_steps: int = 0,
    spm_vocab_size: int = 600,
    seed: int = 0,
    batch_size: int = 32,
) -> Path:
    """Build a bidirectional English⇄Darija NLLB-style (M2M100) checkpoint in ``out_dir``."""
    import torch
    import transformers

    out_dir.mkdir(parents=True, exist_ok=True)
    lines = [p[0] for p in pairs] + [p[1] for p in pairs]
    spm_model = train_sentencepiece(lines, out_dir / "spm-work", spm_vocab_size, "bpe")
    tokenizer = _nllb_tokenizer(spm_model, out_dir, arch.vocab_size)
    for leftover in out_dir.glob("spm-work.*"):
        leftover.unlink()
    config = transformers.M2M100Config(
        vocab_size=len(tokenizer),
        d_model=arch.d_model,
        encoder_layers=arch.encoder_layers,
        decoder_layers=arch.decoder_layers,
        encoder_attention_heads=arch.heads,
        decoder_attention_heads=arch.heads,
        encoder_ffn_dim=arch.ffn_dim,
        decoder_ffn_dim=arch.ffn_dim,
        max_position_embeddings=arch.max_positions,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
        decoder_start_token_id=2,
        scale_embedding=True,
        activation_function="relu",
    )
    torch.manual_seed(seed)
    model = transformers.M2M100ForConditionalGeneration(config)
    rng = random.Random(seed)

    def batches(step: int) -> Any:
        batch = rng.sample(list(pairs), min(batch_size, len(pairs)))
        # Alternate directions so one model learns both, like a bidirectional Terjman model.
        if step % 2 == 0:
            tokenizer.src_lang, tokenizer.tgt_lang = "eng_Latn", "ary_Arab"
            src, tgt = [p[0] for p in batch], [p[1] for p in batch]
        else:
            tokenizer.src_lang, tokenizer.tgt_lang = "ary_Arab", "eng_Latn"
            src, tgt = [p[1] for p in batch], [p[0] for p in batch]
        encoded = tokenizer(src, text_target=tgt, return_tensors="pt", padding=True)
        encoded["labels"][encoded["labels"] == config.pad_token_id] = -100
        return encoded

    _train(model, batches, train_steps, seed)
    model.generation_config.max_length = arch.max_positions
    model.save_pretrained(out_dir)
    return out_dir
