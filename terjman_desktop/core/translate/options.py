"""How a text is translated: one small frozen set of options for every caller.

The GUI, the CLI, documents, the trainer's checks and the benchmarks all pass a
:class:`TranslationOptions` to the engine. A person picks a quality preset
(:meth:`TranslationOptions.for_quality`); code that needs exact search settings (parity
checks, fixed output lengths) builds the options itself.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from terjman_desktop.core.errors import InputError

MAX_ALTERNATIVES = 16


@dataclass(frozen=True)
class TranslationOptions:
    """How CTranslate2 searches for the translation of each sentence.

    Lengths count generated tokens the way Hugging Face's ``min_new_tokens`` and
    ``max_new_tokens`` do: the target-language token and ``</s>`` included (the engine's
    ``ct2_length_limits`` turns them into CTranslate2's). ``min_length`` defaults to 1 like
    CTranslate2; ``generate`` defaults to 0, so parity checks set it explicitly.
    ``max_length`` is a cap: each batch gets ``min(cap, ratio × longest source + 10)`` so a
    runaway output stays short.

    Attributes:
        beam_size: Hypotheses kept while searching (1: greedy); at least ``alternatives``.
        alternatives: Distinct hypotheses returned per sentence, best first (at most 16).
        scores: Fill :attr:`Hypothesis.score`. Scores cost a log-softmax over the whole
            vocabulary at every greedy step (beam search computes it anyway), so they are only
            asked for when someone reads them.
        max_batch_tokens: Padded source tokens × beam per model call (a speed setting).
        use_vmap: Score only the target tokens the package's vocabulary map
            (``vmap.txt``) allows for the sentence's source tokens, when the package has one:
            much less work per step for nearly always the same output. Off: the whole
            vocabulary (the setting "Use the vocabulary map", ``--no-vmap``).
        model_decoding: Use the length penalty the package's manifest records
            (``decoding``, chosen on the dev set before export) instead of
            ``length_penalty``; off for exact search settings. A caller that passes no options
            at all also gets the manifest's beam size.
    """

    beam_size: int = 2
    alternatives: int = 1
    scores: bool = False
    length_penalty: float = 1.0
    repetition_penalty: float = 1.0
    no_repeat_ngram_size: int = 0
    min_length: int = 1
    max_length: int = 512
    max_length_ratio: float = 3.0
    max_batch_tokens: int = 2048
    use_vmap: bool = True
    model_decoding: bool = True

    def __post_init__(self) -> None:
        if self.beam_size < 1 or self.alternatives < 1:
            raise InputError("The beam size and the number of alternatives must be at least 1.")
        if self.alternatives > MAX_ALTERNATIVES:
            raise InputError(f"At most {MAX_ALTERNATIVES} alternatives can be asked for.")
        if self.alternatives > self.beam_size:
            # CTranslate2 cannot return more hypotheses than it keeps.
            raise InputError(
                f"{self.alternatives} alternatives need a beam size of at least "
                f"{self.alternatives} (it is {self.beam_size})."
            )
        if self.min_length < 0 or self.max_length < 1 or self.max_batch_tokens < 1:
            raise InputError("The length limits and the batch size must be positive.")
        if not self.max_length_ratio > 0:
            raise InputError("The length ratio must be positive.")

    @classmethod
    def for_quality(
        cls,
        quality: str = "balanced",
        *,
        beam_size: int | None = None,
        alternatives: int = 1,
        scores: bool = False,
        use_vmap: bool = True,
    ) -> TranslationOptions:
        """The options of a quality preset, as a person chooses them.

        Args:
            quality: A key of :data:`QUALITY_PRESETS` (``fast``, ``balanced``, ``best``).
            beam_size: Overrides the preset's beam size.
            alternatives: Hypotheses per sentence; the beam grows to hold them.
            scores: Fill the scores (always done when there are alternatives to rank).
            use_vmap: Use the package's vocabulary map when it has one.

        Raises:
            InputError: An unknown preset, or out-of-range numbers.
        """
        try:
            preset = QUALITY_PRESETS[quality]
        except KeyError:
            raise InputError(
                f"Unknown quality preset '{quality}'.",
                hint=f"Use one of: {', '.join(QUALITY_PRESETS)}.",
            ) from None
        if alternatives < 1 or (beam_size is not None and beam_size < 1):
            raise InputError("The beam size and the number of alternatives must be at least 1.")
        beam = beam_size if beam_size is not None else preset.beam_size
        return replace(
            preset,
            beam_size=max(beam, alternatives),
            alternatives=alternatives,
            scores=scores or alternatives > 1,
            use_vmap=use_vmap,
        )


# Read when options are made, not when this module is imported, so a benchmark can give the
# presets a fixed output length for the whole app.
QUALITY_PRESETS: dict[str, TranslationOptions] = {
    "fast": TranslationOptions(beam_size=1),
    "balanced": TranslationOptions(beam_size=2),
    "best": TranslationOptions(beam_size=5, length_penalty=1.0),
}
