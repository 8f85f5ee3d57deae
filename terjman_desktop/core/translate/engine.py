"""The translation engine: a loaded CTranslate2 model plus its tokenizer.

Every translation takes one path. :meth:`Translator.translate_many` checks the direction once,
keeps each text's layout (segment.py), translates each distinct sentence of all the texts
once — in batches sorted by length, checking the cancel token and reporting progress between
batches — and puts the translations back with the span of every sentence.
:meth:`Translator.translate` is that path for one text; :meth:`Translator.translate_sentences`
is its sentence half, for callers that hold sentences already.

Each sentence is tokenized once: the tokens segmentation counted (to cut over-long
sentences) are the ones batched and given to the model. Sentences already translated with
the same model, direction and options come from the :class:`SentenceCache` and are not
tokenized at all, which makes re-translating an edited text cheap.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.errors import EngineError, InputError
from terjman_desktop.core.hardware import resolve_threads
from terjman_desktop.core.translate.direction import check_direction
from terjman_desktop.core.translate.manifest import VMAP_NAME, Direction
from terjman_desktop.core.translate.options import TranslationOptions
from terjman_desktop.core.translate.package import ModelPackage, load_package
from terjman_desktop.core.translate.results import Hypothesis, SentenceTranslation, Translation
from terjman_desktop.core.translate.segment import clean_for_model, segment
from terjman_desktop.core.translate.sentence_cache import (
    CachedSentence,
    ModelKey,
    SentenceCache,
    SentenceKey,
)
from terjman_desktop.core.translate.tokenize import Tokenizer, load_tokenizer

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int], None]

_EMPTY: tuple[Hypothesis, ...] = (Hypothesis("", None),)


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


def compute_type_for(requested: str, device: str, quantization: str) -> str:
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


def resolve_device(device: str) -> str:
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


def plan_batches(lengths: Sequence[int], options: TranslationOptions) -> list[list[int]]:
    """Which sentences go to the model together: indices into ``lengths``, shortest first.

    ``lengths`` are source lengths in tokens. Sorting by length keeps padding small; a batch
    ends before its padded size would exceed the budget.
    """
    # The decoder holds beam_size hypotheses per sentence, so the budget counts padded source
    # tokens × beam. On CPU, smaller decoder batches keep the vocabulary-sized score matrices
    # in cache: at beam 4 this is 15-40% faster than a beam-blind budget
    # (benchmarks/batch_sweep.py), and beam 1 is unchanged.
    budget = max(1, options.max_batch_tokens // options.beam_size)
    batches: list[list[int]] = []
    current: list[int] = []
    for index in sorted(range(len(lengths)), key=lengths.__getitem__):
        # Padded size of the batch if this sentence joins it (sorted, so it is the longest).
        if current and (len(current) + 1) * lengths[index] > budget:
            batches.append(current)
            current = []
        current.append(index)
    if current:
        batches.append(current)
    return batches


class _Sentences:
    """The sentences of one request: each cleaned once and tokenized at most once.

    Segmentation asks how long a piece is (to cut over-long sentences); batching and the
    model need the same tokens, so they are kept. A sentence found in the cache brings its
    length along and is never tokenized.
    """

    def __init__(
        self, translator: Translator, direction: Direction, options: TranslationOptions
    ) -> None:
        self.direction = direction
        self.options = options
        self._model = translator.model_key
        self._cache = translator.cache
        self._tokenizer = translator.tokenizer
        self._cleaned: dict[str, str] = {}
        self._tokens: dict[str, list[str]] = {}
        self._cached: dict[str, CachedSentence | None] = {}

    def key(self, text: str) -> SentenceKey:
        return SentenceKey(self._model, self.direction, self.options, text)

    def clean(self, sentence: str) -> str:
        cleaned = self._cleaned.get(sentence)
        if cleaned is None:
            cleaned = self._cleaned[sentence] = clean_for_model(sentence)
        return cleaned

    def cached(self, text: str) -> CachedSentence | None:
        """The cache's entry for a clean sentence, looked up once per request."""
        if text not in self._cached:
            self._cached[text] = self._cache.get(self.key(text))
        return self._cached[text]

    def tokens(self, text: str) -> list[str]:
        """The source tokens of a clean sentence, special tokens included."""
        tokens = self._tokens.get(text)
        if tokens is None:
            tokens = self._tokenizer.encode(text, self.direction.source, self.direction.target)
            self._tokens[text] = tokens
        return tokens

    def length(self, sentence: str) -> int:
        """How many source tokens a piece of the text has (segmentation's counter)."""
        text = self.clean(sentence)
        if text not in self._tokens:
            hit = self.cached(text)
            if hit is not None:
                return hit.tokens
        return len(self.tokens(text))


