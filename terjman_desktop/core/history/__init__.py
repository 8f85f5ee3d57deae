"""The history wing: the translations a person made and the pairs they saved.

Public surface (the GUI and the CLI import only these names): :class:`History`,
:class:`Phrasebook`, their entries, and what a phrasebook import reports. Both objects share
one SQLite file (``database``); CSV and Anki exchange lives in ``exchange``.
"""

from terjman_desktop.core.history.entries import HistoryEntry, ImportReport, PhraseEntry
from terjman_desktop.core.history.history import History
from terjman_desktop.core.history.phrasebook import Phrasebook

__all__ = ["History", "HistoryEntry", "ImportReport", "PhraseEntry", "Phrasebook"]
