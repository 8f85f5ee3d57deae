"""Resumable, verified, cancellable downloads of a model's files.

Each file is streamed to ``staging_dir/<path>.part`` while it is hashed, resumed with a
``Range`` request after a dropped connection or a restart of the program, checked against its
size and SHA-256, and only then renamed to ``staging_dir/<path>``. Nothing unverified ever
has a final name, so the store can move a staging folder into place knowing it is complete.

Failures are retried with exponential backoff across the mirrors in order: a mirror that does
not have the file (404) is skipped, a transient failure (5xx, timeout, dropped connection) is
retried, and content that fails verification is discarded and fetched again. The consecutive
failure count resets whenever an attempt got further into the file than any before it, so a
flaky connection that keeps delivering data eventually completes while a dead one fails after
``retries`` retries.

The progress tracker and the ``.part`` files are in :mod:`~terjman_desktop.core.download_state`.
"""

from __future__ import annotations

import errno
import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import requests

# diskspace.free_disk_space is looked up at call time: tests replace it.
from terjman_desktop.core import diskspace
from terjman_desktop.core.cancel import PauseToken
from terjman_desktop.core.catalog import RemoteFile, is_safe_relative_path
from terjman_desktop.core.diskspace import DISK_MARGIN  # re-exported: the margin it checks
from terjman_desktop.core.download_state import (
    DownloadProgress,
    HashThread,
    PartFile,
    ProgressTracker,
    bytes_present,
)
from terjman_desktop.core.errors import DiskSpaceError, DownloadError
from terjman_desktop.core.http import access_denied, describe_error, iter_body, new_session
from terjman_desktop.core.http import parse_content_range as _content_range
from terjman_desktop.core.package import sha256_file

__all__ = ["CHUNK_SIZE", "DISK_MARGIN", "DownloadProgress", "download_files"]

logger = logging.getLogger(__name__)

CHUNK_SIZE = 256 * 1024  # upper bound per read; a slow link yields what has arrived
_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


class _TransientError(Exception):
    """Worth retrying: a timeout, a dropped connection, a 5xx, a short body."""


class _CorruptError(Exception):
    """The content cannot be the expected file: discard the partial file and start over."""


class _RefusedError(Exception):
    """This mirror will not serve this file (404, 401/403, other 4xx): try the next one."""

    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status


