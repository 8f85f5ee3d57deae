"""Operations on models: the store, the catalog, installs, sharing, licenses.

Each method returns an :class:`~terjman_desktop.gui.operations.Op`; see the package's
docstring for how a widget runs one. Progress of a copy, a hash or an export comes as
``(done, total)``; an install reports ``InstallProgress`` (its phases, the vocabulary map's
too) and, while it waits for another Terjman working on the same model, a ``LockWait``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from terjman_desktop.core.cancel import CancelToken, PauseToken
from terjman_desktop.core.errors import CancelledError, InputError, TerjmanError
from terjman_desktop.core.hardware import background_threads
from terjman_desktop.core.models import (
    Catalog,
    CatalogEntry,
    InstalledModel,
    InstallPolicy,
    Store,
    StoredModel,
    VerifyResult,
    installed_map_corpus,
)
from terjman_desktop.core.translate import ModelCache
from terjman_desktop.gui.context import AppContext
from terjman_desktop.gui.operations import Op
from terjman_desktop.gui.operations.settings import CONFIG_QUEUE
from terjman_desktop.gui.task_runner import TaskContext

if TYPE_CHECKING:
    from terjman_desktop.core.models import MapCorpus, MapOutcome

logger = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class InstalledModels:
    """The models that can be loaded, and each catalog model's tier (for the picker)."""

    models: list[InstalledModel]
    tiers: dict[str, str]


@dataclass(frozen=True)
class ManagerState:
    """What the model manager shows: every folder of the store and the catalog.

    Attributes:
        stored: Every model folder, damaged and unreadable ones too.
        catalog: The catalog (the refreshed one, else the last good one).
        problem: Why a refresh failed, if it did.
        token_known: Whether an install would send a Hugging Face token.
        accepted_licenses: The models whose license was accepted before.
    """

    stored: list[StoredModel]
    catalog: Catalog
    problem: Exception | None = None
    token_known: bool = False
    accepted_licenses: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class InstallOutcome:
    """An installed catalog model, and the vocabulary map learned for it after the install.

    Attributes:
        model: The model as installed now (with its map, when one was added).
        map_wanted: Whether a map was to be learned (the entry names its training dataset
            and the settings use maps).
        vocabulary_map: The map added, or None.
        map_problem: Why no map was added although one was wanted: the viewer, the check
            (``MapRejectedError``), a cancel (``CancelledError``)… The model works without.
    """

    model: InstalledModel
    map_wanted: bool = False
    vocabulary_map: MapOutcome | None = None
    map_problem: Exception | None = None


@dataclass(frozen=True)
class WelcomeState:
    """What the welcome offers from: the catalog, and the damaged models to point to."""

    catalog: Catalog
    damaged: list[StoredModel]


