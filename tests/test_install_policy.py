"""The install policy: one rule, from the settings, for the app and for ``terjman``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest

from terjman_desktop import cli_models
from terjman_desktop.core.models.policy import InstallPolicy, install_policy
from terjman_desktop.core.settings import Settings, save_settings


def args(**given: Any) -> argparse.Namespace:
    """What argparse gives ``terjman models install`` (only the options the policy reads)."""
    values = {"token": None, "quantization": None, "keep_source": False, **given}
    return argparse.Namespace(**values)


def test_without_settings_nothing_is_explicit() -> None:
    policy = install_policy()
    assert policy == InstallPolicy()
    assert (policy.token, policy.mirrors, policy.quantization, policy.keep_source) == (
        None, (), None, False)


def test_the_settings_give_the_token_and_the_mirrors() -> None:
    settings = Settings(hf_token=" hf_saved ", mirrors=["https://a.example/", "https://b/"])
    policy = install_policy(settings)
    assert (policy.token, policy.token_source) == ("hf_saved", "the settings")
    assert policy.mirrors == ("https://a.example/", "https://b/")


def test_a_token_given_for_the_run_wins() -> None:
    settings = Settings(hf_token="hf_saved")
    policy = install_policy(settings, token="hf_given", quantization="float32", keep_source=True)
    assert (policy.token, policy.token_source) == ("hf_given", "--token")
    assert (policy.quantization, policy.keep_source) == ("float32", True)
    assert install_policy(settings, token="  ").token == "hf_saved"  # blank: not given


def test_the_token_never_shows_in_a_repr() -> None:
    assert "hf_secret" not in repr(install_policy(Settings(hf_token="hf_secret")))


def test_has_token_follows_the_hubs_conventions(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not InstallPolicy().has_token()
    assert InstallPolicy("hf_x").has_token()
    assert InstallPolicy("not a token").has_token()  # malformed: the install says why
    monkeypatch.setenv("HF_TOKEN", "hf_from_env")
    token = InstallPolicy().resolved_token()
    assert token is not None and token.source == "HF_TOKEN"


def test_the_hub_address_is_hf_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    assert InstallPolicy().web_url() == "https://huggingface.co"
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9/")
    assert InstallPolicy().web_url() == "http://127.0.0.1:9"
    assert InstallPolicy().endpoint().explicit
    monkeypatch.setenv("HF_ENDPOINT", "ftp://nowhere")
    assert InstallPolicy().web_url() == "https://huggingface.co"  # links the real Hub


def test_install_hands_everything_to_install_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    from terjman_desktop.core.models import install

    seen: dict[str, Any] = {}

    def fake(entry: Any, store: Any = None, **options: Any) -> str:
        seen.update(options, entry=entry, store=store)
        return "installed"

    monkeypatch.setattr(install, "install_entry", fake)
    policy = InstallPolicy("hf_x", "--token", ("https://m/",), "int8_float32", True)
    assert policy.install("ENTRY", "STORE", on_wait=print) == "installed"
    assert seen == {"entry": "ENTRY", "store": "STORE", "token": "hf_x",
                    "token_source": "--token", "progress": None, "control": None,
                    "on_wait": print, "quantization": "int8_float32", "keep_source": True,
                    "extra_mirrors": ("https://m/",)}


def test_install_repository_uses_the_policys_client(monkeypatch: pytest.MonkeyPatch) -> None:
    from terjman_desktop.core.models.hub import install

    seen: dict[str, Any] = {}

    def fake(source: Any, details: Any, **options: Any) -> str:
        seen.update(options)
        return "installed"

    monkeypatch.setattr(install, "install_from_hub", fake)
    assert InstallPolicy("hf_x", "--token").install_repository(
        "SOURCE", "DETAILS") == "installed"
    client = seen["client"]
    assert client.token is not None and client.token.value == "hf_x"
    assert client.token.source == "--token"
    assert (seen["quantization"], seen["keep_source"]) == ("int8", False)


def test_the_cli_reads_the_apps_settings(terjman_home: Path) -> None:
    assert cli_models.install_policy_for(args()) == InstallPolicy()
    save_settings(Settings(hf_token="hf_saved", mirrors=["https://mirror.example/"]))
    policy = cli_models.install_policy_for(args(quantization="float16"))
    assert policy == install_policy(Settings(hf_token="hf_saved",
                                             mirrors=["https://mirror.example/"]),
                                    quantization="float16")
    assert cli_models.install_policy_for(args(token="hf_given")).token == "hf_given"


def test_unreadable_settings_do_not_stop_the_cli(terjman_home: Path) -> None:
    config = terjman_home / "config"
    config.mkdir(parents=True)
    (config / "settings.json").write_text("{not json", encoding="utf-8")
    assert cli_models.install_policy_for(args(token="hf_given")).token == "hf_given"
