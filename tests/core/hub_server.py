"""A stand-in Hugging Face Hub on 127.0.0.1, with a CDN on ``localhost``, for the tests.

It speaks the Hub's HTTP API and resolve URLs with the Hub's own headers, well enough that
``huggingface_hub`` itself works against it (``tests/core/test_hub_protocol.py`` checks that):

* ``GET /api/models/{repo}`` and ``/api/models/{repo}/revision/{rev}`` (``?blobs=true`` adds
  sizes, blob ids and LFS details), ``POST …/paths-info/{rev}`` (form or JSON),
  ``GET …/tree/{rev}[/{path}]`` (``recursive``, paginated with ``Link: rel="next"``) and
  ``GET /api/models?author=&search=&limit=``;
* ``GET``/``HEAD /{repo}/resolve/{rev}/{path}``: a regular file is served with ``ETag`` (its
  blob id), ``X-Repo-Commit`` and ``Range`` support; an LFS file is a 302 to the CDN with a
  signed-looking URL, ``X-Linked-Etag`` (its SHA-256), ``X-Linked-Size`` and
  ``X-Repo-Commit``. The CDN serves byte ranges, checks the signature (403) and refuses any
  request with an ``Authorization`` header (400), as S3 or CloudFront would;
* errors with the Hub's ``X-Error-Code`` / ``X-Error-Message``: ``RepoNotFound`` (401 without
  a token), ``GatedRepo`` (401 without a token, 403 with one that has no access),
  ``RevisionNotFound``, ``EntryNotFound`` (404), ``DisabledRepo`` (403); an unknown token is
  401 "Invalid credentials in Authorization header".

Repositories are built from dicts of path → bytes (or a folder); LFS files are named or chosen
by a size threshold. Branches, tags and ``refs/pr/N`` point at commits and can be moved.
Faults come from :class:`tests.core.http_server.Fault`: on the API (:meth:`fault_api`), on a
file's resolve URL (:meth:`fault_resolve`), on a file's CDN URL (:meth:`fault_cdn`); raw
answers (hostile JSON) with :meth:`override_api`. Both servers record every request.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

from tests.core.http_server import Fault, FaultyHTTPServer, RecordedRequest, _Handler, _Server

DATE = "2025-01-01T00:00:00.000Z"
INVALID_TOKEN = "Invalid credentials in Authorization header"
_SECRET = b"stand-in-cdn-signing-key"


def blob_id(data: bytes) -> str:
    """The git blob id of ``data``: SHA-1 of ``blob <size>``, a NUL and the bytes."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def lfs_pointer(data: bytes) -> bytes:
    """The pointer git stores instead of an LFS file's content."""
    return (f"version https://git-lfs.github.com/spec/v1\noid sha256:{sha256(data)}\n"
            f"size {len(data)}\n").encode()


@dataclass(frozen=True)
class Commit:
    sha: str
    files: Mapping[str, bytes]
    lfs: frozenset[str]

    def entry(self, path: str) -> dict[str, Any]:
        """The file as ``tree`` and ``paths-info`` describe it."""
        data = self.files[path]
        if path in self.lfs:
            pointer = lfs_pointer(data)
            return {"type": "file", "oid": blob_id(pointer), "size": len(data), "path": path,
                    "lfs": {"oid": sha256(data), "size": len(data),
                            "pointerSize": len(pointer)}}
        return {"type": "file", "oid": blob_id(data), "size": len(data), "path": path}

    def folders(self) -> list[str]:
        found = {"/".join(p.split("/")[:end]) for p in self.files
                 for end in range(1, p.count("/") + 1)}
        return sorted(found)


@dataclass
class Repo:
    repo_id: str
    commits: dict[str, Commit] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)
    gated: bool = False
    private: bool = False
    disabled: bool = False
    tokens: set[str] = field(default_factory=set)  # tokens with access (gated or private)


@dataclass
class _Override:
    prefix: str
    status: int
    body: bytes
    headers: dict[str, str]
    times: int | None


class _HubState:
    """The repositories and the Hub's own settings; shared by the handler threads."""

    def __init__(self, lfs_threshold: int) -> None:
        self.lfs_threshold = lfs_threshold
        self.repos: dict[str, Repo] = {}
        self.valid_tokens: set[str] = set()
        self.overrides: list[_Override] = []
        self.tree_page_size = 1000
        self.blobs = True  # False: ?blobs=true is ignored, as by a bare-bones mirror
        self.paths_info = True  # False: paths-info is a 404, as on a mirror without it
        self.cdn_url = ""
        self.lock = threading.Lock()
        self.counter = 0


