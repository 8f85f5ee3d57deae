"""Talking to the Hugging Face Hub's HTTP API: retries, limits, and errors a person can act on.

The Hub says what went wrong in two headers, ``X-Error-Code`` (``GatedRepo``,
``RepoNotFound``, ``RevisionNotFound``, ``EntryNotFound``, ``DisabledRepo``) and
``X-Error-Message``; :func:`hub_error` turns them into the
:class:`~terjman_desktop.core.errors.HubError` kinds, whose messages say what to do.
``X-Error-Message`` is the server's text: it is made printable and cut short before a person
sees it, and only where our own words would say less.

Transient failures (connection errors, timeouts, 5xx) are retried with exponential backoff,
a 429 waits for its ``Retry-After`` when that is short; every wait can be cancelled. Bodies
are read with a size cap and decoded with :mod:`~terjman_desktop.core.jsonio`'s limits, so a
hostile endpoint gets a clear error, not a traceback or a full memory.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import requests

from terjman_desktop.core import jsonio
from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.errors import (
    TOKEN_WAYS,
    DisabledRepoError,
    EntryNotFoundError,
    GatedRepoError,
    HubAccessError,
    HubError,
    HubResponseError,
    HubUnreachableError,
    RateLimitedError,
    RepoNotFoundError,
    RevisionNotFoundError,
)
from terjman_desktop.core.http import (
    BodyTooLargeError,
    describe_error,
    new_session,
    parse_retry_after,
    read_body,
    send,
    token_sent,
)
from terjman_desktop.core.models.hub.auth import (
    ENDPOINT_ENV,
    Credentials,
    HubEndpoint,
    HubToken,
    url_origin,
)
from terjman_desktop.core.text_safety import printable

logger = logging.getLogger(__name__)

MAX_API_BYTES = 16 * 1024 * 1024  # a model's file list is kilobytes; 16 MiB is not a Hub answer
API_LIMITS = jsonio.JsonLimits(max_bytes=MAX_API_BYTES, max_int_digits=20)
MAX_PAGES = 1000
_RETRY_STATUSES = frozenset({408, 500, 502, 503, 504})
_MESSAGE_CHARS = 200


@dataclass(frozen=True)
class Ask:
    """What a request is about, for messages: a repository, a revision, a file."""

    repo: str | None = None
    revision: str | None = None
    path: str | None = None

    def describe(self) -> str:
        if self.repo is None:
            return "the request"
        where = f"{self.repo}@{self.revision}" if self.revision else self.repo
        return f"'{self.path}' of {where}" if self.path else where


class _RetryableError(Exception):
    """Worth another try: a transport failure, a 5xx, a 429."""

    def __init__(self, reason: str, status: int | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.status = status
        self.retry_after = retry_after


class UnsupportedRequestError(HubError):
    """The endpoint does not implement this request (404/405/501 without a Hub error code).

    A mirror of the Hub may lack an API route the Hub has; the caller can try another way.
    """


def _said(message: str | None) -> str:
    if not message:
        return ""
    text = printable(message.strip())
    if len(text) > _MESSAGE_CHARS:
        text = text[:_MESSAGE_CHARS] + "…"
    return f" (the Hub says: {text})"


def hub_error(
    status: int,
    headers: Mapping[str, str],
    ask: Ask,
    endpoint: HubEndpoint,
    token: HubToken | None,
    sent: bool,
) -> HubError:
    """The error for a refused request; ``sent`` tells whether the token went with it."""
    code = headers.get("X-Error-Code")
    message = headers.get("X-Error-Message")
    repo = ask.repo or "the repository"
    page = endpoint.repo_url(ask.repo) if ask.repo else endpoint.url
    who = str(token) if token is not None else "the access token"
    if code == "GatedRepo":
        if sent:
            return GatedRepoError(
                f"{repo} is a gated model, and {who} has no access to it yet "
                f"(HTTP {status}).",
                hint=f"Accept its conditions at {page} while signed in to the account of "
                "that token (some models wait for the authors' approval), then try again.",
            )
        return GatedRepoError(
            f"{repo} is a gated model: downloading it needs an access token.",
            hint=f"Accept its conditions at {page} while signed in, then give an access "
            f"token ({TOKEN_WAYS}).",
        )
    if code == "DisabledRepo" or message == "Access to this resource is disabled.":
        return DisabledRepoError(f"The Hub has disabled access to {repo}.",
                                 hint="Choose another model.")
    if code == "RevisionNotFound":
        return RevisionNotFoundError(
            f"{repo} has no revision '{ask.revision}' (no such branch, tag or commit).",
            hint="Check the name after '@'; without one, the branch main is used.",
        )
    if code == "EntryNotFound":
        return EntryNotFoundError(
            f"{repo} has no file '{ask.path}' at {ask.revision}.",
            hint="The repository may have changed since it was resolved: try again.",
        )
    if status == 401 and sent and code != "RepoNotFound":
        return HubAccessError(
            f"The Hub refused {who} (HTTP 401): it is not valid, or it has expired.",
            hint=f"Create a new token at {endpoint.url}/settings/tokens and give it "
            f"{TOKEN_WAYS}.",
        )
    if code == "RepoNotFound" or (status == 401 and ask.repo is not None):
        # The Hub answers 401 for a missing repository when no token is given: it cannot
        # tell a missing repository from a private one the caller may not see.
        if sent:
            return RepoNotFoundError(
                f"There is no repository {repo} on the Hub at {endpoint.url}, or {who} "
                "cannot see it.",
                hint="Check the name (ORG/NAME, for example atlasia/Terjman-Nano) and the "
                "token's access.",
            )
        return RepoNotFoundError(
            f"There is no repository {repo} on the Hub at {endpoint.url} (or it is private: "
            "give a token).",
            hint="Check the name (ORG/NAME, for example atlasia/Terjman-Nano); for a private "
            f"repository give an access token {TOKEN_WAYS}.",
        )
    if status == 403:
        if sent:
            return HubAccessError(f"{who.capitalize()} lacks access to {repo} (HTTP 403)."
                                  f"{_said(message)}",
                                  hint=f"Give a token with read access to it {TOKEN_WAYS}.")
        return HubAccessError(f"The Hub refused access to {repo} (HTTP 403).{_said(message)}",
                              hint=f"Give an access token {TOKEN_WAYS}.")
    if status in (404, 405, 501):
        return UnsupportedRequestError(
            f"The Hub at {endpoint.url} cannot answer the request for {ask.describe()} "
            f"(HTTP {status}).{_said(message)}",
            hint=f"If {ENDPOINT_ENV} points to a mirror of the Hub, it may not support it.",
        )
    return HubError(
        f"The Hub at {endpoint.url} refused the request for {ask.describe()} "
        f"(HTTP {status}).{_said(message)}",
    )


def unreachable(endpoint: HubEndpoint, reason: str, what: str) -> HubUnreachableError:
    """The error after the retries: the Hub, named by its address, cannot be reached."""
    return HubUnreachableError(
        f"The Hugging Face Hub at {endpoint.url} cannot be reached ({what}: {reason}).",
        hint="Check the internet connection and try again later. Where huggingface.co is "
        f"blocked or slow, set {ENDPOINT_ENV} to a mirror of the Hub.",
    )


def rate_limited(wait: float | None) -> RateLimitedError:
    later = f"in {int(wait) + 1} seconds" if wait else "in a few minutes"
    return RateLimitedError(
        "The Hub is receiving too many requests from this connection (HTTP 429).",
        hint=f"Try again {later}; signing in with an access token raises the limit.",
    )


def cancellable_wait(seconds: float, control: CancelToken | None) -> None:
    """Sleep ``seconds``, waking every 0.1 s to raise CancelledError once cancelled."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        if control is not None:
            control.raise_if_cancelled()
        time.sleep(min(left, 0.1))
    if control is not None:
        control.raise_if_cancelled()


