"""What the model manager shows: the table, a model's details, the buttons' states.

:class:`ModelManagerView` holds the manager's widgets and its picture of the models (the
store's folders, the catalog, the installs and deletes under way) and keeps them on screen;
:class:`~terjman_desktop.gui.model_manager.ModelManagerDialog` adds what the buttons do.
Its texts belong to the ``ModelManagerDialog`` translation context, as before the split.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.models import Catalog, CatalogEntry, InstalledModel, StoredModel
from terjman_desktop.core.settings import Settings
from terjman_desktop.gui.context import AppContext
from terjman_desktop.gui.install_job import InstallJob
from terjman_desktop.gui.map_job import MapJob, offers_map
from terjman_desktop.gui.model_info import isolate
from terjman_desktop.gui.model_table import ModelTable
from terjman_desktop.gui.operations.models import ManagerState, ModelOps
from terjman_desktop.gui.task_runner import Task

# Called by this name so that lupdate finds each string with its context.
translate = QCoreApplication.translate
BUTTONS = ("install", "pause", "resume", "cancel", "repair", "delete", "verify", "export",
           "speed_up", "import_file", "import_folder", "refresh")
PROGRESS_STEPS = 1000
MAX_PROBLEMS_SHOWN = 5


@dataclass
class Removal:
    """A delete under way; it may wait for another Terjman working on the same model."""

    token: CancelToken
    task: Task[None] | None = None
    waiting: bool = False


class ModelManagerView(QDialog):
    """The manager's widgets and state; reads the store and the catalog through operations."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelManager")
        self.context = context
        self.ops = ModelOps(context)
        self.stored: dict[str, StoredModel] = {}
        self.catalog: Catalog | None = None
        self.installs: dict[str, InstallJob] = {}
        self.removals: dict[str, Removal] = {}
        # Vocabulary maps being learned again for installed models (Speed up).
        self.maps: dict[str, MapJob] = {}
        # Whether a token would be sent: read (env, token file) on each reload, on a worker,
        # not per progress report.
        self.token_known = False
        # Licenses accepted before (read on each reload); one accepted here is added at once.
        self.accepted_licenses: set[str] = set()
        self.table = ModelTable(self)
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # What the last "Refresh the catalog" did: refreshed, or why not (offline…).
        self.catalog_status = QLabel(self)
        self.catalog_status.setObjectName("catalogStatus")
        self.catalog_status.setWordWrap(True)
        self.catalog_status.setTextFormat(Qt.TextFormat.PlainText)
        self.catalog_status.hide()
        self.progress = QProgressBar(self)
        self.progress.setRange(0, PROGRESS_STEPS)
        self.progress.hide()
        self.buttons: dict[str, QPushButton] = {n: QPushButton(self) for n in BUTTONS}
        grid = QGridLayout()
        for index, name in enumerate(BUTTONS):
            grid.addWidget(self.buttons[name], index // 6, index % 6)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addWidget(self.catalog_status)
        layout.addWidget(self.progress)
        layout.addLayout(grid)
        bottom = QHBoxLayout()
        bottom.addStretch()
        bottom.addWidget(close)
        layout.addLayout(bottom)
        self.table.currentItemChanged.connect(lambda *_: self._selection_changed())
        self.retranslate()
        self.resize(1320, 600)

    def retranslate(self) -> None:
        self.setWindowTitle(translate("ModelManagerDialog", "Models"))
        labels = {
            "install": translate("ModelManagerDialog", "&Install"),
            "pause": translate("ModelManagerDialog", "&Pause"),
            "resume": translate("ModelManagerDialog", "&Resume"),
            "cancel": translate("ModelManagerDialog", "&Cancel"),
            "repair": translate("ModelManagerDialog", "Rep&air…"),
            "delete": translate("ModelManagerDialog", "De&lete"),
            "verify": translate("ModelManagerDialog", "&Verify"),
            "export": translate("ModelManagerDialog", "&Export for sharing…"),
            "speed_up": translate("ModelManagerDialog", "&Speed up (learn the vocabulary map)"),
            "import_file": translate("ModelManagerDialog", "Import a &file…"),
            "import_folder": translate("ModelManagerDialog", "Import a f&older…"),
            "refresh": translate("ModelManagerDialog", "Re&fresh the catalog"),
        }
        for name, text in labels.items():
            self.buttons[name].setText(text)
            self.buttons[name].setAccessibleName(text.replace("&", "").rstrip("…"))
        self.details.setAccessibleName(translate("ModelManagerDialog", "Model details"))
        self.table.retranslate()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------ data

    @property
    def settings(self) -> Settings:
        """The app's settings as they are now."""
        return self.context.settings

    @property
    def installed(self) -> dict[str, InstalledModel]:
        """The models on disk that can be loaded."""
        return {i: s.model for i, s in self.stored.items() if s.model is not None}

    def reload(self, *, refresh: bool = False) -> None:
        """Read the store and the catalog (fetching a fresh one with ``refresh``)."""
        if refresh:
            self._say(translate("ModelManagerDialog", "Refreshing the catalog…"))

        def loaded(state: ManagerState) -> None:
            self._loaded(state)
            if refresh:
                self._say_refreshed(state)

        self.ops.manager_state(refresh=refresh).on_done(loaded).run()

    def _say(self, text: str) -> None:
        self.catalog_status.setText(text)
        self.catalog_status.setAccessibleName(text)
        self.catalog_status.setVisible(bool(text))

    def _say_refreshed(self, state: ManagerState) -> None:
        """Say what a refresh did, in the dialog (no message box to dismiss)."""
        count = len(state.catalog)
        if not self.settings.catalog_url:
            self._say(translate(
                "ModelManagerDialog",
                "No catalog address is set in the Preferences, so nothing was fetched: the "
                "catalog shown ({count} models) is the one this computer already has."
            ).format(count=count))
        elif state.problem is not None:
            problem = state.problem
            message = getattr(problem, "message", str(problem))
            hint = getattr(problem, "hint", "") or ""
            self._say(translate(
                "ModelManagerDialog",
                "The catalog could not be refreshed (are you offline?): {problem} The last "
                "catalog this computer received is shown ({count} models). {hint}"
            ).format(problem=message, count=count, hint=hint).strip())
        else:
            self._say(translate("ModelManagerDialog",
                                "The catalog was refreshed: {count} models.").format(
                count=count))

    def _loaded(self, state: ManagerState) -> None:
        self.catalog = state.catalog
        self.stored = {s.id: s for s in state.stored}
        self.accepted_licenses |= state.accepted_licenses
        statuses = {i: text for i in {*self.installs, *self.removals, *self.maps}
                    if (text := self._busy_status(i))}
        self.token_known = state.token_known
        self.table.fill(self.stored, self.catalog, statuses, self.token_known)
        self._selection_changed()

    def _entry(self, model_id: str | None) -> CatalogEntry | None:
        return self.catalog.find(model_id) if self.catalog and model_id else None

    def _busy_status(self, model_id: str) -> str | None:
        job, removal = self.installs.get(model_id), self.removals.get(model_id)
        if job is not None:
            return job.status_text()
        mapping = self.maps.get(model_id)
        if mapping is not None:
            return mapping.status_text()
        if removal is not None:
            return (translate("ModelManagerDialog",
                              "Waiting for another Terjman to finish with this model…")
                    if removal.waiting else translate("ModelManagerDialog", "Deleting…"))
        return None

    def _selection_changed(self) -> None:
        model_id = self.table.selected_id()
        entry, stored = self._entry(model_id), self.stored.get(model_id or "")
        job, mapping = self.installs.get(model_id or ""), self.maps.get(model_id or "")
        busy = job is not None or mapping is not None or (model_id or "") in self.removals
        cancelling = (job is not None and job.control.cancelled) or (
            mapping is not None and mapping.control.cancelled)
        b = self.buttons
        # An installed model is installed again when the catalog updates it under its own id
        # (a newer version, or corrected files): the new copy replaces it in one rename.
        offer = self.table.updates.get(model_id or "")
        replaceable = offer is not None and offer.entry.id == model_id
        b["install"].setEnabled(bool(entry and entry.installable and not busy
                                     and (not stored or replaceable)))
        b["pause"].setEnabled(job is not None and job.can_pause)
        b["resume"].setEnabled(job is not None and job.paused)
        b["cancel"].setEnabled(busy and not cancelling)
        b["repair"].setEnabled(stored is not None and not stored.ok and not busy)
        b["delete"].setEnabled(stored is not None and not busy)
        b["verify"].setEnabled(stored is not None and stored.manifest is not None and not busy)
        b["export"].setEnabled(stored is not None and stored.ok and not busy)
        b["speed_up"].setEnabled(self._offers_map(stored) and not busy)
        self.details.setText("\n".join(line for line in self._details(entry, stored) if line))
        running = job or mapping
        self.progress.setVisible(running is not None)
        if running is not None:
            self.progress.setValue(int(PROGRESS_STEPS * running.fraction))

    def _offers_map(self, stored: StoredModel | None) -> bool:
        """Whether Speed up may learn this model's vocabulary map (it has none, can have one).

        Only for a sound model: a damaged one is repaired first.
        """
        return (stored is not None and stored.ok and stored.model is not None
                and offers_map(stored.model, self.settings))

    def _details(self, entry: CatalogEntry | None, stored: StoredModel | None) -> list[str]:
        lines: list[str] = []
        if entry is not None:
            lines += [
                entry.notes,
                translate("ModelManagerDialog", "Base model: {base}").format(
                    base=isolate(entry.base_model)),
                translate("ModelManagerDialog", "License: {license}. {attribution}").format(
                    license=isolate(entry.license), attribution=entry.attribution),
            ]
            if entry.gated:
                lines.append(translate(
                    "ModelManagerDialog",
                    "Gated: installing it needs a Hugging Face access token, after you "
                    "accept its conditions on its Hugging Face page.") if not self.token_known
                    else translate("ModelManagerDialog",
                                   "Gated: your Hugging Face token is used."))
        if stored is not None:
            lines.append(translate("ModelManagerDialog", "Installed in {path}").format(
                path=isolate(str(stored.path))))
            offer = self.table.updates.get(stored.id)
            if offer is not None and offer.entry.id == stored.id:
                lines.append(translate(
                    "ModelManagerDialog",
                    "The catalog has {what}: Install replaces this copy.").format(
                    what=translate("ModelManagerDialog", "version {version}").format(
                        version=isolate(offer.entry.version))
                    if offer.entry.version != stored.version else
                    translate("ModelManagerDialog", "corrected files for this version")))
            elif offer is not None:
                lines.append(translate(
                    "ModelManagerDialog",
                    "An update is available: {name} {version}. Select it in the list and "
                    "install it; this model stays until you delete it.").format(
                    name=isolate(offer.entry.name), version=isolate(offer.entry.version)))
            if self._offers_map(stored) and stored.id not in self.maps:
                lines.append(translate(
                    "ModelManagerDialog",
                    "It has no vocabulary map yet: Speed up learns one on this computer from "
                    "its training sentences, so it translates faster with the same results."))
            if not stored.ok:
                lines.append(translate("ModelManagerDialog", "What is wrong:"))
                lines += [f"• {problem}" for problem in stored.problems[:MAX_PROBLEMS_SHOWN]]
                lines.append(
                    translate("ModelManagerDialog", "Repair installs it again from the catalog.")
                    if entry is not None and entry.installable else
                    translate("ModelManagerDialog",
                              "Repair imports it again from a model package file."))
        return lines

    def _refresh_row(self, model_id: str) -> None:
        item = self.table.item_for(model_id)
        if item is not None:
            tiers = {e.id: e.tier for e in self.catalog} if self.catalog else {}
            self.table.update_row(item, self.stored.get(model_id), self._entry(model_id),
                                  self._busy_status(model_id), self.token_known, tiers)
        if model_id == self.table.selected_id():
            self._selection_changed()

    def _report(self, error: BaseException) -> None:
        if self.context.runner.default_error is not None:
            self.context.runner.default_error(error)
