"""The main window's centre: direction, model, source text and its translation.

As the person types, a draft translation shows first and its refined translation replaces
it when typing pauses (the controller decides when); the output changes only where the
translation did, so its caret, selection, scroll position and a highlighted sentence whose
line did not change all stay. Only a refined result goes into the history.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from terjman_desktop.core.languages import APP_DIRECTIONS
from terjman_desktop.core.models import InstalledModel
from terjman_desktop.core.translate import Hypothesis
from terjman_desktop.gui import theme
from terjman_desktop.gui.model_info import (
    direction_label,
    language_name,
    model_label,
    models_for,
)
from terjman_desktop.gui.panel_widgets import PanelWidgets
from terjman_desktop.gui.task_runner import TaskRunner
from terjman_desktop.gui.translation_controller import (
    Job,
    PanelResult,
    TranslationController,
)

SETTLE_MS = 2500  # an as-you-type result left alone this long goes into the history


@dataclass
class PanelOptions:
    quality: str = "balanced"
    threads: int = 0
    as_you_type: bool = True
    show_arabizi: bool = True
    font_family: str = ""
    font_size: int = 14
    classroom_font_size: int = 40
    use_vmap: bool = True


class TranslatePanel(PanelWidgets):
    """Direction, model, source text and translation, with their actions.

    Signals:
        settled(PanelResult): a translation the person kept (for the history).
        star_requested(PanelResult): save the current pair to the phrasebook.
        models_requested(): the person wants to install a model.
        direction_changed(str, str), model_changed(str): to remember as defaults.
        error(object): a translation failed (the exception).
        classroom_exit_requested(): the "Exit classroom mode" button was pressed.
    """

    settled = Signal(object)
    star_requested = Signal(object)
    models_requested = Signal()
    direction_changed = Signal(str, str)
    model_changed = Signal(str)
    error = Signal(object)
    classroom_exit_requested = Signal()

    def __init__(self, runner: TaskRunner, options: PanelOptions | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.options = options or PanelOptions()
        self.controller = TranslationController(runner, self)
        self.result: PanelResult | None = None
        self.classroom = False
        self._models: list[InstalledModel] = []
        self._tiers: dict[str, str] = {}
        self._preferred = ""
        self._alt_target: tuple[int, int] | None = None
        self._immediate = False
        # The person starred a draft: the refined translation is what gets saved.
        self._star_pending = False
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._emit_settled)
        self._connect()
        self.retranslate()
        self._direction_switched(reload_models=False)
        self.apply_options(self.options)

    # ------------------------------------------------------------------ wiring

    def _connect(self) -> None:
        self.source.textChanged.connect(self._text_changed)
        self.direction_combo.currentIndexChanged.connect(lambda _: self._direction_switched())
        self.model_combo.currentIndexChanged.connect(lambda _: self._model_switched())
        self.swap_button.clicked.connect(self.swap)
        self.translate_button.clicked.connect(self.translate_now)
        self.copy_source_button.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(self.source.toPlainText()))
        self.copy_output_button.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(self.output.toPlainText()))
        self.star_button.clicked.connect(self._star)
        self.get_models_button.clicked.connect(self.models_requested)
        self.exit_classroom_button.clicked.connect(self.classroom_exit_requested)
        self.output.sentence_activated.connect(self._sentence_activated)
        self.alternatives.picked.connect(self._alternative_picked)
        self.alternatives.closed.connect(self._alternatives_closed)
        self.controller.result_ready.connect(self._show_result)
        self.controller.failed.connect(self._failed)
        self.controller.busy_changed.connect(self._busy)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(self.translate_now)
        alt = QShortcut(QKeySequence("Ctrl+Shift+A"), self)
        alt.activated.connect(self.output.activate_at_cursor)

    def retranslate(self) -> None:
        super().retranslate()
        for index, (source, target) in enumerate(APP_DIRECTIONS):
            self.direction_combo.setItemText(index, direction_label(source, target))
        self._fill_models(translate=False)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------ state

    @property
    def direction(self) -> tuple[str, str]:
        return APP_DIRECTIONS[max(0, self.direction_combo.currentIndex())]

    def set_direction(self, source: str, target: str) -> None:
        if (source, target) in APP_DIRECTIONS:
            self.direction_combo.setCurrentIndex(APP_DIRECTIONS.index((source, target)))

    def current_model(self) -> InstalledModel | None:
        model_id = self.model_combo.currentData()
        return next((m for m in self._models if m.id == model_id), None)

    def set_models(self, models: list[InstalledModel], tiers: dict[str, str],
                   preferred: str = "") -> None:
        self._models, self._tiers = list(models), dict(tiers)
        self._preferred = preferred or self._preferred
        self._fill_models()

    def apply_options(self, options: PanelOptions) -> None:
        threads_changed = options.threads != self.options.threads
        self.options = options
        model = self.current_model()
        if threads_changed and model is not None:
            # A model is loaded per thread count: load the new one now, not at the next key.
            self.controller.preload(model.path, options.threads)
        self.set_font_size(self._size())
        self._update_arabizi()

    def job(self) -> Job | None:
        model = self.current_model()
        if model is None:
            return None
        source, target = self.direction
        return Job(self.source.toPlainText(), source, target, model.id, model.path,
                   self.options.quality, self.options.threads, self.options.use_vmap)

    # ------------------------------------------------------------------ actions

    def translate_now(self) -> None:
        self._request(immediate=True)

    def swap(self) -> None:
        """Swap the direction and the two texts."""
        source_text, output_text = self.source.toPlainText(), self.output.toPlainText()
        self.direction_combo.blockSignals(True)
        self.direction_combo.setCurrentIndex(1 - self.direction_combo.currentIndex())
        self.direction_combo.blockSignals(False)
        self.source.blockSignals(True)
        self.source.setPlainText(output_text)
        self.source.blockSignals(False)
        self._direction_switched(translate=False)
        self.output.setPlainText(source_text)
        self.translate_now()

    def set_font_size(self, size: int) -> None:
        size = max(theme.MIN_FONT_SIZE, min(theme.MAX_FONT_SIZE, size))
        source, target = self.direction
        family = self.options.font_family
        self.source.setFont(theme.text_font(family, size, arabic_first=source == "ary"))
        self.output.setFont(theme.text_font(family, size, arabic_first=target == "ary"))
        # The reading aid is smaller than the translation, much smaller on a projector.
        aid = size // 2 if self.classroom else size * 3 // 4
        self.arabizi.setFont(theme.text_font(family, max(theme.MIN_FONT_SIZE, aid)))
        self.alternatives.set_language(target, theme.text_font(family, size,
                                                               arabic_first=target == "ary"))

    def font_size(self) -> int:
        return self.source.font().pointSize()

    def set_classroom(self, on: bool) -> None:
        """Very large, high-contrast text, the two panes stacked."""
        self.classroom = on
        self.splitter.setOrientation(Qt.Orientation.Vertical if on else Qt.Orientation.Horizontal)
        self.setStyleSheet(theme.CLASSROOM_STYLE if on else "")
        self.set_font_size(self._size())
        total = sum(self.splitter.sizes()) or 1000
        self.splitter.setSizes([total * 2 // 5, total * 3 // 5] if on else [total // 2] * 2)
        for widget in (self.copy_source_button, self.star_button, self.copy_output_button):
            widget.setVisible(not on)
        self.exit_classroom_button.setVisible(on)

    # ------------------------------------------------------------------ internals

    def _fill_models(self, *, translate: bool = True) -> None:
        """List the installed models of the current direction, keeping the chosen one."""
        source, target = self.direction
        wanted = self.model_combo.currentData() or self._preferred
        usable = models_for(self._models, source, target)
        self.model_combo.blockSignals(True)
        self.model_combo.clear()
        for model in usable:
            self.model_combo.addItem(model_label(model, self._tiers.get(model.id, "")), model.id)
        if not usable:
            self.model_combo.addItem(self.tr("No installed model translates {direction}")
                                     .format(direction=direction_label(source, target)))
        index = self.model_combo.findData(wanted) if wanted else -1
        self.model_combo.setCurrentIndex(max(0, index))
        self.model_combo.setEnabled(bool(usable))
        self.model_combo.blockSignals(False)
        self.get_models_button.setVisible(not usable)
        self.translate_button.setEnabled(bool(usable))
        self._model_switched(translate=translate)

    def _direction_switched(self, *, reload_models: bool = True, translate: bool = True) -> None:
        source, target = self.direction
        self.source.set_language(source)
        self.output.set_language(target)
        self.source_header.setText(language_name(source))
        self.output_header.setText(language_name(target))
        # Fonts follow the script: the Arabic face first for the Darija pane.
        self.set_font_size(self._size())
        self.alternatives.close_box()
        if reload_models:
            self._fill_models(translate=False)
        self.direction_changed.emit(source, target)
        if translate:
            self.output.clear_result()
            self.result = None
            self._update_arabizi()
            self._request(immediate=True)

    def _model_switched(self, *, translate: bool = True) -> None:
        model = self.current_model()
        if model is not None:
            self._preferred = model.id
            self.model_changed.emit(model.id)
            self.controller.preload(model.path, self.options.threads)
            if translate and self.source.toPlainText().strip():
                self._request(immediate=True)
        else:
            self.controller.cancel()

    def _text_changed(self) -> None:
        self._settle.stop()
        self._star_pending = False  # the starred text is gone
        if self.options.as_you_type or not self.source.toPlainText().strip():
            self._request(immediate=False)

    def _request(self, *, immediate: bool) -> None:
        job = self.job()
        if job is None or not job.text.strip():
            self.controller.cancel()
            if job is None and self.source.toPlainText().strip():
                self.status_label.setText(self.tr("Install a model to translate."))
            if not self.source.toPlainText().strip():
                self.result = None
                self.output.clear_result()
                self._update_arabizi()
            return
        self._immediate = immediate
        if immediate:
            self.controller.translate_now(job)
        else:
            self.controller.schedule(job)

    def _show_result(self, result: PanelResult) -> None:
        before, self.result = self.result, result
        self.output.set_result(result)
        target = self._alt_target
        if target is not None and _same_line(before, result, target[0]):
            self.output.highlight(*target)  # its sentence did not change: keep the box
        else:
            self.alternatives.close_box()
        self._update_arabizi()
        if result.draft:
            return  # its refine follows; the status still says "Translating…"
        self.status_label.setText("")
        if self._star_pending:
            self._star_pending = False
            if result.text.strip():
                self.star_requested.emit(result)
        if self._immediate:
            self._emit_settled()
        else:
            self._settle.start()

    def _emit_settled(self) -> None:
        self._settle.stop()
        if self.result is not None and self.result.text.strip():
            self.settled.emit(self.result)

    def _failed(self, error: BaseException) -> None:
        self.status_label.setText(self.tr("The translation failed."))
        self.error.emit(error)

    def _busy(self, busy: bool) -> None:
        self.busy_bar.setVisible(busy)
        if busy:
            self.status_label.setText(self.tr("Translating…"))
        elif self.status_label.text() == self.tr("Translating…"):
            self.status_label.setText("")

    def _update_arabizi(self) -> None:
        target = self.direction[1]
        text = self.output.toPlainText() if self.result is not None else ""
        show = self.options.show_arabizi and target == "ary" and bool(text.strip())
        if show:
            from terjman_desktop.core.translate import to_arabizi

            self.arabizi.setText(to_arabizi(text))
        self.arabizi.setVisible(show)

    def _star(self) -> None:
        if self.result is None or not self.result.text.strip():
            return
        if self.result.draft:
            # A draft is the quick first pass: refine now and save what the chosen quality
            # gives, not the draft a learner would then study.
            self._star_pending = True
            self.translate_now()
            return
        self.star_requested.emit(self.result)

    def _sentence_activated(self, line: int, sentence: int) -> None:
        if self.result is None:
            return
        self._alt_target = (line, sentence)
        self.output.highlight(line, sentence)
        self.alternatives.show_waiting()
        span = self.result.lines[line].spans[sentence]
        current = self.result.lines[line].text[span.start:span.end]
        result = self.result

        def done(hypotheses: tuple[Hypothesis, ...]) -> None:
            # A refine of other lines may have come meanwhile; this line is still the same.
            if self._alt_target == (line, sentence) and _same_line(result, self.result, line):
                self.alternatives.show_hypotheses((*span.hypotheses, *hypotheses), current)

        self.controller.alternatives(result.job, span.source, done, self._failed)

    def _alternatives_closed(self) -> None:
        self._alt_target = None
        self.output.setExtraSelections([])

    def _alternative_picked(self, text: str) -> None:
        if self.result is None or self._alt_target is None:
            return
        line, sentence = self._alt_target
        self._alt_target = None
        self.result = self.result.replace_sentence(line, sentence, text)
        self.controller.keep(self.result.job, self.result.lines[line])
        self.output.set_result(self.result)
        self._update_arabizi()
        self._emit_settled()

    def _size(self) -> int:
        return self.options.classroom_font_size if self.classroom else self.options.font_size


def _same_line(before: PanelResult | None, after: PanelResult | None, line: int) -> bool:
    """Whether a line of the output (its text and sentences) is the same in two results."""
    if before is None or after is None or line >= min(len(before.lines), len(after.lines)):
        return False
    old, new = before.lines[line], after.lines[line]
    return old.text == new.text and (
        [(s.start, s.end) for s in old.spans] == [(s.start, s.end) for s in new.spans])
