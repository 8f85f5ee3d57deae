"""The widgets of the translation panel and their layout (the behaviour is in translate_panel)."""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from terjman_desktop.core.languages import APP_DIRECTIONS
from terjman_desktop.gui.alternatives import AlternativesBox
from terjman_desktop.gui.direction_indicator import DirectionIndicator
from terjman_desktop.gui.text_views import ConvertedEdit, OutputView, SourceEdit


class PanelWidgets(QWidget):
    """Creates every widget once, lays them out, sets tab order and accessible names."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("translatePanel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        top = self._top_bar()
        source_box = self._source_side()
        output_box = self._output_side()
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("panesSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(source_box)
        self.splitter.addWidget(output_box)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        # Its own row: what the text was taken for, and the one click that says otherwise.
        layout.addWidget(self.indicator)
        layout.addWidget(self.splitter, 1)
        order = [self.direction_combo, self.swap_button, self.indicator.button,
                 self.model_combo, self.get_models_button, self.source, self.converted,
                 self.translate_button, self.copy_source_button, self.output,
                 self.alternatives.list, self.star_button, self.correct_button,
                 self.copy_output_button]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def _top_bar(self) -> QHBoxLayout:
        self.direction_label = QLabel(self)
        self.direction_combo = QComboBox(self)
        self.direction_combo.setObjectName("directionCombo")
        for _ in APP_DIRECTIONS:
            self.direction_combo.addItem("")
        self.direction_label.setBuddy(self.direction_combo)
        self.swap_button = QToolButton(self)
        self.swap_button.setObjectName("swapButton")
        self.swap_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.indicator = DirectionIndicator(self)
        self.model_label = QLabel(self)
        self.model_combo = QComboBox(self)
        self.model_combo.setObjectName("modelCombo")
        # Long model labels must not widen the window: the combo shrinks, its list does not.
        self.model_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.model_combo.setMinimumContentsLength(20)
        self.model_label.setBuddy(self.model_combo)
        self.get_models_button = QPushButton(self)
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setObjectName("busyBar")
        self.busy_bar.setRange(0, 0)  # indeterminate: moves while the model works
        self.busy_bar.setMaximumWidth(120)
        self.busy_bar.setMaximumHeight(12)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.hide()
        self.status_label = QLabel(self)
        self.status_label.setObjectName("panelStatus")
        # Shown only in classroom mode, whose full screen hides the menus: the visible way out.
        self.exit_classroom_button = QPushButton(self)
        self.exit_classroom_button.setObjectName("exitClassroomButton")
        self.exit_classroom_button.hide()

        top = QHBoxLayout()
        top.addWidget(self.direction_label)
        top.addWidget(self.direction_combo)
        top.addWidget(self.swap_button)
        top.addSpacing(16)
        top.addWidget(self.model_label)
        top.addWidget(self.model_combo, 1)
        top.addWidget(self.get_models_button)
        top.addStretch()
        top.addWidget(self.status_label)
        top.addWidget(self.busy_bar)
        top.addWidget(self.exit_classroom_button)
        return top

    def _source_side(self) -> QWidget:
        self.source_header = QLabel(self)
        self.source_header.setObjectName("sourceHeader")
        self.source = SourceEdit(self)
        self.source_header.setBuddy(self.source)
        self.translate_button = QPushButton(self)
        self.translate_button.setObjectName("translateButton")
        self.translate_button.setDefault(True)
        self.copy_source_button = QPushButton(self)
        # Arabizi typed in the source is shown here in Arabic script, what is translated.
        self.converted_label = QLabel(self)
        self.converted_label.setObjectName("convertedLabel")
        self.converted_label.setWordWrap(True)
        self.converted = ConvertedEdit(self)
        self.converted_label.setBuddy(self.converted)
        self.converted_label.hide()
        self.converted.hide()
        source_box = QWidget(self)
        source_layout = QVBoxLayout(source_box)
        # 1 px side margins: QSplitter lays right-to-left children out 1 px too far, which
        # would clip a frame's edge in the Arabic interface.
        source_layout.setContentsMargins(1, 0, 1, 0)
        source_layout.addWidget(self.source_header)
        source_layout.addWidget(self.source, 1)
        source_layout.addWidget(self.converted_label)
        source_layout.addWidget(self.converted)
        source_buttons = QHBoxLayout()
        source_buttons.addWidget(self.translate_button)
        source_buttons.addStretch()
        source_buttons.addWidget(self.copy_source_button)
        source_layout.addLayout(source_buttons)
        return source_box

    def _output_side(self) -> QWidget:
        self.output_header = QLabel(self)
        self.output_header.setObjectName("outputHeader")
        self.output = OutputView(self)
        self.output_header.setBuddy(self.output)
        self.arabizi = QLabel(self)
        self.arabizi.setObjectName("arabiziLabel")
        self.arabizi.setWordWrap(True)
        self.arabizi.setTextFormat(Qt.TextFormat.PlainText)
        self.arabizi.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.arabizi.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.arabizi.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignAbsolute)
        self.arabizi.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.arabizi.hide()
        self.alternatives = AlternativesBox(self)
        self.copy_output_button = QPushButton(self)
        self.star_button = QPushButton(self)
        self.star_button.setObjectName("starButton")
        self.correct_button = QPushButton(self)
        self.correct_button.setObjectName("correctButton")
        self.correct_button.setCheckable(True)
        self.correction_hint = QLabel(self)
        self.correction_hint.setObjectName("correctionHint")
        self.correction_hint.setWordWrap(True)
        self.correction_hint.hide()
        output_box = QWidget(self)
        output_layout = QVBoxLayout(output_box)
        output_layout.setContentsMargins(1, 0, 1, 0)
        output_layout.addWidget(self.output_header)
        output_layout.addWidget(self.output, 1)
        output_layout.addWidget(self.correction_hint)
        output_layout.addWidget(self.arabizi)
        output_layout.addWidget(self.alternatives)
        output_buttons = QHBoxLayout()
        output_buttons.addWidget(self.star_button)
        output_buttons.addWidget(self.correct_button)
        output_buttons.addStretch()
        output_buttons.addWidget(self.copy_output_button)
        output_layout.addLayout(output_buttons)
        return output_box

    def retranslate(self) -> None:
        self.direction_label.setText(self.tr("&Direction:"))
        self.direction_combo.setAccessibleName(self.tr("Translation direction"))
        self.swap_button.setText(self.tr("⇄ S&wap"))
        self.swap_button.setToolTip(self.tr("Swap the languages and the two texts"))
        self.swap_button.setAccessibleName(self.tr("Swap languages"))
        self.model_label.setText(self.tr("&Model:"))
        self.model_combo.setAccessibleName(self.tr("Translation model"))
        self.get_models_button.setText(self.tr("&Get a model…"))
        self.get_models_button.setAccessibleName(self.tr("Get a model"))
        self.busy_bar.setAccessibleName(self.tr("Translating"))
        self.source.setAccessibleName(self.tr("Text to translate"))
        self.source.setPlaceholderText(self.tr("Type or paste text here…"))
        self.translate_button.setText(self.tr("&Translate"))
        self.translate_button.setToolTip(self.tr("Translate now (Ctrl+Enter)"))
        self.translate_button.setAccessibleName(self.tr("Translate"))
        self.copy_source_button.setText(self.tr("&Copy text"))
        self.copy_source_button.setAccessibleName(self.tr("Copy the text to translate"))
        self.output.setAccessibleName(self.tr("Translation"))
        self.output.setAccessibleDescription(
            self.tr("Click a sentence, or press Enter on it, to see other translations.")
        )
        self.output.setPlaceholderText(self.tr("The translation appears here."))
        self.arabizi.setAccessibleName(self.tr("Darija in Latin letters"))
        self.arabizi.setToolTip(self.tr("Reading aid: the Darija in Latin letters (Arabizi)"))
        self.copy_output_button.setText(self.tr("C&opy translation"))
        self.copy_output_button.setAccessibleName(self.tr("Copy the translation"))
        self.star_button.setText(self.tr("★ Save to &phrasebook"))
        self.star_button.setAccessibleName(self.tr("Save to phrasebook"))
        self.star_button.setToolTip(self.tr(
            "Save the selected sentences, or the sentence whose other translations are "
            "shown, to the phrasebook; the whole text when none is (Ctrl+S)"))
        self.correct_button.setText(self.tr("✎ Co&rrect"))
        self.correct_button.setAccessibleName(self.tr("Correct the translation"))
        self.correct_button.setToolTip(self.tr(
            "Edit the translation yourself; your correction goes to the history and the "
            "phrasebook as your own (F2)"))
        self.correction_hint.setText(self.tr(
            "Correcting: edit the translation, then press Enter or ✎ Correct again to save "
            "it as your own; Escape cancels."))
        self.converted_label.setText(self.tr(
            "In Arabic script, as it is translated (correct it if needed):"))
        self.converted.setAccessibleName(self.tr("The Darija in Arabic script"))
        self.exit_classroom_button.setText(self.tr("Exit classroom mode (F11 / Esc)"))
        self.exit_classroom_button.setAccessibleName(self.tr("Exit classroom mode"))
