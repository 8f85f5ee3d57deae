"""Installing from the catalog while another Terjman installs the same model: wait, say so."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import threading
from pathlib import Path

import pytest

from terjman_desktop.core.cancel import PauseToken
from terjman_desktop.core.errors import CancelledError, StoreError
from terjman_desktop.core.models.catalog_schema import CatalogEntry
from terjman_desktop.core.models.install import install_from_catalog
from terjman_desktop.core.models.store.store import LockWait, Store, Workspace
from terjman_desktop.core.translate.manifest import Direction, FileEntry
from tests.core.http_server import FaultyHTTPServer
from tests.core.package_factory import DEFAULT_ID, make_package
from tests.core.store_helpers import InterruptedFillError


def publish(server: FaultyHTTPServer, folder: Path) -> CatalogEntry:
    """Serve a package folder's files (manifest included) and describe it as the catalog does."""
    files = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative, data = path.relative_to(folder).as_posix(), path.read_bytes()
        server.add(f"release/{relative}", data)
        files.append(FileEntry(relative, len(data), hashlib.sha256(data).hexdigest()))
    return CatalogEntry(
        id=DEFAULT_ID, name="Test model", version="1", family="marian", tier="nano",
        directions=(Direction("en", "ary"),), parameters=1, base_model="", hf_repo="",
        gated=False, quantization="int8", download_size=sum(f.size for f in files),
        ram_required=0, license="", attribution="", status="available", files=tuple(files),
        mirrors=(server.url_for("release/"),),
    )


class OtherInstall:
    """Another install of the same model, in a thread: it takes the model's turn, and once
    :attr:`go` is set writes the package ``folder`` (if any; else it gives up)."""

    def __init__(self, store: Store, folder: Path | None) -> None:
        self.go, self.holding = threading.Event(), threading.Event()
        self.store, self.folder = store, folder
        self.thread = threading.Thread(target=self._run)

    def _fill(self, work: Workspace) -> None:
        self.holding.set()
        if not self.go.wait(timeout=60) or self.folder is None:
            raise InterruptedFillError
        shutil.copytree(self.folder, work.staging, dirs_exist_ok=True)

    def _run(self) -> None:
        with contextlib.suppress(InterruptedFillError):
            self.store.install(DEFAULT_ID, self._fill)

    def __enter__(self) -> OtherInstall:
        self.thread.start()
        assert self.holding.wait(timeout=60)
        return self

    def __exit__(self, *exc: object) -> None:
        self.go.set()
        self.thread.join(timeout=60)


def test_a_second_install_waits_and_finds_the_model_installed(
    http_server: FaultyHTTPServer, tmp_path: Path
) -> None:
    # It gave up after 10 s, though the README says a second install waits for the first.
    package = tmp_path / "package"
    make_package(package)
    entry = publish(http_server, package)
    store = Store(tmp_path / "models")
    waits: list[LockWait] = []
    with OtherInstall(store, package) as other:

        def waiting(wait: LockWait) -> None:
            waits.append(wait)
            other.go.set()  # the first install finishes only while we wait for it

        installed = install_from_catalog(entry, store, on_wait=waiting)
    assert [w.model_id for w in waits] == [DEFAULT_ID]
    assert DEFAULT_ID in waits[0].message
    assert installed.id == DEFAULT_ID
    assert http_server.requests == []  # nothing downloaded twice
    assert store.verify(DEFAULT_ID).ok


def test_a_waiting_install_can_be_cancelled(
    http_server: FaultyHTTPServer, tmp_path: Path
) -> None:
    package = tmp_path / "package"
    make_package(package)
    entry = publish(http_server, package)
    store = Store(tmp_path / "models")
    control = PauseToken()
    with OtherInstall(store, None):
        with pytest.raises(CancelledError):
            install_from_catalog(entry, store, control=control, on_wait=lambda _: control.cancel())
        assert http_server.requests == []
    assert store.entries() == []


def test_an_install_without_a_wait_downloads(
    http_server: FaultyHTTPServer, tmp_path: Path
) -> None:
    package = tmp_path / "package"
    make_package(package)
    entry = publish(http_server, package)
    store = Store(tmp_path / "models")
    waits: list[LockWait] = []
    installed = install_from_catalog(entry, store, on_wait=waits.append)
    assert waits == []
    assert installed.id == DEFAULT_ID
    assert http_server.requests


def test_files_published_for_another_model_are_refused_and_deleted(
    http_server: FaultyHTTPServer, tmp_path: Path
) -> None:
    package = tmp_path / "package"
    make_package(package, model_id="another-model")
    entry = publish(http_server, package)  # listed as DEFAULT_ID
    store = Store(tmp_path / "models")
    with pytest.raises(StoreError, match="describe another model"):
        install_from_catalog(entry, store)
    assert store.entries() == []
    assert not (store.root / ".staging" / DEFAULT_ID).exists()
