"""Give an installed model a vocabulary map learned here, on this computer, from its training data.

A model converted on the device from its Hub checkpoint has no ``vmap.txt``: the map is
learned by running the model over sentences it was trained on
(:mod:`terjman_desktop.core.translate.vocabulary_map`), and none are bundled with the app.
So, after the install (and whenever asked, ``terjman models vmap``):

1. **Sample** ``rows + held_out`` rows of the model's training dataset through the Hub's
   dataset viewer (:mod:`~terjman_desktop.core.models.hub.map_sample`): a spread, seeded
   sample, split into build and held-out rows that share no sentence.
2. **Build** the map in a staging copy of the installed model (hard links: no second copy of
   the weights) by translating the build rows of every direction with the model itself.
3. **Check** it: the held-out sentences are translated greedily, one per model call, without
   and with the map; the map is kept only when at least ``min_identical`` (99 %) of them come
   out identical in every direction — the quality guard ``trainer export`` applies too.
4. **Install** the copy with one rename (:meth:`Store.install`): the model's lock is held from
   the first step of the build to the rename, a translation running meanwhile keeps using the
   old folder's loaded model, and a failure or a cancel leaves the installed model as it was.

The manifest records where the sentences came from, the map's figures and the check's result
under ``vocabulary_map``. Translation works the same without a map, only slower: a map that
cannot be made is a note, never a failed install.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from terjman_desktop import __version__
from terjman_desktop.core.atomic import link_or_copy
from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.errors import TerjmanError
from terjman_desktop.core.models.hub.details import InstallProgress, ProgressCallback
from terjman_desktop.core.models.hub.map_corpus import MapCorpus
from terjman_desktop.core.translate import MANIFEST_NAME, VMAP_NAME, Direction

if TYPE_CHECKING:
    from terjman_desktop.core.models.hub.dataset_viewer import DatasetViewer
    from terjman_desktop.core.models.hub.map_sample import CorpusSample
    from terjman_desktop.core.models.store.store import InstalledModel, Store, Workspace
    from terjman_desktop.core.translate import VocabularyMapParameters, VocabularyMapStats

logger = logging.getLogger(__name__)

PHASE_MAP_SAMPLE = "vmap-sample"
PHASE_MAP_BUILD = "vmap-build"
PHASE_MAP_CHECK = "vmap-check"
MAP_PHASES = (PHASE_MAP_SAMPLE, PHASE_MAP_BUILD, PHASE_MAP_CHECK)
MIN_IDENTICAL = 0.99


class MapRejectedError(TerjmanError):
    """The map built here would change too many translations: it was not kept."""


@dataclass(frozen=True)
class MapOutcome:
    """A map added to an installed model: the model as installed now, and the figures.

    Attributes:
        model: The installed model (its manifest lists ``vmap.txt``).
        stats: What the map holds.
        identical: Per direction (``en-ary``), the share of held-out greedy translations the
            map leaves unchanged.
        record: What the manifest says under ``vocabulary_map``.
    """

    model: InstalledModel
    stats: VocabularyMapStats
    identical: Mapping[str, float]
    record: Mapping[str, Any]


def _stage_copy(installed: InstalledModel, staging: Path) -> None:
    """The installed model's files in ``staging``, its old map (if any) left out."""
    names = [entry.path for entry in installed.manifest.files if entry.path != VMAP_NAME]
    for name in [*names, MANIFEST_NAME]:
        link_or_copy(installed.path / name, staging / name)


def _corpus_of(rows: Sequence[Mapping[str, str]],
               directions: tuple[Direction, ...]) -> dict[Direction, list[str]]:
    """The source sentences of ``rows`` per direction."""
    return {d: [row[d.source] for row in rows] for d in directions}


