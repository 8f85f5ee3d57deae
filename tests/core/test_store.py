"""The model store: list, get, verify, remove, atomic installs, locks, export, updates."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import subprocess
import sys
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import pytest

from terjman_desktop.core import diskspace, paths
from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.errors import (
    CancelledError,
    DiskSpaceError,
    ModelNotFoundError,
    PackageError,
    StoreError,
    TerjmanError,
)
from terjman_desktop.core.models.archive import shared as archive
from terjman_desktop.core.models.archive.shared import Progress
from terjman_desktop.core.models.store import installing
from terjman_desktop.core.models.store.store import InstalledModel, LockWait, Store, Workspace
from terjman_desktop.core.models.store.updates import find_updates, version_key
from terjman_desktop.core.translate.manifest import MANIFEST_NAME, Manifest
from tests.core.package_factory import DEFAULT_ID, default_files, make_package, make_zip
from tests.core.store_helpers import InterruptedFillError, another_install, nothing, package, stage

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "models")


def install(store: Store, version: str = "1", model_id: str = DEFAULT_ID) -> Manifest:
    return store.install(model_id, package(model_id=model_id, version=version)).manifest


def staging(store: Store, model_id: str = DEFAULT_ID) -> Path:
    """Where the store stages an install of ``model_id`` (see layout.py)."""
    return store.root / ".staging" / model_id


def work_folders_empty(store: Store) -> bool:
    return all(
        not (store.root / hidden).exists() or not any((store.root / hidden).iterdir())
        for hidden in (".incoming", ".trash")
    )


def run_python(code: str, *args: str, **kwargs: Any) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-c", code, *args], env=env, text=True, **kwargs)


# --------------------------------------------------------------------------- reading


def test_default_root_and_nothing_created_until_needed(terjman_home: Path) -> None:
    store = Store()
    assert store.root == paths.models_dir()
    assert store.list() == []
    assert store.entries() == []
    assert not terjman_home.exists()


def test_install_then_list_and_get(store: Store) -> None:
    manifest = install(store)
    [model] = store.list()
    assert model.id == DEFAULT_ID
    assert model.version == "1"
    assert model.size == manifest.total_size
    assert model.family == "marian"
    assert model.quantization == "int8"
    assert [str(d) for d in model.directions] == ["en→ary"]
    assert model.verified is True
    assert model.verified_at
    assert model.path == store.root / DEFAULT_ID
    assert store.get(DEFAULT_ID) == model
    assert not staging(store).exists()  # moved into place


def test_get_unknown_model_has_a_hint(store: Store) -> None:
    with pytest.raises(ModelNotFoundError, match="terjman models list") as caught:
        store.get("terjman-nowhere")
    assert caught.value.hint
    with pytest.raises(ModelNotFoundError):
        store.get("../etc")


def test_entries_show_every_folder_with_its_state(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    install(store)
    (store.root / "no-manifest").mkdir()
    (store.root / "bad-json").mkdir()
    (store.root / "bad-json" / MANIFEST_NAME).write_text("{", encoding="utf-8")
    make_package(store.root / "wrong-name", model_id="another-model")
    make_package(store.root / "truncated", model_id="truncated")
    with open(store.root / "truncated" / "model.bin", "r+b") as handle:
        handle.truncate(10)
    (store.root / "stray-file.txt").write_text("not a model")
    for hidden in (".staging", ".trash", ".incoming"):
        (store.root / hidden).mkdir(exist_ok=True)
    with caplog.at_level(logging.WARNING, logger="terjman_desktop.core.models.store.store"):
        assert [m.id for m in store.list()] == [DEFAULT_ID]  # the models that can be loaded
    assert "truncated is damaged" in caplog.text
    states = {e.id: (e.state, e.problems) for e in store.entries()}
    assert {name: state for name, (state, _) in states.items()} == {
        "bad-json": "unreadable",
        "no-manifest": "unreadable",
        DEFAULT_ID: "ok",
        "truncated": "damaged",
        "wrong-name": "damaged",
    }
    assert states["truncated"][1] == ("'model.bin' has 10 bytes, expected 24256.",)
    assert "another-model" in states["wrong-name"][1][0]
    assert "not valid JSON" in states["bad-json"][1][0]
    unusable = {e.id for e in store.entries() if e.model is None}
    assert unusable == {"no-manifest", "bad-json", "wrong-name", "truncated"}
    with pytest.raises(PackageError, match="has 10 bytes"):
        store.get("truncated")
    assert store.state("truncated").manifest is not None
    assert store.state(DEFAULT_ID).model == store.get(DEFAULT_ID)


def _resize(path: Path) -> None:
    with open(path, "ab") as handle:
        handle.write(b"!")


def test_a_damaged_model_stays_visible_and_can_be_repaired_or_removed(
    store: Store, tmp_path: Path
) -> None:
    # A file of the wrong size made the model vanish from every list, though its folder stayed.
    install(store)
    _resize(store.root / DEFAULT_ID / "model.bin")
    [entry] = store.entries()
    assert (entry.id, entry.state, entry.name, entry.version) == (
        DEFAULT_ID, "damaged", "Test model 1", "1"
    )
    assert entry.model is None
    assert "'model.bin' has" in entry.problems[0]
    result = store.verify(DEFAULT_ID)
    assert not result.ok
    assert "'model.bin' has" in result.problems[0]
    # Repair: install (or import) it again over the damaged folder.
    store.import_path(make_zip(tmp_path, version="1"))
    assert store.state(DEFAULT_ID).ok
    # Remove: works on a damaged model as on any other.
    _resize(store.root / DEFAULT_ID / "model.bin")
    store.remove(DEFAULT_ID)
    assert store.entries() == []


def test_a_failed_verification_shows_as_damaged_but_still_loads(store: Store) -> None:
    install(store)
    weights = store.root / DEFAULT_ID / "model.bin"
    data = bytearray(weights.read_bytes())
    data[0] ^= 0xFF
    weights.write_bytes(bytes(data))
    assert not store.verify(DEFAULT_ID).ok
    [entry] = store.entries()
    assert entry.state == "damaged"
    assert entry.model is not None and entry.model.verified is False
    assert [m.id for m in store.list()] == [DEFAULT_ID]


HOSTILE_MANIFESTS = {
    "deep nesting": b"[" * 100_000 + b"]" * 100_000,
    "a 5000-digit integer": b'{"format": 1' + b"0" * 5000 + b"}",
    "a duplicate key": b'{"format": 1, "format": 1}',
    "Infinity": b'{"format": Infinity}',
}


@pytest.mark.parametrize("bad", HOSTILE_MANIFESTS.values(), ids=HOSTILE_MANIFESTS.keys())
def test_a_hostile_manifest_breaks_only_its_own_folder(store: Store, bad: bytes) -> None:
    install(store)
    make_package(store.root / "hostile", model_id="hostile")
    (store.root / "hostile" / MANIFEST_NAME).write_bytes(bad)
    assert [m.id for m in store.list()] == [DEFAULT_ID]
    states = {e.id: e.state for e in store.entries()}
    assert states == {DEFAULT_ID: "ok", "hostile": "unreadable"}
    assert store.verify(DEFAULT_ID).ok
    result = store.verify("hostile")
    assert not result.ok and result.problems
    with pytest.raises(PackageError):
        store.get("hostile")
    store.remove("hostile")
    assert [e.id for e in store.entries()] == [DEFAULT_ID]


def test_a_folder_put_there_by_hand_is_listed_and_can_be_removed(store: Store) -> None:
    install(store)
    make_package(store.root / "My Model (copy)")
    entry = store.state("My Model (copy)")
    assert entry.state == "damaged"  # it holds terjman-test-v1-int8
    assert DEFAULT_ID in entry.problems[0]
    store.remove("My Model (copy)")
    assert [e.id for e in store.entries()] == [DEFAULT_ID]
    for outside in ("..", "../models", ".locks", "a/b", ""):
        with pytest.raises(ModelNotFoundError):
            store.remove(outside)


def _read_only(monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
    """Make every change under ``root`` fail as on a read-only file system (EROFS).

    Tests run as root, whom chmod does not stop, and a real read-only mount needs
    privileges: every call that creates, writes, renames or deletes a path under ``root``
    is refused instead, as the kernel would refuse it.
    """
    inside = os.path.realpath(root)

    def under(path: Any) -> bool:
        if not isinstance(path, (str, bytes, os.PathLike)):
            return False  # a file descriptor
        resolved = os.path.realpath(os.fspath(path))
        return resolved == inside or resolved.startswith(inside + os.sep)

    def guard(name: str, *, paths: int = 1, write_flags: bool = False) -> None:
        real = getattr(os, name)

        def patched(*args: Any, **kwargs: Any) -> Any:
            writing = not write_flags or args[1] & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
            if writing and any(under(arg) for arg in args[:paths]):
                raise OSError(errno.EROFS, "Read-only file system", os.fspath(args[0]))
            return real(*args, **kwargs)

        monkeypatch.setattr(os, name, patched)

    guard("open", write_flags=True)
    for name in ("mkdir", "unlink", "rmdir", "remove"):
        guard(name)
    for name in ("replace", "rename"):
        guard(name, paths=2)


def test_remove_on_a_read_only_disk(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    install(store)
    with monkeypatch.context() as patch:
        _read_only(patch, store.root)
        with pytest.raises(StoreError) as caught:
            store.remove(DEFAULT_ID)
        assert "Read-only file system" in caught.value.message
        assert caught.value.hint and "read-only disk" in caught.value.hint
        assert [m.id for m in store.list()] == [DEFAULT_ID]  # reading still works
    assert store.verify(DEFAULT_ID).ok


def test_remove_when_only_the_folder_cannot_be_moved(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Where a lock can still be taken (an existing lock file opened for reading), the
    # rename that removes the model is what the read-only disk refuses.
    install(store)
    real = os.replace

    def replace(src: Any, dst: Any) -> None:
        if Path(src) == store.root / DEFAULT_ID:
            raise OSError(errno.EROFS, "Read-only file system", str(src))
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(StoreError, match="cannot be removed") as caught:
        store.remove(DEFAULT_ID)
    assert caught.value.hint and "read-only disk" in caught.value.hint
    assert [m.id for m in store.list()] == [DEFAULT_ID]


def test_remove_on_a_read_only_disk_before_any_lock_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path / "models")
    make_package(store.root / DEFAULT_ID)  # copied there by hand: no .locks folder yet
    _read_only(monkeypatch, store.root)
    with pytest.raises(StoreError, match="Read-only file system"):
        store.remove(DEFAULT_ID)


def test_terjman_home_that_is_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home-file"
    home.write_text("not a folder")
    monkeypatch.setenv("TERJMAN_HOME", str(home))
    store = Store()
    assert store.entries() == []
    with pytest.raises(TerjmanError, match="TERJMAN_HOME is set to") as caught:
        store.import_path(make_zip(tmp_path))
    assert caught.value.hint and "TERJMAN_HOME" in caught.value.hint
    with pytest.raises(TerjmanError, match="TERJMAN_HOME is set to"):
        store.install(DEFAULT_ID, package())
    assert home.read_text() == "not a folder"


def test_verify_detects_flipped_byte_and_records_it(store: Store) -> None:
    install(store)
    seen: list[tuple[int, int]] = []
    assert store.verify(DEFAULT_ID, progress=lambda d, t: seen.append((d, t))).ok
    assert seen[-1][0] == seen[-1][1] == store.get(DEFAULT_ID).size
    weights = store.root / DEFAULT_ID / "model.bin"
    data = bytearray(weights.read_bytes())
    data[100] ^= 0x01
    weights.write_bytes(bytes(data))
    result = store.verify(DEFAULT_ID)
    assert not result.ok
    assert result.problems == ("'model.bin' does not match its SHA-256 (the file is corrupt).",)
    assert store.get(DEFAULT_ID).verified is False


def test_verify_reports_missing_extra_and_resized_files(store: Store) -> None:
    install(store)
    folder = store.root / DEFAULT_ID
    (folder / "README.md").unlink()
    (folder / "notes.txt").write_text("extra")
    with open(folder / "config.json", "ab") as handle:
        handle.write(b" ")
    problems = store.verify(DEFAULT_ID).problems
    assert "'README.md' is missing." in problems
    assert "'notes.txt' is not listed in the manifest." in problems
    assert any("'config.json' has" in p for p in problems)


def test_verify_broken_manifest_and_cancel(store: Store) -> None:
    install(store)
    token = CancelToken()
    token.cancel()
    with pytest.raises(CancelledError):
        store.verify(DEFAULT_ID, cancel=token)
    (store.root / DEFAULT_ID / MANIFEST_NAME).write_text("[]", encoding="utf-8")
    result = store.verify(DEFAULT_ID)
    assert not result.ok
    assert "JSON object" in result.problems[0]


def test_remove(store: Store) -> None:
    install(store)
    store.remove(DEFAULT_ID)
    assert store.entries() == []
    assert not (store.root / DEFAULT_ID).exists()
    assert work_folders_empty(store)
    with pytest.raises(ModelNotFoundError):
        store.remove(DEFAULT_ID)
    (store.root / "broken").mkdir()
    store.remove("broken")
    assert store.entries() == []


# --------------------------------------------------------------------------- installing


def test_an_interrupted_install_resumes_unless_fresh_or_forgotten(store: Store) -> None:
    def interrupted(work: Workspace) -> None:
        (work.staging / "model.bin.part").write_bytes(b"half")
        raise InterruptedFillError  # a dropped connection

    seen: list[list[str]] = []

    def resume(work: Workspace) -> None:
        seen.append(sorted(p.name for p in work.staging.iterdir()))
        (work.staging / "model.bin.part").unlink(missing_ok=True)
        make_package(work.staging)

    with pytest.raises(InterruptedFillError):
        store.install(DEFAULT_ID, interrupted)
    assert store.entries() == []
    store.install(DEFAULT_ID, resume)
    assert seen == [["model.bin.part"]]  # the next attempt finds what the first one wrote
    with pytest.raises(InterruptedFillError):
        store.install(DEFAULT_ID, interrupted)
    store.install(DEFAULT_ID, resume, fresh=True)
    assert seen[-1] == []
    with pytest.raises(InterruptedFillError):
        store.install(DEFAULT_ID, interrupted)
    assert (staging(store) / "model.bin.part").exists()
    store.forget_download(DEFAULT_ID)
    assert not staging(store).exists()
    assert store.verify(DEFAULT_ID).ok  # the installed model is not touched
    with pytest.raises(StoreError, match="not a valid model id"):
        store.install("../escape", interrupted)
    with pytest.raises(StoreError, match="not a valid model id"):
        store.forget_download("../escape")


def test_an_install_that_writes_nothing_leaves_nothing(store: Store) -> None:
    with pytest.raises(PackageError):
        store.install(DEFAULT_ID, nothing)
    assert not staging(store).exists()
    assert store.entries() == []


def test_forget_download_leaves_a_running_install_alone(store: Store) -> None:
    stage(store)
    with another_install(store), pytest.raises(StoreError, match="installing this model"):
        store.forget_download(DEFAULT_ID)
    assert store.install(DEFAULT_ID, nothing).verified  # its files were kept


def test_install_writes_the_expected_manifest(store: Store, tmp_path: Path) -> None:
    reference = make_package(tmp_path / "reference")

    def download(work: Workspace) -> None:
        for name, data in default_files("1").items():
            (work.staging / name).write_bytes(data)

    model = store.install(DEFAULT_ID, download, expected=reference)
    assert model.manifest.files == reference.files


def test_install_refuses_a_mismatch_with_expected(store: Store, tmp_path: Path) -> None:
    expected = make_package(tmp_path / "catalog-version", version="2")
    with pytest.raises(PackageError, match="does not hold the model the catalog describes"):
        store.install(DEFAULT_ID, package(version="1"), expected=expected)
    assert store.list() == []
    assert (staging(store) / "model.bin").exists()  # left for the downloader to resume or clean


def test_files_of_another_model_are_refused_and_deleted(store: Store) -> None:
    with pytest.raises(StoreError, match="describe another model \\('another-model'\\)"):
        store.install(DEFAULT_ID, package(model_id="another-model"))
    assert not staging(store).exists()
    assert store.entries() == []


@pytest.mark.parametrize("damage", ["tamper", "unlisted", "partial"])
def test_install_refuses_bad_files(store: Store, damage: str) -> None:
    def download(work: Workspace) -> None:
        make_package(work.staging)
        if damage == "tamper":
            data = bytearray((work.staging / "model.bin").read_bytes())
            data[0] ^= 0xFF
            (work.staging / "model.bin").write_bytes(bytes(data))
        elif damage == "unlisted":
            (work.staging / "model.bin.part").write_bytes(b"half")
        else:
            (work.staging / "README.md").unlink()

    with pytest.raises(PackageError):
        store.install(DEFAULT_ID, download)
    assert store.entries() == []
    assert staging(store).is_dir()  # left for the downloader to resume or clean


def test_install_from_another_filesystem_copies(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(installing, "same_filesystem", lambda a, b: False)
    model = store.install(DEFAULT_ID, package())
    assert store.verify(model.id).ok
    assert work_folders_empty(store)
    assert not staging(store).exists()

    def tampered(work: Workspace) -> None:
        make_package(work.staging, version="2")
        data = bytearray((work.staging / "model.bin").read_bytes())
        data[0] ^= 0xFF
        (work.staging / "model.bin").write_bytes(bytes(data))

    with pytest.raises(PackageError, match="SHA-256"):
        store.install(DEFAULT_ID, tampered)
    assert store.get(DEFAULT_ID).version == "1"
    assert store.verify(model.id).ok
    assert work_folders_empty(store)


def test_sources_are_kept_until_the_model_is_in_place(store: Store) -> None:
    def convert(work: Workspace) -> None:
        work.sources.mkdir(parents=True, exist_ok=True)
        (work.sources / "checkpoint.bin").write_bytes(b"weights")
        make_package(work.staging)

    def failing(work: Workspace) -> None:
        convert(work)
        raise InterruptedFillError

    with pytest.raises(InterruptedFillError):
        store.install(DEFAULT_ID, failing)
    sources = store.root / ".hub-sources" / DEFAULT_ID
    assert (sources / "checkpoint.bin").exists()  # the next attempt resumes from them
    store.install(DEFAULT_ID, convert, keep_sources=True)
    assert (sources / "checkpoint.bin").exists()
    store.install(DEFAULT_ID, convert)
    assert not sources.exists()


def test_install_replaces_an_older_version(store: Store) -> None:
    install(store, "1")
    install(store, "2")
    [model] = store.list()
    assert model.version == "2"
    assert store.verify(DEFAULT_ID).ok
    assert work_folders_empty(store)


def _failing_replace(
    monkeypatch: pytest.MonkeyPatch, failing_calls: set[int]
) -> list[tuple[str, str]]:
    real = os.replace
    calls: list[tuple[str, str]] = []

    def replace(src: Any, dst: Any) -> None:
        calls.append((str(src), str(dst)))
        if len(calls) in failing_calls:
            raise OSError(errno.EIO, "simulated failure")
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    return calls


# os.replace calls of a replacing install: 1 old -> .trash (aside), 2 staging -> <id>,
# 3 aside -> doomed, 4 verification record.
@pytest.mark.parametrize(
    ("failing", "version_after_recovery"),
    [({1}, "1"), ({2}, "1"), ({2, 3}, "1"), ({3}, "2"), ({4}, "2")],
)
def test_failure_at_each_step_leaves_old_or_new(
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    failing: set[int],
    version_after_recovery: str,
) -> None:
    install(store, "1")
    stage(store, version="2")
    with monkeypatch.context() as patch:
        calls = _failing_replace(patch, failing)
        with contextlib.suppress(StoreError):
            store.install(DEFAULT_ID, nothing)
        # The visible folder is complete (old or new), or absent if even the roll-back failed.
        target = store.root / DEFAULT_ID
        if target.exists():
            version = Store(store.root).get(DEFAULT_ID).version
            assert version in {"1", "2"}
            assert Store(store.root).verify(DEFAULT_ID).ok
        else:
            assert failing == {2, 3}
        assert len(calls) >= max(failing)
    fresh = Store(store.root)  # the next use of the store finishes the job
    assert fresh.get(DEFAULT_ID).version == version_after_recovery
    assert fresh.verify(DEFAULT_ID).ok
    assert work_folders_empty(fresh)
    assert not list((store.root / ".state").glob("*.tmp"))


_CRASHING_INSTALL = """
import os, sys
from pathlib import Path
from terjman_desktop.core.models.store.store import Store
root, crash_at = Path(sys.argv[1]), int(sys.argv[2])
real, calls = os.replace, []
def replace(src, dst):
    calls.append(src)
    if len(calls) == crash_at:
        os._exit(17)  # a power cut: no clean-up, no roll-back, no finally
    real(src, dst)
