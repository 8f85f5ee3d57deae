"""The store's verification records: ``.state/<id>.json`` says how a model's last re-hash went.

A record holds the SHA-256 of the manifest it was made for, so a model whose manifest changed
since (re-installed, edited) reads as never verified rather than inheriting an old result.
Records are a convenience: failing to write one never fails an install.
"""

from __future__ import annotations

import hashlib
import json
import logging
from contextlib import suppress
from datetime import datetime, timezone
from pathlib import Path

from terjman_desktop.core import jsonio
from terjman_desktop.core.atomic import write_atomically
from terjman_desktop.core.paths import ensure_dir
from terjman_desktop.core.readfile import FileReadError, read_regular_file
from terjman_desktop.core.translate import MANIFEST_NAME, MAX_MANIFEST_BYTES

# These are the store's messages: logged under its name, as before the store was split up.
logger = logging.getLogger("terjman_desktop.core.models.store.store")

# A record is about a hundred bytes.
_RECORD_LIMITS = jsonio.JsonLimits(max_bytes=64 * 1024, max_depth=4)


def _manifest_digest(folder: Path) -> str:
    """SHA-256 of the manifest file (a FileReadError when it cannot be read)."""
    raw = read_regular_file(folder / MANIFEST_NAME, max_bytes=MAX_MANIFEST_BYTES)
    return hashlib.sha256(raw).hexdigest()


class StateRecords:
    """The verification records of one store, kept in ``folder`` (``<root>/.state``).

    A model is named by its folder in the store; the record is ``<folder name>.json``.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, name: str) -> Path:
        return self.folder / f"{name}.json"

    def write(self, model: Path, ok: bool) -> None:
        """Record the result of verifying the installed model folder ``model`` (now)."""
        try:
            path = ensure_dir(self.folder) / f"{model.name}.json"
            record = {
                "manifest_sha256": _manifest_digest(model),
                "ok": ok,
                "checked_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            }
            write_atomically(path, json.dumps(record))
        except (OSError, FileReadError) as error:  # only a convenience; never fail over it
            logger.warning("Could not record the verification of %s: %s", model.name, error)

    def read(self, model: Path) -> tuple[bool | None, str | None]:
        """``(ok, checked_at)`` of the model folder ``model``; ``(None, None)`` when unknown."""
        try:
            record = jsonio.load_file(self._path(model.name), limits=_RECORD_LIMITS)
            if record["manifest_sha256"] == _manifest_digest(model):
                return bool(record["ok"]), str(record["checked_at"])
        except (jsonio.JsonReadError, FileReadError, KeyError, TypeError):
            pass  # no record, or one that cannot be trusted: never verified
        return None, None

    def forget(self, name: str) -> None:
        """Drop the record of a removed model."""
        with suppress(OSError):
            self._path(name).unlink()
