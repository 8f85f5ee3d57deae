"""One AppContext per app: every part of the window uses its services, and only through it."""

from __future__ import annotations

import argparse
import ast
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from terjman_desktop import cli_models
from terjman_desktop.core.cancel import PauseToken
from terjman_desktop.core.errors import HubUnreachableError
from terjman_desktop.core.models.policy import InstallPolicy
from terjman_desktop.core.settings import Settings, save_settings
from terjman_desktop.gui.context import AppContext
from terjman_desktop.gui.operations.models import ModelOps
from tests.gui.threads import finish

GUI = Path(__file__).resolve().parents[2] / "terjman_desktop" / "gui"
WAIT = 15_000
# Core services and file I/O a widget must not reach for itself: the context and the
# operations do.
FORBIDDEN_CALLS = {
    "Store", "History", "Phrasebook", "load_settings", "save_settings", "current",
    "refresh_or_current", "csv_columns", "translate_document", "install_entry",
    "install_from_hub", "HubClient", "resolve_token",
}
# Where those calls belong.
ALLOWED = {"context.py", "licenses.py"}


def test_one_context_reaches_every_part(make_window: Any, qtbot: Any,
                                        marian_installed: Path) -> None:
    from terjman_desktop.gui.document_dialog import DocumentDialog
    from terjman_desktop.gui.hub_access import GatedAccessDialog
    from terjman_desktop.gui.welcome import WelcomeDialog

    window = make_window()
    context = window.context
    assert window.settings is context.settings
    assert window.runner is context.runner
    assert window.history.context is context
    assert window.installed.context is context
    assert window.store_watcher.root == context.store.root == context.paths.models
    window.open_model_manager()
    manager = window.model_manager
    assert manager is not None and manager.context is context
    assert manager.ops.store is context.store
    window.open_document_dialog()
    document = window.findChild(DocumentDialog)
    assert document is not None and document.context is context
    assert document.settings is context.settings
    window.show_welcome()
    welcome = window.findChild(WelcomeDialog)
    assert welcome is not None and welcome.context is context
    assert welcome.access.context is context
    entry = context.catalog.current().get("terjman-nano-v2.0-int8")
    gated = GatedAccessDialog(entry, context, window)
    assert gated.panel.settings is context.settings
    welcome.reject()


def test_new_settings_replace_the_contexts_for_everyone(make_window: Any) -> None:
    window = make_window()
    window.open_model_manager()
    new = Settings(catalog_url="https://catalog.example/catalog.json")
    window.apply_settings(new)
    assert window.context.settings is new
    assert window.model_manager.settings is new  # no copy kept anywhere


def _calls(path: Path) -> list[tuple[int, str]]:
    """Calls of the forbidden names: ``Store()``, ``catalog.current()`` (a module's), but not
    an operation's method of the same name (``self.documents.csv_columns(…)``)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name):
            name = func.id
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                and func.value.id != "self":
            name = func.attr
        else:
            continue
        if name in FORBIDDEN_CALLS:
            found.append((node.lineno, name))
    return found


def test_widgets_build_no_core_services_and_do_no_file_io() -> None:
    """Widgets ask operations; only the context makes the services (and licenses.py's file)."""
    widgets = [p for p in GUI.glob("*.py") if p.name not in ALLOWED]
    assert len(widgets) > 15
    found = {p.name: calls for p in widgets if (calls := _calls(p))}
    assert found == {}


def test_the_install_policy_is_the_same_for_the_app_and_the_cli(
    context: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch, terjman_home: Path,
) -> None:
    """Both build it with the one core function, from the same settings, and install with it."""
    settings = Settings(hf_token="hf_saved", mirrors=["https://mirror.example/"])
    save_settings(settings)
    context.settings = settings
    cli_args = argparse.Namespace(token=None, quantization=None, keep_source=False)
    app_policy = context.install_policy()
    assert app_policy == cli_models.install_policy_for(cli_args)
    assert app_policy == InstallPolicy("hf_saved", "the settings", ("https://mirror.example/",))

    used: list[InstallPolicy] = []
    mapped: list[tuple[InstallPolicy, str, Any]] = []

    def install(self: InstallPolicy, entry: Any, store: Any = None, **_: Any) -> Any:
        used.append(self)
        return SimpleNamespace(id=entry.id, name=entry.name)

    def learn(self: InstallPolicy, model_id: str, corpus: Any, store: Any = None,
              **_: Any) -> Any:
        mapped.append((self, model_id, corpus))
        raise HubUnreachableError("offline")

    monkeypatch.setattr(InstallPolicy, "install", install)
    monkeypatch.setattr(InstallPolicy, "learn_vocabulary_map", learn)
    entry = context.catalog.current().get("terjman-nano-v1-int8")
    outcome = finish(qtbot, ModelOps(context).install(entry, PauseToken()))
    cli_models.install_catalog_entry(entry, cli_args)
    assert used == [app_policy, app_policy]
    # The vocabulary map after the install: the same policy, the entry's training data
    # (the CLI learns it in `terjman models install`, after install_catalog_entry).
    corpus = app_policy.map_corpus_of(entry)
    assert corpus is not None
    assert mapped == [(app_policy, entry.id, corpus)]
    assert isinstance(outcome.map_problem, HubUnreachableError)


def test_a_context_made_without_settings_reads_them(terjman_home: Path, qtbot: Any) -> None:
    save_settings(Settings(font_size=33))
    made = AppContext.create()
    try:
        assert made.settings.font_size == 33
        assert made.store.root == made.paths.models == terjman_home / "data" / "models"
    finally:
        made.runner.shutdown()
