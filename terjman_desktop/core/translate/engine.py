"""The translation engine: a loaded CTranslate2 model plus its tokenizer.

``Translator.translate`` takes a whole text, keeps its layout (segment.py), translates each
distinct sentence once — in batches sorted by length, checking the cancel token and reporting
progress between batches — and puts the translations back. A small per-model cache of recent
sentence translations makes re-translating an edited text cheap: only changed sentences go
to the model.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.errors import EngineError, InputError, UnsupportedDirectionError
from terjman_desktop.core.translate.package import ModelPackage, load_package
from terjman_desktop.core.translate.segment import clean_for_model, segment
from terjman_desktop.core.translate.tokenize import Tokenizer, load_tokenizer

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class DecodingOptions:
    """How CTranslate2 searches for a translation.

    Lengths count generated tokens the way Hugging Face's ``min_new_tokens`` and
    ``max_new_tokens`` do: the target-language token and ``</s>`` included
    (:func:`ct2_length_limits` turns them into CTranslate2's). ``min_decoding_length``
    defaults to 1 like CTranslate2; ``generate`` defaults to 0, so parity checks set it
    explicitly. ``max_decoding_length`` is a cap: each batch gets
    ``min(cap, ratio × longest source + 10)`` so a runaway output stays short.
    """

    beam_size: int = 2
    num_hypotheses: int = 1
    length_penalty: float = 1.0
    repetition_penalty: float = 1.0
    no_repeat_ngram_size: int = 0
    min_decoding_length: int = 1
    max_decoding_length: int = 512
    max_length_ratio: float = 3.0
    max_batch_tokens: int = 2048
    # Scores cost a log-softmax over the whole vocabulary at every greedy step (beam search
    # computes it anyway), so they are only asked for when someone reads them.
    return_scores: bool = False

    def __post_init__(self) -> None:
        if self.beam_size < 1 or self.num_hypotheses < 1:
            raise InputError("The beam size and the number of alternatives must be at least 1.")
        if self.num_hypotheses > 16:
            raise InputError("At most 16 alternatives can be asked for.")


QUALITY_PRESETS: dict[str, DecodingOptions] = {
    "fast": DecodingOptions(beam_size=1),
    "balanced": DecodingOptions(beam_size=2),
    "best": DecodingOptions(beam_size=5, length_penalty=1.0),
}


@dataclass(frozen=True)
class Hypothesis:
    text: str
    score: float | None


@dataclass(frozen=True)
class SentenceTranslation:
    """One source sentence with its hypotheses, best first."""

    source: str
    hypotheses: tuple[Hypothesis, ...]
    paragraph: int = 0

    @property
    def text(self) -> str:
        return self.hypotheses[0].text if self.hypotheses else ""


@dataclass(frozen=True)
class TranslationRequest:
    text: str
    source: str = "en"
    target: str = "ary"
    quality: str = "balanced"
    beam_size: int | None = None
    alternatives: int = 1
    scores: bool = False  # fill Hypothesis.score (always done when alternatives > 1)

    def options(self) -> DecodingOptions:
        try:
            options = QUALITY_PRESETS[self.quality]
        except KeyError:
            raise InputError(
                f"Unknown quality preset '{self.quality}'.",
                hint=f"Use one of: {', '.join(QUALITY_PRESETS)}.",
            ) from None
        beam = self.beam_size if self.beam_size is not None else options.beam_size
        return replace(
            options,
            beam_size=max(beam, self.alternatives),
            num_hypotheses=self.alternatives,
            return_scores=self.scores or self.alternatives > 1,
        )


@dataclass(frozen=True)
class Translation:
    """A translated text: the joined text and every sentence's hypotheses."""

    text: str
    source: str
    target: str
    model_id: str
    sentences: tuple[SentenceTranslation, ...]
    seconds: float = 0.0


def ct2_length_limits(
    min_new_tokens: int, max_new_tokens: int, *, forced_eos: bool
) -> tuple[int, int]:
    """CTranslate2's ``(min_decoding_length, max_decoding_length)`` for Hugging Face's limits.

    Both libraries count a forced target prefix (NLLB's language token) in the length, and
    neither stops short of the cap on its own. They differ when the model forces ``</s>`` at
    the cap (``forced_eos_token_id``, set by every Marian config): ``generate`` then spends the
    last allowed position on ``</s>``, while CTranslate2 would fill it with one more token. So
    the cap is one less for such models; the minimum never exceeds the cap. This is the only
    place the two libraries' limits are mapped: the engine, the trainer's checks and the
    parity tests all go through it.
    """
    max_length = max(1, max_new_tokens - 1) if forced_eos else max(1, max_new_tokens)
    return min(max(0, min_new_tokens), max_length), max_length


DEVICES = ("auto", "cpu", "cuda")


def _compute_type(requested: str, device: str, quantization: str) -> str:
    """What CTranslate2 computes in, when the person left it to the package.

    A checkpoint published in float16 (the NLLB models) converts to int8 weights with float16
    biases and norms; on a CPU, which cannot compute in float16, CTranslate2 would then warn
    and convert them at every load. Asking for the CPU's own type does the same conversion
    silently (the saved int8 weights are used as they are).
    """
    if requested != "default" or device != "cpu":
        return requested
    import ctranslate2

    supported = ctranslate2.get_supported_compute_types("cpu")
    if quantization.startswith("int8"):  # "int8" may hide float16 biases: always ask
        wanted = "int8_float32"
    elif quantization in supported:
        return requested
    else:
        wanted = "float32"
    return wanted if wanted in supported else requested


def _resolve_device(device: str) -> str:
    """``cpu`` or ``cuda`` for a requested device.

    A CUDA request on a machine without a usable GPU is refused here, where the reason is
    known, rather than surfacing later as a model that "cannot be loaded".
    """
    if device not in DEVICES:
        raise InputError(f"Unknown device '{device}'.", hint=f"Use one of: {', '.join(DEVICES)}.")
    if device == "cpu":
        return device
    import ctranslate2

    try:
        gpus = ctranslate2.get_cuda_device_count()
    except RuntimeError:  # a CUDA runtime that cannot start (driver missing or too old)
        gpus = 0
    if device == "auto":
        return "cuda" if gpus > 0 else "cpu"
    if gpus == 0:
        raise EngineError(
            "No CUDA device can be used on this computer (no NVIDIA GPU, or its driver is "
            "missing or too old).",
            hint="Translate on the CPU instead: --device cpu (or auto).",
        )
    return device


class Translator:
    """A loaded model that translates text in the directions its package declares.

    Args:
        package: A checked package or the path of a model folder.
        device: ``auto`` (CUDA when available), ``cpu`` or ``cuda``.
        threads: CPU threads for one translation (0: CTranslate2's default).
        compute_type: ``default`` keeps the package's quantization.
        cache_size: How many recent sentence translations to remember.
    """

    def __init__(
        self,
        package: ModelPackage | Path | str,
        *,
        device: str = "auto",
        threads: int = 0,
        compute_type: str = "default",
        cache_size: int = 4096,
    ) -> None:
        self.package = package if isinstance(package, ModelPackage) else load_package(package)
        self.manifest = self.package.manifest
        self.tokenizer: Tokenizer = load_tokenizer(self.package)
        self.device = _resolve_device(device)
        self.threads = threads
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[Any, ...], tuple[Hypothesis, ...]] = OrderedDict()
        self._cache_size = cache_size
        import ctranslate2

        started = time.perf_counter()
        try:
            self._model: Any = ctranslate2.Translator(
                str(self.package.path),
                device=self.device,
                compute_type=_compute_type(compute_type, self.device,
                                           self.manifest.quantization),
                intra_threads=threads,
                inter_threads=1,
            )
        except (RuntimeError, ValueError, OSError) as error:
            raise EngineError(
                f"The model '{self.manifest.id}' could not be loaded ({error}).",
                hint="Verify the model in the model manager, or re-install it.",
            ) from error
        logger.info(
            "Loaded %s on %s in %.2fs", self.manifest.id, self.device,
            time.perf_counter() - started,
        )

    # ------------------------------------------------------------------ public API

    def translate(
        self,
        request: TranslationRequest,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> Translation:
        """Translate a whole text, keeping its layout."""
        return self.translate_many([request.text], request, progress, cancel)[0]

    def translate_many(
        self,
        texts: Sequence[str],
        request: TranslationRequest,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> list[Translation]:
        """Translate several texts (document paragraphs, subtitle cues, cells) in one pass.

        All their sentences are batched together, so a document of many short units is as
        fast as one long text. ``request`` gives the direction and options; its text is
        ignored. Progress counts distinct sentences sent to the model.
        """
        started = time.perf_counter()
        self._check_direction(request.source, request.target)
        options = request.options()
        limit = max(8, self.manifest.max_input_tokens)
        documents = [
            segment(
                text,
                max_tokens=limit,
                count_tokens=lambda s: self.tokenizer.count(clean_for_model(s)),
            )
            for text in texts
        ]
        hypotheses = iter(
            self.translate_sentences(
                [s for doc in documents for s in doc.sentences],
                request.source, request.target, options, progress, cancel,
            )
        )
        translations = []
        for document in documents:
            sentences = tuple(
                SentenceTranslation(piece.text, next(hypotheses), piece.paragraph)
                for piece in document.pieces
                if piece.translatable
            )
            translations.append(
                Translation(
                    document.join([s.text for s in sentences]), request.source, request.target,
                    self.manifest.id, sentences, time.perf_counter() - started,
                )
            )
        return translations

    def translate_sentences(
        self,
        sentences: Sequence[str],
        source: str,
        target: str,
        options: DecodingOptions | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> list[tuple[Hypothesis, ...]]:
        """Translate sentences one to one (no segmentation); each gets its hypotheses."""
        self._check_direction(source, target)
        options = options or QUALITY_PRESETS["balanced"]
        cleaned = [clean_for_model(s) for s in sentences]
        results: dict[str, tuple[Hypothesis, ...]] = {"": (Hypothesis("", None),)}
        todo: list[str] = []
        for text in dict.fromkeys(cleaned):  # each distinct sentence once, in order
            cached = self._cache_get((text, source, target, options))
            if cached is not None:
                results[text] = cached
            elif text:
                todo.append(text)
        total = len(todo)
        if progress is not None:
            progress(0, total)
        done = 0
        for batch in self._batches(todo, options):
            if cancel is not None:
                cancel.raise_if_cancelled()
            translated = self._run_batch(batch, source, target, options)
            for text, hyps in zip(batch, translated, strict=True):
                results[text] = hyps
                self._cache_put((text, source, target, options), hyps)
            done += len(batch)
            if progress is not None:
                progress(done, total)
        return [results[text] for text in cleaned]

    def unload(self) -> None:
        """Free the model's memory; the object cannot translate afterwards."""
        with self._lock:
            model, self._model = self._model, None
            if model is not None:
                model.unload_model()
                del model

    @property
    def loaded(self) -> bool:
        return self._model is not None

    # ------------------------------------------------------------------ internals

    def _check_direction(self, source: str, target: str) -> None:
        if not self.manifest.supports(source, target):
            available = ", ".join(str(d) for d in self.manifest.directions)
            raise UnsupportedDirectionError(
                f"The model '{self.manifest.id}' cannot translate {source}→{target}.",
                hint=f"It translates {available}; pick another model or direction.",
            )

    def _batches(self, texts: list[str], options: DecodingOptions) -> list[list[str]]:
        lengths = {text: self.tokenizer.count(text) for text in texts}
        ordered = sorted(texts, key=lengths.__getitem__)
        batches: list[list[str]] = []
        current: list[str] = []
        # The decoder holds beam_size hypotheses per sentence, so the budget counts padded
        # source tokens × beam. On CPU, smaller decoder batches keep the vocabulary-sized
        # score matrices in cache: at beam 4 this is 15-40% faster than a beam-blind budget
        # (benchmarks/batch_sweep.py), and beam 1 is unchanged.
        budget = max(1, options.max_batch_tokens // options.beam_size)
        for text in ordered:
            # Padded size of the batch if this sentence joins it (sorted, so it is the longest).
            if current and (len(current) + 1) * lengths[text] > budget:
                batches.append(current)
                current = []
            current.append(text)
        if current:
            batches.append(current)
        return batches

    def _run_batch(
        self, batch: list[str], source: str, target: str, options: DecodingOptions
    ) -> list[tuple[Hypothesis, ...]]:
        tokens = [self.tokenizer.encode(text, source, target) for text in batch]
        prefix = self.tokenizer.target_prefix(source, target)
        longest = max(len(t) for t in tokens)
        min_length, max_length = ct2_length_limits(
            options.min_decoding_length,
            min(
                options.max_decoding_length,
                int(longest * options.max_length_ratio) + 10 + len(prefix),
            ),
            forced_eos=self.manifest.forced_eos,
        )
        with self._lock:
            if self._model is None:
                raise EngineError("The model was unloaded.", hint="Load it again to translate.")
            try:
                results = self._model.translate_batch(
                    tokens,
                    target_prefix=[prefix] * len(tokens) if prefix else None,
                    beam_size=options.beam_size,
                    num_hypotheses=options.num_hypotheses,
                    length_penalty=options.length_penalty,
                    repetition_penalty=options.repetition_penalty,
                    no_repeat_ngram_size=options.no_repeat_ngram_size,
                    min_decoding_length=min_length,
                    max_decoding_length=max_length,
                    max_input_length=0,  # segment.py already split long sentences; never truncate
                    max_batch_size=options.max_batch_tokens,
                    batch_type="tokens",
                    return_scores=options.return_scores,
                )
            except (RuntimeError, ValueError) as error:
                raise EngineError(f"Translation failed ({error}).") from error
        output: list[tuple[Hypothesis, ...]] = []
        for result in results:
            seen: dict[str, Hypothesis] = {}
            scores = result.scores if options.return_scores else [None] * len(result.hypotheses)
            for hyp_tokens, score in zip(result.hypotheses, scores, strict=True):
                text = self.tokenizer.decode(hyp_tokens[len(prefix):])
                seen.setdefault(text, Hypothesis(text, None if score is None else float(score)))
            output.append(tuple(seen.values()))
        return output

    def _cache_get(self, key: tuple[Any, ...]) -> tuple[Hypothesis, ...] | None:
        with self._lock:
            value = self._cache.get(key)
            if value is not None:
                self._cache.move_to_end(key)
            return value

    def _cache_put(self, key: tuple[Any, ...], value: tuple[Hypothesis, ...]) -> None:
        if self._cache_size <= 0:
            return
        with self._lock:
            self._cache[key] = value
            self._cache.move_to_end(key)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)


class ModelCache:
    """Keeps at most ``max_loaded`` translators in memory, least recently used evicted.

    Loading a model takes seconds and hundreds of megabytes, so the app and CLI reuse loaded
    ones; evicted translators are unloaded so their memory is really freed.
    """

    def __init__(self, max_loaded: int = 2) -> None:
        self.max_loaded = max(1, max_loaded)
        self._items: OrderedDict[tuple[Any, ...], Translator] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, path: Path | str, *, device: str = "auto", threads: int = 0) -> Translator:
        key = (str(Path(path).resolve()), device, threads)
        with self._lock:
            translator = self._items.get(key)
            if translator is not None:
                self._items.move_to_end(key)
                return translator
            translator = Translator(path, device=device, threads=threads)
            self._items[key] = translator
            while len(self._items) > self.max_loaded:
                _, evicted = self._items.popitem(last=False)
                evicted.unload()
            return translator

    def unload(self, path: Path | str | None = None) -> None:
        """Unload one model (by folder) or all of them."""
        with self._lock:
            for key in list(self._items):
                if path is None or key[0] == str(Path(path).resolve()):
                    self._items.pop(key).unload()

    def __len__(self) -> int:
        return len(self._items)
