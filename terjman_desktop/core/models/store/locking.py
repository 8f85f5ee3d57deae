"""Names and turns: which names the store accepts, and how callers take turns on a model.

Two processes (or threads) working on the same model take turns through the model's lock;
the second one waits as long as the first works, says so once, and can be cancelled while it
waits. Each store operation takes the lock once and does its whole change under it: nothing
the store runs while it holds a model's lock takes that lock again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.errors import LocationError, ModelNotFoundError, StoreError
from terjman_desktop.core.models.store.fsops import change_error, location_store_error
from terjman_desktop.core.models.store.layout import StoreLayout
from terjman_desktop.core.models.store.records import LockWait
from terjman_desktop.core.text_safety import printable
from terjman_desktop.core.translate import ID_PATTERN


def check_id(model_id: str) -> str:
    """``model_id`` when it is a valid model id.

    Raises:
        StoreError: it is not.
    """
    if not isinstance(model_id, str) or not ID_PATTERN.match(model_id):
        raise StoreError(
            f"'{model_id}' is not a valid model id.",
            hint="Run `terjman models list` to see the ids of installed models.",
        )
    return model_id


def check_name(name: str) -> str:
    """A model id, or the name of a folder put in the store by hand (to remove it).

    One plain name inside the store: not empty (the store itself), not hidden (its working
    folders, ``..``), no separators.

    Raises:
        ModelNotFoundError: anything else (no model can have that name).
    """
    plain = (
        isinstance(name, str)
        and name != ""
        and name.isprintable()
        and not name.startswith(".")
        and not any(sep in name for sep in "/\\:")
    )
    if not plain:
        raise ModelNotFoundError(
            printable(f"No model '{name}' is installed."),
            hint="Run `terjman models list` to see installed models.",
        )
    return name


@contextmanager
def hold(
    layout: StoreLayout,
    name: str,
    timeout: float | None,
    *,
    cancel: CancelToken | None = None,
    on_wait: Callable[[LockWait], None] | None = None,
) -> Iterator[None]:
    """Hold the lock of the (checked) model ``name`` of the store ``layout``.

    When another process or thread holds it, this waits until it is free, or ``timeout``
    seconds (``None``: as long as it takes), telling ``on_wait`` once.

    Raises:
        StoreError: another process or thread keeps it past the timeout, or the lock cannot
            be taken at all (a read-only disk).
        CancelledError: ``cancel`` was cancelled while waiting.
    """
    wait = LockWait(
        name, f"Waiting for another Terjman to finish installing or changing '{name}'…"
    )
    try:
        lock = layout.lock(name)
        taken = lock.acquire(
            timeout, cancel=cancel, on_wait=None if on_wait is None else lambda: on_wait(wait)
        )
    except LocationError as error:
        raise location_store_error(error) from None
    except OSError as error:
        raise change_error(
            f"The lock of '{name}' cannot be taken in {layout.root}", error, layout.root
        ) from error
    if not taken:
        raise StoreError(
            f"Another Terjman is installing this model ('{name}') or changing it right now.",
            hint="Wait for it to finish, then try again.",
        )
    try:
        yield
    finally:
        lock.release()
