"""Resumable, verified, cancellable downloads of a model's files.

Each file is streamed to ``staging_dir/<path>.part`` while it is hashed, resumed with a
``Range`` request after a dropped connection or a restart of the program, checked against its
size and hash (SHA-256, or for a small file of a Hugging Face repository its git blob SHA-1),
and only then renamed to ``staging_dir/<path>``. Nothing unverified ever has a final name, so
the store can move a staging folder into place knowing it is complete.

Failures are retried with exponential backoff across the mirrors in order: a mirror that does
not have the file (404) is skipped, a transient failure (5xx, 429, timeout, dropped connection)
is retried, and content that fails verification is discarded and fetched again. The consecutive
failure count resets whenever an attempt got further into the file than any before it, so a
flaky connection that keeps delivering data eventually completes while a dead one fails after
``retries`` retries. A mirror that trickles (below ``min_rate`` over ``stall_seconds``) is
abandoned for the next one and tried last for the following files; those abandonments are
counted apart, since a trickle always "gets further".

A token is sent only to the Hugging Face Hub endpoint (see :mod:`~.hub_auth`), decided again
at every redirect, never to another mirror or to the CDN the Hub redirects large files to.

The progress tracker and the ``.part`` files are in
:mod:`~terjman_desktop.core.models.download_state`.
"""

from __future__ import annotations

import errno
import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import requests

# diskspace.free_disk_space is looked up at call time: tests replace it.
from terjman_desktop.core import diskspace
from terjman_desktop.core.cancel import PauseToken
from terjman_desktop.core.errors import DiskSpaceError, DownloadError, TerjmanError
from terjman_desktop.core.http import (
    access_denied,
    describe_error,
    iter_body,
    new_session,
    parse_retry_after,
    send,
    token_sent,
)
from terjman_desktop.core.http import parse_content_range as _content_range
from terjman_desktop.core.models.download_state import (
    DownloadProgress,
    HashThread,
    PartFile,
    ProgressTracker,
    RateGuard,
    bytes_present,
    file_matches,
    hash_name,
)
from terjman_desktop.core.models.hub.auth import (
    Credentials,
    HubEndpoint,
    hub_credentials,
    url_origin,
)
from terjman_desktop.core.translate import FileEntry, is_safe_relative_path

__all__ = [
    "CHUNK_SIZE", "DownloadProgress", "Failure", "download_files",
]

logger = logging.getLogger(__name__)

CHUNK_SIZE = 256 * 1024  # upper bound per read; a slow link yields what has arrived
MIN_RATE = 10 * 1024  # bytes/s under which a transfer counts as stalled ...
STALL_SECONDS = 30.0  # ... when it stays there for this long
MAX_RETRY_AFTER = 60.0  # longest Retry-After honoured between attempts (seconds)
_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


@dataclass(frozen=True)
class Failure:
    """Why a file could not be downloaded, for a caller that explains it in its own words.

    Attributes:
        kind: ``"refused"`` (every mirror answered 4xx), ``"transient"`` (5xx, 429, timeouts:
            retries spent), ``"slow"`` (too slow, retries spent) or ``"corrupt"``.
        reason: A short description of the last failure (no URL, no header values).
        status: The HTTP status, when there was one.
        error_code: The Hub's ``X-Error-Code`` header (``GatedRepo``, ``EntryNotFound``…).
        error_message: The Hub's ``X-Error-Message`` header, as sent (untrusted text).
        token_sent: Whether the refused request carried the token.
    """

    kind: str
    reason: str
    status: int | None = None
    error_code: str | None = None
    error_message: str | None = None
    token_sent: bool = False


Explain = Callable[[FileEntry, Failure], "TerjmanError | None"]