class HubTransport:
    """Sends API requests to one endpoint and returns decoded, size-capped JSON."""

    def __init__(
        self,
        endpoint: HubEndpoint,
        token: HubToken | None,
        *,
        retries: int = 4,
        backoff: float = 0.5,
        timeouts: tuple[float, float] = (10.0, 30.0),
        max_retry_after: float = 30.0,
    ) -> None:
        self.endpoint = endpoint
        self.token = token
        self.credentials = Credentials(token, endpoint) if token is not None else None
        self.retries = retries
        self.backoff = backoff
        self.timeouts = timeouts
        self.max_retry_after = max_retry_after
        # How a retry waits; tests replace it to record the waits instead.
        self.wait: Callable[[float, CancelToken | None], None] = cancellable_wait

    def __repr__(self) -> str:
        source = self.token.source if self.token else "no token"
        return f"HubTransport({self.endpoint.url!r}, {source})"

    def url(self, path: str) -> str:
        return f"{self.endpoint.url}/{path.lstrip('/')}"

    def call(
        self,
        method: str,
        url: str,
        ask: Ask,
        *,
        params: Mapping[str, str | int] | None = None,
        data: Any = None,
        control: CancelToken | None = None,
    ) -> tuple[Any, requests.Response]:
        """One API request with retries; the decoded JSON and the (closed) response.

        Raises:
            HubError and its kinds, CancelledError.
        """
        attempt = 0
        with new_session() as session:
            while True:
                attempt += 1
                if control is not None:
                    control.raise_if_cancelled()
                try:
                    return self._once(session, method, url, ask, params, data)
                except _RetryableError as error:
                    logger.info("%s %s: %s (attempt %d)", method, url, error, attempt)
                    wait = self.backoff * 2 ** (attempt - 1)
                    if error.status == 429:
                        if error.retry_after is not None and (
                            error.retry_after > self.max_retry_after
                        ):
                            raise rate_limited(error.retry_after) from None
                        if attempt > self.retries:
                            raise rate_limited(error.retry_after) from None
                        wait = max(wait, error.retry_after or 0.0)
                    elif attempt > self.retries:
                        raise unreachable(self.endpoint, str(error), ask.describe()) from None
                    self.wait(wait, control)

    def _once(
        self,
        session: requests.Session,
        method: str,
        url: str,
        ask: Ask,
        params: Mapping[str, str | int] | None,
        data: Any,
    ) -> tuple[Any, requests.Response]:
        try:
            response = send(session, method, url, credentials=self.credentials,
                            timeout=self.timeouts, params=params, data=data, stream=True,
                            headers={"Accept": "application/json"})
        except requests.TooManyRedirects:
            raise HubResponseError(f"The Hub at {self.endpoint.url} redirects in circles.",
                                   hint=f"Check {ENDPOINT_ENV}.") from None
        except requests.RequestException as error:
            raise _RetryableError(describe_error(error)) from error
        with response:
            status = response.status_code
            if status == 429:
                raise _RetryableError("HTTP 429", status, parse_retry_after(
                    response.headers.get("Retry-After")))
            if status in _RETRY_STATUSES or status >= 500:
                raise _RetryableError(f"HTTP {status}", status)
            if status != 200:
                raise hub_error(status, response.headers, ask, self.endpoint, self.token,
                                token_sent(self.credentials, response))
            try:
                body = read_body(response, MAX_API_BYTES)
            except BodyTooLargeError:
                raise HubResponseError(
                    f"The Hub's answer about {ask.describe()} is larger than "
                    f"{MAX_API_BYTES // (1024 * 1024)} MiB, which no Hub answer is.",
                    hint=f"If {ENDPOINT_ENV} points to a mirror of the Hub, it may be broken.",
                ) from None
            except requests.RequestException as error:
                raise _RetryableError(describe_error(error)) from error
        try:
            return jsonio.loads(body, f"The Hub's answer about {ask.describe()}",
                                limits=API_LIMITS), response
        except jsonio.JsonReadError as error:
            raise HubResponseError(
                f"{error.where} {error.problem}.",
                hint=f"Try again later; if {ENDPOINT_ENV} points to a mirror of the Hub, it may "
                "be broken or not a Hub mirror at all.",
            ) from None

    def get_json(self, path: str, ask: Ask, *, params: Mapping[str, str | int] | None = None,
                 control: CancelToken | None = None) -> Any:
        return self.call("GET", self.url(path), ask, params=params, control=control)[0]

    def post_form(self, path: str, ask: Ask, data: Any, *,
                  control: CancelToken | None = None) -> Any:
        return self.call("POST", self.url(path), ask, data=data, control=control)[0]

    def get_pages(self, path: str, ask: Ask, *, params: Mapping[str, str | int],
                  control: CancelToken | None = None) -> Iterator[Any]:
        """Each page of a listing that continues in ``Link: <…>; rel="next"`` headers."""
        url: str | None = self.url(path)
        page_params: Mapping[str, str | int] | None = params
        for _ in range(MAX_PAGES):
            if url is None:
                return
            data, response = self.call("GET", url, ask, params=page_params, control=control)
            yield data
            following = response.links.get("next", {}).get("url")
            url, page_params = None, None
            if following:
                url = urljoin(response.url, following)
                if self.endpoint.origin != url_origin(url):
                    raise HubResponseError(
                        f"The Hub's listing of {ask.describe()} continues on another server.",
                        hint=f"If {ENDPOINT_ENV} points to a mirror of the Hub, it may be "
                        "hostile.",
                    )
        raise HubResponseError(f"The Hub's listing of {ask.describe()} has more than "
                               f"{MAX_PAGES} pages.")
