"""Translating sentences with a Hugging Face model (``generate``) or an exported package.

Both sides are used by evaluation, by the dev-set scoring during training and by the
post-export check, so they share one :class:`Decoding` and the same length limits. NLLB needs
its language codes on both sides: the source code is the first source token (the tokenizer
adds it once ``src_lang`` is set) and the target code is forced as the first generated
token. A Marian model may need extra source tokens, such as a ``>>ary<<`` target token.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainer.errors import TrainerError
from trainer.families import FAMILIES, family_of, language_token

logger = logging.getLogger(__name__)


# Tokens a translation may have beyond ``ratio × source tokens``: the app's engine adds 10
# (terjman_desktop.core.translate.engine), and both sides must stop at the same length.
LENGTH_OFFSET = 10
ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class Decoding:
    """Search settings shared by the Hugging Face and CTranslate2 sides.

    ``max_new_tokens`` is a hard cap. With ``max_length_ratio``, a batch also stops at
    ``ratio × its longest source (in tokens) + 10`` new tokens, the app's rule: a weak model
    that loops on a short sentence stops near the sentence's length instead of running to
    the cap (runaway outputs are what made evaluations of weak models take many minutes).
    """

    num_beams: int = 1
    max_new_tokens: int = 128
    batch_size: int = 32
    max_length_ratio: float | None = None


def relative_limit(decoding: Decoding, longest_source: int, target_prefix: int) -> int:
    """New tokens allowed for a batch whose longest source has ``longest_source`` tokens.

    ``target_prefix``: tokens forced at the start of the output (NLLB's language token),
    which count as new tokens on both sides.
    """
    if decoding.max_length_ratio is None:
        return decoding.max_new_tokens
    relative = int(longest_source * decoding.max_length_ratio) + LENGTH_OFFSET + target_prefix
    return max(1, min(decoding.max_new_tokens, relative))


def nllb_code(tokenizer: Any, lang: str) -> tuple[str, int]:
    """The NLLB language token of ``lang`` (``en`` or ``eng_Latn``) and its id."""
    code = language_token(lang)
    token_id = tokenizer.convert_tokens_to_ids(code)
    if token_id is None or token_id == tokenizer.unk_token_id:
        raise TrainerError(
            f"The tokenizer has no language token '{code}'; use codes like en/ary or "
            "eng_Latn/ary_Arab, and an NLLB tokenizer."
        )
    return code, int(token_id)


def prefix_ids(tokenizer: Any, tokens: Sequence[str]) -> list[int]:
    """Ids of extra source tokens (Marian ``>>ary<<``), each required to be in the vocabulary."""
    ids = []
    for token in tokens:
        token_id = tokenizer.convert_tokens_to_ids(token)
        if token_id is None or token_id == tokenizer.unk_token_id:
            raise TrainerError(
                f"The source prefix token '{token}' is not in the model's vocabulary; remove "
                "it from source_prefix or use the token the base model expects."
            )
        ids.append(int(token_id))
    return ids


class HFTranslator:
    """Batched ``generate`` over a model and its tokenizer (already loaded or from a folder)."""

    def __init__(self, model: Any, tokenizer: Any, source_prefix: Sequence[str] = ()) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.family = family_of(model.config).name
        self.prefix = prefix_ids(tokenizer, source_prefix) if source_prefix else []

    @classmethod
    def from_pretrained(
        cls, path: Path | str, source_prefix: Sequence[str] = (), device: str = "auto"
    ) -> HFTranslator:
        import torch
        import transformers

        if device == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        model = transformers.AutoModelForSeq2SeqLM.from_pretrained(str(path))
        tokenizer = transformers.AutoTokenizer.from_pretrained(str(path))
        return cls(model.to(device).eval(), tokenizer, source_prefix)

    def encode(self, sentences: Sequence[str], src_lang: str, max_length: int) -> Any:
        """Tokenize a batch: NLLB source code first, Marian prefix tokens first."""
        import torch

        if FAMILIES[self.family].needs_language_tokens:
            self.tokenizer.src_lang = nllb_code(self.tokenizer, src_lang)[0]
        encoded = self.tokenizer(list(sentences), truncation=True, max_length=max_length)
        rows = [self.prefix + list(ids) for ids in encoded["input_ids"]]
        width = max(len(r) for r in rows)
        pad = self.tokenizer.pad_token_id
        ids = torch.tensor([r + [pad] * (width - len(r)) for r in rows])
        mask = torch.tensor([[1] * len(r) + [0] * (width - len(r)) for r in rows])
        return {"input_ids": ids, "attention_mask": mask}

    def translate(
        self,
        sentences: Sequence[str],
        src_lang: str,
        tgt_lang: str,
        decoding: Decoding = Decoding(),
        *,
        synced_gpus: bool = False,
        max_source_length: int = 256,
        progress: ProgressCallback | None = None,
    ) -> list[str]:
        """Translate ``sentences`` (longest first in batches, returned in input order).

        ``progress`` is called with (sentences done, sentences in all) after each batch.
        """
        import torch

        kwargs: dict[str, Any] = {}
        forced = 0
        if FAMILIES[self.family].needs_language_tokens:
            kwargs["forced_bos_token_id"] = nllb_code(self.tokenizer, tgt_lang)[1]
            forced = 1
        order = sorted(range(len(sentences)), key=lambda i: -len(sentences[i]))
        outputs: list[str] = [""] * len(sentences)
        device = next(self.model.parameters()).device
        was_training = self.model.training
        self.model.eval()
        try:
            for start in range(0, len(order), decoding.batch_size):
                chunk = order[start:start + decoding.batch_size]
                batch = self.encode([sentences[i] for i in chunk], src_lang, max_source_length)
                longest = int(batch["attention_mask"].sum(dim=1).max())
                with torch.no_grad():
                    generated = self.model.generate(
                        **{k: v.to(device) for k, v in batch.items()},
                        num_beams=decoding.num_beams, do_sample=False,
                        max_new_tokens=relative_limit(decoding, longest, forced),
                        max_length=None, min_new_tokens=0,
                        synced_gpus=synced_gpus, **kwargs,
                    )
                texts = self.tokenizer.batch_decode(generated, skip_special_tokens=True)
                for index, text in zip(chunk, texts, strict=True):
                    outputs[index] = text.strip()
                if progress is not None:
                    progress(min(start + decoding.batch_size, len(order)), len(order))
        finally:
            self.model.train(was_training)
        return outputs


def package_translate(
    package: Path | str,
    sentences: Sequence[str],
    src_lang: str,
    tgt_lang: str,
    decoding: Decoding = Decoding(),
    device: str = "auto",
    *,
    use_vmap: bool = True,
    progress: ProgressCallback | None = None,
) -> list[str]:
    """Translate with an exported package through the app's own engine.

    ``use_vmap``: use the package's vocabulary map when it has one, as the app does.
    ``progress``: the engine's (done, total) callback, called between batches.
    """
    from terjman_desktop.core.translate.engine import Translator
    from terjman_desktop.core.translate.manifest import Direction
    from terjman_desktop.core.translate.options import TranslationOptions
    from terjman_desktop.core.translate.sentence_cache import SentenceCache

    # No cache: a check must run the model on every sentence.
    translator = Translator(package, device=device, cache=SentenceCache(0))
    try:
        # Without a ratio, a ratio so large that only the cap applies, as on the HF side.
        options = TranslationOptions(
            beam_size=decoding.num_beams, min_length=0, max_length=decoding.max_new_tokens,
            max_length_ratio=decoding.max_length_ratio or 1000.0, use_vmap=use_vmap,
        )
        results = translator.translate_sentences(
            sentences, Direction(src_lang, tgt_lang), options, progress)
    finally:
        translator.unload()
    return [hyps[0].text if hyps else "" for hyps in results]
