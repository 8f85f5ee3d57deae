"""The languages the app knows: codes, names, scripts, writing direction, model tokens.

One home for what was spread over the settings, the document formats, the Hub install and
the GUI. Codes are ISO 639 (``en``, ``ary`` for Moroccan Arabic, ``ar`` for Arabic); NLLB
names a language with a FLORES-200 code (``ary_Arab``). Nothing here knows about Qt: the GUI
translates :attr:`Language.name` for display.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    """One language as the app uses it."""

    code: str  # ISO 639: "en", "ary", "ar"
    name: str  # in English: "Darija"
    script: str  # ISO 15924: "Latn", "Arab"
    nllb_code: str  # FLORES-200, what NLLB models take as a language token
    # Tags that may already end a file's name for this language (lesson.en.srt).
    file_tags: tuple[str, ...] = ()

    @property
    def right_to_left(self) -> bool:
        return self.script in _RTL_SCRIPTS


_RTL_SCRIPTS = frozenset({"Arab", "Hebr"})

ENGLISH = Language("en", "English", "Latn", "eng_Latn", ("en", "eng"))
DARIJA = Language("ary", "Darija", "Arab", "ary_Arab", ("ary",))
ARABIC = Language("ar", "Arabic", "Arab", "arb_Arab", ("ar", "ara"))
FRENCH = Language("fr", "French", "Latn", "fra_Latn", ("fr", "fra", "fre"))

LANGUAGES: dict[str, Language] = {lang.code: lang for lang in (ENGLISH, DARIJA, ARABIC, FRENCH)}
# The languages a person translates between in the app, and its two directions.
APP_LANGUAGES: tuple[str, ...] = (ENGLISH.code, DARIJA.code)
APP_DIRECTIONS: tuple[tuple[str, str], ...] = ((ENGLISH.code, DARIJA.code),
                                               (DARIJA.code, ENGLISH.code))
# What NLLB models are told for the app's languages.
NLLB_LANGUAGE_TOKENS: dict[str, str] = {code: LANGUAGES[code].nllb_code for code in APP_LANGUAGES}
FILE_NAME_TAGS: frozenset[str] = frozenset(tag for lang in LANGUAGES.values()
                                           for tag in lang.file_tags)


def is_right_to_left(code: str) -> bool:
    """Whether text in the language ``code`` is written right to left (unknown codes: no)."""
    language = LANGUAGES.get(code)
    return language is not None and language.right_to_left


def language_name(code: str) -> str:
    """The English name of ``code``, or the code itself when the app does not know it."""
    language = LANGUAGES.get(code)
    return language.name if language is not None else code
