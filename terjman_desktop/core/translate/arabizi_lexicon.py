"""Two word tables for transliteration, both ways, read from package data.

* ``arabizi_lexicon.tsv``, ``latin<TAB>arabic``: how a word typed in Latin letters is written
  in Arabic script (for :func:`~terjman_desktop.core.translate.arabizi.arabizi_to_arabic`);
* ``arabizi_pronunciation.tsv``, ``arabic<TAB>latin``: the Latin spelling people most often
  give an Arabic-script word (for the reading aid,
  :func:`~terjman_desktop.core.translate.transliterate.to_arabizi`).

Both are derived from the training and development parts of the Darija Open Dataset (DODa,
© aissam & hamza, CC BY-NC 4.0), never from its held-out test part: for each word, the
spelling it most often has there, kept only where the letter rules would spell it
differently (the rules already get the rest right) and seen often enough, so the files stay
small. ``python -m benchmarks.arabizi_build`` rebuilds them from a DODa copy. Being derived
from DODa, the files are under CC BY-NC 4.0 (see their headers), like the Terjman models.

A file is read once, on its first lookup — never at import.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

LEXICON_FILE = "arabizi_lexicon.tsv"
PRONUNCIATION_FILE = "arabizi_pronunciation.tsv"


@cache
def load_table(name: str) -> dict[str, str]:
    """A packaged table (``{}`` when the file is missing from a stripped install)."""
    try:
        text = (resources.files(__package__ or __name__) / name).read_text("utf-8")
    except (FileNotFoundError, OSError):
        return {}
    return parse_lexicon(text)


def parse_lexicon(text: str) -> dict[str, str]:
    """``latin<TAB>arabic`` lines (``#`` comments and blank lines skipped) as a dict."""
    entries: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        latin, _, arabic = line.partition("\t")
        if latin and arabic:
            entries[latin] = arabic.strip()
    return entries


def lexicon_lookup(key: str) -> str | None:
    """The Arabic spelling of one lower-cased Latin word, or ``None`` when it is not listed."""
    return load_table(LEXICON_FILE).get(key)


def pronunciation_lookup(arabic: str) -> str | None:
    """The usual Latin spelling of one Arabic-script word (no marks), or ``None``."""
    return load_table(PRONUNCIATION_FILE).get(arabic)
