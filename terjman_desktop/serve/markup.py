"""``format=html``: translate the text between the tags, keep the tags as they are.

The markup is cut into tags (comments, declarations and the content of ``script``,
``style`` and ``code``-like elements included, untouched) and text. Each text run with
letters is translated — character references read first, special characters escaped again
after — and keeps its leading and trailing spaces, so ``<p>Hello <b>friend</b></p>`` comes
back with the same structure.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_RAW_ELEMENTS = ("script", "style", "code", "pre", "textarea")
_ATTRIBUTES = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""  # quoted values may hold ">"
_TOKEN = re.compile(
    r"<!--.*?-->"  # comments
    r"|<(?P<raw>" + "|".join(_RAW_ELEMENTS) + r")\b" + _ATTRIBUTES + r">.*?</(?P=raw)\s*>"
    r"|<[!?/]?[A-Za-z]" + _ATTRIBUTES + r">"  # tags, declarations
    r"|<![^>]*>",
    re.DOTALL | re.IGNORECASE,
)


@dataclass(frozen=True)
class Markup:
    """Markup cut into pieces; the pieces at :attr:`text_slots` are the texts to translate."""

    pieces: tuple[str, ...]
    text_slots: tuple[int, ...]

    @property
    def texts(self) -> list[str]:
        return [html.unescape(self.pieces[i]).strip() for i in self.text_slots]

    def rebuild(self, translations: list[str]) -> str:
        pieces = list(self.pieces)
        for slot, translated in zip(self.text_slots, translations, strict=True):
            original = pieces[slot]
            lead = original[: len(original) - len(original.lstrip())]
            trail = original[len(original.rstrip()) :]
            pieces[slot] = lead + html.escape(translated, quote=False) + trail
        return "".join(pieces)


def split_markup(markup: str) -> Markup:
    pieces: list[str] = []
    slots: list[int] = []
    position = 0
    for match in _TOKEN.finditer(markup):
        if match.start() > position:
            _add_text(markup[position : match.start()], pieces, slots)
        pieces.append(match.group(0))
        position = match.end()
    if position < len(markup):
        _add_text(markup[position:], pieces, slots)
    return Markup(tuple(pieces), tuple(slots))


def _add_text(text: str, pieces: list[str], slots: list[int]) -> None:
    if any(char.isalpha() for char in html.unescape(text)):
        slots.append(len(pieces))
    pieces.append(text)
