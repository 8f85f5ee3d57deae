"""Vocabulary maps (``vmap.txt``) built from what the model itself writes.

A map tells CTranslate2 which target tokens are worth scoring for a sentence: the union of
the candidates of its source tokens plus the tokens always kept (docs/DESIGN.md, "Model
package format"). A map is only as good as its coverage — a token the model would have
written but the map leaves out changes the translation — so it is built from the model's
own output, not from a reference corpus:

1. the model translates a corpus of source sentences of each direction, greedily and with
   the beams of the quality presets (a few alternatives each), through the engine
   (:meth:`Translator.translate_sentences`, the map off);
2. each translation is re-tokenized into target pieces, and for every source token of the
   sentence the target pieces of its translations are counted (once per sentence);
3. a source token keeps the pieces seen with it in at least ``min_count`` sentences, the most
   frequent first, at most ``max_per_token``;
4. the always-kept list holds each direction's forced target tokens (NLLB's language token,
   a Marian target prefix), the punctuation and digit pieces, and the ``always_keep`` pieces
   written most often — restricted to pieces the target side can write (Marian: the pieces
   of ``target.spm``; NLLB, whose one vocabulary spans 200 languages: the pieces found in
   the corpus's target-language text and in the translations).

:func:`build_vocabulary_map` does the counting, :func:`add_vocabulary_map` writes the file
into a package and lists it in the manifest; what a map changes is measured by
:mod:`~terjman_desktop.core.translate.vocabulary_map_check`.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from terjman_desktop.core.atomic import write_atomically
from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.errors import PackageError
from terjman_desktop.core.families import FAMILIES
from terjman_desktop.core.translate.engine import ProgressCallback, Translator
from terjman_desktop.core.translate.manifest import VMAP_NAME, Direction
from terjman_desktop.core.translate.options import QUALITY_PRESETS, TranslationOptions
from terjman_desktop.core.translate.package import (
    ModelPackage,
    describe_files,
    load_package,
    write_manifest,
)
from terjman_desktop.core.translate.segment import clean_for_model
from terjman_desktop.core.translate.sentence_cache import SentenceCache
from terjman_desktop.core.translate.tokenize import SPIECE_UNDERLINE, target_sentencepiece

# The manifest field that says how an on-device map was made (corpus, check, figures).
VMAP_RECORD = "vocabulary_map"
# CTranslate2 names a converted model's target vocabulary one of these (newest first).
_VOCABULARY_FILES = ("target_vocabulary.json", "shared_vocabulary.json",
                     "target_vocabulary.txt", "shared_vocabulary.txt")


@dataclass(frozen=True)
class VocabularyMapParameters:
    """How a vocabulary map is built; the defaults suit the real Terjman models.

    Attributes:
        min_count: Sentences in which a source token and a target piece must appear together
            before the piece becomes a candidate of the token (2: one chance co-occurrence is
            not kept).
        max_per_token: Most candidates of one source token, the most frequent first. A real
            sentence of 20-30 tokens then allows at most a few thousand pieces of a vocabulary
            of 60K (Marian) or 256K (NLLB).
        always_keep: The pieces written most often over the corpus, kept for every sentence
            (function words, frequent suffixes): they cost little and are what a sentence
            most often needs beyond its own words.
        beams: Beam sizes the model translates the corpus with; the default covers greedy and
            every quality preset, so the map holds what each preset writes.
        alternatives: Hypotheses kept per sentence for beams above 1 (the alternatives a
            person may ask for, and the near misses a beam search may pick).
    """

    min_count: int = 2
    max_per_token: int = 100
    always_keep: int = 500
    beams: tuple[int, ...] = field(
        default_factory=lambda: tuple(sorted({1, *(p.beam_size for p in
                                                   QUALITY_PRESETS.values())})))
    alternatives: int = 3

    def __post_init__(self) -> None:
        if self.min_count < 1 or self.max_per_token < 1 or self.always_keep < 0:
            raise ValueError("min_count and max_per_token must be at least 1, always_keep >= 0")
        if not self.beams or min(self.beams) < 1 or self.alternatives < 1:
            raise ValueError("beams and alternatives must be at least 1")


@dataclass(frozen=True)
class VocabularyMapStats:
    """What a built map holds, in figures a report can print.

    Attributes:
        lines: Lines of ``vmap.txt`` (source tokens with candidates, plus the always-kept line).
        source_tokens: Source tokens with candidates of their own.
        mean_candidates: Average candidates per source token (besides the always-kept ones).
        always_kept: Pieces on the always-kept line.
        mean_sentence_candidates: Average pieces a corpus sentence allows (its tokens'
            candidates, the always-kept pieces and CTranslate2's unk/bos/eos): what the model
            scores per step instead of ``vocabulary_size``.
        vocabulary_size: The model's target vocabulary.
        sentences: Distinct corpus sentences translated, all directions together.
    """

    lines: int
    source_tokens: int
    mean_candidates: float
    always_kept: int
    mean_sentence_candidates: float
    vocabulary_size: int
    sentences: int

    def to_json(self) -> dict[str, float | int]:
        return {
            "lines": self.lines, "source_tokens": self.source_tokens,
            "mean_candidates": self.mean_candidates, "always_kept": self.always_kept,
            "mean_sentence_candidates": self.mean_sentence_candidates,
            "vocabulary_size": self.vocabulary_size, "sentences": self.sentences,
        }


@dataclass(frozen=True)
class VocabularyMap:
    """A built map: candidates per source token and the always-kept pieces, both sorted."""

    candidates: Mapping[str, tuple[str, ...]]
    always: tuple[str, ...]
    stats: VocabularyMapStats

    def text(self) -> str:
        """``vmap.txt`` as CTranslate2 reads it: the always-kept line, then keys sorted."""
        lines = ["\t" + " ".join(self.always)]
        lines += [f"{key}\t{' '.join(values)}" for key, values in sorted(self.candidates.items())]
        return "\n".join(lines) + "\n"


def open_translator(model: Translator | ModelPackage | Path | str, device: str) -> Translator:
    if isinstance(model, Translator):
        return model
    # No sentence cache: every sentence is translated once per search setting anyway.
    return Translator(model, device=device, cache=SentenceCache(0))


def target_vocabulary(package: ModelPackage) -> list[str]:
    """The model's target vocabulary as CTranslate2's converter wrote it, in id order.

    Raises:
        PackageError: the package has no vocabulary file CTranslate2 would read.
    """
    for name in _VOCABULARY_FILES:
        path = package.file(name)
        if path.is_file():
            if name.endswith(".json"):
                return [str(token) for token in json.loads(path.read_text(encoding="utf-8"))]
            return path.read_text(encoding="utf-8").splitlines()
    raise PackageError(f"{package.path} has no target vocabulary ({', '.join(_VOCABULARY_FILES)}).",
                       hint="Re-export the model.")


def _is_punctuation_or_digits(piece: str) -> bool:
    text = piece.replace(SPIECE_UNDERLINE, "")
    return bool(text) and all(unicodedata.category(c)[0] in "PN" for c in text)


def _search_settings(parameters: VocabularyMapParameters) -> list[TranslationOptions]:
    return [
        TranslationOptions(beam_size=beam, alternatives=min(beam, parameters.alternatives),
                           use_vmap=False)
        for beam in sorted(set(parameters.beams))
    ]


def build_vocabulary_map(
    model: Translator | ModelPackage | Path | str,
    corpus: Mapping[Direction, Sequence[str]],
    *,
    references: Mapping[str, Sequence[str]] | None = None,
    parameters: VocabularyMapParameters | None = None,
    device: str = "cpu",
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> VocabularyMap:
    """Translate ``corpus`` with the model and count what it writes (see the module).

    Args:
        model: A loaded translator, or a package (folder) to load.
        corpus: Source sentences per direction (training data, never the dev or test set
            the map is then judged on).
        references: Target-language text per language code (``ary``: Darija sentences), so
            an NLLB map knows which pieces that language uses; ignored for Marian, whose
            ``target.spm`` says it.
        parameters: The thresholds; the defaults of :class:`VocabularyMapParameters`.
        device: Where a package given by path runs.
        progress: Told (sentences translated, sentences to translate) over every direction
            and search setting.
        cancel: Stops the build between model calls (CancelledError).
    """
    parameters = parameters or VocabularyMapParameters()
    translator = open_translator(model, device)
    settings = _search_settings(parameters)
    cleaned_corpus = {
        direction: [t for t in dict.fromkeys(clean_for_model(s) for s in sentences) if t]
        for direction, sentences in sorted(corpus.items(), key=lambda item: str(item[0]))
    }
    total = len(settings) * sum(map(len, cleaned_corpus.values()))
    finished = 0
    manifest = translator.manifest
    vocabulary = target_vocabulary(translator.package)
    in_vocabulary = set(vocabulary)
    spm = target_sentencepiece(translator.package)
    multilingual = FAMILIES[manifest.family].needs_language_tokens

    pair_counts: dict[str, Counter[str]] = defaultdict(Counter)
    written: Counter[str] = Counter()
    # Pieces the target side can write: Marian's target.spm knows its language's pieces;
    # NLLB's model spans every language, so only what this corpus's target text uses.
    decodable: set[str] = set() if multilingual else set(spm.vocabulary())
    forced: set[str] = set()
    sentence_tokens: list[set[str]] = []
    for direction, cleaned in cleaned_corpus.items():
        if not cleaned:
            continue
        forced.update(translator.tokenizer.target_prefix(direction.source, direction.target))
        outputs: list[set[str]] = [set() for _ in cleaned]
        for options in settings:
            def report(done: int, _total: int, before: int = finished) -> None:
                if progress is not None:
                    progress(before + done, total)

            results = translator.translate_sentences(cleaned, direction, options,
                                                     progress=report, cancel=cancel)
            finished += len(cleaned)
            for pieces, hypotheses in zip(outputs, results, strict=True):
                for hypothesis in hypotheses:
                    tokens = spm.pieces(hypothesis.text) if hypothesis.text else []
                    written.update(tokens)
                    pieces.update(tokens)
        for text, emitted in zip(cleaned, outputs, strict=True):
            pieces = emitted & in_vocabulary
            decodable |= pieces
            source = set(translator.tokenizer.encode(text, direction.source, direction.target))
            sentence_tokens.append(source)
            for token in source:
                pair_counts[token].update(pieces)
    if multilingual:
        targets = {direction.target for direction in corpus}
        for language, texts in sorted((references or {}).items()):
            if language not in targets:
                continue
            for text in texts:
                decodable.update(spm.pieces(clean_for_model(text)))

    return vocabulary_map_from_counts(
        pair_counts, written, keep=in_vocabulary & decodable,
        forced={t for t in forced if t in in_vocabulary}, sentence_tokens=sentence_tokens,
        vocabulary_size=len(vocabulary), parameters=parameters,
    )


def vocabulary_map_from_counts(
    pair_counts: Mapping[str, Counter[str]],
    written: Counter[str],
    *,
    keep: set[str],
    forced: set[str],
    sentence_tokens: Sequence[set[str]],
    vocabulary_size: int,
    parameters: VocabularyMapParameters,
) -> VocabularyMap:
    """Steps 3 and 4 of the module: choose the candidates and the always-kept pieces.

    Args:
        pair_counts: Per source token, in how many sentences each target piece was written
            with it.
        written: How often each target piece was written over the corpus.
        keep: The pieces the target side can write (no other piece is ever chosen).
        forced: Target tokens every translation starts with (kept always).
        sentence_tokens: The source tokens of each corpus sentence (for the statistics).
        vocabulary_size: The model's target vocabulary size (for the statistics).
        parameters: The thresholds.
    """
    always = set(forced)
    always |= {t for t in keep if _is_punctuation_or_digits(t)}
    frequent = sorted((t for t in written if t in keep), key=lambda t: (-written[t], t))
    always |= set(frequent[:parameters.always_keep])

    candidates: dict[str, tuple[str, ...]] = {}
    for token, counts in pair_counts.items():
        if any(c.isspace() for c in token):  # a key cannot hold a space or a tab
            continue
        chosen = sorted(
            (t for t, n in counts.items() if n >= parameters.min_count and t in keep
             and t not in always),
            key=lambda t: (-counts[t], t),
        )[:parameters.max_per_token]
        if chosen:
            candidates[token] = tuple(sorted(chosen))

    always_sorted = tuple(sorted(always))
    stats = _stats(candidates, always_sorted, sentence_tokens, vocabulary_size)
    return VocabularyMap(candidates, always_sorted, stats)


def _stats(
    candidates: Mapping[str, tuple[str, ...]],
    always: tuple[str, ...],
    sentence_tokens: Sequence[set[str]],
    vocabulary_size: int,
) -> VocabularyMapStats:
    per_sentence = [
        len(set(always).union(*(candidates.get(t, ()) for t in tokens))) + 3  # unk, bos, eos
        for tokens in sentence_tokens
    ]
    return VocabularyMapStats(
        lines=len(candidates) + 1,
        source_tokens=len(candidates),
        mean_candidates=round(sum(map(len, candidates.values())) / max(1, len(candidates)), 2),
        always_kept=len(always),
        mean_sentence_candidates=round(sum(per_sentence) / max(1, len(per_sentence)), 2),
        vocabulary_size=vocabulary_size,
        sentences=len(sentence_tokens),
    )


def write_vocabulary_map(package_dir: Path | str, vocabulary_map: VocabularyMap, *,
                         record: Mapping[str, Any] | None = None) -> Path:
    """Write ``vmap.txt`` atomically into a package folder and list it in the manifest.

    The manifest's other entries are kept as they are; the map's entry replaces an older one.
    ``record`` (how the map was made and checked) is kept in the manifest under
    ``vocabulary_map``.
    """
    folder = Path(package_dir)
    package = load_package(folder)
    path = write_atomically(folder / VMAP_NAME, vocabulary_map.text())
    entries = [f for f in package.manifest.files if f.path != VMAP_NAME]
    entries += describe_files(folder, [VMAP_NAME])
    extra = dict(package.manifest.extra)
    if record is not None:
        extra[VMAP_RECORD] = dict(record)
    write_manifest(folder, replace(package.manifest, extra=extra,
                                   files=tuple(sorted(entries, key=lambda f: f.path))))
    return path


def add_vocabulary_map(
    package_dir: Path | str,
    corpus: Mapping[Direction, Sequence[str]],
    *,
    references: Mapping[str, Sequence[str]] | None = None,
    parameters: VocabularyMapParameters | None = None,
    device: str = "cpu",
) -> VocabularyMapStats:
    """Build a map for the package at ``package_dir`` from ``corpus`` and add it to it.

    See :func:`build_vocabulary_map` for the arguments. The model is loaded for the build and
    unloaded before the files change.
    """
    translator = Translator(package_dir, device=device, cache=SentenceCache(0))
    try:
        built = build_vocabulary_map(translator, corpus, references=references,
                                     parameters=parameters)
    finally:
        translator.unload()
    write_vocabulary_map(package_dir, built)
    return built.stats
