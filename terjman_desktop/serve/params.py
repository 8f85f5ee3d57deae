"""A request's parameters, read the way LibreTranslate reads them.

LibreTranslate takes a JSON object when the body says it is JSON, and otherwise the query
string and the form body together (``application/x-www-form-urlencoded`` — what its Python
bindings send, even on ``GET /languages`` — or ``multipart/form-data``, what a browser's
``FormData`` sends). A form value is a string; from JSON, ``q`` may be a list. A body whose
type is missing or ``text/plain`` but that holds a JSON object (``fetch`` with a string body
sends ``text/plain``) is read as JSON too.
"""

from __future__ import annotations

import json
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

from terjman_desktop.serve.http import Request


class BadRequestError(Exception):
    """The request cannot be read; the message is for the client (status 400)."""


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def _is_json(request: Request) -> bool:
    media = _media_type(request)
    if media == "application/json" or media.endswith("+json"):
        return True
    return media in ("", "text/plain") and request.body.lstrip()[:1] == b"{"


def _decode(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequestError(f"Invalid request: {what} is not valid UTF-8.") from None


def _form_pairs(text: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(
            text,
            keep_blank_values=True,
            strict_parsing=False,
            encoding="utf-8",
            errors="strict",
            max_num_fields=10_000,
        )
    except (ValueError, UnicodeDecodeError) as error:
        raise BadRequestError(f"Invalid request: the form cannot be read ({error}).") from None


def _multipart(request: Request) -> list[tuple[str, str]]:
    header = request.headers.get("content-type", "")
    message: Message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + header.encode("latin-1", "replace") + b"\r\n\r\n" + request.body
    )
    if not message.is_multipart():
        raise BadRequestError("Invalid request: the multipart form cannot be read.")
    pairs: list[tuple[str, str]] = []
    for part in message.walk():
        if part.is_multipart():
            continue  # the form itself
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str) or part.get_filename() is not None:
            continue  # files are not translated here
        payload = part.get_payload(decode=True)
        pairs.append(
            (
                name,
                _decode(payload if isinstance(payload, bytes) else b"", f"the form field '{name}'"),
            )
        )
    return pairs


def read_params(request: Request) -> dict[str, Any]:
    """The request's parameters: a JSON object's members, or form and query values.

    For form and query values the first of a repeated name wins, as in LibreTranslate.

    Raises:
        BadRequestError: Malformed JSON, JSON that is not an object, or undecodable text.
    """
    if request.body and _is_json(request):
        try:
            data = json.loads(_decode(request.body, "the JSON body"))
        except json.JSONDecodeError as error:
            raise BadRequestError(
                f"Invalid request: malformed JSON ({error.msg} at line {error.lineno}, "
                f"column {error.colno})."
            ) from None
        except RecursionError:
            raise BadRequestError("Invalid request: the JSON is nested too deeply.") from None
        if not isinstance(data, dict):
            raise BadRequestError("Invalid JSON format: the body must be a JSON object.")
        return data
    pairs = _form_pairs(_decode(request.query.encode("latin-1", "replace"), "the query"))
    media = _media_type(request)
    if request.body and media == "multipart/form-data":
        pairs += _multipart(request)
    elif request.body:
        pairs += _form_pairs(_decode(request.body, "the form"))
    values: dict[str, Any] = {}
    for name, value in pairs:
        values.setdefault(name, value)
    return values
