"""Darija typed in Latin letters ("Arabizi": ``wach nta mzyan?``) → Arabic script.

The Terjman models read Darija in Arabic script only, so Arabizi is converted before it is
translated. Each word is looked up in a lexicon of the spellings people use (built from the
training part of the Darija Open Dataset, see ``arabizi_lexicon.py``); a word it does not
know is spelled letter by letter with the conventions DODa's Arabic column follows:

* digits for the sounds Latin lacks: ``3`` ع, ``7`` ح, ``9`` ق, ``5`` خ, ``8`` ه, ``2`` ء;
  digraphs ``ch``/``sh`` ش, ``kh`` خ, ``gh`` غ, ``ou`` و; ``g`` ڭ, ``v`` ڤ, ``p`` پ;
* a capital inside a word is an emphatic: ``S`` ص, ``D`` ض, ``T`` ط (DODa's own habit);
* long vowels written: ``a`` ا, ``i`` ي, ``o``/``u`` و; ``e`` (a short vowel) not written;
* a doubled consonant is written once with a shadda (``bzzaf`` → بزّاف), and a word that
  starts with a doubled sun letter has the article (``zzit`` → الزيت, ``lli`` → اللي).

Everything that is not a Latin word (Arabic script, numbers, punctuation, emoji, spacing) is
kept as it is, so a line keeps its layout and mixed text keeps its Arabic parts.
"""

from __future__ import annotations

import re

from terjman_desktop.core.translate.arabizi_lexicon import lexicon_lookup

# A Latin word, digits inside it included (3afak, l9hwa, 7na); apostrophes join (l'3id).
_WORD = re.compile(r"[A-Za-z0-9\u00c0-\u024f]+(?:['’][A-Za-z0-9\u00c0-\u024f]+)*")
_HAS_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
SHADDA = "\u0651"

# fmt: off
# Longest first; each unit's Arabic spelling when it is a consonant.
_DIGRAPHS: dict[str, str] = {
    "ch": "ش", "sh": "ش", "kh": "خ", "gh": "غ", "dj": "ج", "ph": "ف", "th": "ت",
}
_CONSONANTS: dict[str, str] = {
    "b": "ب", "c": "ك", "d": "د", "f": "ف", "g": "ڭ", "h": "ه", "j": "ج", "k": "ك",
    "l": "ل", "m": "م", "n": "ن", "p": "پ", "q": "ق", "r": "ر", "s": "س", "t": "ت",
    "v": "ڤ", "w": "و", "x": "كس", "y": "ي", "z": "ز",
    "2": "ء", "3": "ع", "5": "خ", "7": "ح", "8": "ه", "9": "ق", "4": "ڭ", "6": "ط",
}
# A capital inside a word: DODa writes the emphatics S, D, T (and sometimes H, Z) so.
_EMPHATICS: dict[str, str] = {"S": "ص", "D": "ض", "T": "ط", "Z": "ظ", "H": "ح"}
_SUN = frozenset("تدذرزسشصضطظلن")
# fmt: on
_ACCENTS = str.maketrans("àâäáéèêëíìîïóòôöúùûüç", "aaaaeeeeiiiioooouuuuc")


def arabizi_to_arabic(text: str, *, lexicon: bool = True) -> str:
    """Every Latin-letter word of ``text`` in Arabic script; everything else as it is.

    ``lexicon=False`` spells every word by the letter rules alone (for comparison).

    Examples:
        >>> arabizi_to_arabic("wach nta mzyan?")
        'واش نتا مزيان?'
    """
    return _WORD.sub(lambda m: _convert_word(m.group(), lexicon), text)


def _convert_word(word: str, lexicon: bool) -> str:
    if not _HAS_LETTER.search(word):
        return word  # a number: 2024, 10, 3
    known = lexicon_lookup(lexicon_key(word)) if lexicon else None
    if known is not None:
        return known
    return spell_arabizi(word)


def lexicon_key(word: str) -> str:
    """How a word is looked up: lower case, no accents, one kind of apostrophe."""
    return word.replace("’", "'").lower().translate(_ACCENTS)


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
        units.append(char if char in _EMPHATICS and i > 0 else char.lower().translate(_ACCENTS))
        i += 1
    return units


def spell_arabizi(word: str) -> str:
    """The letter-by-letter spelling of one Arabizi word (no lexicon)."""
    if word.isupper() or word.istitle():
        word = word.lower()  # SALAM, Salam: capitals of emphasis, not emphatics
    units = [u for u in _units(word) if u not in ("'", "’")]
    out: list[str] = []
    i = 0
    # lli, zzit, chchms: a doubled sun letter at the start is the article.
    if len(units) > 2 and units[0] == units[1] and _consonant(units[0]) in _SUN:
        out.append("ال")
        out.append(_consonant(units[0]))
        i = 2
    while i < len(units):
        unit = units[i]
        previous = units[i - 1] if i > 0 else ""
        following = units[i + 1] if i + 1 < len(units) else ""
        if unit in ("a", "aa"):
            out.append("ا" if i == 0 or previous != unit else "")
        elif unit == "e":
            out.append("ا" if i == 0 else "")
        elif unit == "i":
            if i == 0:
                out.append("ا")  # ila → الا
            elif previous != "i":
                out.append("ي")
        elif unit in ("o", "u", "ou"):
            if i == 0:
                out.append("او" if following else "و")
            elif previous not in ("o", "u", "ou"):
                out.append("و")
        elif unit == "'":
            pass
        else:
            arabic = _consonant(unit)
            if previous == unit and out:
                out.append(SHADDA)  # bzzaf → بزّاف
            else:
                out.append(arabic)
        i += 1
    return "".join(out)


def _consonant(unit: str) -> str:
    if unit in _EMPHATICS:
        return _EMPHATICS[unit]
    if unit in _DIGRAPHS:
        return _DIGRAPHS[unit]
    return _CONSONANTS.get(unit, unit)
