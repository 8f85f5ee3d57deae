"""The stand-in Hub speaks the real protocol: ``huggingface_hub``'s own client works against it.

If the Hub's own library accepts every answer, the tests of our client against the stand-in
are tests against the Hub's protocol, not against our idea of it. ``huggingface_hub`` is the
trainer's dependency; without it these tests are skipped.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from terjman_desktop.core.models.hub.client import HubClient
from tests.core.hub_server import StandInHub, blob_id, sha256

hf = pytest.importorskip("huggingface_hub")
hf_errors = pytest.importorskip("huggingface_hub.errors")

REPO = "atlasia/Terjman-Nano"
WEIGHTS = random.Random(3).randbytes(150_000)
FILES = {
    "config.json": b'{"model_type": "marian"}',
    "model.safetensors": WEIGHTS,
    "tokenizer/source.spm": random.Random(4).randbytes(4_000),
}


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[StandInHub]:
    monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")  # tokens and HF_HOME: tests/conftest
    with StandInHub() as server:
        server.add_repo(REPO, FILES)
        server.add_repo("atlasia/Terjman-Ultra", FILES, gated=True, tokens=["hf_granted"])
        monkeypatch.setenv("HF_ENDPOINT", server.url)  # read by our client; theirs is told
        yield server


def test_model_info_with_files_metadata(hub: StandInHub) -> None:
    info = hf.HfApi(endpoint=hub.url).model_info(REPO, revision="main", files_metadata=True,
                                                 token=False)

    assert info.sha == hub.head(REPO)
    siblings = {s.rfilename: s for s in info.siblings}
    assert set(siblings) == set(FILES)
    assert siblings["model.safetensors"].lfs.sha256 == sha256(WEIGHTS)
    assert siblings["model.safetensors"].size == len(WEIGHTS)
    assert siblings["config.json"].blob_id == blob_id(FILES["config.json"])
    assert siblings["config.json"].lfs is None
    # Our client reads the same answer the same way.
    ours = HubClient().snapshot(REPO)
    assert {f.path: (f.size, f.sha256) for f in ours.files} == {
        name: (s.size, s.lfs.sha256 if s.lfs else None) for name, s in siblings.items()}


def test_hf_hub_download_of_regular_and_lfs_files(hub: StandInHub, tmp_path: Path) -> None:
    for name, data in FILES.items():
        path = hf.hf_hub_download(REPO, name, revision="main", endpoint=hub.url,
                                  cache_dir=tmp_path / "cache", token=False)
        assert Path(path).read_bytes() == data
    assert [r.status for r in hub.cdn_requests] == [200]


def test_hf_hub_download_of_a_gated_file_keeps_the_token_off_the_cdn(
    hub: StandInHub, tmp_path: Path
) -> None:
    path = hf.hf_hub_download("atlasia/Terjman-Ultra", "model.safetensors", endpoint=hub.url,
                              cache_dir=tmp_path / "cache", token="hf_granted")

    assert Path(path).read_bytes() == WEIGHTS
    assert {r.header("Authorization") for r in hub.requests} == {"Bearer hf_granted"}
    assert [r.header("Authorization") for r in hub.cdn_requests] == [None]


def test_paths_info_tree_and_listing(hub: StandInHub) -> None:
    hub.limit_api(tree_page_size=2)  # the tree comes in pages
    api = hf.HfApi(endpoint=hub.url, token=False)

    infos = api.get_paths_info(REPO, ["model.safetensors", "tokenizer", "missing"])
    by_path = {i.path: i for i in infos}
    assert set(by_path) == {"model.safetensors", "tokenizer"}
    assert by_path["model.safetensors"].lfs.sha256 == sha256(WEIGHTS)

    tree = list(api.list_repo_tree(REPO, recursive=True))
    files = {entry.path: entry.size for entry in tree if isinstance(entry, hf.hf_api.RepoFile)}
    assert files == {name: len(data) for name, data in FILES.items()}

    assert {m.id for m in api.list_models(author="atlasia")} == {REPO, "atlasia/Terjman-Ultra"}


def test_the_hubs_errors_are_recognised(hub: StandInHub, tmp_path: Path) -> None:
    api = hf.HfApi(endpoint=hub.url, token=False)

    with pytest.raises(hf_errors.RepositoryNotFoundError):
        api.model_info("atlasia/missing")
    with pytest.raises(hf_errors.RevisionNotFoundError):
        api.model_info(REPO, revision="v9")
    with pytest.raises(hf_errors.EntryNotFoundError):
        hf.hf_hub_download(REPO, "missing.bin", endpoint=hub.url, cache_dir=tmp_path / "c",
                           token=False)
    with pytest.raises(hf_errors.GatedRepoError):
        hf.hf_hub_download("atlasia/Terjman-Ultra", "config.json", endpoint=hub.url,
                           cache_dir=tmp_path / "c", token=False)
