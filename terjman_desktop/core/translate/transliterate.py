"""Darija in Arabic script → Latin script ("Arabizi"), as learners and DODa write it.

A reading aid, rule-based and deterministic, shown under Darija output. The conventions are
those of the Darija Open Dataset's Latin column, derived from its 11,407 sentence pairs:

* digits for sounds Latin lacks: ``3`` ع, ``7`` ح, ``9`` ق, ``2`` a glottal stop (ء, and
  أ/إ/ئ/ؤ inside a word); digraphs ``ch`` ش, ``kh`` خ, ``gh`` غ; ``g`` ڭ/گ, ``v`` ڤ, ``p`` پ;
* emphatics written like their plain letters: ``t`` ط/ت, ``d`` ض/د/ذ/ظ (Darija says ظ like
  ض), ``s`` ص/س, ``z`` ز;
* long vowels as written: ``a`` ا/ى/ة (and word-initial أ/آ), ``i`` or ``y`` ي, ``o`` or ``w``
  و — the semivowel (``y``/``w``) at the start of a word, next to a vowel, or doubled;
  ``أُ`` (and), ``o``; a lone و (and), ``ou``; الله, ``allah``;
* the article ال: ``l`` before moon letters, and before sun letters the letter doubled
  with no ``l`` (الشمس → ``chchms``, الزبيب → ``zzbib``), as Darija is spoken;
* shadda doubles its letter (``ّ``); harakat become short vowels (fatha ``a``, kasra ``i``,
  damma ``o``, sukun nothing).

Short vowels are not written in Arabic script, so the rules cannot recover them; a doubled
consonant before a word's last consonant takes the ``e`` DODa's writers give it (تسبّق →
``tsbbe9``). On DODa's held-out test split (``benchmarks/arabizi.py``) the character error
rate against its Latin column is 5.1% on sentences, 8.9% on short phrases and 10.0% on word
lists (lower-cased; the closest of a word's spellings). Most of what is left are those
unwritten vowels, and DODa's own inconsistencies (``dyal``/``dial``; ``8`` for ه in its
short phrases and word lists, ``h`` in its sentences). A pronunciation table the user builds
from their own DODa copy (``arabizi_lexicon``; not shipped, DODa being CC BY-NC) gives a
word written without vowel marks the Latin spelling DODa's sentences most often have for it
(ملّي → ``melli`` rather than ``mlli``): sentences 5.1% → 4.5%.

Everything that is not Arabic script (Latin, digits, punctuation, emoji) is kept as it is;
Arabic punctuation ، ؛ ؟ becomes , ; ? and Arabic-Indic digits become ASCII digits. The
output is lower case.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from terjman_desktop.core.translate.arabizi_lexicon import pronunciation_table

# fmt: off
_CONSONANTS: dict[str, str] = {
    "ب": "b", "ت": "t", "ث": "t", "ج": "j", "ح": "7", "خ": "kh", "د": "d", "ذ": "d",
    "ر": "r", "ز": "z", "س": "s", "ش": "ch", "ص": "s", "ض": "d", "ط": "t", "ظ": "d",
    "ع": "3", "غ": "gh", "ف": "f", "ق": "9", "ك": "k", "ل": "l", "م": "m", "ن": "n",
    "ه": "h", "ء": "2",
    # Letters Moroccan writing borrows from Persian and Maghrebi usage.
    "ڭ": "g", "گ": "g", "ݣ": "g", "ڨ": "g", "ڤ": "v", "ۋ": "v", "پ": "p", "چ": "ch",
    "ژ": "j", "ک": "k", "ی": "i",
}
_SUN_LETTERS = frozenset("تثدذرزسشصضطظلن")
_VOWEL_LETTERS = frozenset("اوىيةآأإ")
_HARAKAT: dict[str, str] = {
    "\u064e": "a", "\u0650": "i", "\u064f": "o", "\u0652": "",  # fatha, kasra, damma, sukun
    "\u064b": "an", "\u064d": "in", "\u064c": "on",  # tanween
    "\u0670": "a",  # superscript alef
}
_SHADDA = "\u0651"
_TATWEEL = "\u0640"
_PUNCTUATION = str.maketrans({
    "،": ",", "؛": ";", "؟": "?", "٪": "%", "٫": ".", "٬": ",", "۔": ".",
    **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + i): str(i) for i in range(10)},  # Extended (Persian) digits
    "\u061c": "", "\u200f": "", _TATWEEL: "",  # Arabic letter mark, RLM, kashida
})
# fmt: on
_LETTERS = "".join(_CONSONANTS) + "اوىيةآأإؤئ"
_WORD = re.compile(f"[{_LETTERS}{''.join(_HARAKAT)}{_SHADDA}{_TATWEEL}]+")
_WHOLE_WORDS = {"الله": "allah", "و": "ou", "أُ": "o", "اُ": "o"}


def to_arabizi(text: str, *, pronunciation: bool | Mapping[str, str] = True) -> str:
    """Transliterate Arabic-script Darija in ``text`` to Latin script; keep everything else.

    With ``pronunciation=True`` (the default) and a pronunciation table the user built from
    their own DODa copy (``arabizi_lexicon``), a word written without vowel marks that the
    table lists takes the Latin spelling it gives (unwritten vowels: ملّي → ``melli``);
    without a table, or with ``pronunciation=False``, the rules alone; a mapping (Arabic
    word without marks → Latin) is used as the table.

    Examples:
        >>> to_arabizi("شحال ف لحانوت؟", pronunciation=False)
        'ch7al f l7anot?'
        >>> to_arabizi("الشمس", pronunciation=False)
        'chchms'
    """
    if pronunciation is True:
        table = pronunciation_table() if _WORD.search(text) else {}
    else:
        table = pronunciation or {}
    return _WORD.sub(lambda m: _word(m.group(), table), text).translate(_PUNCTUATION)


def _word(word: str, table: Mapping[str, str]) -> str:
    word = word.replace(_TATWEEL, "")
    if word in _WHOLE_WORDS:
        return _WHOLE_WORDS[word]
    if table and not any(c in _HARAKAT for c in word):  # marks say how to read it
        spoken = table.get(word.replace(_SHADDA, ""))
        if spoken is not None:
            return spoken
    if not any(c in _LETTERS for c in word):  # stray marks after a non-Arabic character
        return "".join(_HARAKAT.get(c, "") for c in word)
    # (letter, doubled, vowel mark) for each letter; marks attach to the letter before them.
    letters: list[list[str]] = []
    for char in word:
        if char == _SHADDA:
            if letters:
                letters[-1][1] = "1"
        elif char in _HARAKAT:
            if letters:
                letters[-1][2] += _HARAKAT[char]
        else:
            letters.append([char, "", ""])
    out: list[str] = []
    start = 0
    first = letters[0][0]
    if len(letters) > 3 and first == "ا" and letters[1][0] == "ل" and not letters[0][2]:
        start = 2
        following = letters[2][0]
        # The article takes the sound of a sun letter: الشمس → chchms.
        out.append(_CONSONANTS[following] if following in _SUN_LETTERS else "l")
    elif (
        len(letters) > 2
        and first in "اأ"
        and letters[1][0] == "و"
        and not letters[1][1]
        and letters[2][0] not in _VOWEL_LETTERS
    ):
        start = 2
        out.append("o")  # أولا → ola, أوه → oh
    for i in range(start, len(letters)):
        char, doubled, mark = letters[i]
        if mark and char in "اأإآ":
            # An alif carrying a vowel mark is that vowel (أُ → o), after a glottal stop
            # inside a word (سْأَل → s2al).
            out.append(mark if i == start or char == "ا" else "2" + mark)
            continue
        out.append(_letter(letters, i, i == start, bool(doubled)))
        out.append(mark)
        if _schwa_after(letters, i):
            out.append("e")
    return "".join(out)


def _plain_consonant(letter: list[str]) -> bool:
    """A consonant letter with no vowel mark (و and ي, semivowels, are not)."""
    return letter[0] in _CONSONANTS and not letter[2]


def _schwa_after(letters: list[list[str]], i: int) -> bool:
    """A doubled consonant before a word's last consonant takes an ``e``: تسبّق → tsbbe9.

    Measured on DODa's dev split (short phrases: CER 9.97% → 9.12%); the other places
    where DODa writes an unwritten ``e`` (before a doubled consonant, in a final cluster)
    made it worse, as often wrong as right.
    """
    letter, final = letters[i], letters[i + 1] if i + 2 == len(letters) else None
    return (
        final is not None
        and bool(letter[1])
        and _plain_consonant(letter)
        and _plain_consonant(final)
        and not final[1]
    )


def _letter(letters: list[list[str]], i: int, initial: bool, doubled: bool) -> str:
    char = letters[i][0]
    if char in _CONSONANTS:
        latin = _CONSONANTS[char]
        return latin * 2 if doubled else latin
    final = i == len(letters) - 1
    if char in "اى":
        return "a"
    if char == "ة":
        return "a" if final else "t"
    if char == "آ":
        return "a" if initial else "2a"
    if char == "أ":
        return "a" if initial else "2"
    if char == "إ":
        return "i" if initial else "2i"
    if char in "ؤئ":
        return "2"
    if char in "وي":
        return _semivowel(letters, i, initial, doubled)
    return char


def _semivowel(letters: list[list[str]], i: int, initial: bool, doubled: bool) -> str:
    """و and ي: a consonant (w, y) or a vowel (o, i), from the letters around them."""
    char = letters[i][0]
    consonant, vowel, other = ("w", "o", "ي") if char == "و" else ("y", "i", "و")
    previous = letters[i - 1][0] if i > 0 else ""
    following = letters[i + 1][0] if i + 1 < len(letters) else ""
    following_final = i + 2 == len(letters)
    if doubled:
        return consonant * 2
    if initial:
        return consonant
    if char == "ي" and previous == "ي" and not letters[i - 1][1] and following in _CONSONANTS:
        return "yi"  # مسبيين → msbiyin: the second ي is a y with its vowel
    if char == "و" and not following and previous == "ي":
        return consonant  # نمشيو → nmchiw
    if char == "ي" and following in ("و", "ا") and following_final and previous in _CONSONANTS:
        return vowel  # نمشيو → nmchiw, ليا → lia
    if (previous and previous in "اآأى") or (following and following in "اآأى" + other):
        return consonant  # ديال → dyal, زوين → zwin, ليوم → lyom
    return vowel
