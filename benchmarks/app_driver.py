"""Runs inside the real desktop app's process (offscreen) to time what a person sees.

``python -m benchmarks.app_driver setup SPEC`` installs the benchmark model into
``TERJMAN_HOME`` and writes the settings (that model, its thread count); ``... run SPEC``
starts the app through its real entry point (``terjman_desktop.app.main``) and, once
``QApplication.exec`` is entered, watches from inside the event loop:

* when the main window is shown and exposed (``time.time()``, compared by the parent with
  the moment it started the process);
* keystroke to translation shown: the source pane is cleared, a sentence is typed
  (``QTest.keyClicks``), and the time from its last keystroke to the output pane showing a
  translation is taken from the output's ``textChanged`` signal. While typing, the app shows
  a beam-1 draft first, so this is the draft; the time to the translation refined with the
  chosen quality is taken too, from the panel controller's ``result_ready`` signal (the
  first result that is not a draft). The app's as-you-type pause (it grows with the text's
  length) is part of what a person waits for, so it is included, and reported as
  ``debounce_ms`` for the typed sentences.

The first translation also loads the model; it is reported apart. Random weights would
decode up to the engine's length cap, so the quality presets carry a fixed output length
here too (see ``worker.py``). The widgets are found by the object names the GUI gives them
(``mainWindow``, ``sourceEdit``, ``outputView``), falling back to the first editable and the
first read-only text widget.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any


def setup(spec: dict[str, Any]) -> dict[str, Any]:
    from terjman_desktop.core.models.store.store import Store
    from terjman_desktop.core.settings import Settings, save_settings

    installed = Store().import_path(Path(spec["package"]))
    settings = Settings(model_id=installed.id, threads=int(spec["threads"]),
                        quality=spec.get("quality", "balanced"))
    save_settings(settings)
    return {"model_id": installed.id}


def _fix_output_length(length: int, package: str) -> None:
    from terjman_desktop.core.translate.options import QUALITY_PRESETS
    from terjman_desktop.core.translate.package import read_manifest

    # The app makes its options from the quality presets when it translates, so presets with a
    # fixed length give every translation of this process that length.
    # The engine's limits count like max_new_tokens (engine.ct2_length_limits): a model that
    # forces </s> at the cap spends one position on it, so it gets one more.
    length += int(read_manifest(Path(package)).forced_eos)
    for name, preset in list(QUALITY_PRESETS.items()):
        QUALITY_PRESETS[name] = replace(
            preset, min_length=length, max_length=length, max_length_ratio=1e6,
        )


class Probe:
    """Drives the window from inside the event loop with timers (never blocks it)."""

    def __init__(self, spec: dict[str, Any], report: dict[str, Any]) -> None:
        from PySide6.QtCore import QTimer

        self.spec = spec
        self.report = report
        self.sentences: list[str] = list(spec["sentences"])
        self.timer = QTimer()
        self.timer.setInterval(2)
        self.deadline = time.monotonic() + float(spec.get("timeout", 120))
        self.state = "wait-window"
        self.window: Any = None
        self.source: Any = None
        self.output: Any = None
        self.typed_at = 0.0
        self.shown_at: float | None = None
        self.typed: list[str] = []
        self.timer.timeout.connect(self.tick)

    # -- finding widgets

    def _find_window(self) -> Any:
        from PySide6.QtWidgets import QApplication, QMainWindow

        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMainWindow) and widget.isVisible():
                handle = widget.windowHandle()
                if handle is not None and handle.isExposed():
                    return widget
        return None

    def _find_panes(self) -> tuple[Any, Any]:
        from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

        texts = [*self.window.findChildren(QPlainTextEdit), *self.window.findChildren(QTextEdit)]
        source = self.window.findChild(QPlainTextEdit, "sourceEdit") or next(
            (w for w in texts if not w.isReadOnly() and w.isVisible()), None
        )
        output = self.window.findChild(QTextEdit, "outputView") or next(
            (w for w in texts if w.isReadOnly() and w.isVisible()), None
        )
        return source, output

    def _model_ready(self) -> bool:
        panel = getattr(self.window, "panel", None)
        current = getattr(panel, "current_model", None)
        return current is None or current() is not None

    # -- the state machine

    def tick(self) -> None:
        try:
            self._step()
        except Exception as error:  # report, never hang the app
            self.finish(f"driver error: {error!r}")

    def _step(self) -> None:
        if time.monotonic() > self.deadline:
            self.finish(f"timed out in state {self.state}")
            return
        if self.state == "wait-window":
            self.window = self._find_window()
            if self.window is not None:
                self.report["window_shown_at"] = time.time()
                self.source, self.output = self._find_panes()
                if self.source is None or self.output is None:
                    self.finish("could not find the source and output text panes")
                    return
                self.output.textChanged.connect(self._output_changed)
                controller = getattr(getattr(self.window, "panel", None), "controller", None)
                if controller is not None and hasattr(controller, "result_ready"):
                    controller.result_ready.connect(self._result_ready)
                    self.report["refine_watched"] = True
                self.state = "wait-model"
        elif self.state == "wait-model":
            if self._model_ready():
                self.report["models_listed_at"] = time.time()
                self.state = "next"
        elif self.state == "next":
            if not self.sentences:
                self.finish(None)
                return
            self.source.clear()
            self.state = "wait-clear"
        elif self.state == "wait-clear" and not self.output.toPlainText().strip():
            self._type(self.sentences.pop(0))

    def _type(self, sentence: str) -> None:
        from PySide6.QtTest import QTest

        self.source.setFocus()
        QTest.keyClicks(self.source, sentence[:-1])
        self.state = "wait-translation"
        self.shown_at = None
        self.typed.append(sentence)
        self.typed_at = time.perf_counter()
        QTest.keyClicks(self.source, sentence[-1])

    def _output_changed(self) -> None:
        if self.state == "wait-translation" and self.output.toPlainText().strip():
            self.report.setdefault("keystroke_seconds", []).append(
                time.perf_counter() - self.typed_at
            )
            # An app that shows drafts refines them next; one that does not is done.
            self.state = "wait-refined" if self.report.get("refine_watched") else "next"

    def _result_ready(self, result: Any) -> None:
        if self.state in ("wait-translation", "wait-refined") and not getattr(
            result, "draft", False
        ):
            if self.state == "wait-translation":  # shown without a draft: the same moment
                self._output_changed()
            self.report.setdefault("refined_seconds", []).append(
                time.perf_counter() - self.typed_at
            )
            self.state = "next"

    def finish(self, problem: str | None) -> None:
        from PySide6.QtWidgets import QApplication

        self.timer.stop()
        if problem:
            self.report["problem"] = problem
        self.state = "done"
        if self.window is not None:
            self.window.close()
        QApplication.quit()


def run(spec: dict[str, Any]) -> dict[str, Any]:
    report: dict[str, Any] = {"driver_started_at": time.time()}
    _fix_output_length(int(spec["length"]), spec["package"])
    from PySide6.QtWidgets import QApplication

    original_exec = QApplication.exec
    probes: list[Probe] = []

    def exec_with_probe(*_args: Any) -> int:
        probe = Probe(spec, report)
        probes.append(probe)
        probe.timer.start()
        return int(original_exec())

    QApplication.exec = exec_with_probe  # type: ignore[method-assign]
    from terjman_desktop import app

    try:
        report["exit_code"] = app.main(list(spec.get("app_args", [])))
    except SystemExit as exit_:
        report["exit_code"] = exit_.code
    if not probes:
        report["problem"] = "the app never entered QApplication.exec"
    report["debounce_ms"] = _pause_ms(probes[0].typed if probes else [])
    return report


def _pause_ms(typed: list[str]) -> int | None:
    """The as-you-type pause before the typed sentences were translated (the longest)."""
    try:
        from terjman_desktop.gui import translation_controller
    except ImportError:
        return None
    pause = getattr(translation_controller, "typing_pause_ms", None)
    if pause is None or not typed:
        fixed = getattr(translation_controller, "DEBOUNCE_MS", None)
        return None if fixed is None else int(fixed)
    return max(int(pause(len(sentence))) for sentence in typed)


def main() -> None:
    mode, spec_path = sys.argv[1:3]
    spec = json.loads(Path(spec_path).read_text("utf-8"))
    sys.stdout.flush()
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    result = setup(spec) if mode == "setup" else run(spec)
    protocol.write(json.dumps(result) + "\n")
    protocol.flush()


if __name__ == "__main__":
    main()
