"""The rules a model package's manifest must follow, and the parser that applies them.

Every manifest the app reads — installed, staged, imported, inside a package — goes through
:func:`parse_manifest`, so a hostile or broken one fails the same way everywhere: with one
:class:`PackageError` naming the field. Paths are plain relative POSIX paths that cannot
escape their folder (:func:`is_safe_relative_path`) and cannot clash on any system
(:func:`path_clash`); the catalog and the Hub client use the same two rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath
from typing import Any

from terjman_desktop.core.errors import PackageError
from terjman_desktop.core.families import FAMILIES, FAMILY_NAMES
from terjman_desktop.core.jsonfields import Fields
from terjman_desktop.core.text_safety import (
    is_language_code,
    is_token,
    is_version,
    printable,
    same_file_name,
)
from terjman_desktop.core.translate.manifest import (
    DECODING_LIMITS,
    DEFAULT_MAX_INPUT_TOKENS,
    FORMAT_VERSION,
    ID_PATTERN,
    MANIFEST_NAME,
    QUANTIZATIONS,
    SHA256_PATTERN,
    Direction,
    FileEntry,
    Manifest,
    TokenizerFiles,
)


def _fail(where: str, problem: str, hint: str | None = None) -> PackageError:
    # Problems quote the manifest's own values: keep escape codes out of the message.
    return PackageError(printable(f"{where}: {problem}"), hint=hint)


def _require(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    """The field ``key`` of a manifest object, of type ``kind`` (the catalog's wording)."""
    return Fields(data, where, PackageError).get(key, kind)


def is_safe_relative_path(path: str) -> bool:
    """True for a plain relative POSIX path that cannot escape the folder it is joined to."""
    pure = PurePosixPath(path)
    return bool(
        path
        and "\\" not in path
        and "\x00" not in path
        and path.isprintable()
        and not pure.is_absolute()
        and ".." not in pure.parts
        and path == str(pure)
        and not re.match(r"^[A-Za-z]:", path)
    )


def path_clash(paths: Iterable[str]) -> str | None:
    """Why a list of relative file paths cannot all be files of one folder, or ``None``.

    A path that is also the folder of another one (``README.md`` and ``README.md/inner``)
    cannot be written, and two names that are one file on Windows or macOS (``Model.bin``
    and ``model.bin``; ``café.bin`` written NFC and NFD) would overwrite each other there.
    """
    files: dict[str, str] = {}
    for path in paths:
        key = same_file_name(path)
        if key in files and files[key] != path:
            return f"'{path}' and '{files[key]}' are the same file on some systems."
        files[key] = path
    for key, path in files.items():
        parts = key.split("/")
        for end in range(1, len(parts)):
            parent = files.get("/".join(parts[:end]))
            if parent is not None:
                return f"'{parent}' is listed as a file and as the folder of '{path}'."
    return None


def _check_relative_path(path: str, where: str) -> str:
    if not is_safe_relative_path(path):
        raise _fail(where, f"the file path '{path}' is not a plain relative path.")
    return path


def _parse_files(raw: Any, where: str) -> tuple[FileEntry, ...]:
    if not isinstance(raw, list) or not raw:
        raise _fail(where, "the field 'files' must be a non-empty list.")
    entries: list[FileEntry] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        item_where = f"{where} files[{index}]"
        if not isinstance(item, dict):
            raise _fail(item_where, "each file must be an object with path, size and sha256.")
        path = _check_relative_path(_require(item, "path", str, item_where), item_where)
        size = _require(item, "size", int, item_where)
        sha256 = _require(item, "sha256", str, item_where).lower()
        if size < 0:
            raise _fail(item_where, f"the size of '{path}' is negative.")
        if not SHA256_PATTERN.match(sha256):
            raise _fail(item_where, f"the sha256 of '{path}' is not 64 hexadecimal digits.")
        if path == MANIFEST_NAME:
            raise _fail(item_where, "the manifest cannot list itself.")
        if path in seen:
            raise _fail(item_where, f"'{path}' is listed twice.")
        seen.add(path)
        entries.append(FileEntry(path, size, sha256))
    clash = path_clash(entry.path for entry in entries)
    if clash:
        raise _fail(where, clash)
    return tuple(entries)


def _parse_string_list(data: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    raw = data.get(key, [])
    if not isinstance(raw, list) or not all(isinstance(x, str) and is_token(x) for x in raw):
        raise _fail(where, f"the field '{key}' must be a list of tokens (no spaces).")
    return tuple(raw)


def _prose(data: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> str:
    """A text field shown to people (name, license…), made printable (see text_safety)."""
    if required:
        return printable(_require(data, key, str, where))
    value = data.get(key, "")
    # Older manifests may hold a number or null here; it was shown as text before.
    return printable(value if isinstance(value, str) else str(value))


def parse_direction(item: Any, where: str) -> Direction:
    """A direction object ``{"source": "en", "target": "ary"}`` with language codes.

    Raises:
        PackageError: not an object, or a code that is not a language code.
    """
    if not isinstance(item, dict):
        raise _fail(where, "each direction must be an object with source and target.")
    codes = (_require(item, "source", str, where), _require(item, "target", str, where))
    for code in codes:
        if not is_language_code(code):
            raise _fail(
                where, f"the language code {code!r} is not valid (expected codes like 'en', 'ary')."
            )
    return Direction(*codes)


def parse_manifest(data: Any, where: str = MANIFEST_NAME) -> Manifest:
    """Validate a decoded manifest and return it as a :class:`Manifest`.

    Raises:
        PackageError: naming the first field that is missing or wrong.
    """
    if not isinstance(data, dict):
        raise _fail(where, "the manifest must be a JSON object.")
    fmt = _require(data, "format", int, where)
    if fmt > FORMAT_VERSION:
        raise _fail(
            where,
            f"this model uses package format {fmt}, newer than this app understands "
            f"({FORMAT_VERSION}).",
            hint="Update Terjman Desktop to use this model.",
        )
    if fmt < 1:
        raise _fail(where, f"the package format {fmt} is not valid.")
    model_id = _require(data, "id", str, where)
    if not ID_PATTERN.match(model_id):
        raise _fail(
            where,
            f"the id '{model_id}' is not valid: use lowercase letters, digits, '.', '_' and '-'.",
        )
    family = _require(data, "family", str, where)
    if family not in FAMILIES:
        raise _fail(where, f"unknown model family '{family}' (expected one of {FAMILY_NAMES}).")

    raw_directions = _require(data, "directions", list, where)
    directions = [parse_direction(item, where) for item in raw_directions]
    if not directions:
        raise _fail(where, "the model lists no translation direction.")

    language_tokens = data.get("language_tokens", {})
    if not isinstance(language_tokens, dict) or not all(
        isinstance(k, str) and is_language_code(k) and isinstance(v, str) and is_token(v)
        for k, v in language_tokens.items()
    ):
        raise _fail(where, "the field 'language_tokens' must map language codes to tokens.")
    target_language_tokens = data.get("target_language_tokens", {})
    if not isinstance(target_language_tokens, dict) or not all(
        isinstance(k, str) and (v is None or (isinstance(v, str) and v))
        for k, v in target_language_tokens.items()
    ):
        raise _fail(where, "the field 'target_language_tokens' must map language codes to "
                    "tokens or null.")
    if FAMILIES[family].needs_language_tokens:
        for direction in directions:
            for code in (direction.source, direction.target):
                if code not in language_tokens:
                    raise _fail(where, f"the {FAMILIES[family].display_name} model has no language "
                                      f"token for '{code}'.")

    tokenizer = _require(data, "tokenizer", dict, where)
    tokenizer_files = TokenizerFiles(
        _check_relative_path(_require(tokenizer, "source", str, where), where),
        _check_relative_path(_require(tokenizer, "target", str, where), where),
    )
    quantization = _require(data, "quantization", str, where)
    if quantization not in QUANTIZATIONS:
        raise _fail(where, f"unknown quantization '{quantization}'.")
    max_input_tokens = data.get("max_input_tokens", DEFAULT_MAX_INPUT_TOKENS)
    if isinstance(max_input_tokens, bool) or not isinstance(max_input_tokens, int) or (
        max_input_tokens < 8
    ):
        raise _fail(where, "the field 'max_input_tokens' must be an integer of at least 8.")
    metrics = data.get("metrics", {})
    if not isinstance(metrics, dict):
        raise _fail(where, "the field 'metrics' must be an object.")
    # Packages written before the field existed: Marian checkpoints all force </s>.
    forced_eos = data.get("forced_eos", FAMILIES[family].forced_eos_default)
    if not isinstance(forced_eos, bool):
        raise _fail(where, "the field 'forced_eos' must be true or false.")

    decoding = _parse_decoding(data.get("decoding", {}), where)

    version = _require(data, "version", str, where)
    if not is_version(version):
        raise _fail(
            where,
            f"the version {version!r} is not valid: use letters, digits and '.', '_', '+', '-'.",
        )
    known = {
        "format", "id", "name", "version", "family", "directions", "language_tokens",
        "source_prefix", "target_prefix", "tokenizer", "quantization", "base_model", "license",
        "metrics", "files", "max_input_tokens", "forced_eos", "target_language_tokens",
        "decoding",
    }
    return Manifest(
        format=fmt,
        id=model_id,
        name=_prose(data, "name", where, required=True),
        version=version,
        family=family,
        directions=tuple(directions),
        language_tokens=dict(language_tokens),
        target_language_tokens=dict(target_language_tokens),
        source_prefix=_parse_string_list(data, "source_prefix", where),
        target_prefix=_parse_string_list(data, "target_prefix", where),
        tokenizer=tokenizer_files,
        quantization=quantization,
        base_model=_prose(data, "base_model", where),
        license=_prose(data, "license", where),
        metrics=metrics,
        max_input_tokens=max_input_tokens,
        forced_eos=forced_eos,
        decoding=decoding,
        files=_parse_files(data.get("files"), where),
        extra={k: v for k, v in data.items() if k not in known},
    )


def _parse_decoding(value: Any, where: str) -> dict[str, float]:
    """The optional ``decoding`` defaults: an integer beam size and a length penalty."""
    problem = ("the field 'decoding' must be an object with 'beam_size' (an integer from 1 to "
               "16) and/or 'length_penalty' (a number from 0 to 4).")
    if not isinstance(value, dict) or any(k not in DECODING_LIMITS for k in value):
        raise _fail(where, problem)
    for key, number in value.items():
        low, high = DECODING_LIMITS[key]
        if isinstance(number, bool) or not isinstance(number, int | float) or not (
            low <= number <= high
        ) or (key == "beam_size" and not isinstance(number, int)):
            raise _fail(where, problem)
    return dict(value)
