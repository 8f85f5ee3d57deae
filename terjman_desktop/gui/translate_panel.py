"""The main window's centre: direction, model, source text and its translation.

As the person types, a draft translation shows first and its refined translation replaces
it when typing pauses (the controller decides when); the output changes only where the
translation did, so its caret, selection, scroll position and a highlighted sentence whose
line did not change all stay. Only a refined result goes into the history.

The direction picks itself from the script of what is typed (:mod:`direction_indicator`),
never in the middle of a word; Darija typed in Latin letters (Arabizi) is converted to
Arabic script, shown under the text where the person may correct it, and that is what is
translated. The person may also correct the translation itself (their own, for the history
and the phrasebook), and save one sentence or a selection to the phrasebook.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, replace

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from terjman_desktop.core.languages import APP_DIRECTIONS
from terjman_desktop.core.models import InstalledModel
from terjman_desktop.core.translate import (
    Hypothesis,
    Script,
    arabizi_to_arabic,
    classify_script,
)
from terjman_desktop.gui import theme
from terjman_desktop.gui.corrections import (
    LineCountError,
    Pair,
    correct,
    pairs_in_output,
    pairs_in_source,
    sentence_pair,
)
from terjman_desktop.gui.direction_indicator import (
    FLIP_PAUSE_MS,
    at_word_boundary,
    direction_of,
    kind_within,
    script_language,
    wanted_kind,
)
from terjman_desktop.gui.model_info import (
    direction_label,
    language_name,
    model_label,
    models_for,
)
from terjman_desktop.gui.panel_widgets import PanelWidgets
from terjman_desktop.gui.task_runner import TaskRunner
from terjman_desktop.gui.text_patch import python_index
from terjman_desktop.gui.translation_controller import (
    Job,
    PanelResult,
    TranslationController,
)

SETTLE_MS = 2500  # an as-you-type result left alone this long goes into the history
FIXES_KEPT = 500  # Arabizi lines whose Arabic-script form the person corrected


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
        phrases_requested(list[Pair]): save these sentences to the phrasebook.
        corrected(list[Pair]): the person corrected these sentences (for the phrasebook;
            the corrected result itself goes out as ``settled``).
        models_requested(): the person wants to install a model.
        direction_changed(str, str), model_changed(str): to remember as defaults.
        error(object): a translation failed (the exception).
        classroom_exit_requested(): the "Exit classroom mode" button was pressed.
    """

    settled = Signal(object)
    star_requested = Signal(object)
    phrases_requested = Signal(object)
    corrected = Signal(object)
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
        # The input kind picked from the text (or chosen by the person: _chosen).
        self.input_kind = Script.NONE
        self._chosen = False
        self._pending_kind: Script | None = None
        self._flip = QTimer(self)
        self._flip.setSingleShot(True)
        self._flip.setInterval(FLIP_PAUSE_MS)
        self._flip.timeout.connect(self._flip_after_pause)
        self._source_layout = ""
        # Arabizi line → its Arabic-script form as the person corrected it.
        self._fixes: OrderedDict[str, str] = OrderedDict()
        self._connect()
        self.retranslate()
        self._direction_switched(reload_models=False)
        self.apply_options(self.options)

    # ------------------------------------------------------------------ wiring

    def _connect(self) -> None:
        self.source.textChanged.connect(self._text_changed)
        self.direction_combo.currentIndexChanged.connect(lambda _: self._direction_switched())
        self.direction_combo.activated.connect(lambda _: self._choose_direction())
        self.indicator.override_requested.connect(self._override)
        self.indicator.auto_requested.connect(self._detect_again)
        self.converted.edited.connect(self._converted_edited)
        self.correct_button.clicked.connect(self._correct_clicked)
        self.output.correction_done.connect(self.save_correction)
        self.output.correction_requested.connect(self.start_correction)
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
        correct_key = QShortcut(QKeySequence(Qt.Key.Key_F2), self)
        correct_key.setContext(Qt.ShortcutContext.WindowShortcut)
        correct_key.activated.connect(self.correct_button.click)
        # Escape closes the alternatives or cancels a correction; enabled only then, so it
        # stays free otherwise (in classroom mode the window's Escape asks dismiss() first).
        self.escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self.escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.escape.setEnabled(False)
        self.escape.activated.connect(self.dismiss)

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
        return Job(self.translated_text(), source, target, model.id, model.path,
                   self.options.quality, self.options.threads, self.options.use_vmap)

    @property
    def converting(self) -> bool:
        """Whether the text is Arabizi, translated from its Arabic-script form."""
        return self.input_kind is Script.ARABIZI and self.direction[0] == "ary"

    def translated_text(self) -> str:
        """What goes to the model: the text, or the Arabic-script form of Arabizi."""
        return self.converted.toPlainText() if self.converting else self.source.toPlainText()

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
        # The person chose this direction: it holds for this text.
        # The text is now the model's translation: English, or Darija in Arabic script.
        self._chosen = bool(output_text.strip())
        kind = Script.ENGLISH if self.direction[0] == "en" else Script.ARABIC
        self.input_kind = kind if self._chosen else Script.NONE
        self._flip.stop()
        self._pending_kind = None
        self._direction_switched(translate=False)
        self._show_kind()
        self.output.setPlainText(source_text)
        self.translate_now()

    def set_font_size(self, size: int) -> None:
        size = max(theme.MIN_FONT_SIZE, min(theme.MAX_FONT_SIZE, size))
        target = self.direction[1]
        family = self.options.font_family
        self.source.setFont(theme.text_font(family, size,
                                            arabic_first=self._source_language() == "ary"))
        self.converted.setFont(theme.text_font(family, max(theme.MIN_FONT_SIZE, size * 3 // 4),
                                               arabic_first=True))
        self.output.setFont(theme.text_font(family, size, arabic_first=target == "ary"))
        # The reading aid is smaller than the translation, much smaller on a projector.
        aid = size // 2 if self.classroom else size * 3 // 4
        self.arabizi.setFont(theme.text_font(family, max(theme.MIN_FONT_SIZE, aid)))
        # In classroom mode the alternatives are smaller than the translation, so that they
        # never take the room of the text they are for.
        box = max(theme.MIN_FONT_SIZE, size // 2) if self.classroom else size
        self.alternatives.set_language(target, theme.text_font(family, box,
                                                               arabic_first=target == "ary"))

    def font_size(self) -> int:
        return self.source.font().pointSize()

    def set_classroom(self, on: bool) -> None:
        """Very large, high-contrast text, the two panes stacked."""
        self.classroom = on
        self.splitter.setOrientation(Qt.Orientation.Vertical if on else Qt.Orientation.Horizontal)
        self.setStyleSheet(theme.CLASSROOM_STYLE if on else "")
        self.set_font_size(self._size())
        self._update_escape()
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
        if self.input_kind is not Script.NONE and direction_of(self.input_kind) != (
                source, target):
            # Set from outside (a history entry, the Preferences): read the text that way.
            self.input_kind = kind_within(self.direction, self.source.toPlainText())
            self._show_kind()
        self._layout_source()
        self.output.set_language(target)
        self.source_header.setText(language_name(source))
        self.output_header.setText(language_name(target))
        # Fonts follow the script: the Arabic face first for the Darija pane.
        self.set_font_size(self._size())
        self.alternatives.close_box()
        if reload_models:
            self._fill_models(translate=False)
        self.direction_changed.emit(source, target)
        self._show_conversion()
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
        if self.output.correcting:
            self.save_correction()  # typing on: the correction is kept, not lost
            if self.output.correcting:
                self.cancel_correction()  # it could not be kept (lines): the model's is back
        text = self.source.toPlainText()
        if self._pick_kind(text):
            self.controller.cancel()  # the translation waits for the direction
            return
        self._show_conversion()
        if self.options.as_you_type or not text.strip():
            self._request(immediate=False)

    def _request(self, *, immediate: bool) -> None:
        if self.output.correcting:
            # A new translation would replace what the person is editing: keep it first.
            self.save_correction()
            if self.output.correcting:
                self.cancel_correction()
        job = self.job()
        if job is None or not job.text.strip():
            self.controller.cancel()
            self.busy_bar.hide()
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
            self._star()
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
        pairs = self.selected_pairs()
        if pairs:
            self.phrases_requested.emit(pairs)
            self.status_label.setText(self.tr("Saved to the phrasebook: {count}.").format(
                count=self.tr("1 sentence") if len(pairs) == 1 else
                self.tr("{n} sentences").format(n=len(pairs))))
            return
        self.star_requested.emit(self.result)

    def selected_pairs(self) -> list[Pair]:
        """The sentences the person pointed at, as pairs for the phrasebook.

        A selection in the translation, else in the text (or its Arabic-script form), else
        the sentence whose alternatives are shown; none when nothing is pointed at.
        """
        result = self.result
        if result is None:
            return []
        cursor = self.output.textCursor()
        if cursor.hasSelection() and self.output.toPlainText() == result.text:
            text = result.text
            return pairs_in_output(result, python_index(text, cursor.selectionStart()),
                                   python_index(text, cursor.selectionEnd()))
        edits: list[QPlainTextEdit] = [self.converted] if self.converting else [self.source]
        for edit in edits:
            cursor = edit.textCursor()
            text = edit.toPlainText()
            if cursor.hasSelection() and text == result.job.text:
                return pairs_in_source(result, python_index(text, cursor.selectionStart()),
                                       python_index(text, cursor.selectionEnd()))
        if self.output.selected is not None and self.alternatives.isVisible():
            return sentence_pair(result, *self.output.selected)
        return []

    def _sentence_activated(self, line: int, sentence: int) -> None:
        if self.result is None:
            return
        self._alt_target = (line, sentence)
        self.output.highlight(line, sentence)
        self.alternatives.show_waiting()
        self._update_escape()
        self._keep_sentence_in_view()
        span = self.result.lines[line].spans[sentence]
        current = self.result.lines[line].text[span.start:span.end]
        result = self.result

        def done(hypotheses: tuple[Hypothesis, ...]) -> None:
            # A refine of other lines may have come meanwhile; this line is still the same.
            if self._alt_target == (line, sentence) and _same_line(result, self.result, line):
                self.alternatives.show_hypotheses((*span.hypotheses, *hypotheses), current)
                self._keep_sentence_in_view()

        self.controller.alternatives(result.job, span.source, done, self._failed)

    def _alternatives_closed(self) -> None:
        self._alt_target = None
        self.output.selected = None
        self.output.setExtraSelections([])
        self._update_escape()

    def _alternative_picked(self, text: str) -> None:
        if self.result is None or self._alt_target is None:
            return
        line, sentence = self._alt_target
        self._alt_target = None
        self._update_escape()
        # The history entry of this text is updated, not joined by a near-duplicate.
        before = self.result.text
        self.result = replace(self.result.replace_sentence(line, sentence, text),
                              revises=before)
        self.controller.keep(self.result.job, self.result.lines[line])
        self.output.set_result(self.result)
        self._update_arabizi()
        self._emit_settled()

    def _size(self) -> int:
        return self.options.classroom_font_size if self.classroom else self.options.font_size

    # ------------------------------------------------------------------ the direction

    def _source_language(self) -> str:
        """What the source pane is laid out and drawn for: its text's script."""
        return script_language(self.input_kind) if self.converting else self.direction[0]

    def _layout_source(self) -> None:
        language = self._source_language()
        if language != self._source_layout:
            self._source_layout = language
            self.source.set_language(language)

    def _pick_kind(self, text: str) -> bool:
        """Follow the script of ``text``; True while a change waits for a word boundary."""
        if not text.strip():
            self._chosen = False  # a new text: the direction picks itself again
            self._pending_kind = None
            self._flip.stop()
            if self.input_kind is not Script.NONE:
                self.input_kind = Script.NONE
                self._show_kind()
            return False
        if self._chosen:
            kind = kind_within(self.direction, text)
        else:
            kind = wanted_kind(classify_script(text), self.input_kind)
        if kind is self.input_kind:
            self._pending_kind = None
            self._flip.stop()
            return False
        visible = direction_of(kind) != self.direction or (
            self.converting or kind is Script.ARABIZI)
        position = python_index(text, self.source.textCursor().position())
        if not visible or self._chosen or at_word_boundary(text, position):
            self._apply_kind(kind)
            return False
        # In the middle of a word: flip at the next boundary, or after a pause.
        self._pending_kind = kind
        self._flip.start()
        return True

    def _flip_after_pause(self) -> None:
        kind, self._pending_kind = self._pending_kind, None
        if kind is not None and self.source.toPlainText().strip():
            self._apply_kind(kind)
            if self.options.as_you_type:
                self._request(immediate=False)

    def _apply_kind(self, kind: Script) -> None:
        self._flip.stop()
        self._pending_kind = None
        self.input_kind = kind
        direction = direction_of(kind)
        if direction != self.direction:
            self.direction_combo.blockSignals(True)
            self.direction_combo.setCurrentIndex(APP_DIRECTIONS.index(direction))
            self.direction_combo.blockSignals(False)
            self.output.clear_result()
            self.result = None
            self._direction_switched(translate=False)
            self._update_arabizi()
        else:
            self._layout_source()
            self.set_font_size(self._size())
            self._show_conversion()
        self._show_kind()

    def _show_kind(self) -> None:
        self.indicator.show_state(self.input_kind, chosen=self._chosen)

    def _choose_direction(self) -> None:
        """The person picked a direction in the list: it holds for this text."""
        text = self.source.toPlainText()
        self._chosen = bool(text.strip())
        if self._chosen:
            self._apply_kind(kind_within(self.direction, text))
            self._request(immediate=True)

    def _override(self, kind: Script) -> None:
        """The indicator's one click: read the text as ``kind``."""
        self._chosen = True
        self._apply_kind(kind)
        self._request(immediate=True)

    def _detect_again(self) -> None:
        self._chosen = False
        text = self.source.toPlainText()
        guess = classify_script(text)
        self._apply_kind(wanted_kind(guess, Script.NONE) if text.strip() else Script.NONE)
        self._request(immediate=True)

    # ------------------------------------------------------------------ Arabizi

    def _show_conversion(self) -> None:
        """Show (or hide) the Arabic-script form of Arabizi, the person's fixes kept."""
        show = self.converting
        self.converted.setVisible(show)
        self.converted_label.setVisible(show)
        if show:
            lines = self.source.toPlainText().split("\n")
            self.converted.show_text("\n".join(
                self._fixes.get(line, arabizi_to_arabic(line)) for line in lines))

    def _converted_edited(self) -> None:
        """The person corrected the Arabic-script form: remember it per Arabizi line."""
        typed = self.source.toPlainText().split("\n")
        fixed = self.converted.toPlainText().split("\n")
        if len(typed) == len(fixed):
            for line, form in zip(typed, fixed, strict=True):
                if form != arabizi_to_arabic(line):
                    self._fixes[line] = form
                    self._fixes.move_to_end(line)
                else:
                    self._fixes.pop(line, None)
            while len(self._fixes) > FIXES_KEPT:
                self._fixes.popitem(last=False)
        self._settle.stop()
        if self.options.as_you_type:
            self._request(immediate=False)

    # ------------------------------------------------------------------ corrections

    def _correct_clicked(self) -> None:
        if self.output.correcting:
            self.save_correction()
        else:
            self.start_correction()

    def start_correction(self) -> None:
        """Let the person edit the translation (nothing replaces it meanwhile)."""
        if self.result is None or not self.result.text.strip():
            self.correct_button.setChecked(False)
            return
        self.controller.cancel()
        self._settle.stop()
        self.alternatives.close_box()
        self.output.start_correcting()
        self.correct_button.setChecked(True)
        self.correction_hint.show()
        self._update_escape()

    def save_correction(self) -> None:
        """Keep the edited translation as the person's own (history and phrasebook)."""
        if not self.output.correcting or self.result is None:
            return
        try:
            corrected, pairs = correct(self.result, self.output.toPlainText())
        except LineCountError:
            self.status_label.setText(self.tr(
                "Keep one line of translation for each line of the text, then save again."))
            self.correct_button.setChecked(True)
            return
        self._end_correction()
        if corrected.text == self.result.text:
            return
        for line in corrected.lines:
            if line.own:
                self.controller.keep(corrected.job, line)
        self.result = corrected
        self.output.set_result(corrected)
        self._update_arabizi()
        self.settled.emit(corrected)
        if pairs:
            self.corrected.emit(pairs)
        self.status_label.setText(self.tr("Your correction is saved as your own translation."))

    def cancel_correction(self) -> None:
        if self.output.correcting:
            self._end_correction()
            self.output.set_result(self.result)

    def _end_correction(self) -> None:
        self.output.stop_correcting()
        self.correct_button.setChecked(False)
        self.correction_hint.hide()
        self._update_escape()

    # ------------------------------------------------------------------ Escape

    def dismiss(self) -> bool:
        """Escape: cancel a correction, else close the alternatives; whether it did."""
        if self.output.correcting:
            self.cancel_correction()
            return True
        if self.alternatives.isVisible():
            self.alternatives.close_box()
            return True
        return False

    def _update_escape(self) -> None:
        open_ = self.output.correcting or self.alternatives.isVisible()
        self.escape.setEnabled(open_ and not self.classroom)

    def _keep_sentence_in_view(self) -> None:
        """Once the layout has made room for the alternatives, scroll the sentence into view."""
        if self.classroom:
            # The list never takes more than a third of the translation's side.
            side = self.output.parentWidget()
            self.alternatives.list.setMaximumHeight(max(60, side.height() // 3) if side else 120)
        else:
            self.alternatives.list.setMaximumHeight(120)
        QTimer.singleShot(0, self.output.show_selected)


def _same_line(before: PanelResult | None, after: PanelResult | None, line: int) -> bool:
    """Whether a line of the output (its text and sentences) is the same in two results."""
    if before is None or after is None or line >= min(len(before.lines), len(after.lines)):
        return False
    old, new = before.lines[line], after.lines[line]
    return old.text == new.text and (
        [(s.start, s.end) for s in old.spans] == [(s.start, s.end) for s in new.spans])
