"""Text from catalogs and manifests, made safe to show; codes checked for what they are.

A catalog comes from a URL or a file, a manifest from a USB stick: their text reaches a
terminal and the app's windows. Two kinds of fields, two rules:

* **Codes** (language codes, versions) are not prose: they are checked against a strict
  pattern when the document is read, and a document breaking it is refused
  (:func:`is_language_code`, :func:`is_version`).
* **Prose** (names, notes, licenses, attributions) may be any language, so it is kept but
  made printable with :func:`printable`: an escape sequence cannot clear a terminal or
  recolour it, a newline cannot forge a line of output, and a bidi override cannot make
  text read backwards.
"""

from __future__ import annotations

import re
import unicodedata

LANGUAGE_CODE_PATTERN = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{4})?$")
VERSION_PATTERN = re.compile(r"^[0-9A-Za-z._+-]{1,32}$")

# Line breaks of every kind become one space: the text stays readable on one line.
_LINE_BREAKS = frozenset("\n\r\t\v\f\x1c\x1d\x1e\x85\u2028\u2029")
# Invisible formatting that Arabic script and mixed-direction text need: zero-width
# (non-)joiners and the directional *marks* (which, unlike overrides, embeddings and
# isolates, cannot reorder the text around them).
_KEPT_FORMAT = frozenset("\u200c\u200d\u200e\u200f\u061c")


def printable(text: str) -> str:
    r"""``text`` with nothing that can change how a terminal or a window shows other text.

    Tabs and line breaks become spaces. Other control characters (escape codes), bidi
    overrides, embeddings and isolates, lone surrogates and other invisible characters are
    shown as visible escapes (``\x1b``, ``\u202e``), so a person sees that something odd
    was there. Letters of every script, spaces and the marks Arabic needs are kept.
    """
    if text.isprintable():
        return text
    out: list[str] = []
    for char in text:
        if char.isprintable() or char == " " or char in _KEPT_FORMAT:
            out.append(char)
        elif char in _LINE_BREAKS:
            out.append(" ")
        else:
            out.append(_escape(char))
    return "".join(out)


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def is_language_code(value: str) -> bool:
    """``en``, ``ary``, ``ar-Latn``: two or three lowercase letters, an optional script."""
    return bool(LANGUAGE_CODE_PATTERN.fullmatch(value))


def is_version(value: str) -> bool:
    """``1``, ``2.0``, ``1.2-rc1``: letters, digits and ``. _ + -``, at most 32 of them."""
    return bool(VERSION_PATTERN.fullmatch(value))


def is_token(value: str) -> bool:
    """A tokenizer token (``eng_Latn``, ``>>ary<<``): printable, without spaces."""
    return bool(value) and value.isprintable() and not any(c.isspace() for c in value)


def same_file_name(name: str) -> str:
    """The key under which two names are one file on some system people use.

    Windows and macOS compare names case-insensitively, and macOS normalizes Unicode, so
    ``Model.bin`` and ``model.bin`` — or ``café.bin`` written NFC and NFD — are the same
    file there.
    """
    # Unicode's canonical caseless match: NFD(casefold(NFD(name))).
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", name).casefold())
