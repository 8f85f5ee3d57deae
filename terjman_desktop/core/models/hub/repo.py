"""What a Hugging Face repository is made of, read from the Hub's answers and checked.

Repository names, revisions, and the files of one commit with their sizes and hashes. The
Hub's JSON is treated as hostile: every field is type-checked, hashes must be hex of the
right length, paths must be plain relative paths that can all be files of one folder, and
sizes must be plausible, so that nothing downstream (the disk-space check, the downloader,
the converter) ever sees a value the Hub could not have meant.

No network and no ``requests`` here: :mod:`~terjman_desktop.core.models.hub.client` asks, this
module reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from terjman_desktop.core.errors import EntryNotFoundError, HubResponseError, InputError
from terjman_desktop.core.translate import FileEntry, is_safe_relative_path
from terjman_desktop.core.translate import path_clash as package_path_clash

DEFAULT_REVISION = "main"
MAX_REPO_PART = 96
MAX_REVISION = 255
MAX_FILES = 100_000
MAX_PATH = 1024
MAX_FILE_SIZE = 1 << 50  # 1 PiB: far beyond any model, far below what breaks arithmetic
COMMIT_PATTERN = re.compile(r"^[0-9a-f]{40}$")
SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")
# Each part of ORG/NAME: letters, digits, '-', '_', '.', starting and ending with a letter,
# digit or '_' (the Hub's own rule, as huggingface_hub checks it).
_REPO_PART = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.\-]{0,94}[A-Za-z0-9_])?$", re.ASCII)
_REVISION_FORBIDDEN = re.compile(r"[\x00-\x20\x7f~^:?*\[\\]|\.\.|@\{|//")
SPEC_HINT = "Write it as ORG/NAME or ORG/NAME@REVISION, for example atlasia/Terjman-Nano@main."


# --------------------------------------------------------------------------- names


def check_repo_id(repo: str) -> str:
    """``repo`` if it is a valid ``ORG/NAME``.

    Raises:
        InputError: saying which rule it breaks.
    """
    if not isinstance(repo, str) or not repo:
        raise InputError("No repository given.", hint=SPEC_HINT)
    shown = repr(repo[:120])
    if repo.count("/") != 1:
        raise InputError(f"The repository {shown} must be ORG/NAME, with one '/'.",
                         hint=SPEC_HINT)
    for part in repo.split("/"):
        if len(part) > MAX_REPO_PART:
            raise InputError(f"The repository {shown} has a part longer than "
                             f"{MAX_REPO_PART} characters.", hint=SPEC_HINT)
        if not _REPO_PART.match(part):
            raise InputError(
                f"The repository {shown} may only use letters, digits, '-', '_' and '.', "
                "and each part must start and end with a letter or a digit.", hint=SPEC_HINT)
    if "--" in repo or ".." in repo:
        raise InputError(f"The repository {shown} cannot contain '--' or '..'.", hint=SPEC_HINT)
    if repo.endswith(".git"):
        raise InputError(f"The repository {shown} cannot end with '.git'.", hint=SPEC_HINT)
    return repo


def check_revision(revision: str) -> str:
    """``revision`` if it can be a branch, tag, ``refs/pr/N`` or commit (git's ref rules).

    Raises:
        InputError: when it cannot.
    """
    if not isinstance(revision, str) or not revision:
        raise InputError("The revision after '@' is empty.", hint=SPEC_HINT)
    shown = repr(revision[:120])
    if (
        len(revision) > MAX_REVISION
        or not revision.isprintable()
        or _REVISION_FORBIDDEN.search(revision)
        or revision.startswith(("/", ".", "-"))
        or revision.endswith(("/", ".", ".lock"))
        or revision == "@"
    ):
        raise InputError(f"{shown} is not a branch, tag or commit name.", hint=SPEC_HINT)
    return revision


def parse_repo_spec(spec: str) -> tuple[str, str]:
    """``"ORG/NAME[@REVISION]"`` → ``(repo, revision)``; the revision defaults to ``main``.

    Raises:
        InputError: when the repository or the revision is not valid.
    """
    if not isinstance(spec, str) or not spec.strip():
        raise InputError("No repository given.", hint=SPEC_HINT)
    repo, at, revision = spec.strip().partition("@")
    return check_repo_id(repo), check_revision(revision) if at else DEFAULT_REVISION


# --------------------------------------------------------------------------- files


@dataclass(frozen=True)
class HubFile:
    """One file of a commit.

    Attributes:
        path: Relative to the repository's root.
        size: The content's size in bytes (for an LFS file, the real file, not its pointer).
        blob_id: The git blob id (for an LFS file, the pointer's).
        sha256: The content's SHA-256 for an LFS file; None for a regular git file, which is
            verified by its blob id instead.
    """

    path: str
    size: int
    blob_id: str
    sha256: str | None = None

    @property
    def lfs(self) -> bool:
        return self.sha256 is not None

    def remote_file(self) -> FileEntry:
        """The file as the downloader verifies it: by SHA-256, else by git blob SHA-1."""
        if self.sha256 is not None:
            return FileEntry(self.path, self.size, sha256=self.sha256)
        return FileEntry(self.path, self.size, git_sha1=self.blob_id)


@dataclass(frozen=True)
class HubSnapshot:
    """A repository at one commit: what a download is pinned to.

    Attributes:
        repo: ``ORG/NAME``.
        revision: What was asked for (``main``, a tag, a commit).
        commit: The 40-hex commit it resolved to; every file is fetched from it.
        files: Every file of the commit, in the Hub's order.
        gated: The Hub says a token with accepted conditions is needed for the files.
    """

    repo: str
    revision: str
    commit: str
    files: tuple[HubFile, ...]
    gated: bool = False

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(f.path for f in self.files)

    def find(self, path: str) -> HubFile | None:
        return next((f for f in self.files if f.path == path), None)

    def file(self, path: str) -> HubFile:
        """The file at ``path``.

        Raises:
            EntryNotFoundError: when the commit has no such file.
        """
        found = self.find(path)
        if found is None:
            raise EntryNotFoundError(
                f"{self.repo} has no file '{path}' at {self.revision} "
                f"(commit {self.commit[:10]}).",
                hint="The repository may have changed, or it is not the kind of model "
                "expected here.",
            )
        return found

    @property
    def label(self) -> str:
        return f"{self.repo}@{self.revision}"


@dataclass(frozen=True)
class HubModel:
    """A search result: a repository id and, when the Hub says, whether it is gated."""

    repo: str
    gated: bool | None = None


@dataclass
class PartialFile:
    """A file as one answer describes it; the size or hashes may still be missing."""

    path: str
    size: int | None = None
    blob_id: str | None = None
    sha256: str | None = None

    @property
    def complete(self) -> bool:
        return self.size is not None and self.blob_id is not None

    def merge(self, other: PartialFile) -> None:
        self.size = self.size if self.size is not None else other.size
        self.blob_id = self.blob_id or other.blob_id
        self.sha256 = self.sha256 or other.sha256


# --------------------------------------------------------------------------- reading answers


class Reader:
    """Reads fields of the Hub's JSON; every problem becomes one :class:`HubResponseError`."""

    def __init__(self, what: str) -> None:
        self.what = what

    def fail(self, problem: str) -> HubResponseError:
        return HubResponseError(
            f"The Hub's answer about {self.what} is not what the Hub sends: {problem}.",
            hint="Try again later; if HF_ENDPOINT points to a mirror of the Hub, it may be "
            "broken or not a Hub mirror at all.",
        )

    def obj(self, value: Any, where: str) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(f"{where} is not an object")
        return value

    def items(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(f"{where} is not a list")
        if len(value) > MAX_FILES:
            raise self.fail(f"{where} lists more than {MAX_FILES} entries")
        return value

    def text(self, data: Mapping[str, Any], key: str, where: str) -> str:
        value = data.get(key)
        if not isinstance(value, str):
            raise self.fail(f"{where} has no text field '{key}'")
        return value

    def hexid(self, value: Any, pattern: re.Pattern[str], where: str) -> str:
        if not isinstance(value, str) or not pattern.match(value.lower()):
            digits = 40 if pattern is COMMIT_PATTERN else 64
            raise self.fail(f"{where} is not {digits} hexadecimal digits")
        return value.lower()

    def size(self, value: Any, where: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(f"the size of {where} is not a whole number")
        if not 0 <= value <= MAX_FILE_SIZE:
            raise self.fail(f"the size of {where} ({value}) is impossible")
        return value

    def path(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or len(value) > MAX_PATH or not is_safe_relative_path(value):
            shown = repr(value[:80]) if isinstance(value, str) else "a non-text value"
            raise self.fail(f"{where} has the path {shown}, which is not a plain relative path")
        return value

    def flag(self, value: Any) -> bool | None:
        """The Hub's ``gated``: false, or the kind of gate ("auto", "manual")."""
        if isinstance(value, bool):
            return value
        if isinstance(value, str):
            return True
        return None


def read_model_info(
    data: Any, reader: Reader, revision: str
) -> tuple[str, list[PartialFile], bool]:
    """Commit, files and gated flag from ``/api/models/{repo}/revision/{rev}?blobs=true``."""
    info = reader.obj(data, "the model information")
    commit = reader.hexid(info.get("sha"), COMMIT_PATTERN, "the commit ('sha')")
    if COMMIT_PATTERN.match(revision) and commit != revision:
        raise reader.fail(f"commit {revision} was asked for and {commit} was described")
    files: list[PartialFile] = []
    for index, raw in enumerate(reader.items(info.get("siblings"), "the file list")):
        where = f"siblings[{index}]"
        sibling = reader.obj(raw, where)
        entry = PartialFile(reader.path(sibling.get("rfilename"), where))
        if sibling.get("size") is not None:
            entry.size = reader.size(sibling["size"], entry.path)
        if sibling.get("blobId") is not None:
            entry.blob_id = reader.hexid(sibling["blobId"], COMMIT_PATTERN,
                                         f"the blob id of {entry.path}")
        if sibling.get("lfs") is not None:
            lfs = reader.obj(sibling["lfs"], f"the LFS details of {entry.path}")
            entry.sha256 = reader.hexid(lfs.get("sha256"), SHA256_PATTERN,
                                        f"the SHA-256 of {entry.path}")
            _lfs_size(entry, reader.size(lfs.get("size"), entry.path), reader)
        files.append(entry)
    return commit, files, bool(reader.flag(info.get("gated")))


def read_path_entries(data: Any, reader: Reader, where: str) -> list[PartialFile]:
    """Files from ``paths-info`` or ``tree`` (folders are skipped)."""
    files: list[PartialFile] = []
    for index, raw in enumerate(reader.items(data, where)):
        item = reader.obj(raw, f"{where}[{index}]")
        kind = item.get("type")
        if kind == "directory":
            continue
        if kind != "file":
            raise reader.fail(f"{where}[{index}] is neither a file nor a directory")
        entry = PartialFile(reader.path(item.get("path"), f"{where}[{index}]"))
        entry.size = reader.size(item.get("size"), entry.path)
        entry.blob_id = reader.hexid(item.get("oid"), COMMIT_PATTERN,
                                     f"the blob id of {entry.path}")
        if item.get("lfs") is not None:
            lfs = reader.obj(item["lfs"], f"the LFS details of {entry.path}")
            entry.sha256 = reader.hexid(lfs.get("oid"), SHA256_PATTERN,
                                        f"the SHA-256 of {entry.path}")
            _lfs_size(entry, reader.size(lfs.get("size"), entry.path), reader)
        files.append(entry)
    return files


def _lfs_size(entry: PartialFile, lfs_size: int, reader: Reader) -> None:
    if entry.size is not None and entry.size != lfs_size:
        raise reader.fail(f"{entry.path} has two sizes ({entry.size} and {lfs_size})")
    entry.size = lfs_size


def complete_files(files: Sequence[PartialFile], reader: Reader) -> tuple[HubFile, ...]:
    """The final, checked file list: every size and hash known, paths that fit one folder."""
    result: list[HubFile] = []
    for entry in files:
        if entry.size is None or entry.blob_id is None:
            raise reader.fail(f"no size or hash is given for {entry.path}")
        result.append(HubFile(entry.path, entry.size, entry.blob_id, entry.sha256))
    clash = path_clash(f.path for f in result)
    if clash:
        raise reader.fail(clash)
    return tuple(result)


def path_clash(paths: Iterable[str]) -> str | None:
    """Why these paths cannot all be files of one folder (on every system), or None.

    Two entries for one path, and what the package rule
    (:func:`~terjman_desktop.core.translate.manifest_rules.path_clash`)
    refuses: a path that is the folder of another (``a`` and ``a/b``), two names that are one
    file where names ignore case or Unicode normalization (Windows, macOS).
    """
    listed = list(paths)
    seen: set[str] = set()
    for path in listed:
        if path in seen:
            return f"'{path}' is listed twice"
        seen.add(path)
    clash = package_path_clash(listed)
    return clash.rstrip(".") if clash else None


def read_search(data: Any, reader: Reader, limit: int) -> list[HubModel]:
    """Repository ids (and gated flags) from ``/api/models?…``; invalid ids are refused."""
    models: list[HubModel] = []
    for index, raw in enumerate(reader.items(data, "the search results")[:limit]):
        item = reader.obj(raw, f"result {index}")
        repo = item.get("id", item.get("modelId"))
        if not isinstance(repo, str):
            raise reader.fail(f"result {index} has no repository id")
        try:
            check_repo_id(repo)
        except InputError:
            raise reader.fail(f"result {index} has the invalid id {repo[:100]!r}") from None
        models.append(HubModel(repo, reader.flag(item.get("gated"))))
    return models
