"""Operations: each runs its core call on a worker of the context's runner, with the
context's services, and gives its result back on the GUI thread."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from terjman_desktop.core.models.store.store import Store
from terjman_desktop.core.settings import load_settings
from terjman_desktop.gui.operations import Op
from terjman_desktop.gui.operations.documents import DocumentOps
from terjman_desktop.gui.operations.history import HistoryOps
from terjman_desktop.gui.operations.models import ModelOps
from terjman_desktop.gui.operations.settings import SettingsOps
from tests.gui.threads import ThreadLog, finish, model_held, on_gui_thread

MODEL = "tiny-marian-f32"


@pytest.fixture
def log(monkeypatch: pytest.MonkeyPatch) -> ThreadLog:
    return ThreadLog(monkeypatch)


def test_an_op_runs_only_when_asked_and_reports_on_the_gui_thread(
    context: Any, qtbot: Any
) -> None:
    ran: list[bool] = []
    progress: list[int] = []
    op = Op(context.runner, lambda ctx: (ran.append(on_gui_thread()), ctx.progress(1), 7)[-1],
            name="test")
    assert ran == [] and not op.on_model_thread
    op.on_progress(progress.append)
    assert finish(qtbot, op) == 7
    assert (ran, progress) == ([False], [1])
    on_model = Op.with_model(context.runner, lambda models, _: models is not None, name="m")
    assert on_model.on_model_thread
    assert finish(qtbot, on_model) is True
    with pytest.raises(ValueError, match="either"):
        Op(context.runner, name="nothing")


def test_model_ops_share_the_context_store_off_the_gui_thread(
    context: Any, qtbot: Any, marian_package: Path, tmp_path: Path, log: ThreadLog,
) -> None:
    models = ModelOps(context)
    assert models.store is context.store
    for name in ("list", "entries", "import_path", "verify", "export"):
        log.watch(context.store, name)
    log.watch(Store, "remove")
    assert finish(qtbot, models.installed()).models == []

    progress: list[tuple[int, int]] = []
    imported = finish(qtbot, models.import_path(marian_package).on_progress(progress.append))
    assert imported.id == MODEL
    assert progress and progress[-1][0] == progress[-1][1]
    listed = finish(qtbot, models.installed())
    assert [m.id for m in listed.models] == [MODEL]
    assert "terjman-nano-v1-int8" in listed.tiers  # the catalog's tiers come along
    assert finish(qtbot, models.verify(MODEL)).ok
    shared = finish(qtbot, models.export(MODEL, tmp_path / "shared.zip"))
    assert shared.is_file()

    state = finish(qtbot, models.manager_state())
    (stored,) = state.stored
    assert stored.id == MODEL and len(state.catalog) > 0
    assert (state.problem, state.token_known, state.accepted_licenses) == (
        None, False, frozenset())
    assert finish(qtbot, models.delete(stored)) is None
    assert finish(qtbot, models.welcome_state()).damaged == []
    assert not (context.paths.models / MODEL).exists()
    for name in ("list", "entries", "import_path", "verify", "export", "remove"):
        assert log.off_gui_thread(name), name


def test_a_delete_reports_a_wait_and_can_stop_waiting(
    context: Any, qtbot: Any, marian_package: Path,
) -> None:
    from terjman_desktop.core.cancel import CancelToken

    models = ModelOps(context)
    finish(qtbot, models.import_path(marian_package))
    stored = finish(qtbot, models.manager_state()).stored[0]
    waits: list[object] = []
    cancelled: list[bool] = []
    token = CancelToken()
    with model_held(context.paths.models, MODEL):  # another Terjman works on it
        models.delete(stored).on_progress(waits.append).on_cancelled(
            lambda: cancelled.append(True)).with_token(token).run()
        qtbot.waitUntil(lambda: bool(waits), timeout=15_000)
        token.cancel()
        qtbot.waitUntil(lambda: cancelled == [True], timeout=15_000)
    assert (context.paths.models / MODEL).is_dir()


def test_licenses_are_read_and_remembered_off_the_gui_thread(
    context: Any, qtbot: Any, log: ThreadLog,
) -> None:
    log.watch(type(context.licenses), "read")
    log.watch(type(context.licenses), "remember")
    models = ModelOps(context)
    finish(qtbot, models.accept_license("terjman-nano-v1-int8"))
    assert context.licenses.path == context.paths.config / "accepted-licenses.json"
    state = finish(qtbot, models.manager_state())
    assert state.accepted_licenses == frozenset({"terjman-nano-v1-int8"})
    assert log.off_gui_thread("read") and log.off_gui_thread("remember")


def test_history_ops_use_the_context_database(context: Any, qtbot: Any, tmp_path: Path,
                                              log: ThreadLog) -> None:
    from terjman_desktop.gui.context import Books

    context.books = Books(tmp_path / "books.sqlite3")
    log.watch(context.books, "history")
    log.watch(context.books, "phrasebook")
    history = HistoryOps(context)
    finish(qtbot, history.record("I want water.", "بغيت الما.", "en", "ary", "m"))
    finish(qtbot, history.record("Hello.", "سلام.", "en", "ary", "m"))
    found = finish(qtbot, history.search("water", ""))
    assert [e.source_text for e in found.history] == ["I want water."]
    finish(qtbot, history.delete(found.history[0].id))
    assert [e.source_text for e in finish(qtbot, history.search("", "")).history] == ["Hello."]
    finish(qtbot, history.clear())
    assert finish(qtbot, history.search("", "")).history == []

    finish(qtbot, history.add_phrase("Good morning", "صباح الخير", "en", "ary"))
    target = tmp_path / "phrases.csv"
    assert finish(qtbot, history.export_phrasebook(target, "csv")) == 1
    assert finish(qtbot, history.export_phrasebook(tmp_path / "deck.apkg", "anki")) == 1
    phrase = finish(qtbot, history.search("", "")).phrases[0]
    finish(qtbot, history.remove_phrase(phrase.id))
    report = finish(qtbot, history.import_phrasebook(target))
    assert (report.added, report.skipped_duplicates) == (1, 0)
    assert (tmp_path / "books.sqlite3").is_file()
    assert log.off_gui_thread("history") and log.off_gui_thread("phrasebook")


def test_document_ops_read_a_csv_header_off_the_gui_thread(
    context: Any, qtbot: Any, tmp_path: Path, log: ThreadLog,
) -> None:
    from terjman_desktop.gui.operations import documents

    log.watch(documents, "csv_columns")
    table = tmp_path / "words.csv"
    with table.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["id", "english"], ["1", "water"]])
    assert finish(qtbot, DocumentOps(context).csv_columns(table)) == ["id", "english"]
    assert log.off_gui_thread("csv_columns")


def test_settings_ops_save_a_snapshot_off_the_gui_thread(
    context: Any, qtbot: Any, log: ThreadLog,
) -> None:
    from terjman_desktop.gui.operations import settings

    log.watch(settings, "save_settings")
    ops = SettingsOps(context)
    context.settings.font_size = 30
    save = ops.save()
    context.settings.font_size = 31  # after the snapshot: saved by the next save only
    finish(qtbot, save)
    assert load_settings().font_size == 30
    assert ops.save_before_exit() is None  # waits for the write
    assert load_settings().font_size == 31
    context.settings.catalog_url = "not a url"
    assert "catalog_url" in str(ops.save_before_exit())
    assert log.off_gui_thread("save_settings")
    folder = finish(qtbot, ops.log_folder())
    assert folder == context.paths.logs and folder.is_dir()
