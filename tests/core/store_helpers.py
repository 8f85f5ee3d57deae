"""Installing into a test store: fillers, a model left staged, another install holding a model.

Everything goes through :meth:`Store.install`, as the downloader and the Hub converter do.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

import pytest

from terjman_desktop.core.models.store.store import Filler, Store, Workspace
from terjman_desktop.core.translate.manifest import Manifest
from tests.core.package_factory import DEFAULT_ID, make_package


class InterruptedFillError(Exception):
    """A filler stopped on purpose (a dropped connection, a killed download)."""


def nothing(work: Workspace) -> None:
    """A filler with nothing left to write: the install uses what is staged already."""


def package(**kwargs: Any) -> Filler:
    """A filler that writes the test package (``make_package``'s arguments)."""

    def fill(work: Workspace) -> None:
        make_package(work.staging, **kwargs)

    return fill


def stage(store: Store, **kwargs: Any) -> Manifest:
    """Leave a complete package staged, as a download interrupted after its last file does.

    The next install of the model (``store.install(model_id, nothing)``) resumes with it.
    """
    staged: list[Manifest] = []

    def fill(work: Workspace) -> None:
        staged.append(make_package(work.staging, **kwargs))
        raise InterruptedFillError

    with pytest.raises(InterruptedFillError):
        store.install(kwargs.get("model_id", DEFAULT_ID), fill)
    return staged[0]


@contextmanager
def another_install(store: Store, model_id: str = DEFAULT_ID) -> Iterator[None]:
    """Another install of ``model_id``, in a thread, holding its turn until the block ends.

    It then gives up, installing nothing and leaving what is staged as it is.
    """
    holding, done = threading.Event(), threading.Event()

    def hold(work: Workspace) -> None:
        holding.set()
        done.wait(timeout=120)
        raise InterruptedFillError

    def run() -> None:
        with suppress(InterruptedFillError):
            store.install(model_id, hold)

    thread = threading.Thread(target=run, name=f"another install of {model_id}")
    thread.start()
    try:
        assert holding.wait(timeout=60), "the other install never got its turn"
        yield
    finally:
        done.set()
        thread.join(timeout=60)
