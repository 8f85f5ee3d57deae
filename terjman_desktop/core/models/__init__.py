"""The models wing: where models come from and where they live.

The catalog of models (``catalog``, a namespace of functions: ``catalog.current()``,
``catalog.refresh_or_current(...)``), the Hugging Face Hub (``hub/``: endpoint and token
policy, API client, install pipeline), downloads, the store of installed models (``store/``:
one :class:`Store` object that keeps its lock and staging folder private), model packages
moved in and out of it (``archive/``), the on-device conversion of Hub checkpoints
(``convert/``) and the vocabulary map learned after it (``speedup``), the install policy
built from the settings, and finding the model a person means.

Public surface: the GUI, the CLI and the other wings import only the names below. What talks
to the network needs ``requests`` (about 80 ms to import), which translating does not: those
names (:class:`HubClient`, :func:`install_entry`, :func:`install_from_catalog`) load on first
use rather than with the wing, so ``terjman translate`` and the app's first window stay quick.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from terjman_desktop.core.models import catalog
from terjman_desktop.core.models.catalog import recommended
from terjman_desktop.core.models.catalog_schema import Catalog, CatalogEntry
from terjman_desktop.core.models.convert import ConvertedModel, convert_checkpoint
from terjman_desktop.core.models.hub.auth import (
    DEFAULT_ENDPOINT,
    as_token,
    hub_credentials,
    hub_endpoint,
    resolve_token,
)
from terjman_desktop.core.models.hub.details import (
    PHASE_CONVERT,
    PHASE_DOWNLOAD,
    PHASE_INSTALL,
    PHASE_RESOLVE,
    InstallProgress,
    PackageDetails,
)
from terjman_desktop.core.models.hub.install import install_from_hub
from terjman_desktop.core.models.hub.map_corpus import MapCorpus, parse_map_corpus
from terjman_desktop.core.models.hub.repo import parse_repo_spec
from terjman_desktop.core.models.hub.source import HubSource
from terjman_desktop.core.models.lookup import DefaultModel, default_model, resolve_model
from terjman_desktop.core.models.policy import InstallPolicy, install_policy
from terjman_desktop.core.models.speedup import (
    MAP_PHASES,
    PHASE_MAP_BUILD,
    PHASE_MAP_CHECK,
    PHASE_MAP_SAMPLE,
    MapOutcome,
    MapRejectedError,
    add_vocabulary_map_from_hub,
    describe_outcome,
    has_vocabulary_map,
    installed_map_corpus,
    map_progress_label,
)
from terjman_desktop.core.models.store.records import (
    InstalledModel,
    LockWait,
    ModelState,
    StoredModel,
    VerifyResult,
)
from terjman_desktop.core.models.store.store import Store, Workspace
from terjman_desktop.core.models.store.updates import UpdateInfo, find_updates

if TYPE_CHECKING:
    from terjman_desktop.core.models.hub.client import HubClient
    from terjman_desktop.core.models.install import install_entry, install_from_catalog

_LAZY = {
    "HubClient": "terjman_desktop.core.models.hub.client",
    "install_entry": "terjman_desktop.core.models.install",
    "install_from_catalog": "terjman_desktop.core.models.install",
}

__all__ = [
    "DEFAULT_ENDPOINT",
    "MAP_PHASES",
    "PHASE_CONVERT",
    "PHASE_DOWNLOAD",
    "PHASE_INSTALL",
    "PHASE_MAP_BUILD",
    "PHASE_MAP_CHECK",
    "PHASE_MAP_SAMPLE",
    "PHASE_RESOLVE",
    "Catalog",
    "CatalogEntry",
    "ConvertedModel",
    "DefaultModel",
    "HubClient",
    "HubSource",
    "InstallPolicy",
    "InstallProgress",
    "InstalledModel",
    "LockWait",
    "MapCorpus",
    "MapOutcome",
    "MapRejectedError",
    "ModelState",
    "PackageDetails",
    "Store",
    "StoredModel",
    "UpdateInfo",
    "VerifyResult",
    "Workspace",
    "add_vocabulary_map_from_hub",
    "as_token",
    "catalog",
    "convert_checkpoint",
    "default_model",
    "describe_outcome",
    "find_updates",
    "has_vocabulary_map",
    "hub_credentials",
    "hub_endpoint",
    "install_entry",
    "install_from_catalog",
    "install_from_hub",
    "install_policy",
    "installed_map_corpus",
    "map_progress_label",
    "parse_map_corpus",
    "parse_repo_spec",
    "recommended",
    "resolve_model",
    "resolve_token",
]


def __getattr__(name: str) -> Any:
    """Load the network side on first use of its names (PEP 562)."""
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
