"""The LibreTranslate-compatible API, and the page for phones.

Endpoints (LibreTranslate's, so its clients work unchanged):

* ``POST /translate`` — ``q`` (a string or a list), ``source`` (``en``, ``ary``, ``ar`` for
  a client that only knows Arabic, or ``auto``), ``target``, ``format`` (``text`` or
  ``html``), ``alternatives``, ``api_key`` → ``translatedText`` (a string or a list), and
  ``alternatives`` / ``detectedLanguage`` when asked for. Darija typed in Latin letters is
  converted to Arabic script first. Extension: ``arabizi=true`` adds the Latin-letter
  reading of a Darija translation (``arabizi``).
* ``GET /languages``, ``POST /detect``, ``GET /frontend/settings``.
* ``POST /suggest`` and ``POST /translate_file`` answer LibreTranslate's "disabled" errors.
* ``GET /`` — the page for phones (package data, no external resource).

Errors have LibreTranslate's shape, ``{"error": "…"}``, with its codes: 400 (bad request),
403 (wrong access key), 429 (too many requests, with ``Retry-After``), 500 (translation
failed); and 404, 405, 413 (body too large), 503 (busy or stopping) where HTTP says so. No
exception text of an unexpected error reaches a client: it goes to the log.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import re
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from terjman_desktop.core.errors import TerjmanError
from terjman_desktop.core.text_safety import printable
from terjman_desktop.core.translate import (
    Direction,
    Translation,
    TranslationOptions,
    arabizi_to_arabic,
    to_arabizi,
)
from terjman_desktop.serve.batcher import Batcher, QueueFullError, StoppedError
from terjman_desktop.serve.config import ServeConfig
from terjman_desktop.serve.detect import DARIJA, ENGLISH, detect, is_arabizi
from terjman_desktop.serve.engine import Engine
from terjman_desktop.serve.http import Request, Response
from terjman_desktop.serve.markup import Markup, split_markup
from terjman_desktop.serve.params import BadRequestError, read_params
from terjman_desktop.serve.ratelimit import RateLimiter

logger = logging.getLogger(__name__)

NAMES = {ENGLISH: "English", DARIJA: "Darija (Moroccan Arabic)", "ar": "Arabic (Moroccan Darija)"}
# Codes a client may send for a served language.
ALIASES = {
    ENGLISH: ENGLISH,
    "eng": ENGLISH,
    DARIJA: DARIJA,
    "ar": DARIJA,
    "ara": DARIJA,
    "ary-latn": DARIJA,
    "ary_latn": DARIJA,
    "ary-arab": DARIJA,
    "ary_arab": DARIJA,
}
STATIC_FILES = {
    "/": ("index.html", "text/html"),
    "/index.html": ("index.html", "text/html"),
    "/app.js": ("app.js", "application/javascript"),
    "/app.css": ("app.css", "text/css"),
}
FRONTEND_TIMEOUT_MS = 500  # how long LibreTranslate's page waits after a keystroke
_TOKEN = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}")  # an HTTP header name
INTERNAL = "internal error (the server's log has the details)"


class ApiError(Exception):
    """An answer in LibreTranslate's error shape."""

    def __init__(
        self, status: int, message: str, headers: tuple[tuple[str, str], ...] = ()
    ) -> None:
        super().__init__(message)
        self.response = Response.error(status, message, headers)


@dataclass
class _Record:
    """What one request's log line says (never its text, unless the teacher asked)."""

    texts: int = 0
    chars: int = 0
    detail: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Ask:
    """A checked ``/translate`` request."""

    texts: list[str]
    many: bool  # q was a list
    direction: Direction
    alternatives: int
    html: bool
    detected: dict[str, object] | None  # source=auto: what was detected


def _text_list(value: object) -> tuple[list[str], bool]:
    """``q`` as a list of strings, and whether it was a list."""
    if isinstance(value, str):
        texts, many = [value], False
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        texts, many = list(value), True
    else:
        raise ApiError(400, "Invalid request: q must be a string or a list of strings.")
    for text in texts:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # JSON may escape a lone surrogate ("\ud800")
            raise ApiError(400, "Invalid request: q is not valid Unicode text.") from None
    return texts, many


def _string(params: dict[str, Any], name: str) -> str | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ApiError(400, f"Invalid request: {name} must be a string.")
    return value


def _flag(params: dict[str, Any], name: str) -> bool:
    value = params.get(name)
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return value is True or (isinstance(value, int) and value == 1)


