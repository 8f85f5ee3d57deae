"""Keeps the window's model picker in step with the store, whoever changes it.

Models installed or removed by this app, by ``terjman`` or by another window show up while
the app runs: a :class:`~terjman_desktop.gui.store_watcher.StoreWatcher` (and a look each
time the window is activated) asks for a new listing, which an operation reads on a worker.
Its texts belong to the ``MainWindow`` translation context, where they were first written.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Signal

from terjman_desktop.core.models import InstalledModel
from terjman_desktop.gui.context import AppContext
from terjman_desktop.gui.model_info import tier_of
from terjman_desktop.gui.operations.models import InstalledModels, ModelOps
from terjman_desktop.gui.store_watcher import StoreWatcher
from terjman_desktop.gui.task_runner import Task
from terjman_desktop.gui.translate_panel import TranslatePanel

# Called by this name so that lupdate finds each string with its context.
translate = QCoreApplication.translate


class InstalledModelsTracker(QObject):
    """Lists the installed models into the panel's picker, and says what changed.

    Signals:
        listed(bool): a listing reached the picker; True for the first one.
        arrived(): models are installed now (a welcome asking for one may close).
        message(str): what changed, for the status bar.
    """

    listed = Signal(bool)
    arrived = Signal()
    message = Signal(str)

    def __init__(self, context: AppContext, panel: TranslatePanel,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.panel = panel
        self.ops = ModelOps(context)
        self.models: list[InstalledModel] = []
        self.tiers: dict[str, str] = {}
        self.loaded = False  # the first listing arrived
        self._task: Task[InstalledModels] | None = None
        # Per model id: a line to say instead of "… is now installed" when it shows up.
        self._notes: dict[str, str] = {}
        self.watcher = StoreWatcher(context.store.root, self)
        self.watcher.changed.connect(self.refresh)

    def refresh(self) -> None:
        """Re-read the installed models (and the catalog's tiers) in the background.

        A newer refresh cancels an older one still running, so an outdated listing never
        arrives after a newer one.
        """
        if self._task is not None:
            self._task.cancel()
        self._task = self.ops.installed().on_done(self._listed).run()

    def note(self, model_id: str, text: str) -> None:
        """Say ``text`` about a model just installed here (its vocabulary map, say).

        A model not listed yet is about to be: the line replaces its "is now installed"
        message then, instead of being wiped by it a moment later.
        """
        if any(m.id == model_id for m in self.models):
            self.message.emit(text)
        else:
            self._notes[model_id] = text

    def _listed(self, found: InstalledModels) -> None:
        models = found.models
        tiers = {m.id: tier_of(m, found.tiers) for m in models}
        first = not self.loaded
        if not first and (models, tiers) == (self.models, self.tiers):
            return  # a look on activation found nothing new: leave the picker alone
        before, shown = self.models, self.panel.current_model()
        self.models, self.tiers = models, tiers
        self._drop_stale(before, models)
        self.panel.set_models(models, tiers, self.context.settings.model_id)
        self.loaded = True
        if not first:
            self._say_what_changed(before, models, shown)
        self.listed.emit(first)

    def _drop_stale(self, before: list[InstalledModel], after: list[InstalledModel]) -> None:
        """Forget what came from models that are gone or were replaced since the last listing.

        That is their kept translations, and their loaded copy (unloaded on the model thread,
        so never while it translates).
        """
        current = [(m.id, m.path, m.manifest) for m in after]  # manifests are not hashable
        for model in before:
            if (model.id, model.path, model.manifest) not in current:
                self.panel.controller.forget(model.id)
                self.ops.unload(model.path).run()

    def _say_what_changed(self, before: list[InstalledModel], after: list[InstalledModel],
                          shown: InstalledModel | None) -> None:
        """Tell the person when the picker's model went away, or when a model arrived."""
        if after:
            self.arrived.emit()
        added = [m for m in after if m.id not in {b.id for b in before}]
        now = self.panel.current_model()
        if shown is not None and shown.id not in {m.id for m in after}:
            if now is not None:
                text = translate(
                    "MainWindow", "{name} is no longer installed; now translating with {other}."
                ).format(name=shown.name, other=now.name)
            else:
                text = translate("MainWindow", "{name} is no longer installed.").format(
                    name=shown.name)
        elif added:
            text = self._notes.pop(added[0].id, "") or translate(
                "MainWindow", "{name} is now installed.").format(name=added[0].name)
        else:
            return
        self.message.emit(text)
