"""Where the Hugging Face Hub is, which access token to use, and where that token may go.

The Hub's own conventions are followed, so a machine set up for ``huggingface_hub`` works as
is: ``HF_ENDPOINT`` moves the Hub (a mirror, a company proxy), ``HF_TOKEN`` or the token file
that ``hf auth login`` writes gives the token, ``HF_HUB_DISABLE_IMPLICIT_TOKEN`` keeps every
token but an explicit one at home.

The token policy lives here, in one place: a token is attached to a request only when the
request's origin (scheme, host, port) is the Hub endpoint's, and only when that origin is
https or was configured on purpose (``HF_ENDPOINT`` or an explicit endpoint). Never to a
catalog mirror, never to the CDN a download is redirected to. Tokens never appear in a log,
a ``repr`` or an exception.

Nothing here touches the network; reading the token file is done when asked, not at import.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from terjman_desktop.core.errors import HubError

logger = logging.getLogger(__name__)

DEFAULT_ENDPOINT = "https://huggingface.co"
ENDPOINT_ENV = "HF_ENDPOINT"
TOKEN_ENV = "HF_TOKEN"
LEGACY_TOKEN_ENV = "HUGGING_FACE_HUB_TOKEN"  # older huggingface_hub releases; still honoured
TERJMAN_TOKEN_ENV = "TERJMAN_HF_TOKEN"
TOKEN_PATH_ENV = "HF_TOKEN_PATH"
HOME_ENV = "HF_HOME"
DISABLE_IMPLICIT_ENV = "HF_HUB_DISABLE_IMPLICIT_TOKEN"
# Where a person gives a token, for messages that ask for one.
_DEFAULT_PORTS = {"http": 80, "https": 443}
# A token goes into an HTTP header: printable ASCII without spaces, or requests would put the
# value into the text of the error it raises.
_TOKEN_CHARS = re.compile(r"^[\x21-\x7e]{1,1024}$")
_TRUE = {"1", "ON", "YES", "TRUE"}


class Origin(NamedTuple):
    """The part of a URL a browser would call its origin, with the default port made explicit."""

    scheme: str
    host: str
    port: int


def url_origin(url: str) -> Origin:
    """The origin of ``url``; an unparsable port gives port -1, which matches nothing."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or _DEFAULT_PORTS.get(scheme, 0)
    except ValueError:
        port = -1
    return Origin(scheme, (parts.hostname or "").lower(), port)


@dataclass(frozen=True)
class HubEndpoint:
    """The Hub's base URL and whether someone chose it (``HF_ENDPOINT``, an argument).

    ``explicit`` matters for plain ``http://``: a token goes to an http origin only when that
    origin was configured on purpose (a local mirror, the tests' stand-in Hub).
    """

    url: str
    explicit: bool = False

    @property
    def origin(self) -> Origin:
        return url_origin(self.url)

    def trusts(self, url: str) -> bool:
        """True when a request to ``url`` may carry the Hub token."""
        origin = self.origin
        return url_origin(url) == origin and (origin.scheme == "https" or self.explicit)

    def repo_url(self, repo: str) -> str:
        """The repository's web page (where a gated model's conditions are accepted)."""
        return f"{self.url}/{repo}"


def hub_endpoint(
    endpoint: str | HubEndpoint | None = None, *, environ: Mapping[str, str] | None = None
) -> HubEndpoint:
    """The Hub endpoint: ``endpoint`` if given, else ``HF_ENDPOINT``, else huggingface.co.

    Raises:
        HubError: when the URL is not a plain http(s) base URL.
    """
    if isinstance(endpoint, HubEndpoint):
        return endpoint
    env = os.environ if environ is None else environ
    if endpoint:
        url, where, explicit = endpoint, "The Hub endpoint", True
    elif env.get(ENDPOINT_ENV, "").strip():
        url, where, explicit = env[ENDPOINT_ENV].strip(), ENDPOINT_ENV, True
    else:
        url, where, explicit = DEFAULT_ENDPOINT, "The Hub endpoint", False
    url = url.rstrip("/")
    parts = urlsplit(url)
    if (
        parts.scheme.lower() not in _DEFAULT_PORTS
        or not parts.hostname
        or parts.username is not None
        or parts.password is not None
        or parts.query
        or parts.fragment
        or url_origin(url).port < 0
    ):
        # The URL itself is not shown: it might carry credentials (user:password@host).
        raise HubError(
            f"{where} is not a plain http(s) address such as {DEFAULT_ENDPOINT}.",
            hint=f"Fix or unset {ENDPOINT_ENV}.",
        )
    return HubEndpoint(url, explicit)


