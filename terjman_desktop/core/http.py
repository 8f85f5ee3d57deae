"""HTTP plumbing shared by catalog refresh and model downloads (built on ``requests``).

Kept apart from :mod:`terjman_desktop.core.download` so that module reads as the download
algorithm alone. ``requests`` is imported here at module level, so callers that must stay
cheap to import (the catalog) import this module lazily.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import NamedTuple

import requests
import urllib3.exceptions

from terjman_desktop import __version__
from terjman_desktop.core.errors import AccessDeniedError, DownloadError

logger = logging.getLogger(__name__)

USER_AGENT = f"terjman-desktop/{__version__}"
TOKEN_ENV = "TERJMAN_HF_TOKEN"
_CONTENT_RANGE = re.compile(r"^\s*bytes\s+(?:(\d+)-(\d+)|\*)/(?:(\d+)|\*)\s*$", re.IGNORECASE)


class BearerAuth(requests.auth.AuthBase):
    """``Authorization: Bearer`` on each request.

    Passing it as ``auth`` (rather than a session header) stops requests from replacing it with
    ``~/.netrc`` credentials; requests still drops it on a redirect to another host, so a token
    for the Hub never reaches a CDN or a third-party mirror.
    """

    def __init__(self, token: str) -> None:
        self._token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self._token}"
        return request

    def __repr__(self) -> str:  # never show the token in a log or a traceback
        return "BearerAuth(<hidden>)"


def new_session(token: str | None = None) -> requests.Session:
    """A session with our User-Agent, no content encoding, and the optional bearer token."""
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    # Byte ranges and hashes are about the file as stored, not a gzip transfer of it.
    session.headers["Accept-Encoding"] = "identity"
    if token:
        session.auth = BearerAuth(token)
    return session


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
            f"access token in Settings or in the {TOKEN_ENV} environment variable."
        ),
    )


def fetch_bytes(
    url: str, *, timeout: float, max_bytes: int, token: str | None = None
) -> bytes:
    """GET a small document (a catalog) into memory.

    Raises:
        AccessDeniedError: on HTTP 401/403.
        DownloadError: on any other failure, or a body larger than ``max_bytes``.
    """
    with new_session(token) as session:
        try:
            with session.get(url, stream=True, timeout=(timeout, timeout)) as response:
                if response.status_code in (401, 403):
                    raise access_denied(response.status_code, url, token_sent=bool(token))
                if response.status_code != 200:
                    raise DownloadError(f"{url} answered HTTP {response.status_code}.")
                body = bytearray()
                for chunk in response.iter_content(64 * 1024):
                    body += chunk
                    if len(body) > max_bytes:
                        raise DownloadError(f"{url} sent more than {max_bytes} bytes.")
                return bytes(body)
        except requests.RequestException as error:
            raise DownloadError(f"{url} cannot be reached: {describe_error(error)}.") from error