os.replace = replace
Store(root).install(sys.argv[3], lambda work: None)  # the files are staged already
"""


@pytest.mark.parametrize(("crash_at", "expected"), [(1, "1"), (2, "1"), (3, "2"), (4, "2")])
def test_hard_crash_leaves_old_or_new(store: Store, crash_at: int, expected: str) -> None:
    install(store, "1")
    stage(store, version="2")
    process = run_python(_CRASHING_INSTALL, str(store.root), str(crash_at), DEFAULT_ID)
    assert process.wait(timeout=60) == 17
    target = store.root / DEFAULT_ID
    if crash_at == 2:
        assert not target.exists()  # between the two renames: nothing, never a partial model
    fresh = Store(store.root)
    assert fresh.get(DEFAULT_ID).version == expected
    assert fresh.verify(DEFAULT_ID).ok
    assert work_folders_empty(fresh)


def test_leftovers_are_cleaned_at_next_use(store: Store) -> None:
    install(store)
    trash = store.root / ".trash"
    incoming = store.root / ".incoming"
    for leftover in (
        trash / f"{DEFAULT_ID}+abc.doomed",
        trash / f"{DEFAULT_ID}+def.aside",  # an old copy, while a complete model is in place
        incoming / f"{DEFAULT_ID}+123",
        incoming / "not-ours",
    ):
        leftover.mkdir(parents=True)
        (leftover / "model.bin").write_bytes(b"partial")
    assert [m.id for m in store.list()] == [DEFAULT_ID]
    assert work_folders_empty(store)
    assert (store.root / ".staging").exists()  # downloads in progress are kept to resume


# --------------------------------------------------------------------------- locks


def test_the_lock_excludes_other_threads_and_does_not_nest(store: Store) -> None:
    errors: list[BaseException] = []

    def other() -> None:
        try:
            Store(store.root, lock_timeout=0.1).install(DEFAULT_ID, package())
        except StoreError as error:
            errors.append(error)

    def fill(work: Workspace) -> None:
        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
        # This very thread holds the model's turn: asking again fails at once, it never nests.
        with pytest.raises(RuntimeError, match="already locked by this thread"):
            store.install(DEFAULT_ID, package())
        with pytest.raises(StoreError, match="installing this model"):
            Store(store.root, lock_timeout=60).remove(DEFAULT_ID)
        with pytest.raises(StoreError, match="installing this model"):
            store.forget_download(DEFAULT_ID)
        make_package(work.staging)

    install(store, "0")
    assert store.install(DEFAULT_ID, fill).verified
    assert len(errors) == 1
    assert "installing this model" in str(errors[0])
    store.remove(DEFAULT_ID)  # the turn was given back


_HOLD_LOCK = """
import sys
from pathlib import Path
from terjman_desktop.core.models.store.store import Store
def hold(work):
    print("locked", flush=True)
    sys.stdin.read()
    raise SystemExit(0)  # gives up, installing nothing
