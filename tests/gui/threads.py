"""Helpers for the GUI tests: which thread ran a call, and running one operation to its end."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

WAIT = 15_000


def on_gui_thread() -> bool:
    app = QApplication.instance()
    assert app is not None
    return QThread.currentThread() is app.thread()


class ThreadLog:
    """Wraps functions so that each call records whether it ran on the GUI thread."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.calls: dict[str, list[bool]] = {}

    def watch(self, target: Any, name: str, label: str | None = None) -> None:
        """Record every call of ``target.name`` (a module function, a method, a class's)."""
        key = label or name
        self.calls.setdefault(key, [])
        real: Callable[..., Any] = getattr(target, name)

        def recorded(*args: Any, **kwargs: Any) -> Any:
            self.calls[key].append(on_gui_thread())
            return real(*args, **kwargs)

        self.monkeypatch.setattr(target, name, recorded)

    def count(self, key: str) -> int:
        return len(self.calls[key])

    def off_gui_thread(self, key: str) -> bool:
        """True when ``key`` ran at least once, and never on the GUI thread."""
        return bool(self.calls[key]) and not any(self.calls[key])


def finish(qtbot: Any, op: Any) -> Any:
    """Run an operation and wait for it; its result, or its error raised here."""
    outcome: dict[str, Any] = {}
    op.on_done(lambda value: outcome.setdefault("value", value)).on_error(
        lambda error: outcome.setdefault("error", error)).run()
    qtbot.waitUntil(lambda: bool(outcome), timeout=WAIT)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


class _ReleasedError(Exception):
    """Ends the install that held a model (nothing is installed)."""


@contextmanager
def model_held(root: Path, model_id: str) -> Iterator[None]:
    """Another Terjman working on ``model_id``: an install in another thread holds its lock
    (through the store's public API) until the block ends; nothing gets installed."""
    from terjman_desktop.core.models.store.store import Store

    entered, release = threading.Event(), threading.Event()

    def fill(_work: Any) -> None:
        entered.set()
        release.wait(60)
        raise _ReleasedError()

    def install() -> None:
        with suppress(_ReleasedError):
            Store(root).install(model_id, fill)

    holder = threading.Thread(target=install, name="other-terjman")
    holder.start()
    try:
        assert entered.wait(30), "the other install never took the lock"
        yield
    finally:
        release.set()
        holder.join(30)
