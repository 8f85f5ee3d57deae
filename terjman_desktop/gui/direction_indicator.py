"""The direction picks itself from what is typed, shown by an indicator with a one-click override.

What a text is written in (:func:`~terjman_desktop.core.translate.classify_script`) picks its
*input kind*: English (Latin letters, translated to Darija), Darija in Arabic script, or
Darija in Latin letters (Arabizi, converted to Arabic script first; both Darija kinds are
translated to English). The rules, kept here apart from the widgets:

* a verdict the classifier is not sure of never changes a kind of the same script (one
  unknown word such as "Rabat" leaves English English); a change of script always counts;
* the change waits for a word boundary: never while the caret sits right after a letter or a
  digit (the person is in the middle of a word); a pause in typing counts as a boundary;
* a direction the person chose (the direction list, Swap, the override button) holds for the
  text; the pick resumes when the text is emptied or on "Detect automatically". Within a
  chosen Darija → English direction, the script still decides whether to convert Arabizi.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from terjman_desktop.core.translate import Script, ScriptGuess, classify_script

FLIP_PAUSE_MS = 700  # a pause this long in the middle of a word counts as a word boundary
LATIN_KINDS = frozenset({Script.ENGLISH, Script.ARABIZI})


def direction_of(kind: Script) -> tuple[str, str]:
    """The translation direction of an input kind."""
    return ("en", "ary") if kind is Script.ENGLISH else ("ary", "en")


def script_language(kind: Script) -> str:
    """The language code the source pane is laid out for (Arabizi: left to right)."""
    return kind.value if kind is not Script.NONE else "en"


def wanted_kind(guess: ScriptGuess, current: Script) -> Script:
    """The kind a text asks for, given its classifier verdict and the kind in use."""
    if guess.script is Script.NONE:
        return current
    if not guess.confident and (guess.script in LATIN_KINDS) == (current in LATIN_KINDS):
        return current  # thin evidence: keep the kind of the same script
    return guess.script


def kind_within(direction: tuple[str, str], text: str) -> Script:
    """The kind of ``text`` under a direction the person chose."""
    if direction[0] == "en":
        return Script.ENGLISH
    guess = classify_script(text)
    latin = guess.latin_letters > guess.arabic_letters
    return Script.ARABIZI if latin else Script.ARABIC


def at_word_boundary(text: str, position: int) -> bool:
    """Whether the caret at ``position`` (a Python index) is not right after a letter or digit."""
    return position <= 0 or position > len(text) or not text[position - 1].isalnum()


class DirectionIndicator(QWidget):
    """What the text was taken for, and the one click that says otherwise.

    Signals:
        override_requested(object): translate the text as this :class:`Script` kind.
        auto_requested(): pick the direction from the text again.
    """

    override_requested = Signal(object)
    auto_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("directionIndicator")
        self.label = QLabel(self)
        self.label.setObjectName("detectedLabel")
        self.button = QPushButton(self)
        self.button.setObjectName("overrideButton")
        self.button.setFlat(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.button)
        layout.addStretch()
        self.button.clicked.connect(self._clicked)
        self.kind = Script.NONE
        self.chosen = False
        self.retranslate()

    def show_state(self, kind: Script, *, chosen: bool) -> None:
        """Show the kind in use and whether the person chose it (else it was detected)."""
        self.kind, self.chosen = kind, chosen
        self.retranslate()

    def alternative(self) -> Script | None:
        """What one click switches to: English ⇄ Arabizi; nothing for Arabic script."""
        if self.kind is Script.ENGLISH:
            return Script.ARABIZI
        if self.kind is Script.ARABIZI:
            return Script.ENGLISH
        return None

    def _name(self, kind: Script) -> str:
        names = {
            Script.ENGLISH: self.tr("English"),
            Script.ARABIC: self.tr("Darija (Arabic script)"),
            Script.ARABIZI: self.tr("Darija in Latin letters (Arabizi)"),
        }
        return names.get(kind, "")

    def retranslate(self) -> None:
        if self.kind is Script.NONE:
            self.label.setText(self.tr("Detects the language as you type"))
        elif self.chosen:
            self.label.setText(self.tr("Read as: {kind}").format(kind=self._name(self.kind)))
        else:
            self.label.setText(self.tr("Detected: {kind}").format(kind=self._name(self.kind)))
        self.label.setAccessibleName(self.label.text())
        other = self.alternative()
        if self.chosen:
            self.button.setText(self.tr("Detect automatically"))
            self.button.setToolTip(self.tr("Pick the direction from the text again"))
        elif other is not None:
            self.button.setText(self.tr("Not right? Read as {kind}").format(kind=self._name(other)))
            self.button.setToolTip(
                self.tr("Translate this text as {kind}").format(kind=self._name(other))
            )
        self.button.setAccessibleName(self.button.text())
        self.button.setVisible(self.chosen or other is not None)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _clicked(self) -> None:
        if self.chosen:
            self.auto_requested.emit()
            return
        other = self.alternative()
        if other is not None:
            self.override_requested.emit(other)
