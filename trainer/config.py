"""Dataclass arguments, read from a YAML or JSON config file and overridden by flags.

Each subcommand has one dataclass of arguments (like Hugging Face's ``run_translation.py``);
every field carries its help text, shown by ``--help``. A value is resolved in this order:
the field's default, then the config file (its section named after the subcommand, or the
whole file when it has no sections), then the command line flags. Every value goes through
the same checks, so a wrong name or value is reported the same way wherever it came from,
with what to do about it::

    python -m trainer train --config trainer/configs/nano.yaml --learning-rate 1e-4

Config files may hold a section per subcommand (``data``, ``train``, ``evaluate``,
``export``, ``release``); keys may be written with ``_`` or ``-``.
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import types
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

from trainer.errors import ConfigError

T = TypeVar("T")
SECTIONS = ("data", "train", "average", "evaluate", "export", "release", "distill")
_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0")


def option(
    default: Any = dataclasses.MISSING,
    help: str = "",
    *,
    factory: Any = None,
    positional: bool = False,
) -> Any:
    """A dataclass field with help text (``factory`` for mutable defaults)."""
    metadata = {"help": help, "positional": positional}
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


def flag_name(name: str) -> str:
    return "--" + name.replace("_", "-")


def _did_you_mean(word: str, choices: Any) -> str | None:
    """A hint naming the choice closest to a mistyped ``word``, if one is close."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1)
    return f"Did you mean '{close[0]}'?" if close else None


def _label(path: str) -> str:
    """How an option is named in messages: top-level ones with their flag."""
    if "." in path or "[" in path:
        return path
    return f"{path} ({flag_name(path)})"


def _parse_inline(value: str, where: str) -> Any:
    """A flag holding a list or mapping, written as YAML/JSON (``'[{path: a.csv}]'``)."""
    import yaml

    try:
        return yaml.safe_load(value)
    except yaml.YAMLError as error:
        raise ConfigError(f"{_label(where)}: '{value}' is not valid YAML/JSON ({error}).") from None


def _convert(value: Any, hint: Any, where: str) -> Any:
    origin = get_origin(hint)
    if hint is Any:
        return value
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(hint) if a is not type(None)]
        is_none = value is None or (isinstance(value, str) and value.lower() in ("none", "null"))
        if is_none and len(options) < len(get_args(hint)):
            return None
        errors: list[ConfigError] = []
        for item in options:
            try:
                return _convert(value, item, where)
            except ConfigError as error:
                errors.append(error)
        raise errors[0]
    if origin is Literal:
        choices = get_args(hint)
        if value in choices:
            return value
        raise ConfigError(
            f"{_label(where)} is '{value}'; use one of: {', '.join(map(str, choices))}.",
            hint=_did_you_mean(value, choices),
        )
    if origin is list:
        (item,) = get_args(hint)
        if isinstance(value, str):
            value = _parse_inline(value, where) if value.lstrip()[:1] in "[{" else [value]
        if not isinstance(value, list | tuple):
            raise ConfigError(f"{_label(where)} must be a list, not {value!r}.")
        return [_convert(v, item, f"{where}[{i}]") for i, v in enumerate(value)]
    if origin is dict:
        _, item = get_args(hint)
        if isinstance(value, str):
            value = _parse_inline(value, where)
        if not isinstance(value, Mapping):
            raise ConfigError(f"{_label(where)} must be a mapping (key: value), not {value!r}.")
        return {str(k): _convert(v, item, f"{where}.{k}") for k, v in value.items()}
    if dataclasses.is_dataclass(hint):
        if isinstance(value, str):
            value = _parse_inline(value, where)
        if not isinstance(value, Mapping):
            raise ConfigError(f"{_label(where)} must be a mapping of options, not {value!r}.")
        return from_mapping(hint, value, where)  # type: ignore[arg-type]
    if hint is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in _TRUE + _FALSE:
            return value.lower() in _TRUE
        raise ConfigError(f"{_label(where)} must be true or false, not {value!r}.")
    if hint in (int, float):
        return _number(value, hint, where)
    if hint is str:
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)  # `version: 2.0` in YAML is a number
        raise ConfigError(f"{_label(where)} must be text, not {value!r}.")
    raise TypeError(f"{_label(where)}: unsupported option type {hint!r}")  # a bug, not user input


def _number(value: Any, kind: type, where: str) -> Any:
    wanted = "a whole number" if kind is int else "a number"
    if isinstance(value, bool):
        raise ConfigError(f"{_label(where)} must be {wanted}, not {value!r}.")
    if isinstance(value, str):
        try:  # PyYAML reads `1e-4` as text; flags are always text
            value = float(value.replace("_", "")) if kind is float else int(value.replace("_", ""))
        except ValueError:
            raise ConfigError(f"{_label(where)} must be {wanted}, not '{value}'.") from None
    if kind is int and isinstance(value, float) and value.is_integer():
        value = int(value)
    if kind is int and not isinstance(value, int):
        raise ConfigError(f"{_label(where)} must be {wanted}, not {value!r}.")
    if kind is float and isinstance(value, int | float):
        return float(value)
    if not isinstance(value, int | float):
        raise ConfigError(f"{_label(where)} must be {wanted}, not {value!r}.")
    return value


