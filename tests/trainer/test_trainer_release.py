"""`trainer release`: zips, catalog entries the app parses, notes, the upload listing, the app
installing a release from a local catalog, and `--from-hub` from a local Hugging Face cache."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from terjman_desktop.core.models import catalog, catalog_schema
from trainer.corpus import Example, write_examples
from trainer.synthetic_corpus import parallel_pairs

pytestmark = pytest.mark.slow


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def release(cli: Any, out: Path, *args: str) -> dict[str, Any]:
    assert cli(["release", *args, "--output-dir", str(out)]) == 0
    document: dict[str, Any] = json.loads((out / "catalog-entries.json").read_text("utf-8"))
    return document


def test_release_writes_verified_zips_and_catalog_entries(
    cli: Any, marian_package: Path, nllb_package: Path, tmp_path: Path
) -> None:
    out = tmp_path / "release"
    document = release(cli, out, str(marian_package), str(nllb_package), "--tier", "nano",
                       "--parameters", "250000", "--hub-repo", "atlasia/terjman-desktop-models",
                       "--notes", "Test release.")
    parsed = catalog.loads(json.dumps(document), "catalog-entries.json")  # the app's parser
    marian, nllb = parsed.get("tiny-marian-f32"), parsed.get("tiny-nllb-f32")
    assert marian.available and marian.family == "marian" and nllb.family == "nllb"
    assert nllb.supports("ary", "en") and not marian.supports("ary", "en")
    assert marian.mirrors == ("https://huggingface.co/atlasia/terjman-desktop-models/resolve/"
                              "main/tiny-marian-f32",)
    for entry in (marian, nllb):
        folder = out / entry.id
        assert {f.path for f in entry.files} == {
            p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
        for remote in entry.files:
            assert remote.size == (folder / remote.path).stat().st_size
            assert remote.sha256 == sha256(folder / remote.path)
        assert entry.download_size == sum(f.size for f in entry.files)
        assert entry.ram_required > (folder / "model.bin").stat().st_size
        assert entry.extra["zip"]["sha256"] == sha256(out / f"{entry.id}.zip")
    sums = (out / "SHA256SUMS").read_text(encoding="utf-8")
    assert f"{sha256(out / 'tiny-marian-f32.zip')}  tiny-marian-f32.zip" in sums
    notes = (out / "RELEASE_NOTES.md").read_text(encoding="utf-8")
    assert "`tiny-nllb-f32`" in notes and "terjman models import tiny-nllb-f32.zip" in notes
    # The zip is a package the store imports (and verifies).
    from terjman_desktop.core.models.store.store import Store

    store = Store(tmp_path / "models")
    assert store.import_path(out / "tiny-marian-f32.zip").id == "tiny-marian-f32"
    # A release folder is not overwritten by accident.
    assert cli(["release", str(marian_package), "--output-dir", str(out), "--tier", "nano",
                "--parameters", "1", "--hub-repo", "a/b"]) == 2


def test_the_app_installs_a_release_from_a_local_catalog(
    cli: Any, marian_package_int8: Path, tmp_path: Path
) -> None:
    from terjman_desktop.core.models.install import install_from_catalog
    from terjman_desktop.core.models.store.store import Store
    from terjman_desktop.core.translate.engine import Translator
    from terjman_desktop.core.translate.manifest import Direction
    from terjman_desktop.core.translate.options import TranslationOptions
    from tests.core.http_server import FaultyHTTPServer

    out = tmp_path / "release"
    with FaultyHTTPServer(root=out) as server:
        release(cli, out, str(marian_package_int8), "--tier", "nano", "--parameters", "250000",
                "--mirrors", server.url + "/{id}")
        local_catalog = catalog.from_file(out / "catalog-entries.json")
        entry = local_catalog.get("tiny-marian-int8")
        installed = install_from_catalog(entry, Store(tmp_path / "models"))
    assert installed.id == "tiny-marian-int8"
    translator = Translator(installed.path, device="cpu")
    result = translator.translate("I eat the bread.", Direction("en", "ary"),
                                  TranslationOptions.for_quality("fast"))
    assert result.text.strip() and result.model_id == "tiny-marian-int8"


def test_upload_dry_run_lists_files_and_options_are_checked(
    cli: Any, marian_package: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "release"
    release(cli, out, str(marian_package), "--tier", "nano", "--parameters", "1",
            "--hub-repo", "atlasia/terjman-desktop-models", "--upload", "--dry-run")
    listed = capsys.readouterr().out
    assert "would upload tiny-marian-f32.zip" in listed
    assert "→ hf://atlasia/terjman-desktop-models/tiny-marian-f32/model.bin" in listed
    assert cli(["release", str(marian_package), "--upload"]) == 2
    assert "--upload needs --hub-repo" in capsys.readouterr().err
    assert cli(["release", str(marian_package), "--output-dir", str(tmp_path / "x"),
                "--tier", "nano"]) == 2
    assert "needs a mirror" in capsys.readouterr().err


def fill_hub_cache(cache: Path, repo: str, checkpoint: Path) -> None:
    """A Hugging Face cache entry for ``repo`` at ``main`` holding ``checkpoint``'s files."""
    commit = "0123456789abcdef0123456789abcdef01234567"
    folder = cache / f"models--{repo.replace('/', '--')}"
    (folder / "refs").mkdir(parents=True)
    (folder / "refs" / "main").write_text(commit, encoding="utf-8")
    shutil.copytree(checkpoint, folder / "snapshots" / commit)


def test_release_from_hub_downloads_exports_checks_evaluates_and_packages(
    cli: Any, marian_checkpoint: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import huggingface_hub.constants

    cache = tmp_path / "hub"
    fill_hub_cache(cache, "atlasia/Terjman-Nano-v2.0", marian_checkpoint)
    # The real snapshot_download, offline: it resolves refs/main in the cache.
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(cache))
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    dev = tmp_path / "dev.jsonl"
    write_examples(dev, [Example(f"d{i}", en, ary, "en", "ary")
                         for i, (en, ary) in enumerate(parallel_pairs(limit=20, seed=9))])
    out = tmp_path / "release"
    document = release(cli, out, "--from-hub", "atlasia/Terjman-Nano-v2.0",
                       "--quantizations", "int8", "float32", "--dev-file", str(dev),
                       "--eval-file", str(dev), "--max-quality-drop", "5",
                       "--hub-repo", "atlasia/terjman-desktop-models")
    entries = {e.id: e for e in catalog_schema.parse_catalog(document).entries}
    assert set(entries) == {"terjman-nano-v2.0-int8", "terjman-nano-v2.0-float32"}
    int8 = entries["terjman-nano-v2.0-int8"]
    assert (int8.version, int8.tier, int8.parameters) == ("2.0", "nano", 77_000_000)
    assert int8.base_model == "atlasia/Terjman-Nano-v2.0"
    figures = int8.metrics["dev"]
    assert figures["direction"] == "en-ary" and figures["sentences"] == 20
    assert "tok:13a" in figures["source"] and "terjman-nano-v2.0-int8" in figures["source"]
    assert json.loads((out.with_name("release.work") / "terjman-nano-v2.0-int8.check.json")
                      .read_text("utf-8"))["passed"]
    # Not in the cache: a clear message, no traceback.
    assert cli(["release", "--from-hub", "atlasia/Terjman-Ultra-v2.0", "--dev-file", str(dev),
                "--output-dir", str(tmp_path / "other")]) == 2


def test_release_needs_something_to_release(cli: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["release"]) == 2
    assert "Give package folders to release, or --from-hub REPO" in capsys.readouterr().err
