"""One conversion from start to finish: check, plan, write, and clean up on any failure."""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.errors import ConversionError, DiskSpaceError
from terjman_desktop.core.models.convert import dtypes
from terjman_desktop.core.models.convert.architecture import QUANTIZATIONS
from terjman_desktop.core.models.convert.checkpoint import Checkpoint
from terjman_desktop.core.models.convert.model_bin import (
    plan_layout,
    spec_variables,
    write_model_bin,
)
from terjman_desktop.core.models.convert.plan import FAMILIES, Plan, build_plan, weights_spec
from terjman_desktop.core.models.convert.quantize import output_type
from terjman_desktop.core.models.convert.result import ConvertedModel
from terjman_desktop.core.models.convert.sources import row_count
from terjman_desktop.core.models.convert.vocabulary import language_tokens

logger = logging.getLogger(__name__)

MODEL_FILE = "model.bin"
CONFIG_FILE = "config.json"
VOCABULARY_FILE = "shared_vocabulary.json"
# Disk-full errors: no space, over quota, over the process's file size limit.
_DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
# shared_vocabulary.json per token, generously: quotes, indent, \\uXXXX escapes.
_VOCABULARY_BYTES_PER_TOKEN = 48


def check_quantization(quantization: str) -> None:
    if quantization not in QUANTIZATIONS:
        raise ConversionError(f"Unknown quantization '{quantization}'.",
                              hint=f"Use one of {', '.join(QUANTIZATIONS)}.")


def convert_checkpoint(
    checkpoint: Path | str,
    output_dir: Path | str,
    *,
    quantization: str = "int8",
    progress: Callable[[int, int], None] | None = None,
    cancel: CancelToken | None = None,
    copy_tokenizer_files: bool = True,
) -> ConvertedModel:
    """See :func:`terjman_desktop.core.models.convert.convert_checkpoint`."""
    check_quantization(quantization)
    output_dir = Path(output_dir)
    created = _claim_output(output_dir)
    written: list[Path] = []
    try:
        with Checkpoint(Path(checkpoint)) as source:
            return _convert(source, output_dir, quantization, progress, cancel,
                            copy_tokenizer_files, written)
    except OSError as error:
        _remove(written, output_dir, created)
        if error.errno in _DISK_FULL:
            raise DiskSpaceError(
                f"The disk is full: the converted model could not be written to {output_dir}.",
                hint="Free some disk space and try again.") from error
        raise ConversionError(f"The converted model could not be written to {output_dir} "
                              f"({error}).") from error
    except BaseException:
        _remove(written, output_dir, created)
        raise


def _convert(
    checkpoint: Checkpoint, output_dir: Path, quantization: str,
    progress: Callable[[int, int], None] | None, cancel: CancelToken | None,
    copy_tokenizer_files: bool, written: list[Path],
) -> ConvertedModel:
    check = cancel.raise_if_cancelled if cancel is not None else (lambda: None)
    plan = build_plan(checkpoint)
    check()
    layout = plan_layout(plan.spec, quantization, check)
    total = layout.data_bytes
    done = 0

    def on_bytes(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total)

    if progress is not None:
        progress(0, total)
    with _output(output_dir / MODEL_FILE, "wb", written) as handle:
        write_model_bin(handle, layout, on_bytes=on_bytes, check=check)
    with _output(output_dir / CONFIG_FILE, "w", written) as handle:
        # ModelConfig.save_as_json's format (text mode, as CTranslate2 opens it).
        json.dump(plan.spec.config.to_dict(), handle, indent=2, sort_keys=True)
        handle.write("\n")
    with _output(output_dir / VOCABULARY_FILE, "w", written) as handle:
        json.dump(plan.vocabulary, handle, indent=2)  # CTranslate2's _save_vocabulary
    names = [MODEL_FILE, CONFIG_FILE, VOCABULARY_FILE]
    for name in dict.fromkeys(plan.tokenizer_files):
        check()
        if copy_tokenizer_files:
            written.append(output_dir / name)
            shutil.copyfile(checkpoint.file(name), output_dir / name)
            names.append(name)
    logger.info("Converted %s to %s (%s, %d bytes of weights)", checkpoint.folder,
                output_dir, quantization, total)
    return _result(plan, output_dir, quantization, tuple(names))


def _result(
    plan: Plan, output_dir: Path, quantization: str, files: tuple[str, ...]
) -> ConvertedModel:
    decoding = plan.decoding
    return ConvertedModel(
        output_dir=output_dir, family=plan.arch.family, quantization=quantization,
        files=files, tokenizer_files=plan.tokenizer_files,
        vocabulary_size=len(plan.vocabulary),
        language_tokens=language_tokens(plan.arch.family, plan.vocabulary),
        max_position_embeddings=plan.arch.max_position_embeddings,
        decoder_start_token=decoding.decoder_start_token, eos_tokens=decoding.eos_tokens,
        pad_token=decoding.pad_token, forced_bos_token=decoding.forced_bos_token,
        forced_eos_token=decoding.forced_eos_token, bad_words=decoding.bad_words,
        max_length=decoding.max_length, vocabulary=tuple(plan.vocabulary),
    )


def _claim_output(output_dir: Path) -> bool:
    """Make sure ``output_dir`` is ours to fill; True when this call created it."""
    if output_dir.exists():
        if not output_dir.is_dir() or any(output_dir.iterdir()):
            raise ConversionError(f"'{output_dir}' already exists and is not an empty folder.",
                                  hint="Convert into a new or empty folder.")
        return False
    try:
        output_dir.mkdir(parents=True)
    except OSError as error:
        raise ConversionError(f"'{output_dir}' cannot be created ({error}).") from error
    return True


@contextmanager
def _output(path: Path, mode: str, written: list[Path]) -> Iterator[IO[Any]]:
    """A new file of the output, recorded for cleanup and on disk when the block ends."""
    written.append(path)
    encoding = None if "b" in mode else "utf-8"
    with open(path, mode, encoding=encoding) as handle:
        yield handle
        handle.flush()
        os.fsync(handle.fileno())


def _remove(written: list[Path], output_dir: Path, created: bool) -> None:
    """Undo a failed conversion: what it wrote, and the folder if it made it."""
    for path in written:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            logger.warning("Could not remove %s after a failed conversion", path)
    if created:
        shutil.rmtree(output_dir, ignore_errors=True)


def estimated_output_bytes(checkpoint: Path | str, quantization: str = "int8") -> int:
    """See :func:`terjman_desktop.core.models.convert.estimated_output_bytes`."""
    check_quantization(quantization)
    with Checkpoint(Path(checkpoint)) as source:
        arch, spec = weights_spec(source)
        total = 4096  # config.json, the file header, the alias table
        seen: set[object] = set()
        for name, value, quantizable in spec_variables(spec):
            total += len(name) + 16  # name, rank, type, size fields
            if not hasattr(value, "rows"):
                total += 8
                continue
            identity = value.identity
            if identity is not None and identity in seen:
                continue  # tied to a variable already counted: written once, as an alias
            seen.add(identity)
            out = output_type(value.dtype, quantizable, quantization)
            count = 1
            for dim in value.shape:
                count *= dim
            total += count * dtypes.itemsize(out)
            if out == "int8":
                total += row_count(value.shape) * 4 + len(name) + 32
        total += arch.vocab_size * _VOCABULARY_BYTES_PER_TOKEN
        for name in dict.fromkeys(FAMILIES[arch.family].tokenizer_files):
            path = source.file(name)
            total += path.stat().st_size if path.is_file() else 0
        return total
