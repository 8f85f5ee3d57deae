"""Text normalization for parallel data: Unicode NFC, invisible characters, Arabic script.

Darija is written in Arabic script with a lot of variation: the same word appears with and
without hamza on the alef, with ``ة`` or ``ه`` at the end, with ``ى`` or ``ي``, stretched with
tatweel, with or without short-vowel marks, and typed on Persian or Urdu keyboards (``ی``,
``ک``). Every rule below is a switch, because each one changes what the model learns to write:
unifying alef variants helps a small corpus but makes the model drop hamzas that readers
expect, so the defaults only remove what no reader misses (tatweel, diacritics, keyboard
variants, invisible characters).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from trainer.config import option

# Zero-width and bidirectional controls: pasted from the web, invisible, and they split words.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00ad]")
_SPACES = re.compile(r"\s+")
_ALEF = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا"})
_KEYBOARD = str.maketrans({"ی": "ي", "ې": "ي", "ک": "ك", "ڪ": "ك", "ہ": "ه", "ە": "ه"})
_EASTERN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Harakat, tanwin, shadda, sukun, dagger alef and Quranic marks.
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u08d3-\u08ff]")
_TATWEEL = "\u0640"

ARABIC_RANGES = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF),
                 (0xFE70, 0xFEFF))


@dataclass
class ArabicNormalization:
    """Which Arabic-script rules to apply (they leave Latin text untouched)."""

    alef: bool = option(False, "unify أ إ آ ٱ into ا (helps tiny corpora; drops hamzas)")
    taa_marbuta: bool = option(False, "write final ة as ه (the two are mixed in Darija)")
    alef_maqsura: bool = option(False, "write ى as ي")
    keyboard_variants: bool = option(True, "Persian/Urdu keyboard letters ی ک ہ → ي ك ه")
    tatweel: bool = option(True, "remove tatweel (ـ), a purely visual stretch")
    diacritics: bool = option(True, "remove short vowels, tanwin, shadda and sukun")
    western_digits: bool = option(False, "write Arabic-Indic digits ٠-٩ as 0-9")


def normalize_text(text: str, arabic: ArabicNormalization | None = None) -> str:
    """NFC, no invisible characters, single spaces, then the chosen Arabic rules."""
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    if arabic is not None:
        if arabic.keyboard_variants:
            text = text.translate(_KEYBOARD)
        if arabic.tatweel:
            text = text.replace(_TATWEEL, "")
        if arabic.diacritics:
            text = _DIACRITICS.sub("", text)
        if arabic.alef:
            text = text.translate(_ALEF)
        if arabic.taa_marbuta:
            text = re.sub(r"ة\b", "ه", text)
        if arabic.alef_maqsura:
            text = text.replace("ى", "ي")
        if arabic.western_digits:
            text = text.translate(_EASTERN_DIGITS)
    return _SPACES.sub(" ", text).strip()


def _is_arabic(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in ARABIC_RANGES)


def script_counts(text: str) -> tuple[int, int, int]:
    """Letters in ``text``: (Arabic script, Latin script, total)."""
    arabic = latin = total = 0
    for char in text:
        if not unicodedata.category(char).startswith("L"):
            continue
        total += 1
        if _is_arabic(char):
            arabic += 1
        elif "LATIN" in unicodedata.name(char, ""):
            latin += 1
    return arabic, latin, total


def script_share(text: str, script: str) -> float | None:
    """Share of the letters of ``text`` written in ``script`` (None without letters)."""
    arabic, latin, total = script_counts(text)
    if total == 0:
        return None
    if script == "arabic":
        return arabic / total
    if script == "latin":
        return latin / total
    raise ValueError(f"Unknown script '{script}': use 'arabic' or 'latin'.")


_KEY_DROP = re.compile(r"[^\w]+")


def match_key(text: str) -> str:
    """A key under which near-identical sentences collide (case, punctuation, spacing).

    Used for duplicates and for the split leakage check, where "Hello!" and "hello" are
    the same sentence.
    """
    return _KEY_DROP.sub(" ", text.casefold()).strip()


_DIGITS = re.compile(r"\d+")
_STRICT = ArabicNormalization(alef=True, taa_marbuta=True, alef_maqsura=True,
                              western_digits=True)


def near_duplicate_key(text: str) -> str:
    """A looser key than :func:`match_key`: also digits and Arabic spelling variants.

    "I have 3 cats." and "i have 4 cats" collide, and so do Darija spellings that differ
    only in hamza, final ة/ه, ى/ي, tatweel or short vowels. Used to keep one source's
    version of a sentence when several corpora (or a corpus and its synthetic translations)
    hold it.
    """
    return _DIGITS.sub("0", match_key(normalize_text(text, _STRICT)))
