"""Operations on models: the store, the catalog, installs, sharing, licenses.

Each method returns an :class:`~terjman_desktop.gui.operations.Op`; see the package's
docstring for how a widget runs one. Progress of a copy, a hash or an export comes as
``(done, total)``; an install reports ``InstallProgress`` (its phases) and, while it waits
for another Terjman working on the same model, a ``LockWait``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from terjman_desktop.core.cancel import PauseToken
from terjman_desktop.core.errors import TerjmanError
from terjman_desktop.core.models import (
    Catalog,
    CatalogEntry,
    InstalledModel,
    InstallPolicy,
    Store,
    StoredModel,
    VerifyResult,
)
from terjman_desktop.core.translate import ModelCache
from terjman_desktop.gui.context import AppContext
from terjman_desktop.gui.operations import Op
from terjman_desktop.gui.operations.settings import CONFIG_QUEUE
from terjman_desktop.gui.task_runner import TaskContext

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
                policy: InstallPolicy | None = None) -> Op[InstalledModel]:
        """Install a catalog entry with the settings' install policy (taken now).

        ``control`` pauses and cancels it. The lock wait and the progress share one
        coalescing channel: a newer report replaces a wait that is over.
        """
        store = self.store
        chosen = policy if policy is not None else self.context.install_policy()

        def work(ctx: TaskContext) -> InstalledModel:
            return chosen.install(entry, store, progress=ctx.progress, control=control,
                                  on_wait=ctx.progress)

        return self._op(work, f"install {entry.id}").with_token(control)

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
