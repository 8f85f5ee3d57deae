"""Reading typed fields out of a JSON object, with one wording for every mistake.

:mod:`~terjman_desktop.core.jsonio` decides whether a document is JSON the app will read at
all; this module reads its fields. Catalogs and manifests use :class:`Fields`, each with its
own error class (``CatalogError``, ``PackageError``), so a person editing either file reads
the same messages: "the field 'size' must be an integer, not true or false". Values quoted in
a message are made printable: they come from a file or a server.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from terjman_desktop.core.errors import TerjmanError
from terjman_desktop.core.text_safety import printable

_JSON_TYPES = {
    dict: "an object", list: "a list", str: "a string", int: "an integer", float: "a number",
    bool: "true or false", type(None): "null",
}
_MISSING: Any = object()


def json_type_name(kind: type) -> str:
    """How a person editing JSON calls a Python type ("an object", "true or false")."""
    return _JSON_TYPES.get(kind, kind.__name__)


class Fields:
    """Reads typed fields out of one JSON object, naming the object in every error.

    Args:
        data: The object (anything that is not a mapping reads as an empty one).
        where: What the object is, for messages ("catalog.json models[2]").
        error: Makes the error to raise from a message.
    """

    def __init__(
        self, data: Any, where: str, error: Callable[[str], TerjmanError]
    ) -> None:
        self.data: Mapping[str, Any] = data if isinstance(data, Mapping) else {}
        self.where = where
        self._error = error

    def fail(self, problem: str) -> TerjmanError:
        """The error for ``problem`` in this object (escape codes kept out of the message)."""
        return self._error(printable(f"{self.where}: {problem}"))

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = _MISSING) -> Any:
        """The value of ``key``, which must be of ``kind``; ``default`` when absent if given."""
        if key not in self.data:
            if default is _MISSING:
                raise self.fail(f"the field '{key}' is missing.")
            return default
        value = self.data[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        # bool is an int subclass: "size": true is a mistake, not 1.
        wrong_bool = isinstance(value, bool) and bool not in kinds
        if wrong_bool or not isinstance(value, kinds):
            wanted = (
                "a number" if set(kinds) == {int, float}
                else " or ".join(json_type_name(k) for k in kinds)
            )
            raise self.fail(
                f"the field '{key}' must be {wanted}, not {json_type_name(type(value))}."
            )
        return value

    def text(self, key: str, default: Any = _MISSING) -> str:
        value: str = self.get(key, str, default)
        return value

    def prose(self, key: str, default: Any = _MISSING) -> str:
        """A text shown to people (name, notes…): kept, but made printable."""
        return printable(self.text(key, default))

    def code(self, key: str, valid: Callable[[str], bool], expected: str) -> str:
        """A code (a version…): refused unless ``valid(value)``; never shown as it came."""
        value = self.text(key)
        if not valid(value):
            raise self.fail(f"the field '{key}' is {value!r}, expected {expected}.")
        return value

    def count(self, key: str, default: Any = _MISSING) -> int:
        """A whole number that cannot be negative (a size, a count)."""
        value: int = self.get(key, int, default)
        if value < 0:
            raise self.fail(f"the field '{key}' cannot be negative.")
        return value

    def choice(self, key: str, allowed: tuple[str, ...]) -> str:
        value = self.text(key)
        if value not in allowed:
            raise self.fail(f"the field '{key}' is '{value}', expected one of {list(allowed)}.")
        return value