def _alternatives(translation: Translation, count: int) -> list[str]:
    """Up to ``count`` other translations of a whole text, from its sentences' hypotheses.

    Alternative *k* takes each sentence's *k*-th hypothesis (its best one when it has fewer),
    in the places the best ones hold, so a text's layout stays.
    """
    found: list[str] = []
    text = translation.text
    for k in range(1, count + 1):
        if not any(len(s.hypotheses) > k for s in translation.sentences):
            break
        pieces: list[str] = []
        position = 0
        for sentence in translation.sentences:
            start, end = sentence.target_span
            hypotheses = sentence.hypotheses
            pieces += [
                text[position:start],
                hypotheses[k].text if len(hypotheses) > k else sentence.text,
            ]
            position = end
        pieces.append(text[position:])
        alternative = "".join(pieces)
        if alternative != text and alternative not in found:
            found.append(alternative)
    return found


class Api:
    """Routes requests to the endpoints; one per server.

    Args:
        config: Limits, key and quality.
        engine: Says which model is served.
        batcher: Runs the translations.
    """

    def __init__(self, config: ServeConfig, engine: Engine, batcher: Batcher) -> None:
        self.config = config
        self.engine = engine
        self.batcher = batcher
        self.rate = RateLimiter(config.limits.requests_per_minute)
        self._routes: dict[tuple[str, str], Callable[[Request, _Record], Awaitable[Response]]] = {
            ("POST", "/translate"): self._translate,
            ("POST", "/detect"): self._detect,
            ("GET", "/languages"): self._languages,
            ("GET", "/frontend/settings"): self._settings,
            ("POST", "/suggest"): self._disabled("Suggestions are disabled on this server."),
            ("POST", "/translate_file"): self._disabled(
                "Files translation are disabled on this server."
            ),
        }

    async def handle(self, request: Request) -> Response:
        """The response to any request: never an exception, never a stack trace."""
        started = time.perf_counter()
        record = _Record()
        try:
            response = await self._route(request, record)
        except ApiError as error:
            response = error.response
        except Exception:
            logger.exception(
                "%s %s from %s failed", request.method, printable(request.path), request.client
            )
            response = Response.error(500, f"Cannot translate text: {INTERNAL}")
        self._log(request, response, record, time.perf_counter() - started)
        return response

    async def _route(self, request: Request, record: _Record) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        path = request.path.rstrip("/") or "/"
        if method == "OPTIONS":  # a browser's preflight: whatever headers it asks about
            asked = request.headers.get("access-control-request-headers", "")
            names = [h.strip() for h in asked.split(",") if _TOKEN.fullmatch(h.strip())]
            extra = (("Access-Control-Allow-Headers", ", ".join(names)),) if names else ()
            return Response(204, b"", "text/plain", extra)
        handler = self._routes.get((method, path))
        if handler is not None:
            return await handler(request, record)
        if path in STATIC_FILES or path.startswith("/static/"):
            if method != "GET":
                raise ApiError(405, "Method not allowed.", (("Allow", "GET"),))
            return self._static(path)
        methods = sorted(m for m, p in self._routes if p == path)
        if methods:
            raise ApiError(405, "Method not allowed.", (("Allow", ", ".join(methods)),))
        raise ApiError(404, "Not found.")

    # ------------------------------------------------------------------ checks

    def _params(self, request: Request) -> dict[str, Any]:
        try:
            return read_params(request)
        except BadRequestError as error:
            raise ApiError(400, str(error)) from None

    def _access(self, request: Request, params: dict[str, Any]) -> None:
        """The access key, then the client's rate (LibreTranslate answers in that order).

        Every request costs one; a valid ``q`` list costs one per text (see :meth:`_charge`).
        """
        key = self.config.api_key
        if key is not None:
            given = params.get("api_key")
            if given is None or given == "":
                raise ApiError(400, "Please ask the teacher for the access key (api_key).")
            if not isinstance(given, str) or not hmac.compare_digest(
                given.encode("utf-8", "replace"), key.encode("utf-8")
            ):
                raise ApiError(403, "Invalid API key")
        self._charge(request, 1)

    def _charge(self, request: Request, cost: int) -> None:
        """Count ``cost`` requests against the client's rate, or answer 429."""
        wait = self.rate.check(request.client, cost) if cost > 0 else None
        if wait is not None:
            raise ApiError(
                429,
                f"Slowdown: more than {self.rate.per_minute} requests a "
                f"minute from this device; try again in {wait} seconds.",
                (("Retry-After", str(wait)),),
            )

    def _language(self, code: str | None, name: str) -> str:
        if code is None:
            raise ApiError(400, f"Invalid request: missing {name} parameter")
        served = ALIASES.get(code.strip().lower())
        if served is None:
            raise ApiError(400, f"{printable(code)[:40]} is not supported")
        return served

    # ------------------------------------------------------------------ endpoints

    async def _translate(self, request: Request, record: _Record) -> Response:
        params = self._params(request)
        self._access(request, params)
        ask = self._translation_request(params, record)
        self._charge(request, len(ask.texts) - 1)  # a list costs one per text, as in LT
        texts = ask.texts
        if ask.direction.source == DARIJA:  # typed in Latin letters: the models read Arabic
            texts = [arabizi_to_arabic(t) if is_arabizi(t) else t for t in texts]
        options = TranslationOptions.for_quality(
            self.config.quality, alternatives=ask.alternatives + 1, use_vmap=self.config.use_vmap
        )
        if ask.html:
            translated, alternatives = await self._html(texts, ask.direction, options)
        else:
            results = await self._run(texts, ask.direction, options)
            translated = [t.text for t in results]
            alternatives = [_alternatives(t, ask.alternatives) for t in results]
        many = ask.many
        body: dict[str, object] = {"translatedText": translated if many else translated[0]}
        if ask.alternatives > 0:
            body["alternatives"] = alternatives if many else alternatives[0]
        if ask.detected is not None:
            body["detectedLanguage"] = [ask.detected] * len(texts) if many else ask.detected
        if _flag(params, "arabizi") and ask.direction.target == DARIJA:
            readings = [to_arabizi(text) for text in translated]
            body["arabizi"] = readings if many else readings[0]
        if self.config.log_text:
            record.detail.append(f"{ask.texts!r} → {translated!r}")
        return Response.json(body)

    def _translation_request(self, params: dict[str, Any], record: _Record) -> _Ask:
        """``/translate``'s parameters checked, in LibreTranslate's order and words."""
        q = params.get("q")
        if q is None or q in ("", []):
            raise ApiError(400, "Invalid request: missing q parameter")
        texts, many = _text_list(q)
        source_code = _string(params, "source")
        if source_code is None:
            raise ApiError(400, "Invalid request: missing source parameter")
        target = self._language(_string(params, "target"), "target")
        count = self._alternatives_count(params.get("alternatives", 0))
        limits = self.config.limits
        if len(texts) > limits.batch_limit:
            raise ApiError(
                400,
                f"Invalid request: request ({len(texts)}) exceeds batch limit "
                f"({limits.batch_limit})",
            )
        record.texts, record.chars = len(texts), sum(len(text) for text in texts)
        if record.chars > limits.char_limit:
            raise ApiError(
                400,
                f"Invalid request: request ({record.chars}) exceeds text limit "
                f"({limits.char_limit})",
            )
        detected: dict[str, object] | None = None
        if source_code.strip().lower() == "auto":
            best = detect("\n".join(texts))[0]
            source = best.language
            detected = {"confidence": best.confidence, "language": best.language}
        else:
            source = self._language(source_code, "source")
        text_format = _string(params, "format") or "text"
        if text_format not in ("text", "html"):
            raise ApiError(400, f"{printable(text_format)[:40]} format is not supported")
        if not self.engine.model().translates(source, target):
            raise ApiError(
                400,
                f"{NAMES[target]} ({target}) is not available as a target "
                f"language from {NAMES[source]} ({source})",
            )
        record.detail.append(f"{source}→{target}")
        return _Ask(texts, many, Direction(source, target), count, text_format == "html", detected)

    def _alternatives_count(self, value: object) -> int:
        """``alternatives`` as LibreTranslate reads it: ``int(value)``, at least 0."""
        if not isinstance(value, int | float | str):  # bools are ints, as in Python
            raise ApiError(400, "Invalid request: alternatives parameter is not a number")
        try:
            count = max(0, int(value.strip() if isinstance(value, str) else value))
        except (ValueError, OverflowError):  # "many", nan, inf
            raise ApiError(400, "Invalid request: alternatives parameter is not a number") from None
        limit = self.config.limits.alternatives_limit
        if count > limit:
            raise ApiError(400, f"Invalid request: alternatives parameter must be <= {limit}")
        return count

    async def _html(
        self, texts: list[str], direction: Direction, options: TranslationOptions
    ) -> tuple[list[str], list[list[str]]]:
        """Each markup's text runs, translated in one batch; no alternatives (as LibreTranslate)."""
        markups: list[Markup] = [split_markup(text) for text in texts]
        runs = [run for markup in markups for run in markup.texts]
        results = await self._run(runs, direction, options) if runs else []
        translated: list[str] = []
        position = 0
        for markup in markups:
            count = len(markup.text_slots)
            translated.append(
                markup.rebuild([t.text for t in results[position : position + count]])
            )
            position += count
        return translated, [[] for _ in texts]

    async def _run(
        self, texts: list[str], direction: Direction, options: TranslationOptions
    ) -> list[Translation]:
        try:
            future: Future[list[Translation]] = self.batcher.submit(texts, direction, options)
        except QueueFullError as full:
            raise ApiError(
                429,
                f"Slowdown: the translator is busy; try again in {full.retry_after} seconds.",
                (("Retry-After", str(full.retry_after)),),
            ) from None
        except StoppedError:
            raise ApiError(503, "The server is stopping.") from None
        try:
            return await asyncio.wait_for(
                asyncio.wrap_future(future), self.config.timeouts.translate
            )
        except asyncio.TimeoutError:  # TimeoutError from Python 3.11 on
            future.cancel()
            raise ApiError(
                503,
                "The translator is too busy to answer in time; try again.",
                (("Retry-After", "5"),),
            ) from None
        except StoppedError:
            raise ApiError(503, "The server is stopping.") from None
        except TerjmanError as error:
            raise ApiError(500, f"Cannot translate text: {error}") from None

    async def _detect(self, request: Request, record: _Record) -> Response:
        params = self._params(request)
        self._access(request, params)
        q = params.get("q")
        if q is None or q in ("", []):
            raise ApiError(400, "Invalid request: missing q parameter")
        texts, _ = _text_list(q)
        record.texts, record.chars = len(texts), sum(len(t) for t in texts)
        if record.chars > self.config.limits.char_limit:
            raise ApiError(
                400,
                f"Invalid request: request ({record.chars}) exceeds text limit "
                f"({self.config.limits.char_limit})",
            )
        return Response.json([d.as_json() for d in detect("\n".join(texts))])

    async def _languages(self, request: Request, record: _Record) -> Response:
        model = self.engine.model()
        codes = [
            code
            for code in (ENGLISH, DARIJA)
            if any(code in (d.source, d.target) for d in model.directions)
        ]
        if DARIJA in codes:
            codes.append("ar")
        listed = []
        for code in codes:
            served = ALIASES[code]
            targets = [t for t in (ENGLISH, DARIJA) if model.translates(served, t)]
            if DARIJA in targets:
                targets.append("ar")
            listed.append({"code": code, "name": NAMES[code], "targets": targets})
        return Response.json(listed)

    async def _settings(self, request: Request, record: _Record) -> Response:
        model = self.engine.model()
        first = model.directions[0] if model.directions else Direction(ENGLISH, DARIJA)
        keyed = self.config.api_key is not None
        return Response.json(
            {
                "charLimit": self.config.limits.char_limit,
                "frontendTimeout": FRONTEND_TIMEOUT_MS,
                "apiKeys": keyed,
                "keyRequired": keyed,
                "suggestions": False,
                "filesTranslation": False,
                "supportedFilesFormat": [],
                "language": {
                    "source": {"code": first.source, "name": NAMES[first.source]},
                    "target": {"code": first.target, "name": NAMES[first.target]},
                },
                "model": {"id": model.id, "name": model.name},  # extension: what is served
            }
        )

    def _disabled(self, message: str) -> Callable[[Request, _Record], Awaitable[Response]]:
        async def disabled(request: Request, record: _Record) -> Response:
            raise ApiError(403, message)

        return disabled

    def _static(self, path: str) -> Response:
        name, media = STATIC_FILES.get(path, (path.removeprefix("/static/"), ""))
        known = dict(STATIC_FILES.values())
        if name not in known:  # only the files listed: no path ever reaches the disk
            raise ApiError(404, "Not found.")
        folder = resources.files("terjman_desktop.serve").joinpath("static")
        data = folder.joinpath(name).read_bytes()
        return Response(
            200,
            data,
            media or known[name],
            (
                ("Cache-Control", "no-cache"),
                (
                    "Content-Security-Policy",
                    "default-src 'self'; style-src 'self'; script-src 'self'; "
                    "connect-src 'self'; img-src 'self' data:",
                ),
            ),
        )

    # ------------------------------------------------------------------ log

    def _log(self, request: Request, response: Response, record: _Record, seconds: float) -> None:
        size = f" {record.texts} texts, {record.chars} chars" if record.texts else ""
        detail = (" " + printable(" ".join(record.detail))) if record.detail else ""
        logger.info(
            "%s %s %s %d %.0fms%s%s",
            request.client,
            request.method,
            printable(request.path)[:80],
            response.status,
            seconds * 1000,
            size,
            detail,
        )