class Translator:
    """A loaded model that translates text in the directions its package declares.

    Args:
        package: A checked package or the path of a model folder.
        device: ``auto`` (CUDA when available), ``cpu`` or ``cuda``.
        threads: CPU threads for one translation (0: the physical cores, see
            :mod:`~terjman_desktop.core.hardware`).
        compute_type: ``default`` keeps the package's quantization.
        cache: Where sentence translations are remembered, shared with other translators
            (:class:`ModelCache` shares one); None: a cache of this translator's own.
            ``SentenceCache(0)`` remembers nothing.
    """

    def __init__(
        self,
        package: ModelPackage | Path | str,
        *,
        device: str = "auto",
        threads: int = 0,
        compute_type: str = "default",
        cache: SentenceCache | None = None,
    ) -> None:
        self.package = package if isinstance(package, ModelPackage) else load_package(package)
        self.manifest = self.package.manifest
        self.tokenizer: Tokenizer = load_tokenizer(self.package)
        self.device = resolve_device(device)
        self.threads = resolve_threads(threads)
        self.cache = cache if cache is not None else SentenceCache()
        # A vocabulary map is used only when the manifest lists it (so it was verified with
        # the package) and it is there; CTranslate2 loads it with the model.
        self.has_vmap = any(f.path == VMAP_NAME for f in self.manifest.files) and (
            Path(self.package.path) / VMAP_NAME
        ).is_file()
        self._lock = threading.Lock()
        # CTranslate2 (4.8.x) keeps the previous call's map from target ids to the restricted
        # output layer and only adds to it, so a call with a vocabulary map after another
        # one decodes from stale positions: wrong start tokens, or an IndexError when the new
        # candidate set is smaller. A call without a map resets the layer (on the CPU, where
        # the output size is never padded), so _run_batch makes one, one step long, before a
        # call with a map whenever the last call used one. On GPUs the output layer may be
        # padded and is then never reset: the map is used on the CPU only.
        self._output_restricted = False
        self._map_usable = self.has_vmap and self.device == "cpu"
        import ctranslate2

        resolved_type = compute_type_for(compute_type, self.device, self.manifest.quantization)
        self.model_key = ModelKey(
            self.manifest.id, str(Path(self.package.path).resolve()), self.device, resolved_type
        )
        started = time.perf_counter()
        try:
            self._model: Any = ctranslate2.Translator(
                str(self.package.path),
                device=self.device,
                compute_type=resolved_type,
                intra_threads=self.threads,
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

    def default_options(self) -> TranslationOptions:
        """The options of a caller that chose none.

        Balanced, with the beam size the package's manifest records (``decoding``) if any.
        """
        beam = self.manifest.decoding.get("beam_size")
        return TranslationOptions(beam_size=int(beam)) if beam else TranslationOptions()

    def length_penalty(self, options: TranslationOptions) -> float:
        """The manifest's length penalty when it has one and ``options`` allow it."""
        recorded = self.manifest.decoding.get("length_penalty")
        if options.model_decoding and recorded is not None:
            return float(recorded)
        return options.length_penalty

    def translate(
        self,
        text: str,
        direction: Direction,
        options: TranslationOptions | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> Translation:
        """Translate one text, keeping its layout: :meth:`translate_many` of one text."""
        return self.translate_many([text], direction, options, progress, cancel)[0]

    def translate_many(
        self,
        texts: Sequence[str],
        direction: Direction,
        options: TranslationOptions | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> list[Translation]:
        """Translate texts (a pasted text, document paragraphs, subtitle cues, cells) in one pass.

        All their sentences are batched together, so a document of many short units is as
        fast as one long text. Progress counts the distinct sentences sent to the model.

        Args:
            texts: Any strings; each keeps its layout.
            direction: Checked once (:func:`check_direction`).
            options: How to search; None: :class:`TranslationOptions` ``()`` (balanced).
            progress: Called with (sentences done, sentences to do) between batches.
            cancel: Checked between batches.

        Raises:
            UnsupportedDirectionError: The model does not translate ``direction``.
            InputError: A text holds a lone surrogate (no UTF-8 text can).
            CancelledError: ``cancel`` was set.
            EngineError: The model was unloaded or CTranslate2 failed.
        """
        started = time.perf_counter()
        check_direction(self.manifest, direction)
        for text in texts:
            _check_encodable(text)
        sentences = _Sentences(self, direction, options or self.default_options())
        limit = max(8, self.manifest.max_input_tokens)
        documents = [
            segment(text, max_tokens=limit, count_tokens=sentences.length) for text in texts
        ]
        hypotheses = iter(
            self._translate(
                [sentences.clean(s) for doc in documents for s in doc.sentences],
                sentences, progress, cancel,
            )
        )
        translations = []
        for document in documents:
            pieces = [piece for piece in document.pieces if piece.translatable]
            found = [next(hypotheses) for _ in pieces]
            joined = document.join([hyps[0].text if hyps else "" for hyps in found])
            translated = tuple(
                SentenceTranslation(piece.text, hyps, piece.paragraph, source, target)
                for piece, hyps, source, target in zip(
                    pieces, found, document.sentence_spans, joined.spans, strict=True
                )
            )
            translations.append(
                Translation(
                    joined.text, direction.source, direction.target, self.manifest.id,
                    translated, time.perf_counter() - started,
                )
            )
        return translations

    def translate_sentences(
        self,
        sentences: Sequence[str],
        direction: Direction,
        options: TranslationOptions | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> list[tuple[Hypothesis, ...]]:
        """Translate sentences one to one, without segmentation: each gets its hypotheses.

        For callers that already hold sentences (one sentence's alternatives, evaluation
        sets); the same cache, batching and model call as :meth:`translate_many`.
        """
        check_direction(self.manifest, direction)
        work = _Sentences(self, direction, options or self.default_options())
        return self._translate([work.clean(s) for s in sentences], work, progress, cancel)

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

    def _translate(
        self,
        cleaned: list[str],
        sentences: _Sentences,
        progress: ProgressCallback | None,
        cancel: CancelToken | None,
    ) -> list[tuple[Hypothesis, ...]]:
        """Hypotheses for clean sentences: each distinct one from the cache or the model."""
        results: dict[str, tuple[Hypothesis, ...]] = {"": _EMPTY}
        todo: list[str] = []
        for text in dict.fromkeys(cleaned):  # each distinct sentence once, in order
            if not text:
                continue
            hit = sentences.cached(text)
            if hit is not None:
                results[text] = hit.hypotheses
            else:
                todo.append(text)
        total = len(todo)
        if progress is not None:
            progress(0, total)
        done = 0
        lengths = [len(sentences.tokens(text)) for text in todo]
        for batch in plan_batches(lengths, sentences.options):
            if cancel is not None:
                cancel.raise_if_cancelled()
            texts = [todo[i] for i in batch]
            tokens = [sentences.tokens(text) for text in texts]
            translated = self._run_batch(tokens, sentences.direction, sentences.options)
            for text, source, hyps in zip(texts, tokens, translated, strict=True):
                results[text] = hyps
                self.cache.put(sentences.key(text), CachedSentence(len(source), hyps))
            done += len(batch)
            if progress is not None:
                progress(done, total)
        return [results[text] for text in cleaned]

    def _reset_output_layer(self, source: list[str]) -> None:
        """One decoding step without the map: CTranslate2 puts the whole output layer back.

        Costs one step over the full vocabulary (about 1 ms for Nano, tens for Ultra); see
        the comment in ``__init__`` for why.
        """
        self._model.translate_batch([source or ["</s>"]], beam_size=1, max_decoding_length=1,
                                    max_input_length=0, use_vmap=False)

    def _run_batch(
        self, tokens: list[list[str]], direction: Direction, options: TranslationOptions
    ) -> list[tuple[Hypothesis, ...]]:
        prefix = self.tokenizer.target_prefix(direction.source, direction.target)
        longest = max(len(t) for t in tokens)
        min_length, max_length = ct2_length_limits(
            options.min_length,
            min(options.max_length, int(longest * options.max_length_ratio) + 10 + len(prefix)),
            forced_eos=self.manifest.forced_eos,
        )
        use_map = options.use_vmap and self._map_usable
        with self._lock:
            if self._model is None:
                raise EngineError("The model was unloaded.", hint="Load it again to translate.")
            try:
                if use_map and self._output_restricted:
                    self._reset_output_layer(tokens[0][:1])
                self._output_restricted = use_map
                results = self._model.translate_batch(
                    tokens,
                    target_prefix=[prefix] * len(tokens) if prefix else None,
                    beam_size=options.beam_size,
                    num_hypotheses=options.alternatives,
                    length_penalty=self.length_penalty(options),
                    repetition_penalty=options.repetition_penalty,
                    no_repeat_ngram_size=options.no_repeat_ngram_size,
                    min_decoding_length=min_length,
                    max_decoding_length=max_length,
                    max_input_length=0,  # segment.py already split long sentences; never truncate
                    # With a map, one model call per batch: CTranslate2 would restrict the
                    # output layer again for each piece it split off (stale, see __init__).
                    max_batch_size=0 if use_map else options.max_batch_tokens,
                    batch_type="tokens",
                    return_scores=options.scores,
                    use_vmap=use_map,
                )
            except (RuntimeError, ValueError, IndexError) as error:
                raise EngineError(f"Translation failed ({error}).") from error
        output: list[tuple[Hypothesis, ...]] = []
        for result in results:
            seen: dict[str, Hypothesis] = {}
            scores = result.scores if options.scores else [None] * len(result.hypotheses)
            for hyp_tokens, score in zip(result.hypotheses, scores, strict=True):
                text = self.tokenizer.decode(hyp_tokens[len(prefix):])
                seen.setdefault(text, Hypothesis(text, None if score is None else float(score)))
            output.append(tuple(seen.values()))
        return output


def _check_encodable(text: str) -> None:
    """Refuse a lone surrogate: a JSON escape or undecodable argument bytes make one.

    SentencePiece would fail on it with an error that says nothing to a person.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InputError(
            f"The text holds an invalid character at position {error.start} "
            "(a lone surrogate, which no UTF-8 text can hold).",
            hint="Remove that character, or give the text as UTF-8.",
        ) from None


class ModelCache:
    """Keeps at most ``max_loaded`` translators in memory, least recently used evicted.

    Loading a model takes seconds and hundreds of megabytes, so the app and CLI reuse loaded
    ones; evicted translators are unloaded so their memory is really freed. Their sentence
    translations stay in the one :attr:`sentences` cache, shared by every translator loaded
    here, until their model is unloaded by folder (it was removed or replaced).
    """

    def __init__(self, max_loaded: int = 2, sentences: SentenceCache | None = None) -> None:
        self.max_loaded = max(1, max_loaded)
        self.sentences = sentences if sentences is not None else SentenceCache()
        self._items: OrderedDict[tuple[Any, ...], Translator] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, path: Path | str, *, device: str = "auto", threads: int = 0) -> Translator:
        key = (str(Path(path).resolve()), device, threads)
        with self._lock:
            translator = self._items.get(key)
            if translator is not None:
                self._items.move_to_end(key)
                return translator
            translator = Translator(path, device=device, threads=threads, cache=self.sentences)
            self._items[key] = translator
            while len(self._items) > self.max_loaded:
                _, evicted = self._items.popitem(last=False)
                evicted.unload()
            return translator

    def unload(self, path: Path | str | None = None) -> None:
        """Unload one model (by folder) or all of them, and forget their sentences."""
        folder = None if path is None else str(Path(path).resolve())
        with self._lock:
            for key in list(self._items):
                if folder is None or key[0] == folder:
                    self._items.pop(key).unload()
            self.sentences.forget(folder)

    def __len__(self) -> int:
        return len(self._items)
