"""Hugging Face Marian and NLLB checkpoints → CTranslate2 model folders, without torch.

The app converts the Terjman models on the user's machine, where there is no torch; the
trainer's ``export`` uses the same converter, so there is one. It reads ``safetensors``
(float32, float16, bfloat16; sharded too) and ``pytorch_model.bin`` (through an unpickler
that accepts only what a state dict contains), builds the spec with ``ctranslate2.specs``,
and writes ``model.bin`` variable by variable, large ones in blocks of rows, so converting
NLLB 1.3B to int8 stays under 1 GB of memory. The output is byte-identical to CTranslate2's
own converter (with the trainer's Marian ``<pad>`` fix), up to the last bits of NLLB's
position table (see :mod:`.positions`).

Public surface:

- :func:`inspect_config` — is a ``config.json`` convertible, and which family (before any
  download of weights);
- :func:`convert_checkpoint` — convert a checkpoint folder into an empty folder;
- :func:`estimated_output_bytes` — disk space a conversion needs, to check first;
- :class:`ConvertedModel` — what a conversion produced, with ``generate``'s decoding facts;
- :data:`QUANTIZATIONS`.

Importing this package loads neither numpy nor CTranslate2; the functions do, when called.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from terjman_desktop.core.models.convert.architecture import (
    QUANTIZATIONS,
    SUPPORTED,
    inspect_config,
)
from terjman_desktop.core.models.convert.result import ConvertedModel

if TYPE_CHECKING:
    from terjman_desktop.core.cancel import CancelToken

__all__ = [
    "QUANTIZATIONS",
    "SUPPORTED",
    "ConvertedModel",
    "convert_checkpoint",
    "estimated_output_bytes",
    "inspect_config",
]


def convert_checkpoint(
    checkpoint: Path,
    output_dir: Path,
    *,
    quantization: str = "int8",
    progress: Callable[[int, int], None] | None = None,
    cancel: CancelToken | None = None,
    copy_tokenizer_files: bool = True,
) -> ConvertedModel:
    """Convert a Hugging Face checkpoint folder into a CTranslate2 model folder.

    Writes ``model.bin``, ``config.json``, ``shared_vocabulary.json`` and the SentencePiece
    files the app tokenizes with (Marian: ``source.spm``, ``target.spm``; NLLB:
    ``sentencepiece.bpe.model``). The whole checkpoint is checked before anything is
    written; the caller stages ``output_dir`` and renames it into place.

    Args:
        checkpoint: Folder with ``config.json``, the weights and the tokenizer files.
        output_dir: Folder to write; it must not exist or be empty. On any error or
            cancel, everything written is removed (and the folder, if this call made it).
        quantization: One of :data:`QUANTIZATIONS`.
        progress: Called with (bytes of weights written, total), monotonic, from the
            calling thread; the last call has done == total.
        cancel: Checked between blocks of rows; cancelling raises ``CancelledError``.
        copy_tokenizer_files: False leaves the SentencePiece files to the caller (they are
            still required to exist).

    Returns:
        The folder's description and the checkpoint's decoding facts.

    Raises:
        ConversionError: The checkpoint is damaged, incomplete or unsupported, or
            ``output_dir`` is not empty; the message says which and what to do.
        DiskSpaceError: The disk filled up while writing.
        CancelledError: ``cancel`` was cancelled.
    """
    from terjman_desktop.core.models.convert import pipeline

    return pipeline.convert_checkpoint(
        checkpoint, output_dir, quantization=quantization, progress=progress, cancel=cancel,
        copy_tokenizer_files=copy_tokenizer_files,
    )


def estimated_output_bytes(checkpoint: Path, quantization: str = "int8") -> int:
    """Disk space :func:`convert_checkpoint` needs at most for ``checkpoint``, in bytes.

    Reads ``config.json`` and the weight files' headers only (no weights, no tokenizer), so
    the caller can check free space before converting. Tied weights count once, as they are
    written once; an untrained checkpoint's equal layer norms would be written once too, so
    the figure can exceed the real size, never fall short of it (vocabulary estimated
    generously).

    Raises:
        ConversionError: As :func:`convert_checkpoint` for a damaged or unsupported
            checkpoint.
    """
    from terjman_desktop.core.models.convert import pipeline

    return pipeline.estimated_output_bytes(checkpoint, quantization)