class ModelOps:
    """Operations on the context's store and catalog source."""

    def __init__(self, context: AppContext) -> None:
        self.context = context

    @property
    def store(self) -> Store:
        return self.context.store

    def _op(self, work: Callable[[TaskContext], T], name: str) -> Op[T]:
        return Op(self.context.runner, work, name=name)

    # ------------------------------------------------------------------ reading

    def installed(self) -> Op[InstalledModels]:
        """The models that can be loaded, with the catalog's tiers."""
        store, source = self.store, self.context.catalog

        def work(_: TaskContext) -> InstalledModels:
            tiers = source.tiers()
            return InstalledModels(store.list(), tiers)

        return self._op(work, "list models")

    def manager_state(self, *, refresh: bool = False) -> Op[ManagerState]:
        """Everything on disk and the catalog; with ``refresh``, a fresh catalog first."""
        store, source, licenses = self.store, self.context.catalog, self.context.licenses
        url = self.context.settings.catalog_url
        policy = self.context.install_policy()

        def work(_: TaskContext) -> ManagerState:
            problem: Exception | None = None
            if refresh and url:
                catalog, problem = source.refresh_or_current(url)
            else:
                catalog = source.current()
            return ManagerState(store.entries(), catalog, problem, policy.has_token(),
                                frozenset(licenses.read()))

        return self._op(work, "model manager")

    def welcome_state(self) -> Op[WelcomeState]:
        """The catalog, and the models on disk that cannot be used."""
        store, source = self.store, self.context.catalog

        def work(_: TaskContext) -> WelcomeState:
            return WelcomeState(source.current(), [s for s in store.entries() if not s.ok])

        return self._op(work, "welcome catalog")

    # ------------------------------------------------------------------ sharing

    def import_path(self, path: Path) -> Op[InstalledModel]:
        """Install a package ``.zip`` or a model folder; progress ``(done, total)``."""
        store = self.store
        return self._op(lambda ctx: store.import_path(
            path, progress=lambda d, t: ctx.progress((d, t)), cancel=ctx.cancel),
            "import model")

    def verify(self, model_id: str) -> Op[VerifyResult]:
        """Hash every file of a model again; progress ``(done, total)``."""
        store = self.store
        return self._op(lambda ctx: store.verify(
            model_id, lambda d, t: ctx.progress((d, t)), ctx.cancel), "verify")

    def export(self, model_id: str, destination: Path) -> Op[Path]:
        """Write a model as a package ``.zip`` (replacing the file); progress ``(done, total)``."""
        store = self.store
        return self._op(lambda ctx: store.export(
            model_id, destination, lambda d, t: ctx.progress((d, t)), ctx.cancel,
            overwrite=True), "export")

    # ------------------------------------------------------------------ removing

    def delete(self, stored: StoredModel) -> Op[None]:
        """Unload and remove a model; progress is a ``LockWait`` while another Terjman has it.

        Runs on the model thread: never while the model translates.
        """
        store = self.store

        def work(models: ModelCache, ctx: TaskContext) -> None:
            models.unload(stored.path)
            store.remove(stored.id, cancel=ctx.cancel, on_wait=ctx.progress)

        return Op.with_model(self.context.runner, work, name="delete model")

    def unload(self, path: Path) -> Op[None]:
        """Free the loaded copy of a model that went away (on the model thread)."""
        return Op.with_model(self.context.runner, lambda models, _: models.unload(path),
                             name="unload a removed model")

    # ------------------------------------------------------------------ installing

    def install(self, entry: CatalogEntry, control: PauseToken,
                policy: InstallPolicy | None = None) -> Op[InstallOutcome]:
        """Install a catalog entry with the settings' install policy (taken now).

        ``control`` pauses and cancels it. The lock wait and the progress share one
        coalescing channel: a newer report replaces a wait that is over.

        A model converted here whose catalog source names its training dataset then learns
        a vocabulary map in the same task (unless the settings turned maps off). The model
        is installed by then: a map that cannot be made, or a cancel during it, leaves the
        model as installed and is told in :attr:`InstallOutcome.map_problem`, never raised.
        """
        store = self.store
        chosen = policy if policy is not None else self.context.install_policy()
        corpus = chosen.map_corpus_of(entry)

        def work(ctx: TaskContext) -> InstallOutcome:
            model = chosen.install(entry, store, progress=ctx.progress, control=control,
                                   on_wait=ctx.progress)
            if corpus is None:
                return InstallOutcome(model)
            return _learn_map(chosen, model, corpus, store, ctx, control)

        return self._op(work, f"install {entry.id}").with_token(control)

    def learn_map(self, model: InstalledModel, control: CancelToken,
                  policy: InstallPolicy | None = None) -> Op[InstallOutcome]:
        """Learn the vocabulary map of an installed model that has none (a first try failed).

        The dataset is the one its manifest's source names
        (:func:`~terjman_desktop.core.models.installed_map_corpus`). It runs in the
        background with :func:`~terjman_desktop.core.hardware.background_threads`, as after an
        install; progress is ``InstallProgress`` in the map's phases. ``control`` cancels it
        (the op then ends cancelled). A map that cannot be made is told in
        :attr:`InstallOutcome.map_problem`, never raised; the model stays as it was.
        """
        store = self.store
        chosen = policy if policy is not None else self.context.install_policy()
        corpus = installed_map_corpus(model)

        def work(ctx: TaskContext) -> InstallOutcome:
            if corpus is None:
                return InstallOutcome(model, True, None, InputError(
                    f"The source of {model.name} names no training dataset to learn a "
                    "vocabulary map from.",
                    hint=f"`terjman models vmap {model.id} --vmap-dataset ORG/NAME` names one."))
            return _learn_map(chosen, model, corpus, store, ctx, control)

        return self._op(work, f"vocabulary map {model.id}").with_token(control)

    def clean_staging(self, model_id: str) -> Op[None]:
        """Empty a model's staging folder after a cancel, unless another install uses it."""
        store = self.store

        def work(_: TaskContext) -> None:
            try:
                store.forget_download(model_id)
            except TerjmanError as error:  # busy: the other install owns the folder now
                logger.info("Staging of %s left as it is: %s", model_id, error)

        return self._op(work, "clean staging")

    def accept_license(self, model_id: str) -> Op[None]:
        """Remember that the license of ``model_id`` was accepted."""
        licenses = self.context.licenses
        return Op(self.context.runner, lambda _: licenses.remember(model_id),
                  name="remember license", queue=CONFIG_QUEUE)


def _learn_map(policy: InstallPolicy, model: InstalledModel, corpus: MapCorpus, store: Store,
               ctx: TaskContext, control: CancelToken) -> InstallOutcome:
    """Add a vocabulary map to the installed ``model``; a failure is only a note.

    The core leaves the installed model untouched on any failure or cancel, so whatever
    goes wrong here, the model is there and translates (slower). The map is learned with
    half the cores: the person may be translating meanwhile.
    """
    try:
        outcome = policy.learn_vocabulary_map(model.id, corpus, store, progress=ctx.progress,
                                              control=control, threads=background_threads())
    except TerjmanError as error:  # the viewer, the network, the check, a cancel
        logger.info("No vocabulary map for %s: %s", model.id,
                    "cancelled" if isinstance(error, CancelledError) else error)
        return InstallOutcome(model, True, None, error)
    except Exception as error:  # a bug or the disk: still no reason to fail the install
        logger.warning("No vocabulary map for %s", model.id, exc_info=error)
        return InstallOutcome(model, True, None, error)
    return InstallOutcome(outcome.model, True, outcome, None)
