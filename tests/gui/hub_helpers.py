"""The GUI against the stand-in Hugging Face Hub: repositories, a catalog, a conversion gate.

The app reaches the stand-in Hub exactly as it reaches the real one, through ``HF_ENDPOINT``;
the repositories hold the tests' trained tiny Marian checkpoint. The catalog is given as the
cached catalog, as a refresh would leave it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from terjman_desktop.core.models import catalog
from tests.core.hub_server import StandInHub

REPO = "atlasia/Terjman-Tiny"
GATED_REPO = "atlasia/Terjman-Tiny-v2.0"
TOKEN = "hf_test_token_for_the_tiny_gated_model"
TINY_ID = "terjman-tiny-v1-int8"
GATED_ID = "terjman-tiny-v2.0-int8"
GATE_TIMEOUT = 120.0  # only reached when a test failed before opening the gate


def hub_entry(model_id: str, repo: str, **changes: Any) -> dict[str, Any]:
    """A catalog entry that installs ``repo`` from the Hub, as the bundled ones do."""
    entry = {
        "id": model_id, "name": "Terjman Tiny v1", "version": "1", "family": "marian",
        "tier": "nano", "directions": [{"source": "en", "target": "ary"}],
        "parameters": 100_000, "base_model": "tests/synthetic", "hf_repo": repo,
        "gated": False, "quantization": "int8", "download_size": 1_000_000,
        "installed_size": 400_000, "ram_required": 50_000_000,
        "license": "cc-by-nc-4.0", "attribution": "Tiny Terjman by the test suite.",
        "status": "not_yet_available", "sizes_estimated": True, "files": [], "mirrors": [],
        "source": {"kind": "hub", "repo": repo, "family": "marian"},
    }
    entry.update(changes)
    return entry


def write_cached_catalog(*entries: dict[str, Any]) -> None:
    path = catalog.cached_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"catalog_format": 1, "models": list(entries)}), "utf-8")


def tiny_catalog() -> None:
    """The recommended tiny model and its gated newer version."""
    write_cached_catalog(
        hub_entry(TINY_ID, REPO, recommended=True),
        hub_entry(GATED_ID, GATED_REPO, name="Terjman Tiny v2.0", version="2.0", gated=True),
    )


def without_tokens(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """No Hugging Face token from the environment or the login file of whoever runs this.

    tests/conftest.py already does this for every test; the login file moves into ``home``
    here so a test can write one there.
    """
    monkeypatch.setenv("HF_HOME", str(home / "hf"))


@contextmanager
def stand_in_hub(checkpoint: Path, monkeypatch: pytest.MonkeyPatch,
                 home: Path) -> Iterator[StandInHub]:
    """A Hub with the tiny model, public and gated; the app's environment points at it."""
    files = {p.name: p.read_bytes() for p in checkpoint.iterdir() if p.is_file()}
    without_tokens(monkeypatch, home)
    with StandInHub() as hub:
        hub.add_repo(REPO, files)
        hub.add_repo(GATED_REPO, files, gated=True, tokens=[TOKEN])
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        yield hub


class ConversionGate:
    """Holds the on-device conversion at its start until :meth:`open`.

    The tiny model converts in a blink; a test that must see (or cancel) the conversion
    phase waits on this gate instead of racing the clock. The real conversion runs once the
    gate opens, and sees a cancel made while it was held.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from terjman_desktop.core.models import convert

        self.reached = threading.Event()
        self._opened = threading.Event()
        real: Callable[..., Any] = convert.convert_checkpoint

        def held(*args: Any, **kwargs: Any) -> Any:
            self.reached.set()
            self._opened.wait(GATE_TIMEOUT)
            return real(*args, **kwargs)

        monkeypatch.setattr(convert, "convert_checkpoint", held)

    def open(self) -> None:
        self._opened.set()
