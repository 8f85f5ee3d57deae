"""The store's verification records: ``.state/<id>.json`` says how a model's last re-hash went.

A record holds the SHA-256 of the manifest it was made for, so a model whose manifest changed
since (re-installed, edited) reads as never verified rather than inheriting an old result.
Records are a convenience: failing to write one never fails an install.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import uuid
from contextlib import suppress
from datetime import datetime, timezone
from pathlib import Path

from terjman_desktop.core import jsonio
from terjman_desktop.core.models.store.layout import hidden_dir
from terjman_desktop.core.readfile import FileReadError, read_regular_file
from terjman_desktop.core.translate.package import MANIFEST_NAME, MAX_MANIFEST_BYTES

# These are the store's messages: logged under its name, as before the store was split up.
logger = logging.getLogger("terjman_desktop.core.models.store.store")

# A record is about a hundred bytes.
_RECORD_LIMITS = jsonio.JsonLimits(max_bytes=64 * 1024, max_depth=4)


def _state_path(root: Path, model_id: str) -> Path:
    return root / ".state" / f"{model_id}.json"


def _manifest_digest(folder: Path) -> str:
    """SHA-256 of the manifest file (a FileReadError when it cannot be read)."""
    raw = read_regular_file(folder / MANIFEST_NAME, max_bytes=MAX_MANIFEST_BYTES)
    return hashlib.sha256(raw).hexdigest()


def write_state(root: Path, model_id: str, ok: bool) -> None:
    """Record the result of verifying the installed model ``model_id`` (now)."""
    tmp: Path | None = None
    try:
        path = hidden_dir(root, ".state") / f"{model_id}.json"
        record = {
            "manifest_sha256": _manifest_digest(root / model_id),
            "ok": ok,
            "checked_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
        tmp = path.with_name(f"{path.name}.{uuid.uuid4().hex}.tmp")
        tmp.write_text(json.dumps(record), encoding="utf-8")
        os.replace(tmp, path)
    except (OSError, FileReadError) as error:  # only a convenience; never fail over it
        logger.warning("Could not record the verification of %s: %s", model_id, error)
        if tmp is not None:
            with suppress(OSError):
                tmp.unlink()


def read_state(root: Path, folder: Path) -> tuple[bool | None, str | None]:
    """``(ok, checked_at)`` of the model in ``folder``; ``(None, None)`` when unknown."""
    try:
        record = jsonio.load_file(_state_path(root, folder.name), limits=_RECORD_LIMITS)
        if record["manifest_sha256"] == _manifest_digest(folder):
            return bool(record["ok"]), str(record["checked_at"])
    except (jsonio.JsonReadError, FileReadError, KeyError, TypeError):
        pass  # no record, or one that cannot be trusted: never verified
    return None, None


def forget_state(root: Path, model_id: str) -> None:
    """Drop the record of a removed model."""
    with suppress(OSError):
        _state_path(root, model_id).unlink()
