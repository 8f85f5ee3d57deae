"""Optional word tables for transliteration, built by the user from their own DODa copy.

The letter rules (``arabizi.py``, ``transliterate.py``) need no data. Two tables can sharpen
them; the app does not ship them, because they would be derived from the Darija Open Dataset
(DODa, CC BY-NC 4.0) and the app is Apache-2.0. Whoever has a DODa copy builds them locally
(``python -m benchmarks.arabizi_build --doda DODA_DIR``, from a checkout) into the app's data
folder, :func:`tables_dir` (``<data>/arabizi``):

* ``arabizi_lexicon.tsv``, ``latin<TAB>arabic``: how a word typed in Latin letters is written
  in Arabic script (for :func:`~terjman_desktop.core.translate.arabizi.arabizi_to_arabic`);
* ``arabizi_pronunciation.tsv``, ``arabic<TAB>latin``: the Latin spelling people most often
  give an Arabic-script word (for the reading aid,
  :func:`~terjman_desktop.core.translate.transliterate.to_arabizi`).

A missing table means rules only, with no error; an unreadable one is logged and treated as
missing, so a broken file never stops a translation. A table is read on the first conversion
that needs it (never at import) and read again only when the file changes.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from terjman_desktop.core.paths import data_dir

LEXICON_FILE = "arabizi_lexicon.tsv"
PRONUNCIATION_FILE = "arabizi_pronunciation.tsv"
TABLES_FOLDER = "arabizi"

_log = logging.getLogger(__name__)
# One word a side: no spaces, controls, or invisible format characters, which would break
# "one line in, one line out" or hide text.
_BAD_CHARACTER = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_EMPTY: Mapping[str, str] = {}


def tables_dir() -> Path:
    """The folder the optional tables are read from: ``<data folder>/arabizi``."""
    return data_dir() / TABLES_FOLDER


def lexicon_table() -> Mapping[str, str]:
    """The user's Arabizi → Arabic-script lexicon (empty when none was built)."""
    return load_table(tables_dir() / LEXICON_FILE)


def pronunciation_table() -> Mapping[str, str]:
    """The user's Arabic-script → Latin pronunciation table (empty when none was built)."""
    return load_table(tables_dir() / PRONUNCIATION_FILE)


def load_table(path: Path) -> Mapping[str, str]:
    """The table in ``path``, or an empty one when the file is missing or unreadable.

    Cached by the file's size and modification time, so a rebuilt table is picked up
    without restarting and an unchanged one costs one ``stat``.
    """
    try:
        stat = path.stat()
    except OSError:  # missing (the usual case), or a folder we may not look into
        return _EMPTY
    return _read_table(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _read_table(path: str, mtime_ns: int, size: int) -> Mapping[str, str]:
    del mtime_ns, size  # only part of the cache key
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        _log.warning("Transliteration table %s cannot be read (%s): rules only.", path, error)
        return _EMPTY
    return parse_lexicon(text)


def parse_lexicon(text: str) -> dict[str, str]:
    """``key<TAB>value`` lines as a dict; ``#`` comments, blank and malformed lines skipped.

    A line whose key or value is empty or holds a space, a control or an invisible format
    character is skipped: a table entry replaces one word with one word, nothing else.
    """
    entries: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, _, value = line.partition("\t")
        value = value.strip()
        if key and value and not _BAD_CHARACTER.search(key + value):
            entries[key] = value
    return entries
