"""A teacher package translating a large corpus on every device of a machine.

Distillation translates millions of sentences with an exported package (Ultra or Supreme).
The app's :class:`~terjman_desktop.core.translate.engine.Translator` runs one model call at
a time on one device, which is right for a person and wrong for a corpus. The teacher keeps
everything else of the app's path — the package's tokenizer and prefixes, the sentence
cleaning, the length-sorted batches (``plan_batches``), the relative length limit and its
mapping (``ct2_length_limits``), the decoding — so a sentence gets the translation the app
would give it with the same options (a test compares them), and adds what a corpus needs:
one CTranslate2 model with a replica per device (``device_index``, and optionally several
replicas per device), to which every batch is submitted at once, so all GPUs (or, on a CPU,
all replicas) work in parallel.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from trainer.errors import TrainerError

logger = logging.getLogger(__name__)


class Teacher:
    """A loaded package that translates lists of sentences on all its devices.

    Args:
        package: The package folder (``terjman-model.json``).
        device: ``auto`` (CUDA when available), ``cpu`` or ``cuda``.
        device_index: GPUs to use (CUDA: empty = every GPU; CPU: only ``[0]`` exists).
        replicas_per_device: Model replicas per device (CTranslate2's ``inter_threads``):
            on a CPU, replicas of ``threads`` threads each translate batches in parallel.
        threads: CPU threads per replica (0: the physical cores, the app's default).
    """

    def __init__(
        self,
        package: Path | str,
        *,
        device: str = "auto",
        device_index: Sequence[int] = (),
        replicas_per_device: int = 1,
        threads: int = 0,
    ) -> None:
        import ctranslate2

        from terjman_desktop.core.hardware import resolve_threads
        from terjman_desktop.core.translate.engine import compute_type_for, resolve_device
        from terjman_desktop.core.translate.package import load_package
        from terjman_desktop.core.translate.tokenize import load_tokenizer

        self.package = load_package(package)
        self.manifest = self.package.manifest
        self.tokenizer = load_tokenizer(self.package)
        self.device = resolve_device(device)
        if device_index:
            indices = list(device_index)
        elif self.device == "cuda":
            indices = list(range(ctranslate2.get_cuda_device_count()))
        else:
            indices = [0]
        if replicas_per_device < 1:
            raise TrainerError("replicas_per_device must be at least 1.")
        self.device_index = indices
        self.threads = resolve_threads(threads)
        # The app's choice of compute type for the package (int8 stays int8 on a CPU).
        compute_type = compute_type_for("default", self.device, self.manifest.quantization)
        try:
            self.model: Any = ctranslate2.Translator(
                str(self.package.path),
                device=self.device,
                device_index=indices,
                compute_type=compute_type,
                intra_threads=self.threads,
                inter_threads=replicas_per_device,
            )
        except (RuntimeError, ValueError, OSError) as error:
            raise TrainerError(
                f"The teacher {self.manifest.id} cannot be loaded on {self.device} "
                f"{indices} ({error})."
            ) from None
        logger.info(
            "Teacher %s on %s %s, %d replica(s)",
            self.manifest.id,
            self.device,
            indices,
            self.model.num_translators,
        )

    @property
    def replicas(self) -> int:
        return int(self.model.num_translators)

    def directions(self) -> list[str]:
        return [f"{d.source}-{d.target}" for d in self.manifest.directions]

    def length_penalty(self, options: Any) -> float:
        """The manifest's recorded length penalty unless ``options`` opt out (the app's rule)."""
        recorded = self.manifest.decoding.get("length_penalty")
        if getattr(options, "model_decoding", True) and recorded is not None:
            return float(recorded)
        return float(options.length_penalty)

    def translate(
        self,
        sentences: Sequence[str],
        src: str,
        tgt: str,
        options: Any,
        progress: Callable[[int, int], None] | None = None,
    ) -> list[str]:
        """Translations of ``sentences`` (in order) with ``options`` (``TranslationOptions``).

        Each distinct sentence is translated once, in the app's batches; all batches are
        queued at once and the replicas take them as they free up.
        """
        from terjman_desktop.core.translate.engine import ct2_length_limits, plan_batches
        from terjman_desktop.core.translate.manifest import Direction
        from terjman_desktop.core.translate.segment import clean_for_model

        direction = Direction(src, tgt)
        if not self.manifest.supports(src, tgt):
            raise TrainerError(
                f"The teacher {self.manifest.id} does not translate {src}-{tgt}; "
                f"it translates {', '.join(self.directions())}."
            )
        cleaned = [clean_for_model(s) for s in sentences]
        todo = [text for text in dict.fromkeys(cleaned) if text]
        tokens = [self.tokenizer.encode(text, direction.source, direction.target) for text in todo]
        prefix = self.tokenizer.target_prefix(direction.source, direction.target)
        pending = []
        for batch in plan_batches([len(t) for t in tokens], options):
            batch_tokens = [tokens[i] for i in batch]
            longest = max(len(t) for t in batch_tokens)
            min_length, max_length = ct2_length_limits(
                options.min_length,
                min(options.max_length, int(longest * options.max_length_ratio) + 10 + len(prefix)),
                forced_eos=self.manifest.forced_eos,
            )
            results = self.model.translate_batch(
                batch_tokens,
                target_prefix=[prefix] * len(batch) if prefix else None,
                beam_size=options.beam_size,
                num_hypotheses=1,
                length_penalty=self.length_penalty(options),
                repetition_penalty=options.repetition_penalty,
                no_repeat_ngram_size=options.no_repeat_ngram_size,
                min_decoding_length=min_length,
                max_decoding_length=max_length,
                max_input_length=0,
                max_batch_size=options.max_batch_tokens,
                batch_type="tokens",
                return_scores=False,
                asynchronous=True,
            )
            pending.append((batch, results))
        translated: dict[str, str] = {"": ""}
        done = 0
        if progress is not None:
            progress(0, len(todo))
        for batch, results in pending:
            for index, result in zip(batch, results, strict=True):
                hypotheses = result.result().hypotheses
                translated[todo[index]] = (
                    self.tokenizer.decode(hypotheses[0][len(prefix) :]) if hypotheses else ""
                )
            done += len(batch)
            if progress is not None:
                progress(done, len(todo))
        return [translated[text] for text in cleaned]

    def unload(self) -> None:
        self.model.unload_model()
