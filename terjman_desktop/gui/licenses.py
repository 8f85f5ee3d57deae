"""Which model licenses the person has already accepted (shown before a first download)."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from terjman_desktop.core import paths
from terjman_desktop.core.models.catalog import CatalogEntry

logger = logging.getLogger(__name__)
FILE_NAME = "accepted-licenses.json"


def _path() -> Path:
    return paths.config_dir() / FILE_NAME


def accepted() -> set[str]:
    try:
        data = json.loads(_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return {str(x) for x in data} if isinstance(data, list) else set()


def remember(model_id: str) -> None:
    ids = sorted(accepted() | {model_id})
    path = _path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".licenses-", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(ids, handle)
        os.replace(tmp, path)
    except OSError as error:  # only costs showing the license again next time
        logger.warning("Could not remember the accepted license: %s", error)


def confirm_license(parent: QWidget | None, entry: CatalogEntry) -> bool:
    """Show the license and attribution before the first download of ``entry``."""
    if entry.id in accepted():
        return True
    text = QCoreApplication.translate(
        "licenses",
        "{name} is published under the {license} license.\n\n{attribution}\n\n"
        "cc-by-nc-4.0 allows non-commercial use only, with credit to the authors. "
        "Do you accept these terms and want to download the model?",
    ).format(name=entry.name, license=entry.license, attribution=entry.attribution)
    answer = QMessageBox.question(
        parent, QCoreApplication.translate("licenses", "Model license"), text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return False
    remember(entry.id)
    return True
