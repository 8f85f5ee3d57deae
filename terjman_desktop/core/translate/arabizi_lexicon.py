"""The Arabizi lexicon: how words people type in Latin letters are written in Arabic script.

``arabizi_lexicon.tsv`` (package data) holds one ``latin<TAB>arabic`` pair a line, after a
few ``#`` comment lines. It is derived from the training part of the Darija Open Dataset
(DODa, © aissam & hamza, CC BY-NC 4.0): for each Latin spelling seen there, the Arabic
spelling it most often stands for, kept only where the letter rules of ``arabizi.py`` would
spell it differently (the rules already get the rest right), so the file stays small.
``python -m benchmarks.arabizi_build`` rebuilds it from a DODa copy. Because it is derived
from DODa, the file is under CC BY-NC 4.0 (see its header), like the Terjman models.

The file is read once, on the first lookup — never at import.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

LEXICON_FILE = "arabizi_lexicon.tsv"


@cache
def load_lexicon() -> dict[str, str]:
    """The packaged lexicon (``{}`` when the file is missing from a stripped install)."""
    try:
        text = (resources.files(__package__ or __name__) / LEXICON_FILE).read_text("utf-8")
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
    return load_lexicon().get(key)
