"""The install policy: how this person's installs reach the network, decided in one place.

The app and ``terjman`` install models the same way, from the same settings:

* the token: an explicit one (``--token``, else the token saved in the app's Preferences),
  then the Hub's own conventions — ``HF_TOKEN``, ``TERJMAN_HF_TOKEN``, the ``hf auth login``
  file (see :func:`~terjman_desktop.core.models.hub.auth.resolve_token`); it only ever goes
  to the Hub endpoint;
* the mirrors: the settings' mirrors, tried before the catalog's for a released package;
* the Hub endpoint: ``HF_ENDPOINT``, else https://huggingface.co (huggingface_hub's rule);
* the conversion: the quantization asked for (else the catalog's, else int8) and whether the
  downloaded checkpoint is kept;
* the vocabulary map: whether a model converted here then learns one from its training data
  (:mod:`~terjman_desktop.core.models.speedup`; off when the person turned maps off).

:func:`install_policy` builds an :class:`InstallPolicy` from the settings; the GUI and the
CLI call nothing else to learn it, and install through :meth:`InstallPolicy.install` (a
catalog entry) and :meth:`InstallPolicy.install_repository` (any Hub repository).

Building a policy reads nothing and touches no network; only its methods do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from terjman_desktop.core.errors import HubError

if TYPE_CHECKING:
    from terjman_desktop.core.cancel import CancelToken, PauseToken
    from terjman_desktop.core.models.catalog_schema import CatalogEntry
    from terjman_desktop.core.models.hub.auth import HubEndpoint, HubToken
    from terjman_desktop.core.models.hub.client import HubClient
    from terjman_desktop.core.models.hub.install import InstallProgress, PackageDetails
    from terjman_desktop.core.models.hub.map_corpus import MapCorpus
    from terjman_desktop.core.models.hub.source import HubSource
    from terjman_desktop.core.models.speedup import MapOutcome
    from terjman_desktop.core.models.store.store import InstalledModel, LockWait, Store
    from terjman_desktop.core.settings import Settings

SETTINGS_SOURCE = "the settings"
OPTION_SOURCE = "--token"
DEFAULT_QUANTIZATION = "int8"


@dataclass(frozen=True)
class InstallPolicy:
    """Where an install may look and what it may send; plain data, compared by value.

    Attributes:
        token: The explicit token (``--token`` or the settings'), or None for the Hub's
            conventions only. Never shown in a ``repr``.
        token_source: How messages name ``token`` (``"--token"``, ``"the settings"``).
        mirrors: Tried first, in order, for a released package.
        quantization: Weights of a model converted here; None: the catalog entry's (int8 for
            a repository outside the catalog).
        keep_source: Keep the downloaded checkpoint after converting it.
        learn_vmap: After converting a model whose source names its training dataset, learn
            a vocabulary map from it (:meth:`learn_vocabulary_map`).
    """

    token: str | None = field(default=None, repr=False)
    token_source: str = SETTINGS_SOURCE
    mirrors: tuple[str, ...] = ()
    quantization: str | None = None
    keep_source: bool = False
    learn_vmap: bool = True

    # ------------------------------------------------------------------ the Hub

    def endpoint(self) -> HubEndpoint:
        """The Hub endpoint installs talk to.

        Raises:
            HubError: ``HF_ENDPOINT`` is not a plain http(s) address.
        """
        from terjman_desktop.core.models.hub.auth import hub_endpoint

        return hub_endpoint()

    def web_url(self) -> str:
        """The Hub's web address for links (a model's page, the tokens page).

        A malformed ``HF_ENDPOINT`` links the real Hub: the install itself says what is wrong.
        """
        from terjman_desktop.core.models.hub.auth import DEFAULT_ENDPOINT

        try:
            return self.endpoint().url
        except HubError:
            return DEFAULT_ENDPOINT

    def resolved_token(self) -> HubToken | None:
        """The token an install would send, and where it comes from (may read the login file).

        Raises:
            HubError: the chosen token cannot be a token (spaces, control characters).
        """
        from terjman_desktop.core.models.hub.auth import resolve_token

        return resolve_token(self.token, explicit_source=self.token_source)

    def has_token(self) -> bool:
        """Whether an install would send a token; a malformed one counts (the install says so)."""
        try:
            return self.resolved_token() is not None
        except HubError:
            return True

    def hub_client(self) -> HubClient:
        """A Hub client with this policy's endpoint and token.

        Raises:
            HubError: a malformed ``HF_ENDPOINT`` or token.
        """
        from terjman_desktop.core.models.hub.client import HubClient

        return HubClient(token=self.token, token_source=self.token_source)

    # ------------------------------------------------------------------ installing

    def install(
        self,
        entry: CatalogEntry,
        store: Store | None = None,
        *,
        progress: Callable[[InstallProgress], None] | None = None,
        control: PauseToken | None = None,
        on_wait: Callable[[LockWait], None] | None = None,
    ) -> InstalledModel:
        """Install a catalog entry: its released package (mirrors first), else from the Hub.

        Raises:
            What :func:`~terjman_desktop.core.models.install.install_entry` raises.
        """
        from terjman_desktop.core.models.install import install_entry

        return install_entry(
            entry, store, token=self.token, token_source=self.token_source,
            progress=progress, control=control, on_wait=on_wait,
            quantization=self.quantization, keep_source=self.keep_source,
            extra_mirrors=self.mirrors,
        )

    def map_corpus_of(self, entry: CatalogEntry) -> MapCorpus | None:
        """The dataset a vocabulary map is learned from after installing ``entry``, or None.

        None when maps are off, when the entry installs a released package (which brings its
        own map, made by ``trainer export``), or when its source names no dataset.
        """
        if not self.learn_vmap or entry.available or entry.source is None:
            return None
        if entry.source.format != "transformers":
            return None
        return entry.source.vmap_corpus

    def learn_vocabulary_map(
        self,
        model_id: str,
        corpus: MapCorpus,
        store: Store | None = None,
        *,
        progress: Callable[[InstallProgress], None] | None = None,
        control: CancelToken | None = None,
        threads: int = 0,
    ) -> MapOutcome:
        """Learn a vocabulary map for an installed model from ``corpus`` (its training data).

        The dataset viewer gets this policy's token only where the Hub endpoint's rule
        trusts it (the official viewer over https, or an address chosen on purpose).
        ``threads``: CTranslate2 threads (0: the physical cores; the app passes
        :func:`~terjman_desktop.core.hardware.background_threads`).

        Raises:
            What :func:`~terjman_desktop.core.models.speedup.add_vocabulary_map_from_hub`
            raises.
        """
        from terjman_desktop.core.models.hub.dataset_viewer import DatasetViewer
        from terjman_desktop.core.models.speedup import add_vocabulary_map_from_hub

        viewer = DatasetViewer(token=self.resolved_token())
        return add_vocabulary_map_from_hub(model_id, corpus, store=store, viewer=viewer,
                                           threads=threads, progress=progress,
                                           control=control)

    def install_repository(
        self,
        source: HubSource,
        details: PackageDetails,
        store: Store | None = None,
        *,
        progress: Callable[[InstallProgress], None] | None = None,
        control: PauseToken | None = None,
        on_wait: Callable[[LockWait], None] | None = None,
    ) -> InstalledModel:
        """Install any Hub repository (converted here unless it holds a released package).

        Raises:
            What :func:`~terjman_desktop.core.models.hub.install.install_from_hub` raises.
        """
        from terjman_desktop.core.models.hub.install import install_from_hub

        return install_from_hub(
            source, details, store=store, client=self.hub_client(),
            quantization=self.quantization or DEFAULT_QUANTIZATION,
            keep_source=self.keep_source, progress=progress, control=control, on_wait=on_wait,
        )


def install_policy(
    settings: Settings | None = None,
    *,
    token: str | None = None,
    token_source: str = OPTION_SOURCE,
    quantization: str | None = None,
    keep_source: bool = False,
    learn_vmap: bool | None = None,
) -> InstallPolicy:
    """The install policy of ``settings`` (the one rule for the app and ``terjman``).

    Args:
        settings: The person's settings (their token and mirrors); None: no settings.
        token: A token given for this run (``--token``); it wins over the settings' token.
        token_source: How to name ``token`` in messages.
        quantization: Weights of a model converted here (None: the catalog's, else int8).
        keep_source: Keep the downloaded checkpoint after converting it.
        learn_vmap: Learn vocabulary maps after conversions (None: as the settings use maps).
    """
    mirrors = tuple(settings.mirrors) if settings is not None else ()
    given = (token or "").strip()
    saved = settings.hf_token.strip() if settings is not None else ""
    if given:
        chosen, source = given, token_source
    elif saved:
        chosen, source = saved, SETTINGS_SOURCE
    else:
        chosen, source = None, SETTINGS_SOURCE
    if learn_vmap is None:
        learn_vmap = settings.use_vocabulary_map if settings is not None else True
    return InstallPolicy(chosen, source, mirrors, quantization, keep_source, learn_vmap)
