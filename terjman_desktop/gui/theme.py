"""Colours, fonts and the classroom look.

Arabic script needs a font that has its glyphs *and* shapes them well. System fonts vary, so
we pick the first installed family from a list of good ones and put it in the font's family
list as a fallback: Latin text keeps the person's font, Arabic text gets a real Arabic face.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

# Best first: faces designed for running text in Arabic script, then wide-coverage fallbacks.
ARABIC_FONTS = (
    "Noto Naskh Arabic",
    "Noto Naskh Arabic UI",
    "Noto Sans Arabic",
    "Noto Sans Arabic UI",
    "Amiri",
    "Scheherazade New",
    "Vazirmatn",
    "Segoe UI",  # Windows: shapes Arabic well
    "Geeza Pro",  # macOS
    "Arial",
    "DejaVu Sans",
)

THEMES = ("system", "light", "dark")
MIN_FONT_SIZE = 8
MAX_FONT_SIZE = 96


@cache
def arabic_font_family() -> str:
    """The best installed family that can write Arabic ("" when none is known)."""
    arabic = set(QFontDatabase.families(QFontDatabase.WritingSystem.Arabic))
    installed = set(QFontDatabase.families())
    for family in ARABIC_FONTS:
        if family in arabic or (family in installed and family in ("Segoe UI", "Geeza Pro")):
            return family
    return sorted(arabic)[0] if arabic else ""


def text_font(family: str, size: int, *, arabic_first: bool = False) -> QFont:
    """A font for translation text; ``arabic_first`` for panes that hold Arabic script."""
    font = QFont(QApplication.font())
    families = [f for f in (family,) if f]
    arabic = arabic_font_family()
    if arabic and arabic not in families:
        if arabic_first:
            families.insert(0, arabic)
        else:
            families.append(arabic)
    if families:
        font.setFamilies(families)
    font.setPointSize(max(MIN_FONT_SIZE, min(MAX_FONT_SIZE, size)))
    return font


def _dark_palette() -> QPalette:
    palette = QPalette()
    colors = {
        QPalette.ColorRole.Window: "#202124",
        QPalette.ColorRole.WindowText: "#e8eaed",
        QPalette.ColorRole.Base: "#17181a",
        QPalette.ColorRole.AlternateBase: "#2a2b2e",
        QPalette.ColorRole.ToolTipBase: "#2a2b2e",
        QPalette.ColorRole.ToolTipText: "#e8eaed",
        QPalette.ColorRole.PlaceholderText: "#9aa0a6",
        QPalette.ColorRole.Text: "#e8eaed",
        QPalette.ColorRole.Button: "#2d2e31",
        QPalette.ColorRole.ButtonText: "#e8eaed",
        QPalette.ColorRole.BrightText: "#ff6b6b",
        QPalette.ColorRole.Link: "#8ab4f8",
        QPalette.ColorRole.Highlight: "#3b73c4",
        QPalette.ColorRole.HighlightedText: "#ffffff",
    }
    for role, value in colors.items():
        palette.setColor(role, QColor(value))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText,
                 QPalette.ColorRole.WindowText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7f8388"))
    return palette


_system_style: str | None = None


def apply_theme(app: QApplication, theme: str) -> None:
    """Apply ``system``, ``light`` or ``dark`` to the whole application."""
    global _system_style  # noqa: PLW0603 - remembered once, to go back to "system"
    if _system_style is None:
        _system_style = app.style().name()
    if theme == "system":
        app.setStyle(QStyleFactory.create(_system_style) or app.style())
        app.setPalette(app.style().standardPalette())
    else:
        app.setStyle(QStyleFactory.create("Fusion"))
        fusion = app.style().standardPalette()
        app.setPalette(_dark_palette() if theme == "dark" else fusion)


def is_dark() -> bool:
    palette = QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


# High contrast for a projector: white on black, translation in yellow, thick focus frame.
CLASSROOM_STYLE = """
QWidget#translatePanel { background: #000000; }
QWidget#translatePanel QLabel { color: #ffffff; }
QPlainTextEdit#sourceEdit, QTextEdit#outputView {
    background: #000000; color: #ffffff; border: 3px solid #555555;
    selection-background-color: #ffff00; selection-color: #000000;
}
QTextEdit#outputView { color: #ffff66; }
QPlainTextEdit#sourceEdit:focus, QTextEdit#outputView:focus { border: 3px solid #00ffff; }
QLabel#arabiziLabel { color: #a0ffa0; }
QPushButton#exitClassroomButton {
    background: #202020; color: #ffffff; border: 1px solid #808080; padding: 4px 10px;
}
QPushButton#exitClassroomButton:focus { border: 2px solid #00ffff; }
"""
