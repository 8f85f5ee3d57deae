"""The Hub client against the stand-in Hub: resolving, pinned and verified downloads, errors.

Every case ends with verified files at their final paths or with a clear
:class:`~terjman_desktop.core.errors.HubError` kind, and the token never leaves the Hub.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from terjman_desktop.core.cancel import PauseToken
from terjman_desktop.core.errors import (
    CancelledError,
    DisabledRepoError,
    DownloadError,
    EntryNotFoundError,
    GatedRepoError,
    HubAccessError,
    HubUnreachableError,
    RateLimitedError,
    RepoNotFoundError,
    RevisionNotFoundError,
)
from terjman_desktop.core.models.hub.client import HubClient, HubFile, HubSnapshot
from tests.core.hub_server import StandInHub, blob_id, sha256

REPO = "atlasia/Terjman-Nano"
WEIGHTS = random.Random(1).randbytes(200_000)  # an LFS file (over the 10 kB threshold)
FILES = {
    "config.json": b'{"model_type": "marian", "d_model": 8}',
    "tokenizer_config.json": b'{"model_max_length": 512}',
    "source.spm": random.Random(2).randbytes(6_000),  # a regular git file
    "model.safetensors": WEIGHTS,
    "sub/vocab.json": b'{"<pad>": 0}',
}



@pytest.fixture
def hub() -> Iterator[StandInHub]:
    with StandInHub() as server:
        server.add_repo(REPO, FILES)
        yield server


@pytest.fixture
def staging(tmp_path: Path) -> Path:
    return tmp_path / "staging"


def client(hub: StandInHub, token: str | None = None, **options: Any) -> HubClient:
    """A client with test-sized timing."""
    options.setdefault("retries", 2)
    options.setdefault("backoff", 0.01)
    options.setdefault("connect_timeout", 2)
    options.setdefault("read_timeout", 2)
    made = HubClient(hub.url, token, **options)
    made.transport.wait = lambda _seconds, _control: None  # retries without waiting
    return made


def assert_files(staging: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        assert (staging / name).read_bytes() == data, name
    assert list(staging.rglob("*.part")) == []


# --------------------------------------------------------------------------- resolving


def test_snapshot_resolves_a_branch_to_its_commit_with_sizes_and_hashes(
    hub: StandInHub,
) -> None:
    snapshot = client(hub).snapshot(REPO)

    assert snapshot.repo == REPO and snapshot.revision == "main"
    assert snapshot.commit == hub.head(REPO)
    assert set(snapshot.paths) == set(FILES)
    for name, data in FILES.items():
        hub_file = snapshot.file(name)
        assert hub_file.size == len(data)
        if name == "model.safetensors":
            assert hub_file.lfs and hub_file.sha256 == sha256(data)
            assert hub_file.remote_file().sha256 == sha256(data)
        else:
            assert hub_file.sha256 is None and hub_file.blob_id == blob_id(data)
            assert hub_file.remote_file().git_sha1 == blob_id(data)
    assert not snapshot.gated
    (request,) = hub.requests
    assert request.path == f"api/models/{REPO}/revision/main" and request.query == "blobs=true"


@pytest.mark.parametrize("ref", ["v1.0", "refs/pr/1", "dev"])
def test_snapshot_of_tags_pull_requests_and_commits(hub: StandInHub, ref: str) -> None:
    first = hub.head(REPO)
    hub.commit(REPO, {"config.json": b"{}"})  # main moves on
    hub.set_ref(REPO, ref, first)

    assert client(hub).snapshot(REPO, ref).commit == first
    assert client(hub).snapshot(REPO, first).commit == first  # a commit resolves to itself


def test_missing_sizes_are_read_from_paths_info(hub: StandInHub) -> None:
    hub.limit_api(blobs=False)

    snapshot = client(hub).snapshot(REPO)

    assert snapshot.file("model.safetensors").sha256 == sha256(WEIGHTS)
    assert snapshot.file("source.spm").blob_id == blob_id(FILES["source.spm"])
    posted = [r for r in hub.requests if r.method == "POST"]
    assert [r.path for r in posted] == [f"api/models/{REPO}/paths-info/{snapshot.commit}"]


def test_without_paths_info_the_tree_is_listed_page_by_page(hub: StandInHub) -> None:
    hub.limit_api(blobs=False, paths_info=False, tree_page_size=2)

    snapshot = client(hub).snapshot(REPO)

    assert {f.path: f.size for f in snapshot.files} == {n: len(d) for n, d in FILES.items()}
    pages = [r for r in hub.requests if r.path.startswith(f"api/models/{REPO}/tree/")]
    assert len(pages) == 3  # 6 entries (5 files and the folder "sub"), 2 per page


# --------------------------------------------------------------------------- downloading


def test_download_is_pinned_to_the_resolved_commit(hub: StandInHub, staging: Path) -> None:
    hub_client = client(hub)
    snapshot = hub_client.snapshot(REPO)
    hub.commit(REPO, {"config.json": b'{"moved": true}', "model.safetensors": b"new" * 5000})

    hub_client.download(snapshot, None, staging)

    assert_files(staging, FILES)
    resolved = [r.path for r in hub.requests if "/resolve/" in r.path]
    assert resolved and all(f"/resolve/{snapshot.commit}/" in path for path in resolved)


def test_lfs_files_come_from_the_cdn_without_the_token(hub: StandInHub, staging: Path) -> None:
    hub.add_token("hf_reader")
    hub_client = client(hub, "hf_reader")

    hub_client.download(hub_client.snapshot(REPO), ["model.safetensors"], staging)

    assert_files(staging, {"model.safetensors": WEIGHTS})
    (redirect,) = [r for r in hub.requests if "/resolve/" in r.path]
    assert redirect.status == 302
    assert {r.header("Authorization") for r in hub.requests} == {"Bearer hf_reader"}
    (fetched,) = hub.cdn_requests
    assert fetched.status == 200 and fetched.header("Authorization") is None


def test_the_cdn_refuses_a_request_with_a_token(hub: StandInHub) -> None:
    """The stand-in CDN behaves like S3: a leaked token would break the download."""
    import requests

    hub_client = client(hub)
    snapshot = hub_client.snapshot(REPO)
    url = f"{hub_client.resolve_url(snapshot)}/model.safetensors"
    location = requests.get(url, allow_redirects=False, timeout=5).headers["Location"]

    assert requests.get(location, timeout=5).status_code == 200
    assert requests.get(location, headers={"Authorization": "Bearer x"},
                        timeout=5).status_code == 400
    assert requests.get(location.split("?")[0], timeout=5).status_code == 403  # unsigned


def test_small_files_are_verified_by_their_git_blob_id(
    hub: StandInHub, staging: Path
) -> None:
    hub.fault_resolve("source.spm", corrupt=True)
    hub_client = client(hub)
    snapshot = hub_client.snapshot(REPO)

    with pytest.raises(DownloadError, match=r"'source\.spm' is corrupt.*git blob SHA-1"):
        hub_client.download(snapshot, ["config.json", "source.spm"], staging)

    assert_files(staging, {"config.json": FILES["config.json"]})
    assert not (staging / "source.spm").exists()


def test_an_lfs_file_with_the_wrong_bytes_is_refused(hub: StandInHub, staging: Path) -> None:
    hub.fault_cdn(REPO, "model.safetensors", corrupt=True)
    hub_client = client(hub)

    with pytest.raises(DownloadError, match=r"corrupt on the server.*SHA-256") as caught:
        hub_client.download(hub_client.snapshot(REPO), ["model.safetensors"], staging)

    assert "try again later" in str(caught.value).lower()
    assert not (staging / "model.safetensors").exists()


def test_a_dropped_cdn_connection_resumes(hub: StandInHub, staging: Path) -> None:
    hub.fault_cdn(REPO, "model.safetensors", drop_after=70_000, times=1)
    hub_client = client(hub)

    hub_client.download(hub_client.snapshot(REPO), ["model.safetensors"], staging)

    assert_files(staging, {"model.safetensors": WEIGHTS})
    assert [r.header("Range") for r in hub.cdn_requests] == [None, "bytes=70000-"]


def test_a_dropped_small_file_resumes(hub: StandInHub, staging: Path) -> None:
    hub.fault_resolve("source.spm", drop_after=1_000, times=1)
    hub_client = client(hub)

    hub_client.download(hub_client.snapshot(REPO), ["source.spm"], staging)

    assert_files(staging, {"source.spm": FILES["source.spm"]})
    ranges = [r.header("Range") for r in hub.requests if r.path.endswith("source.spm")]
    assert ranges == [None, "bytes=1000-"]


def test_an_expired_cdn_link_is_fetched_again(hub: StandInHub, staging: Path) -> None:
    hub.fault_cdn(REPO, "model.safetensors", status=403, times=1)  # signed URL expired
    hub_client = client(hub)

    hub_client.download(hub_client.snapshot(REPO), ["model.safetensors"], staging)

    assert_files(staging, {"model.safetensors": WEIGHTS})
    assert [r.status for r in hub.cdn_requests] == [403, 200]


def test_a_trickling_cdn_is_left_for_a_fresh_link(hub: StandInHub, staging: Path) -> None:
    hub.fault_cdn(REPO, "model.safetensors", chunk=200, delay=0.02, times=1)
    hub_client = client(hub)

    hub_client.download(hub_client.snapshot(REPO), ["model.safetensors"], staging,
                        min_rate=50_000, stall_seconds=0.5)

    assert_files(staging, {"model.safetensors": WEIGHTS})
    first, second = hub.cdn_requests
    assert first.header("Range") is None and second.header("Range") is not None


def test_a_file_not_in_the_snapshot_is_refused_before_any_request(
    hub: StandInHub, staging: Path
) -> None:
    hub_client = client(hub)
    snapshot = hub_client.snapshot(REPO)
    hub.clear_requests()

    with pytest.raises(EntryNotFoundError, match=r"has no file 'pytorch_model\.bin'"):
        hub_client.download(snapshot, ["config.json", "pytorch_model.bin"], staging)

    assert hub.requests == []


def test_a_file_the_hub_does_not_have(hub: StandInHub, staging: Path) -> None:
    hub_client = client(hub)
    real = hub_client.snapshot(REPO)
    ghost = HubFile("ghost.bin", 3, blob_id(b"abc"))
    snapshot = HubSnapshot(REPO, "main", real.commit, (*real.files, ghost))

    with pytest.raises(EntryNotFoundError, match=rf"{REPO} has no file 'ghost\.bin' at main"):
        hub_client.download(snapshot, ["ghost.bin"], staging)


# --------------------------------------------------------------------------- access


@pytest.fixture
def gated(hub: StandInHub) -> str:
    hub.add_repo("atlasia/Terjman-Ultra", {"config.json": b"{}", "model.safetensors": WEIGHTS},
                 gated=True, tokens=["hf_granted"])
    hub.add_token("hf_stranger")
    return "atlasia/Terjman-Ultra"


def test_gated_without_a_token(hub: StandInHub, gated: str, staging: Path) -> None:
    hub_client = client(hub)
    snapshot = hub_client.snapshot(gated)  # the file list is public, as on the Hub
    assert snapshot.gated

    with pytest.raises(GatedRepoError) as caught:
        hub_client.download(snapshot, None, staging)

    message = str(caught.value)
    assert f"{gated} is a gated model" in message
    assert f"Accept its conditions at {hub.url}/{gated} while signed in" in message
    for way in ("Preferences", "--token", "HF_TOKEN"):
        assert way in message
    assert len([r for r in hub.requests if "/resolve/" in r.path]) == 1  # no retries
    assert hub.cdn_requests == []


def test_gated_with_a_token_without_access(hub: StandInHub, gated: str, staging: Path) -> None:
    hub_client = client(hub, "hf_stranger", token_source="--token")

    with pytest.raises(GatedRepoError, match=r"the access token from --token has no access"):
        hub_client.download(hub_client.snapshot(gated), None, staging)


def test_an_invalid_token(hub: StandInHub, gated: str) -> None:
    with pytest.raises(HubAccessError, match=r"refused the access token from the settings "
                                             r"\(HTTP 401\): it is not valid") as caught:
        client(hub, "hf_revoked").snapshot(gated)

    assert "hf_revoked" not in str(caught.value)
    assert "/settings/tokens" in str(caught.value)


def test_gated_with_the_right_token(hub: StandInHub, gated: str, staging: Path) -> None:
    hub_client = client(hub, "hf_granted")

    hub_client.download(hub_client.snapshot(gated), None, staging)

    assert_files(staging, {"config.json": b"{}", "model.safetensors": WEIGHTS})
    assert all(r.header("Authorization") == "Bearer hf_granted" for r in hub.requests)
    assert [r.header("Authorization") for r in hub.cdn_requests] == [None]


def test_a_token_from_the_environment_is_used(
    hub: StandInHub, gated: str, staging: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    monkeypatch.setenv("HF_TOKEN", "hf_granted")
    hub_client = HubClient(retries=0)

    hub_client.download(hub_client.snapshot(gated), ["config.json"], staging)

    assert (staging / "config.json").read_bytes() == b"{}"
    assert "hf_granted" not in repr(hub_client)
    assert "HF_TOKEN" in repr(hub_client)


def test_unknown_repository(hub: StandInHub) -> None:
    with pytest.raises(RepoNotFoundError) as caught:
        client(hub).snapshot("atlasia/Terjman-Missing")

    assert str(caught.value).startswith(
        f"There is no repository atlasia/Terjman-Missing on the Hub at {hub.url} "
        "(or it is private: give a token)."
    )


def test_unknown_repository_with_a_token(hub: StandInHub) -> None:
    hub.add_token("hf_reader")
    with pytest.raises(RepoNotFoundError, match="or the access token from the settings "
                                                "cannot see it"):
        client(hub, "hf_reader").snapshot("atlasia/Terjman-Missing")


def test_private_repository(hub: StandInHub) -> None:
    hub.add_repo("atlasia/private", {"config.json": b"{}"}, private=True, tokens=["hf_me"])

    with pytest.raises(RepoNotFoundError):
        client(hub).snapshot("atlasia/private")
    assert client(hub, "hf_me").snapshot("atlasia/private").paths == ("config.json",)


def test_unknown_revision(hub: StandInHub) -> None:
    with pytest.raises(RevisionNotFoundError,
                       match=rf"{REPO} has no revision 'v9' \(no such branch, tag or commit\)"):
        client(hub).snapshot(REPO, "v9")


def test_disabled_repository(hub: StandInHub) -> None:
    hub.configure(REPO, disabled=True)

    with pytest.raises(DisabledRepoError, match="disabled access to"):
        client(hub).snapshot(REPO)


# --------------------------------------------------------------------------- busy or down


def test_5xx_is_retried(hub: StandInHub, staging: Path) -> None:
    hub.fault_api(status=503, times=2)
    hub.fault_resolve("config.json", status=502, times=2)
    hub_client = client(hub)

    hub_client.download(hub_client.snapshot(REPO), ["config.json"], staging)

    assert_files(staging, {"config.json": FILES["config.json"]})
    assert [r.status for r in hub.requests if r.path.startswith("api/")] == [503, 503, 200]


def test_5xx_forever_says_the_hub_cannot_be_reached(hub: StandInHub) -> None:
    hub.fault_api(status=500)

    with pytest.raises(HubUnreachableError) as caught:
        client(hub).snapshot(REPO)

    message = str(caught.value)
    assert f"The Hugging Face Hub at {hub.url} cannot be reached" in message
    assert "HTTP 500" in message and "HF_ENDPOINT" in message
    assert len(hub.requests) == 3


def test_5xx_on_a_file_forever(hub: StandInHub, staging: Path) -> None:
    hub_client = client(hub)
    snapshot = hub_client.snapshot(REPO)
    hub.fault_resolve("config.json", status=503)

    with pytest.raises(HubUnreachableError, match=r"downloading 'config\.json' of .*HTTP 503"):
        hub_client.download(snapshot, ["config.json"], staging)


def test_nothing_listening() -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    hub_client = HubClient(dead, implicit_token=False, retries=1, backoff=0.01)

    with pytest.raises(HubUnreachableError, match="connection was refused"):
        hub_client.snapshot(REPO)


def test_429_waits_for_retry_after(hub: StandInHub) -> None:
    hub.fault_api(status=429, times=1, headers={"Retry-After": "3"})
    hub_client = client(hub)
    waited: list[float] = []
    hub_client.transport.wait = lambda seconds, _control: waited.append(seconds)

    assert hub_client.snapshot(REPO).commit == hub.head(REPO)
    assert waited == [3.0]


def test_429_with_a_long_retry_after_fails_at_once(hub: StandInHub) -> None:
    hub.fault_api(status=429, headers={"Retry-After": "3600"})

    with pytest.raises(RateLimitedError, match=r"too many requests.*in 3601 seconds"):
        client(hub).snapshot(REPO)

    assert len(hub.requests) == 1


def test_429_forever(hub: StandInHub, staging: Path) -> None:
    hub.fault_api(status=429)
    with pytest.raises(RateLimitedError):
        client(hub).snapshot(REPO)

    hub.clear_faults()
    hub_client = client(hub)
    snapshot = hub_client.snapshot(REPO)
    hub.fault_resolve("config.json", status=429, headers={"Retry-After": "0"})
    with pytest.raises(RateLimitedError):
        hub_client.download(snapshot, ["config.json"], staging)


def test_a_retry_wait_can_be_cancelled(hub: StandInHub) -> None:
    hub.fault_api(status=503)
    hub_client = client(hub)
    control = PauseToken()
    hub_client.transport.wait = lambda _seconds, _control: control.cancel()

    with pytest.raises(CancelledError):
        hub_client.snapshot(REPO, control=control)

    assert len(hub.requests) == 1


# --------------------------------------------------------------------------- search


def test_search_by_author_and_text(hub: StandInHub) -> None:
    hub.add_repo("atlasia/Terjman-Large", {"config.json": b"{}"}, gated=True)
    hub.add_repo("someone/Terjman-Copy", {"config.json": b"{}"})
    hub.add_repo("atlasia/hidden", {"config.json": b"{}"}, private=True)
    hub_client = client(hub)

    found = hub_client.search(author="atlasia")
    assert {(m.repo, m.gated) for m in found} == {(REPO, False), ("atlasia/Terjman-Large", True)}
    assert [m.repo for m in hub_client.search(search="copy")] == ["someone/Terjman-Copy"]
    assert len(hub_client.search(search="terjman", limit=1)) == 1