@dataclass
class _Job:
    session: requests.Session
    mirrors: Sequence[str]
    control: PauseToken | None
    progress: ProgressTracker
    retries: int
    backoff: float
    timeouts: tuple[float, float]
    token_sent: bool

    def check(self) -> None:
        if self.control is not None:
            self.control.wait_if_paused()  # also raises CancelledError when cancelled

    def sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if self.control is not None:
                self.control.raise_if_cancelled()
            time.sleep(min(left, 0.1))

    def fetch(self, remote: RemoteFile, staging_dir: Path) -> None:
        final = staging_dir / remote.path
        self.progress.current = remote.path
        if final.is_file():
            if final.stat().st_size == remote.size and sha256_file(final) == remote.sha256:
                logger.debug("%s is already downloaded and verified", remote.path)
                self.progress.set(remote.path, remote.size)
                return
            logger.warning("Discarding %s: it does not match the catalog", final)
            final.unlink()
        final.parent.mkdir(parents=True, exist_ok=True)
        part = PartFile(final.with_name(final.name + ".part"))
        refused: dict[str, int] = {}
        failures = corrupt = turn = best = 0
        while True:
            usable = [m for m in self.mirrors if m not in refused]
            if not usable:
                if any(status in (401, 403) for status in refused.values()):
                    status = next(s for s in refused.values() if s in (401, 403))
                    raise access_denied(status, f"'{remote.path}'", token_sent=self.token_sent)
                raise DownloadError(
                    f"No mirror has '{remote.path}' ({', '.join(map(str, refused.values()))} "
                    f"from {len(refused)} mirror(s)).",
                    hint="The catalog may be out of date: refresh it and try again.",
                )
            mirror = usable[turn % len(usable)]
            url = mirror.rstrip("/") + "/" + quote(remote.path)
            try:
                self.check()
                self.transfer(url, remote, part)
                os.replace(part.path, final)
                return
            except _RefusedError as error:
                logger.info("%s: %s, trying the next mirror", url, error)
                refused[mirror] = error.status
                continue
            except _CorruptError as error:
                logger.warning("%s: %s; discarding the partial file", url, error)
                part.discard()
                self.progress.set(remote.path, 0)
                corrupt += 1
                if corrupt > self.retries:
                    raise DownloadError(
                        f"'{remote.path}' is corrupt on the server: {error} "
                        f"({corrupt} attempts).",
                        hint="Try again later or use another mirror; report it if it persists.",
                    ) from None
            except _TransientError as error:
                # Only bytes beyond the furthest point reached count as progress, so a server
                # that keeps sending the same first bytes and failing cannot loop forever.
                failures = 1 if part.offset > best else failures + 1
                best = max(best, part.offset)
                logger.info("%s: %s (attempt %d)", url, error, failures)
                if failures > self.retries:
                    raise DownloadError(
                        f"Downloading '{remote.path}' failed: {error}.",
                        hint="Check the internet connection and try again; the download "
                        "resumes where it stopped.",
                    ) from None
            turn += 1
            self.sleep(self.backoff * 2 ** (failures + corrupt - 1))

    def transfer(self, url: str, remote: RemoteFile, part: PartFile) -> None:
        """One attempt: bring ``part`` to the full, verified file, or raise."""
        part.sync()
        if part.offset > remote.size:
            part.discard()
        self.progress.set(remote.path, part.offset)
        if part.offset < remote.size:
            headers = {"Range": f"bytes={part.offset}-"} if part.offset else {}
            try:
                response = self.session.get(
                    url, headers=headers, stream=True, timeout=self.timeouts
                )
            except requests.RequestException as error:
                raise _TransientError(describe_error(error)) from error
            with response:
                self.accept(response, part, remote.size)
                self.progress.set(remote.path, part.offset)  # accept() may have started over
                self.stream(response, remote, part)
        if part.offset < remote.size:
            raise _TransientError(
                f"the connection ended after {part.offset} of {remote.size} bytes"
            )
        if part.hasher.hexdigest() != remote.sha256:
            raise _CorruptError("its SHA-256 does not match the catalog")
        part.path.touch()  # an empty file needs no request, but still needs a file to rename

    def accept(self, response: requests.Response, part: PartFile, size: int) -> None:
        status = response.status_code
        if status == 416:
            # Range not satisfiable: the server's file is not what our partial file assumes.
            part.discard()
            content_range = _content_range(response.headers.get("Content-Range"))
            total = content_range.total if content_range else None
            if total is not None and total < size:
                raise _CorruptError(f"the server's file has {total} bytes, the catalog says {size}")
            raise _TransientError("the server refused to resume (HTTP 416)")
        if status in (401, 403, 404, 410) or (400 <= status < 500 and status not in (408, 429)):
            raise _RefusedError(status)
        if status not in (200, 206):
            raise _TransientError(f"HTTP {status}")
        if status == 206:
            content_range = _content_range(response.headers.get("Content-Range"))
            if content_range is None or content_range.start != part.offset:
                part.discard()
                raise _TransientError("the server sent an unexpected byte range")
        elif part.offset:
            logger.info("%s ignored the Range request; downloading from the start", response.url)
            part.discard()

    def stream(self, response: requests.Response, remote: RemoteFile, part: PartFile) -> None:
        try:
            with open(part.path, "ab") as handle, HashThread(part.hasher) as hasher:
                for chunk in iter_body(response, CHUNK_SIZE):
                    self.check()
                    if part.offset + len(chunk) > remote.size:
                        raise _CorruptError(f"the server sent more than {remote.size} bytes")
                    handle.write(chunk)
                    hasher.update(chunk)  # only written bytes: the hash must match the file
                    part.offset += len(chunk)
                    self.progress.advance(remote.path, len(chunk))
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
    files: Sequence[RemoteFile],
    mirrors: Sequence[str],
    staging_dir: Path,
    *,
    token: str | None = None,
    progress: Callable[[DownloadProgress], None] | None = None,
    control: PauseToken | None = None,
    retries: int = 4,
    backoff: float = 0.5,
    connect_timeout: float = 10,
    read_timeout: float = 30,
) -> None:
    """Download ``files`` from ``mirrors`` into ``staging_dir``, verified, resuming parts.

    Args:
        files: What to fetch; each ``path`` is relative to every mirror and to ``staging_dir``.
        mirrors: Base URLs, tried in order.
        staging_dir: Where ``<path>.part`` files grow and verified files are renamed to.
        token: Bearer token for gated repositories (sent, never logged).
        progress: Called a few times per second and once at the end.
        control: Pause and cancel from another thread.
        retries: Retries per file after a failure that made no progress.
        backoff: First retry delay in seconds; it doubles with each retry.
        connect_timeout: Seconds to wait for a connection.
        read_timeout: Seconds to wait for the next bytes before giving up on a connection.

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
    with new_session(token) as session:
        job = _Job(
            session, mirrors, control, tracker, retries, backoff,
            (connect_timeout, read_timeout), token_sent=bool(token),
        )
        for remote in files:
            job.fetch(remote, staging_dir)
    tracker.current = ""
    tracker.emit(force=True)