@dataclass(frozen=True)
class HubToken:
    """An access token and where it came from (for messages: the source, never the value)."""

    value: str = field(repr=False)
    source: str

    def __str__(self) -> str:
        return f"the access token from {self.source}"


@dataclass(frozen=True)
class Credentials:
    """A token bound to the one Hub endpoint it may be sent to."""

    token: HubToken
    endpoint: HubEndpoint

    def authorization_for(self, url: str) -> str | None:
        """The ``Authorization`` header value for a request to ``url``, or None."""
        if self.endpoint.trusts(url):
            return f"Bearer {self.token.value}"
        return None


def _is_true(value: str | None) -> bool:
    return value is not None and value.strip().upper() in _TRUE


def token_file_path(environ: Mapping[str, str] | None = None) -> Path:
    """Where ``hf auth login`` keeps the token: ``HF_TOKEN_PATH``, else ``HF_HOME/token``."""
    env = os.environ if environ is None else environ

    def expand(value: str) -> str:
        return os.path.expandvars(os.path.expanduser(value))

    if env.get(TOKEN_PATH_ENV):
        return Path(expand(env[TOKEN_PATH_ENV]))
    if env.get(HOME_ENV):
        return Path(expand(env[HOME_ENV])) / "token"
    home = env.get("HOME") or os.path.expanduser("~")
    cache = env.get("XDG_CACHE_HOME") or os.path.join(home, ".cache")
    return Path(expand(cache)) / "huggingface" / "token"


def _read_token_file(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        logger.warning("Ignoring the Hugging Face token file %s: %s", path, type(error).__name__)
        return None


def as_token(value: str | None, source: str) -> HubToken | None:
    """``value`` as a token named by ``source``; None when empty.

    Raises:
        HubError: when it cannot be a token (spaces, control characters).
    """
    token = (value or "").strip()
    if not token:
        return None
    if not _TOKEN_CHARS.match(token):
        raise HubError(
            f"The access token from {source} is not valid: it contains spaces or characters a "
            "token never has.",
            hint="Copy the token again from your Hugging Face settings (Access Tokens).",
        )
    return HubToken(token, source)


def resolve_token(
    explicit: str | None = None,
    *,
    explicit_source: str = "the settings",
    environ: Mapping[str, str] | None = None,
) -> HubToken | None:
    """The token to use, and where it came from; None when there is none.

    Order: ``explicit`` (the caller's: ``--token``, the settings) > ``HF_TOKEN`` (or the older
    ``HUGGING_FACE_HUB_TOKEN``) > ``TERJMAN_HF_TOKEN`` > the token file of ``hf auth login``.
    With ``HF_HUB_DISABLE_IMPLICIT_TOKEN`` set, as in huggingface_hub, only ``explicit`` counts.

    Args:
        explicit: A token given on purpose; empty or None when there is none.
        explicit_source: How to name it in messages (``"--token"``, ``"the settings"``).
        environ: The environment to read (``os.environ`` by default).

    Raises:
        HubError: when the chosen token cannot be a token (spaces, control characters).
    """
    env = os.environ if environ is None else environ
    if token := as_token(explicit, explicit_source):
        return token
    if _is_true(env.get(DISABLE_IMPLICIT_ENV)):
        return None
    for name in (TOKEN_ENV, LEGACY_TOKEN_ENV, TERJMAN_TOKEN_ENV):
        if token := as_token(env.get(name), name):
            return token
    path = token_file_path(env)
    return as_token(_read_token_file(path), f"the token file {path}")


def hub_credentials(
    token: str | None, endpoint: str | HubEndpoint | None = None
) -> Credentials | None:
    """``token`` bound to the Hub endpoint (``endpoint``, else ``HF_ENDPOINT``, else the Hub).

    Raises:
        HubError: when the token or the endpoint is malformed.
    """
    resolved = as_token(token, "the given token")
    return Credentials(resolved, hub_endpoint(endpoint)) if resolved else None
