"""Conversion of Hugging Face Marian and NLLB checkpoints to CTranslate2, for the trainer.

There is one converter: :mod:`terjman_desktop.core.models.convert` (numpy and ``ctranslate2.specs``,
no torch), which the app also runs on users' machines. :func:`convert_checkpoint` keeps the
trainer's signature around it.

:func:`convert_checkpoint_with_torch` is the torch + transformers conversion it replaced,
kept only so the tests can prove both write identical files. It uses CTranslate2's stock
loader for NLLB (M2M100) and :class:`StartEmbeddingMarianLoader` for Marian, because of a
trap: Hugging Face's Marian decoder starts from the embedding of ``<pad>``, and that row is
tied to the output layer, so fine-tuning moves it away from zero. CTranslate2's stock
Marian loader drops ``<pad>`` and starts the decoder from a zero vector instead, which
changes every translation of a fine-tuned checkpoint. The loader keeps ``<pad>`` as the
decoder start token (so its trained embedding is used) and gives it a very negative output
bias so it is never generated — what ``bad_words_ids=[[pad]]`` does in ``generate``. The
core converter applies the same fix.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

from terjman_desktop.core.models.convert import QUANTIZATIONS
from terjman_desktop.core.models.convert import convert_checkpoint as core_convert_checkpoint
from terjman_desktop.core.models.convert.marian import NEVER_GENERATE_BIAS
from trainer.families import NLLB, family_of_checkpoint

logger = logging.getLogger(__name__)

__all__ = [
    "NEVER_GENERATE_BIAS",
    "QUANTIZATIONS",
    "convert_checkpoint",
    "convert_checkpoint_with_torch",
]


def convert_checkpoint(
    checkpoint: Path | str, output_dir: Path | str, quantization: str = "int8"
) -> Path:
    """Convert a Hugging Face checkpoint folder to a CTranslate2 model folder.

    The SentencePiece files are not copied: :func:`trainer.package.export_package` copies
    them into the package itself.

    Args:
        checkpoint: Folder with config.json, weights and tokenizer files.
        output_dir: Folder to write (replaced if it exists).
        quantization: One of :data:`QUANTIZATIONS`.

    Returns:
        The output folder.
    """
    output_dir = Path(output_dir)
    if output_dir.exists():
        shutil.rmtree(output_dir)
    core_convert_checkpoint(Path(checkpoint), output_dir, quantization=quantization,
                            copy_tokenizer_files=False)
    return output_dir


# ----------------------------------------------------------------------------- the torch path


def _marian_loader_class() -> Any:
    import numpy as np
    from ctranslate2.converters import transformers as ct2_transformers

    class StartEmbeddingMarianLoader(ct2_transformers.MarianMTLoader):  # type: ignore[misc]
        """Marian loader that keeps the ``<pad>`` start embedding (see the module docstring)."""

        def get_model_spec(self, model: Any) -> Any:
            model.config.normalize_before = False
            model.config.normalize_embedding = False
            # BartLoader's spec, without MarianMTLoader's removal of the <pad> rows.
            spec = ct2_transformers.BartLoader.get_model_spec(self, model)
            projection = spec.decoder.projection
            vocab_size = model.config.vocab_size
            bias = projection.bias
            if not isinstance(bias, np.ndarray):
                bias = bias.detach().cpu().numpy() if hasattr(bias, "detach") else None
            bias = np.zeros(vocab_size, dtype=np.float32) if bias is None else bias.astype(
                np.float32
            ).copy()
            bias[model.config.pad_token_id] = NEVER_GENERATE_BIAS
            projection.bias = bias
            return spec

        def set_config(self, config: Any, model: Any, tokenizer: Any) -> None:
            config.eos_token = tokenizer.eos_token
            config.unk_token = tokenizer.unk_token
            config.decoder_start_token = tokenizer.convert_ids_to_tokens(
                model.config.decoder_start_token_id
            )

        def set_decoder(self, spec: Any, decoder: Any) -> None:
            ct2_transformers.BartLoader.set_decoder(self, spec, decoder)
            spec.start_from_zero_embedding = False

        def get_vocabulary(self, model: Any, tokenizer: Any) -> list[str]:
            tokens: list[str] = ct2_transformers.BartLoader.get_vocabulary(self, model, tokenizer)
            return tokens

    return StartEmbeddingMarianLoader


def _spec_converter(build_spec: Any) -> Any:
    from ctranslate2.converters.converter import Converter

    class SpecConverter(Converter):  # type: ignore[misc]
        def _load(self) -> Any:
            return build_spec()

    return SpecConverter()


def convert_checkpoint_with_torch(
    checkpoint: Path | str, output_dir: Path | str, quantization: str = "int8"
) -> Path:
    """The torch + transformers conversion :func:`convert_checkpoint` replaced (tests only).

    Loads the whole model in memory (several times the checkpoint's size); writes the same
    files as :func:`convert_checkpoint`.
    """
    if quantization not in QUANTIZATIONS:
        raise ValueError(f"Unknown quantization '{quantization}': use one of {QUANTIZATIONS}.")
    import torch  # before ctranslate2's converters, which need to see it

    checkpoint = Path(checkpoint)
    output_dir = Path(output_dir)
    if family_of_checkpoint(checkpoint) is NLLB:
        from ctranslate2.converters import TransformersConverter

        TransformersConverter(str(checkpoint)).convert(
            str(output_dir), quantization=quantization, force=True
        )
        return output_dir

    def build_spec() -> Any:
        import transformers

        model = transformers.MarianMTModel.from_pretrained(str(checkpoint), dtype=torch.float32)
        tokenizer = transformers.AutoTokenizer.from_pretrained(str(checkpoint))
        with torch.no_grad():
            return _marian_loader_class()()(model, tokenizer)

    _spec_converter(build_spec).convert(str(output_dir), quantization=quantization, force=True)
    return output_dir
