"""Benchmark presets: a published test set loaded as published, checked, and compared.

``trainer evaluate --benchmark terjamabench`` loads AtlasIA's TerjamaBench
(``atlasia/TerjamaBench``, split ``test``) at a pinned revision with its column mapping
(``English`` → ``Darija``, topics in ``topic``), checks that it holds the 850 sentences in 12
topics it was published with (a different count means a different benchmark, and figures
that cannot be compared), scores it per topic and overall, and puts our figures beside the
ones AtlasIA published for the same model.

The Hub cannot be reached from the machines this was written on, so two facts must be filled
in by someone who can reach it, and are refused rather than guessed until then:

* the revision (``TERJAMABENCH.revision``, or ``--test-revision`` /
  ``evaluate.test_revision``): the dataset's commit, ``HfApi().dataset_info(
  "atlasia/TerjamaBench").sha``;
* the published figures (``trainer/configs/terjamabench_published.yaml``, or
  ``--published-figures FILE``): copied from the model cards' comparison tables.

A local file or dataset folder of the same schema (``--test-file`` / ``--test-dataset``)
runs the same preset without the Hub: that is how the tests run it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainer.corpus import RawPair
from trainer.errors import DataError, TrainerError

PUBLISHED_FIGURES = Path(__file__).resolve().parent / "configs" / "terjamabench_published.yaml"
METRICS = ("bleu", "chrf", "ter")


@dataclass(frozen=True)
class BenchmarkPreset:
    """A published test set: where it is, how its columns map, and its published shape."""

    name: str
    dataset: str
    split: str
    revision: str | None
    source_column: str
    target_column: str
    topic_column: str
    source_lang: str
    target_lang: str
    rows: int
    topics: int


TERJAMABENCH = BenchmarkPreset(
    name="terjamabench",
    dataset="atlasia/TerjamaBench",
    split="test",
    # Not reachable from the build machines: set it to the dataset's commit (see above).
    revision=None,
    source_column="English",
    target_column="Darija",
    topic_column="topic",
    source_lang="en",
    target_lang="ary",
    rows=850,
    topics=12,
)
PRESETS = {TERJAMABENCH.name: TERJAMABENCH}


def preset(name: str | None) -> BenchmarkPreset | None:
    """The preset called ``name`` (any case), or None for a free-form benchmark name."""
    return PRESETS.get(name.lower()) if name else None


def hub_revision(benchmark: BenchmarkPreset, given: str | None) -> str:
    """The revision to load from the Hub: the one given, else the preset's pin.

    Raises:
        TrainerError: neither is set; loading the moving ``main`` would make figures
            that cannot be compared.
    """
    revision = given or benchmark.revision
    if not revision:
        raise TrainerError(
            f"The {benchmark.name} preset has no pinned revision of {benchmark.dataset}, and "
            "evaluating whatever 'main' holds today would give figures nobody can reproduce.",
            hint="Pass --test-revision COMMIT (the dataset's commit: huggingface_hub."
            f"HfApi().dataset_info('{benchmark.dataset}').sha), or a local copy with "
            "--test-file / --test-dataset.",
        )
    return revision


def check_shape(benchmark: BenchmarkPreset, rows: Sequence[RawPair]) -> dict[str, Any]:
    """Check the rows have the published number of sentences and topics.

    Returns:
        The rows and the sentences per topic, for the report.

    Raises:
        DataError: a count differs, with what was found.
    """
    per_topic: dict[str, int] = {}
    for row in rows:
        topic = row.topic or "(no topic)"
        per_topic[topic] = per_topic.get(topic, 0) + 1
    if len(rows) != benchmark.rows or len(per_topic) != benchmark.topics:
        found = ", ".join(f"{t} {n}" for t, n in sorted(per_topic.items()))
        raise DataError(
            f"{benchmark.name} was published with {benchmark.rows} sentences in "
            f"{benchmark.topics} topics; this copy has {len(rows)} in {len(per_topic)} "
            f"({found or 'none'}).",
            hint="Scores on another version cannot be compared with the published ones: "
            "load the pinned revision, or evaluate it without --benchmark "
            f"{benchmark.name} under another name.",
        )
    return {"rows": len(rows), "topics": dict(sorted(per_topic.items()))}


def load_published(path: Path | str) -> dict[str, dict[str, Any]]:
    """Published figures: ``{model: {source: URL, directions: {en-ary: {bleu, chrf, ter}}}}``.

    Figures left empty (null) are not published (or not copied yet) and are skipped.

    Raises:
        TrainerError: the file cannot be read or does not have that shape.
    """
    from trainer.config import read_config_file

    path = Path(path)
    if not path.is_file():
        raise TrainerError(f"The published figures file {path} does not exist.")
    data = read_config_file(path)
    models = data.get("models", {})
    if not isinstance(models, Mapping):
        raise TrainerError(f"{path}: 'models' must map model names to their figures.")
    published: dict[str, dict[str, Any]] = {}
    for model, entry in models.items():
        directions = entry.get("directions") if isinstance(entry, Mapping) else None
        if not isinstance(directions, Mapping):
            raise TrainerError(f"{path}: {model} needs 'directions: {{en-ary: {{bleu: …}}}}'.")
        figures: dict[str, dict[str, float]] = {}
        for direction, scores in directions.items():
            if not isinstance(scores, Mapping):
                raise TrainerError(f"{path}: {model} {direction} must map metrics to numbers.")
            known = {m: float(scores[m]) for m in METRICS if scores.get(m) is not None}
            if known:
                figures[str(direction)] = known
        published[str(model)] = {"source": str(entry.get("source", "")), "directions": figures}
    return published


def compare(
    directions: Mapping[str, Mapping[str, Any]],
    published: Mapping[str, dict[str, Any]],
    model: str | None,
) -> dict[str, Any]:
    """Our overall scores beside the published ones of ``model``, per direction."""
    entry = published.get(model or "")
    result: dict[str, Any] = {
        "model": model,
        "source": entry["source"] if entry else None,
        "directions": {},
    }
    for direction, scores in directions.items():
        theirs = entry["directions"].get(direction, {}) if entry else {}
        result["directions"][direction] = {
            metric: {"ours": scores[metric], "published": theirs.get(metric)} for metric in METRICS
        }
    return result