def _cdn_path(data: bytes) -> str:
    digest = sha256(data)
    return f"repos/{digest[:2]}/{digest[2:4]}/{digest}"


def _signature(path: str) -> str:
    return hmac.new(_SECRET, path.encode(), hashlib.sha256).hexdigest()


def _cdn_guard(request: RecordedRequest) -> tuple[int, bytes] | None:
    if request.header("Authorization") is not None:
        return 400, (b"<Error><Code>InvalidArgument</Code><Message>Only one auth mechanism "
                     b"allowed</Message></Error>")
    query = parse_qs(request.query)
    if query.get("X-Amz-Signature") != [_signature(request.path)]:
        return 403, b"<Error><Code>AccessDenied</Code></Error>"
    return None


class _HubHandler(_Handler):
    server: _HubServer

    def do_POST(self) -> None:
        self._route(head=False)

    def do_GET(self) -> None:
        self._route(head=False)

    def do_HEAD(self) -> None:
        self._route(head=True)

    # -------------------------------------------------------------- plumbing

    @property
    def hub(self) -> _HubState:
        return self.server.hub

    def _json(self, path: str, value: Any, status: int = 200,
              extra: dict[str, str] | None = None) -> None:
        body = json.dumps(value).encode()
        self._simple(path, status, body, {"Content-Type": "application/json", **(extra or {})})

    def _error(self, path: str, status: int, code: str | None, message: str,
               extra: dict[str, str] | None = None) -> None:
        headers = {"X-Error-Message": message, **(extra or {})}
        if code:
            headers["X-Error-Code"] = code
        self._json(path, {"error": message}, status, headers)

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(min(length, 1 << 20))

    def _token(self) -> str | None:
        value = self.headers.get("Authorization")
        if value is None:
            return None
        return value.removeprefix("Bearer ").strip()

    def _route(self, *, head: bool) -> None:
        split = urlsplit(self.path)
        path = unquote(split.path).lstrip("/")
        segments = [unquote(s) for s in split.path.lstrip("/").split("/")]
        body = self._read_body() if self.command == "POST" else b""
        if self._overridden(path):
            return
        token = self._token()
        if token is not None and token not in self.hub.valid_tokens:
            self._error(path, 401, None, INVALID_TOKEN)
            return
        if segments[0] == "api":
            fault = self._active_fault("api")
            if fault is not None and fault.status is not None:
                self._simple(path, fault.status, b"fault", fault.headers)
                return
            self._api(path, segments[1:], parse_qs(split.query), body, token)
        elif len(segments) >= 5 and segments[2] == "resolve":
            self._resolve(path, "/".join(segments[:2]), segments[3], "/".join(segments[4:]),
                          token, head=head)
        else:
            self._simple(path, 404, b"not found")

    def _overridden(self, path: str) -> bool:
        with self.hub.lock:
            override = next((o for o in self.hub.overrides if path.startswith(o.prefix)
                             and (o.times is None or o.times > 0)), None)
            if override is not None and override.times is not None:
                override.times -= 1
        if override is None:
            return False
        self._simple(path, override.status, override.body, override.headers)
        return True

    def _repo(self, path: str, repo_id: str, token: str | None) -> Repo | None:
        """The repository if the caller may see it; else the Hub's error has been sent."""
        repo = self.hub.repos.get(repo_id)
        if repo is None or (repo.private and token not in repo.tokens):
            # Without a token the Hub cannot tell missing from private: 401 for both.
            self._error(path, 401 if token is None else 404, "RepoNotFound",
                        "Repository not found")
            return None
        if repo.disabled:
            self._error(path, 403, "DisabledRepo", "Access to this resource is disabled.")
            return None
        return repo

    def _commit(self, path: str, repo: Repo, revision: str) -> Commit | None:
        sha = repo.refs.get(revision, revision)
        commit = repo.commits.get(sha)
        if commit is None:
            self._error(path, 404, "RevisionNotFound", f"Invalid rev id: {revision}")
        return commit

    # -------------------------------------------------------------- API

    def _api(self, path: str, segments: list[str], query: dict[str, list[str]], body: bytes,
             token: str | None) -> None:
        if segments == ["models"]:
            self._search(path, query, token)
            return
        if len(segments) < 3 or segments[0] != "models":
            self._simple(path, 404, b"not found")
            return
        repo = self._repo(path, "/".join(segments[1:3]), token)
        if repo is None:
            return
        rest = segments[3:]
        if not rest:
            self._model_info(path, repo, "main", query)
        elif rest[0] == "revision" and len(rest) == 2:
            self._model_info(path, repo, rest[1], query)
        elif (rest[0] == "paths-info" and len(rest) == 2 and self.command == "POST"
              and self.hub.paths_info):
            self._paths_info(path, repo, rest[1], body)
        elif rest[0] == "tree" and len(rest) >= 2:
            self._tree(path, repo, rest[1], "/".join(rest[2:]), query)
        else:
            self._simple(path, 404, b"not found")

    def _model_info(self, path: str, repo: Repo, revision: str,
                    query: dict[str, list[str]]) -> None:
        commit = self._commit(path, repo, revision)
        if commit is None:
            return
        blobs = self.hub.blobs and query.get("blobs", ["false"])[0].lower() in ("true", "1")
        siblings: list[dict[str, Any]] = []
        for name in commit.files:
            if not blobs:
                siblings.append({"rfilename": name})
                continue
            entry = commit.entry(name)
            sibling: dict[str, Any] = {"rfilename": name, "blobId": entry["oid"],
                                       "size": entry["size"]}
            if "lfs" in entry:
                lfs = entry["lfs"]
                sibling["lfs"] = {"sha256": lfs["oid"], "size": lfs["size"],
                                  "pointerSize": lfs["pointerSize"]}
            siblings.append(sibling)
        org = repo.repo_id.split("/")[0]
        self._json(path, {
            "_id": hashlib.md5(repo.repo_id.encode()).hexdigest()[:24], "id": repo.repo_id,
            "modelId": repo.repo_id, "author": org, "sha": commit.sha,
            "lastModified": DATE, "createdAt": DATE, "private": repo.private,
            "gated": "manual" if repo.gated else False, "disabled": False, "downloads": 0,
            "likes": 0, "tags": ["translation"], "library_name": "transformers",
            "siblings": siblings,
            "usedStorage": sum(len(data) for data in commit.files.values()),
        })

    def _paths_info(self, path: str, repo: Repo, revision: str, body: bytes) -> None:
        commit = self._commit(path, repo, revision)
        if commit is None:
            return
        if (self.headers.get("Content-Type") or "").startswith("application/json"):
            wanted = json.loads(body or b"{}").get("paths", [])
        else:
            wanted = parse_qs(body.decode()).get("paths", [])
        folders = commit.folders()
        answer: list[dict[str, Any]] = []
        for name in wanted:
            if name in commit.files:
                answer.append(commit.entry(name))
            elif name in folders:
                answer.append({"type": "directory", "oid": blob_id(name.encode()), "size": 0,
                               "path": name})
        self._json(path, answer)

    def _tree(self, path: str, repo: Repo, revision: str, folder: str,
              query: dict[str, list[str]]) -> None:
        commit = self._commit(path, repo, revision)
        if commit is None:
            return
        recursive = query.get("recursive", ["false"])[0].lower() in ("true", "1")
        prefix = f"{folder}/" if folder else ""

        def wanted(name: str) -> bool:
            return name.startswith(prefix) and (recursive or "/" not in name[len(prefix):])

        entries = [{"type": "directory", "oid": blob_id(name.encode()), "size": 0,
                    "path": name} for name in commit.folders() if wanted(name)]
        entries += [commit.entry(name) for name in sorted(commit.files) if wanted(name)]
        start = int(query.get("cursor", ["0"])[0])
        size = self.hub.tree_page_size
        extra: dict[str, str] = {}
        if start + size < len(entries):
            following = {k: v[0] for k, v in query.items()} | {"cursor": str(start + size)}
            link = f"{self._base()}/{urlsplit(self.path).path.lstrip('/')}?"
            extra["Link"] = f'<{link}{urlencode(following)}>; rel="next"'
        self._json(path, entries[start:start + size], extra=extra)

    def _search(self, path: str, query: dict[str, list[str]], token: str | None) -> None:
        author = query.get("author", [None])[0]
        needle = (query.get("search", [""])[0] or "").lower()
        limit = int(query.get("limit", ["1000"])[0])
        results = []
        for repo in self.hub.repos.values():
            org = repo.repo_id.split("/")[0]
            if repo.private and token not in repo.tokens:
                continue
            if (author and org != author) or needle not in repo.repo_id.lower():
                continue
            results.append({
                "_id": hashlib.md5(repo.repo_id.encode()).hexdigest()[:24],
                "id": repo.repo_id, "modelId": repo.repo_id, "likes": 0, "downloads": 0,
                "private": repo.private, "gated": "manual" if repo.gated else False,
                "tags": ["translation"], "createdAt": DATE,
            })
        self._json(path, results[:limit])

    def _base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    # -------------------------------------------------------------- files

    def _resolve(self, path: str, repo_id: str, revision: str, name: str, token: str | None,
                 *, head: bool) -> None:
        repo = self._repo(path, repo_id, token)
        if repo is None:
            return
        commit = self._commit(path, repo, revision)
        if commit is None:
            return
        if repo.gated and token not in repo.tokens:
            if token is None:
                message = (f"Access to model {repo_id} is restricted. You must have access to "
                           "it and be authenticated to access it. Please log in.")
                self._error(path, 401, "GatedRepo", message)
            else:
                message = (f"Access to model {repo_id} is restricted and you are not in the "
                           f"authorized list. Visit https://huggingface.co/{repo_id} to ask "
                           "for access.")
                self._error(path, 403, "GatedRepo", message)
            return
        if name not in commit.files:
            self._error(path, 404, "EntryNotFound", "Entry not found",
                        {"X-Repo-Commit": commit.sha})
            return
        fault = self._active_fault(f"resolve:{name}") or Fault()
        if fault.status is not None:
            self._simple(path, fault.status, b"fault", fault.headers)
            return
        data = commit.files[name]
        if name in commit.lfs:
            cdn_path = _cdn_path(data)
            query = urlencode({"X-Amz-Algorithm": "AWS4-HMAC-SHA256", "X-Amz-Expires": "3600",
                               "X-Amz-Signature": _signature(cdn_path),
                               "response-content-disposition": f"inline; filename*=UTF-8''"
                                                               f"{quote(PurePosixPath(name).name)}"})
            self._simple(path, 302, b"", {
                "Location": f"{self.hub.cdn_url}/{cdn_path}?{query}",
                "X-Repo-Commit": commit.sha, "X-Linked-Etag": f'"{sha256(data)}"',
                "X-Linked-Size": str(len(data)), "ETag": f'"{blob_id(lfs_pointer(data))}"',
            })
            return
        self._send_file(path, io.BytesIO(data), len(data), fault, head=head, headers={
            "ETag": f'"{blob_id(data)}"', "X-Repo-Commit": commit.sha,
        })


