r"""The one way the core reads JSON that a person, a package or a server can influence.

Settings, catalogs (bundled, cached, from a file or a URL), model manifests (installed,
staged, imported) and the store's records are all read with :func:`loads` or
:func:`load_file`, so a hostile document fails the same way everywhere: with one
:class:`JsonReadError` that each caller turns into its own
:class:`~terjman_desktop.core.errors.TerjmanError` with a hint. Python's :func:`json.loads`
alone lets several things escape as tracebacks or slip through:

* deep nesting (``[[[[…]]]]``) raises :class:`RecursionError`;
* an integer of more than 4,300 digits raises :class:`ValueError` (CPython's limit on
  integer/string conversion), and a shorter one still makes a number no field can use;
* ``NaN``, ``Infinity`` and ``1e999`` are accepted, though JSON has no such numbers;
* a key given twice silently keeps the last value, so two readers may disagree about
  what a document says;
* ``"\ud800"`` decodes to a lone surrogate that cannot be printed or written back as UTF-8;
* bytes are decoded as UTF-8, UTF-16 or UTF-32 by guessing.

Here: a size cap, a depth limit, limits on numbers, duplicate keys refused (by default),
strict UTF-8 (a leading byte-order mark is allowed, as Windows editors write one), and only
regular files are read (see :mod:`~terjman_desktop.core.readfile`).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from terjman_desktop.core.readfile import FileReadError, read_regular_file

_UTF8_BOM = "\ufeff"
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class JsonLimits:
    """What a JSON document may hold.

    Attributes:
        max_bytes: Largest document (bytes of UTF-8).
        max_depth: Deepest nesting of lists and objects (the top level is depth 1).
        max_int_digits: Longest integer, in digits (sizes and counts need 19 at most).
        max_number_chars: Longest written form of a number with a fraction or exponent.
        duplicate_keys: ``"reject"`` a key given twice in one object, or keep the ``"last"``.
    """

    max_bytes: int = 8 * 1024 * 1024
    max_depth: int = 64
    max_int_digits: int = 30
    max_number_chars: int = 64
    duplicate_keys: Literal["reject", "last"] = "reject"


DEFAULT_LIMITS = JsonLimits()


class JsonReadError(Exception):
    """A JSON document that cannot be used, and why.

    Attributes:
        where: The file or source, as the caller named it.
        problem: What is wrong, in words (``"is not valid JSON (…)"``).
        missing: True when the file does not exist (a caller may treat that as "no file").
    """

    def __init__(self, where: str, problem: str, *, missing: bool = False) -> None:
        super().__init__(f"{where} {problem}")
        self.where = where
        self.problem = problem
        self.missing = missing


class _RefusedError(Exception):
    """Raised inside the decoder's hooks; becomes a :class:`JsonReadError`."""


def _decoder(limits: JsonLimits) -> json.JSONDecoder:
    def parse_int(text: str) -> int:
        if len(text.lstrip("-")) > limits.max_int_digits:
            raise _RefusedError(f"holds an integer of {len(text.lstrip('-'))} digits "
                           f"(at most {limits.max_int_digits})")
        return int(text)

    def parse_float(text: str) -> float:
        if len(text) > limits.max_number_chars:
            raise _RefusedError(f"holds a number written with {len(text)} characters "
                           f"(at most {limits.max_number_chars})")
        value = float(text)
        if not math.isfinite(value):
            raise _RefusedError(f"holds the number {text}, too large to use")
        return value

    def parse_constant(name: str) -> Any:
        raise _RefusedError(f"holds {name}, which is not a JSON number")

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(items)
        if len(result) != len(items) and limits.duplicate_keys == "reject":
            seen: set[str] = set()
            for key, _ in items:
                if key in seen:
                    raise _RefusedError(f"gives the key {key!r} twice in one object")
                seen.add(key)
        return result

    hook: Callable[[list[tuple[str, Any]]], dict[str, Any]] = pairs
    return json.JSONDecoder(
        parse_int=parse_int,
        parse_float=parse_float,
        parse_constant=parse_constant,
        object_pairs_hook=hook,
    )


def _check_tree(data: Any, limits: JsonLimits) -> None:
    """Depth and strings of a decoded document, walked without recursion."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                raise _RefusedError("holds text with an invalid character (a lone surrogate)")
            continue
        if not isinstance(value, (dict, list)):
            continue
        if depth > limits.max_depth:
            raise _RefusedError(f"is nested more than {limits.max_depth} levels deep")
        if isinstance(value, dict):
            for key, item in value.items():
                stack.append((key, depth))
                stack.append((item, depth + 1))
        else:
            stack.extend((item, depth + 1) for item in value)


def loads(content: bytes | str, where: str, *, limits: JsonLimits = DEFAULT_LIMITS) -> Any:
    """Decode one JSON document within ``limits``.

    Args:
        content: UTF-8 bytes (a byte-order mark is allowed) or text.
        where: Names the document in errors (a path, a URL, "the catalog").
        limits: What the document may hold.

    Raises:
        JsonReadError: the document is too large, not UTF-8, not JSON, or breaks a limit.
    """
    size = len(content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content)
    if size > limits.max_bytes:
        raise JsonReadError(where, f"is too large ({size} bytes; at most {limits.max_bytes})")
    if isinstance(content, bytes):
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError as error:
            raise JsonReadError(
                where, f"is not UTF-8 text (invalid byte at position {error.start})"
            ) from None
    else:
        text = content
    text = text.removeprefix(_UTF8_BOM)
    try:
        data = _decoder(limits).decode(text)
        _check_tree(data, limits)
    except _RefusedError as refused:
        raise JsonReadError(where, str(refused)) from None
    except RecursionError:
        raise JsonReadError(
            where, f"is nested more than {limits.max_depth} levels deep"
        ) from None
    except json.JSONDecodeError as error:
        raise JsonReadError(
            where, f"is not valid JSON ({error.msg} at line {error.lineno} column {error.colno})"
        ) from None
    except ValueError as error:  # anything the decoder refuses that the hooks did not
        raise JsonReadError(where, f"is not valid JSON ({error})") from None
    return data


def load_file(
    path: Path | str, *, limits: JsonLimits = DEFAULT_LIMITS, where: str | None = None
) -> Any:
    """Read and decode the regular file ``path`` (see :func:`loads`).

    Raises:
        JsonReadError: as :func:`loads`, and when the file is missing (``missing`` is set),
            not a regular file (a folder, a named pipe, a device) or unreadable.
    """
    name = where or str(path)
    try:
        raw = read_regular_file(path, max_bytes=limits.max_bytes)
    except FileReadError as error:
        raise JsonReadError(name, error.problem, missing=error.kind == "missing") from None
    return loads(raw, name, limits=limits)
