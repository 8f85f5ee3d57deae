"""How models, tiers, languages and directions are named on screen."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from terjman_desktop.core.families import FAMILIES
from terjman_desktop.core.languages import is_right_to_left
from terjman_desktop.core.models import InstalledModel


def isolate(text: str) -> str:
    """Wrap ``text`` in a first-strong isolate so the surrounding direction cannot reorder it.

    An English sentence in a right-to-left list would otherwise show its final "?" on the
    left; a Darija sentence in a left-to-right list keeps its own order too.
    """
    return f"\u2068{text}\u2069"


def is_rtl(language: str) -> bool:
    return is_right_to_left(language)


_LANGUAGES: dict[str, object] = {
    "en": QT_TRANSLATE_NOOP("models", "English"),
    "ary": QT_TRANSLATE_NOOP("models", "Darija"),
}
_TIER_LABELS: dict[str, object] = {
    "nano": QT_TRANSLATE_NOOP("models", "Nano"),
    "large": QT_TRANSLATE_NOOP("models", "Large"),
    "ultra": QT_TRANSLATE_NOOP("models", "Ultra"),
    "supreme": QT_TRANSLATE_NOOP("models", "Supreme"),
    "nllb": QT_TRANSLATE_NOOP("models", "NLLB"),
    "": QT_TRANSLATE_NOOP("models", "Custom"),
}
_TIER_HINTS: dict[str, object] = {
    "nano": QT_TRANSLATE_NOOP("models", "fastest, basic quality"),
    "large": QT_TRANSLATE_NOOP("models", "fast, better quality"),
    "ultra": QT_TRANSLATE_NOOP("models", "slower, best quality, both directions"),
    "supreme": QT_TRANSLATE_NOOP("models", "slowest, top quality, needs much memory"),
    "nllb": QT_TRANSLATE_NOOP("models", "general model, both directions"),
    "": QT_TRANSLATE_NOOP("models", "speed and quality unknown"),
}


def _translated(table: dict[str, object], key: str, fallback: str) -> str:
    source = table.get(key)
    return QCoreApplication.translate("models", str(source)) if source else fallback


def language_name(code: str) -> str:
    return _translated(_LANGUAGES, code, code)


def direction_label(source: str, target: str) -> str:
    return f"{language_name(source)} → {language_name(target)}"


def directions_label(directions: Iterable[tuple[str, str]]) -> str:
    """``en→ary`` and ``ary→en`` together read as ``English ⇄ Darija``."""
    pairs = list(dict.fromkeys(directions))
    if len(pairs) == 2 and pairs[0] == pairs[1][::-1]:
        return f"{language_name(pairs[0][0])} ⇄ {language_name(pairs[0][1])}"
    return ", ".join(direction_label(source, target) for source, target in pairs)


def tier_label(tier: str) -> str:
    return _translated(_TIER_LABELS, tier, tier.capitalize())


def tier_hint(tier: str) -> str:
    """Speed and quality in a few words, for the model picker."""
    return _translated(_TIER_HINTS, tier, _translated(_TIER_HINTS, "", ""))


def tier_of(model: InstalledModel, catalog_tiers: dict[str, str] | None = None) -> str:
    """The tier of an installed model: the catalog's, the manifest's, or guessed from its id."""
    if catalog_tiers and model.id in catalog_tiers:
        return catalog_tiers[model.id]
    declared = model.manifest.extra.get("tier") if model.manifest.extra else None
    if isinstance(declared, str) and declared:
        return declared
    lowered = model.id.lower()
    for tier in ("nano", "large", "ultra", "supreme"):
        if tier in lowered:
            return tier
    # A general model of a family (NLLB) is its own tier; a Marian model without one is custom.
    family = FAMILIES.get(model.family)
    return family.name if family is not None and family.name in _TIER_LABELS else ""


def models_for(
    models: Iterable[InstalledModel], source: str, target: str
) -> list[InstalledModel]:
    """Installed models that translate ``source`` → ``target``, in the store's order."""
    return [m for m in models if m.manifest.supports(source, target)]


def model_label(model: InstalledModel, tier: str) -> str:
    # The name is isolated: it may be in any script, the rest follows the interface.
    return f"{isolate(model.name)} — {tier_label(tier)} · {tier_hint(tier)}"


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return QCoreApplication.translate("models", "estimating…")
    seconds = max(0, round(seconds))
    if seconds < 60:
        return QCoreApplication.translate("models", "{n} s left").format(n=seconds)
    if seconds < 3600:
        return QCoreApplication.translate("models", "{n} min left").format(n=round(seconds / 60))
    return QCoreApplication.translate("models", "{h} h {m} min left").format(
        h=seconds // 3600, m=seconds % 3600 // 60)


def quality_summary(metrics: dict[str, object] | Sequence[object] | None) -> str:
    """``{"terjamabench": {"bleu": 18.8, "chrf": 38.4}}`` → ``BLEU 18.8 · chrF 38.4``."""
    if not isinstance(metrics, dict):
        return ""
    for values in metrics.values():
        if isinstance(values, dict):
            parts = []
            for key, label in (("bleu", "BLEU"), ("chrf", "chrF"), ("ter", "TER")):
                value = values.get(key)
                if isinstance(value, int | float):
                    parts.append(f"{label} {value:.1f}")
            if parts:
                return " · ".join(parts)
    return ""
