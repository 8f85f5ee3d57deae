"""Finding the model a person means: a model folder, an installed id, or the only one there is.

The ``terjman`` command, the app's ``--self-test`` and anything else that takes a model name
from a person share these rules, so the same words mean the same model everywhere.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from terjman_desktop.core.errors import ModelNotFoundError, NoModelInstalledError
from terjman_desktop.core.translate import ID_PATTERN, ModelPackage, load_package


def resolve_model(name: str) -> ModelPackage:
    """A model folder path, or the id of an installed model.

    Raises:
        ModelNotFoundError: nothing matches ``name`` (the message says what was tried).
        PackageError: the folder or installed model is damaged.
    """
    from terjman_desktop.core import paths

    candidate = Path(name).expanduser()
    if candidate.is_dir():
        return load_package(candidate)
    looks_like_id = "/" not in name and os.sep not in name and ID_PATTERN.match(name)
    if looks_like_id and (paths.models_dir() / name).is_dir():
        from terjman_desktop.core.models.store.store import Store

        return load_package(Store().get(name).path)
    if candidate.exists():
        raise ModelNotFoundError(
            f"'{name}' is a file, not a model folder.",
            hint="Give an unpacked model folder or an installed model id; import a .zip "
            "package first with `terjman models import FILE`.",
        )
    raise ModelNotFoundError(
        f"No model folder or installed model named '{name}'.",
        hint="Run `terjman models list` to see installed models, or give a model folder.",
    )


@dataclass(frozen=True)
class DefaultModel:
    """The model used when none was named, and why (so the caller can say so)."""

    package: ModelPackage
    reason: str


def default_model(preferred_id: str = "") -> DefaultModel:
    """The model to use when the person named none.

    The only installed model, else ``preferred_id`` (the app's current model) when it is
    installed.

    Raises:
        NoModelInstalledError: no model is installed.
        ModelNotFoundError: several are and none is preferred; the message lists them.
    """
    from terjman_desktop.core.models.store.store import Store

    installed = Store().list()
    if len(installed) == 1:
        model = installed[0]
        return DefaultModel(load_package(model.path), f"the only installed model, {model.id}")
    preferred = next((m for m in installed if m.id == preferred_id), None)
    if preferred is not None:
        return DefaultModel(load_package(preferred.path),
                            f"the app's current model, {preferred.id}")
    if not installed:
        raise NoModelInstalledError(
            "No model is installed.",
            hint="Install one with `terjman models install ID` (see `terjman models "
            "available`), or import a package with `terjman models import FILE`.",
        )
    raise ModelNotFoundError(
        "Several models are installed; say which one to use with --model.",
        hint="Installed: " + ", ".join(m.id for m in installed) + ".",
    )
