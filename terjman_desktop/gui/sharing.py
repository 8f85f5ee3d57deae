"""Share with the classroom: the app's model serves phones on the local network.

A switch starts a :class:`~terjman_desktop.serve.TranslationServer` bound to the local
network; the dialog shows the address students open and its QR code, and one click stops
it. The server translates with the model the app already holds: each batch of students'
requests runs on the task runner's one model thread with the translator of the app's
:class:`~terjman_desktop.core.translate.ModelCache` (the same object the translation panel
uses, so no second copy is loaded), and it follows the model chosen in the window.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, replace
from typing import TypeVar

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from terjman_desktop.core.errors import EngineError
from terjman_desktop.core.models import InstalledModel
from terjman_desktop.core.translate import ModelCache, Translator
from terjman_desktop.gui.context import AppContext
from terjman_desktop.gui.model_info import isolate
from terjman_desktop.gui.task_runner import TaskContext, TaskRunner
from terjman_desktop.serve import (
    ALL_INTERFACES,
    DEFAULT_PORT,
    ServeConfig,
    ServedModel,
    ServeError,
    TranslationServer,
    qr_png,
)

logger = logging.getLogger(__name__)

T = TypeVar("T")
ModelSource = Callable[[], InstalledModel | None]


def _served(model: InstalledModel) -> ServedModel:
    return ServedModel(model.id, model.name, tuple(model.directions))


class AppEngine:
    """The server's :class:`~terjman_desktop.serve.Engine` inside the app.

    :meth:`run` is called on the server's batching thread: it asks the GUI thread which
    model the window uses now, queues the work on the task runner's model thread with that
    model's translator, and waits for it. Once :meth:`close` was called nothing waits any
    more (the window may be closing, its GUI thread busy stopping the server).

    Args:
        runner: The app's task runner (its model thread owns the loaded models).
        current: The window's current model (called on the GUI thread only).
        threads: The thread count the app loads models with now (same key, same translator;
            called on the GUI thread, so a change in the Preferences is followed).
    """

    def __init__(
        self,
        runner: TaskRunner,
        current: ModelSource,
        threads: Callable[[], int],
        model: InstalledModel,
    ) -> None:
        self.runner = runner
        self.current = current
        self.threads = threads
        self._model = _served(model)
        self._closed = threading.Event()

    def model(self) -> ServedModel:
        return self._model

    def close(self) -> None:
        self._closed.set()

    def run(self, work: Callable[[Translator], T]) -> T:
        result: Future[T] = Future()
        chosen: list[tuple[str, int]] = []  # the model's folder, picked on the GUI thread

        def on_model_thread(models: ModelCache, _: TaskContext) -> None:
            try:
                path, threads = chosen[0]
                result.set_result(work(models.get(path, threads=threads)))
            except BaseException as error:  # the server answers it; the runner stays quiet
                result.set_exception(error)

        def on_gui_thread() -> None:
            model = self.current()
            if self._closed.is_set() or model is None:
                result.set_exception(EngineError("Sharing stopped: no model is chosen."))
                return
            self._model = _served(model)
            chosen.append((str(model.path), self.threads()))
            self.runner.run_with_model(on_model_thread, name="classroom batch")

        self.runner.run_on_main(on_gui_thread)
        while True:
            if self._closed.is_set():
                raise EngineError("Sharing was stopped.")
            try:
                return result.result(timeout=0.2)
            except FutureTimeout:
                continue


@dataclass(frozen=True)
class Shared:
    """A started server and what the dialog shows of it."""

    server: TranslationServer
    url: str
    qr: bytes
    on_network: bool  # False: no network address, no phone can reach it


class SharingDialog(QDialog):
    """The "Share with the classroom" switch, the address, its QR code, and Stop.

    Args:
        context: The app's services (the task runner, the settings).
        current_model: The window's current model (read on the GUI thread).
        parent: The main window.
    """

    def __init__(
        self, context: AppContext, current_model: ModelSource, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sharingDialog")
        self.setWindowTitle(self.tr("Share with the classroom"))
        self.context = context
        self.current_model = current_model
        self.shared: Shared | None = None
        self.engine: AppEngine | None = None
        self._busy = False
        self._create_widgets()
        self._set_shared(None)
        self.refresh = QTimer(self)
        self.refresh.setInterval(2000)
        self.refresh.timeout.connect(self._show_counts)

    # ------------------------------------------------------------------ widgets

    def _create_widgets(self) -> None:
        self.switch = QCheckBox(self.tr("&Share with the classroom"))
        self.switch.setAccessibleDescription(
            self.tr("Phones on this computer's network can translate with the app's model")
        )
        self.switch.toggled.connect(self._switched)
        self.explain = QLabel(
            self.tr(
                "Students on the same Wi-Fi scan the code or open the address in a browser. "
                "Nothing leaves the classroom: this computer does the translating."
            )
        )
        self.explain.setWordWrap(True)
        self.key_edit = QLineEdit()
        self.key_edit.setPlaceholderText(self.tr("Access key (optional)"))
        self.key_edit.setAccessibleName(self.tr("Access key"))
        self.url_label = QLabel()
        self.url_label.setObjectName("sharingUrl")
        self.url_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.url_label.font()
        font.setPointSize(max(font.pointSize(), 10) * 2)
        font.setBold(True)
        self.url_label.setFont(font)
        self.qr_label = QLabel()
        self.qr_label.setObjectName("sharingQr")
        self.qr_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr_label.setAccessibleName(self.tr("QR code of the address"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.copy_button = QPushButton(self.tr("&Copy the address"))
        self.copy_button.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(self.shared.url if self.shared else "")
        )
        self.stop_button = QPushButton(self.tr("S&top sharing"))
        self.stop_button.clicked.connect(lambda: self.switch.setChecked(False))
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.hide)

        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        for widget in (
            self.switch,
            self.explain,
            self.key_edit,
            self.url_label,
            self.qr_label,
            self.status,
        ):
            layout.addWidget(widget)
        layout.addLayout(buttons)

    def _set_shared(self, shared: Shared | None) -> None:
        self.shared = shared
        on = shared is not None
        for widget in (self.url_label, self.qr_label, self.copy_button, self.stop_button):
            widget.setVisible(on)
        self.key_edit.setEnabled(not on and not self._busy)
        self.switch.setEnabled(not self._busy)
        if shared is None:
            self.url_label.clear()
            self.qr_label.clear()
            return
        self.url_label.setText(isolate(shared.url))
        pixmap = QPixmap()
        pixmap.loadFromData(shared.qr, "PNG")
        self.qr_label.setPixmap(pixmap)
        self._show_counts()

    def _show_counts(self) -> None:
        if self.shared is None:
            return
        server = self.shared.server
        text = self.tr("Serving {model} — {count} translations so far.").format(
            model=isolate(server.engine.model().name), count=server.batcher.stats.jobs
        )
        if not self.shared.on_network:
            warning = self.tr(
                "This computer is on no network, so phones cannot reach it: connect it to the "
                "classroom's Wi-Fi (or a phone's hotspot), then switch sharing off and on."
            )
            text = f"{warning}\n{text}"
        self.status.setText(text)

    # ------------------------------------------------------------------ on and off

    @property
    def sharing(self) -> bool:
        return self.shared is not None

    def _switched(self, on: bool) -> None:
        if on and self.shared is None and not self._busy:
            self.start()
        elif not on and self.shared is not None:
            self.stop()

    def start(self) -> None:
        """Start serving the window's current model on the local network (on a worker)."""
        model = self.current_model()
        if model is None:
            self.status.setText(self.tr("Install or choose a model first."))
            self.switch.setChecked(False)
            return
        key = self.key_edit.text().strip() or None
        engine = AppEngine(
            self.context.runner, self.current_model, lambda: self.context.settings.threads, model
        )
        quality = self.context.settings.quality
        use_vmap = self.context.settings.use_vocabulary_map

        def work(_: TaskContext) -> Shared:
            return _start_server(engine, ServeConfig(host=ALL_INTERFACES, port=DEFAULT_PORT,
                                                     api_key=key, quality=quality,
                                                     use_vmap=use_vmap))

        def done(shared: Shared) -> None:
            self._busy = False
            if not self.switch.isChecked():  # switched off while it started
                engine.close()
                shared.server.stop()
                self._set_shared(None)
                return
            self.engine = engine
            self._set_shared(shared)
            self.refresh.start()

        def failed(error: BaseException) -> None:
            self._busy = False
            self.status.setText(str(error))
            self.switch.setChecked(False)
            self._set_shared(None)

        self._busy = True
        self.status.setText(self.tr("Starting…"))
        self._set_shared(None)
        self.context.runner.run_in_background(work, done, failed, name="start sharing")

    def stop(self) -> None:
        """Stop sharing now: every phone's connection is closed."""
        shared, engine = self.shared, self.engine
        self.refresh.stop()
        self.engine = None
        if engine is not None:
            engine.close()  # nothing waits for the GUI thread while it stops the server
        if shared is not None:
            shared.server.stop()
        self._set_shared(None)
        if self.switch.isChecked():
            self.switch.setChecked(False)
        self.status.setText(self.tr("Sharing is off."))


def _start_server(engine: AppEngine, config: ServeConfig) -> Shared:
    """Bind to the local network on LibreTranslate's port, or any free one if it is taken."""
    server = TranslationServer(engine, config)
    try:
        server.start()
    except ServeError:
        server = TranslationServer(engine, replace(config, port=0))
        server.start()
    url = server.page_url()
    return Shared(server, url, qr_png(url), server.on_network)
