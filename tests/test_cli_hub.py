"""``terjman`` with models from the (stand-in) Hugging Face Hub, run as a user runs it.

The Hub is reached at ``HF_ENDPOINT`` like huggingface_hub does, so the commands below are
exactly what a person types; the repositories hold the tests' trained tiny checkpoints.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.core.hub_server import StandInHub

pytestmark = pytest.mark.slow

REPO = "atlasia/Terjman-Tiny"
GATED = "atlasia/Terjman-Tiny-v2.0"
TOKEN = "hf_test_token_for_the_tiny_gated_model"


@pytest.fixture
def hub(marian_checkpoint: Path) -> Iterator[StandInHub]:
    files = {p.name: p.read_bytes() for p in marian_checkpoint.iterdir() if p.is_file()}
    with StandInHub() as server:
        server.add_repo(REPO, files)
        server.add_repo(GATED, files, gated=True, tokens=[TOKEN])
        server.add_repo("atlasia/Terjman-Unknown-v9", files)
        yield server


def terjman(*args: str, hub: StandInHub, home: Path, stdin: str | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ)  # without the machine's tokens: tests/conftest.py
    environment.update({"TERJMAN_HOME": str(home), "HF_ENDPOINT": hub.url,
                        "HF_HOME": str(home / "hf"), "PYTHONIOENCODING": "utf-8",
                        **(env or {})})
    return subprocess.run([sys.executable, "-m", "terjman_desktop.cli", *args], input=stdin,
                          capture_output=True, text=True, encoding="utf-8", env=environment,
                          timeout=600, check=False)


def catalog_entry(model_id: str, repo: str, **changes: Any) -> dict[str, Any]:
    entry = {
        "id": model_id, "name": "Terjman Tiny", "version": "1", "family": "marian",
        "tier": "nano", "directions": [{"source": "en", "target": "ary"}],
        "parameters": 100_000, "base_model": "tests", "hf_repo": repo, "gated": False,
        "quantization": "int8", "download_size": 1_000_000, "ram_required": 50_000_000,
        "license": "cc-by-nc-4.0", "attribution": "Tests", "status": "not_yet_available",
        "sizes_estimated": True, "files": [], "mirrors": [],
        "source": {"kind": "hub", "repo": repo, "family": "marian"},
    }
    entry.update(changes)
    return entry


def write_catalog(path: Path, *entries: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"catalog_format": 1, "models": list(entries)}), "utf-8")
    return path


def is_arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in text)


def test_install_any_repository_then_list_it_with_its_source(
    hub: StandInHub, terjman_home: Path
) -> None:
    result = terjman("models", "install", f"{REPO}@main", hub=hub, home=terjman_home)
    assert result.returncode == 0, result.stderr
    assert "Installed terjman-tiny-int8" in result.stdout
    assert hub.head(REPO) in result.stdout
    listed = json.loads(terjman("models", "list", "--json", hub=hub, home=terjman_home).stdout)
    (model,) = listed
    assert model["id"] == "terjman-tiny-int8" and model["state"] == "ok"
    assert model["source"]["repo"] == REPO and model["source"]["commit"] == hub.head(REPO)
    translated = terjman("translate", "I eat the bread.", "--model", "terjman-tiny-int8",
                         hub=hub, home=terjman_home)
    assert translated.returncode == 0 and is_arabic(translated.stdout)


def test_a_catalog_model_installs_from_the_hub(hub: StandInHub, terjman_home: Path) -> None:
    catalog = write_catalog(terjman_home.parent / "catalog.json",
                            catalog_entry("terjman-tiny-v1-int8", REPO))
    result = terjman("models", "install", "terjman-tiny-v1-int8", "--catalog", str(catalog),
                     hub=hub, home=terjman_home)
    assert result.returncode == 0, result.stderr
    assert "Installed terjman-tiny-v1-int8" in result.stdout
    manifest = json.loads((terjman_home / "data" / "models" / "terjman-tiny-v1-int8" /
                           "terjman-model.json").read_text("utf-8"))
    assert manifest["license"] == "cc-by-nc-4.0" and manifest["source"]["repo"] == REPO


def test_a_gated_model_says_how_to_get_access_and_installs_with_a_token(
    hub: StandInHub, terjman_home: Path
) -> None:
    refused = terjman("models", "install", GATED, hub=hub, home=terjman_home)
    assert refused.returncode == 2
    assert "gated" in refused.stderr and f"{hub.url}/{GATED}" in refused.stderr
    assert "Traceback" not in refused.stderr
    by_option = terjman("models", "install", GATED, "--token", TOKEN, hub=hub,
                        home=terjman_home)
    assert by_option.returncode == 0, by_option.stderr
    terjman("models", "remove", "terjman-tiny-v2.0-int8", hub=hub, home=terjman_home)
    by_env = terjman("models", "install", GATED, hub=hub, home=terjman_home,
                     env={"HF_TOKEN": TOKEN})
    assert by_env.returncode == 0, by_env.stderr


def test_translate_with_no_model_offers_the_recommended_one(
    hub: StandInHub, terjman_home: Path
) -> None:
    write_catalog(terjman_home / "cache" / "catalog.json",
                  catalog_entry("terjman-tiny-v1-int8", REPO, recommended=True))
    # Text on standard input cannot also answer a question: the offer says to use --yes.
    asked = terjman("translate", hub=hub, home=terjman_home, stdin="I eat the bread.\n")
    assert asked.returncode == 2
    assert "Terjman Tiny" in asked.stderr and "--yes" in asked.stderr
    done = terjman("translate", "I eat the bread.", "--yes", hub=hub, home=terjman_home)
    assert done.returncode == 0, done.stderr
    assert is_arabic(done.stdout)
    assert "installed terjman-tiny-v1-int8" in done.stderr


def test_available_refresh_lists_hub_repositories_the_catalog_lacks(
    hub: StandInHub, terjman_home: Path
) -> None:
    catalog = write_catalog(terjman_home.parent / "catalog.json",
                            catalog_entry("terjman-tiny-v1-int8", REPO))
    result = terjman("models", "available", "--refresh", "--catalog", str(catalog), hub=hub,
                     home=terjman_home)
    assert result.returncode == 0, result.stderr
    hub_part = result.stdout.split("On the Hub", 1)[1]
    assert "atlasia/Terjman-Unknown-v9" in hub_part and GATED in hub_part
    assert REPO + "\n" not in hub_part


def test_a_damaged_model_is_listed_and_fails_verification(
    hub: StandInHub, terjman_home: Path
) -> None:
    assert terjman("models", "install", REPO, hub=hub, home=terjman_home).returncode == 0
    weights = terjman_home / "data" / "models" / "terjman-tiny-int8" / "model.bin"
    with weights.open("ab") as handle:
        handle.write(b"x")
    listed = terjman("models", "list", hub=hub, home=terjman_home)
    assert "terjman-tiny-int8" in listed.stdout and "DAMAGED" in listed.stdout
    verified = terjman("models", "verify", hub=hub, home=terjman_home)
    assert verified.returncode == 1 and "DAMAGED" in verified.stdout
    removed = terjman("models", "remove", "terjman-tiny-int8", hub=hub, home=terjman_home)
    assert removed.returncode == 0
    assert "No model is installed" in terjman("models", "list", hub=hub,
                                              home=terjman_home).stdout


def test_control_characters_from_a_catalog_never_reach_the_terminal(
    hub: StandInHub, terjman_home: Path
) -> None:
    catalog = write_catalog(terjman_home.parent / "catalog.json",
                            catalog_entry("terjman-tiny-v1-int8", REPO,
                                          name="Tiny\x1b[31m red\nnew line"))
    result = terjman("models", "available", "--catalog", str(catalog), hub=hub,
                     home=terjman_home)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout + result.stderr


# --------------------------------------------------------------------------- vocabulary maps

MAP_DATASET = "atlasia/tiny-training-set"


@pytest.fixture
def dataset_viewer() -> Iterator[Any]:
    from tests.core.dataset_viewer_server import StandInDatasetViewer
    from trainer.synthetic_corpus import parallel_pairs

    with StandInDatasetViewer() as server:
        server.add_dataset(MAP_DATASET, [{"english": en, "darija": ar}
                                         for en, ar in parallel_pairs()])
        yield server


def map_entry(model_id: str) -> dict[str, Any]:
    corpus = {"dataset": MAP_DATASET, "rows": 300, "held_out": 100}
    return catalog_entry(model_id, REPO, source={"kind": "hub", "repo": REPO,
                                                 "family": "marian", "vmap_corpus": corpus})


def installed_manifest(home: Path, model_id: str) -> dict[str, Any]:
    path = home / "data" / "models" / model_id / "terjman-model.json"
    return dict(json.loads(path.read_text("utf-8")))


def test_a_converted_model_learns_its_vocabulary_map_after_the_install(
    hub: StandInHub, dataset_viewer: Any, terjman_home: Path
) -> None:
    catalog = write_catalog(terjman_home.parent / "catalog.json", map_entry("tiny-map-int8"))
    env = {"TERJMAN_DATASET_VIEWER": dataset_viewer.url}
    result = terjman("models", "install", "tiny-map-int8", "--catalog", str(catalog), hub=hub,
                     home=terjman_home, env=env)
    assert result.returncode == 0, result.stderr
    assert "Vocabulary map added" in result.stdout and "100.0% of held-out" in result.stdout
    manifest = installed_manifest(terjman_home, "tiny-map-int8")
    assert "vmap.txt" in {f["path"] for f in manifest["files"]}
    assert manifest["vocabulary_map"]["corpus"]["dataset"] == MAP_DATASET
    assert manifest["source"]["vmap_corpus"]["dataset"] == MAP_DATASET
    assert terjman("models", "verify", "tiny-map-int8", hub=hub,
                   home=terjman_home).returncode == 0
    translated = terjman("translate", "I eat the bread.", "--model", "tiny-map-int8", hub=hub,
                         home=terjman_home)
    assert translated.returncode == 0 and is_arabic(translated.stdout)


def test_no_vmap_skips_the_map_and_a_failed_map_leaves_the_model_installed(
    hub: StandInHub, dataset_viewer: Any, terjman_home: Path
) -> None:
    catalog = write_catalog(terjman_home.parent / "catalog.json", map_entry("tiny-a-int8"),
                            catalog_entry("tiny-b-int8", REPO, source={
                                "kind": "hub", "repo": REPO, "family": "marian",
                                "vmap_corpus": {"dataset": "atlasia/not-there"}}))
    env = {"TERJMAN_DATASET_VIEWER": dataset_viewer.url}
    skipped = terjman("models", "install", "tiny-a-int8", "--no-vmap", "--catalog",
                      str(catalog), hub=hub, home=terjman_home, env=env)
    assert skipped.returncode == 0, skipped.stderr
    assert not dataset_viewer.requests
    assert "vmap.txt" not in {f["path"] for f in installed_manifest(terjman_home,
                                                                    "tiny-a-int8")["files"]}

    failed = terjman("models", "install", "tiny-b-int8", "--catalog", str(catalog), hub=hub,
                     home=terjman_home, env=env)
    assert failed.returncode == 0, failed.stderr
    assert "no vocabulary map was added" in failed.stderr
    assert "atlasia/not-there" in failed.stderr and "terjman models vmap tiny-b-int8" in (
        failed.stderr)
    assert "Traceback" not in failed.stderr
    # Learned later from a dataset named by hand; a bad option is a clear error.
    bad = terjman("models", "vmap", "tiny-b-int8", "--vmap-dataset", MAP_DATASET,
                  "--vmap-column", "english", hub=hub, home=terjman_home, env=env)
    assert bad.returncode != 0 and "LANGUAGE=COLUMN" in bad.stderr
    later = terjman("models", "vmap", "tiny-b-int8", "--vmap-dataset", MAP_DATASET,
                    "--vmap-column", "en=english", "--vmap-rows", "300", "--vmap-held-out",
                    "100", hub=hub, home=terjman_home, env=env)
    assert later.returncode == 0, later.stderr
    assert "Vocabulary map added" in later.stdout
    manifest = installed_manifest(terjman_home, "tiny-b-int8")
    assert manifest["vocabulary_map"]["corpus"]["columns"] == {"en": "english", "ary": "darija"}