class _MapJob:
    """Steps 2 and 3 of the module, as the filler of ``Store.install``."""

    def __init__(self, installed: InstalledModel, sample: CorpusSample, corpus: MapCorpus,
                 parameters: VocabularyMapParameters, min_identical: float, threads: int,
                 report: ProgressCallback, control: CancelToken | None) -> None:
        self.installed = installed
        self.sample = sample
        self.corpus = corpus
        self.parameters = parameters
        self.min_identical = min_identical
        self.threads = threads
        self.report = report
        self.control = control
        self.stats: VocabularyMapStats | None = None
        self.identical: dict[str, float] = {}
        self.record: dict[str, Any] = {}

    def __call__(self, work: Workspace) -> None:
        from terjman_desktop.core.translate import (
            SentenceCache,
            Translator,
            build_vocabulary_map,
            compare_vocabulary_map,
            write_vocabulary_map,
        )

        staging = work.staging
        _stage_copy(self.installed, staging)
        directions = self.installed.manifest.directions
        references = {d.target: [row[d.target] for row in self.sample.build]
                      for d in directions}

        def building(done: int, total: int) -> None:
            self.report(InstallProgress(PHASE_MAP_BUILD, done, total))

        translator = Translator(staging, device="cpu", threads=self.threads,
                                cache=SentenceCache(0))
        try:
            built = build_vocabulary_map(
                translator, _corpus_of(self.sample.build, directions),
                references=references, parameters=self.parameters, progress=building,
                cancel=self.control)
        finally:
            translator.unload()
        self.stats = built.stats
        write_vocabulary_map(staging, built)

        held_out = _corpus_of(self.sample.held_out, directions)
        total = 2 * sum(map(len, held_out.values()))
        finished = 0
        translator = Translator(staging, device="cpu", threads=self.threads,
                                cache=SentenceCache(0))
        try:
            for direction, sentences in held_out.items():
                def checking(done: int, _total: int, before: int = finished) -> None:
                    self.report(InstallProgress(PHASE_MAP_CHECK, before + done, total))

                comparison = compare_vocabulary_map(translator, sentences, direction,
                                                    progress=checking, cancel=self.control)
                self.identical[f"{direction.source}-{direction.target}"] = round(
                    comparison.identical, 4)
                finished += 2 * len(sentences)
        finally:
            translator.unload()
        self.record = {
            "built_by": f"terjman-desktop {__version__}",
            "corpus": self.sample.record(self.corpus),
            "parameters": {"min_count": self.parameters.min_count,
                           "max_per_token": self.parameters.max_per_token,
                           "always_keep": self.parameters.always_keep,
                           "beams": list(self.parameters.beams),
                           "alternatives": self.parameters.alternatives},
            "stats": built.stats.to_json(),
            "check": {"identical": dict(self.identical), "min_identical": self.min_identical,
                      "held_out_rows": len(self.sample.held_out)},
        }
        worst = min(self.identical.items(), key=lambda item: item[1])
        if worst[1] < self.min_identical:
            raise MapRejectedError(
                f"The vocabulary map learned here changes {100 * (1 - worst[1]):.1f}% of the "
                f"held-out {worst[0]} translations (at most {100 * (1 - self.min_identical):.0f}"
                "% may change), so it was not kept; the model translates as before.",
                hint=f"`terjman models vmap {self.installed.id}` can learn it from more "
                "sentences (--vmap-rows) or from another dataset the model was trained on "
                "(--vmap-dataset).",
            )
        write_vocabulary_map(staging, built, record=self.record)


def add_vocabulary_map_from_hub(
    model_id: str,
    corpus: MapCorpus,
    *,
    store: Store | None = None,
    viewer: DatasetViewer | None = None,
    parameters: VocabularyMapParameters | None = None,
    min_identical: float = MIN_IDENTICAL,
    threads: int = 0,
    progress: ProgressCallback | None = None,
    control: CancelToken | None = None,
) -> MapOutcome:
    """Learn a map for the installed ``model_id`` from ``corpus`` and install it (module doc).

    Args:
        model_id: An installed model.
        corpus: The dataset to learn from (a catalog entry's ``vmap_corpus``).
        store: Where the model is installed; the default store when None.
        viewer: The dataset viewer client; the default address when None.
        parameters: The map's thresholds (:class:`VocabularyMapParameters`' defaults).
        min_identical: The share of held-out greedy translations, per direction, the map
            must leave unchanged.
        threads: CTranslate2 threads (0: the engine's default, the physical cores).
        progress: Told each phase (``vmap-sample``, ``vmap-build``, ``vmap-check``) and its
            progress.
        control: Cancels between pages and model calls (CancelledError); nothing changes.

    Raises:
        DatasetViewerError, HubError: the sentences cannot be read.
        MapRejectedError: the map would change too many translations (nothing changes).
        StoreError, PackageError: the model is not installed or the store is busy.
        CancelledError: cancelled (nothing changes).
    """
    from terjman_desktop.core.models.hub.dataset_viewer import DatasetViewer
    from terjman_desktop.core.models.hub.map_sample import sample_corpus
    from terjman_desktop.core.models.store.store import Store
    from terjman_desktop.core.translate import VocabularyMapParameters

    store = store or Store()
    viewer = viewer or DatasetViewer()
    parameters = parameters or VocabularyMapParameters()
    report: ProgressCallback = progress or (lambda _state: None)
    installed = store.get(model_id)
    _check_memory(installed)
    languages = sorted({code for d in installed.directions for code in (d.source, d.target)})

    def sampling(done: int, total: int) -> None:
        report(InstallProgress(PHASE_MAP_SAMPLE, done, total))

    report(InstallProgress(PHASE_MAP_SAMPLE, 0, 1))
    sample = sample_corpus(viewer, corpus, languages, progress=sampling, control=control)
    job = _MapJob(installed, sample, corpus, parameters, min_identical, threads, report,
                  control)
    try:
        model = store.install(model_id, job, fresh=True, keep_sources=True, cancel=control)
    except BaseException:
        _forget_staging(store, model_id)
        raise
    assert job.stats is not None
    logger.info("Vocabulary map added to %s: %d source tokens, identical %s", model_id,
                job.stats.source_tokens, job.identical)
    return MapOutcome(model, job.stats, dict(job.identical), job.record)


