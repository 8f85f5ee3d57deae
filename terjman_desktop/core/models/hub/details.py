"""What a Hub install is told and what it tells: the package's details, its progress.

Shared by :mod:`~terjman_desktop.core.models.hub.install` (which re-exports them) and the
filler in :mod:`~terjman_desktop.core.models.hub.job`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from terjman_desktop.core.translate import Direction

if TYPE_CHECKING:
    from terjman_desktop.core.models.download import DownloadProgress

PHASE_RESOLVE = "resolve"
PHASE_DOWNLOAD = "download"
PHASE_CONVERT = "convert"
PHASE_INSTALL = "install"


@dataclass(frozen=True)
class InstallProgress:
    """Where an install stands: its phase and the phase's own progress.

    ``download`` carries speed and time left during the download phase.
    """

    phase: str
    done: int = 0
    total: int = 0
    download: DownloadProgress | None = None


@dataclass(frozen=True)
class PackageDetails:
    """What the package says about the model besides what the checkpoint gives."""

    model_id: str
    name: str
    version: str
    license: str = ""
    attribution: str = ""
    base_model: str = ""
    metrics: Mapping[str, Any] = field(default_factory=dict)
    # Empty: from the checkpoint (NLLB: en⇄ary when it has both language codes; Marian: en→ary).
    directions: tuple[Direction, ...] = ()


ProgressCallback = Callable[[InstallProgress], None]
