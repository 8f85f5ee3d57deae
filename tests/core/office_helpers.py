"""What the office-format tests (.docx, .pptx, .odt) share: the registry's translation step
and the script checks on what comes back."""

from __future__ import annotations

from terjman_desktop.core.documents.prepared import Prepared
from terjman_desktop.core.translate import Direction, TranslationOptions, Translator

EN_ARY = Direction("en", "ary")
FAST = TranslationOptions.for_quality("fast")


def arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in text)


def latin(text: str) -> bool:
    return any("a" <= c.lower() <= "z" for c in text)


def translate(prepared: Prepared, translator: Translator, direction: Direction = EN_ARY) -> bytes:
    """What the registry does: the units with letters go to the model, the rest stay."""
    todo = [i for i, unit in enumerate(prepared.units) if any(c.isalpha() for c in unit)]
    done = translator.translate_many([prepared.units[i] for i in todo], direction, FAST)
    out = list(prepared.units)
    for index, translation in zip(todo, done, strict=True):
        out[index] = translation.text
    return prepared.render(out)
