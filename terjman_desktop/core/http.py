"""HTTP plumbing shared by catalog refresh and model downloads (built on ``requests``).

Kept apart from :mod:`terjman_desktop.core.models.download` so that module reads as the download
algorithm alone. ``requests`` is imported here at module level, so callers that must stay
cheap to import (the catalog) import this module lazily.
"""

from __future__ import annotations

import datetime
import email.utils
import logging
import re
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple, Protocol
from urllib.parse import urljoin, urlsplit

import requests
import urllib3.exceptions

from terjman_desktop import __version__
from terjman_desktop.core.errors import TOKEN_WAYS, AccessDeniedError, DownloadError

logger = logging.getLogger(__name__)

USER_AGENT = f"terjman-desktop/{__version__}"
MAX_REDIRECTS = 10
_CONTENT_RANGE = re.compile(r"^\s*bytes\s+(?:(\d+)-(\d+)|\*)/(?:(\d+)|\*)\s*$", re.IGNORECASE)


class Authorizer(Protocol):
    """Decides, URL by URL, whether a request carries a token (see ``models.hub.auth``)."""

    def authorization_for(self, url: str) -> str | None:
        """The ``Authorization`` header value for a request to ``url``, or None."""


class _RequestAuth(requests.auth.AuthBase):
    """Sets (or removes) ``Authorization`` on one request.

    Always passing one, even without a token, stops requests from adding ``~/.netrc``
    credentials on its own: a CDN that sees an unexpected ``Authorization`` refuses the download.
    """

    def __init__(self, value: str | None) -> None:
        self._value = value

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        if self._value is None:
            request.headers.pop("Authorization", None)
        else:
            request.headers["Authorization"] = self._value
        return request

    def __repr__(self) -> str:  # never show the token in a log or a traceback
        return "_RequestAuth(<hidden>)"


def new_session() -> requests.Session:
    """A session with our User-Agent and no content encoding; it never holds a token.

    Tokens are attached per request by :func:`send`, which decides for each URL (see
    :mod:`~terjman_desktop.core.models.hub.auth`): a token on the session would go to every
    mirror.
    """
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    # Byte ranges and hashes are about the file as stored, not a gzip transfer of it.
    session.headers["Accept-Encoding"] = "identity"
    return session


def send(
    session: requests.Session,
    method: str,
    url: str,
    *,
    credentials: Authorizer | None = None,
    timeout: tuple[float, float],
    headers: Mapping[str, str] | None = None,
    params: Mapping[str, str | int] | None = None,
    data: Any = None,
    stream: bool = False,
    max_redirects: int = MAX_REDIRECTS,
) -> requests.Response:
    """One request, following redirects by hand so the token is decided again at every hop.

    The Hub answers a large file with a redirect to a CDN and a signed URL: the token must
    not follow it there. ``Range`` and the other ``headers`` do follow, since the CDN needs
    them. A relative ``Location`` is resolved against the URL that sent it.

    Raises:
        requests.RequestException: transport failures, a redirect to a non-http(s) URL
            (``InvalidSchema``) or more than ``max_redirects`` of them (``TooManyRedirects``).
    """
    for _hop in range(max_redirects + 1):
        value = credentials.authorization_for(url) if credentials is not None else None
        response = session.request(
            method, url, headers=dict(headers or {}), params=params, data=data,
            stream=stream, timeout=timeout, allow_redirects=False, auth=_RequestAuth(value),
        )
        if not response.is_redirect:
            return response
        target = urljoin(response.url, response.headers["Location"])
        response.close()
        if urlsplit(target).scheme.lower() not in ("http", "https"):
            raise requests.exceptions.InvalidSchema("a redirect to a non-http(s) address")
        if response.status_code == 303 or (
            response.status_code in (301, 302) and method == "POST"
        ):
            method, data = "GET", None  # what browsers (and requests) do
        url, params = target, None  # the Location carries its own query
    raise requests.TooManyRedirects(f"more than {max_redirects} redirects")


def token_sent(credentials: Authorizer | None, response: requests.Response) -> bool:
    """Whether the request that got ``response`` (after redirects) carried the token."""
    return credentials is not None and credentials.authorization_for(response.url) is not None


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date); None if absent."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(min(int(value[:9]), 10**8))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    return max(0.0, (when - datetime.datetime.now(datetime.timezone.utc)).total_seconds())


class BodyTooLargeError(Exception):
    """A response body is larger than the caller allows (a hostile or confused server)."""


def read_body(response: requests.Response, max_bytes: int) -> bytes:
    """The whole body of a streamed response, refusing to hold more than ``max_bytes``.

    Raises:
        BodyTooLargeError: as soon as the body (or its announced length) exceeds the limit.
        requests.RequestException: transport failures while reading.
    """
    announced = response.headers.get("Content-Length", "")
    if announced.isdigit() and int(announced) > max_bytes:
        raise BodyTooLargeError(f"more than {max_bytes} bytes")
    body = bytearray()
    for chunk in iter_body(response, 64 * 1024):
        body += chunk
        if len(body) > max_bytes:
            raise BodyTooLargeError(f"more than {max_bytes} bytes")
    return bytes(body)


