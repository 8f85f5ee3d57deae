"""Interface languages: English (the source strings), French and Arabic.

Translations are Qt ``.qm`` files built from the ``.ts`` sources in
``resources/translations`` (see ``build.py`` there). Arabic mirrors the whole layout. Qt's own
strings (standard buttons, file dialogs) come from the ``qtbase`` catalogues shipped with Qt.
Widgets re-read their texts when they receive ``QEvent.LanguageChange``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtWidgets import QApplication

from terjman_desktop.core.paths import resources_dir

logger = logging.getLogger(__name__)

LANGUAGES = ("en", "fr", "ar")
RTL_LANGUAGES = frozenset({"ar"})
# Shown in each language's own name, so a person can find theirs whatever the current one.
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "ar": "العربية"}

# Moroccan Arabic locale: right-to-left, with the Western digits Morocco writes (ar_EG would
# show Arabic-Indic digits in every spin box).
LOCALES = {"en": "en_US", "fr": "fr_FR", "ar": "ar_MA"}

_installed: list[QTranslator] = []
_current = "en"


def translations_dir() -> Path:
    return resources_dir() / "translations"


def resolve(choice: str) -> str:
    """``system`` → the system's language when we have it, else English."""
    if choice in LANGUAGES:
        return choice
    name = QLocale.system().name().split("_")[0]
    return name if name in LANGUAGES else "en"


def current_language() -> str:
    return _current


def apply_language(app: QApplication, choice: str) -> str:
    """Install the translators of ``choice`` (``system``, ``en``, ``fr``, ``ar``).

    Returns the language now in use. Widgets get a ``LanguageChange`` event and the layout
    direction follows the language.
    """
    global _current  # noqa: PLW0603 - the app has one interface language at a time
    language = resolve(choice)
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if language != "en":
        ours = QTranslator(app)
        if ours.load(str(translations_dir() / f"terjman_{language}.qm")):
            app.installTranslator(ours)
            _installed.append(ours)
        else:
            logger.warning("No translation file for %s in %s", language, translations_dir())
        qt_own = QTranslator(app)
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt_own.load(f"qtbase_{language}", qt_dir):
            app.installTranslator(qt_own)
            _installed.append(qt_own)
    app.setLayoutDirection(
        Qt.LayoutDirection.RightToLeft if language in RTL_LANGUAGES
        else Qt.LayoutDirection.LeftToRight
    )
    QLocale.setDefault(QLocale(LOCALES[language]))
    _current = language
    logger.info("Interface language: %s", language)
    return language
