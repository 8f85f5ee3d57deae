"""What a vocabulary map changes: the same sentences translated without and with it.

The judge of :mod:`~terjman_desktop.core.translate.vocabulary_map`: greedy translations, one
sentence per model call (CTranslate2 scores the union of a batch's candidates, so a batch
would hide one sentence's missing pieces behind its neighbours'). ``trainer export`` fails a
package whose map changes the dev set's chrF++ by more than 0.2 points; the tests ask for
identical outputs on at least 99 % of held-out sentences.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.errors import PackageError
from terjman_desktop.core.translate.engine import ProgressCallback, Translator
from terjman_desktop.core.translate.manifest import Direction
from terjman_desktop.core.translate.options import TranslationOptions
from terjman_desktop.core.translate.package import ModelPackage
from terjman_desktop.core.translate.vocabulary_map import open_translator


@dataclass(frozen=True)
class MapComparison:
    """Greedy translations of the same sentences without and with a package's map."""

    direction: Direction
    without_map: tuple[str, ...]
    with_map: tuple[str, ...]

    @property
    def identical(self) -> float:
        """The fraction of sentences whose translation the map leaves unchanged (1.0: all)."""
        if not self.with_map:
            return 1.0
        same = sum(a == b for a, b in zip(self.without_map, self.with_map, strict=True))
        return same / len(self.with_map)


def compare_vocabulary_map(
    model: Translator | ModelPackage | Path | str,
    sentences: Sequence[str],
    direction: Direction,
    *,
    options: TranslationOptions | None = None,
    device: str = "cpu",
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> MapComparison:
    """Translate ``sentences`` greedily without and with the package's map, one at a time.

    CTranslate2 scores the union of the candidates of every sentence in a batch, so batches
    would hide a sentence's missing pieces behind its neighbours'; one sentence per model
    call measures what a person translating one sentence gets.

    Args:
        model: A translator whose package lists a map (``has_vmap``), or a package to load.
        sentences: Held-out sentences (dev data, not the corpus the map was built from).
        direction: Their direction.
        options: Base search settings (lengths); the beam is 1 unless they say otherwise.
        device: Where a package given by path runs.
        progress: Told (translations done, translations to do), both passes together.
        cancel: Stops between model calls (CancelledError).

    Raises:
        PackageError: the package has no vocabulary map.
    """
    translator = open_translator(model, device)
    if not translator.has_vmap:
        raise PackageError(f"The model '{translator.manifest.id}' has no vocabulary map.",
                           hint="Add one with add_vocabulary_map (trainer export does).")
    base = replace(options or TranslationOptions(beam_size=1), max_batch_tokens=1)
    texts: dict[bool, tuple[str, ...]] = {}
    for index, use_vmap in enumerate((False, True)):
        def report(done: int, _total: int, before: int = index * len(sentences)) -> None:
            if progress is not None:
                progress(before + done, 2 * len(sentences))

        results = translator.translate_sentences(sentences, direction,
                                                 replace(base, use_vmap=use_vmap),
                                                 progress=report, cancel=cancel)
        texts[use_vmap] = tuple(hyps[0].text if hyps else "" for hyps in results)
    return MapComparison(direction, texts[False], texts[True])


def identical_fraction(comparisons: Iterable[MapComparison]) -> float:
    """The fraction of identical translations over several comparisons (directions)."""
    pairs = [(a, b) for c in comparisons for a, b in zip(c.without_map, c.with_map, strict=True)]
    return sum(a == b for a, b in pairs) / len(pairs) if pairs else 1.0