# The learner loads the model once more (the app may hold it too): its weights and working
# memory, as the catalog's RAM rule counts them (weights plus 30%).
_MEMORY_PER_MODEL_BYTE = 1.3


def _check_memory(installed: InstalledModel) -> None:
    """Refuse to start when loading the model once more would push the machine into swap."""
    from terjman_desktop.core.diskspace import format_size
    from terjman_desktop.core.hardware import available_memory

    free = available_memory()
    needed = int(installed.size * _MEMORY_PER_MODEL_BYTE)
    if free is not None and free < needed:
        raise MapRejectedError(
            f"Learning the vocabulary map of {installed.name} needs about "
            f"{format_size(needed)} of free memory and {format_size(free)} is free now; "
            "nothing was changed, and the model translates as before.",
            hint=f"Close other programs, then run `terjman models vmap {installed.id}`.",
        )


def installed_map_corpus(installed: InstalledModel) -> MapCorpus | None:
    """The training dataset an installed model's source names (its manifest's record), or None.

    A model converted here keeps its catalog source, ``vmap_corpus`` included, in the
    manifest; an unreadable record counts as none.
    """
    from terjman_desktop.core.models.hub.map_corpus import parse_map_corpus

    record = installed.manifest.extra.get("source")
    raw = record.get("vmap_corpus") if isinstance(record, dict) else None
    if raw is None:
        return None
    try:
        return parse_map_corpus(raw, f"the manifest of {installed.id}")
    except TerjmanError:
        return None


def has_vocabulary_map(installed: InstalledModel) -> bool:
    """Whether the installed model's manifest lists a vocabulary map."""
    return any(entry.path == VMAP_NAME for entry in installed.manifest.files)


def _forget_staging(store: Store, model_id: str) -> None:
    try:
        store.forget_download(model_id)
    except TerjmanError as error:  # another install holds it now: its files, not ours
        logger.info("Staging of %s left as it is: %s", model_id, error)


def map_progress_label(phase: str) -> str | None:
    """The words for a map phase, or None for another phase."""
    return {PHASE_MAP_SAMPLE: "Reading training sentences for the vocabulary map",
            PHASE_MAP_BUILD: "Learning the vocabulary map on this computer",
            PHASE_MAP_CHECK: "Checking the vocabulary map"}.get(phase)


def describe_outcome(outcome: MapOutcome) -> str:
    """One line for a person: what the map does and how it was checked."""
    worst = min(outcome.identical.values(), default=1.0)
    stats = outcome.stats
    return (f"Vocabulary map added: a sentence now scores about "
            f"{stats.mean_sentence_candidates:.0f} of {stats.vocabulary_size} target pieces; "
            f"{100 * worst:.1f}% of held-out translations unchanged "
            f"({outcome.record.get('check', {}).get('held_out_rows', 0)} sentences).")


__all__ = [
    "MAP_PHASES", "MIN_IDENTICAL", "PHASE_MAP_BUILD", "PHASE_MAP_CHECK", "PHASE_MAP_SAMPLE",
    "MapOutcome", "MapRejectedError", "add_vocabulary_map_from_hub", "describe_outcome",
    "has_vocabulary_map", "installed_map_corpus", "map_progress_label",
]
