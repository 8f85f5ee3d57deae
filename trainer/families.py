"""What differs between Marian and NLLB when training: the trainer's side of the family table.

The facts a model package records — names, tokenizer files, language tokens, default
directions — come from :mod:`terjman_desktop.core.families`, so the trainer and the app never
disagree about a family. This module adds what only training needs: recognising a family from
a Hugging Face config or checkpoint, the NLLB language token of a language, and building a
from-scratch model of each family.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from terjman_desktop.core.families import BY_MODEL_TYPE, FAMILIES, MARIAN, NLLB, ModelFamily
from terjman_desktop.core.languages import LANGUAGES
from trainer.errors import TrainerError

__all__ = [
    "FAMILIES", "MARIAN", "NLLB", "ModelFamily", "family_of", "family_of_checkpoint",
    "language_token", "scratch_builder",
]


def _family_of_type(kind: str) -> ModelFamily:
    family = BY_MODEL_TYPE.get(kind)
    if family is None:
        raise TrainerError(
            f"model_type '{kind}' is not supported: Terjman models are Marian (Nano, Large) or "
            "NLLB/M2M100 (Ultra, Supreme) checkpoints.",
            hint="Start from a Terjman, OPUS-MT or NLLB checkpoint.",
        )
    return family


def family_of(config: Any) -> ModelFamily:
    """The family of a Hugging Face config object (its ``model_type``)."""
    return _family_of_type(str(getattr(config, "model_type", "")))


def family_of_checkpoint(folder: Path) -> ModelFamily:
    """The family of the checkpoint in ``folder``, from its ``config.json``."""
    try:
        config = json.loads((Path(folder) / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise TrainerError(f"{folder} has no readable config.json ({error}).",
                           hint="Give a folder that holds a Hugging Face checkpoint.") from None
    kind = config.get("model_type", "") if isinstance(config, dict) else ""
    return _family_of_type(str(kind))


def language_token(lang: str) -> str:
    """The NLLB language token of ``lang`` (``en`` → ``eng_Latn``); a token stays as it is."""
    language = LANGUAGES.get(lang)
    return language.nllb_code if language is not None else lang


def scratch_builder(family: ModelFamily) -> Callable[..., Any]:
    """The function that builds a from-scratch model of ``family`` (trainer.synthetic)."""
    from trainer.synthetic import build_marian, build_nllb

    return {MARIAN.name: build_marian, NLLB.name: build_nllb}[family.name]