def from_mapping(cls: type[T], data: Mapping[str, Any], where: str = "") -> T:
    """Build ``cls`` from a mapping, checking names, types and required fields.

    Raises:
        ConfigError: naming the option, the problem and the fix.
    """
    prefix = f"{where}." if where else ""
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    hints = get_type_hints(cls)
    kwargs: dict[str, Any] = {}
    for raw_key, value in data.items():
        key = str(raw_key).replace("-", "_")
        if key not in fields:
            close = _did_you_mean(key, fields)
            raise ConfigError(
                f"Unknown option '{prefix}{raw_key}'.",
                hint=(f"{close} " if close else "")
                + "Run the command with --help to list its options.",
            )
        kwargs[key] = _convert(value, hints[key], f"{prefix}{key}")
    for name, item in fields.items():
        no_default = item.default is dataclasses.MISSING
        if name not in kwargs and no_default and item.default_factory is dataclasses.MISSING:
            how = (f"give it as the {name.upper()} argument" if item.metadata.get("positional")
                   else f"pass {flag_name(name)}" if not where else f"add it to '{where}'")
            raise ConfigError(
                f"The option '{prefix}{name}' is required ({item.metadata.get('help', '')}): "
                f"set it in the config file or {how}."
            )
    return cls(**kwargs)


def read_config_file(path: Path | str) -> dict[str, Any]:
    """Read a YAML (``.yaml``/``.yml``) or JSON config file."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        # The JSON limits every user-given document gets (depth, numbers, duplicate keys).
        from terjman_desktop.core import jsonio

        try:
            data = jsonio.load_file(path)
        except jsonio.JsonReadError as error:
            raise ConfigError(f"The config file {error.where} {error.problem}.") from None
    else:
        import yaml

        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise ConfigError(
                f"The config file {path} cannot be read ({error.strerror or error}); "
                "check the path."
            ) from None

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise ConfigError(f"{path} is not valid YAML: {error}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path} must hold a mapping of options (key: value) at the top.")
    return data


def config_section(data: Mapping[str, Any], section: str, origin: str) -> dict[str, Any]:
    """The options for one subcommand: its section, or the whole file if it has none."""
    if not any(key in SECTIONS for key in data):
        return dict(data)
    unknown = [key for key in data if key not in SECTIONS]
    if unknown:
        raise ConfigError(
            f"{origin}: unknown section '{unknown[0]}'; sections are {', '.join(SECTIONS)}.",
            hint=_did_you_mean(unknown[0], SECTIONS),
        )
    value = data.get(section) or {}
    if not isinstance(value, Mapping):
        raise ConfigError(f"{origin}: the section '{section}' must be a mapping of options.")
    return dict(value)


def load_config(
    cls: type[T], section: str, config: Path | str | None, overrides: Mapping[str, Any]
) -> T:
    """Defaults, then the config file's section, then ``overrides`` (from flags)."""
    data = config_section(read_config_file(config), section, str(config)) if config else {}
    data = {str(k).replace("-", "_"): v for k, v in data.items()}
    data.update(overrides)
    return from_mapping(cls, data)


def _strip_optional(hint: Any) -> Any:
    if get_origin(hint) in (Union, types.UnionType):
        options = [a for a in get_args(hint) if a is not type(None)]
        if len(options) == 1:
            return options[0]
    return hint


def add_arguments(parser: argparse.ArgumentParser, cls: type[Any]) -> None:
    """One flag per field (``--learning-rate``); values are checked later by from_mapping."""
    hints = get_type_hints(cls)
    for item in dataclasses.fields(cls):
        hint = _strip_optional(hints[item.name])
        text = str(item.metadata.get("help", "")).replace("%", "%%")
        if item.default is not dataclasses.MISSING:
            text += f" (default: {item.default!r})"
        if get_origin(hint) is Literal:
            text += f" [choices: {', '.join(map(str, get_args(hint)))}]"
        if item.metadata.get("positional"):
            many = get_origin(hint) is list
            parser.add_argument(item.name, nargs="*" if many else "?",
                                default=argparse.SUPPRESS, help=text)
            continue
        kwargs: dict[str, Any] = {"dest": item.name, "default": argparse.SUPPRESS, "help": text}
        if hint is bool:
            kwargs["action"] = argparse.BooleanOptionalAction
        elif get_origin(hint) is list and not dataclasses.is_dataclass(get_args(hint)[0]):
            kwargs["nargs"] = "+"
        parser.add_argument(flag_name(item.name), **kwargs)


def overrides_from(namespace: argparse.Namespace, cls: type[Any]) -> dict[str, Any]:
    """The fields of ``cls`` that were given on the command line."""
    names = {f.name for f in dataclasses.fields(cls)}
    return {k: v for k, v in vars(namespace).items() if k in names}


def to_dict(args: Any) -> dict[str, Any]:
    """A JSON-ready copy of resolved arguments, to save beside what they produced."""
    return dataclasses.asdict(args)
