"""Repository names, and the Hub's answers read as hostile input: clear errors, never crashes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from terjman_desktop.core.errors import HubResponseError, InputError
from terjman_desktop.core.http import BodyTooLargeError, new_session, read_body
from terjman_desktop.core.models.hub.client import HubClient, parse_repo_spec
from tests.core.http_server import FaultyHTTPServer
from tests.core.hub_server import StandInHub

REPO = "atlasia/Terjman-Nano"
COMMIT = "a" * 40
INFO = f"api/models/{REPO}/revision/main"



# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(("spec", "expected"), [
    ("atlasia/Terjman-Nano", ("atlasia/Terjman-Nano", "main")),
    ("atlasia/Terjman-Nano@v2.0", ("atlasia/Terjman-Nano", "v2.0")),
    ("  atlasia/terjman_large.v1@refs/pr/3 ", ("atlasia/terjman_large.v1", "refs/pr/3")),
    (f"a/b@{COMMIT}", ("a/b", COMMIT)),
    ("Helsinki-NLP/opus-mt-en-ar@feature/x", ("Helsinki-NLP/opus-mt-en-ar", "feature/x")),
    (f"{'o' * 96}/{'n' * 96}", (f"{'o' * 96}/{'n' * 96}", "main")),
])
def test_valid_specs(spec: str, expected: tuple[str, str]) -> None:
    assert parse_repo_spec(spec) == expected


@pytest.mark.parametrize(("spec", "problem"), [
    ("", "No repository given"),
    ("Terjman-Nano", "must be ORG/NAME"),
    ("datasets/atlasia/x", "must be ORG/NAME"),
    ("atlasia/", "may only use"),
    ("/Terjman", "may only use"),
    ("atlasia/Terjman Nano", "may only use"),
    ("atlasia/-nano", "start and end"),
    ("atlasia/nano.", "start and end"),
    ("atlasia/tér", "may only use"),
    ("atlasia/a--b", "cannot contain '--' or '..'"),
    ("atlasia/a..b", "cannot contain '--' or '..'"),
    ("atlasia/nano.git", "cannot end with '.git'"),
    (f"atlasia/{'n' * 97}", "longer than 96"),
    ("atlasia/nano@", "revision after '@' is empty"),
    ("atlasia/nano@a..b", "not a branch, tag or commit"),
    ("atlasia/nano@a b", "not a branch, tag or commit"),
    ("atlasia/nano@x\x1b[2J", "not a branch, tag or commit"),
    ("atlasia/nano@/main", "not a branch, tag or commit"),
    ("atlasia/nano@main.lock", "not a branch, tag or commit"),
    (f"atlasia/nano@{'x' * 256}", "not a branch, tag or commit"),
])
def test_invalid_specs(spec: str, problem: str) -> None:
    with pytest.raises(InputError, match=problem) as caught:
        parse_repo_spec(spec)
    assert "ORG/NAME@REVISION" in str(caught.value)  # the hint shows the form


def test_the_client_checks_names_before_asking(tmp_path: Path) -> None:
    hub_client = HubClient("http://127.0.0.1:9", implicit_token=False)  # nothing is sent
    with pytest.raises(InputError):
        hub_client.snapshot("not a repo")
    with pytest.raises(InputError):
        hub_client.snapshot(REPO, "bad..rev")


# --------------------------------------------------------------------------- hostile answers


@pytest.fixture
def hub() -> Iterator[StandInHub]:
    with StandInHub() as server:
        server.add_repo(REPO, {"config.json": b"{}"})
        yield server


def answer(hub: StandInHub, value: Any, prefix: str = INFO) -> None:
    hub.override_api(prefix, json.dumps(value).encode())


def sibling(name: str = "config.json", **fields: Any) -> dict[str, Any]:
    return {"rfilename": name, "size": 2, "blobId": "b" * 40, **fields}


def info(*siblings: Any, **fields: Any) -> dict[str, Any]:
    return {"id": REPO, "sha": COMMIT, "siblings": list(siblings), **fields}


def snapshot_error(hub: StandInHub) -> str:
    with pytest.raises(HubResponseError) as caught:
        HubClient(hub.url, implicit_token=False, retries=0).snapshot(REPO)
    return str(caught.value)


def test_a_well_formed_answer_is_accepted(hub: StandInHub) -> None:
    answer(hub, info(sibling(), sibling("model.bin", size=5, lfs={"sha256": "C" * 64,
                                                                  "size": 5})))
    snapshot = HubClient(hub.url, implicit_token=False).snapshot(REPO)
    assert snapshot.commit == COMMIT
    assert snapshot.file("model.bin").sha256 == "c" * 64  # hex is normalised to lowercase


@pytest.mark.parametrize(("body", "problem"), [
    (b"[" * 100_000 + b"]" * 100_000, "nested more than"),
    (b'{"sha": ' + b"9" * 5000 + b"}", "digits"),
    (b'{"sha": 1e999}', "too large"),
    (b'{"sha": NaN}', "NaN"),
    (b"not json", "not valid JSON"),
    (b"\xff\xfe{}", "not UTF-8"),
    (b'{"sha": "' + b"a" * 40 + b'", "sha": "' + b"b" * 40 + b'"}', "twice"),
])
def test_malformed_json(hub: StandInHub, body: bytes, problem: str) -> None:
    hub.override_api(INFO, body)
    message = snapshot_error(hub)
    assert problem in message
    assert "HF_ENDPOINT" in message


def test_a_40_mb_answer_is_refused(hub: StandInHub) -> None:
    hub.override_api(INFO, b" " * (40 * 1024 * 1024))
    assert "larger than 16 MiB" in snapshot_error(hub)


def test_the_limit_holds_without_a_content_length(http_server: FaultyHTTPServer) -> None:
    """The cap applies while reading, not only to the announced length."""
    http_server.add("big.json", b" " * 300_000)
    http_server.set_fault("big.json", chunked=True)  # no Content-Length at all

    with new_session() as session, session.get(http_server.url_for("big.json"),
                                               stream=True) as response:
        assert "Content-Length" not in response.headers
        with pytest.raises(BodyTooLargeError):
            read_body(response, 100_000)


@pytest.mark.parametrize(("value", "problem"), [
    ([], "the model information is not an object"),
    (info(sha="main"), "not 40 hexadecimal digits"),
    (info(sha=None), "not 40 hexadecimal digits"),
    (info(sha="b" * 40), "was asked for"),  # only checked when a commit is asked for
    ({"sha": COMMIT, "siblings": {}}, "the file list is not a list"),
    (info("config.json"), "siblings[0] is not an object"),
    (info({"size": 1}), "not a plain relative path"),
    (info(sibling("../../.bashrc")), "'../../.bashrc', which is not a plain relative path"),
    (info(sibling("/etc/passwd")), "not a plain relative path"),
    (info(sibling("C:/x")), "not a plain relative path"),
    (info(sibling("a\\b")), "not a plain relative path"),
    (info(sibling("a\x1b[2Jb")), "not a plain relative path"),
    (info(sibling(size=-1)), "impossible"),
    (info(sibling(size=2**62)), "impossible"),
    (info(sibling(size=True)), "not a whole number"),
    (info(sibling(size="2")), "not a whole number"),
    (info(sibling(size=2.0)), "not a whole number"),
    (info(sibling(blobId="xyz")), "blob id of config.json is not 40"),
    (info(sibling(lfs={"sha256": "z" * 64, "size": 2})), "SHA-256 of config.json"),
    (info(sibling(lfs={"sha256": "c" * 64, "size": 3})), "two sizes"),
    (info(sibling(lfs="yes")), "LFS details of config.json is not an object"),
    (info(sibling(), sibling()), "'config.json' is listed twice"),
    (info(sibling("Model.bin"), sibling("model.bin")), "same file on some systems"),
    (info(sibling("caf\u00e9.bin"), sibling("cafe\u0301.bin")), "same file on some systems"),
    (info(sibling("a"), sibling("a/b")), "as a file and as the folder"),
])
def test_wrong_fields(hub: StandInHub, value: Any, problem: str) -> None:
    answer(hub, value, prefix=f"api/models/{REPO}/revision/")
    if problem == "was asked for":
        with pytest.raises(HubResponseError, match=problem):
            HubClient(hub.url, implicit_token=False).snapshot(REPO, COMMIT)
        return
    assert problem in snapshot_error(hub)


def test_a_file_whose_hash_stays_unknown_is_refused(hub: StandInHub) -> None:
    answer(hub, info({"rfilename": "config.json"}))  # no size, no blob id
    answer(hub, [], prefix=f"api/models/{REPO}/paths-info/")  # and paths-info does not know
    assert "no size or hash is given for config.json" in snapshot_error(hub)


def test_hostile_paths_info(hub: StandInHub) -> None:
    answer(hub, info({"rfilename": "config.json"}))
    answer(hub, [{"type": "file", "path": "config.json", "size": 2, "oid": "b" * 40,
                  "lfs": {"oid": "nothex", "size": 2}}], prefix=f"api/models/{REPO}/paths-info/")
    assert "SHA-256 of config.json" in snapshot_error(hub)


def test_a_tree_continuing_on_another_server_is_refused(hub: StandInHub) -> None:
    hub.limit_api(blobs=False, paths_info=False)
    hub.override_api(f"api/models/{REPO}/tree/", b"[]",
                     headers={"Link": '<https://evil.example/next>; rel="next"'})
    assert "continues on another server" in snapshot_error(hub)


def test_hostile_search_results(hub: StandInHub) -> None:
    hub_client = HubClient(hub.url, implicit_token=False, retries=0)
    for value, problem in [
        ({"id": REPO}, "the search results is not a list"),
        ([{"id": "../../x"}], "invalid id"),
        ([{"id": 5}], "no repository id"),
    ]:
        hub.clear_faults()
        answer(hub, value, prefix="api/models")
        with pytest.raises(HubResponseError, match=problem):
            hub_client.search(author="atlasia")


def test_the_servers_message_is_made_printable(hub: StandInHub) -> None:
    hub.override_api(INFO, b"{}", status=418,
                     headers={"X-Error-Message": "\x1b[31mteapot\x1b[0m" + "x" * 500})
    with pytest.raises(Exception, match="HTTP 418") as caught:
        HubClient(hub.url, implicit_token=False, retries=0).snapshot(REPO)
    message = str(caught.value)
    assert "\x1b" not in message and "\\x1b[31mteapot" in message
    assert len(message) < 600
