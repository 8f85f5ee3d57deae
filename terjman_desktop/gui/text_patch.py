"""Replaces what changed in a text view, and only that, so a new translation does not flicker.

``setPlainText`` rebuilds the whole document: the view jumps to the top, the caret and a
selection are lost. A refined translation usually differs from its draft in a few sentences,
so :func:`patch_text` edits just the changed stretch of each line (the common start and end
of the old and new line are left alone) in one edit block, and puts the scroll bars back
where they were. The caret and a selection outside the changed stretches stay on the same
text, since Qt moves every cursor of a document along with an edit.
"""

from __future__ import annotations

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

Edit = tuple[int, int, str]  # start and end in the old text, and what replaces them


# Qt counts positions in UTF-16 units, Python in code points: a character outside the Basic
# Multilingual Plane (an emoji, 𝑥) is two units for Qt and one for Python, so every offset
# after it must be converted, or edits and highlights land one place off.


def qt_position(text: str, index: int) -> int:
    """The Qt (UTF-16) position of the Python index ``index`` of ``text``."""
    return index + sum(1 for c in text[:index] if ord(c) > 0xFFFF)


def python_index(text: str, position: int) -> int:
    """The Python index of the Qt (UTF-16) position ``position`` of ``text``."""
    units = 0
    for index, c in enumerate(text):
        if units >= position:
            return index
        units += 2 if ord(c) > 0xFFFF else 1
    return len(text)


def _common_ends(old: str, new: str) -> tuple[int, int]:
    """Lengths of the common start and of the common end (not overlapping the start)."""
    limit = min(len(old), len(new))
    start = 0
    while start < limit and old[start] == new[start]:
        start += 1
    end = 0
    while end < limit - start and old[-1 - end] == new[-1 - end]:
        end += 1
    return start, end


def changed_ranges(old: str, new: str) -> list[Edit]:
    """The edits, in text order, that turn ``old`` into ``new``.

    With the same number of lines, each changed line gets one edit of its changed stretch;
    otherwise the whole text gets one.
    """
    if old == new:
        return []
    old_lines, new_lines = old.split("\n"), new.split("\n")
    if len(old_lines) != len(new_lines):
        start, end = _common_ends(old, new)
        return [(start, len(old) - end, new[start:len(new) - end])]
    edits: list[Edit] = []
    offset = 0
    for before, after in zip(old_lines, new_lines, strict=True):
        if before != after:
            start, end = _common_ends(before, after)
            edits.append((offset + start, offset + len(before) - end,
                          after[start:len(after) - end]))
        offset += len(before) + 1
    return edits


def patch_text(view: QTextEdit | QPlainTextEdit, new: str) -> None:
    """Make ``view`` show ``new`` by editing only what changed, keeping its scroll position."""
    old = view.toPlainText()
    edits = changed_ranges(old, new)
    if not edits:
        return
    if not old:
        view.setPlainText(new)
        return
    bars = (view.horizontalScrollBar(), view.verticalScrollBar())
    scrolled = [bar.value() for bar in bars]
    cursor = QTextCursor(view.document())
    cursor.beginEditBlock()
    for start, end, text in reversed(edits):  # from the end: earlier offsets stay valid
        cursor.setPosition(qt_position(old, start))
        cursor.setPosition(qt_position(old, end), QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(text)
    cursor.endEditBlock()
    for bar, value in zip(bars, scrolled, strict=True):
        bar.setValue(value)