class ContentRange(NamedTuple):
    """A parsed ``Content-Range``; ``start``/``end`` are None in the 416 form ``bytes */N``."""

    start: int | None
    end: int | None
    total: int | None


def parse_content_range(value: str | None) -> ContentRange | None:
    """Parse ``bytes START-END/TOTAL`` or ``bytes */TOTAL``; None when absent or invalid."""
    match = _CONTENT_RANGE.match(value or "")
    if not match:
        return None
    start, end, total = (None if group is None else int(group) for group in match.groups())
    return ContentRange(start, end, total)


def iter_body(response: requests.Response, chunk_size: int) -> Iterator[bytes]:
    """Yield the body as it arrives, in pieces of at most ``chunk_size`` bytes.

    Unlike ``iter_content``, which waits until a whole ``chunk_size`` has arrived, this returns
    whatever the socket has (``read1``), so on a slow link progress, pause and cancel react
    within one network read rather than one full chunk. Transport errors are raised as the
    same ``requests`` exceptions ``iter_content`` raises.
    """
    raw = response.raw
    read1 = getattr(raw, "read1", None)  # urllib3 >= 2.3
    if read1 is None or getattr(raw, "chunked", False):
        yield from response.iter_content(chunk_size)
        return
    try:
        while chunk := read1(chunk_size, decode_content=True):
            yield chunk
    except urllib3.exceptions.ReadTimeoutError as error:
        raise requests.ConnectionError(error) from error
    except urllib3.exceptions.SSLError as error:
        raise requests.exceptions.SSLError(error) from error
    except urllib3.exceptions.ProtocolError as error:
        raise requests.exceptions.ChunkedEncodingError(error) from error
    except urllib3.exceptions.DecodeError as error:
        raise requests.exceptions.ContentDecodingError(error) from error


def describe_error(error: requests.RequestException) -> str:
    """A short, human description of a transport failure (no URL, no headers)."""
    if isinstance(error, requests.ConnectTimeout):
        return "the connection timed out"
    if isinstance(error, requests.ReadTimeout):
        return "the server stopped sending data (read timeout)"
    reason = error.args[0] if error.args else None
    if isinstance(reason, urllib3.exceptions.ReadTimeoutError):
        # requests wraps a timeout during streaming in a ConnectionError.
        return "the server stopped sending data (read timeout)"
    if isinstance(error, requests.exceptions.ChunkedEncodingError):
        return "the connection was cut during the transfer"
    if isinstance(error, requests.exceptions.SSLError):
        return "the secure connection failed (SSL)"
    if isinstance(error, requests.exceptions.TooManyRedirects):
        return "too many redirects"
    if isinstance(error, requests.ConnectionError):
        text = str(reason or error)
        if "refused" in text.lower():
            return "the connection was refused"
        if "resolve" in text.lower() or "name or service" in text.lower():
            return "the server name could not be resolved"
        return "the connection failed"
    return type(error).__name__


def access_denied(status: int, what: str, *, token_sent: bool) -> AccessDeniedError:
    """The error for HTTP 401/403, saying how to get access to a gated repository."""
    problem = (
        "the access token was refused or has not been granted access yet"
        if token_sent
        else "no access token was given"
    )
    return AccessDeniedError(
        f"The server refused access to {what} (HTTP {status}): {problem}.",
        hint=(
            "The Hugging Face repository is gated: request access on its page, then set your "
            f"access token {TOKEN_WAYS}."
        ),
    )


def fetch_bytes(
    url: str,
    *,
    timeout: float,
    max_bytes: int,
    credentials: Authorizer | None = None,
) -> bytes:
    """GET a small document (a catalog) into memory.

    ``credentials`` decide whether the token goes with it (only to the Hub: see
    :func:`~terjman_desktop.core.models.hub.auth.hub_credentials`).

    Raises:
        AccessDeniedError: on HTTP 401/403.
        DownloadError: on any other failure, or a body larger than ``max_bytes``.
    """
    with new_session() as session:
        try:
            with send(
                session, "GET", url, credentials=credentials, stream=True,
                timeout=(timeout, timeout),
            ) as response:
                if response.status_code in (401, 403):
                    raise access_denied(
                        response.status_code, url,
                        token_sent=token_sent(credentials, response),
                    )
                if response.status_code != 200:
                    raise DownloadError(f"{url} answered HTTP {response.status_code}.")
                return read_body(response, max_bytes)
        except BodyTooLargeError:
            raise DownloadError(f"{url} sent more than {max_bytes} bytes.") from None
        except requests.RequestException as error:
            raise DownloadError(f"{url} cannot be reached: {describe_error(error)}.") from error