class _HubServer(_Server):
    hub: _HubState


class StandInHub(FaultyHTTPServer):
    """The stand-in Hub (``url``) and its CDN (``cdn``, on ``localhost``); both record requests.

    Args:
        lfs_threshold: Files at least this large are LFS files unless listed otherwise.
    """

    handler: type[BaseHTTPRequestHandler] = _HubHandler
    server_class: type[_Server] = _HubServer

    def __init__(self, lfs_threshold: int = 10_000) -> None:
        super().__init__()
        self.hub = _HubState(lfs_threshold)
        self.cdn = FaultyHTTPServer(host_name="localhost", guard=_cdn_guard)

    def _configure(self, httpd: _Server) -> None:
        assert isinstance(httpd, _HubServer)
        httpd.hub = self.hub

    def start(self) -> StandInHub:
        self.cdn.start()
        self.hub.cdn_url = self.cdn.url
        super().start()
        return self

    def stop(self) -> None:
        super().stop()
        self.cdn.stop()

    def __enter__(self) -> StandInHub:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()

    # -------------------------------------------------------------- repositories

    def _new_sha(self, repo_id: str) -> str:
        with self.hub.lock:
            self.hub.counter += 1
            return hashlib.sha1(f"{repo_id}-{self.hub.counter}".encode()).hexdigest()

    def add_repo(
        self,
        repo_id: str,
        files: Mapping[str, bytes] | Path,
        *,
        lfs: Iterable[str] | None = None,
        gated: bool = False,
        private: bool = False,
        tokens: Iterable[str] = (),
        branch: str = "main",
    ) -> str:
        """Create a repository with one commit on ``branch``; returns the commit.

        Args:
            files: Path → content, or a folder whose files are read.
            lfs: The paths stored with LFS; default: those of at least ``lfs_threshold`` bytes.
            gated: Files need a token in ``tokens`` (the metadata stays public, as on the Hub).
            private: Everything needs a token in ``tokens``; others get RepoNotFound.
            tokens: Tokens with access; they become valid tokens of this Hub.
        """
        self.hub.repos[repo_id] = Repo(repo_id, gated=gated, private=private)
        self.grant(repo_id, *tokens)
        return self.commit(repo_id, files, branch=branch, lfs=lfs, replace=True)

    def commit(
        self,
        repo_id: str,
        files: Mapping[str, bytes | None] | Path,
        *,
        branch: str = "main",
        lfs: Iterable[str] | None = None,
        replace: bool = False,
    ) -> str:
        """A new commit on ``branch`` (created if new), moving it; returns the commit.

        ``files`` updates the branch's files (None deletes one), or replaces them all with
        ``replace=True``.
        """
        repo = self.hub.repos[repo_id]
        content = _read_files(files) if isinstance(files, Path) else dict(files)
        head = repo.commits.get(repo.refs.get(branch, ""))
        merged: dict[str, bytes] = {} if replace or head is None else dict(head.files)
        old_lfs = set() if head is None or replace else set(head.lfs)
        for name, data in content.items():
            if data is None:
                merged.pop(name, None)
                old_lfs.discard(name)
            else:
                merged[name] = data
        chosen = set(lfs) if lfs is not None else {
            n for n, d in content.items() if d is not None and len(d) >= self.hub.lfs_threshold}
        sha = self._new_sha(repo_id)
        commit = Commit(sha, merged, frozenset((old_lfs | chosen) & merged.keys()))
        with self.hub.lock:
            repo.commits[sha] = commit
            repo.refs[branch] = sha
        for name in commit.lfs:
            self.cdn.add(_cdn_path(merged[name]), merged[name])
        return sha

    def set_ref(self, repo_id: str, ref: str, commit: str) -> None:
        """Point a branch, tag or ``refs/pr/N`` at ``commit``."""
        repo = self.hub.repos[repo_id]
        assert commit in repo.commits, commit
        with self.hub.lock:
            repo.refs[ref] = commit

    def head(self, repo_id: str, ref: str = "main") -> str:
        return self.hub.repos[repo_id].refs[ref]

    def gate(self, repo_id: str, *tokens: str) -> None:
        """Make ``repo_id`` gated; ``tokens`` have accepted its conditions."""
        self.hub.repos[repo_id].gated = True
        self.grant(repo_id, *tokens)

    def grant(self, repo_id: str, *tokens: str) -> None:
        self.hub.repos[repo_id].tokens.update(tokens)
        self.hub.valid_tokens.update(tokens)

    def add_token(self, *tokens: str) -> None:
        """Tokens the Hub knows (valid) without access to any gated or private repository."""
        self.hub.valid_tokens.update(tokens)

    def configure(self, repo_id: str, **fields: Any) -> None:
        """Change a repository's flags (``disabled=True``, ``private=True``, …)."""
        repo = self.hub.repos[repo_id]
        for name, value in fields.items():
            assert hasattr(repo, name), name
            setattr(repo, name, value)

    def limit_api(self, *, blobs: bool = True, paths_info: bool = True,
                  tree_page_size: int = 1000) -> None:
        """Behave like a lesser mirror: no sizes in model info, no paths-info, short pages."""
        self.hub.blobs, self.hub.paths_info = blobs, paths_info
        self.hub.tree_page_size = tree_page_size

    # -------------------------------------------------------------- faults

    def fault_api(self, **fields: Any) -> Fault:
        """Every ``/api/`` request: ``status=503, times=2``, ``status=429, headers=…``."""
        return self.set_fault("api", Fault(**fields))

    def fault_resolve(self, path: str, **fields: Any) -> Fault:
        """The resolve URL of the file ``path`` (any repository, any revision)."""
        return self.set_fault(f"resolve:{path}", Fault(**fields))

    def fault_cdn(self, repo_id: str, path: str, **fields: Any) -> Fault:
        """The CDN URL of an LFS file (its bytes: ``corrupt``, ``drop_after``, ``delay``…)."""
        data = self.hub.repos[repo_id].commits[self.head(repo_id)].files[path]
        return self.cdn.set_fault(_cdn_path(data), Fault(**fields))

    def override_api(self, prefix: str, body: bytes, *, status: int = 200,
                     headers: Mapping[str, str] | None = None, times: int | None = None) -> None:
        """Answer requests whose path starts with ``prefix`` with these raw bytes."""
        with self.hub.lock:
            self.hub.overrides.append(_Override(
                prefix, status, body,
                {"Content-Type": "application/json", **(headers or {})}, times))

    def clear_faults(self) -> None:
        super().clear_faults()
        self.cdn.clear_faults()
        with self.hub.lock:
            self.hub.overrides.clear()

    # -------------------------------------------------------------- inspection

    @property
    def cdn_requests(self) -> list[RecordedRequest]:
        return self.cdn.requests

    def all_requests(self) -> list[RecordedRequest]:
        return self.requests + self.cdn.requests


def _read_files(folder: Path) -> dict[str, bytes | None]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}

