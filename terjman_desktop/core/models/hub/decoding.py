"""How a model converted from the Hub decodes: its directions and language tokens.

Written into the package's manifest, so the engine knows which language to read and write
without looking at the checkpoint again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from terjman_desktop.core.errors import PackageError
from terjman_desktop.core.families import FAMILIES
from terjman_desktop.core.models.hub.source import HubSource
from terjman_desktop.core.translate import Direction

if TYPE_CHECKING:
    from terjman_desktop.core.models.convert import ConvertedModel
    from terjman_desktop.core.models.hub.details import PackageDetails



def decoding_choices(
    source: HubSource, details: PackageDetails, converted: ConvertedModel
) -> tuple[tuple[Direction, ...], dict[str, str], dict[str, str | None]]:
    """Directions, language tokens and forced first tokens of a converted model.

    NLLB: en⇄ary when the vocabulary has ``eng_Latn`` and ``ary_Arab``. The first output
    token for a target language is, in order: the catalog's choice; the checkpoint's
    ``forced_bos_token_id`` when it is that language's code; NLLB's own code for English;
    for Darija, nothing — the v1 Terjman card runs ``generate`` without a forced token, and
    the model then picks its own first token. Marian: the catalog's directions, else en→ary.
    """
    family = FAMILIES[converted.family]
    defaults = tuple(Direction(source, target) for source, target in family.default_directions)
    if not family.needs_language_tokens:
        return details.directions or defaults, {}, {}
    tokens = family.default_language_tokens
    missing = [t for t in tokens.values() if not converted.has_language_token(t)]
    if missing:
        raise PackageError(
            f"{source.repo}: the tokenizer has no {', '.join(missing)} language code, so the "
            "model cannot be told which language to read or write.",
            hint="Only NLLB models that know English and Moroccan Arabic can be installed.",
        )
    directions = details.directions or defaults
    targets: dict[str, str | None] = {}
    forced = converted.forced_bos_token
    if "ary" in source.target_tokens:
        targets["ary"] = source.target_tokens["ary"]
    elif forced != tokens["ary"]:
        targets["ary"] = None
    if "en" in source.target_tokens:
        targets["en"] = source.target_tokens["en"]
    return directions, dict(tokens), targets
