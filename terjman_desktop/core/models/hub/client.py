"""A small Hugging Face Hub client: resolve a revision, list its files, download them verified.

It speaks the Hub's own HTTP API (the one ``huggingface_hub`` uses) with ``requests`` only, so
the app stays small:

1. :meth:`HubClient.snapshot` resolves ``ORG/NAME@REVISION`` to a commit and learns every
   file's size and hash (``GET /api/models/{repo}/revision/{rev}?blobs=true``; when sizes are
   missing, ``POST …/paths-info/{commit}``, else ``GET …/tree/{commit}?recursive=true``).
2. :meth:`HubClient.download` fetches chosen files pinned to that commit
   (``/{repo}/resolve/{commit}/{path}``), so a branch moving meanwhile changes nothing; LFS
   files are verified by SHA-256, others by their git blob SHA-1 (see
   :mod:`~terjman_desktop.core.models.download`, which resumes, retries and follows the Hub's CDN
   redirects without the token).

The endpoint is ``HF_ENDPOINT`` or huggingface.co; the token comes from the caller, else
``HF_TOKEN`` and the other places ``huggingface_hub`` looks (see
:mod:`~terjman_desktop.core.models.hub.auth`). Errors are :class:`~.errors.HubError` kinds whose
messages say what to do (accept a gated model's conditions, give a token, check a name).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import quote

from terjman_desktop.core.cancel import PauseToken
from terjman_desktop.core.errors import HubError, TerjmanError
from terjman_desktop.core.models.download import MIN_RATE, STALL_SECONDS, Failure, download_files
from terjman_desktop.core.models.download_state import DownloadProgress
from terjman_desktop.core.models.hub.api import (
    Ask,
    HubTransport,
    UnsupportedRequestError,
    hub_error,
    rate_limited,
    unreachable,
)
from terjman_desktop.core.models.hub.auth import HubEndpoint, as_token, hub_endpoint, resolve_token
from terjman_desktop.core.models.hub.repo import (
    DEFAULT_REVISION,
    HubFile,
    HubModel,
    HubSnapshot,
    PartialFile,
    Reader,
    check_repo_id,
    check_revision,
    complete_files,
    parse_repo_spec,
    read_model_info,
    read_path_entries,
    read_search,
)
from terjman_desktop.core.translate import FileEntry

__all__ = [
    "HubClient", "HubFile", "HubModel", "HubSnapshot", "parse_repo_spec",
]

logger = logging.getLogger(__name__)

PATHS_PER_REQUEST = 100
MAX_SEARCH_RESULTS = 1000


class HubClient:
    """One Hub endpoint and one token (or none), with the three things the app asks of it.

    Args:
        endpoint: The Hub's base URL; default ``HF_ENDPOINT``, else https://huggingface.co.
        token: A token given on purpose (``--token``, the settings); without one the usual
            places are read (``HF_TOKEN``, ``TERJMAN_HF_TOKEN``, the ``hf auth login`` file).
        token_source: How to name ``token`` in messages.
        implicit_token: False reads no token from the environment or the token file.
        retries: Retries after transient failures (API calls and each file).
        backoff: First retry delay in seconds; it doubles with each retry.
        connect_timeout: Seconds to wait for a connection.
        read_timeout: Seconds to wait for the next bytes.
        max_retry_after: The longest ``Retry-After`` of a 429 worth waiting for.

    Raises:
        HubError: when ``HF_ENDPOINT`` (or ``endpoint``) or the token is malformed.
    """

    def __init__(
        self,
        endpoint: str | HubEndpoint | None = None,
        token: str | None = None,
        *,
        token_source: str = "the settings",
        implicit_token: bool = True,
        retries: int = 4,
        backoff: float = 0.5,
        connect_timeout: float = 10.0,
        read_timeout: float = 30.0,
        max_retry_after: float = 30.0,
    ) -> None:
        self.endpoint = hub_endpoint(endpoint)
        self.token = (
            resolve_token(token, explicit_source=token_source) if implicit_token
            else as_token(token, token_source)
        )
        self.retries = retries
        self.backoff = backoff
        self.timeouts = (connect_timeout, read_timeout)
        self.transport = HubTransport(
            self.endpoint, self.token, retries=retries, backoff=backoff,
            timeouts=self.timeouts, max_retry_after=max_retry_after,
        )

    def __repr__(self) -> str:
        source = f"token from {self.token.source}" if self.token else "no token"
        return f"HubClient({self.endpoint.url!r}, {source})"

    def repo_url(self, repo: str) -> str:
        """The repository's page on this endpoint (where gated models are accepted)."""
        return self.endpoint.repo_url(repo)

    # ----------------------------------------------------------------------- resolve

    def snapshot(
        self, repo: str, revision: str = DEFAULT_REVISION, *, control: PauseToken | None = None
    ) -> HubSnapshot:
        """``repo`` at ``revision``: the commit and every file with its size and hash.

        Raises:
            InputError: the repository id or the revision is malformed.
            RepoNotFoundError, RevisionNotFoundError, GatedRepoError, HubAccessError,
            DisabledRepoError: what the Hub said, in words that say what to do.
            RateLimitedError, HubUnreachableError: after the retries.
            HubResponseError: the answer is malformed or hostile.
            CancelledError: ``control`` was cancelled.
        """
        check_repo_id(repo)
        check_revision(revision)
        ask = Ask(repo, revision)
        reader = Reader(ask.describe())
        data = self.transport.get_json(
            f"api/models/{repo}/revision/{quote(revision, safe='')}", ask,
            params={"blobs": "true"}, control=control,
        )
        commit, files, gated = read_model_info(data, reader, revision)
        missing = [entry for entry in files if not entry.complete]
        if missing:
            logger.info("%s: %d files without sizes or hashes; asking for them",
                        ask.describe(), len(missing))
            self._fill(repo, commit, missing, Ask(repo, revision), reader, control)
        snapshot = HubSnapshot(repo, revision, commit, complete_files(files, reader), gated)
        logger.info("%s is commit %s (%d files)", ask.describe(), commit, len(snapshot.files))
        return snapshot

    def _fill(self, repo: str, commit: str, missing: list[PartialFile], ask: Ask,
              reader: Reader, control: PauseToken | None) -> None:
        """Complete ``missing`` from paths-info, or from the tree where that is unsupported."""
        try:
            found: list[PartialFile] = []
            for start in range(0, len(missing), PATHS_PER_REQUEST):
                batch = [entry.path for entry in missing[start:start + PATHS_PER_REQUEST]]
                data = self.transport.post_form(
                    f"api/models/{repo}/paths-info/{commit}", ask,
                    {"paths": batch, "expand": "false"}, control=control,
                )
                found += read_path_entries(data, reader, "the paths' details")
        except UnsupportedRequestError:
            logger.info("%s: no paths-info; listing the tree instead", ask.describe())
            found = []
            for page in self.transport.get_pages(
                f"api/models/{repo}/tree/{commit}", ask,
                params={"recursive": "true", "expand": "false"}, control=control,
            ):
                found += read_path_entries(page, reader, "the file tree")
        by_path = {entry.path: entry for entry in found}
        for entry in missing:
            if entry.path in by_path:
                entry.merge(by_path[entry.path])

    # ----------------------------------------------------------------------- search

    def search(
        self,
        *,
        author: str | None = None,
        search: str | None = None,
        limit: int = 50,
        control: PauseToken | None = None,
    ) -> list[HubModel]:
        """Models of ``author`` and/or matching ``search`` (``GET /api/models``).

        Raises:
            HubError and its kinds, CancelledError.
        """
        limit = max(1, min(limit, MAX_SEARCH_RESULTS))
        params: dict[str, str | int] = {"limit": limit}
        if author:
            params["author"] = author
        if search:
            params["search"] = search
        ask = Ask()
        data = self.transport.get_json("api/models", ask, params=params, control=control)
        return read_search(data, Reader("the model search"), limit)

    # ----------------------------------------------------------------------- download

    def resolve_url(self, snapshot: HubSnapshot) -> str:
        """The base URL of the snapshot's files, pinned to its commit."""
        return f"{self.endpoint.url}/{snapshot.repo}/resolve/{snapshot.commit}"

    def download(
        self,
        snapshot: HubSnapshot,
        paths: Sequence[str] | None,
        staging_dir: Path,
        *,
        progress: Callable[[DownloadProgress], None] | None = None,
        control: PauseToken | None = None,
        min_rate: float = MIN_RATE,
        stall_seconds: float = STALL_SECONDS,
    ) -> None:
        """Download ``paths`` (all files when None) of ``snapshot`` into ``staging_dir``.

        Files are fetched from the snapshot's commit, verified, resumed after a drop or a
        restart (``<path>.part``), and given their final name only once verified.

        Raises:
            EntryNotFoundError: a path is not in the snapshot (before anything is fetched).
            GatedRepoError, HubAccessError, RepoNotFoundError…: what the Hub said.
            HubUnreachableError, RateLimitedError: after the retries.
            DownloadError, DiskSpaceError, CancelledError: from the download itself.
        """
        chosen = list(dict.fromkeys(paths if paths is not None else snapshot.paths))
        files = [snapshot.file(path).remote_file() for path in chosen]

        def explain(remote: FileEntry, failure: Failure) -> TerjmanError | None:
            return self._explain(snapshot, remote, failure)

        download_files(
            files, [self.resolve_url(snapshot)], staging_dir,
            token=self.token.value if self.token else None, hub_endpoint=self.endpoint,
            progress=progress, control=control, retries=self.retries, backoff=self.backoff,
            connect_timeout=self.timeouts[0], read_timeout=self.timeouts[1],
            min_rate=min_rate, stall_seconds=stall_seconds, explain=explain,
        )

    def _explain(
        self, snapshot: HubSnapshot, remote: FileEntry, failure: Failure
    ) -> HubError | None:
        """The Hub's words for a file that could not be downloaded (None: keep the default)."""
        ask = Ask(snapshot.repo, snapshot.revision, remote.path)
        if failure.kind == "refused" and failure.status is not None:
            headers = {name: value for name, value in (
                ("X-Error-Code", failure.error_code),
                ("X-Error-Message", failure.error_message),
            ) if value is not None}
            return hub_error(failure.status, headers, ask, self.endpoint, self.token,
                             failure.token_sent)
        if failure.kind == "transient":
            if failure.status == 429:
                return rate_limited(None)
            return unreachable(self.endpoint, failure.reason, f"downloading {ask.describe()}")
        return None
