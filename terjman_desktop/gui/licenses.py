"""Model licenses the person accepted: shown before a first download, remembered after.

:class:`AcceptedLicenses` is the file (read and written by operations, on a worker);
:func:`confirm_license` is the question, asked on the GUI thread with what was read.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from terjman_desktop.core.atomic import write_atomically
from terjman_desktop.core.models import CatalogEntry

logger = logging.getLogger(__name__)


class AcceptedLicenses:
    """The ids of the models whose license was accepted, in a small JSON file.

    Both methods do file I/O: run them through
    :class:`~terjman_desktop.gui.operations.models.ModelOps`, never on the GUI thread.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> set[str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return set()
        return {str(x) for x in data} if isinstance(data, list) else set()

    def remember(self, model_id: str) -> None:
        ids = sorted(self.read() | {model_id})
        try:
            write_atomically(self.path, json.dumps(ids))
        except OSError as error:  # only costs showing the license again next time
            logger.warning("Could not remember the accepted license: %s", error)


def confirm_license(parent: QWidget | None, entry: CatalogEntry,
                    accepted: Collection[str]) -> bool:
    """Show the license and attribution before the first download of ``entry``.

    ``accepted`` holds the licenses accepted before (read by an operation); the caller
    remembers a new acceptance (also through an operation).
    """
    if entry.id in accepted:
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
    return answer == QMessageBox.StandardButton.Yes
