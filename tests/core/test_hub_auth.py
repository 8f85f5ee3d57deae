"""Where the Hub is, which token is used, and where the token may go."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.errors import CancelledError, HubError
from terjman_desktop.core.http import fetch_bytes, new_session, send
from terjman_desktop.core.models.hub.api import cancellable_wait
from terjman_desktop.core.models.hub.auth import (
    Credentials,
    HubEndpoint,
    HubToken,
    hub_credentials,
    hub_endpoint,
    resolve_token,
    token_file_path,
)
from terjman_desktop.core.models.hub.client import HubClient
from tests.core.http_server import FaultyHTTPServer
from tests.core.hub_server import StandInHub

HOME = Path("/home/someone")


def env(tmp_path: Path, **values: str) -> dict[str, str]:
    """An environment whose default token file lives under ``tmp_path``."""
    return {"HOME": str(tmp_path), **values}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- tokens


def test_token_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    write(tmp_path / ".cache" / "huggingface" / "token", "hf_file\n")
    environ = env(tmp_path, HF_TOKEN="hf_env", HUGGING_FACE_HUB_TOKEN="hf_legacy",
                  TERJMAN_HF_TOKEN="hf_terjman")

    def pick(explicit: str | None = None) -> tuple[str, str] | None:
        token = resolve_token(explicit, explicit_source="--token", environ=environ)
        return None if token is None else (token.value, token.source)

    assert pick("hf_explicit") == ("hf_explicit", "--token")
    assert pick() == ("hf_env", "HF_TOKEN")
    del environ["HF_TOKEN"]
    assert pick() == ("hf_legacy", "HUGGING_FACE_HUB_TOKEN")
    del environ["HUGGING_FACE_HUB_TOKEN"]
    assert pick() == ("hf_terjman", "TERJMAN_HF_TOKEN")
    del environ["TERJMAN_HF_TOKEN"]
    path = tmp_path / ".cache" / "huggingface" / "token"
    assert pick() == ("hf_file", f"the token file {path}")
    path.unlink()
    assert pick() is None


def test_empty_values_are_skipped(tmp_path: Path) -> None:
    environ = env(tmp_path, HF_TOKEN="  ", TERJMAN_HF_TOKEN="hf_terjman")
    token = resolve_token("", environ=environ)
    assert token is not None and token.source == "TERJMAN_HF_TOKEN"


def test_token_file_locations(tmp_path: Path) -> None:
    assert token_file_path({"HOME": str(HOME)}) == HOME / ".cache" / "huggingface" / "token"
    assert token_file_path({"XDG_CACHE_HOME": "/xdg"}) == Path("/xdg/huggingface/token")
    assert token_file_path({"HF_HOME": "/hf", "XDG_CACHE_HOME": "/xdg"}) == Path("/hf/token")
    assert token_file_path({"HF_TOKEN_PATH": "/t/tok", "HF_HOME": "/hf"}) == Path("/t/tok")
    explicit = write(tmp_path / "elsewhere" / "tok", "hf_path")
    token = resolve_token(environ=env(tmp_path, HF_TOKEN_PATH=str(explicit),
                                      HF_HOME=str(tmp_path / "home")))
    assert token is not None and token.value == "hf_path"
    write(tmp_path / "home" / "token", "hf_home")
    token = resolve_token(environ=env(tmp_path, HF_HOME=str(tmp_path / "home")))
    assert token is not None and token.value == "hf_home"


@pytest.mark.parametrize("flag", ["1", "true", "YES", "on"])
def test_disable_implicit_token_keeps_only_the_explicit_one(tmp_path: Path, flag: str) -> None:
    write(tmp_path / "hf" / "token", "hf_file")
    environ = env(tmp_path, HF_TOKEN="hf_env", TERJMAN_HF_TOKEN="hf_terjman",
                  HF_HOME=str(tmp_path / "hf"), HF_HUB_DISABLE_IMPLICIT_TOKEN=flag)

    assert resolve_token(environ=environ) is None
    explicit = resolve_token("hf_given", environ=environ)
    assert explicit is not None and explicit.value == "hf_given"


@pytest.mark.parametrize("flag", ["0", "false", "", "no"])
def test_disable_flag_off(tmp_path: Path, flag: str) -> None:
    environ = env(tmp_path, HF_TOKEN="hf_env", HF_HUB_DISABLE_IMPLICIT_TOKEN=flag)
    token = resolve_token(environ=environ)
    assert token is not None and token.value == "hf_env"


@pytest.mark.parametrize("bad", ["hf_a b", "hf_a\nX-Injected: 1", "hf_\x00", "hf_é"])
def test_a_malformed_token_is_refused_without_showing_it(tmp_path: Path, bad: str) -> None:
    with pytest.raises(HubError, match="from HF_TOKEN is not valid") as caught:
        resolve_token(environ=env(tmp_path, HF_TOKEN=bad))
    assert bad.strip() not in str(caught.value)


def test_an_unreadable_token_file_is_ignored(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "hf" / "token"
    folder.mkdir(parents=True)  # a folder where the file should be
    assert resolve_token(environ=env(tmp_path, HF_HOME=str(tmp_path / "hf"))) is None
    assert "Ignoring the Hugging Face token file" in caplog.text


def test_tokens_never_show(hub: StandInHub, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    token = HubToken("hf_secret_value", "HF_TOKEN")
    credentials = Credentials(token, HubEndpoint("https://huggingface.co"))
    hub.add_token("hf_secret_value")
    hub_client = HubClient(hub.url, "hf_secret_value", retries=0)
    hub_client.snapshot("atlasia/Terjman-Nano")
    with pytest.raises(HubError) as caught:
        hub_client.snapshot("atlasia/missing")

    for text in (repr(token), str(token), repr(credentials), repr(hub_client),
                 repr(hub_client.transport), str(caught.value), caplog.text):
        assert "hf_secret_value" not in text
    assert str(token) == "the access token from HF_TOKEN"


# --------------------------------------------------------------------------- the endpoint


def test_endpoint_defaults_and_configuration() -> None:
    assert hub_endpoint(environ={}) == HubEndpoint("https://huggingface.co", explicit=False)
    assert hub_endpoint(environ={"HF_ENDPOINT": "http://mirror.lan:8080/"}) == HubEndpoint(
        "http://mirror.lan:8080", explicit=True)
    assert hub_endpoint("https://hf-mirror.com", environ={"HF_ENDPOINT": "http://x"}) == (
        HubEndpoint("https://hf-mirror.com", explicit=True))


@pytest.mark.parametrize("bad", ["ftp://mirror", "huggingface.co", "https://user:pw@hf.co",
                                 "https://hf.co/?x=1", "https://hf.co/#a", "http://hf.co:99999"])
def test_a_malformed_endpoint_is_refused(bad: str) -> None:
    with pytest.raises(HubError, match="HF_ENDPOINT is not a plain http") as caught:
        hub_endpoint(environ={"HF_ENDPOINT": bad})
    assert "pw" not in str(caught.value)


@pytest.mark.parametrize(("url", "trusted"), [
    ("https://huggingface.co/api/models/a/b", True),
    ("https://HUGGINGFACE.CO:443/a/b/resolve/main/x", True),
    ("http://huggingface.co/a/b/resolve/main/x", False),  # another scheme: another origin
    ("https://huggingface.co:8443/x", False),
    ("https://cdn-lfs.huggingface.co/x", False),
    ("https://huggingface.co.evil.example/x", False),
    ("https://mirror.example/x", False),
])
def test_only_the_hub_origin_is_trusted(url: str, trusted: bool) -> None:
    assert HubEndpoint("https://huggingface.co").trusts(url) is trusted


def test_plain_http_is_trusted_only_when_configured() -> None:
    assert not HubEndpoint("http://127.0.0.1:8080", explicit=False).trusts(
        "http://127.0.0.1:8080/x")
    assert HubEndpoint("http://127.0.0.1:8080", explicit=True).trusts("http://127.0.0.1:8080/x")


# --------------------------------------------------------------------------- redirects


@pytest.fixture
def hub() -> Iterator[StandInHub]:
    with StandInHub() as server:
        server.add_repo("atlasia/Terjman-Nano", {"config.json": b"{}"})
        yield server


def test_a_relative_redirect_keeps_the_token_on_the_hub(hub: StandInHub) -> None:
    hub.override_api("hop", b"", status=302,
                     headers={"Location": "/api/models/atlasia/Terjman-Nano"})
    credentials = Credentials(HubToken("hf_t", "test"), HubEndpoint(hub.url, explicit=True))
    hub.add_token("hf_t")

    with new_session() as session, send(session, "GET", f"{hub.url}/hop",
                                        credentials=credentials, timeout=(2, 2)) as response:
        assert response.status_code == 200
    assert [r.header("Authorization") for r in hub.requests] == ["Bearer hf_t"] * 2


def test_redirects_are_bounded(http_server: FaultyHTTPServer) -> None:
    http_server.set_fault("loop", redirect_to=http_server.url)  # loop → loop → …

    with new_session() as session, pytest.raises(requests.TooManyRedirects):
        send(session, "GET", f"{http_server.url}/loop", timeout=(2, 2), max_redirects=3)
    assert len(http_server.requests) == 4


def test_a_redirect_to_another_scheme_is_refused(hub: StandInHub) -> None:
    hub.override_api("hop", b"", status=302, headers={"Location": "file:///etc/passwd"})

    with new_session() as session, pytest.raises(requests.exceptions.InvalidSchema):
        send(session, "GET", f"{hub.url}/hop", timeout=(2, 2))


def test_the_catalog_fetch_sends_the_token_to_the_hub_only(
    http_server: FaultyHTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    http_server.add("catalog.json", b"{}")
    monkeypatch.delenv("HF_ENDPOINT", raising=False)
    url = http_server.url_for("catalog.json")
    assert fetch_bytes(url, timeout=2, max_bytes=10,
                       credentials=hub_credentials("hf_t")) == b"{}"
    assert fetch_bytes(url, timeout=2, max_bytes=10,
                       credentials=hub_credentials("hf_t", http_server.url)) == b"{}"
    assert [r.header("Authorization") for r in http_server.requests] == [None, "Bearer hf_t"]


def test_a_cancelled_wait_raises() -> None:
    control = CancelToken()
    control.cancel()
    with pytest.raises(CancelledError):
        cancellable_wait(60, control)
    cancellable_wait(0, None)
