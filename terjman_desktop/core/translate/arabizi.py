"""Darija typed in Latin letters ("Arabizi": ``wach nta mzyan?``) → Arabic script.

The Terjman models read Darija in Arabic script only, so Arabizi is converted before it is
translated. Each word is spelled letter by letter with the conventions DODa's Arabic column
follows (when the user has built a lexicon from their own DODa copy, see
``arabizi_lexicon.py``, the words it lists are taken from it instead):

* digits for the sounds Latin lacks: ``3`` ع, ``7`` ح, ``9`` ق, ``5`` خ, ``8`` ه, ``2`` ء
  (``2i`` inside a word إ: ``ra2is`` → راإس); digraphs ``ch``/``sh`` ش, ``kh`` خ, ``gh``
  غ, ``ou`` و (``th`` and ``dj`` are two letters in Darija: ``kathdr``); ``x`` ش as in
  Moroccan texting (``xno``, ``xhal``); ``g`` ڭ, ``v`` ڤ, ``p`` پ;
* a capital inside a word is an emphatic: ``S`` ص, ``D`` ض, ``T`` ط (DODa's own habit);
* long vowels written: ``a`` ا, ``i`` ي, ``o``/``u`` و, ``ee`` ي; ``e`` (a short vowel) not
  written; a vowel starting a word on its seat (``a``/``o`` أ, ``i``/``e`` إ, ``ou`` و
  alone: ``oula`` → ولا, ``ewa`` → إوا);
* a doubled consonant is written once with a shadda (``bzzaf`` → بزّاف), and a word that
  starts with a doubled sun letter (or ج, م, ب, پ, as Darija says them) has the article
  (``zzit`` → الزيت, ``lli`` → اللي, ``jjou3`` → الجوع); ``iyya``/``owwa`` at a word's end
  keep their vowel letter (``hiyya`` → هييّا).

Each of these was measured on DODa's train and dev splits, never on its test split.

Everything that is not a Latin word (Arabic script, numbers, punctuation, emoji, spacing, web
and e-mail addresses, @handles and #tags) is kept as it is, so a line keeps its layout and
mixed text keeps its Arabic parts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from terjman_desktop.core.translate.arabizi_lexicon import lexicon_table

# A Latin word, digits inside it included (3afak, l9hwa, 7na); apostrophes join (l'3id).
_WORD = re.compile(r"[A-Za-z0-9\u00c0-\u024f]+(?:['’][A-Za-z0-9\u00c0-\u024f]+)*")
_HAS_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
SHADDA = "\u0651"

# fmt: off
# Longest first; each unit's Arabic spelling when it is a consonant.
_DIGRAPHS: dict[str, str] = {
    "ch": "ش", "sh": "ش", "kh": "خ", "gh": "غ", "ph": "ف",
}
_CONSONANTS: dict[str, str] = {
    "b": "ب", "c": "ك", "d": "د", "f": "ف", "g": "ڭ", "h": "ه", "j": "ج", "k": "ك",
    "l": "ل", "m": "م", "n": "ن", "p": "پ", "q": "ق", "r": "ر", "s": "س", "t": "ت",
    "v": "ڤ", "w": "و", "x": "ش", "y": "ي", "z": "ز",
    "2": "ء", "3": "ع", "5": "خ", "7": "ح", "8": "ه", "9": "ق", "4": "ڭ", "6": "ط",
}
# DODa's writers use capitals for the emphatics, and only for them.
_EMPHATICS: dict[str, str] = {"S": "ص", "D": "ض", "T": "ط"}
_SUN = frozenset("تدذرزسشصضطظلن")
# Letters that, typed doubled at a word's start, are the article assimilated: the sun
# letters and, as Darija says it, ج (jjou3 → الجوع; DODa train split: 59 of 64 words).
_ARTICLE_DOUBLED = _SUN | frozenset("جمبپ")
# fmt: on


def arabizi_to_arabic(text: str, *, lexicon: bool | Mapping[str, str] = True) -> str:
    """Every Latin-letter word of ``text`` in Arabic script; everything else as it is.

    ``lexicon=True`` uses the lexicon the user built (``arabizi_lexicon.tsv`` in
    :func:`~terjman_desktop.core.translate.arabizi_lexicon.tables_dir`) when there is one,
    else the letter rules alone; ``False`` the rules alone; a mapping (keys as
    :func:`lexicon_key` gives them) that table.

    Examples:
        >>> arabizi_to_arabic("wach nta mzyan?")
        'واش نتا مزيان?'
    """
    if lexicon is True:
        table = lexicon_table() if _HAS_LETTER.search(text) else {}
    else:
        table = lexicon or {}
    out: list[str] = []
    done = 0
    for match in _TOKEN.finditer(text):
        between = text[done : match.start()]
        if match.lastgroup == "keep":  # a web address, an e-mail, @handle or #tag
            out += [between, match.group()]
            done = match.end()
            continue
        # A sentence starts at the text's start or after . ! ? or a line break, whatever
        # spaces, quotes or brackets come between (only the text since the last word counts).
        if done == 0:
            sentence_start = not between.strip(_OPENERS)
        else:
            sentence_start = any(c in _SENTENCE_ENDS for c in between)
        out += [between, _convert_word(match.group(), table, sentence_start)]
        done = match.end()
    out.append(text[done:])
    return "".join(out)


# Kept as typed: web addresses, e-mail addresses, @handles and #tags.
_PROTECTED = r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|[@#]\w+"
_TOKEN = re.compile(f"(?P<keep>{_PROTECTED})|(?P<word>{_WORD.pattern})")
_OPENERS = " \t\r\n\"'«“‘(-–—¿¡"
_SENTENCE_ENDS = frozenset(".!?؟\n…")


def _convert_word(word: str, table: Mapping[str, str], sentence_start: bool) -> str:
    if not _HAS_LETTER.search(word):
        return word  # a number: 2024, 10, 3
    known = table.get(lexicon_key(word)) if table else None
    if known is not None:
        return known
    return spell_arabizi(word, sentence_start=sentence_start)


def lexicon_key(word: str) -> str:
    """How a word is looked up: lower case, no accents, one kind of apostrophe."""
    return _fold(word.replace("’", "'").lower())


def _fold(text: str) -> str:
    """Without accents (é → e, ç → c, İ → I): the letters Arabizi spells with."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _units(word: str) -> list[str]:
    """The word cut into sound units, digraphs first; case kept for the emphatics."""
    units: list[str] = []
    i = 0
    while i < len(word):
        pair = word[i : i + 2].lower()
        if pair in _DIGRAPHS or pair == "ou":
            units.append(pair)
            i += 2
            continue
        char = word[i]
        units.append(char if char in _EMPHATICS else char.lower())
        i += 1
    return units


