"""End to end: `terjman models install` from a local HTTP mirror, then `terjman translate`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from terjman_desktop.core.translate.manifest import MANIFEST_NAME
from terjman_desktop.core.translate.package import read_manifest, sha256_file
from tests.core.http_server import FaultyHTTPServer


def release_catalog(package: Path, mirrors: list[str], path: Path) -> Path:
    """A catalog whose one entry is the package, as `trainer release` would publish it."""
    manifest = read_manifest(package)
    files = [{"path": f.path, "size": f.size, "sha256": f.sha256} for f in manifest.files]
    files.append({"path": MANIFEST_NAME, "size": (package / MANIFEST_NAME).stat().st_size,
                  "sha256": sha256_file(package / MANIFEST_NAME)})
    entry = {
        "id": manifest.id, "name": manifest.name, "version": manifest.version,
        "family": manifest.family, "tier": "nano",
        "directions": [{"source": d.source, "target": d.target} for d in manifest.directions],
        "parameters": 200_000, "base_model": "tests/synthetic", "hf_repo": "", "gated": False,
        "quantization": manifest.quantization, "download_size": sum(f["size"] for f in files),
        "ram_required": 64 << 20, "metrics": {}, "license": "cc-by-nc-4.0",
        "attribution": "tests", "status": "available", "files": files, "mirrors": mirrors,
    }
    path.write_text(json.dumps({"catalog_format": 1, "models": [entry]}), "utf-8")
    return path


def terjman(
    *args: str, home: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TERJMAN_HOME": str(home), "PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run([sys.executable, "-m", "terjman_desktop.cli", *args],
                          capture_output=True, text=True, encoding="utf-8", env=env,
                          timeout=120, check=False)


def test_install_from_mirror_then_translate(
    marian_package: Path, terjman_home: Path, tmp_path: Path
) -> None:
    with FaultyHTTPServer(root=marian_package) as server:
        catalog = release_catalog(marian_package, [server.url], tmp_path / "catalog.json")
        listed = terjman("models", "available", "--catalog", str(catalog), "--json",
                         home=terjman_home)
        assert json.loads(listed.stdout)[0]["status"] == "available"
        installed = terjman("models", "install", "tiny-marian-f32", "--catalog", str(catalog),
                            home=terjman_home)
        assert installed.returncode == 0, installed.stderr
    models = json.loads(terjman("models", "list", "--json", home=terjman_home).stdout)
    assert [m["id"] for m in models] == ["tiny-marian-f32"]
    assert models[0]["verified"] is True
    translated = terjman("translate", "I eat the bread.", "--model", "tiny-marian-f32",
                         home=terjman_home)
    assert translated.returncode == 0, translated.stderr
    assert any("\u0600" <= c <= "\u06ff" for c in translated.stdout)
    assert terjman("models", "verify", home=terjman_home).returncode == 0


def test_tampered_mirror_installs_nothing(
    marian_package: Path, terjman_home: Path, tmp_path: Path
) -> None:
    with FaultyHTTPServer(root=marian_package) as server:
        catalog = release_catalog(marian_package, [server.url], tmp_path / "catalog.json")
        data = json.loads(catalog.read_text("utf-8"))
        # The catalog promises other bytes than the mirror serves for the weights.
        for remote in data["models"][0]["files"]:
            if remote["path"] == "model.bin":
                remote["sha256"] = "0" * 64
        catalog.write_text(json.dumps(data), "utf-8")
        result = terjman("models", "install", "tiny-marian-f32", "--catalog", str(catalog),
                         home=terjman_home)
    assert result.returncode == 2
    assert "model.bin" in result.stderr
    assert result.stderr.count("\n") == 1
    assert json.loads(terjman("models", "list", "--json", home=terjman_home).stdout) == []


def test_a_hub_model_without_the_hub_says_so_in_one_line(terjman_home: Path) -> None:
    """The bundled models install from the Hub; with the Hub out of reach the message says
    so and names HF_ENDPOINT. (A closed local port stands for the network: tests never
    reach the real Hub.)"""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    result = terjman("models", "install", "terjman-nano-v2.0-int8", home=terjman_home,
                     env={"HF_ENDPOINT": dead})
    assert result.returncode == 2
    assert "cannot be reached" in result.stderr and "HF_ENDPOINT" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_export_import_round_trip(
    marian_package: Path, terjman_home: Path, tmp_path: Path
) -> None:
    import shutil

    shutil.copytree(marian_package, tmp_path / "usb" / "model")
    imported = terjman("models", "import", str(tmp_path / "usb" / "model"), home=terjman_home)
    assert imported.returncode == 0, imported.stderr
    exported = terjman("models", "export", "tiny-marian-f32", str(tmp_path / "share.zip"),
                       home=terjman_home)
    assert exported.returncode == 0, exported.stderr
    other_home = tmp_path / "classroom-pc"
    again = terjman("models", "import", str(tmp_path / "share.zip"), home=other_home)
    assert again.returncode == 0, again.stderr
    assert terjman("models", "verify", "tiny-marian-f32", home=other_home).returncode == 0
    removed = terjman("models", "remove", "tiny-marian-f32", home=other_home)
    assert removed.returncode == 0
    assert "No model is installed" in terjman("models", "list", home=other_home).stdout