Store(Path(sys.argv[1])).install(sys.argv[2], hold)
"""


def test_another_process_holding_the_lock(store: Store) -> None:
    stage(store)
    holder = run_python(
        _HOLD_LOCK, str(store.root), DEFAULT_ID, stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        impatient = Store(store.root, lock_timeout=0)
        with pytest.raises(StoreError, match="Another Terjman is installing this model"):
            impatient.install(DEFAULT_ID, nothing)
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        assert holder.wait(timeout=30) == 0
    assert store.list() == []
    store.install(DEFAULT_ID, nothing)  # the lock died with its holder; the files were kept
    assert store.verify(DEFAULT_ID).ok


def test_an_install_waits_for_the_other_process_and_says_so(store: Store) -> None:
    # It gave up after 10 s, though the README says a second install waits for the first.
    stage(store, version="2")
    holder = run_python(
        _HOLD_LOCK, str(store.root), DEFAULT_ID, stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert holder.stdout is not None
    assert holder.stdin is not None
    assert holder.stdout.readline().strip() == "locked"
    waits: list[LockWait] = []

    def waiting(wait: LockWait) -> None:
        waits.append(wait)
        assert holder.stdin is not None
        holder.stdin.close()  # the other process finishes only once we wait for it

    try:
        model = Store(store.root, on_lock_wait=waiting).install(DEFAULT_ID, nothing)
    finally:
        holder.wait(timeout=30)
    assert model.version == "2"
    assert [w.model_id for w in waits] == [DEFAULT_ID]
    assert DEFAULT_ID in waits[0].message


def test_a_remove_waits_for_the_other_process_and_tells_its_caller(store: Store) -> None:
    install(store)
    holder = run_python(
        _HOLD_LOCK, str(store.root), DEFAULT_ID, stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert holder.stdout is not None
    assert holder.stdin is not None
    assert holder.stdout.readline().strip() == "locked"
    told_store: list[LockWait] = []
    told_call: list[LockWait] = []

    def waiting(wait: LockWait) -> None:
        told_call.append(wait)
        assert holder.stdin is not None
        holder.stdin.close()

    try:
        # The call's own listener wins over the store's (a GUI task reports its own wait).
        Store(store.root, on_lock_wait=told_store.append).remove(DEFAULT_ID, on_wait=waiting)
    finally:
        holder.wait(timeout=30)
    assert [w.model_id for w in told_call] == [DEFAULT_ID]
    assert told_store == []
    assert store.list() == []


def test_a_waiting_install_can_be_cancelled(store: Store) -> None:
    stage(store)
    token = CancelToken()
    waits: list[LockWait] = []

    def waiting(wait: LockWait) -> None:
        waits.append(wait)
        token.cancel()  # the person presses Cancel while it waits

    with another_install(store), pytest.raises(CancelledError):
        Store(store.root, on_lock_wait=waiting).install(DEFAULT_ID, nothing, cancel=token)
    assert len(waits) == 1
    assert store.list() == []
    store.install(DEFAULT_ID, nothing)  # the staged files are still there
    assert store.verify(DEFAULT_ID).ok


def test_a_waiting_install_can_reuse_what_the_other_one_installed(store: Store) -> None:
    offered: list[str] = []
    filled: list[str] = []

    def reuse(model: InstalledModel) -> bool:
        offered.append(model.version)
        return model.version == "2"  # the release this install wants

    def fill(work: Workspace) -> None:
        filled.append("6")
        make_package(work.staging, version="6")

    def after_another_install_of(version: str) -> InstalledModel:
        holding, proceed = threading.Event(), threading.Event()

        def other(work: Workspace) -> None:
            holding.set()
            proceed.wait(timeout=60)  # it finishes only once we wait for it
            make_package(work.staging, version=version)

        thread = threading.Thread(target=store.install, args=(DEFAULT_ID, other))
        thread.start()
        try:
            assert holding.wait(timeout=60)
            waiting = Store(store.root, on_lock_wait=lambda _: proceed.set())
            return waiting.install(DEFAULT_ID, fill, reuse=reuse)
        finally:
            proceed.set()
            thread.join(timeout=60)

    install(store, "1")
    assert store.install(DEFAULT_ID, fill, reuse=reuse).version == "6"
    assert offered == []  # no wait, nothing to reuse
    filled.clear()
    assert after_another_install_of("2").version == "2"
    assert (offered, filled) == (["2"], [])  # taken as it is: nothing written twice
    assert after_another_install_of("5").version == "6"
    assert (offered, filled) == (["2", "5"], ["6"])  # not the release it wants: installed


def test_a_free_lock_is_taken_without_announcing_a_wait(store: Store) -> None:
    waits: list[LockWait] = []
    Store(store.root, on_lock_wait=waits.append).install(DEFAULT_ID, package())
    assert waits == []


_IMPORT = """
import sys
from pathlib import Path
from terjman_desktop.core.models.store.store import Store
print(Store(Path(sys.argv[1]), lock_timeout=60).import_path(Path(sys.argv[2])).version)
"""


def test_concurrent_imports_of_the_same_model(store: Store, tmp_path: Path) -> None:
    # The second process waits for the first (up to its lock timeout), then replaces the model.
    first = make_zip(tmp_path, "one.zip", version="1")
    second = make_zip(tmp_path, "two.zip", version="2")
    processes = [
        run_python(_IMPORT, str(store.root), str(path), stdout=subprocess.PIPE)
        for path in (first, second)
    ]
    outputs = [p.communicate(timeout=60)[0].strip() for p in processes]
    assert [p.returncode for p in processes] == [0, 0]
    assert sorted(outputs) == ["1", "2"]
    assert store.get(DEFAULT_ID).version in {"1", "2"}
    assert store.verify(DEFAULT_ID).ok
    assert work_folders_empty(store)


# --------------------------------------------------------------------------- disk space


def test_not_enough_free_space(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(diskspace, "free_disk_space", lambda path: 1000)
    with pytest.raises(DiskSpaceError, match="Not enough free disk space"):
        store.import_path(make_zip(tmp_path))
    assert store.list() == []
    assert work_folders_empty(store)


class _FullDisk:
    """A writable file that fails with ENOSPC once a shared byte budget is spent."""

    budget = 0

    def __init__(self, path: Path) -> None:
        self._file = open(path, "xb")  # noqa: SIM115 - closed by __exit__/close

    def write(self, data: bytes) -> int:
        if len(data) > _FullDisk.budget:
            raise OSError(errno.ENOSPC, "No space left on device")
        _FullDisk.budget -= len(data)
        return self._file.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self._file.close()


def test_disk_full_during_import(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.import_path(make_zip(tmp_path, "v1.zip", version="1"))
    monkeypatch.setattr(archive, "open_output", _FullDisk)
    _FullDisk.budget = 5000
    with pytest.raises(DiskSpaceError, match="disk is full"):
        store.import_path(make_zip(tmp_path, "v2.zip", version="2"))
    assert store.get(DEFAULT_ID).version == "1"
    assert store.verify(DEFAULT_ID).ok
    assert work_folders_empty(store)


def test_disk_full_during_export(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install(store)
    monkeypatch.setattr(archive, "open_output", _FullDisk)
    _FullDisk.budget = 5000
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(DiskSpaceError):
        store.export(DEFAULT_ID, out)
    assert list(out.iterdir()) == []
    monkeypatch.setattr(diskspace, "free_disk_space", lambda path: 0)
    with pytest.raises(DiskSpaceError, match="export"):
        store.export(DEFAULT_ID, out)


# --------------------------------------------------------------------------- export


def test_export_then_import_round_trip(store: Store, tmp_path: Path) -> None:
    install(store)
    out = tmp_path / "share"
    out.mkdir()
    seen: list[tuple[int, int]] = []
    exported = store.export(DEFAULT_ID, out, progress=lambda d, t: seen.append((d, t)))
    assert exported == out / f"{DEFAULT_ID}.zip"
    assert list(out.iterdir()) == [exported]
    assert seen[-1][0] == seen[-1][1]
    with zipfile.ZipFile(exported) as zf:
        names = zf.namelist()
        assert names[0] == f"{DEFAULT_ID}/{MANIFEST_NAME}"
        assert zf.getinfo(f"{DEFAULT_ID}/model.bin").compress_type == zipfile.ZIP_STORED
        assert zf.getinfo(f"{DEFAULT_ID}/config.json").compress_type == zipfile.ZIP_DEFLATED
    classroom = Store(tmp_path / "classroom")
    imported = classroom.import_path(exported)
    assert classroom.verify(imported.id).ok
    assert imported.manifest == store.get(DEFAULT_ID).manifest
    for entry in imported.manifest.files:
        assert (imported.path / entry.path).read_bytes() == (
            store.root / DEFAULT_ID / entry.path
        ).read_bytes()


def test_export_destination_rules(store: Store, tmp_path: Path) -> None:
    install(store)
    assert store.export(DEFAULT_ID, tmp_path / "nano") == tmp_path / "nano.zip"
    with pytest.raises(StoreError, match="already exists"):
        store.export(DEFAULT_ID, tmp_path / "nano.zip")
    before = (tmp_path / "nano.zip").stat().st_mtime_ns
    assert store.export(DEFAULT_ID, tmp_path / "nano.zip", overwrite=True).exists()
    assert (tmp_path / "nano.zip").stat().st_mtime_ns >= before
    with pytest.raises(StoreError, match="does not exist"):
        store.export(DEFAULT_ID, tmp_path / "missing-folder" / "x.zip")
    with pytest.raises(ModelNotFoundError):
        store.export("terjman-other", tmp_path / "other.zip")
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".tmp") == []


def test_export_cancel_and_damaged_model_leave_nothing(store: Store, tmp_path: Path) -> None:
    install(store)
    out = tmp_path / "out"
    out.mkdir()
    token = CancelToken()
    with pytest.raises(CancelledError):
        store.export(DEFAULT_ID, out, progress=lambda d, t: token.cancel(), cancel=token)
    assert list(out.iterdir()) == []
    weights = store.root / DEFAULT_ID / "model.bin"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="damaged"):
        store.export(DEFAULT_ID, out)
    assert list(out.iterdir()) == []


def test_import_cancel_leaves_nothing(store: Store, tmp_path: Path) -> None:
    token = CancelToken()
    with pytest.raises(CancelledError):
        store.import_path(make_zip(tmp_path), progress=lambda d, t: token.cancel(), cancel=token)
    assert store.list() == []
    assert work_folders_empty(store)


def test_progress_counts_and_cancels() -> None:
    seen: list[tuple[int, int]] = []
    token = CancelToken()
    progress = Progress(10, lambda d, t: seen.append((d, t)), token)
    progress.advance(4)
    progress.advance(6)
    assert seen == [(4, 10), (10, 10)]
    token.cancel()
    with pytest.raises(CancelledError):
        progress.advance(1)


# --------------------------------------------------------------------------- updates


@dataclass(frozen=True)
class FakeFile:
    path: str
    size: int
    sha256: str


@dataclass(frozen=True)
class FakeEntry:
    id: str
    version: str
    name: str = "Test"
    files: tuple[FakeFile, ...] = ()
    status: str = "available"
    family: str = "marian"
    quantization: str = "int8"

    @property
    def available(self) -> bool:
        return self.status == "available"


def test_version_ordering() -> None:
    assert version_key("1") < version_key("1.2") < version_key("2.0") < version_key("2.2")
    assert version_key("2") == version_key("2.0") == version_key("v2.0")
    assert version_key("10") > version_key("9.9")


def test_updates(store: Store, tmp_path: Path) -> None:
    installed = install(store, "1", "terjman-nano-v1-int8")
    install(store, "2.0", "terjman-large-v2.0-int8")
    same_files = tuple(FakeFile(f.path, f.size, f.sha256) for f in installed.files)
    other_files = (FakeFile("model.bin", 1, "a" * 64), *same_files[1:])
    nano = "terjman-nano-v1-int8"

    def reasons(*entries: FakeEntry) -> dict[str, tuple[str, str]]:
        return {u.installed.id: (u.entry.id, u.reason) for u in find_updates(store.list(), entries)}

    assert reasons() == {}
    assert reasons(FakeEntry(nano, "1", files=same_files)) == {}
    with_manifest = (*same_files, FakeFile(MANIFEST_NAME, 1, "b" * 64))
    assert reasons(FakeEntry(nano, "1", files=with_manifest)) == {}
    assert reasons(FakeEntry(nano, "1", files=other_files))[nano][1].startswith(
        "the catalog has corrected files"
    )
    assert reasons(FakeEntry(nano, "1.1"))[nano] == (nano, "version 1.1 is available")
    assert reasons(FakeEntry(nano, "0.9")) == {}
    # The same line (size and quantization): the newest successor wins.
    successors = reasons(
        FakeEntry("terjman-nano-v2.0-int8", "2.0", name="Nano 2.0"),
        FakeEntry("terjman-nano-v2.2-int8", "2.2", name="Nano 2.2"),
        FakeEntry("terjman-large-v1-int8", "1"),
    )
    assert successors == {
        nano: ("terjman-nano-v2.2-int8", "Nano 2.2 (terjman-nano-v2.2-int8) is available")
    }
    assert reasons(FakeEntry("terjman-nano-v2.0-float16", "2.0", quantization="float16")) == {}
    assert reasons(FakeEntry("terjman-nano-v2.0-int8", "2.0", status="not-yet-available")) == {}
    # A successor already installed is not offered again.
    install(store, "2.0", "terjman-nano-v2.0-int8")
    assert nano not in reasons(FakeEntry("terjman-nano-v2.0-int8", "2.0"))