def spell_arabizi(word: str, sentence_start: bool = False) -> str:
    """The letter-by-letter spelling of one Arabizi word (no lexicon).

    A capital S, D or T is an emphatic (ص ض ط), as DODa's writers use capitals, unless the
    whole word is in capitals or the word starts a sentence (where a phone puts a capital).
    """
    word = _fold(word)
    capitalized = word[:1].isupper() and not any(c.isupper() for c in word[1:])
    if (len(word) > 1 and word.isupper()) or (sentence_start and capitalized):
        word = word.lower()
    units = [u for u in _units(word) if u not in ("'", "’")]
    out: list[str] = []
    start = 0
    # lli, zzit, chchms: a doubled sun letter at the start is the article.
    if len(units) > 2 and units[0] == units[1] and _consonant(units[0]) in _ARTICLE_DOUBLED:
        out += ["ال", _consonant(units[0])]
        start = 2
    i = start
    while i < len(units):
        unit = units[i]
        if unit == "2":
            hamza, i = _hamza(units, i, out)
            out.append(hamza)
        elif unit in _VOWELS:
            out.append(_vowel(units, i, initial=i == 0))
        elif i > 0 and units[i - 1] == unit and out:
            out.append(SHADDA)  # bzzaf → بزّاف
        else:
            out.append(_consonant(unit))
        i += 1
    return "".join(out)


_VOWELS = frozenset(("a", "e", "i", "o", "u", "ou"))
_INITIAL_VOWELS = {"a": "أ", "e": "إ", "i": "إ", "o": "أ", "u": "أ", "ou": "و"}
_LONG_VOWELS = {"a": "ا", "e": "", "i": "ي", "o": "و", "u": "و", "ou": "و"}


def _vowel(units: list[str], i: int, initial: bool) -> str:
    """A vowel: a seat alif at the start, else its long vowel letter (``e`` none)."""
    unit = units[i]
    if initial:
        return _INITIAL_VOWELS[unit]
    previous = units[i - 1]
    following = units[i + 1] if i + 1 < len(units) else ""
    if unit == "e" and previous == "e":
        return "ي"  # ee, as in English loanwords: weekend → ويكند (train: 33 of 33)
    if previous == unit or (previous in ("o", "u", "ou") and unit in ("o", "u", "ou")):
        return ""  # aa, ii, oo: one long vowel
    if unit == "i" and previous == "y" and i >= 2 and units[i - 2] == "i":
        return ""  # iyi: the y carries the second i (fiyin → فيين)
    if unit != "a" and following in ("y", "w") and units[i + 2 : i + 3] == [following]:
        # iyy, oww: the doubled semivowel carries the vowel (tmiyyez → تميّز), except
        # before a final a, where DODa's writers keep both (hiyya → هييّا; train: 113 of 119).
        return _LONG_VOWELS[unit] if units[i + 3 :] == ["a"] else ""
    return _LONG_VOWELS[unit]


def _hamza(units: list[str], i: int, out: list[str]) -> tuple[str, int]:
    """``2``, the glottal stop, on the seat its vowels call for; the index it ends at."""
    following = units[i + 1] if i + 1 < len(units) else ""
    previous = units[i - 1] if i > 0 else ""
    if i == 0 or following in ("a", "o", "ou", "u"):
        return "أ", i + (following == "a")  # 2a is one letter: s2al → سأل
    if following == "i" and i > 0:
        return "إ", i + 1  # ra2is → راإس, as DODa's writers seat it (train: 160 of 261)
    if following in ("i", "e"):
        return "ئ", i
    if not following and previous == "a" and out and out[-1] == "ا":
        out.pop()  # khta2 → خطأ
        return "أ", i
    return "ء", i


def _consonant(unit: str) -> str:
    if unit in _EMPHATICS:
        return _EMPHATICS[unit]
    if unit in _DIGRAPHS:
        return _DIGRAPHS[unit]
    return _CONSONANTS.get(unit, unit)
