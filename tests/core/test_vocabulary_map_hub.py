"""Vocabulary maps learned on the device from a model's training data (models/speedup.py).

A model converted here from its Hub checkpoint gets a map learned from rows of its training
dataset, read through a stand-in of the Hub's dataset viewer on 127.0.0.1 (the viewer's real
requests and answers). The tiny models are the tests' trained ones; their training pairs are
the dataset. The map must leave held-out translations unchanged, be refused (and change
nothing) when it would not, and every bad answer must end in a clear error.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from terjman_desktop.core.cancel import PauseToken
from terjman_desktop.core.errors import (
    CancelledError,
    CatalogError,
    DatasetViewerError,
    HubResponseError,
    HubUnreachableError,
)
from terjman_desktop.core.models.hub.auth import HubToken
from terjman_desktop.core.models.hub.dataset_viewer import DatasetViewer, Split
from terjman_desktop.core.models.hub.details import InstallProgress
from terjman_desktop.core.models.hub.map_corpus import MapCorpus, parse_map_corpus
from terjman_desktop.core.models.hub.map_sample import detect_columns, sample_corpus
from terjman_desktop.core.models.hub.source import parse_hub_source
from terjman_desktop.core.models.speedup import (
    MAP_PHASES,
    MapRejectedError,
    add_vocabulary_map_from_hub,
)
from terjman_desktop.core.models.store.store import Store
from terjman_desktop.core.translate import (
    MANIFEST_NAME,
    VMAP_NAME,
    Direction,
    TranslationOptions,
    Translator,
    VocabularyMapParameters,
)
from tests.core.dataset_viewer_server import StandInDatasetViewer
from trainer.synthetic_corpus import parallel_pairs

pytestmark = pytest.mark.slow

DATASET = "atlasia/tiny-training-set"
PAIRS = parallel_pairs()
# The tiny models' vocabularies are small: keep only a handful of pieces always, so the map
# really has to do the work (as in test_vocabulary_map_builder.py).
TINY = VocabularyMapParameters(always_keep=8)


def rows_of(pairs: list[tuple[str, str]]) -> list[dict[str, Any]]:
    # Columns as a real dataset has them: an id, the two languages, an Arabizi column that is
    # Latin like English but must never be taken for it.
    return [{"id": i, "arabizi": f"ana kanakol {i}", "english": en, "darija": ar}
            for i, (en, ar) in enumerate(pairs)]


@pytest.fixture
def viewer() -> Iterator[StandInDatasetViewer]:
    with StandInDatasetViewer() as server:
        server.add_dataset(DATASET, rows_of(PAIRS), more={("default", "test"): []})
        yield server


def install(store: Store, package: Path) -> str:
    return store.import_path(package).id


def manifest_bytes(store: Store, model_id: str) -> bytes:
    return (store.get(model_id).path / MANIFEST_NAME).read_bytes()


@pytest.mark.parametrize("family", ["marian", "nllb"])
def test_a_model_learns_a_map_from_its_training_rows_that_keeps_translations(
    family: str, viewer: StandInDatasetViewer, request: pytest.FixtureRequest
) -> None:
    store = Store()
    model_id = install(store, request.getfixturevalue(f"{family}_package"))
    phases: list[InstallProgress] = []
    corpus = MapCorpus(DATASET, rows=1000, held_out=300)
    outcome = add_vocabulary_map_from_hub(
        model_id, corpus, store=store, viewer=DatasetViewer(viewer.url), parameters=TINY,
        threads=1, progress=phases.append)

    directions = store.get(model_id).directions
    assert set(outcome.identical) == {f"{d.source}-{d.target}" for d in directions}
    # Measured: 1.0 in every direction for both tiny models.
    assert all(share >= 0.99 for share in outcome.identical.values())
    assert {p.phase for p in phases} == set(MAP_PHASES)
    assert outcome.stats.mean_sentence_candidates < outcome.stats.vocabulary_size / 2

    model = store.get(model_id)
    assert VMAP_NAME in {f.path for f in model.manifest.files}
    assert store.verify(model_id).ok
    record = json.loads(manifest_bytes(store, model_id))["vocabulary_map"]
    assert record["corpus"]["dataset"] == DATASET
    assert record["corpus"]["columns"] == {"en": "english", "ary": "darija"}
    assert record["corpus"]["build_rows"] == 1000 and record["check"]["held_out_rows"] == 300

    # The installed model uses the map, and it gives what the model gives without it on
    # sentences neither the build nor the check saw (the pairs' other order, held back).
    translator = Translator(model.path, device="cpu", threads=1)
    assert translator.has_vmap
    unseen = [en for en, _ in PAIRS[-40:]]
    greedy = TranslationOptions(beam_size=1, max_batch_tokens=1)
    with_map = translator.translate_sentences(unseen, Direction("en", "ary"), greedy)
    without = translator.translate_sentences(unseen, Direction("en", "ary"),
                                             TranslationOptions(beam_size=1, use_vmap=False,
                                                                max_batch_tokens=1))
    same = sum(a[0].text == b[0].text for a, b in zip(with_map, without, strict=True))
    assert same >= 39

    # The sample is spread over the split, page by page, never above the viewer's limit.
    rows = [r for r in viewer.requests if r.path == "rows"]
    offsets = sorted(int(dict(p.split("=") for p in r.query.split("&"))["offset"])
                     for r in rows)
    assert offsets[0] == 0 and offsets[-1] >= len(PAIRS) - 200
    assert all("length=100" in r.query for r in rows)


def test_a_map_that_changes_translations_is_refused_and_nothing_changes(
    marian_package: Path, viewer: StandInDatasetViewer
) -> None:
    store = Store()
    model_id = install(store, marian_package)
    before = manifest_bytes(store, model_id)
    # One candidate per token and nothing kept always: most sentences lose a piece.
    starved = VocabularyMapParameters(max_per_token=1, always_keep=0, min_count=40)
    with pytest.raises(MapRejectedError) as caught:
        add_vocabulary_map_from_hub(model_id, MapCorpus(DATASET, rows=300, held_out=100),
                                    store=store, viewer=DatasetViewer(viewer.url),
                                    parameters=starved, threads=1)
    assert "was not kept" in caught.value.message and caught.value.hint
    assert manifest_bytes(store, model_id) == before
    assert not (store.get(model_id).path / VMAP_NAME).exists()
    assert store.verify(model_id).ok
    assert not Translator(store.get(model_id).path, device="cpu").has_vmap
    assert store.state(model_id).state == "ok"
    assert [m.id for m in store.list()] == [model_id]


def test_a_cancel_while_learning_leaves_the_model_as_it_was(
    marian_package: Path, viewer: StandInDatasetViewer
) -> None:
    store = Store()
    model_id = install(store, marian_package)
    before = manifest_bytes(store, model_id)
    control = PauseToken()

    def progress(state: InstallProgress) -> None:
        if state.phase == "vmap-build" and state.done > 0:
            control.cancel()

    with pytest.raises(CancelledError):
        add_vocabulary_map_from_hub(model_id, MapCorpus(DATASET, rows=300, held_out=100),
                                    store=store, viewer=DatasetViewer(viewer.url),
                                    parameters=TINY, threads=1, progress=progress,
                                    control=control)
    assert manifest_bytes(store, model_id) == before
    assert store.verify(model_id).ok
    # The staging copy is gone: a second try starts clean and succeeds.
    outcome = add_vocabulary_map_from_hub(model_id, MapCorpus(DATASET, rows=300, held_out=100),
                                          store=store, viewer=DatasetViewer(viewer.url),
                                          parameters=TINY, threads=1)
    assert outcome.model.manifest.files and store.verify(model_id).ok


# --------------------------------------------------------------------------- the sample


def test_the_sample_is_the_same_every_time_and_shares_no_sentence(
    viewer: StandInDatasetViewer,
) -> None:
    corpus = MapCorpus(DATASET, rows=500, held_out=100)
    first = sample_corpus(DatasetViewer(viewer.url), corpus, ["ary", "en"])
    second = sample_corpus(DatasetViewer(viewer.url), corpus, ["ary", "en"])
    assert first.build == second.build and first.held_out == second.held_out
    assert len(first.build) == 500 and len(first.held_out) == 100
    built = {row["en"] for row in first.build} | {row["ary"] for row in first.build}
    assert not any(row["en"] in built or row["ary"] in built for row in first.held_out)
    assert first.total_rows == len(PAIRS)


def test_rows_with_missing_long_or_truncated_cells_are_skipped() -> None:
    pairs = PAIRS[:400]
    rows = rows_of(pairs)
    rows[0]["english"] = None
    rows[1]["darija"] = ""
    rows[2]["english"] = "word " * 300
    rows[3]["darija"] = 12
    with StandInDatasetViewer() as server:
        server.add_dataset(DATASET, rows, truncated=[4, 5])
        sample = sample_corpus(DatasetViewer(server.url), MapCorpus(DATASET, rows=300,
                                                                    held_out=50), ["ary", "en"])
    kept = {row["en"] for row in (*sample.build, *sample.held_out)}
    assert len(kept) == 350
    assert not kept & {pairs[i][0] for i in range(6)}


def test_columns_are_found_by_name_by_script_or_as_told() -> None:
    sample = [{"text_a": "I eat bread.", "text_b": "كنكل الخبز.", "romanized": "kanakol",
               "note": "checked", "n": 3}]
    # No telling names: English and Darija by script; a column named for romanized text is
    # never English, an unnamed Latin one could be.
    assert detect_columns(["text_a", "text_b", "romanized", "n"], sample, ["en", "ary"], {},
                          DATASET) == {"en": "text_a", "ary": "text_b"}
    with pytest.raises(DatasetViewerError, match="several columns"):
        detect_columns(["text_a", "text_b", "note"], sample, ["en", "ary"], {}, DATASET)
    named = [{"Arabizi": "kanakol", "English": "I eat.", "Darija": "كنكل.", "arabic": "آكل."}]
    assert detect_columns(["Arabizi", "English", "Darija", "arabic"], named, ["en", "ary"], {},
                          DATASET) == {"en": "English", "ary": "Darija"}
    told = detect_columns(["text_a", "text_b"], sample, ["en", "ary"],
                          {"en": "text_a", "ary": "text_b"}, DATASET)
    assert told == {"en": "text_a", "ary": "text_b"}
    with pytest.raises(DatasetViewerError, match="no column 'english'") as missing:
        detect_columns(["text_a", "text_b"], sample, ["en"], {"en": "english"}, DATASET)
    assert "'text_a'" in missing.value.message  # says which columns there are
    with pytest.raises(DatasetViewerError, match="not written the way 'en'"):
        detect_columns(["text_a", "text_b"], sample, ["en"], {"en": "text_b"}, DATASET)


def test_a_missing_gated_or_small_dataset_says_what_to_do() -> None:
    with StandInDatasetViewer() as server:
        server.add_dataset("org/gated", rows_of(PAIRS[:400]), tokens=["hf_viewer_token"])
        server.add_dataset("org/small", rows_of(PAIRS[:60]))
        plain = DatasetViewer(server.url, retries=0)
        with pytest.raises(DatasetViewerError, match="cannot give the rows of org/missing"):
            sample_corpus(plain, MapCorpus("org/missing"), ["en"])
        with pytest.raises(DatasetViewerError) as gated:
            sample_corpus(plain, MapCorpus("org/gated", rows=300, held_out=50), ["en"])
        assert "gated" in (gated.value.hint or "")
        with_token = DatasetViewer(server.url, HubToken("hf_viewer_token", "tests"))
        assert len(sample_corpus(with_token, MapCorpus("org/gated", rows=300, held_out=50),
                                 ["en"]).build) == 300
        with pytest.raises(DatasetViewerError, match="no split 'validation'") as split:
            sample_corpus(with_token, MapCorpus("org/gated", split="validation"), ["en"])
        assert "default/train" in split.value.message  # says which splits there are
        with pytest.raises(DatasetViewerError, match="gave 60 usable rows"):
            sample_corpus(plain, MapCorpus("org/small", rows=300, held_out=50), ["en"])
        url = server.url
    # A viewer that cannot be reached says so in its own words.
    with pytest.raises(HubUnreachableError, match="cannot be reached"):
        sample_corpus(DatasetViewer(url, retries=0), MapCorpus("org/small"), ["en"])


@pytest.mark.parametrize(("route", "body"), [
    ("rows", b"[1, 2]"),
    ("rows", b'{"features": [], "rows": "x", "num_rows_total": 3}'),
    ("rows", b'{"features": [], "rows": [], "num_rows_total": -1}'),
    ("rows", b'{"features": [], "rows": [5], "num_rows_total": 1}'),
    ("rows", b'{"features": [], "rows": [], "num_rows_total": 1' + b"0" * 30 + b"}"),
    ("rows", b"\xff\xfe not json"),
    ("rows", b"[" * 100_000),
    ("splits", b'{"splits": [{"config": 1, "split": "train"}]}'),
    ("splits", b'{"splits": {}}'),
])
def test_hostile_viewer_answers_are_clear_errors(route: str, body: bytes) -> None:
    with StandInDatasetViewer() as server:
        server.add_dataset(DATASET, rows_of(PAIRS[:400]))
        server.override(route, body)
        with pytest.raises(HubResponseError, match=r"dataset viewer|answer"):
            sample_corpus(DatasetViewer(server.url, retries=0), MapCorpus(DATASET), ["en"])


# --------------------------------------------------------------------------- the catalog


def test_a_catalog_source_names_its_training_dataset() -> None:
    raw = {"kind": "hub", "repo": "atlasia/Terjman-Nano-v2.0", "family": "marian",
           "vmap_corpus": {"dataset": "org/data", "split": "train", "rows": 1500,
                           "columns": {"en": "english", "ary": "darija"}}}
    source = parse_hub_source(raw, "entry x")
    assert source.vmap_corpus == MapCorpus("org/data", None, "train",
                                           {"en": "english", "ary": "darija"}, 1500, 200)
    assert parse_hub_source(source.to_json(), "again") == source
    assert parse_hub_source({"kind": "hub", "repo": "a/b"}, "x").vmap_corpus is None


@pytest.mark.parametrize("corpus", [
    "org/data", {"dataset": "not a repo"}, {"dataset": "org/data", "rows": 10},
    {"dataset": "org/data", "rows": True}, {"dataset": "org/data", "held_out": 10**9},
    {"dataset": "org/data", "columns": {"english": "en"}},
    {"dataset": "org/data", "columns": {"en": 3}}, {"dataset": "org/data", "split": ""},
    {"dataset": "org/data", "config": "a\nb"},
])
def test_a_bad_vmap_corpus_is_a_catalog_error(corpus: Any) -> None:
    with pytest.raises(CatalogError, match="vmap_corpus"):
        parse_map_corpus(corpus, "entry x")


def test_offsets_cover_small_and_large_splits() -> None:
    from terjman_desktop.core.models.hub.map_sample import _offsets

    assert _offsets(50, 10) == [0]
    assert _offsets(450, 10) == [0, 100, 200, 300, 400]
    spread = _offsets(350_000, 30)
    assert spread[0] == 0 and spread[-1] == 350_000 - 100 and len(spread) == 30


def test_too_little_free_memory_refuses_before_anything_is_read(
    marian_package: Path, viewer: StandInDatasetViewer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from terjman_desktop.core import hardware

    store = Store()
    model_id = install(store, marian_package)
    before = manifest_bytes(store, model_id)
    monkeypatch.setattr(hardware, "available_memory", lambda: 1000)
    with pytest.raises(MapRejectedError, match="free memory") as caught:
        add_vocabulary_map_from_hub(model_id, MapCorpus(DATASET, rows=300, held_out=100),
                                    store=store, viewer=DatasetViewer(viewer.url))
    assert f"terjman models vmap {model_id}" in (caught.value.hint or "")
    assert not viewer.requests and manifest_bytes(store, model_id) == before
    # Unknown (None) or enough memory: the map is learned.
    monkeypatch.setattr(hardware, "available_memory", lambda: None)
    add_vocabulary_map_from_hub(model_id, MapCorpus(DATASET, rows=300, held_out=100),
                                store=store, viewer=DatasetViewer(viewer.url), threads=1)
    assert VMAP_NAME in {f.path for f in store.get(model_id).manifest.files}


def test_odd_column_names_from_the_viewer_are_never_used() -> None:
    rows = [{"x" * 5000: en, "bad\x1b[31mname": en, "english": en, "darija": ar}
            for en, ar in PAIRS[:400]]
    with StandInDatasetViewer() as server:
        server.add_dataset(DATASET, rows)
        page = DatasetViewer(server.url).rows(DATASET, Split("default", "train"), 0)
        sample = sample_corpus(DatasetViewer(server.url), MapCorpus(DATASET, rows=300,
                                                                    held_out=50), ["ary", "en"])
    assert page.columns == ("english", "darija")
    assert sample.columns == {"en": "english", "ary": "darija"}


def test_a_translation_dataset_keeps_its_pair_in_one_cell() -> None:
    # The Hugging Face "translation" feature: {"translation": {"en": …, "ary": …}}.
    rows = [{"id": str(i), "translation": {"en": en, "ary": ar}}
            for i, (en, ar) in enumerate(PAIRS[:400])]
    with StandInDatasetViewer() as server:
        server.add_dataset(DATASET, rows)
        sample = sample_corpus(DatasetViewer(server.url), MapCorpus(DATASET, rows=300,
                                                                    held_out=50), ["ary", "en"])
    assert sample.columns == {"en": "translation.en", "ary": "translation.ary"}
    assert {row["en"] for row in sample.build} <= {en for en, _ in PAIRS[:400]}
