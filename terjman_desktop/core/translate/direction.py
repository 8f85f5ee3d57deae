"""Whether a model translates a direction: the one check, made once per request."""

from __future__ import annotations

from terjman_desktop.core.errors import UnsupportedDirectionError
from terjman_desktop.core.translate.manifest import Direction, Manifest


def check_direction(manifest: Manifest, direction: Direction) -> None:
    """Refuse a direction the model does not translate.

    The engine calls this once per request, before any text is touched; the tokenizers
    then trust the direction they are given (the manifest parser already made sure an NLLB
    model has a language token for every language of its directions).

    Raises:
        UnsupportedDirectionError: Naming the model, the direction asked for and the
            directions it has.
    """
    if not isinstance(direction, Direction):
        raise TypeError(f"a Direction is needed, not {type(direction).__name__}")
    if not manifest.supports(direction.source, direction.target):
        available = ", ".join(str(d) for d in manifest.directions)
        raise UnsupportedDirectionError(
            f"The model '{manifest.id}' cannot translate {direction}.",
            hint=f"It translates {available}; pick another model or direction.",
        )
