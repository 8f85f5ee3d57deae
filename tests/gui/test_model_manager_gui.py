"""The model manager: catalog + installed models, install/pause/resume/cancel, import, delete."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog

from terjman_desktop.core import paths
from terjman_desktop.core.models import catalog
from terjman_desktop.core.models.store.store import Store
from terjman_desktop.gui.model_manager import ModelManagerDialog
from terjman_desktop.gui.model_table import (
    DOWNLOAD_COLUMN,
    INSTALLED_COLUMN,
    LICENSE_COLUMN,
    ROW_ID,
    STATUS_COLUMN,
    TIER_COLUMN,
)
from tests.core.http_server import FaultyHTTPServer
from tests.gui.hub_helpers import without_tokens

WAIT = 15_000


@pytest.fixture(autouse=True)
def _no_token(monkeypatch: pytest.MonkeyPatch, terjman_home: Path) -> None:
    without_tokens(monkeypatch, terjman_home)


@pytest.fixture
def server(marian_package: Path) -> Iterator[FaultyHTTPServer]:
    with FaultyHTTPServer(root=marian_package) as running:
        yield running


def write_catalog(package: Path, mirror: str) -> None:
    """A cached catalog listing the tiny Marian package as downloadable from ``mirror``."""
    manifest = json.loads((package / "terjman-model.json").read_text())
    files = [{"path": p.name, "size": p.stat().st_size,
              "sha256": hashlib.sha256(p.read_bytes()).hexdigest()}
             for p in sorted(package.iterdir()) if p.is_file()]
    entry = {
        "id": manifest["id"], "name": "Tiny Nano", "version": manifest["version"],
        "family": "marian", "tier": "nano", "directions": manifest["directions"],
        "parameters": 1000, "base_model": "tests/synthetic", "hf_repo": "tests/tiny",
        "gated": False, "quantization": manifest["quantization"],
        "download_size": sum(f["size"] for f in files), "ram_required": 10_000_000,
        "metrics": {"terjamabench": {"bleu": 1.5, "chrf": 9.0, "source": "test"}},
        "license": "cc-by-nc-4.0", "attribution": "Tiny test model by the test suite.",
        "status": "available", "files": files, "mirrors": [mirror + "/"],
    }
    bundled = json.loads(catalog.bundled_path().read_text())
    bundled["models"].append(entry)
    catalog.cached_path().parent.mkdir(parents=True, exist_ok=True)
    catalog.cached_path().write_text(json.dumps(bundled))


def open_manager(make_window: Any, qtbot: Any) -> tuple[Any, ModelManagerDialog]:
    window = make_window()
    window.open_model_manager()
    dialog = window.model_manager
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.catalog is not None, timeout=WAIT)
    return window, dialog


def row(dialog: ModelManagerDialog, model_id: str) -> Any:
    item = dialog.table.item_for(model_id)
    assert item is not None, model_id
    return item


def select(dialog: ModelManagerDialog, model_id: str) -> None:
    dialog.table.setCurrentItem(row(dialog, model_id))


def test_lists_installed_and_catalog(make_window: Any, qtbot: Any,
                                     marian_installed: Path) -> None:
    _, dialog = open_manager(make_window, qtbot)
    ids = [dialog.table.topLevelItem(i).data(0, ROW_ID)
           for i in range(dialog.table.topLevelItemCount())]
    assert ids[0] == "tiny-marian-f32"
    assert "terjman-nano-v2.0-int8" in ids
    installed = row(dialog, "tiny-marian-f32")
    assert not installed.isDisabled()
    assert installed.text(STATUS_COLUMN) == "Installed"
    # Every Terjman model installs from the Hub now; the v2.0 ones are gated.
    nano = row(dialog, "terjman-nano-v1-int8")
    assert not nano.isDisabled()
    assert nano.text(STATUS_COLUMN) == "Can be installed"
    assert nano.text(TIER_COLUMN) == "Nano"
    assert nano.text(DOWNLOAD_COLUMN).strip("\u2068\u2069") == "≈ 310.1 MB"
    assert nano.text(INSTALLED_COLUMN).strip("\u2068\u2069") == "≈ 79.1 MB"
    assert nano.text(LICENSE_COLUMN).strip("\u2068\u2069") == "cc-by-nc-4.0"  # isolated for RTL
    gated = row(dialog, "terjman-nano-v2.0-int8")
    assert gated.text(STATUS_COLUMN) == "Gated: needs a Hugging Face token"
    select(dialog, "terjman-nano-v2.0-int8")
    assert dialog.buttons["install"].isEnabled()
    assert "needs a Hugging Face access token" in dialog.details.text()
    select(dialog, "tiny-marian-f32")
    assert dialog.buttons["verify"].isEnabled()
    assert not dialog.buttons["install"].isEnabled()
    assert not dialog.buttons["repair"].isEnabled()


def test_import_package_from_file(make_window: Any, qtbot: Any, tmp_path: Path,
                                  marian_package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    teacher = Store(tmp_path / "teacher")
    teacher.import_path(marian_package)
    package = teacher.export("tiny-marian-f32", tmp_path)
    window, dialog = open_manager(make_window, qtbot)
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(package), "")))
    dialog.buttons["import_file"].click()
    qtbot.waitUntil(lambda: dialog.table.item_for("tiny-marian-f32") is not None, timeout=WAIT)
    assert (paths.models_dir() / "tiny-marian-f32" / "model.bin").is_file()
    qtbot.waitUntil(lambda: window.panel.current_model() is not None, timeout=WAIT)


def test_verify_export_and_delete(make_window: Any, qtbot: Any, marian_installed: Path,
                                  tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  message_boxes: Any) -> None:
    window, dialog = open_manager(make_window, qtbot)
    select(dialog, "tiny-marian-f32")
    dialog.buttons["verify"].click()
    qtbot.waitUntil(lambda: bool(message_boxes.texts("information")), timeout=WAIT)
    assert "intact" in message_boxes.texts("information")[-1]

    target = tmp_path / "shared.zip"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    select(dialog, "tiny-marian-f32")
    dialog.buttons["export"].click()
    qtbot.waitUntil(lambda: target.is_file() and len(message_boxes.texts("information")) == 2,
                    timeout=WAIT)

    select(dialog, "tiny-marian-f32")
    dialog.buttons["delete"].click()
    qtbot.waitUntil(lambda: dialog.table.item_for("tiny-marian-f32") is None, timeout=WAIT)
    assert not marian_installed.exists()
    qtbot.waitUntil(lambda: window.panel.current_model() is None, timeout=WAIT)


def test_download_with_license_pause_resume(
    make_window: Any, qtbot: Any, marian_package: Path, server: FaultyHTTPServer,
    message_boxes: Any,
) -> None:
    write_catalog(marian_package, server.url)
    server.set_fault("model.bin", chunk=16 * 1024, delay=0.05)  # a slow link: time to pause
    window, dialog = open_manager(make_window, qtbot)
    select(dialog, "tiny-marian-f32")
    assert row(dialog, "tiny-marian-f32").text(STATUS_COLUMN) == "Can be installed"
    assert dialog.buttons["install"].isEnabled()
    dialog.buttons["install"].click()
    license_text = message_boxes.texts("question")[-1]
    assert "cc-by-nc-4.0" in license_text
    assert "Tiny test model by the test suite." in license_text
    qtbot.waitUntil(lambda: "Downloading" in row(dialog, "tiny-marian-f32").text(STATUS_COLUMN),
                    timeout=WAIT)
    dialog.buttons["pause"].click()
    assert row(dialog, "tiny-marian-f32").text(STATUS_COLUMN).startswith("Paused")
    assert dialog.buttons["resume"].isEnabled()
    dialog.buttons["resume"].click()
    server.clear_faults()
    qtbot.waitUntil(lambda: row(dialog, "tiny-marian-f32").text(STATUS_COLUMN) == "Installed",
                    timeout=30_000)
    qtbot.waitUntil(lambda: window.panel.current_model() is not None, timeout=WAIT)
    # The license is not asked again for the same model: it was remembered (on a worker).
    questions = len(message_boxes.texts("question"))
    from terjman_desktop.gui.licenses import confirm_license

    qtbot.waitUntil(lambda: "tiny-marian-f32" in window.context.licenses.read(), timeout=WAIT)
    assert confirm_license(dialog, dialog.catalog.get("tiny-marian-f32"),
                           window.context.licenses.read())
    assert len(message_boxes.texts("question")) == questions


def test_download_cancel(make_window: Any, qtbot: Any, marian_package: Path,
                         server: FaultyHTTPServer) -> None:
    write_catalog(marian_package, server.url)
    server.set_fault("model.bin", chunk=4 * 1024, delay=0.05)
    _, dialog = open_manager(make_window, qtbot)
    select(dialog, "tiny-marian-f32")
    dialog.buttons["install"].click()
    qtbot.waitUntil(lambda: "Downloading" in row(dialog, "tiny-marian-f32").text(STATUS_COLUMN),
                    timeout=WAIT)
    dialog.buttons["cancel"].click()
    qtbot.waitUntil(
        lambda: row(dialog, "tiny-marian-f32").text(STATUS_COLUMN) == "Can be installed",
        timeout=WAIT)
    assert not (paths.models_dir() / "tiny-marian-f32").exists()
    assert dialog.buttons["install"].isEnabled()


def test_install_status_names_each_phase(qtbot: Any) -> None:
    from terjman_desktop.core.models.download import DownloadProgress
    from terjman_desktop.core.models.hub.install import (
        PHASE_CONVERT,
        PHASE_DOWNLOAD,
        PHASE_INSTALL,
        InstallProgress,
    )
    from terjman_desktop.core.models.store.store import LockWait
    from terjman_desktop.gui.install_job import InstallJob

    job = InstallJob(catalog.current().get("terjman-nano-v1-int8"))
    assert job.status_text() == "Asking Hugging Face for the model's files…"
    assert not job.can_pause
    download = DownloadProgress(40, 100, 2_100_000, 61, "model.safetensors")
    job.progress = InstallProgress(PHASE_DOWNLOAD, 40, 100, download)
    assert job.status_text() == "Downloading… 40% · 2.1 MB/s · 1 min left"
    assert job.can_pause
    job.pause()
    assert job.status_text() == "Paused at 40%"
    job.resume()
    job.progress = InstallProgress(PHASE_CONVERT, 3, 5)
    assert job.status_text() == "Converting on this computer… 60%"
    assert not job.can_pause  # only the download stops on a pause
    job.progress = InstallProgress(PHASE_INSTALL, 1, 1)
    assert job.status_text() == "Checking and installing… 100%"
    job.waiting = LockWait("terjman-nano-v1-int8", "Waiting…")
    assert job.status_text().startswith("Waiting for another Terjman")
    job.cancel()
    assert job.status_text() == "Cancelling…"


def test_an_update_in_the_catalog_is_offered(make_window: Any, qtbot: Any,
                                             marian_installed: Path, marian_package: Path) -> None:
    """The catalog's newer version of an installed model shows on its row and in the details."""
    write_catalog(marian_package, "http://127.0.0.1:9/")
    cached = json.loads(catalog.cached_path().read_text())
    entry = next(e for e in cached["models"] if e["id"] == "tiny-marian-f32")
    installed_version = entry["version"]
    entry["version"] = "99.0"
    catalog.cached_path().write_text(json.dumps(cached))
    _, dialog = open_manager(make_window, qtbot)
    status = row(dialog, "tiny-marian-f32").text(STATUS_COLUMN).replace("\u2068", "").replace(
        "\u2069", "")
    assert status == "Installed · update available: Tiny Nano 99.0"
    select(dialog, "tiny-marian-f32")
    assert "The catalog has version \u206899.0\u2069: Install replaces this copy." in (
        dialog.details.text())
    assert dialog.buttons["install"].isEnabled()
    assert installed_version != "99.0"


def test_corrected_files_for_the_same_version_can_be_installed(
    make_window: Any, qtbot: Any, marian_installed: Path, marian_package: Path
) -> None:
    write_catalog(marian_package, "http://127.0.0.1:9/")
    cached = json.loads(catalog.cached_path().read_text())
    entry = next(e for e in cached["models"] if e["id"] == "tiny-marian-f32")
    readme = next(f for f in entry["files"] if f["path"] == "README.md")
    readme["sha256"] = "0" * 64  # the catalog now publishes different bytes for this file
    catalog.cached_path().write_text(json.dumps(cached))
    _, dialog = open_manager(make_window, qtbot)
    assert "update available" in row(dialog, "tiny-marian-f32").text(STATUS_COLUMN)
    select(dialog, "tiny-marian-f32")
    assert dialog.buttons["install"].isEnabled()
    assert not dialog.buttons["repair"].isEnabled()
    assert "corrected files for this version: Install replaces this copy" in (
        dialog.details.text())