class _TransientError(Exception):
    """Worth retrying: a timeout, a dropped connection, a 5xx or 429, a short body."""

    def __init__(self, reason: str, *, status: int | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.status = status
        self.retry_after = retry_after


class _SlowError(Exception):
    """The transfer stayed below the minimum rate: try another mirror."""


class _CorruptError(Exception):
    """The content cannot be the expected file: discard the partial file and start over."""


class _RefusedError(Exception):
    """This mirror will not serve this file (404, 401/403, other 4xx): try the next one."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.reason)
        self.failure = failure


@dataclass
class _Tally:
    """One file's attempts: failures since the last progress, corrupt and slow ones."""

    turn: int = 0  # which usable mirror is next
    failures: int = 0
    corrupt: int = 0
    slow: int = 0
    best: int = 0  # the furthest offset reached


@dataclass
class _Job:
    session: requests.Session
    mirrors: Sequence[str]
    control: PauseToken | None
    progress: ProgressTracker
    retries: int
    backoff: float
    timeouts: tuple[float, float]
    credentials: Credentials | None
    min_rate: float
    stall_seconds: float
    explain: Explain | None
    slow_mirrors: list[str] = field(default_factory=list)

    def check(self) -> None:
        if self.control is not None:
            self.control.wait_if_paused()  # also raises CancelledError when cancelled

    def sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if self.control is not None:
                self.control.raise_if_cancelled()
            time.sleep(min(left, 0.1))

    def fail(self, remote: FileEntry, failure: Failure, default: TerjmanError) -> TerjmanError:
        """The caller's explanation of ``failure`` if it has one, else ``default``."""
        explained = self.explain(remote, failure) if self.explain is not None else None
        return explained if explained is not None else default

    def fetch(self, remote: FileEntry, staging_dir: Path) -> None:
        final = staging_dir / remote.path
        self.progress.current = remote.path
        if final.is_file():
            if file_matches(final, remote):
                logger.debug("%s is already downloaded and verified", remote.path)
                self.progress.set(remote.path, remote.size)
                return
            logger.warning("Discarding %s: it does not match the expected file", final)
            final.unlink()
        final.parent.mkdir(parents=True, exist_ok=True)
        part = PartFile(final.with_name(final.name + ".part"), remote)
        # Mirrors that trickled for an earlier file go last (decided once per file, so the
        # rotation below visits each mirror in turn).
        order = sorted(self.mirrors, key=lambda m: m in self.slow_mirrors)
        refused: dict[str, Failure] = {}
        tally = _Tally()
        while True:
            usable = [m for m in order if m not in refused]
            if not usable:
                raise self.refused(remote, list(refused.values()))
            mirror = usable[tally.turn % len(usable)]
            url = mirror.rstrip("/") + "/" + quote(remote.path)
            try:
                self.check()
                self.transfer(url, remote, part)
                os.replace(part.path, final)
                return
            except _RefusedError as error:
                logger.info("%s: %s, trying the next mirror", url, error)
                refused[mirror] = error.failure
                continue
            except _CorruptError as error:
                logger.warning("%s: %s; discarding the partial file", url, error)
                part.discard()
                self.progress.set(remote.path, 0)
                wait = self.after_corrupt(remote, tally, error)
            except _SlowError as error:
                logger.info("%s: %s; trying the next mirror", url, error)
                if mirror not in self.slow_mirrors:
                    self.slow_mirrors.append(mirror)
                wait = self.after_slow(remote, tally, error)
            except _TransientError as error:
                logger.info("%s: %s", url, error)
                wait = self.after_transient(remote, tally, error, part.offset)
            tally.turn += 1
            self.sleep(wait)

    def delay(self, tally: _Tally, at_least: float = 0.0) -> float:
        exponent = tally.failures + tally.corrupt + tally.slow - 1
        return max(at_least, self.backoff * 2.0**exponent)

    def after_corrupt(self, remote: FileEntry, tally: _Tally, error: _CorruptError) -> float:
        tally.corrupt += 1
        if tally.corrupt > self.retries:
            raise self.fail(remote, Failure("corrupt", str(error)), DownloadError(
                f"'{remote.path}' is corrupt on the server: {error} ({tally.corrupt} attempts).",
                hint="Try again later or use another mirror; report it if it persists.",
            )) from None
        return self.delay(tally)

    def after_slow(self, remote: FileEntry, tally: _Tally, error: _SlowError) -> float:
        # Counted apart from other failures: a trickle always "gets further", so the
        # progress rule below would retry it forever.
        tally.slow += 1
        if tally.slow > self.retries:
            raise self.fail(remote, Failure("slow", str(error)), DownloadError(
                f"Downloading '{remote.path}' failed: {error}.",
                hint="Try again later, or from a faster connection or mirror; the download "
                "resumes where it stopped.",
            )) from None
        return self.delay(tally)

    def after_transient(
        self, remote: FileEntry, tally: _Tally, error: _TransientError, offset: int
    ) -> float:
        # Only bytes beyond the furthest point reached count as progress, so a server that
        # keeps sending the same first bytes and failing cannot loop forever.
        tally.failures = 1 if offset > tally.best else tally.failures + 1
        tally.best = max(tally.best, offset)
        if tally.failures > self.retries:
            limited = error.status == 429
            raise self.fail(
                remote, Failure("transient", str(error), status=error.status),
                DownloadError(
                    f"Downloading '{remote.path}' failed: {error}.",
                    hint=(
                        "The server limits how often it may be asked: wait a few minutes, "
                        "then try again." if limited else
                        "Check the internet connection and try again; the download resumes "
                        "where it stopped."
                    ),
                ),
            ) from None
        return self.delay(tally, min(error.retry_after or 0.0, MAX_RETRY_AFTER))

    def refused(self, remote: FileEntry, refusals: list[Failure]) -> TerjmanError:
        denied = [f for f in refusals if f.status in (401, 403)]
        first = (denied or refusals)[0]
        if denied:
            default: TerjmanError = access_denied(
                first.status or 403, f"'{remote.path}'", token_sent=first.token_sent
            )
        else:
            default = DownloadError(
                f"No mirror has '{remote.path}' "
                f"({', '.join(str(f.status) for f in refusals)} from {len(refusals)} mirror(s)).",
                hint="The catalog may be out of date: refresh it and try again.",
            )
        return self.fail(remote, first, default)

    def transfer(self, url: str, remote: FileEntry, part: PartFile) -> None:
        """One attempt: bring ``part`` to the full, verified file, or raise."""
        part.sync()
        if part.offset > remote.size:
            part.discard()
        self.progress.set(remote.path, part.offset)
        if part.offset < remote.size:
            headers = {"Range": f"bytes={part.offset}-"} if part.offset else {}
            try:
                response = send(
                    self.session, "GET", url, credentials=self.credentials, headers=headers,
                    stream=True, timeout=self.timeouts,
                )
            except requests.RequestException as error:
                raise _TransientError(describe_error(error)) from error
            with response:
                redirected = url_origin(response.url) != url_origin(url)
                self.accept(response, part, remote.size, redirected=redirected)
                self.progress.set(remote.path, part.offset)  # accept() may have started over
                self.stream(response, remote, part)
        if part.offset < remote.size:
            raise _TransientError(
                f"the connection ended after {part.offset} of {remote.size} bytes"
            )
        if not part.verified():
            raise _CorruptError(f"its {hash_name(remote)} does not match the published one")
        part.path.touch()  # an empty file needs no request, but still needs a file to rename

    def accept(
        self, response: requests.Response, part: PartFile, size: int, *, redirected: bool
    ) -> None:
        status = response.status_code
        if status == 416:
            # Range not satisfiable: the server's file is not what our partial file assumes.
            part.discard()
            content_range = _content_range(response.headers.get("Content-Range"))
            total = content_range.total if content_range else None
            if total is not None and total < size:
                raise _CorruptError(f"the server's file has {total} bytes, the catalog says {size}")
            raise _TransientError("the server refused to resume (HTTP 416)", status=416)
        if redirected and 400 <= status < 500:
            # The server the mirror sent us to (the Hub's CDN) refused: its signed URL may
            # have expired during a pause. Asking the mirror again gets a fresh one.
            raise _TransientError(f"the download server refused (HTTP {status})",
                                  status=status)
        if status in (401, 403, 404, 410) or (400 <= status < 500 and status not in (408, 429)):
            raise _RefusedError(Failure(
                "refused", f"HTTP {status}", status=status,
                error_code=response.headers.get("X-Error-Code"),
                error_message=response.headers.get("X-Error-Message"),
                token_sent=token_sent(self.credentials, response),
            ))
        if status not in (200, 206):
            raise _TransientError(
                f"HTTP {status}", status=status,
                retry_after=parse_retry_after(response.headers.get("Retry-After")),
            )
        if status == 206:
            content_range = _content_range(response.headers.get("Content-Range"))
            if content_range is None or content_range.start != part.offset:
                part.discard()
                raise _TransientError("the server sent an unexpected byte range")
        elif part.offset:
            # Without the query: a CDN's signed URL is a short-lived key to the file.
            logger.info("%s ignored the Range request; downloading from the start",
                        response.url.split("?", 1)[0])
            part.discard()

    def stream(self, response: requests.Response, remote: FileEntry, part: PartFile) -> None:
        guard = RateGuard(self.min_rate, self.stall_seconds)
        try:
            with open(part.path, "ab") as handle, HashThread(part.hasher) as hasher:
                for chunk in iter_body(response, CHUNK_SIZE):
                    with guard.paused():  # time spent paused is not a slow server
                        self.check()
                    if part.offset + len(chunk) > remote.size:
                        raise _CorruptError(f"the server sent more than {remote.size} bytes")
                    handle.write(chunk)
                    hasher.update(chunk)  # only written bytes: the hash must match the file
                    part.offset += len(chunk)
                    self.progress.advance(remote.path, len(chunk))
                    guard.add(len(chunk))
                    if guard.too_slow() and part.offset < remote.size:
                        raise _SlowError(f"the server is too slow ({guard.describe()})")
        except requests.RequestException as error:
            raise _TransientError(describe_error(error)) from error
        except OSError as error:
            part.sync()  # what reached the disk is unknown: re-read it before resuming
            if error.errno in _DISK_FULL:
                raise DiskSpaceError(
                    f"The disk is full: '{remote.path}' could not be written.",
                    hint="Free some disk space and try again; the download resumes where it "
                    "stopped.",
                ) from error
            raise DownloadError(f"'{part.path}' could not be written: {error}.") from error


def download_files(
    files: Sequence[FileEntry],
    mirrors: Sequence[str],
    staging_dir: Path,
    *,
    token: str | None = None,
    hub_endpoint: str | HubEndpoint | None = None,
    progress: Callable[[DownloadProgress], None] | None = None,
    control: PauseToken | None = None,
    retries: int = 4,
    backoff: float = 0.5,
    connect_timeout: float = 10,
    read_timeout: float = 30,
    min_rate: float = MIN_RATE,
    stall_seconds: float = STALL_SECONDS,
    explain: Explain | None = None,
) -> None:
    """Download ``files`` from ``mirrors`` into ``staging_dir``, verified, resuming parts.

    Args:
        files: What to fetch; each ``path`` is relative to every mirror and to ``staging_dir``.
        mirrors: Base URLs, tried in order.
        staging_dir: Where ``<path>.part`` files grow and verified files are renamed to.
        token: Hugging Face token for gated repositories, sent only to ``hub_endpoint``.
        hub_endpoint: The Hub the token belongs to (default: ``HF_ENDPOINT``, else
            huggingface.co). Mirrors and redirect targets on other origins never get it.
        progress: Called a few times per second and once at the end.
        control: Pause and cancel from another thread.
        retries: Retries per file after a failure that made no progress.
        backoff: First retry delay in seconds; it doubles with each retry.
        connect_timeout: Seconds to wait for a connection.
        read_timeout: Seconds to wait for the next bytes before giving up on a connection.
        min_rate: Bytes per second below which a transfer is abandoned for the next mirror
            when it stays there for ``stall_seconds`` (0 turns the rule off).
        stall_seconds: The sliding window ``min_rate`` is measured over; paused time is not
            counted.
        explain: Turns a final failure into the caller's own error (the Hub's messages);
            returning None keeps the default one.

    Raises:
        DiskSpaceError: before any byte is written when the disk is too small, or when it
            fills up during the download.
        AccessDeniedError: when every mirror refused (401/403) a file.
        DownloadError: when a file cannot be found, fetched or verified after the retries.
        CancelledError: when ``control`` was cancelled; ``.part`` files are kept for resuming.
    """
    staging_dir = Path(staging_dir)
    for remote in files:
        if not is_safe_relative_path(remote.path):
            raise DownloadError(
                f"Refusing to download '{remote.path}': it is not a plain relative path.",
                hint="The catalog is damaged or hostile: refresh it from a trusted source.",
            )
    if not mirrors:
        raise DownloadError("There is no mirror to download from.")
    credentials = hub_credentials(token, hub_endpoint)
    present = {remote.path: bytes_present(remote, staging_dir) for remote in files}
    needed = sum(remote.size for remote in files) - sum(present.values())
    if needed > 0:
        diskspace.ensure_free_space(
            staging_dir, needed, "download the model's files",
            hint="Free some disk space, or move the models folder to a larger disk, "
            "then try again.",
        )
    staging_dir.mkdir(parents=True, exist_ok=True)
    tracker = ProgressTracker(sum(remote.size for remote in files), progress)
    for path, count in present.items():
        tracker.set(path, count)
    tracker.emit(force=True)
    with new_session() as session:
        job = _Job(
            session, mirrors, control, tracker, retries, backoff,
            (connect_timeout, read_timeout), credentials, min_rate, stall_seconds, explain,
        )
        for remote in files:
            job.fetch(remote, staging_dir)
    tracker.current = ""
    tracker.emit(force=True)
